//! Evaluation of ranking quality: judged query sets (the bundled corpus, the law-article
//! questions) and similar-case retrieval (CAIL2018 charges), printing nDCG@10, Recall@10/100,
//! MRR and precision@10. Uses search and index; nothing depends on it.

mod lawqa;
mod metrics;
mod similar;

pub use lawqa::{law_articles, LAWQA_QUERIES};
pub use metrics::{ndcg_at, precision_at, recall_at, reciprocal_rank};
pub use similar::{evaluate_similar_cases, SimilarReport};

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::index::IndexHandle;
use crate::search::{search, SearchRequest};

/// One judged query.
#[derive(Debug, Clone, Deserialize)]
pub struct JudgedQuery {
    /// Query id.
    pub id: String,
    /// The query text.
    pub query: String,
    /// keyword, question, phrase … (optional).
    #[serde(default)]
    pub kind: Option<String>,
    /// Graded judgments by document id (`judgments` or `relevant` in the file).
    #[serde(alias = "relevant", default)]
    pub judgments: HashMap<String, u32>,
}

/// Reads a JSONL file of judged queries.
pub fn load_queries(path: &Path) -> Result<Vec<JudgedQuery>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(n, line)| {
            serde_json::from_str(line).map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))
        })
        .collect()
}

/// Mean metrics over a set of queries.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Metrics {
    /// Queries averaged.
    pub queries: usize,
    /// Mean nDCG@10.
    pub ndcg_10: f64,
    /// Mean recall@10.
    pub recall_10: f64,
    /// Mean recall@100.
    pub recall_100: f64,
    /// Mean reciprocal rank.
    pub mrr: f64,
}

impl Metrics {
    fn add(&mut self, ranked: &[String], judgments: &HashMap<String, u32>) {
        self.queries += 1;
        self.ndcg_10 += ndcg_at(ranked, judgments, 10);
        self.recall_10 += recall_at(ranked, judgments, 10);
        self.recall_100 += recall_at(ranked, judgments, 100);
        self.mrr += reciprocal_rank(ranked, judgments);
    }

    fn finish(mut self) -> Metrics {
        if self.queries > 0 {
            let n = self.queries as f64;
            self.ndcg_10 /= n;
            self.recall_10 /= n;
            self.recall_100 /= n;
            self.mrr /= n;
        }
        self
    }
}

/// Metrics overall and by query kind.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Over every query with at least one relevant document.
    pub all: Metrics,
    /// By kind.
    pub by_kind: BTreeMap<String, Metrics>,
    /// Queries without relevant documents (not averaged) whose first hit scored anyway.
    pub unjudged_with_hits: usize,
}

/// The first 100 ids the search returns for `query` (two pages of 100 are not needed: limit
/// is at most 100).
pub fn ranked_ids(handle: &IndexHandle, query: &str) -> Result<Vec<String>, String> {
    let request = SearchRequest {
        q: query.to_string(),
        limit: 100,
        ..SearchRequest::default()
    };
    let result = search(handle, &request).map_err(|e| e.to_string())?;
    Ok(result.hits.into_iter().map(|h| h.id).collect())
}

/// Runs every judged query and averages the metrics.
pub fn evaluate(handle: &IndexHandle, queries: &[JudgedQuery]) -> Result<Report, String> {
    let mut all = Metrics::default();
    let mut by_kind: BTreeMap<String, Metrics> = BTreeMap::new();
    let mut unjudged_with_hits = 0;
    for query in queries {
        let ranked = ranked_ids(handle, &query.query)?;
        if !query.judgments.values().any(|&g| g > 0) {
            if !ranked.is_empty() {
                unjudged_with_hits += 1;
            }
            continue;
        }
        all.add(&ranked, &query.judgments);
        by_kind
            .entry(query.kind.clone().unwrap_or_else(|| "all".to_string()))
            .or_default()
            .add(&ranked, &query.judgments);
    }
    Ok(Report {
        all: all.finish(),
        by_kind: by_kind.into_iter().map(|(k, m)| (k, m.finish())).collect(),
        unjudged_with_hits,
    })
}
