//! Property-based fuzzing of the input surfaces: the query parser and planner, search itself,
//! the corpus reader (JSONL and front matter), the tokenizer on arbitrary UTF-8, and snippets.
//!
//! Each property runs `PROPTEST_CASES` cases (default 256 here, so CI stays short); the long
//! run in README sets it to 20,000. A failure prints the smallest input that breaks it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use proptest::prelude::*;
use tantivy::tokenizer::{TokenStream, Tokenizer};

use jindu::analysis::{normalize_str, Analyzer, JinduTokenizer, Normalized, Side, TokenKind};
use jindu::corpus::{parse_text_file, read_corpus, DocType, ReadOptions, DOCUMENT_FIELDS};
use jindu::knowledge::Knowledge;
use jindu::search::{plan, search, Highlighter, SearchError, SearchRequest, Sort, MAX_GROUPS};

use crate::common::{fixture, knowledge, temp_dir};

fn shared_knowledge() -> &'static Knowledge {
    static KNOWLEDGE: OnceLock<Knowledge> = OnceLock::new();
    KNOWLEDGE.get_or_init(knowledge)
}

fn analyzer() -> &'static Arc<Analyzer> {
    static ANALYZER: OnceLock<Arc<Analyzer>> = OnceLock::new();
    ANALYZER.get_or_init(|| Arc::new(Analyzer::new(shared_knowledge())))
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Pieces that exercise the syntax and the analysis: domain words, traditional forms, codes,
/// operators, quotes, full-width and odd Unicode.
const PIECES: &[&str] = &[
    "禁毒",
    "合作",
    "缅甸",
    "緬甸",
    "老挝",
    "金三角",
    "冰毒",
    "甲基苯丙胺",
    "控制下交付",
    "引渡",
    "联合",
    "执法",
    "湄公河",
    "10·5",
    "10•5",
    "合力-2012",
    "DEA",
    "MOU",
    "ＤＥＡ",
    "UNODC",
    "的",
    "了",
    "吗",
    "怎么",
    "什么",
    "是",
    "在",
    "OR",
    "or",
    "AND",
    "NOT",
    "-",
    "--",
    "\"",
    "“",
    "”",
    "'",
    "(",
    ")",
    "*",
    ":",
    "title:",
    "+",
    "|",
    " ",
    "  ",
    "\t",
    "\n",
    "　",
    "·",
    "‧",
    "・",
    "2012",
    "１２",
    "v1.2",
    "a/b",
    "#",
    "&",
    "\u{0}",
    "\u{200B}",
    "\u{FEFF}",
    "é",
    "İ",
    "ß",
    "𠮷",
    "🙂",
    "\u{301}",
    "ㄅ",
    "한국",
    "ไทย",
    "..",
    "/",
    "\\",
];

fn pieces(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..max).prop_map(|p| p.concat())
}

/// Either arbitrary Unicode or a string of domain pieces.
fn text(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), pieces(max)]
}

fn check_tokens(text: &str, side: Option<Side>) -> Result<(), TestCaseError> {
    let norm = Normalized::new(text);
    prop_assert_eq!(norm.char_len(), text.chars().count());
    let tokens = match side {
        Some(side) => analyzer().words_of(text, side),
        None => Analyzer::grams_of(text),
    };
    for token in &tokens {
        prop_assert!(!token.text.is_empty());
        prop_assert!(token.start < token.end, "{token:?}");
        prop_assert!(token.byte_start < token.byte_end && token.byte_end <= text.len());
        prop_assert!(
            text.is_char_boundary(token.byte_start) && text.is_char_boundary(token.byte_end)
        );
        prop_assert!(token.position <= norm.kept_len());
        // The token is the folded form of the text it points at.
        prop_assert_eq!(
            normalize_str(&text[token.byte_start..token.byte_end]),
            token.text.clone()
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn normalization_is_one_char_per_char_and_idempotent(input in text(40)) {
        let once = normalize_str(&input);
        prop_assert_eq!(once.chars().count(), input.chars().count());
        prop_assert_eq!(normalize_str(&once), once);
    }

    #[test]
    fn tokens_point_at_their_text(input in text(60)) {
        check_tokens(&input, Some(Side::Index))?;
        check_tokens(&input, Some(Side::Query))?;
        check_tokens(&input, None)?;
    }

    #[test]
    fn the_tantivy_tokenizer_keeps_offsets_on_char_boundaries(input in text(60)) {
        for kind in [TokenKind::Words(Side::Index), TokenKind::Words(Side::Query), TokenKind::Grams] {
            let mut tokenizer = JinduTokenizer::new(Arc::clone(analyzer()), kind);
            let mut stream = tokenizer.token_stream(&input);
            while stream.advance() {
                let token = stream.token();
                prop_assert!(token.offset_from < token.offset_to && token.offset_to <= input.len());
                prop_assert!(input.is_char_boundary(token.offset_from));
                prop_assert!(input.is_char_boundary(token.offset_to));
            }
        }
    }

    #[test]
    fn plans_stay_bounded(query in text(200)) {
        let plan = plan(&query, analyzer(), &shared_knowledge().synonyms);
        prop_assert!(plan.groups.len() <= MAX_GROUPS, "{} groups", plan.groups.len());
        for group in plan.groups.iter().chain(&plan.required) {
            prop_assert!(!group.units.is_empty());
        }
    }

    #[test]
    fn any_query_searches_or_is_refused_cleanly(
        query in text(30),
        limit in 0usize..=100,
        offset in 0usize..=50,
        sort in prop::sample::select(&["relevance", "year_desc", "year_asc"][..]),
        explain in any::<bool>(),
        snippet_chars in 0usize..400,
    ) {
        let request = SearchRequest {
            q: query,
            limit,
            offset,
            sort: Sort::parse(sort).map_err(|e| TestCaseError::fail(e.to_string()))?,
            explain,
            snippet_chars,
            ..SearchRequest::default()
        };
        match search(fixture(), &request) {
            Ok(result) => {
                prop_assert!(result.hits.len() <= limit);
                prop_assert!(result.total >= (offset + result.hits.len()) as u64 || result.hits.is_empty());
                for hit in &result.hits {
                    for range in &hit.highlights {
                        prop_assert!(range.start < range.end);
                        prop_assert!(range.end <= hit.snippet_text.chars().count());
                    }
                }
            }
            Err(SearchError::QueryTooLong { .. } | SearchError::InvalidParameter { .. }) => {}
            Err(other) => prop_assert!(false, "index error: {other}"),
        }
    }

    #[test]
    fn snippets_mark_inside_their_text(
        body in text(120),
        needles in prop::collection::vec(text(4), 0..4),
        max_chars in 0usize..300,
    ) {
        let needles: Vec<String> = needles.iter().map(|n| normalize_str(n)).collect();
        let highlighter = Highlighter::new(&needles);
        let snippet = highlighter.snippet(&body, max_chars);
        let chars = snippet.text.chars().count();
        // The window, plus an ellipsis on each side; only a match longer than the window widens it.
        let window = max_chars.max(1);
        let long_match = snippet.highlights.iter().any(|r| r.end - r.start > window);
        prop_assert!(chars <= window + 2 || long_match, "{chars} chars for at most {max_chars}");
        let mut previous_end = 0;
        for range in &snippet.highlights {
            prop_assert!(range.start < range.end && range.end <= chars, "{range:?} in {chars}");
            prop_assert!(range.start >= previous_end, "overlapping highlights");
            previous_end = range.end;
        }
        let marks = snippet.html.matches("<mark>").count();
        prop_assert_eq!(marks, snippet.highlights.len());
        prop_assert_eq!(snippet.html.matches("</mark>").count(), marks);
        let unmarked = snippet.html.replace("<mark>", "").replace("</mark>", "");
        prop_assert!(!unmarked.contains('<') && !unmarked.contains('>'));
    }

    #[test]
    fn jsonl_lines_become_a_document_or_a_located_error(lines in prop::collection::vec(jsonl_line(), 1..12)) {
        let dir = temp_dir("fuzz-jsonl");
        let path = dir.join("docs.jsonl");
        let bytes: Vec<u8> = lines.iter().flat_map(|l| l.iter().copied().chain([b'\n'])).collect();
        std::fs::write(&path, &bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut documents = Vec::new();
        let summary = read_corpus(std::slice::from_ref(&path), &ReadOptions::default(), &mut |d| documents.push(d))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let nonblank = bytes.split(|b| *b == b'\n').filter(|l| !is_blank(l)).count();
        let mut error_lines: Vec<usize> = summary.errors.iter().map(|e| e.line).collect();
        error_lines.dedup();
        for error in &summary.errors {
            prop_assert_eq!(&error.path, &path);
            prop_assert!(error.line >= 1 && error.line <= lines.len(), "line {}", error.line);
            prop_assert!(!error.message.is_empty());
        }
        prop_assert_eq!(documents.len() + error_lines.len(), nonblank);
        for document in &documents {
            prop_assert!(!document.id.is_empty() && !document.body.trim().is_empty());
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn front_matter_files_parse_or_report(file in front_matter_file()) {
        let path = Path::new("fuzz/case.md");
        match parse_text_file(path, &file, "fuzz/case.md", Some(DocType::Case)) {
            Ok(document) => {
                prop_assert!(!document.id.is_empty());
                prop_assert!(!document.body.trim().is_empty());
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for error in errors {
                    prop_assert_eq!(error.path, PathBuf::from(path));
                    prop_assert!(!error.message.is_empty());
                }
            }
        }
    }
}

fn is_blank(line: &[u8]) -> bool {
    std::str::from_utf8(line)
        .map(|s| s.trim().is_empty())
        .unwrap_or(false)
}

/// The corpus's field names and one that is not a field.
fn field_names(unknown: &'static str) -> Vec<&'static str> {
    DOCUMENT_FIELDS.iter().copied().chain([unknown]).collect()
}

/// A JSONL line: a plausible document with random values, or random bytes.
fn jsonl_line() -> impl Strategy<Value = Vec<u8>> {
    let value = prop_oneof![
        Just(serde_json::Value::Null),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<bool>().prop_map(serde_json::Value::from),
        text(6).prop_map(serde_json::Value::from),
        prop::collection::vec(text(3), 0..3).prop_map(serde_json::Value::from),
        prop::sample::select(&["policy", "case", "2012-05-01", "2012-13-40", "缅甸", "CN"][..])
            .prop_map(serde_json::Value::from),
    ];
    let key = prop::sample::select(field_names("extra"));
    let document = prop::collection::vec((key, value), 0..10).prop_map(|fields| {
        let map: serde_json::Map<String, serde_json::Value> = fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        serde_json::Value::Object(map).to_string().into_bytes()
    });
    let valid = (0u32..1000, text(20)).prop_map(|(n, body)| {
        serde_json::json!({"id": format!("d{n}"), "title": "标题", "body": format!("正文{body}"), "doc_type": "case"})
            .to_string()
            .into_bytes()
    });
    let bytes = prop::collection::vec(any::<u8>(), 0..40)
        .prop_map(|b| b.into_iter().filter(|c| *c != b'\n').collect());
    prop_oneof![document, valid, bytes]
}

/// A text file: front matter lines from a small grammar (and noise), then a body.
fn front_matter_file() -> impl Strategy<Value = Vec<u8>> {
    let line = prop_oneof![
        (
            prop::sample::select(field_names("bogus")),
            prop::sample::select(
                &[
                    "",
                    "x",
                    "case",
                    "policy",
                    "2012",
                    "99999",
                    "[缅甸, 老挝]",
                    "[]",
                    "null",
                    "2012-02-30",
                    "\"引号",
                    "a: b"
                ][..]
            ),
        )
            .prop_map(|(k, v)| format!("{k}: {v}")),
        text(6),
        Just("---".to_string()),
    ];
    (
        any::<bool>(),
        prop::collection::vec(line, 0..8),
        text(30),
        prop::collection::vec(any::<u8>(), 0..4),
    )
        .prop_map(|(fenced, lines, body, tail)| {
            let mut file = String::new();
            if fenced {
                file.push_str("---\n");
                for line in lines {
                    file.push_str(&line);
                    file.push('\n');
                }
                file.push_str("---\n");
            }
            file.push_str(&body);
            let mut bytes = file.into_bytes();
            bytes.extend(tail);
            bytes
        })
}

/// The inputs that fuzzing found failing, kept as plain tests.
#[test]
fn inputs_fuzzing_found_stay_fixed() {
    // An exclusion whose phrase matches nothing in a segment, or only later documents.
    for q in [
        "-湄公河",
        "缅甸 -湄公河",
        "禁毒 -\"联合 执法\"",
        "-DEA -MOU",
    ] {
        let request = SearchRequest::query(q);
        assert!(search(fixture(), &request).is_ok(), "{q}");
    }
    // Explaining a hit whose posting list starts after it.
    let request = SearchRequest {
        q: "DEA缅甸禁毒老挝".into(),
        limit: 2,
        explain: true,
        ..SearchRequest::default()
    };
    assert!(search(fixture(), &request).is_ok());
    // A long query of stop words only stays within the group limit, each word once.
    let plan = plan(
        &"的了吗".repeat(200),
        analyzer(),
        &shared_knowledge().synonyms,
    );
    assert!(plan.groups.len() <= 3, "{} groups", plan.groups.len());
}
