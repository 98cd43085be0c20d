//! The cooperation-type model at work: scores a text's character n-grams with the trained
//! weights of `coop_model.tsv`, then adds the types it is sure of that the cue rules missed and
//! drops the rules' types it finds very unlikely. It runs only behind the international gate,
//! like the rules, and tells which n-grams weighed most for a type it adds.

use std::collections::HashMap;

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

/// Each distinct n-gram of `norm` (`min..=max` chars, none containing white space) with its
/// count and the char index of its first occurrence. Training and scoring both use this, on
/// the tagger's normalized text.
pub fn ngram_counts(norm: &str, (min, max): (usize, usize)) -> HashMap<&str, (u32, usize)> {
    let starts: Vec<(usize, char)> = norm.char_indices().collect();
    let mut counts: HashMap<&str, (u32, usize)> = HashMap::new();
    for (i, &(byte, _)) in starts.iter().enumerate() {
        for n in min..=max {
            let Some(window) = starts.get(i..i + n) else {
                break;
            };
            if window.iter().any(|(_, c)| c.is_whitespace()) {
                break;
            }
            let end = starts.get(i + n).map_or(norm.len(), |&(b, _)| b);
            counts.entry(&norm[byte..end]).or_insert((0, i)).0 += 1;
        }
    }
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

/// A model bound to the taxonomy's type order.
#[derive(Debug)]
pub(crate) struct TypeModel {
    model: CoopModel,
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
        TypeModel {
            columns: names
                .iter()
                .map(|name| model.types.iter().position(|t| t == name))
                .collect(),
            model: model.clone(),
        }
    }

    /// The add and drop thresholds.
    pub fn thresholds(&self) -> (f32, f32) {
        (self.model.add, self.model.drop)
    }

    /// Per taxonomy type: the probability and reasons (`None` for a type the model lacks).
    pub fn score(&self, norm: &str) -> Vec<Option<Scored>> {
        let counts = ngram_counts(norm, self.model.ngrams);
        let mut known: Vec<(&str, f32, usize)> = counts
            .iter()
            .filter_map(|(ngram, &(count, first))| {
                let feature = self.model.features.get(*ngram)?;
                Some((*ngram, tf_idf(count, feature.idf), first))
            })
            .collect();
        known.sort_unstable_by_key(|k| k.2);
        let norm2: f32 = known.iter().map(|k| k.1 * k.1).sum::<f32>().sqrt();
        let scale = if norm2 > 0.0 { 1.0 / norm2 } else { 0.0 };
        self.columns
            .iter()
            .map(|column| {
                let column = (*column)?;
                let mut contributions: Vec<(f32, usize, usize)> = Vec::new();
                let mut z = self.model.bias[column];
                for &(ngram, weight, first) in &known {
                    let w = self.model.features[ngram].weights[column];
                    let c = weight * scale * w;
                    z += c;
                    if c > 0.0 {
                        contributions.push((c, first, first + ngram.chars().count()));
                    }
                }
                contributions.sort_by(|a, b| b.0.total_cmp(&a.0));
                let mut reasons: Vec<(usize, usize)> = contributions
                    .iter()
                    .take(REASONS)
                    .map(|c| (c.1, c.2))
                    .collect();
                reasons.sort_unstable();
                Some(Scored {
                    probability: sigmoid(z),
                    reasons,
                })
            })
            .collect()
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
