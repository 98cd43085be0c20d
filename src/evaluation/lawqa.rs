//! The law-article question set: statutes in ../shared split into articles (documents that
//! share their law's title, as in STARD), and colloquial questions judged against them.

use crate::corpus::{DocType, Document};

/// The question file, relative to the project root.
pub const LAWQA_QUERIES: &str = "eval/lawqa/queries.jsonl";

fn is_article_start(line: &str) -> Option<String> {
    let trimmed = line.trim_start();
    let rest = trimmed.strip_prefix('第')?;
    let numeral: String = rest
        .chars()
        .take_while(|c| "一二三四五六七八九十百零〇".contains(*c))
        .collect();
    if numeral.is_empty() {
        return None;
    }
    rest[numeral.len()..]
        .starts_with('条')
        .then(|| format!("第{numeral}条"))
}

/// Splits the laws of `drug_control_laws.jsonl` into one document per article, with id
/// `{law title}#{第X条}`, the law's title as title, and the article's text as body.
pub fn law_articles(jsonl: &str) -> Result<Vec<Document>, String> {
    let mut documents = Vec::new();
    for (n, line) in jsonl.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let law: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("line {}: {e}", n + 1))?;
        let title = law["title"].as_str().unwrap_or_default().to_string();
        let text = law["text"].as_str().unwrap_or_default();
        let mut current: Option<(String, String)> = None;
        let mut flush = |current: &mut Option<(String, String)>| {
            if let Some((article, body)) = current.take() {
                documents.push(Document {
                    id: format!("{title}#{article}"),
                    title: title.clone(),
                    body: body.trim().to_string(),
                    doc_type: DocType::Policy,
                    countries: Some(Vec::new()),
                    organizations: Some(Vec::new()),
                    coop_types: Some(Vec::new()),
                    drug_types: None,
                    year: law["year"].as_i64().and_then(|y| i32::try_from(y).ok()),
                    date: None,
                    source: Some("../shared/data/policy/drug_control_laws.jsonl".to_string()),
                    url: None,
                });
            }
        };
        for line in text.lines() {
            if let Some(article) = is_article_start(line) {
                flush(&mut current);
                current = Some((article, String::new()));
            }
            if let Some((_, body)) = current.as_mut() {
                body.push_str(line);
                body.push('\n');
            }
        }
        flush(&mut current);
    }
    Ok(documents)
}
