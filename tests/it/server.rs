//! `jindu serve` as a real process on a loopback port: the printed address, the first build
//! from the corpus, generation switches under load, graceful shutdown, and the Python example.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::{root, temp_dir};

/// A running server, killed on drop.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `jindu serve --addr 127.0.0.1:0` with `args`, and waits for "listening on".
    pub fn start(args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_jindu"));
        command
            .arg("serve")
            .args(["--addr", "127.0.0.1:0"])
            .args(args)
            .current_dir(root())
            .env("JINDU_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("jindu serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("first line");
        let addr = line
            .trim()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_string();
        Server { child, addr }
    }

    /// Waits until `/readyz` answers 200.
    pub fn wait_ready(&self, within: Duration) -> String {
        let started = Instant::now();
        loop {
            if let Ok((200, body)) = http_get(&self.addr, "/readyz") {
                return body;
            }
            assert!(started.elapsed() < within, "not ready within {within:?}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// A plain HTTP/1.0 GET: the status and the body.
pub fn http_get(addr: &str, path: &str) -> std::io::Result<(u16, String)> {
    jindu::bench::http_request(addr, "GET", path, &[], "")
}

/// A plain HTTP/1.0 request with a body and headers: the status and the body.
pub use jindu::bench::http_request as http_send;

fn enc(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn write_corpus(dir: &Path, ids: &[(&str, &str)]) -> PathBuf {
    let file = dir.join("docs.jsonl");
    let lines: Vec<String> = ids
        .iter()
        .map(|(id, body)| {
            serde_json::json!({"id": id, "title": id, "body": body, "doc_type": "case"}).to_string()
        })
        .collect();
    std::fs::write(&file, lines.join("\n")).expect("write corpus");
    file
}

#[test]
fn serve_builds_a_missing_index_and_answers_on_the_printed_address() {
    let index = temp_dir("serve-first");
    let fixture = root().join("tests/fixtures/small.jsonl");
    let server = Server::start(&["--index", path(&index), "--corpus", path(&fixture)], &[]);
    let ready: serde_json::Value =
        serde_json::from_str(&server.wait_ready(Duration::from_secs(60))).expect("json");
    assert_eq!(ready["documents"], 8);
    let (status, body) =
        http_get(&server.addr, &format!("/api/search?q={}", enc("缅甸"))).expect("search");
    assert_eq!(status, 200, "{body}");
    let result: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(result["total"], 3);
    let (status, body) = http_get(&server.addr, "/nowhere").expect("404");
    assert_eq!(status, 404);
    assert!(body.contains("\"not_found\""));
}

#[test]
fn sigterm_shuts_down_gracefully() {
    let index = temp_dir("serve-term");
    let fixture = root().join("tests/fixtures/small.jsonl");
    let mut server = Server::start(&["--index", path(&index), "--corpus", path(&fixture)], &[]);
    server.wait_ready(Duration::from_secs(60));
    let pid = server.child.id().to_string();
    let sent = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let started = Instant::now();
    loop {
        if let Some(status) = server.child.try_wait().expect("wait") {
            assert_eq!(status.code(), Some(0), "clean exit after SIGTERM");
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "did not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_new_generation_is_picked_up_without_failing_a_request() {
    let dir = temp_dir("serve-switch");
    let index = dir.join("index");
    let first = write_corpus(
        &dir,
        &[
            ("old-1", "旧的文档，缅甸禁毒合作。"),
            ("old-2", "旧的文档，老挝替代种植。"),
        ],
    );
    let key = "switch-test-key-0123456789";
    let server = Server::start(
        &["--index", path(&index), "--corpus", path(&first)],
        &[("JINDU_RELOAD_INTERVAL_MS", "100"), ("JINDU_API_KEY", key)],
    );
    server.wait_ready(Duration::from_secs(60));
    // Writes go on throughout too.
    let written = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let write_failures = Arc::new(AtomicUsize::new(0));

    let stop = Arc::new(AtomicBool::new(false));
    let failures = Arc::new(AtomicUsize::new(0));
    let requests = Arc::new(AtomicUsize::new(0));
    let load = {
        let (stop, failures, requests, addr) = (
            Arc::clone(&stop),
            Arc::clone(&failures),
            Arc::clone(&requests),
            server.addr.clone(),
        );
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                match http_get(&addr, &format!("/api/search?q={}", enc("文档"))) {
                    Ok((200, body)) if body.contains("\"total\":") => {}
                    _ => {
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                }
                requests.fetch_add(1, Ordering::Relaxed);
            }
        })
    };

    let writer = {
        let (stop, written, write_failures, addr) = (
            Arc::clone(&stop),
            Arc::clone(&written),
            Arc::clone(&write_failures),
            server.addr.clone(),
        );
        std::thread::spawn(move || {
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                let id = format!("live-{i}");
                let body = serde_json::json!({"id": id, "title": id, "body": "写入的文档", "doc_type": "case"}).to_string();
                let auth = format!("Bearer {}", "switch-test-key-0123456789");
                match http_send(
                    &addr,
                    "POST",
                    "/api/documents",
                    &[
                        ("Authorization", &auth),
                        ("Content-Type", "application/json"),
                    ],
                    &body,
                ) {
                    Ok((200, _)) => written.lock().map(|mut w| w.push(id)).unwrap_or(()),
                    _ => {
                        write_failures.fetch_add(1, Ordering::Relaxed);
                    }
                }
                i += 1;
                std::thread::sleep(Duration::from_millis(10));
            }
        })
    };

    let second_dir = temp_dir("serve-switch-new");
    let second = write_corpus(
        &second_dir,
        &[
            ("new-1", "新的文档，泰国执法合作。"),
            ("new-2", "新的文档，越南情报交流。"),
            ("new-3", "新的文档。"),
        ],
    );
    let indexed = Command::new(env!("CARGO_BIN_EXE_jindu"))
        .args(["index", "--corpus", path(&second), "--index", path(&index)])
        .current_dir(root())
        .output()
        .expect("jindu index runs");
    assert!(
        indexed.status.success(),
        "{}",
        String::from_utf8_lossy(&indexed.stderr)
    );

    let started = Instant::now();
    loop {
        let (status, body) = http_get(&server.addr, "/api/documents/new-1").expect("get");
        if status == 200 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the new generation was not picked up: {body}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::Relaxed);
    load.join().expect("load thread");
    writer.join().expect("writer thread");
    assert!(requests.load(Ordering::Relaxed) > 10);
    assert_eq!(
        failures.load(Ordering::Relaxed),
        0,
        "no search failed during the switch"
    );
    assert_eq!(
        write_failures.load(Ordering::Relaxed),
        0,
        "no write failed during the switch"
    );
    let written = written.lock().map(|w| w.clone()).unwrap_or_default();
    assert!(!written.is_empty());
    for id in &written {
        let (status, _) = http_get(&server.addr, &format!("/api/documents/{id}")).expect("get");
        assert_eq!(
            status, 200,
            "{id} written during the switch is in the new generation"
        );
    }
    let (_, ready) = http_get(&server.addr, "/readyz").expect("readyz");
    let expected = format!("\"documents\":{}", 3 + written.len());
    assert!(ready.contains(&expected), "{ready}");
}

#[test]
fn the_python_example_runs_against_a_live_server() {
    let python = ["python3", "python"].into_iter().find(|p| {
        Command::new(p)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let Some(python) = python else {
        if std::env::var("JINDU_REQUIRE_SHARED").as_deref() == Ok("1") {
            panic!("python3 is required in CI for the example");
        }
        eprintln!("skipping: no python3");
        return;
    };
    let index = temp_dir("serve-python");
    let fixture = root().join("tests/fixtures/small.jsonl");
    let server = Server::start(&["--index", path(&index), "--corpus", path(&fixture)], &[]);
    server.wait_ready(Duration::from_secs(60));
    let out = Command::new(python)
        .arg(root().join("examples/search.py"))
        .args([
            "--url",
            &format!("http://{}", server.addr),
            "执法",
            "--country",
            "缅甸",
            "--year-from",
            "2010",
        ])
        .output()
        .expect("python runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert!(!lines.is_empty());
    for hit in &lines {
        assert!(
            hit["countries"]
                .as_array()
                .is_some_and(|c| c.contains(&serde_json::json!("缅甸"))),
            "{hit}"
        );
        assert!(hit["year"].as_i64().is_some_and(|y| y >= 2010), "{hit}");
    }
    assert!(String::from_utf8_lossy(&out.stderr).contains("total"));
}

#[test]
fn a_short_soak_has_no_errors() {
    let index = temp_dir("serve-soak");
    let fixture = root().join("tests/fixtures/small.jsonl");
    let key = "soak-test-key-0123456789";
    let server = Server::start(
        &["--index", path(&index), "--corpus", path(&fixture)],
        &[("JINDU_API_KEY", key)],
    );
    server.wait_ready(Duration::from_secs(60));
    let queries = temp_dir("serve-soak-queries").join("q.txt");
    std::fs::write(
        &queries,
        "缅甸\n替代种植\n控制下交付\n湄公河 执法\n中国和缅甸开展了哪些合作？\n",
    )
    .expect("queries");
    let out = Command::new(env!("CARGO_BIN_EXE_jindu"))
        .args([
            "bench",
            "soak",
            "--addr",
            &server.addr,
            "--seconds",
            "4",
            "--searchers",
            "4",
            "--writers",
            "2",
        ])
        .args([
            "--key",
            key,
            "--pid",
            &server.child.id().to_string(),
            "--queries",
            path(&queries),
        ])
        .current_dir(root())
        .output()
        .expect("soak runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let report = &report["report"];
    assert_eq!(report["errors"], 0, "{report}");
    assert!(report["searches"].as_u64().unwrap_or(0) > 20, "{report}");
    assert!(report["writes"].as_u64().unwrap_or(0) > 5, "{report}");
    assert!(!report["rss_anon_mb"]
        .as_array()
        .map(Vec::is_empty)
        .unwrap_or(true));
}
