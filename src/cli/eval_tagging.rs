//! `jindu eval tagging`: scores the tagger on a labelled set, on the drug types of the
//! annotated CAIL2022 paragraphs, and scans real domestic case texts for countries they do
//! not name.

use std::path::{Path, PathBuf};

use clap::Args;
use serde::Serialize;

use super::{load_knowledge, EXIT_ERROR, EXIT_OK};
use crate::tagger::eval::{
    read_set, scan_countries, score_cail_drugs, score_set, CountryScan, DrugReport, FieldScore,
    SetReport,
};
use crate::tagger::Tagger;

/// The frozen evaluation set.
pub const DEFAULT_SET: &str = "eval/tagging/holdout24.jsonl";
/// The annotated CAIL2022 paragraphs (drug-type entities).
pub const DEFAULT_CAIL: &str = "../shared/data/cases/cail2022_xxcq_drug_facts_annotated.jsonl";
/// Real case texts scanned for countries they do not name.
pub const DEFAULT_CASES: &[&str] = &[
    "../shared/data/cases/cail2022_xxcq_drug_facts.jsonl",
    "../shared/data/cases/cail2018_sample.jsonl",
];

/// Arguments of `jindu eval tagging`.
#[derive(Debug, Args)]
pub struct TaggingArgs {
    /// The labelled set (JSONL: id, text, countries, organizations, coop_types, drug_types,
    /// year).
    #[arg(long, value_name = "PATH", default_value = DEFAULT_SET)]
    pub set: PathBuf,
    /// Annotated CAIL2022 paragraphs for drug types [default: ../shared/data/cases/
    /// cail2022_xxcq_drug_facts_annotated.jsonl, when present].
    #[arg(long, value_name = "PATH")]
    pub cail: Option<PathBuf>,
    /// Real case files scanned for false countries (repeatable) [default: the CAIL2022 and
    /// CAIL2018 files of ../shared/data/cases, when present].
    #[arg(long = "cases", value_name = "PATH")]
    pub cases: Vec<PathBuf>,
    /// Only the labelled set: skip the CAIL drug types and the case scan.
    #[arg(long)]
    pub set_only: bool,
    /// How many case texts with a country to list per file.
    #[arg(long, default_value_t = 10)]
    pub samples: usize,
    /// List every mistake on the labelled set.
    #[arg(long)]
    pub mistakes: bool,
    /// Domain knowledge folder [default: corpus/knowledge].
    #[arg(long, value_name = "DIR")]
    pub knowledge: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Everything `jindu eval tagging --json` prints.
#[derive(Debug, Serialize)]
struct TaggingReport {
    set: SetReport,
    cail_drugs: Option<DrugReport>,
    cases: Vec<CountryScan>,
    notes: Vec<String>,
}

/// Runs `jindu eval tagging`.
pub fn run(args: TaggingArgs) -> i32 {
    match tagging(&args) {
        Ok(()) => EXIT_OK,
        Err(message) => {
            eprintln!("error: {message}");
            EXIT_ERROR
        }
    }
}

fn tagging(args: &TaggingArgs) -> Result<(), String> {
    let knowledge = load_knowledge(&args.knowledge).map_err(|e| e.to_string())?;
    let tagger = Tagger::new(&knowledge).map_err(|e| e.to_string())?;
    let texts = read_set(&args.set).map_err(|e| e.to_string())?;
    let set = score_set(&tagger, &args.set.display().to_string(), &texts);
    let mut notes = Vec::new();
    let mut cail_drugs = None;
    let mut cases = Vec::new();
    if !args.set_only {
        let cail = match &args.cail {
            Some(path) => Some(path.clone()),
            None if Path::new(DEFAULT_CAIL).is_file() => Some(PathBuf::from(DEFAULT_CAIL)),
            None => {
                notes.push(format!("skipped CAIL drug types: {DEFAULT_CAIL} is absent"));
                None
            }
        };
        if let Some(path) = cail {
            cail_drugs = Some(score_cail_drugs(&tagger, &path).map_err(|e| e.to_string())?);
        }
        let files: Vec<PathBuf> = if args.cases.is_empty() {
            DEFAULT_CASES
                .iter()
                .map(PathBuf::from)
                .filter(|p| {
                    let present = p.is_file();
                    if !present {
                        notes.push(format!("skipped case scan: {} is absent", p.display()));
                    }
                    present
                })
                .collect()
        } else {
            args.cases.clone()
        };
        for file in files {
            cases.push(
                scan_countries(&tagger, &file, usize::MAX, args.samples)
                    .map_err(|e| e.to_string())?,
            );
        }
    }
    let report = TaggingReport {
        set,
        cail_drugs,
        cases,
        notes,
    };
    if args.json {
        let json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
        return super::write_stdout(&format!("{json}\n"));
    }
    let mut out = String::new();
    print_report(&mut out, &report, args.mistakes);
    super::write_stdout(&out)
}

fn score_line(score: &FieldScore) -> String {
    format!(
        "{:<14} P {:.3}  R {:.3}  F1 {:.3}  (tp {}, fp {}, fn {})",
        score.field,
        score.precision,
        score.recall,
        score.f1,
        score.true_positives,
        score.false_positives,
        score.false_negatives
    )
}

fn print_report(out: &mut String, report: &TaggingReport, mistakes: bool) {
    let set = &report.set;
    outln!(out, "tagging set {} ({} texts)", set.set, set.texts);
    for field in &set.fields {
        outln!(out, "  {}", score_line(field));
    }
    outln!(
        out,
        "  {:<14} accuracy {:.3}  ({} of {})",
        "year",
        set.year.accuracy,
        set.year.correct,
        set.year.total
    );
    if mistakes {
        for m in &set.mistakes {
            outln!(
                out,
                "  mistake {} {}: missing [{}] extra [{}]",
                m.id,
                m.field,
                m.missing.join(", "),
                m.extra.join(", ")
            );
        }
    } else if !set.mistakes.is_empty() {
        outln!(
            out,
            "  ({} mistakes; --mistakes lists them)",
            set.mistakes.len()
        );
    }
    if let Some(drugs) = &report.cail_drugs {
        outln!(out);
        outln!(
            out,
            "CAIL2022 drug types {} ({} paragraphs)",
            drugs.file,
            drugs.paragraphs
        );
        outln!(out, "  {}", score_line(&drugs.score));
        if !drugs.unmapped.is_empty() {
            let unmapped: Vec<String> = drugs
                .unmapped
                .iter()
                .map(|(word, count)| format!("{word} ({count})"))
                .collect();
            outln!(
                out,
                "  NDR strings left out (no drug type): {}",
                unmapped.join(", ")
            );
        }
        if mistakes {
            for m in &drugs.mistakes {
                outln!(
                    out,
                    "  mistake {}: missing [{}] extra [{}]",
                    m.id,
                    m.missing.join(", "),
                    m.extra.join(", ")
                );
            }
        }
    }
    for scan in &report.cases {
        outln!(out);
        outln!(
            out,
            "countries in real cases {} ({} texts)",
            scan.file,
            scan.texts
        );
        outln!(
            out,
            "  {} texts got a country ({:.2} %); {} got one their text does not name in full",
            scan.with_country,
            100.0 * scan.with_country as f64 / scan.texts.max(1) as f64,
            scan.not_named_in_full
        );
        for sample in &scan.samples {
            outln!(
                out,
                "  {} {} ← {}{}",
                sample.id,
                sample.countries.join(", "),
                sample.words.join(", "),
                if sample.named_in_full {
                    ""
                } else {
                    "  [not named in full]"
                }
            );
        }
    }
    for note in &report.notes {
        outln!(out, "note: {note}");
    }
}
