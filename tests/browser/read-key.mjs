// The page against a server with a read key: it asks for the key once, keeps it for the
// session, and searches with it. Usage: node read-key.mjs <base-url> <key>
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const base = (process.argv[2] || '').replace(/\/$/, '');
const key = process.argv[3] || '';
const browser = await chromium.launch({
  executablePath: process.env.JINDU_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await (await browser.newContext()).newPage();
  const prompts = [];
  page.on('dialog', async (dialog) => {
    prompts.push(dialog.message());
    await dialog.accept(key);
  });
  await page.goto(`${base}/?q=${encodeURIComponent('湄公河')}`);
  await page.locator('#hits li').first().waitFor({ timeout: 20000 });
  assert.equal(prompts.length, 1, `asked once: ${prompts}`);
  assert.match(prompts[0], /密钥/);
  const headers = await page.evaluate(() => sessionStorage.getItem('jindu-read-key'));
  assert.equal(headers, key, 'kept for the session');
  await page.goto(`${base}/?q=${encodeURIComponent('缅甸')}`);
  await page.locator('#hits li').first().waitFor({ timeout: 20000 });
  assert.equal(prompts.length, 1, 'not asked again in the same session');
  console.log('read key test passed');
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  await browser.close();
}
