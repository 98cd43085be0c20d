//! Similar-case retrieval on CAIL2018 facts: a case's facts as the query ("more like this"),
//! the cases sharing at least one charge as relevant.

use std::collections::HashMap;

use serde::Serialize;

use super::metrics::{ndcg_at, precision_at};
use crate::index::IndexHandle;
use crate::search::{similar, SimilarRequest};

/// Similar-case figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SimilarReport {
    /// Query cases averaged.
    pub queries: usize,
    /// Mean precision@10.
    pub precision_10: f64,
    /// Mean nDCG@10 (binary gains).
    pub ndcg_10: f64,
    /// Precision@10 a random ranking would get (the mean share of relevant cases).
    pub random_precision_10: f64,
}

/// Evaluates `similar` for every `stride`-th case of `charges` (id → charges of each indexed
/// case).
pub fn evaluate_similar_cases(
    handle: &IndexHandle,
    charges: &[(String, Vec<String>)],
    stride: usize,
) -> Result<SimilarReport, String> {
    let mut by_charge: HashMap<&str, Vec<&str>> = HashMap::new();
    for (id, list) in charges {
        for charge in list {
            by_charge
                .entry(charge.as_str())
                .or_default()
                .push(id.as_str());
        }
    }
    let mut report = SimilarReport::default();
    let total = charges.len().max(1) as f64;
    for (id, list) in charges.iter().step_by(stride.max(1)) {
        let mut judgments: HashMap<String, u32> = HashMap::new();
        for charge in list {
            for other in by_charge.get(charge.as_str()).into_iter().flatten() {
                if *other != id {
                    judgments.insert(other.to_string(), 1);
                }
            }
        }
        if judgments.is_empty() {
            continue;
        }
        let request = SimilarRequest {
            limit: 10,
            ..SimilarRequest::default()
        };
        let Some(result) = similar(handle, id, &request).map_err(|e| e.to_string())? else {
            continue;
        };
        let ranked: Vec<String> = result.hits.into_iter().map(|h| h.id).collect();
        report.queries += 1;
        report.precision_10 += precision_at(&ranked, &judgments, 10);
        report.ndcg_10 += ndcg_at(&ranked, &judgments, 10);
        report.random_precision_10 += judgments.len() as f64 / (total - 1.0).max(1.0);
    }
    if report.queries > 0 {
        let n = report.queries as f64;
        report.precision_10 /= n;
        report.ndcg_10 /= n;
        report.random_precision_10 /= n;
    }
    Ok(report)
}
