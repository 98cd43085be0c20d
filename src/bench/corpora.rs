//! The benchmark corpora, from the real texts in ../shared: the 68k news articles as jindu
//! documents without facet metadata (the tagger fills them) and as peer documents (the fields
//! ../shared/peers expects), and a million documents of news and case texts repeated with new ids.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use serde_json::{json, Value};

/// What a conversion wrote.
#[derive(Debug, Clone, Default)]
pub struct ConvertReport {
    /// Documents written.
    pub documents: u64,
    /// UTF-8 bytes of title + body.
    pub text_bytes: u64,
}

fn title_of(text: &str) -> String {
    let first = text
        .split(['。', '！', '？', '\n'])
        .next()
        .unwrap_or("")
        .trim();
    first.chars().take(40).collect()
}

/// Converts the news JSONL (`id`, `date`, `text`) into `jindu_out` (no facet metadata) and
/// `peers_out` (empty facet lists, year from the date, as ../shared/peers reads them).
pub fn convert_news(
    news: &Path,
    jindu_out: &Path,
    peers_out: &Path,
) -> std::io::Result<ConvertReport> {
    let reader = BufReader::new(File::open(news)?);
    let mut jindu = BufWriter::new(File::create(jindu_out)?);
    let mut peers = BufWriter::new(File::create(peers_out)?);
    let mut report = ConvertReport::default();
    for line in reader.lines() {
        let line = line?;
        let Ok(value) = serde_json::from_str::<Value>(&line) else {
            continue;
        };
        let (Some(id), Some(text)) = (value["id"].as_str(), value["text"].as_str()) else {
            continue;
        };
        let body = text.trim();
        if body.is_empty() {
            continue;
        }
        let title = title_of(body);
        let date = value["date"]
            .as_str()
            .filter(|d| crate::corpus::valid_date(d));
        let mut doc = json!({"id": id, "title": title, "body": body, "doc_type": "policy"});
        if let Some(date) = date {
            doc["date"] = json!(date);
        }
        writeln!(jindu, "{doc}")?;
        let year = date.and_then(crate::corpus::date_year).unwrap_or(2023);
        let peer = json!({
            "id": id, "title": title, "body": body, "doc_type": "policy",
            "countries": [], "coop_types": [], "year": year
        });
        writeln!(peers, "{peer}")?;
        report.documents += 1;
        report.text_bytes += (title.len() + body.len()) as u64;
    }
    jindu.flush()?;
    peers.flush()?;
    Ok(report)
}

/// Writes `count` documents to `out`: the news (`news` JSONL) and the case facts (`cases`
/// files with `text` or `fact`) in turn, repeated with new ids (`r{round}-{id}`).
pub fn make_million(
    news: &Path,
    cases: &[&Path],
    count: u64,
    out: &Path,
) -> std::io::Result<ConvertReport> {
    let mut sources: Vec<(String, String, Option<String>, &'static str)> = Vec::new();
    for line in BufReader::new(File::open(news)?).lines() {
        let line = line?;
        if let Ok(v) = serde_json::from_str::<Value>(&line) {
            if let (Some(id), Some(text)) = (v["id"].as_str(), v["text"].as_str()) {
                let date = v["date"]
                    .as_str()
                    .filter(|d| crate::corpus::valid_date(d))
                    .map(str::to_string);
                sources.push((id.to_string(), text.trim().to_string(), date, "policy"));
            }
        }
    }
    for path in cases {
        for line in BufReader::new(File::open(path)?).lines() {
            let line = line?;
            if let Ok(v) = serde_json::from_str::<Value>(&line) {
                let text = v["text"].as_str().or_else(|| v["fact"].as_str());
                if let (Some(id), Some(text)) = (v["id"].as_str(), text) {
                    sources.push((id.to_string(), text.trim().to_string(), None, "case"));
                }
            }
        }
    }
    sources.retain(|(_, text, _, _)| !text.is_empty());
    let mut writer = BufWriter::new(File::create(out)?);
    let mut report = ConvertReport::default();
    let mut round = 0u64;
    'outer: loop {
        for (id, text, date, doc_type) in &sources {
            if report.documents >= count || sources.is_empty() {
                break 'outer;
            }
            let title = title_of(text);
            let mut doc = json!({"id": format!("r{round}-{id}"), "title": title, "body": text, "doc_type": doc_type});
            if let Some(date) = date {
                doc["date"] = json!(date);
            }
            writeln!(writer, "{doc}")?;
            report.documents += 1;
            report.text_bytes += (title.len() + text.len()) as u64;
        }
        round += 1;
        if sources.is_empty() {
            break;
        }
    }
    writer.flush()?;
    Ok(report)
}
