//! `jindu eval`: ranking quality on the judged sets, printed as a table or JSON. Each run
//! builds throwaway indexes with the current analysis and ranking, so the figures always
//! describe the code as it is.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use serde_json::json;

use super::{load_knowledge, EXIT_ERROR, EXIT_OK};
use crate::corpus::{DocType, Document};
use crate::evaluation::{self, evaluate, load_queries, Metrics, Report};
use crate::index::{build_index, BuildOptions, BuildProgress, IndexHandle};
use crate::knowledge::Knowledge;

/// Arguments of `jindu eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Which evaluation.
    #[command(subcommand)]
    pub which: EvalCommand,
}

/// The evaluations.
#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Judged queries over the bundled corpus (nDCG@10, Recall@10/100, MRR by kind).
    Search(SearchEvalArgs),
    /// Colloquial questions against statute articles from ../shared (STARD-like).
    Lawqa(LawqaArgs),
    /// Similar cases on CAIL2018 facts (precision@10, nDCG@10).
    Similar(SimilarArgs),
    /// All of the above that have their data.
    All(AllArgs),
    /// The tagger: precision and recall per field (countries, organizations, coop_types,
    /// drug_types; year accuracy), CAIL drug types, and false countries on real cases.
    Tagging(super::eval_tagging::TaggingArgs),
    /// The tagger's cooperation-type model: leave-one-set-out scores over a grid of
    /// thresholds, and with --out a model fitted on all the sets given.
    TaggingModel(super::eval_tagging_model::TaggingModelArgs),
}

/// Common options.
#[derive(Debug, Clone, Args)]
pub struct CommonArgs {
    /// Domain knowledge folder [default: corpus/knowledge].
    #[arg(long, value_name = "DIR")]
    pub knowledge: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `jindu eval search`.
#[derive(Debug, Args)]
pub struct SearchEvalArgs {
    /// Judged queries.
    #[arg(long, default_value = "eval/search/queries.jsonl")]
    pub queries: PathBuf,
    /// Corpus to index.
    #[arg(long, default_value = "corpus")]
    pub corpus: PathBuf,
    /// Print each query's nDCG@10 too.
    #[arg(long)]
    pub verbose: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `jindu eval lawqa`.
#[derive(Debug, Args)]
pub struct LawqaArgs {
    /// Judged questions.
    #[arg(long, default_value = evaluation::LAWQA_QUERIES)]
    pub queries: PathBuf,
    /// The laws, one JSON object a line.
    #[arg(long, default_value = "../shared/data/policy/drug_control_laws.jsonl")]
    pub laws: PathBuf,
    /// Print each question's nDCG@10 too.
    #[arg(long)]
    pub verbose: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `jindu eval similar`.
#[derive(Debug, Args)]
pub struct SimilarArgs {
    /// CAIL2018 cases (`fact`, `accusation`).
    #[arg(long, default_value = "../shared/data/cases/cail2018_sample.jsonl")]
    pub cases: PathBuf,
    /// Use every N-th case as a query.
    #[arg(long, default_value_t = 10)]
    pub stride: usize,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `jindu eval all`.
#[derive(Debug, Args)]
pub struct AllArgs {
    #[command(flatten)]
    pub common: CommonArgs,
}

/// A throwaway index, removed on drop.
pub struct TempIndex {
    dir: PathBuf,
    /// The opened index.
    pub handle: IndexHandle,
}

impl Drop for TempIndex {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Builds a throwaway index of `corpus` paths.
pub fn temp_index(
    name: &str,
    corpus: &[PathBuf],
    knowledge: &Knowledge,
) -> Result<TempIndex, String> {
    let dir = std::env::temp_dir().join(format!("jindu-eval-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    build_index(
        &dir,
        corpus,
        knowledge,
        &BuildOptions::default(),
        &BuildProgress::default(),
    )
    .map_err(|e| match e {
        crate::index::IndexError::Invalid { errors } => errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    })?;
    let handle = IndexHandle::open(&dir).map_err(|e| e.to_string())?;
    Ok(TempIndex { dir, handle })
}

/// Writes documents as a JSONL corpus file in a fresh temp folder.
fn temp_corpus(name: &str, documents: &[Document]) -> Result<PathBuf, String> {
    let dir = std::env::temp_dir().join(format!("jindu-eval-corpus-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let path = dir.join("corpus.jsonl");
    let mut text = String::new();
    for document in documents {
        text.push_str(&serde_json::to_string(document).map_err(|e| e.to_string())?);
        text.push('\n');
    }
    std::fs::write(&path, text).map_err(|e| e.to_string())?;
    Ok(path)
}

fn metrics_line(name: &str, m: &Metrics) -> String {
    format!(
        "{name:<12} {:>4}  {:>7.3}  {:>7.3}  {:>8.3}  {:>6.3}",
        m.queries, m.ndcg_10, m.recall_10, m.recall_100, m.mrr
    )
}

fn print_report(title: &str, report: &Report) {
    println!("{title}");
    println!(
        "{:<12} {:>4}  {:>7}  {:>7}  {:>8}  {:>6}",
        "", "n", "nDCG@10", "R@10", "R@100", "MRR"
    );
    println!("{}", metrics_line("all", &report.all));
    if report.by_kind.len() > 1 {
        for (kind, metrics) in &report.by_kind {
            println!("{}", metrics_line(kind, metrics));
        }
    }
}

fn per_query(handle: &IndexHandle, queries: &[evaluation::JudgedQuery]) -> Result<(), String> {
    for query in queries {
        let ranked = evaluation::ranked_ids(handle, &query.query)?;
        let ndcg = evaluation::ndcg_at(&ranked, &query.judgments, 10);
        let r100 = evaluation::recall_at(&ranked, &query.judgments, 100);
        println!(
            "{:>6} ndcg={ndcg:.3} r100={r100:.3} hits={:>3}  {}",
            query.id,
            ranked.len(),
            query.query
        );
    }
    Ok(())
}

fn run_search(
    args: &SearchEvalArgs,
    knowledge: &Knowledge,
) -> Result<(Report, Option<TempIndex>), String> {
    let queries = load_queries(&args.queries)?;
    let index = temp_index("search", std::slice::from_ref(&args.corpus), knowledge)?;
    if args.verbose {
        per_query(&index.handle, &queries)?;
    }
    Ok((evaluate(&index.handle, &queries)?, Some(index)))
}

fn run_lawqa(args: &LawqaArgs, knowledge: &Knowledge) -> Result<Report, String> {
    let laws =
        std::fs::read_to_string(&args.laws).map_err(|e| format!("{}: {e}", args.laws.display()))?;
    let articles = evaluation::law_articles(&laws)?;
    let corpus = temp_corpus("lawqa", &articles)?;
    let index = temp_index("lawqa", std::slice::from_ref(&corpus), knowledge);
    let _ = std::fs::remove_dir_all(corpus.parent().unwrap_or(Path::new("/nonexistent")));
    let index = index?;
    let queries = load_queries(&args.queries)?;
    if args.verbose {
        per_query(&index.handle, &queries)?;
    }
    evaluate(&index.handle, &queries)
}

fn run_similar(
    args: &SimilarArgs,
    knowledge: &Knowledge,
) -> Result<evaluation::SimilarReport, String> {
    let text = std::fs::read_to_string(&args.cases)
        .map_err(|e| format!("{}: {e}", args.cases.display()))?;
    let mut documents = Vec::new();
    let mut charges = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let case: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("line {}: {e}", n + 1))?;
        let id = case["id"].as_str().unwrap_or_default().to_string();
        let fact = case["fact"].as_str().unwrap_or_default().trim().to_string();
        if id.is_empty() || fact.is_empty() {
            continue;
        }
        let accusation: Vec<String> = case["accusation"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        documents.push(Document {
            id: id.clone(),
            title: fact.chars().take(30).collect(),
            body: fact,
            doc_type: DocType::Case,
            countries: Some(Vec::new()),
            organizations: Some(Vec::new()),
            coop_types: Some(Vec::new()),
            drug_types: Some(Vec::new()),
            year: None,
            date: None,
            source: None,
            url: None,
        });
        charges.push((id, accusation));
    }
    let corpus = temp_corpus("similar", &documents)?;
    let index = temp_index("similar", std::slice::from_ref(&corpus), knowledge);
    let _ = std::fs::remove_dir_all(corpus.parent().unwrap_or(Path::new("/nonexistent")));
    evaluation::evaluate_similar_cases(&index?.handle, &charges, args.stride)
}

fn print_similar(report: &evaluation::SimilarReport) {
    println!("similar cases (CAIL2018, charge overlap)");
    println!(
        "queries {}  precision@10 {:.3}  nDCG@10 {:.3}  (random precision@10 {:.3})",
        report.queries, report.precision_10, report.ndcg_10, report.random_precision_10
    );
}

/// Runs `jindu eval`.
pub fn run(args: EvalArgs) -> i32 {
    let which = match args.which {
        EvalCommand::Tagging(tagging) => return super::eval_tagging::run(tagging),
        EvalCommand::TaggingModel(model) => return super::eval_tagging_model::run(model),
        other => other,
    };
    let args = EvalArgs { which };
    let common = match &args.which {
        EvalCommand::Search(a) => a.common.clone(),
        EvalCommand::Lawqa(a) => a.common.clone(),
        EvalCommand::Similar(a) => a.common.clone(),
        EvalCommand::All(a) => a.common.clone(),
        EvalCommand::Tagging(_) | EvalCommand::TaggingModel(_) => return EXIT_ERROR,
    };
    let knowledge = match load_knowledge(&common.knowledge) {
        Ok(knowledge) => knowledge,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    let outcome: Result<serde_json::Value, String> = match &args.which {
        EvalCommand::Search(a) => run_search(a, &knowledge).map(|(report, _)| {
            if !common.json {
                print_report("bundled corpus (eval/search)", &report);
            }
            json!({"search": report})
        }),
        EvalCommand::Lawqa(a) => run_lawqa(a, &knowledge).map(|report| {
            if !common.json {
                print_report("law articles (eval/lawqa)", &report);
            }
            json!({"lawqa": report})
        }),
        EvalCommand::Similar(a) => run_similar(a, &knowledge).map(|report| {
            if !common.json {
                print_similar(&report);
            }
            json!({"similar": report})
        }),
        EvalCommand::All(_) => (|| {
            let mut all = serde_json::Map::new();
            let search = SearchEvalArgs {
                queries: PathBuf::from("eval/search/queries.jsonl"),
                corpus: PathBuf::from("corpus"),
                verbose: false,
                common: common.clone(),
            };
            let (report, _) = run_search(&search, &knowledge)?;
            if !common.json {
                print_report("bundled corpus (eval/search)", &report);
            }
            all.insert("search".into(), json!(report));
            let lawqa = LawqaArgs {
                queries: PathBuf::from(evaluation::LAWQA_QUERIES),
                laws: PathBuf::from("../shared/data/policy/drug_control_laws.jsonl"),
                verbose: false,
                common: common.clone(),
            };
            if lawqa.laws.exists() {
                let report = run_lawqa(&lawqa, &knowledge)?;
                if !common.json {
                    print_report("law articles (eval/lawqa)", &report);
                }
                all.insert("lawqa".into(), json!(report));
            } else {
                eprintln!("skipping lawqa: {} is absent", lawqa.laws.display());
            }
            let similar = SimilarArgs {
                cases: PathBuf::from("../shared/data/cases/cail2018_sample.jsonl"),
                stride: 10,
                common: common.clone(),
            };
            if similar.cases.exists() {
                let report = run_similar(&similar, &knowledge)?;
                if !common.json {
                    print_similar(&report);
                }
                all.insert("similar".into(), json!(report));
            } else {
                eprintln!("skipping similar: {} is absent", similar.cases.display());
            }
            Ok(serde_json::Value::Object(all))
        })(),
        EvalCommand::Tagging(_) | EvalCommand::TaggingModel(_) => Err("unreachable".to_string()),
    };
    match outcome {
        Ok(value) => {
            if common.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&value).unwrap_or_default()
                );
            }
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_ERROR
        }
    }
}
