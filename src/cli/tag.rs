//! `jindu tag`: what the tagger would derive from a text, with the words that triggered each
//! value and what it saw but did not use.

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::Args;
use serde::Serialize;
use serde_json::{Map, Value};

use super::{load_knowledge, EXIT_ERROR, EXIT_OK};
use crate::corpus::{document_from_map, parse_text_file, Defaults, DocType, Document, Origin};
use crate::tagger::{Derived, Explained, Explanation, Rejected, Tagger, Trigger, Verdict};

/// Arguments of `jindu tag`.
#[derive(Debug, Args)]
#[command(after_help = "\
INPUT FORMATS (detected from the content):
  plain text           the whole input is the text; every field is unknown
  Markdown/text with   front matter between `---` lines, as in the corpus: fields given
    front matter       there (even `[]`) are kept and not derived
  JSONL                one JSON document a line (`{\"body\": …, \"countries\": null, …}`),
                       each tagged on its own; `id`, `title`, `doc_type` may be left out

Offsets are Unicode code points from the start of the text; for a document the text is its
title, a line break, then its body.")]
pub struct TagArgs {
    /// The file to tag, or `-` for standard input.
    #[arg(value_name = "FILE|-")]
    pub input: String,
    /// Print JSON (one object; one a line for JSONL input) instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Domain knowledge folder [default: corpus/knowledge].
    #[arg(long, value_name = "DIR")]
    pub knowledge: Option<PathBuf>,
}

/// One tagged input, as printed with `--json`.
#[derive(Debug, Serialize)]
struct Tagged {
    /// The document's id (None for plain text).
    id: Option<String>,
    /// What `jindu index` would fill in (fields given in the metadata are absent).
    derived: Derived,
    /// Every value found in the text, with its triggers.
    explanation: Explanation,
}

/// Runs `jindu tag`.
pub fn run(args: TagArgs) -> i32 {
    match tag(&args) {
        Ok(()) => EXIT_OK,
        Err(message) => {
            eprintln!("error: {message}");
            EXIT_ERROR
        }
    }
}

fn tag(args: &TagArgs) -> Result<(), String> {
    let (name, bytes) = read_input(&args.input)?;
    let content = String::from_utf8(bytes).map_err(|_| format!("{name}: not UTF-8"))?;
    let knowledge = load_knowledge(&args.knowledge).map_err(|e| e.to_string())?;
    let tagger = Tagger::new(&knowledge).map_err(|e| e.to_string())?;
    let trimmed = content.trim_start_matches('\u{feff}').trim_start();
    let tagged: Vec<Tagged> = if trimmed.starts_with('{') {
        let mut tagged = Vec::new();
        for (index, line) in content.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let document = json_document(line, &format!("{name}:{}", index + 1))?;
            tagged.push(tag_document(&tagger, document));
        }
        tagged
    } else if trimmed.starts_with("---") {
        let document = parse_text_file(Path::new(&name), content.as_bytes(), &name, None).map_err(
            |errors| {
                errors
                    .iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            },
        )?;
        vec![tag_document(&tagger, document)]
    } else {
        let explanation = tagger.explain(&content);
        let derived = Derived {
            countries: Some(Explanation::values(&explanation.countries)),
            organizations: Some(Explanation::values(&explanation.organizations)),
            coop_types: Some(Explanation::values(&explanation.coop_types)),
            drug_types: Some(Explanation::values(&explanation.drug_types)),
            year: explanation.year.as_ref().map(|y| y.value),
        };
        vec![Tagged {
            id: None,
            derived,
            explanation,
        }]
    };
    if args.json {
        let out = if tagged.len() == 1 && !trimmed.starts_with('{') {
            serde_json::to_string_pretty(&tagged[0])
        } else {
            tagged
                .iter()
                .map(serde_json::to_string)
                .collect::<Result<Vec<_>, _>>()
                .map(|lines| lines.join("\n"))
        };
        let json = out.map_err(|e| e.to_string())?;
        return super::write_stdout(&format!("{json}\n"));
    }
    let mut out = String::new();
    for (index, tagged) in tagged.iter().enumerate() {
        if index > 0 {
            outln!(out);
        }
        print_table(&mut out, tagged);
    }
    super::write_stdout(&out)
}

fn read_input(input: &str) -> Result<(String, Vec<u8>), String> {
    if input == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("standard input: {e}"))?;
        return Ok(("stdin".to_string(), bytes));
    }
    let bytes = std::fs::read(input).map_err(|e| format!("{input}: {e}"))?;
    Ok((input.to_string(), bytes))
}

fn json_document(line: &str, place: &str) -> Result<Document, String> {
    let map: Map<String, Value> =
        serde_json::from_str(line).map_err(|e| format!("{place}: not a JSON object: {e}"))?;
    let defaults = Defaults {
        id: Some(place.to_string()),
        title: None,
        doc_type: Some(DocType::Policy),
    };
    document_from_map(&map, Origin::Json, &defaults).map_err(|problems| {
        problems
            .iter()
            .map(|p| format!("{place}: {}", p.message))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

fn tag_document(tagger: &Tagger, document: Document) -> Tagged {
    let explanation = tagger.explain_document(&document);
    let mut filled = document.clone();
    let derived = tagger.tag(&mut filled);
    Tagged {
        id: Some(document.id),
        derived,
        explanation,
    }
}

fn print_table(out: &mut String, tagged: &Tagged) {
    if let Some(id) = &tagged.id {
        outln!(out, "document {id}");
    }
    let e = &tagged.explanation;
    let d = &tagged.derived;
    let lists: [(&str, &[Explained], bool); 4] = [
        ("countries", &e.countries, d.countries.is_some()),
        ("organizations", &e.organizations, d.organizations.is_some()),
        ("coop_types", &e.coop_types, d.coop_types.is_some()),
        ("drug_types", &e.drug_types, d.drug_types.is_some()),
    ];
    for (field, values, derived) in lists {
        let note = if derived || tagged.id.is_none() {
            ""
        } else {
            "  (given in the metadata: kept)"
        };
        if values.is_empty() {
            outln!(out, "{field:<14} -{note}");
            continue;
        }
        for (index, value) in values.iter().enumerate() {
            let label = if index == 0 { field } else { "" };
            outln!(
                out,
                "{label:<14} {}  ← {}{}",
                value.value,
                triggers(&value.triggers),
                if index == 0 { note } else { "" }
            );
        }
    }
    match (&e.year, d.year) {
        (_, Some(year)) if e.year.as_ref().map(|y| y.value) != Some(year) => {
            outln!(out, "{:<14} {year}  ← the document's date", "year")
        }
        (Some(year), _) => outln!(
            out,
            "{:<14} {}  ← {}",
            "year",
            year.value,
            triggers(&year.triggers)
        ),
        (None, _) => outln!(out, "{:<14} -", "year"),
    }
    if e.international.is_empty() {
        outln!(
            out,
            "{:<14} - (no cooperation type can be given)",
            "international"
        );
    } else {
        outln!(
            out,
            "{:<14} {}",
            "international",
            triggers(&e.international)
        );
    }
    if let Some(report) = &e.report {
        outln!(
            out,
            "{:<14} {}@{} (a report on the drug situation: a type needs a strong cue)",
            "report",
            report.word,
            report.start
        );
    }
    if !e.coop_model.is_empty() {
        let scores: Vec<String> = e
            .coop_model
            .iter()
            .map(|s| {
                let verdict = match s.verdict {
                    Verdict::Kept => "kept",
                    Verdict::Dropped => "dropped",
                    Verdict::Added => "added",
                    Verdict::Blocked => "ruled out by the context",
                    Verdict::NotGiven => "not given",
                };
                format!("{} {:.3} ({verdict})", s.value, s.probability)
            })
            .collect();
        outln!(out, "{:<14} {}", "coop model", scores.join(", "));
    }
    for rejected in &e.rejected {
        print_rejected(out, rejected);
    }
}

fn print_rejected(out: &mut String, rejected: &Rejected) {
    outln!(
        out,
        "{:<14} {}@{} ({}): {}",
        "not used",
        rejected.word,
        rejected.start,
        rejected.field,
        rejected.reason
    );
}

fn triggers(triggers: &[Trigger]) -> String {
    const SHOWN: usize = 6;
    let mut parts: Vec<String> = triggers
        .iter()
        .take(SHOWN)
        .map(|t| {
            let rule = serde_json::to_value(t.rule)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
                .replace('_', " ");
            format!("{}@{} ({rule})", t.word, t.start)
        })
        .collect();
    if triggers.len() > SHOWN {
        parts.push(format!("… {} more", triggers.len() - SHOWN));
    }
    parts.join(", ")
}
