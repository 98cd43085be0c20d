//! Ranking metrics over graded judgments: nDCG@k (gain 2^grade − 1), recall@k and MRR (a
//! document with grade ≥ 1 is relevant), precision@k.

use std::collections::HashMap;

/// nDCG@k of `ranked` ids against graded `judgments`.
pub fn ndcg_at(ranked: &[String], judgments: &HashMap<String, u32>, k: usize) -> f64 {
    let gain = |grade: u32| (2f64.powi(grade as i32)) - 1.0;
    let discount = |rank: usize| 1.0 / ((rank as f64) + 2.0).log2();
    let dcg: f64 = ranked
        .iter()
        .take(k)
        .enumerate()
        .map(|(rank, id)| gain(judgments.get(id).copied().unwrap_or(0)) * discount(rank))
        .sum();
    let mut ideal: Vec<u32> = judgments.values().copied().filter(|&g| g > 0).collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(k)
        .enumerate()
        .map(|(rank, &grade)| gain(grade) * discount(rank))
        .sum();
    if idcg == 0.0 {
        0.0
    } else {
        dcg / idcg
    }
}

/// Recall@k: the share of relevant documents found in the first k.
pub fn recall_at(ranked: &[String], judgments: &HashMap<String, u32>, k: usize) -> f64 {
    let relevant = judgments.values().filter(|&&g| g > 0).count();
    if relevant == 0 {
        return 0.0;
    }
    let found = ranked
        .iter()
        .take(k)
        .filter(|id| judgments.get(*id).is_some_and(|&g| g > 0))
        .count();
    found as f64 / relevant as f64
}

/// Precision@k: the share of the first k (k, not fewer) that are relevant.
pub fn precision_at(ranked: &[String], judgments: &HashMap<String, u32>, k: usize) -> f64 {
    let found = ranked
        .iter()
        .take(k)
        .filter(|id| judgments.get(*id).is_some_and(|&g| g > 0))
        .count();
    found as f64 / k as f64
}

/// Reciprocal rank of the first relevant document.
pub fn reciprocal_rank(ranked: &[String], judgments: &HashMap<String, u32>) -> f64 {
    ranked
        .iter()
        .position(|id| judgments.get(id).is_some_and(|&g| g > 0))
        .map(|rank| 1.0 / (rank as f64 + 1.0))
        .unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(pairs: &[(&str, u32)]) -> HashMap<String, u32> {
        pairs.iter().map(|(id, g)| (id.to_string(), *g)).collect()
    }

    fn ranked(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn perfect_and_reversed_rankings() {
        let j = judged(&[("a", 3), ("b", 1)]);
        assert!((ndcg_at(&ranked(&["a", "b"]), &j, 10) - 1.0).abs() < 1e-9);
        let reversed = ndcg_at(&ranked(&["b", "a"]), &j, 10);
        assert!(reversed < 1.0 && reversed > 0.5);
        assert_eq!(recall_at(&ranked(&["x", "a"]), &j, 1), 0.0);
        assert_eq!(recall_at(&ranked(&["x", "a"]), &j, 2), 0.5);
        assert_eq!(reciprocal_rank(&ranked(&["x", "b"]), &j), 0.5);
        assert_eq!(precision_at(&ranked(&["a"]), &j, 10), 0.1);
    }
}
