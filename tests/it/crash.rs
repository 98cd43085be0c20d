//! Crash safety: the server and the indexer are killed (SIGKILL) at pseudo-random moments, many
//! times; each time the index reopens with every acknowledged document (a write that was sent
//! but never answered may or may not be there), and never half-built.
//! `JINDU_CRASH_TRIALS=N` runs more trials (default 5 each).

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jindu::index::IndexHandle;

use crate::common::{build, root, temp_dir};
use crate::server::{http_get, http_send, Server};

const KEY: &str = "crash-test-key-0123456789";

fn trials() -> usize {
    std::env::var("JINDU_CRASH_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
}

/// A small deterministic generator for kill moments.
fn pseudo_random(seed: u64) -> u64 {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    x ^= x >> 33;
    x
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8")
}

#[test]
fn killed_servers_keep_every_acknowledged_write() {
    let index = build("crash-server", &[root().join("tests/fixtures/small.jsonl")]);
    let mut acknowledged_total: Vec<String> = Vec::new();
    for trial in 0..trials() {
        let server = Server::start(&["--index", path(&index)], &[("JINDU_API_KEY", KEY)]);
        server.wait_ready(Duration::from_secs(60));
        let acked = Arc::new(Mutex::new(Vec::<String>::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let writer = {
            let (acked, stop, addr) = (Arc::clone(&acked), Arc::clone(&stop), server.addr.clone());
            std::thread::spawn(move || {
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    let ids: Vec<String> = (0..1 + i % 3)
                        .map(|k| format!("t{trial}-{i}-{k}"))
                        .collect();
                    let docs: Vec<serde_json::Value> = ids
                        .iter()
                        .map(|id| serde_json::json!({"id": id, "title": id, "body": format!("崩溃测试文档 {id}"), "doc_type": "case"}))
                        .collect();
                    let body = serde_json::Value::Array(docs).to_string();
                    match http_send(
                        &addr,
                        "POST",
                        "/api/documents",
                        &[
                            ("Authorization", &format!("Bearer {KEY}")),
                            ("Content-Type", "application/json"),
                        ],
                        &body,
                    ) {
                        Ok((200, _)) => acked.lock().map(|mut a| a.extend(ids)).unwrap_or(()),
                        _ => break,
                    }
                    i += 1;
                }
            })
        };
        let wait = 150 + pseudo_random(trial as u64 + 1) % 600;
        std::thread::sleep(Duration::from_millis(wait));
        drop(server); // SIGKILL
        stop.store(true, Ordering::Relaxed);
        writer.join().expect("writer");
        let acked: Vec<String> = acked.lock().map(|a| a.clone()).unwrap_or_default();
        acknowledged_total.extend(acked);

        let server = Server::start(&["--index", path(&index)], &[("JINDU_API_KEY", KEY)]);
        server.wait_ready(Duration::from_secs(60));
        for id in &acknowledged_total {
            let (status, body) =
                http_get(&server.addr, &format!("/api/documents/{id}")).expect("get");
            assert_eq!(
                status, 200,
                "trial {trial}: acknowledged {id} is missing: {body}"
            );
        }
    }
    assert!(
        acknowledged_total.len() > 5 * trials(),
        "the trials wrote something: {}",
        acknowledged_total.len()
    );
    eprintln!(
        "crash trials: {} server kills, {} acknowledged documents all present",
        trials(),
        acknowledged_total.len()
    );
}

#[test]
fn killed_indexers_leave_the_previous_index_usable() {
    let dir = temp_dir("crash-indexer");
    let corpus = dir.join("corpus.jsonl");
    let mut lines = String::new();
    for i in 0..3000 {
        lines.push_str(&serde_json::json!({
            "id": format!("c{i}"), "title": format!("案例{i}"),
            "body": format!("第{i}号案例：缅甸警方与中国警方开展联合侦查，查获甲基苯丙胺。老挝、泰国协助递解犯罪嫌疑人。"),
            "doc_type": "case"
        }).to_string());
        lines.push('\n');
    }
    std::fs::write(&corpus, lines).expect("corpus");
    // How long a whole build takes here, so that kills land before, during and after publishing.
    let timing = temp_dir("crash-indexer-timing");
    let started = std::time::Instant::now();
    let timed = Command::new(env!("CARGO_BIN_EXE_jindu"))
        .args(["index", "--corpus", path(&corpus), "--index", path(&timing)])
        .current_dir(root())
        .output()
        .expect("indexer");
    assert!(timed.status.success());
    let full = started.elapsed().as_millis() as u64;
    let index = build(
        "crash-indexer-index",
        &[root().join("tests/fixtures/small.jsonl")],
    );
    let mut counts = Vec::new();
    for trial in 0..trials() {
        let mut child = Command::new(env!("CARGO_BIN_EXE_jindu"))
            .args(["index", "--corpus", path(&corpus), "--index", path(&index)])
            .current_dir(root())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("indexer");
        let wait = pseudo_random(trial as u64 + 100) % (full + full / 5 + 1);
        std::thread::sleep(Duration::from_millis(wait));
        let _ = child.kill();
        let _ = child.wait();
        let handle = IndexHandle::open(&index).expect("the index still opens after a killed build");
        let docs = handle.num_docs();
        assert!(
            docs == 8 || docs == 3000,
            "trial {trial}: a half-built index with {docs} documents"
        );
        counts.push(docs);
    }
    let finished = Command::new(env!("CARGO_BIN_EXE_jindu"))
        .args(["index", "--corpus", path(&corpus), "--index", path(&index)])
        .current_dir(root())
        .output()
        .expect("indexer");
    assert!(
        finished.status.success(),
        "{}",
        String::from_utf8_lossy(&finished.stderr)
    );
    assert_eq!(IndexHandle::open(&index).expect("opens").num_docs(), 3000);
    let leftovers: Vec<_> = std::fs::read_dir(&index)
        .expect("index dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|name| name.starts_with(".building-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "stale builds are cleaned up: {leftovers:?}"
    );
    eprintln!("indexer kills: {counts:?} documents after each");
}

#[test]
fn an_unwritable_index_location_is_a_clear_error() {
    let dir = temp_dir("crash-unwritable");
    let file = dir.join("a-file");
    std::fs::write(&file, "not a folder").expect("write");
    let under = file.join("index");
    let out = Command::new(env!("CARGO_BIN_EXE_jindu"))
        .args([
            "index",
            "--corpus",
            path(&root().join("tests/fixtures/small.jsonl")),
            "--index",
            path(&under),
        ])
        .current_dir(root())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("a-file"), "names the path: {stderr}");
    assert!(stderr.contains("unchanged"), "{stderr}");
}
