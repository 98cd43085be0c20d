//! The cooperation-type model at work: scores a text's character n-grams with the trained
//! weights of `coop_model.tsv`, then adds the types it is sure of that the cue rules missed and
//! drops the rules' types it finds very unlikely. It runs only behind the international gate,
//! like the rules, and tells which n-grams weighed most for a type it adds.

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::knowledge::CoopModel;

/// The longest text the model judges, in chars: it was fitted on passages of up to 300
/// chars, and longer texts (whole articles, policy documents) keep the rules' verdict.
pub const MAX_CHARS: usize = 1000;

/// What the model did with one type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The rules gave it and the model agreed (or was not sure enough to object).
    Kept,
    /// The rules gave it and the model found it too unlikely.
    Dropped,
    /// The rules did not give it; the model is sure of it.
    Added,
    /// The model is sure of it, but the context ruled it out (a report on the drug
    /// situation, or cues of it set aside as a course's subject, an exclude phrase …).
    Blocked,
    /// Neither gave it.
    NotGiven,
}

/// What the model would do with a type the rules did (`by_rules`) or did not give, at
/// probability `p`. It does not add a type the context ruled out (`blocked`).
pub fn decide(by_rules: bool, p: f32, (add, drop): (f32, f32), blocked: bool) -> Verdict {
    match (by_rules, p) {
        (true, p) if p < drop => Verdict::Dropped,
        (true, _) => Verdict::Kept,
        (false, p) if p >= add && blocked => Verdict::Blocked,
        (false, p) if p >= add => Verdict::Added,
        (false, _) => Verdict::NotGiven,
    }
}

/// The model's probability for one type, as `jindu tag` shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelScore {
    /// The type.
    pub value: String,
    /// The model's probability (three decimals).
    pub probability: f32,
    /// What it did with the type.
    pub verdict: Verdict,
}

/// Calls `visit(ngram, first char, length in chars)` for every n-gram of `norm` (`min..=max`
/// chars, none containing white space), in text order.
fn each_ngram<'a>(
    norm: &'a str,
    (min, max): (usize, usize),
    mut visit: impl FnMut(&'a str, usize, usize),
) {
    let starts: Vec<(usize, char)> = norm.char_indices().collect();
    for (i, &(byte, _)) in starts.iter().enumerate() {
        for n in min..=max {
            let Some(window) = starts.get(i..i + n) else {
                break;
            };
            if window.iter().any(|(_, c)| c.is_whitespace()) {
                break;
            }
            let end = starts.get(i + n).map_or(norm.len(), |&(b, _)| b);
            visit(&norm[byte..end], i, n);
        }
    }
}

/// Each distinct n-gram of `norm` (`min..=max` chars, none containing white space) with its
/// count and the char index of its first occurrence. Training uses this, on the tagger's
/// normalized text; scoring walks the same n-grams with [`each_ngram`].
pub fn ngram_counts(norm: &str, ngrams: (usize, usize)) -> HashMap<&str, (u32, usize)> {
    let mut counts: HashMap<&str, (u32, usize)> = HashMap::new();
    each_ngram(norm, ngrams, |ngram, first, _| {
        counts.entry(ngram).or_insert((0, first)).0 += 1;
    });
    counts
}

/// The sublinear TF-IDF weight of an n-gram seen `count` times.
pub fn tf_idf(count: u32, idf: f32) -> f32 {
    (1.0 + (count as f32).ln()) * idf
}

/// The logistic function.
pub fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

/// A model bound to the taxonomy's type order, laid out for scoring: each n-gram's row of
/// weights sits in one flat array, found through one Fx-hashed lookup (much faster than
/// SipHash on the short keys looked up for every text).
#[derive(Debug)]
pub(crate) struct TypeModel {
    ngrams: (usize, usize),
    add: f32,
    drop: f32,
    bias: Vec<f32>,
    /// N-gram → row.
    rows: FxHashMap<Box<str>, u32>,
    /// Per row: the n-gram's inverse document frequency.
    idf: Vec<f32>,
    /// Row-major weights, `bias.len()` a row (the model's type order).
    weights: Vec<f32>,
    /// Per taxonomy type: its column in the model, if the model knows it.
    columns: Vec<Option<usize>>,
}

/// One type's probability and the n-grams that weighed most for it (chars, start, end).
pub(crate) struct Scored {
    pub probability: f32,
    pub reasons: Vec<(usize, usize)>,
}

/// How many n-grams `jindu tag` shows for a type the model added.
const REASONS: usize = 3;

impl TypeModel {
    /// Binds `model` to the taxonomy's `names`.
    pub fn new(model: &CoopModel, names: &[String]) -> TypeModel {
        let width = model.bias.len();
        let mut rows =
            FxHashMap::with_capacity_and_hasher(model.features.len(), Default::default());
        let mut idf = Vec::with_capacity(model.features.len());
        let mut weights = Vec::with_capacity(model.features.len() * width);
        let mut features: Vec<(&String, &crate::knowledge::ModelFeature)> =
            model.features.iter().collect();
        features.sort_unstable_by(|a, b| a.0.cmp(b.0));
        for (row, (ngram, feature)) in features.into_iter().enumerate() {
            rows.insert(ngram.as_str().into(), row as u32);
            idf.push(feature.idf);
            weights.extend((0..width).map(|c| feature.weights.get(c).copied().unwrap_or(0.0)));
        }
        TypeModel {
            ngrams: model.ngrams,
            add: model.add,
            drop: model.drop,
            bias: model.bias.clone(),
            rows,
            idf,
            weights,
            columns: names
                .iter()
                .map(|name| model.types.iter().position(|t| t == name))
                .collect(),
        }
    }

    /// The add and drop thresholds.
    pub fn thresholds(&self) -> (f32, f32) {
        (self.add, self.drop)
    }

    /// Per taxonomy type: the probability, and for a type at or over the add threshold the
    /// n-grams that weighed most (`None` for a type the model lacks).
    pub fn score(&self, norm: &str) -> Vec<Option<Scored>> {
        // (row, count, first char, length) of each known n-gram, in order of first occurrence.
        let mut seen: FxHashMap<u32, usize> = FxHashMap::default();
        let mut known: Vec<(u32, u32, usize, usize)> = Vec::new();
        each_ngram(norm, self.ngrams, |ngram, first, n| {
            let Some(&row) = self.rows.get(ngram) else {
                return;
            };
            match seen.get(&row) {
                Some(&at) => known[at].1 += 1,
                None => {
                    seen.insert(row, known.len());
                    known.push((row, 1, first, n));
                }
            }
        });
        let values: Vec<f32> = known
            .iter()
            .map(|&(row, count, _, _)| tf_idf(count, self.idf[row as usize]))
            .collect();
        let norm2: f32 = values.iter().map(|v| v * v).sum::<f32>().sqrt();
        let scale = if norm2 > 0.0 { 1.0 / norm2 } else { 0.0 };
        let width = self.bias.len();
        let mut z = self.bias.clone();
        for (&(row, ..), value) in known.iter().zip(&values) {
            let from = row as usize * width;
            for (z, w) in z.iter_mut().zip(&self.weights[from..from + width]) {
                *z += value * scale * w;
            }
        }
        self.columns
            .iter()
            .map(|column| {
                let column = (*column)?;
                let probability = sigmoid(z[column]);
                let reasons = if probability >= self.add {
                    self.reasons(&known, &values, scale, column)
                } else {
                    Vec::new()
                };
                Some(Scored {
                    probability,
                    reasons,
                })
            })
            .collect()
    }

    /// The [`REASONS`] n-grams that weighed most for `column`, as char spans in text order.
    fn reasons(
        &self,
        known: &[(u32, u32, usize, usize)],
        values: &[f32],
        scale: f32,
        column: usize,
    ) -> Vec<(usize, usize)> {
        let width = self.bias.len();
        let mut contributions: Vec<(f32, usize, usize)> = known
            .iter()
            .zip(values)
            .map(|(&(row, _, first, n), value)| {
                let w = self.weights[row as usize * width + column];
                (value * scale * w, first, first + n)
            })
            .filter(|c| c.0 > 0.0)
            .collect();
        contributions.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut reasons: Vec<(usize, usize)> = contributions
            .iter()
            .take(REASONS)
            .map(|c| (c.1, c.2))
            .collect();
        reasons.sort_unstable();
        reasons
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ngrams_count_and_skip_white_space() {
        let counts = ngram_counts("情报交流 情报", (2, 3));
        assert_eq!(counts["情报"], (2, 0));
        assert_eq!(counts["报交流"], (1, 1));
        assert!(!counts.keys().any(|k| k.contains(' ')));
        assert_eq!(counts.len(), 3 + 2);
    }

    #[test]
    fn scores_are_the_logistic_of_the_normalized_tf_idf_sum() {
        use crate::knowledge::ModelFeature;
        let feature = |idf: f32, weights: [f32; 2]| ModelFeature {
            idf,
            weights: weights.to_vec(),
        };
        let model = CoopModel {
            ngrams: (2, 2),
            add: 0.6,
            drop: 0.1,
            types: vec!["甲".to_string(), "乙".to_string()],
            bias: vec![-1.0, 0.5],
            features: HashMap::from([
                ("情报".to_string(), feature(2.0, [3.0, -1.0])),
                ("交流".to_string(), feature(1.0, [1.0, 0.0])),
            ]),
            types_line: 0,
        };
        // Taxonomy order differs from the model's, and 丙 is unknown to it.
        let bound = TypeModel::new(&model, &["乙".into(), "丙".into(), "甲".into()]);
        let scored = bound.score("情报情报交流");
        // 情报 twice (tf 1 + ln 2, idf 2), 交流 once (idf 1), 报情 and 报交 unknown.
        let a = (1.0 + 2f32.ln()) * 2.0;
        let b = 1.0;
        let length = (a * a + b * b).sqrt();
        let p_jia = sigmoid(-1.0 + (a * 3.0 + b) / length);
        let p_yi = sigmoid(0.5 - a / length);
        let jia = scored[2].as_ref().expect("甲");
        let yi = scored[0].as_ref().expect("乙");
        assert!((jia.probability - p_jia).abs() < 1e-6);
        assert!((yi.probability - p_yi).abs() < 1e-6);
        assert!(scored[1].is_none());
        // Reasons only for a type at or over the add threshold, heaviest first, in text order.
        assert!(jia.probability >= 0.6 && yi.probability < 0.6);
        assert_eq!(jia.reasons, vec![(0, 2), (4, 6)]);
        assert!(yi.reasons.is_empty());
    }

    #[test]
    fn verdicts_follow_the_thresholds() {
        let at = (0.7, 0.1);
        assert_eq!(decide(true, 0.05, at, false), Verdict::Dropped);
        assert_eq!(decide(true, 0.5, at, false), Verdict::Kept);
        assert_eq!(decide(false, 0.7, at, false), Verdict::Added);
        assert_eq!(decide(false, 0.7, at, true), Verdict::Blocked);
        assert_eq!(decide(false, 0.69, at, false), Verdict::NotGiven);
        assert_eq!(decide(true, 0.05, at, true), Verdict::Dropped);
    }
}
