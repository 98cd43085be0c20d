//! `jindu bench` pieces on a tiny corpus: each prints one JSON object with its figures.

use std::process::Command;

use serde_json::Value;

use crate::common::{root, temp_dir};

fn bench(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_jindu"))
        .arg("bench")
        .args(args)
        .current_dir(root())
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

#[test]
fn the_benchmark_pieces_run_end_to_end_on_a_small_corpus() {
    let dir = temp_dir("bench");
    let news = dir.join("news.jsonl");
    let mut lines = String::new();
    for i in 0..60 {
        lines.push_str(
            &serde_json::json!({
                "id": format!("n{i}"),
                "date": "2023-08-01",
                "text": format!("第{i}条新闻。缅甸警方与中国警方联合开展禁毒执法合作，查获冰毒{i}公斤，抓获嫌疑人。替代种植项目在老挝北部推进，农业发展带动当地就业。"),
            })
            .to_string(),
        );
        lines.push('\n');
    }
    std::fs::write(&news, lines).expect("write");
    let out = dir.join("out");
    let p = |path: &std::path::Path| path.to_str().expect("utf-8").to_string();

    let prepared = bench(&[
        "prepare",
        "--news",
        &p(&news),
        "--out",
        &p(&out),
        "--queries",
        "20",
    ]);
    assert_eq!(prepared["documents"], 60);
    assert_eq!(prepared["queries"], 20);
    let queries = std::fs::read_to_string(out.join("queries.txt")).expect("queries");
    assert_eq!(queries.lines().count(), 20);
    let peer_line: Value = serde_json::from_str(
        std::fs::read_to_string(out.join("news-peers.jsonl"))
            .expect("peers")
            .lines()
            .next()
            .unwrap_or("{}"),
    )
    .expect("json");
    for key in [
        "id",
        "title",
        "body",
        "doc_type",
        "countries",
        "coop_types",
        "year",
    ] {
        assert!(peer_line.get(key).is_some(), "peer documents carry {key}");
    }

    let floor = bench(&["floor", "--input", &p(&out.join("news-jindu.jsonl"))]);
    assert!(floor["jieba_mb_per_s"].as_f64().unwrap_or(0.0) > 0.0);
    assert!(floor["tokens"].as_u64().unwrap_or(0) > 0);

    let index = out.join("index");
    let indexed = bench(&[
        "index",
        "--input",
        &p(&out.join("news-jindu.jsonl")),
        "--index",
        &p(&index),
    ]);
    assert_eq!(indexed["documents"], 60);
    assert!(indexed["index_mb"].as_f64().unwrap_or(0.0) > 0.0);
    assert!(indexed["peak_rss_mb"].as_f64().unwrap_or(0.0) > 0.0);

    let million = bench(&[
        "million",
        "--docs",
        "150",
        "--news",
        &p(&news),
        "--out",
        &p(&out.join("m.jsonl")),
    ]);
    assert_eq!(million["documents"], 150);
    let ids: Vec<String> = std::fs::read_to_string(out.join("m.jsonl"))
        .expect("m")
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|v| v["id"].as_str().map(str::to_string))
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 150, "repeated texts get new ids");

    let searched = bench(&[
        "search",
        "--index",
        &p(&index),
        "--queries",
        &p(&out.join("queries.txt")),
    ]);
    let modes: Vec<&str> = searched["latency"]
        .as_array()
        .expect("latency")
        .iter()
        .filter_map(|l| l["mode"].as_str())
        .collect();
    assert_eq!(modes, vec!["plain", "filter", "facets"]);
    for latency in searched["latency"].as_array().expect("latency") {
        assert_eq!(latency["queries"], 20);
        assert!(
            latency["p99_ms"].as_f64().unwrap_or(-1.0) >= latency["p50_ms"].as_f64().unwrap_or(0.0)
        );
    }
}
