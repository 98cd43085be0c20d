//! The corpus reader: formats, defaults, and every kind of problem reported as `path:line`.

use std::path::{Path, PathBuf};

use jindu::corpus::{read_corpus, DocType, Document, ReadOptions, ReadSummary};

use crate::common::temp_dir;

fn read(paths: &[PathBuf]) -> (Vec<Document>, ReadSummary) {
    let mut documents = Vec::new();
    let summary = read_corpus(paths, &ReadOptions::default(), &mut |d| documents.push(d))
        .expect("corpus lists");
    (documents, summary)
}

fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(&path, content).expect("write");
    path
}

const GOOD: &str = r#"{"id": "a", "title": "标题", "body": "正文", "doc_type": "case"}"#;

/// Reads a JSONL file whose second line is `bad` and returns the messages.
fn problems_of(bad: &[u8]) -> Vec<String> {
    let dir = temp_dir("corpus-problem");
    let mut content = GOOD.as_bytes().to_vec();
    content.push(b'\n');
    content.extend_from_slice(bad);
    content.push(b'\n');
    let path = write(&dir, "docs.jsonl", &content);
    let (documents, summary) = read(std::slice::from_ref(&path));
    assert_eq!(documents.len(), 1, "the good line is still read");
    summary.errors.iter().map(|e| e.to_string()).collect()
}

fn assert_problem(bad: &str, expected: &str) {
    let problems = problems_of(bad.as_bytes());
    assert!(
        problems
            .iter()
            .any(|p| p.contains("docs.jsonl:2: ") && p.contains(expected)),
        "expected `docs.jsonl:2: …{expected}…`, got {problems:?}"
    );
}

#[test]
fn invalid_json_is_reported_with_its_line() {
    assert_problem(r#"{"id": "b", "title": "#, "invalid JSON");
    assert_problem(r#"["not", "an", "object"]"#, "expected a JSON object");
}

#[test]
fn missing_and_mistyped_fields_are_named() {
    assert_problem(
        r#"{"id": "b", "title": "t", "doc_type": "case"}"#,
        "missing field `body`",
    );
    assert_problem(
        r#"{"title": "t", "body": "b", "doc_type": "case"}"#,
        "missing field `id`",
    );
    assert_problem(
        r#"{"id": "b", "title": "t", "body": "b", "doc_type": "case", "countries": "缅甸"}"#,
        "field `countries` must be an array of strings",
    );
    assert_problem(
        r#"{"id": 7, "title": "t", "body": "b", "doc_type": "case"}"#,
        "field `id` must be a string",
    );
    assert_problem(
        r#"{"id": "b", "title": "t", "body": "b", "doc_type": "case", "year": "2012"}"#,
        "field `year` must be an integer",
    );
    assert_problem(
        r#"{"id": "b", "title": "t", "body": "b", "doc_type": "case", "countires": []}"#,
        "unknown field `countires`",
    );
}

#[test]
fn duplicate_ids_point_at_the_first() {
    assert_problem(GOOD, "duplicate id \"a\"");
    let problems = problems_of(GOOD.as_bytes());
    assert!(problems[0].contains("first at"), "{problems:?}");
}

#[test]
fn unknown_doc_type_and_impossible_dates_are_refused() {
    assert_problem(
        r#"{"id": "b", "title": "t", "body": "b", "doc_type": "news"}"#,
        "unknown doc_type \"news\"",
    );
    assert_problem(
        r#"{"id": "b", "title": "t", "body": "b", "doc_type": "case", "year": 3012}"#,
        "impossible year 3012",
    );
    assert_problem(
        r#"{"id": "b", "title": "t", "body": "b", "doc_type": "case", "date": "2013-02-30"}"#,
        "impossible date \"2013-02-30\"",
    );
    assert_problem(
        r#"{"id": "b", "title": "t", "body": "b", "doc_type": "case", "year": 2012, "date": "2013-02-01"}"#,
        "is not in year 2012",
    );
}

#[test]
fn invalid_utf8_and_empty_bodies_are_refused() {
    let problems = problems_of(
        b"{\"id\": \"b\", \"title\": \"\xff\xfe\", \"body\": \"x\", \"doc_type\": \"case\"}",
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("docs.jsonl:2: invalid UTF-8")),
        "{problems:?}"
    );
    assert_problem(
        r#"{"id": "b", "title": "t", "body": "   ", "doc_type": "case"}"#,
        "empty body",
    );
}

#[test]
fn control_characters_in_ids_are_refused() {
    assert_problem(
        r#"{"id": "b\u0007c", "title": "t", "body": "b", "doc_type": "case"}"#,
        "control characters",
    );
}

#[test]
fn front_matter_files_take_the_same_keys_with_defaults() {
    let dir = temp_dir("corpus-text");
    write(
        &dir,
        "cases/mekong.md",
        "---\ntitle: 湄公河案\ndoc_type: case\ncountries: [缅甸, \"老挝\"]\nyear: 2011\n---\n正文。\n".as_bytes(),
    );
    write(
        &dir,
        "notes/plain.txt",
        "# 第一标题\n\n没有前言的正文。\n".as_bytes(),
    );
    write(
        &dir,
        "knowledge/dictionary.txt",
        "不是文档 100 n\n".as_bytes(),
    );
    write(&dir, ".hidden.md", "隐藏".as_bytes());
    let (documents, summary) = read(std::slice::from_ref(&dir));
    assert!(summary.errors.is_empty(), "{:?}", summary.errors);
    let ids: Vec<&str> = documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, vec!["cases/mekong.md", "notes/plain.txt"]);
    let mekong = &documents[0];
    assert_eq!(mekong.title, "湄公河案");
    assert_eq!(mekong.doc_type, DocType::Case);
    assert_eq!(
        mekong.countries,
        Some(vec!["缅甸".to_string(), "老挝".to_string()])
    );
    assert_eq!(mekong.year, Some(2011));
    assert_eq!(mekong.coop_types, None, "absent means unknown");
    let plain = &documents[1];
    assert_eq!(plain.title, "第一标题");
    assert_eq!(plain.doc_type, DocType::Policy);
}

#[test]
fn front_matter_problems_point_at_the_offending_line() {
    let dir = temp_dir("corpus-front");
    let path = write(
        &dir,
        "bad.md",
        "---\ntitle: t\ndoc_type: case\nyear: 1234567\n---\n正文\n".as_bytes(),
    );
    let (_, summary) = read(&[path]);
    let messages: Vec<String> = summary.errors.iter().map(|e| e.to_string()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("bad.md:4: impossible year")),
        "{messages:?}"
    );
    let path = write(&dir, "empty.md", "---\ntitle: t\n---\n\n".as_bytes());
    let (_, summary) = read(&[path]);
    assert!(
        summary
            .errors
            .iter()
            .any(|e| e.to_string().contains("empty.md:4: empty body")),
        "{:?}",
        summary.errors
    );
}

#[test]
fn folders_are_read_in_a_deterministic_order() {
    let dir = temp_dir("corpus-order");
    for name in ["b.jsonl", "a.jsonl", "c/d.jsonl"] {
        let id = name.replace('/', "-");
        write(
            &dir,
            name,
            format!(r#"{{"id": "{id}", "title": "t", "body": "b", "doc_type": "case"}}"#)
                .as_bytes(),
        );
    }
    let (first, _) = read(std::slice::from_ref(&dir));
    let (second, _) = read(&[dir]);
    let ids: Vec<&str> = first.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, vec!["a.jsonl", "b.jsonl", "c-d.jsonl"]);
    assert_eq!(first, second);
}

#[test]
fn the_bundled_corpus_reads_without_problems() {
    let (documents, summary) = read(&[crate::common::root().join("corpus")]);
    assert!(summary.errors.is_empty(), "{:?}", summary.errors);
    assert!(documents.len() >= 7, "{}", documents.len());
    assert!(
        documents
            .iter()
            .filter(|d| d.doc_type == DocType::Policy)
            .count()
            >= 7
    );
}
