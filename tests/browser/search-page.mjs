// End-to-end test of jindu's search page in headless Chromium (issue 5), run by
// tests/it/browser.rs against a live `jindu serve` over the bundled corpus plus
// tests/fixtures/hostile.jsonl:
//
//   node tests/browser/search-page.mjs http://127.0.0.1:PORT
//
// It uses the page as a person would (keyboard, clicks, back button) and checks what it shows
// against the API's own answer for the same parameters. Screenshots go to $JINDU_SCREENSHOT_DIR
// (default ./screenshots). Exits non-zero on the first failed check.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const base = (process.argv[2] || '').replace(/\/$/, '');
if (!base) {
  console.error('usage: node search-page.mjs BASE_URL');
  process.exit(2);
}
const shots = process.env.JINDU_SCREENSHOT_DIR || join(process.cwd(), 'screenshots');
mkdirSync(shots, { recursive: true });
const executablePath = process.env.JINDU_CHROMIUM || '/usr/bin/chromium';

const PAGE_SIZE = 10;
const QUERY = '合作'; // many hits in the bundled corpus: more than one page with the country
const COUNTRY = '缅甸';
const FACET_KEYS = ['country', 'coop_type', 'organization', 'drug_type', 'doc_type'];
const FACET_VISIBLE = 8;
const isSearch = (url) => url.pathname === '/api/search';

// Never hang CI: the Rust side also kills us, but say why first.
setTimeout(() => {
  console.error('browser test: timed out');
  process.exit(1);
}, 200_000).unref();

let step = 'start';
const log = (message) => console.log(`  ok: ${message}`);

// ---------------------------------------------------------------- the API, asked directly

function params(state) {
  const p = new URLSearchParams();
  for (const [key, value] of Object.entries(state)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v !== undefined && v !== null && v !== '') p.append(key, String(v));
    }
  }
  return p;
}

async function api(path, state = {}) {
  const query = params(state).toString();
  const response = await fetch(`${base}${path}${query ? `?${query}` : ''}`);
  assert.equal(response.status, 200, `${path}?${query} answered ${response.status}`);
  return response.json();
}

function apiSearch(state, page = 1) {
  return api('/api/search', { ...state, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
}

// ---------------------------------------------------------------- reading the page

async function settled(page) {
  await page.waitForFunction(() => {
    const results = document.getElementById('results');
    const doc = document.getElementById('doc-view');
    return !results.hasAttribute('aria-busy') && !doc.hasAttribute('aria-busy');
  });
}

/** Runs `action` and waits for the search answer it causes to be shown. */
async function searchAfter(page, action) {
  const answered = page.waitForResponse((r) => r.url().includes('/api/search'));
  await action();
  await answered;
  await settled(page);
}

async function shown(page) {
  return page.evaluate(() => {
    const summary = document.getElementById('summary');
    const facets = {};
    for (const group of document.querySelectorAll('#facet-groups fieldset[data-facet]')) {
      facets[group.dataset.facet] = [...group.querySelectorAll('li[data-value]')].map((li) => ({
        value: li.dataset.value,
        count: Number(li.dataset.count),
        checked: li.querySelector('input').checked,
        text: li.querySelector('.facet-count').firstChild.textContent,
      }));
    }
    return {
      total: summary.dataset.total === undefined ? null : Number(summary.dataset.total),
      summary: summary.textContent,
      ids: [...document.querySelectorAll('#hits li.hit')].map((li) => li.dataset.id),
      facets,
      years: [...document.querySelectorAll('.year-chart .bar')].map((b) => ({
        year: Number(b.dataset.year),
        count: Number(b.dataset.count),
      })),
      notice: document.getElementById('notice').hidden ? null : document.getElementById('notice').dataset.kind,
      url: location.pathname + location.search,
    };
  });
}

/** The page shows exactly what the API answers for `state` (hits, total, every facet count). */
async function assertMatchesApi(page, state, pageNumber = 1) {
  const expected = await apiSearch(state, pageNumber);
  const actual = await shown(page);
  assert.equal(actual.total, expected.total, `${step}: total`);
  assert.ok(actual.summary.includes(String(expected.total)), `${step}: summary ${actual.summary}`);
  assert.deepEqual(actual.ids, expected.hits.map((h) => h.id), `${step}: hits in order`);
  for (const key of FACET_KEYS) {
    const listed = expected.facets[key] || [];
    const selected = [].concat(state[key] || []);
    if (listed.length === 0 && selected.length === 0 && (key === 'organization' || key === 'drug_type')) {
      assert.equal(actual.facets[key], undefined, `${step}: ${key} is hidden when the API lists none`);
      continue;
    }
    const rows = actual.facets[key];
    assert.ok(rows, `${step}: facet ${key} is shown`);
    for (const row of rows) {
      const entry = listed.find((f) => String(f.value) === row.value);
      assert.equal(row.count, entry ? entry.count : 0, `${step}: ${key}=${row.value} count`);
      assert.equal(row.text, String(row.count), `${step}: ${key}=${row.value} count text`);
      assert.equal(row.checked, selected.includes(row.value), `${step}: ${key}=${row.value} ticked`);
    }
    const firstListed = listed.slice(0, FACET_VISIBLE).map((f) => String(f.value));
    for (const value of [...firstListed, ...selected]) {
      assert.ok(rows.some((r) => r.value === value), `${step}: ${key}=${value} is shown`);
    }
  }
  const years = new Map((expected.facets.year || []).filter((y) => y.count > 0).map((y) => [y.value, y.count]));
  const bars = actual.years.filter((b) => b.count > 0);
  assert.equal(bars.length, years.size, `${step}: one bar per year with documents`);
  for (const bar of bars) assert.equal(bar.count, years.get(bar.year), `${step}: year ${bar.year}`);
  log(`${step}: ${expected.total} hits and every facet count match the API`);
  return expected;
}

function urlParams(page) {
  return new URL(page.url()).searchParams;
}

// ---------------------------------------------------------------- the run

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const pageErrors = [];
const outside = [];
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const origin = new URL(base).origin;
  // The page fetches nothing but this server.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`)) return route.continue();
    outside.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) pageErrors.push(msg.text());
  });
  page.on('dialog', (dialog) => {
    pageErrors.push(`a dialog opened: ${dialog.message()}`);
    dialog.dismiss();
  });

  // ---- empty state: examples, and the facets of the whole index
  step = 'empty state';
  await page.goto(`${base}/`);
  await settled(page);
  let now = await shown(page);
  assert.equal(now.notice, 'welcome');
  assert.ok((await page.locator('#notice .examples a').count()) >= 3, 'example searches');
  const allFacets = await api('/api/facets');
  const docs = allFacets.doc_type.reduce((sum, f) => sum + f.count, 0);
  assert.equal(now.total, docs);
  for (const row of now.facets.country) {
    assert.equal(row.count, allFacets.country.find((f) => f.value === row.value).count, `country ${row.value}`);
  }
  log(`${step}: examples and the index's facets (${docs} documents)`);

  // ---- keyboard: "/" focuses the box; type a Chinese query and press Enter
  step = 'query';
  await page.locator('body').press('/');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'q', '"/" focuses the search box');
  await searchAfter(page, async () => {
    await page.keyboard.type(QUERY);
    await page.keyboard.press('Enter');
  });
  assert.equal(urlParams(page).get('q'), QUERY);
  await assertMatchesApi(page, { q: QUERY });

  // ---- tick a country with the keyboard; counts stay disjunctive
  step = 'country';
  const box = page.locator(`fieldset[data-facet="country"] input[value="${COUNTRY}"]`);
  await box.focus();
  await searchAfter(page, () => page.keyboard.press('Space'));
  assert.deepEqual(urlParams(page).getAll('country'), [COUNTRY]);
  assert.equal(await page.evaluate(() => document.activeElement.value), COUNTRY, 'focus stays on the checkbox');
  const filtered = await assertMatchesApi(page, { q: QUERY, country: COUNTRY });
  const myanmar = filtered.facets.country.find((f) => f.value === COUNTRY);
  assert.equal(myanmar.count, filtered.total, 'the ticked value counts the total');
  assert.ok(filtered.facets.country.length > 1, 'other countries keep their counts');
  assert.ok(filtered.total > PAGE_SIZE, `"${QUERY}" in ${COUNTRY} has more than one page (${filtered.total})`);

  // ---- a second page
  step = 'page 2';
  await searchAfter(page, () => page.locator('#pager a.pager-next').click());
  assert.equal(urlParams(page).get('page'), '2');
  const second = await assertMatchesApi(page, { q: QUERY, country: COUNTRY }, 2);
  assert.equal(await page.evaluate(() => document.getElementById('hits').start), PAGE_SIZE + 1);

  // ---- open a document: highlights are the API's ranges, in code points
  step = 'document';
  const firstId = second.hits[0].id;
  const opened = page.waitForResponse((r) => r.url().includes('/api/documents/'));
  await page.locator('#hits li.hit').first().locator('.hit-title a').click();
  await opened;
  await settled(page);
  await page.locator('#doc-content').waitFor({ state: 'visible' });
  assert.equal(urlParams(page).get('doc'), firstId);
  await assertDocument(page, firstId, QUERY);
  await page.screenshot({ path: join(shots, 'document.png'), fullPage: true });

  // ---- back to page 2, then to page 1 with the country still ticked
  step = 'back';
  await searchAfter(page, () => page.goBack());
  assert.equal(urlParams(page).get('doc'), null);
  assert.equal(urlParams(page).get('page'), '2');
  await assertMatchesApi(page, { q: QUERY, country: COUNTRY }, 2);
  await searchAfter(page, () => page.goBack());
  assert.equal(urlParams(page).get('page'), null);
  await assertMatchesApi(page, { q: QUERY, country: COUNTRY });
  step = 'forward';
  await searchAfter(page, () => page.goForward());
  await assertMatchesApi(page, { q: QUERY, country: COUNTRY }, 2);

  // ---- the document view's back link and Escape
  step = 'escape';
  await page.locator('#hits li.hit').first().locator('.hit-title a').click();
  await page.locator('#doc-content').waitFor({ state: 'visible' });
  await searchAfter(page, () => page.keyboard.press('Escape'));
  assert.equal(urlParams(page).get('doc'), null, 'Escape leaves the document');
  assert.equal(urlParams(page).get('page'), '2');
  log(`${step}: Escape returns to the results`);

  // ---- sort by year
  step = 'sort';
  await searchAfter(page, () => page.locator('#sort').selectOption('year_desc'));
  assert.equal(urlParams(page).get('sort'), 'year_desc');
  assert.equal(urlParams(page).get('page'), null, 'sorting goes back to page 1');
  await assertMatchesApi(page, { q: QUERY, country: COUNTRY, sort: 'year_desc' });

  // ---- a bar of the year chart selects its year
  step = 'year bar';
  const bar = page.locator('.year-chart .bar:not([disabled])').first();
  const year = await bar.getAttribute('data-year');
  await searchAfter(page, () => bar.click());
  assert.equal(urlParams(page).get('year_from'), year);
  assert.equal(urlParams(page).get('year_to'), year);
  await assertMatchesApi(page, { q: QUERY, country: COUNTRY, sort: 'year_desc', year_from: year, year_to: year });
  assert.equal(await page.locator(`.year-chart .bar[data-year="${year}"]`).getAttribute('aria-pressed'), 'true');

  // ---- year range typed in (from > to is swapped)
  step = 'year range';
  await page.locator('#year-from').fill('2015');
  await page.locator('#year-to').fill('2005');
  await searchAfter(page, () => page.locator('#year-to').press('Enter'));
  assert.equal(urlParams(page).get('year_from'), '2005');
  assert.equal(urlParams(page).get('year_to'), '2015');
  await assertMatchesApi(page, { q: QUERY, country: COUNTRY, sort: 'year_desc', year_from: 2005, year_to: 2015 });

  // ---- clear all keeps the query and the sort
  step = 'clear all';
  await searchAfter(page, () => page.locator('#clear-all').click());
  assert.equal(page.url(), `${base}/?${params({ q: QUERY, sort: 'year_desc' })}`);
  await assertMatchesApi(page, { q: QUERY, sort: 'year_desc' });
  assert.ok(await page.locator('#clear-all').isHidden());

  // ---- a shared address opens that search
  step = 'shared URL';
  await page.goto(`${base}/?q=${encodeURIComponent('湄公河')}&country=${encodeURIComponent(COUNTRY)}`);
  await settled(page);
  assert.equal(await page.locator('#q').inputValue(), '湄公河');
  const mekong = await assertMatchesApi(page, { q: '湄公河', country: COUNTRY });
  assert.ok(mekong.hits.some((h) => h.id === 'case-mekong-10-5'), 'the 湄公河 case is found');
  assert.ok((await page.locator('#hits mark').count()) > 0, 'highlights in the results are <mark>');
  await page.screenshot({ path: join(shots, 'search.png'), fullPage: true });

  // ---- a narrow screen: one column, the sidebar behind a button
  step = 'narrow';
  await page.setViewportSize({ width: 390, height: 844 });
  assert.ok(await page.locator('#facets').isHidden(), 'the sidebar folds away');
  await page.locator('#facets-toggle').click();
  assert.ok(await page.locator('#facets').isVisible(), 'the toggle shows the sidebar');
  assert.equal(await page.locator('#facets-toggle').getAttribute('aria-expanded'), 'true');
  await page.locator('#facets-toggle').click();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling (${overflow}px too wide)`);
  await page.screenshot({ path: join(shots, 'search-narrow.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  log(`${step}: readable at 390px`);

  // ---- no results: suggest removing the filters
  step = 'no results';
  await page.goto(`${base}/?q=zzqxvw&country=${encodeURIComponent(COUNTRY)}&doc_type=case`);
  await settled(page);
  now = await shown(page);
  assert.equal(now.total, 0);
  assert.equal(now.notice, 'empty');
  const remove = page.locator('#notice .chips a', { hasText: `国家/地区：${COUNTRY}` });
  assert.equal(await remove.count(), 1, 'a link removes the country');
  await searchAfter(page, () => remove.click());
  assert.deepEqual(urlParams(page).getAll('country'), []);
  assert.deepEqual(urlParams(page).getAll('doc_type'), ['case']);
  log(`${step}: suggests removing filters`);

  // ---- no results, with the API's suggestions: each link finds what it promises
  step = 'suggestions';
  await page.goto(`${base}/?q=${encodeURIComponent('乌多姆赛')}&country=${encodeURIComponent('俄罗斯')}`);
  await settled(page);
  const apiEmpty = await api('/api/search', { q: '乌多姆赛', country: '俄罗斯' });
  assert.equal(apiEmpty.total, 0);
  assert.ok(apiEmpty.suggestions.length > 0, 'the API suggests something');
  const first = apiEmpty.suggestions[0];
  const suggestion = page.locator('#notice .suggestions a', { hasText: first.message });
  assert.equal(await suggestion.count(), 1, 'the suggestion is a link');
  await searchAfter(page, () => suggestion.click());
  assert.equal((await shown(page)).total, first.total, 'it finds what it said');
  log(`${step}: "${first.message}"`);

  // ---- a question: the dropped question words are shown
  step = 'dropped words';
  const question = '中国和缅甸在禁毒执法方面开展了哪些合作？';
  await page.goto(`${base}/?q=${encodeURIComponent(question)}`);
  await settled(page);
  const asked = await assertMatchesApi(page, { q: question });
  for (const word of asked.dropped_words || []) {
    assert.ok((await page.locator('#notice').textContent()).includes(word), `dropped word ${word} shown`);
  }

  // ---- hostile documents are text
  step = 'hostile titles';
  const hostileQuery = '简报 OR 备忘录';
  await page.goto(`${base}/?q=${encodeURIComponent(hostileQuery)}`);
  await settled(page);
  const hostile = await assertMatchesApi(page, { q: hostileQuery });
  const hostileIds = hostile.hits.map((h) => h.id);
  assert.ok(hostileIds.includes('xss-script') && hostileIds.includes('xss-img'), `both hostile documents: ${hostileIds}`);
  const resultsText = await page.locator('#hits').innerText();
  assert.ok(resultsText.includes('<script>window.__xss=1</script>'), 'the <script> title is visible text');
  assert.ok(resultsText.includes('<img src=x onerror=window.__xss=5>'), 'the <img> title is visible text');
  assert.equal(await page.locator('#results script, #results img, #results svg, #results b').count(), 0);
  assert.ok((await page.locator('#facets').innerText()).includes('<i>老挝</i>'), 'facet values are text');
  assert.equal(await page.locator('#facets i').count(), 0);
  const xssDoc = page.waitForResponse((r) => r.url().includes('/api/documents/'));
  await page.locator('#hits li[data-id="xss-script"] .hit-title a').click();
  await xssDoc;
  await page.locator('#doc-content').waitFor({ state: 'visible' });
  await settled(page);
  await assertDocument(page, 'xss-script', hostileQuery);
  const docText = await page.locator('#doc-view').innerText();
  for (const literal of ['<script>window.__xss=1</script>', '<img src=x onerror="window.__xss=2">', '<a href="javascript:window.__xss=3">来源</a>', 'javascript:window.__xss=4']) {
    assert.ok(docText.includes(literal), `${literal} is visible text`);
  }
  assert.equal(await page.locator('#doc-view script, #doc-view img, #doc-view b, #doc-view i').count(), 0);
  assert.equal(await page.locator('a[href^="javascript:"]').count(), 0, 'no javascript: link');
  // The body starts with two surrogate pairs (🚢🚢): marks at the API's code-point ranges (checked
  // above) land on the words, not one character off.
  assert.equal(await page.locator('#doc-body mark').first().textContent(), '简报');
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => typeof window.__xss), 'undefined', 'no injected script ran');
  log(`${step}: shown as text, nothing ran`);

  // ---- a server error says so, and the page keeps working
  step = 'server error';
  await page.goto(`${base}/?q=${encodeURIComponent('湄公河')}`);
  await settled(page);
  await page.route(isSearch, (route) =>
    route.fulfill({ status: 500, contentType: 'application/json', body: '{"code":"internal","message":"boom"}' }),
  );
  await searchAfter(page, async () => {
    await page.locator('#q').fill('替代种植');
    await page.locator('#q').press('Enter');
  });
  now = await shown(page);
  assert.equal(now.notice, 'error');
  assert.ok((await page.locator('#notice').innerText()).includes('服务器出错'));
  assert.equal(now.ids.length, 0);
  await page.unroute(isSearch);
  await page.route(isSearch, (route) => route.abort('connectionrefused'));
  await page.locator('#notice button').click();
  await page.locator('#notice', { hasText: '无法连接到服务器' }).waitFor();
  await page.unroute(isSearch);
  await searchAfter(page, () => page.locator('#notice button').click());
  await assertMatchesApi(page, { q: '替代种植' });
  log(`${step}: shown, and a retry works`);

  // ---- a slow answer shows the loading indicator
  step = 'slow answer';
  await page.route(isSearch, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await route.continue();
  });
  const slow = page.waitForResponse((r) => r.url().includes('/api/search'));
  await page.locator('#q').fill('联合国毒罪办');
  await page.locator('#q').press('Enter');
  await page.locator('#loading').waitFor({ state: 'visible', timeout: 1000 });
  assert.equal(await page.locator('#results').getAttribute('aria-busy'), 'true');
  await slow;
  await settled(page);
  assert.ok(await page.locator('#loading').isHidden());
  await page.unroute(isSearch);
  await assertMatchesApi(page, { q: '联合国毒罪办' });
  log(`${step}: a loading indicator while waiting`);

  // ---- a missing document
  step = 'missing document';
  await page.goto(`${base}/?doc=no-such-document`);
  await page.locator('#doc-notice', { hasText: '找不到这篇文档' }).waitFor();
  log(`${step}: says so`);

  assert.deepEqual(outside, [], 'nothing was fetched from outside the server');
  assert.deepEqual(pageErrors, [], 'no script errors');
  console.log('browser test passed');
} catch (err) {
  console.error(`browser test failed at step "${step}":`);
  console.error(err);
  if (pageErrors.length) console.error('page errors:', pageErrors);
  process.exitCode = 1;
} finally {
  await browser.close();
}

/** The open document shows the API's document: title, metadata links, and <mark>s at its ranges. */
async function assertDocument(page, id, q) {
  const doc = await api(`/api/documents/${encodeURIComponent(id)}`, { q });
  const chars = Array.from(doc.body);
  const expectedMarks = (doc.body_highlights || []).map((r) => chars.slice(r.start, r.end).join(''));
  const actualMarks = await page.locator('#doc-body mark').allTextContents();
  assert.deepEqual(actualMarks, expectedMarks, `${step}: body marks are the API's ranges`);
  assert.ok(actualMarks.length > 0, `${step}: the query is highlighted`);
  assert.equal(await page.locator('#doc-body').textContent(), doc.body, `${step}: the whole body`);
  assert.equal(await page.locator('#doc-title').textContent(), doc.title);
  const titleChars = Array.from(doc.title);
  assert.deepEqual(
    await page.locator('#doc-title mark').allTextContents(),
    (doc.title_highlights || []).map((r) => titleChars.slice(r.start, r.end).join('')),
  );
  const countries = [...new Set([...(doc.countries || []), ...((doc.derived && doc.derived.countries) || [])])];
  const links = await page.locator('#doc-meta a[href*="country="]').allTextContents();
  assert.deepEqual(links, countries, `${step}: a link per country`);
  assert.ok((await page.locator('#doc-meta a[href*="doc_type="]').count()) === 1, `${step}: a doc type link`);
  const similar = await api(`/api/documents/${encodeURIComponent(id)}/similar`, { limit: 5 });
  if (similar.hits.length > 0) {
    await page.locator('#doc-similar:not([hidden]) li a').first().waitFor();
    assert.deepEqual(
      await page.locator('#doc-similar li a').allTextContents(),
      similar.hits.map((hit) => hit.title),
      `${step}: the similar documents`,
    );
  }
  log(`${step}: ${id} with ${actualMarks.length} marks and ${similar.hits.length} similar documents`);
}
