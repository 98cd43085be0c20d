//! The search page in a real browser (issue 5): starts `jindu serve` on a loopback port over the
//! bundled corpus plus `tests/fixtures/hostile.jsonl` (titles with `<script>` and `<img onerror>`),
//! then runs `node tests/browser/search-page.mjs <base-url>`, which drives headless Chromium with
//! playwright-core and checks the page against the API's own answers.
//!
//! Needs node, `tests/browser/node_modules/playwright-core` (`npm ci` there) and Chromium
//! (`/usr/bin/chromium`, or `JINDU_CHROMIUM`). Without them the test says it skips, unless
//! `JINDU_REQUIRE_BROWSER=1` (as in CI), where it fails.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{root, temp_dir};
use crate::server::Server;

/// How long the whole browser script may take before it is killed.
const SCRIPT_DEADLINE: Duration = Duration::from_secs(240);

fn chromium() -> PathBuf {
    std::env::var_os("JINDU_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// What is missing to run the browser test, if anything.
fn missing_tools() -> Vec<String> {
    let mut missing = Vec::new();
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !node {
        missing.push("node".to_string());
    }
    if !root()
        .join("tests/browser/node_modules/playwright-core")
        .is_dir()
    {
        missing.push(
            "tests/browser/node_modules/playwright-core (run `npm ci` in tests/browser)".into(),
        );
    }
    if !chromium().is_file() {
        missing.push(format!(
            "{} (apt-get install chromium)",
            chromium().display()
        ));
    }
    missing
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// `target/` (the parent of cargo's test temp dir), where the screenshots go.
fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| root().join("target"))
}

#[test]
fn the_search_page_works_in_headless_chromium() {
    let missing = missing_tools();
    if !missing.is_empty() {
        if std::env::var("JINDU_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!(
                "JINDU_REQUIRE_BROWSER=1 but missing: {}",
                missing.join(", ")
            );
        }
        eprintln!(
            "skipping the browser test: missing {} (set JINDU_REQUIRE_BROWSER=1 to require it)",
            missing.join(", ")
        );
        return;
    }

    let index = temp_dir("browser");
    let corpus = root().join("corpus");
    let hostile = root().join("tests/fixtures/hostile.jsonl");
    let server = Server::start(
        &[
            "--index",
            path(&index),
            "--corpus",
            path(&corpus),
            "--corpus",
            path(&hostile),
        ],
        &[],
    );
    server.wait_ready(Duration::from_secs(60));

    let shots = target_dir().join("browser");
    std::fs::create_dir_all(&shots).expect("screenshot folder");
    let mut child = Command::new("node")
        .arg(root().join("tests/browser/search-page.mjs"))
        .arg(format!("http://{}", server.addr))
        .current_dir(root().join("tests/browser"))
        .env("JINDU_SCREENSHOT_DIR", &shots)
        .env("JINDU_CHROMIUM", chromium())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node starts");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for node") {
            break Some(status);
        }
        if started.elapsed() > SCRIPT_DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let out = out_reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    print!("{out}");
    eprint!("{err}");
    let status = status.unwrap_or_else(|| {
        panic!("the browser script did not finish within {SCRIPT_DEADLINE:?}\n{out}\n{err}")
    });
    assert!(
        status.success(),
        "the browser script failed ({status}):\n{out}\n{err}"
    );
    assert!(out.contains("browser test passed"), "{out}");
    assert!(shots.join("search.png").is_file());
}

#[test]
fn the_page_asks_for_a_read_key_once_per_session() {
    let missing = missing_tools();
    if !missing.is_empty() {
        if std::env::var("JINDU_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!(
                "JINDU_REQUIRE_BROWSER=1 but missing: {}",
                missing.join(", ")
            );
        }
        eprintln!(
            "skipping the read-key browser test: missing {}",
            missing.join(", ")
        );
        return;
    }
    let key = "page-read-key-0123456789";
    let index = temp_dir("browser-read-key");
    let server = Server::start(
        &[
            "--index",
            path(&index),
            "--corpus",
            path(&root().join("corpus")),
        ],
        &[("JINDU_READ_KEY", key)],
    );
    server.wait_ready(Duration::from_secs(60));
    let out = Command::new("node")
        .arg(root().join("tests/browser/read-key.mjs"))
        .arg(format!("http://{}", server.addr))
        .arg(key)
        .current_dir(root().join("tests/browser"))
        .env("JINDU_CHROMIUM", chromium())
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
