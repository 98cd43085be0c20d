//! `jindu eval tagging-model`: measures the cooperation-type model by leaving one labelled set
//! out at a time (fit on the others, judge the rules' output on it), over a grid of add and
//! drop thresholds, and with `--out` fits the model on every set given and writes it.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;

use super::{load_knowledge, EXIT_ERROR, EXIT_OK};
use crate::analysis::Analyzer;
use crate::knowledge::{CoopModel, Knowledge};
use crate::tagger::eval::{read_set, LabelledText};
use crate::tagger::train::{train, TrainOptions};
use crate::tagger::{decide, Explanation, Tagger, Verdict};

/// Arguments of `jindu eval tagging-model`.
#[derive(Debug, Args)]
pub struct TaggingModelArgs {
    /// A labelled set to fit on (repeatable; at least two for the cross-validation).
    #[arg(long = "set", value_name = "PATH", required = true)]
    pub sets: Vec<PathBuf>,
    /// Fit on all the sets and write the model here (e.g. corpus/knowledge/coop_model.tsv).
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// The probability at which the model adds a type the rules missed.
    #[arg(long, default_value_t = 0.7)]
    pub add: f32,
    /// The probability under which the model drops a type the rules gave.
    #[arg(long, default_value_t = 0.1)]
    pub drop: f32,
    /// Inverse regularization strength of the logistic regressions.
    #[arg(long, default_value_t = 4.0)]
    pub c: f64,
    /// An n-gram must occur in at least this many texts.
    #[arg(long, default_value_t = 2)]
    pub min_df: usize,
    /// Skip the cross-validation (only fit and write).
    #[arg(long)]
    pub no_cross_validation: bool,
    /// Pool the grid of thresholds over these held-out sets only (repeatable; each must also
    /// be a --set): the sets the rules were not tuned on, say. Every set is still fitted on.
    #[arg(long = "pool", value_name = "PATH")]
    pub pool: Vec<PathBuf>,
    /// Domain knowledge folder [default: corpus/knowledge]; its own model, if any, is ignored.
    #[arg(long, value_name = "DIR")]
    pub knowledge: Option<PathBuf>,
}

/// Runs `jindu eval tagging-model`.
pub fn run(args: TaggingModelArgs) -> i32 {
    match tagging_model(&args) {
        Ok(()) => EXIT_OK,
        Err(message) => {
            eprintln!("error: {message}");
            EXIT_ERROR
        }
    }
}

/// The add and drop thresholds the cross-validation tries, besides the chosen ones.
const ADD_GRID: &[f32] = &[0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 0.95];
const DROP_GRID: &[f32] = &[0.0, 0.05, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5];

/// One text of a held-out fold: its gold types, the rules' types and the model's
/// probabilities (taxonomy order).
struct Judged {
    gold: BTreeSet<usize>,
    rules: BTreeSet<usize>,
    probabilities: Vec<f32>,
    blocked: Vec<bool>,
}

fn tagging_model(args: &TaggingModelArgs) -> Result<(), String> {
    let mut knowledge: Knowledge = load_knowledge(&args.knowledge).map_err(|e| e.to_string())?;
    knowledge.coop_model = None;
    let types: Vec<String> = knowledge
        .taxonomy
        .types
        .iter()
        .map(|t| t.name.clone())
        .collect();
    let mut sets: Vec<(String, Vec<LabelledText>)> = Vec::new();
    for path in &args.sets {
        let texts = read_set(path).map_err(|e| e.to_string())?;
        for text in &texts {
            if let Some(unknown) = text.coop_types.iter().find(|t| !types.contains(t)) {
                return Err(format!(
                    "{}: text {} has the unknown type {unknown:?}",
                    path.display(),
                    text.id
                ));
            }
        }
        sets.push((path.display().to_string(), texts));
    }
    let options = TrainOptions {
        c: args.c,
        min_df: args.min_df,
        add: args.add,
        drop: args.drop,
        ..TrainOptions::default()
    };
    let mut out = String::new();
    if !args.no_cross_validation {
        if sets.len() < 2 {
            return Err("the cross-validation needs at least two --set".to_string());
        }
        let pooled: Vec<String> = args.pool.iter().map(|p| p.display().to_string()).collect();
        if let Some(unknown) = pooled.iter().find(|p| !sets.iter().any(|(n, _)| n == *p)) {
            return Err(format!("--pool {unknown} is not one of the --set files"));
        }
        cross_validate(&knowledge, &types, &sets, &pooled, &options, &mut out)?;
    }
    if let Some(path) = &args.out {
        let all: Vec<LabelledText> = sets.iter().flat_map(|(_, t)| t.clone()).collect();
        let model = train(&all, &types, &options);
        let comment = vec![
            "jindu's cooperation-type model: logistic regression a type on the character n-grams of normalized text.".to_string(),
            format!(
                "Fitted by `jindu eval tagging-model --out` on {} texts: {}.",
                all.len(),
                sets.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>().join(", ")
            ),
            format!("C {}, n-grams in at least {} texts; generated, do not edit by hand.", options.c, options.min_df),
        ];
        std::fs::write(path, model.to_tsv(&comment))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        out.push_str(&format!(
            "wrote {} ({} n-grams, {} types, add {}, drop {})\n",
            path.display(),
            model.features.len(),
            model.types.len(),
            model.add,
            model.drop
        ));
    }
    super::write_stdout(&out)
}

/// Leave-one-set-out: each set judged by a model fitted on the others.
fn cross_validate(
    knowledge: &Knowledge,
    types: &[String],
    sets: &[(String, Vec<LabelledText>)],
    pooled: &[String],
    options: &TrainOptions,
    out: &mut String,
) -> Result<(), String> {
    let index_of = |names: &[String]| -> BTreeSet<usize> {
        names
            .iter()
            .filter_map(|n| types.iter().position(|t| t == n))
            .collect()
    };
    let mut folds: Vec<(String, Vec<Judged>)> = Vec::new();
    let analyzer = Arc::new(Analyzer::new(knowledge));
    for (held_out, (name, texts)) in sets.iter().enumerate() {
        let training: Vec<LabelledText> = sets
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != held_out)
            .flat_map(|(_, (_, t))| t.clone())
            .collect();
        // Thresholds of 0 make the tagger report every type's probability and verdict, so
        // any thresholds can be applied afterwards, through the tagger's own path.
        let mut model: CoopModel = train(&training, types, options);
        model.add = 0.0;
        model.drop = 0.0;
        let mut with_model = knowledge.clone();
        with_model.coop_model = Some(model);
        let tagger =
            Tagger::with_analyzer(&with_model, analyzer.clone()).map_err(|e| e.to_string())?;
        let judged = texts
            .iter()
            .map(|text| {
                let explanation = tagger.explain(&text.text);
                let mut judged = Judged {
                    gold: index_of(&text.coop_types),
                    rules: index_of(&Explanation::values(&explanation.coop_types)),
                    probabilities: vec![0.0; types.len()],
                    blocked: vec![false; types.len()],
                };
                if !explanation.coop_model.is_empty() {
                    judged.rules.clear();
                }
                for score in &explanation.coop_model {
                    let Some(ty) = types.iter().position(|t| t == &score.value) else {
                        continue;
                    };
                    judged.probabilities[ty] = score.probability;
                    judged.blocked[ty] = score.verdict == Verdict::Blocked;
                    if matches!(score.verdict, Verdict::Kept | Verdict::Dropped) {
                        judged.rules.insert(ty);
                    }
                }
                judged
            })
            .collect();
        folds.push((name.clone(), judged));
    }
    out.push_str(
        "leave-one-set-out, coop_types (each set judged by a model fitted on the others)\n\n",
    );
    out.push_str(&format!(
        "{:<34} {:>13} {:>13}\n",
        "held-out set", "rules P / R", "model P / R"
    ));
    let all: Vec<&Judged> = folds
        .iter()
        .filter(|(name, _)| pooled.is_empty() || pooled.contains(name))
        .flat_map(|(_, j)| j)
        .collect();
    let over = match pooled.len() {
        0 => "all sets".to_string(),
        1 => "1 pooled set".to_string(),
        n => format!("{n} pooled sets"),
    };
    for (name, judged) in &folds {
        let judged: Vec<&Judged> = judged.iter().collect();
        let (p0, r0) = score(&judged, None);
        let (p1, r1) = score(&judged, Some((options.add, options.drop)));
        out.push_str(&format!(
            "{name:<34} {p0:>6.3} {r0:>6.3} {p1:>6.3} {r1:>6.3}\n"
        ));
    }
    let (p0, r0) = score(&all, None);
    out.push_str(&format!("\n{over}, rules only: P {p0:.3}  R {r0:.3}\n"));
    out.push_str(&format!(
        "{over}, rules + model (add at p >= A, drop under p < D):\n"
    ));
    for &add in ADD_GRID {
        for &drop in DROP_GRID {
            let (p, r) = score(&all, Some((add, drop)));
            let chosen = if (add, drop) == (options.add, options.drop) {
                "  <- chosen"
            } else {
                ""
            };
            out.push_str(&format!(
                "  A {add:.2}  D {drop:.2}   P {p:.3}  R {r:.3}{chosen}\n"
            ));
        }
    }
    Ok(())
}

/// Micro precision and recall of the rules (`None`) or of the rules judged by the model.
fn score(judged: &[&Judged], thresholds: Option<(f32, f32)>) -> (f64, f64) {
    let (mut tp, mut found, mut expected) = (0usize, 0usize, 0usize);
    for text in judged {
        let given: BTreeSet<usize> = match thresholds {
            None => text.rules.clone(),
            Some((add, drop)) => (0..text.probabilities.len())
                .filter(|ty| {
                    matches!(
                        decide(
                            text.rules.contains(ty),
                            text.probabilities[*ty],
                            (add, drop),
                            text.blocked[*ty]
                        ),
                        Verdict::Kept | Verdict::Added
                    )
                })
                .collect(),
        };
        tp += given.intersection(&text.gold).count();
        found += given.len();
        expected += text.gold.len();
    }
    let ratio = |n: usize, d: usize| if d == 0 { 1.0 } else { n as f64 / d as f64 };
    (ratio(tp, found), ratio(tp, expected))
}
