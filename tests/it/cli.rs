//! The `jindu` binary: index, search formats and exit codes, analyze.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{root, temp_dir};

fn jindu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jindu"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("jindu runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).to_string()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).to_string()
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn fixture_path() -> PathBuf {
    root().join("tests/fixtures/small.jsonl")
}

/// Indexes the small fixture into a fresh folder with the binary.
fn indexed(name: &str) -> PathBuf {
    let index = temp_dir(name);
    let out = jindu(&[
        "index",
        "--corpus",
        path(&fixture_path()),
        "--index",
        path(&index),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    index
}

#[test]
fn index_prints_a_summary() {
    let index = temp_dir("cli-index");
    let out = jindu(&[
        "index",
        "--corpus",
        path(&fixture_path()),
        "--index",
        path(&index),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("indexed 8 documents"), "{text}");
    assert!(text.contains("MB/s"), "{text}");
}

#[test]
fn a_broken_line_fails_the_build_and_keeps_the_previous_index() {
    let corpus = temp_dir("cli-broken-corpus");
    std::fs::copy(fixture_path(), corpus.join("good.jsonl")).expect("copy");
    let index = temp_dir("cli-broken-index");
    let ok = jindu(&["index", "--corpus", path(&corpus), "--index", path(&index)]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));

    std::fs::write(
        corpus.join("broken.jsonl"),
        "{\"id\": \"n1\", \"title\": \"新\", \"body\": \"新增正文\", \"doc_type\": \"case\"}\n{\"id\": \"n2\", \"title\": \n",
    )
    .expect("write");
    let failed = jindu(&["index", "--corpus", path(&corpus), "--index", path(&index)]);
    assert_eq!(failed.status.code(), Some(2));
    let message = stderr(&failed);
    assert!(
        message.contains("broken.jsonl:2: invalid JSON"),
        "{message}"
    );
    assert!(message.contains("nothing was indexed"), "{message}");

    let search = jindu(&[
        "search",
        "缅甸",
        "--index",
        path(&index),
        "--format",
        "json",
    ]);
    assert_eq!(search.status.code(), Some(0), "{}", stderr(&search));
    let result: serde_json::Value = serde_json::from_str(&stdout(&search)).expect("json");
    assert_eq!(result["total"], 3, "the previous generation still answers");
    let new_doc = jindu(&["search", "新增正文", "--index", path(&index)]);
    assert_eq!(
        new_doc.status.code(),
        Some(1),
        "nothing of the failed build is visible"
    );

    let skipped = jindu(&[
        "index",
        "--corpus",
        path(&corpus),
        "--index",
        path(&index),
        "--skip-invalid",
    ]);
    assert_eq!(skipped.status.code(), Some(0), "{}", stderr(&skipped));
    assert!(
        stderr(&skipped).contains("skipped: "),
        "{}",
        stderr(&skipped)
    );
    assert!(
        stdout(&skipped).contains("indexed 9 documents"),
        "{}",
        stdout(&skipped)
    );
    let found = jindu(&["search", "新增正文", "--index", path(&index)]);
    assert_eq!(found.status.code(), Some(0));
}

#[test]
fn json_output_is_the_result_object() {
    let index = indexed("cli-json");
    let out = jindu(&[
        "search",
        "缅甸",
        "--country",
        "缅甸",
        "--index",
        path(&index),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let result: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    for key in [
        "query", "total", "took_ms", "limit", "offset", "hits", "facets",
    ] {
        assert!(result.get(key).is_some(), "missing {key}");
    }
    let hits = result["hits"].as_array().expect("hits");
    assert_eq!(hits.len() as u64, result["total"].as_u64().unwrap_or(0));
    for hit in hits {
        for key in [
            "id",
            "title",
            "title_snippet",
            "doc_type",
            "year",
            "date",
            "countries",
            "coop_types",
            "source",
            "url",
            "score",
            "snippet",
            "snippet_text",
            "highlights",
        ] {
            assert!(hit.get(key).is_some(), "hit lacks {key}");
        }
        assert!(hit["countries"]
            .as_array()
            .is_some_and(|c| c.contains(&"缅甸".into())));
    }
    let country = result["facets"]["country"].as_array().expect("facet");
    let myanmar = country
        .iter()
        .find(|v| v["value"] == "缅甸")
        .expect("缅甸 count");
    assert_eq!(myanmar["count"], result["total"]);
}

#[test]
fn jsonl_and_csv_outputs() {
    let index = indexed("cli-formats");
    let out = jindu(&[
        "search",
        "合作",
        "--index",
        path(&index),
        "--format",
        "jsonl",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert!(!lines.is_empty());
    assert!(lines.iter().all(|l| l["id"].is_string()));

    let out = jindu(&[
        "search",
        "老挝",
        "--index",
        path(&index),
        "--format",
        "csv",
        "--sort",
        "year_asc",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let mut rows = text.lines();
    assert_eq!(
        rows.next(),
        Some("id,title,doc_type,year,date,countries,organizations,coop_types,drug_types,score,snippet_text,source,url")
    );
    let body: Vec<&str> = rows.collect();
    assert_eq!(body.len(), 3, "{text}");
    assert!(body[0].starts_with("d3,"), "oldest first: {}", body[0]);
    assert!(
        body[0].contains("缅甸;老挝;泰国"),
        "lists joined with ';': {}",
        body[0]
    );

    let out = jindu(&["search", "老挝", "--index", path(&index)]);
    assert!(stdout(&out).contains("3 result(s)"), "{}", stdout(&out));
}

#[test]
fn exit_codes_tell_hits_none_and_errors_apart() {
    let index = indexed("cli-exit");
    let none = jindu(&["search", "火星", "--index", path(&index)]);
    assert_eq!(none.status.code(), Some(1));
    for args in [
        vec!["search", "x", "--year", "20x0..2012"],
        vec!["search", "x", "--sort", "sideways"],
        vec!["search", "x", "--limit", "500"],
        vec!["search", "x", "--year", "2015..2010"],
    ] {
        let mut args = args.clone();
        args.extend(["--index", path(&index)]);
        let out = jindu(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).starts_with("error:"), "{}", stderr(&out));
    }
    let missing = temp_dir("cli-missing");
    let out = jindu(&["search", "x", "--index", path(&missing)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("jindu index"),
        "says how to build: {}",
        stderr(&out)
    );
}

#[test]
fn exclusions_and_year_ranges_from_the_command_line() {
    let index = indexed("cli-exclusion");
    let out = jindu(&[
        "search",
        "缅甸",
        "-老挝",
        "--index",
        path(&index),
        "--format",
        "jsonl",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let ids: Vec<String> = stdout(&out)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["id"].as_str().map(str::to_string))
        .collect();
    assert_eq!(ids, vec!["d1"]);
    let out = jindu(&[
        "search",
        "--year",
        "2013..",
        "--index",
        path(&index),
        "--format",
        "json",
    ]);
    let result: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(result["total"], 5);
}

#[test]
fn analyze_shows_tokens_with_offsets_and_positions() {
    let out = jindu(&["analyze", "合力-2012與緬甸", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let tokens: Vec<serde_json::Value> = serde_json::from_str(&stdout(&out)).expect("json");
    let myanmar = tokens.iter().find(|t| t["text"] == "缅甸").expect("缅甸");
    assert_eq!(myanmar["start"], 8);
    assert_eq!(myanmar["byte_start"], 14);
    assert_eq!(myanmar["position"], 7);
    let table = jindu(&["analyze", "控制下交付"]);
    assert!(stdout(&table).contains("控制下交付"));
}

#[test]
fn a_stale_index_says_how_to_rebuild() {
    let index = indexed("cli-stale");
    let current = std::fs::read_to_string(index.join("CURRENT")).expect("CURRENT");
    let manifest_path = index.join(current.trim()).join("jindu.json");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest_path).expect("manifest"))
            .expect("json");
    manifest["schema_version"] = serde_json::json!(0);
    std::fs::write(&manifest_path, manifest.to_string()).expect("write");
    let out = jindu(&["search", "缅甸", "--index", path(&index)]);
    assert_eq!(out.status.code(), Some(2));
    let message = stderr(&out);
    assert!(message.contains("schema v0"), "{message}");
    assert!(
        message.contains("jindu index --index"),
        "tells how to rebuild: {message}"
    );
}
