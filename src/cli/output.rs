//! Output formats of `jindu search`: a table for people, JSON, JSON lines and CSV for scripts.

use std::io::{IsTerminal, Write};

use crate::search::{Hit, SearchResult};

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned text for people.
    Table,
    /// The whole result object.
    Json,
    /// One hit a line, as JSON.
    Jsonl,
    /// A header and one hit a row; lists joined with `;`.
    Csv,
}

/// The CSV columns, in order.
pub const CSV_COLUMNS: &[&str] = &[
    "id",
    "title",
    "doc_type",
    "year",
    "date",
    "countries",
    "organizations",
    "coop_types",
    "drug_types",
    "score",
    "snippet_text",
    "source",
    "url",
];

/// Prints `result` to standard output in `format`.
pub fn print_result(result: &SearchResult, format: Format) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, result)?;
            writeln!(out)?;
        }
        Format::Jsonl => {
            for hit in &result.hits {
                serde_json::to_writer(&mut out, hit)?;
                writeln!(out)?;
            }
        }
        Format::Csv => {
            writeln!(out, "{}", CSV_COLUMNS.join(","))?;
            for hit in &result.hits {
                writeln!(out, "{}", csv_row(hit))?;
            }
        }
        Format::Table => write_table(&mut out, result, std::io::stdout().is_terminal())?,
    }
    out.flush()
}

fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

fn csv_row(hit: &Hit) -> String {
    let fields = [
        hit.id.clone(),
        hit.title.clone(),
        hit.doc_type.clone(),
        hit.year.map(|y| y.to_string()).unwrap_or_default(),
        hit.date.clone().unwrap_or_default(),
        hit.countries.join(";"),
        hit.organizations.join(";"),
        hit.coop_types.join(";"),
        hit.drug_types.join(";"),
        format!("{:.4}", hit.score),
        hit.snippet_text.clone(),
        hit.source.clone().unwrap_or_default(),
        hit.url.clone().unwrap_or_default(),
    ];
    fields
        .iter()
        .map(|f| csv_field(f))
        .collect::<Vec<_>>()
        .join(",")
}

/// The snippet with its highlights shown: reverse video on a terminal, 【】 otherwise.
fn marked(text: &str, hit: &Hit, color: bool) -> String {
    let (open, close) = if color {
        ("\u{1b}[7m", "\u{1b}[0m")
    } else {
        ("【", "】")
    };
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if hit.highlights.iter().any(|r| r.start == i) {
            out.push_str(open);
        }
        out.push(c);
        if hit.highlights.iter().any(|r| r.end == i + 1) {
            out.push_str(close);
        }
    }
    out
}

fn write_table(out: &mut impl Write, result: &SearchResult, color: bool) -> std::io::Result<()> {
    let shown = if result.hits.is_empty() {
        String::new()
    } else {
        format!(
            ", showing {}-{}",
            result.offset + 1,
            result.offset + result.hits.len()
        )
    };
    writeln!(
        out,
        "{} result(s) in {:.1} ms{shown}{}",
        result.total,
        result.took_ms,
        if result.relaxed {
            " (not every word matched)"
        } else {
            ""
        }
    )?;
    for (i, hit) in result.hits.iter().enumerate() {
        let year = hit
            .year
            .map(|y| y.to_string())
            .unwrap_or_else(|| "----".to_string());
        writeln!(
            out,
            "\n{:>3}. {}  [{} {}]  {}",
            result.offset + i + 1,
            hit.title,
            hit.doc_type,
            year,
            hit.id
        )?;
        let mut meta = Vec::new();
        if !hit.countries.is_empty() {
            meta.push(format!("国家/地区: {}", hit.countries.join("、")));
        }
        if !hit.coop_types.is_empty() {
            meta.push(format!("合作类型: {}", hit.coop_types.join("、")));
        }
        if !meta.is_empty() {
            writeln!(out, "     {}", meta.join("  "))?;
        }
        writeln!(out, "     {}", marked(&hit.snippet_text, hit, color))?;
        if let Some(matched) = &hit.matched_terms {
            let terms: Vec<String> = matched
                .iter()
                .map(|m| match &m.query_word {
                    Some(word) => format!(
                        "{}({}:{}×{}, 同义于{word})",
                        m.term, m.field, m.kind, m.count
                    ),
                    None => format!("{}({}:{}×{})", m.term, m.field, m.kind, m.count),
                })
                .collect();
            writeln!(out, "     命中: {}", terms.join(" "))?;
        }
    }
    if let Some(similar) = &result.similar_to {
        writeln!(out, "\n相似依据: {}", similar.terms.join(" "))?;
    }
    for suggestion in &result.suggestions {
        writeln!(out, "建议: {}", suggestion.message)?;
    }
    if !result.hits.is_empty() || result.total > 0 {
        let facet_line = |name: &str, values: Vec<String>| -> Option<String> {
            (!values.is_empty()).then(|| format!("{name}: {}", values.join("  ")))
        };
        let top = |values: &[crate::search::FacetValue]| -> Vec<String> {
            values
                .iter()
                .take(8)
                .map(|v| format!("{} {}", v.value, v.count))
                .collect()
        };
        writeln!(out)?;
        for line in [
            facet_line("国家/地区", top(&result.facets.country)),
            facet_line("合作类型", top(&result.facets.coop_type)),
            facet_line("文档类型", top(&result.facets.doc_type)),
            facet_line(
                "年份",
                result
                    .facets
                    .year
                    .iter()
                    .map(|v| format!("{} {}", v.value, v.count))
                    .collect(),
            ),
        ]
        .into_iter()
        .flatten()
        {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}
