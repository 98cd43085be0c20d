//! Real case texts from ../shared (skipped when absent): a few hundred drug-case fact
//! paragraphs indexed, and known queries checked against a brute-force scan of the same texts.

use std::io::BufRead;

use jindu::analysis::normalize_str;
use jindu::index::IndexHandle;
use jindu::search::{Filters, SearchRequest};

use crate::common::{build, run, shared_dir, temp_dir};

#[test]
fn real_case_texts_answer_known_queries_exactly() {
    let Some(shared) = shared_dir() else { return };
    let source = shared.join("data/cases/cail2022_xxcq_drug_facts.jsonl");
    let file = std::fs::File::open(&source).expect("case file");
    let dir = temp_dir("real-corpus");
    let mut corpus = String::new();
    let mut texts = Vec::new();
    for (i, line) in std::io::BufReader::new(file).lines().take(400).enumerate() {
        let value: serde_json::Value = serde_json::from_str(&line.expect("line")).expect("json");
        let text = value["text"].as_str().expect("text").to_string();
        let title: String = text.chars().take(20).collect();
        let year = value["year"].as_i64();
        corpus.push_str(
            &serde_json::json!({
                "id": format!("c{i}"), "title": title, "body": text, "doc_type": "case", "year": year
            })
            .to_string(),
        );
        corpus.push('\n');
        texts.push((
            format!("c{i}"),
            normalize_str(&format!("{title}\n{text}")),
            year,
        ));
    }
    let path = dir.join("cases.jsonl");
    std::fs::write(&path, corpus).expect("write corpus");
    let index = build("real-index", &[path]);
    let handle = IndexHandle::open(&index).expect("opens");
    assert_eq!(handle.num_docs(), 400);

    // Single words: the hits are exactly the documents containing the text or one of its
    // synonyms (甲基苯丙胺 = 冰毒 …, from corpus/knowledge/synonyms.txt).
    let synonyms = crate::common::knowledge().synonyms;
    let contains = |text: &str, word: &str| {
        text.contains(word)
            || synonyms
                .alternatives(word)
                .iter()
                .any(|alt| text.contains(alt))
    };
    for word in ["海洛因", "甲基苯丙胺", "贩卖", "容留", "冰毒", "云南"] {
        let expected = texts.iter().filter(|(_, t, _)| contains(t, word)).count() as u64;
        let result = run(
            &handle,
            SearchRequest {
                q: word.to_string(),
                limit: 1,
                ..SearchRequest::default()
            },
        );
        assert_eq!(result.total, expected, "{word}");
    }
    // Two words: documents containing both.
    let both = texts
        .iter()
        .filter(|(_, t, _)| contains(t, "海洛因") && contains(t, "贩卖"))
        .count() as u64;
    assert_eq!(
        run(&handle, SearchRequest::query("海洛因 贩卖")).total,
        both
    );
    // A year filter agrees with the data.
    let in_2015 = texts
        .iter()
        .filter(|(_, t, y)| contains(t, "毒品") && *y == Some(2015))
        .count() as u64;
    let filtered = run(
        &handle,
        SearchRequest {
            q: "毒品".to_string(),
            filters: Filters {
                year_from: Some(2015),
                year_to: Some(2015),
                ..Filters::default()
            },
            ..SearchRequest::default()
        },
    );
    assert_eq!(filtered.total, in_2015);
    // Snippets of real text hold the word and stay within bounds.
    let result = run(
        &handle,
        SearchRequest {
            q: "甲基苯丙胺".to_string(),
            limit: 50,
            ..SearchRequest::default()
        },
    );
    for hit in &result.hits {
        assert!(
            hit.snippet.contains("<mark>甲基苯丙胺</mark>"),
            "{}",
            hit.snippet
        );
        assert!(hit.snippet_text.chars().count() <= 122);
    }
}
