//! Fitting the cooperation-type model on labelled texts: sublinear TF-IDF over the character
//! n-grams of each normalized text (L2-normalized), then one class-balanced, L2-regularized
//! logistic regression a type, solved by accelerated gradient descent. Deterministic: the same
//! texts and options give the same model, byte for byte.

use std::collections::HashMap;

use super::coop::model::{ngram_counts, tf_idf};
use super::eval::LabelledText;
use super::text::Text;
use crate::knowledge::{CoopModel, ModelFeature};

/// How a model is fitted.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Shortest and longest n-gram, in chars.
    pub ngrams: (usize, usize),
    /// An n-gram must occur in at least this many texts.
    pub min_df: usize,
    /// Inverse regularization strength (larger fits the texts more closely).
    pub c: f64,
    /// Gradient steps per type.
    pub iterations: usize,
    /// The add threshold written into the model.
    pub add: f32,
    /// The drop threshold written into the model.
    pub drop: f32,
}

impl Default for TrainOptions {
    fn default() -> TrainOptions {
        TrainOptions {
            ngrams: (2, 3),
            min_df: 2,
            c: 4.0,
            iterations: 600,
            add: 0.7,
            drop: 0.1,
        }
    }
}

/// One text as a sparse, L2-normalized vector (feature index, value).
type Row = Vec<(u32, f64)>;

/// Fits a model for `types` (canonical names) on `texts`.
pub fn train(texts: &[LabelledText], types: &[String], options: &TrainOptions) -> CoopModel {
    let norms: Vec<String> = texts.iter().map(|t| Text::new(&t.text).norm.text).collect();
    let counts: Vec<HashMap<&str, (u32, usize)>> = norms
        .iter()
        .map(|norm| ngram_counts(norm, options.ngrams))
        .collect();
    let mut df: HashMap<&str, usize> = HashMap::new();
    for text in &counts {
        for ngram in text.keys() {
            *df.entry(ngram).or_default() += 1;
        }
    }
    let mut vocabulary: Vec<&str> = df
        .iter()
        .filter(|(_, &d)| d >= options.min_df)
        .map(|(ngram, _)| *ngram)
        .collect();
    vocabulary.sort_unstable();
    let index: HashMap<&str, u32> = vocabulary
        .iter()
        .enumerate()
        .map(|(i, ngram)| (*ngram, i as u32))
        .collect();
    let n = texts.len() as f32;
    let idf: Vec<f32> = vocabulary
        .iter()
        .map(|ngram| ((1.0 + n) / (1.0 + df[ngram] as f32)).ln() + 1.0)
        .collect();
    let rows: Vec<Row> = counts
        .iter()
        .map(|text| {
            let mut row: Row = text
                .iter()
                .filter_map(|(ngram, &(count, _))| {
                    let i = *index.get(ngram)?;
                    Some((i, f64::from(tf_idf(count, idf[i as usize]))))
                })
                .collect();
            row.sort_unstable_by_key(|r| r.0);
            let norm = row.iter().map(|r| r.1 * r.1).sum::<f64>().sqrt();
            if norm > 0.0 {
                row.iter_mut().for_each(|r| r.1 /= norm);
            }
            row
        })
        .collect();
    let mut weights = vec![vec![0f32; types.len()]; vocabulary.len()];
    let mut bias = Vec::with_capacity(types.len());
    for (column, ty) in types.iter().enumerate() {
        let labels: Vec<bool> = texts.iter().map(|t| t.coop_types.contains(ty)).collect();
        let (w, b) = logistic_regression(&rows, &labels, vocabulary.len(), options);
        for (row, value) in weights.iter_mut().zip(w) {
            row[column] = value as f32;
        }
        bias.push(b as f32);
    }
    CoopModel {
        ngrams: options.ngrams,
        add: options.add,
        drop: options.drop,
        types: types.to_vec(),
        bias,
        features: vocabulary
            .iter()
            .zip(idf)
            .zip(weights)
            .map(|((ngram, idf), weights)| (ngram.to_string(), ModelFeature { idf, weights }))
            .collect(),
        types_line: 0,
    }
}

/// Minimizes Σ cᵢ·logloss(xᵢ·w + b, yᵢ) + ‖w‖² / 2C, with class-balanced weights cᵢ (each
/// class weighs half of the texts), by Nesterov's accelerated gradient with adaptive restart.
/// Rows have unit norm, so 1/L with L = (n/2)·(1 + 1) / 4 + 1/C is a safe step.
fn logistic_regression(
    rows: &[Row],
    labels: &[bool],
    features: usize,
    options: &TrainOptions,
) -> (Vec<f64>, f64) {
    let n = rows.len() as f64;
    let positives = labels.iter().filter(|&&y| y).count() as f64;
    if positives == 0.0 || positives == n {
        // Nothing to tell apart: a constant model.
        let bias = if positives == 0.0 { -10.0 } else { 10.0 };
        return (vec![0.0; features], bias);
    }
    let class_weight = |y: bool| {
        if y {
            n / (2.0 * positives)
        } else {
            n / (2.0 * (n - positives))
        }
    };
    let lambda = 1.0 / options.c;
    let step = 1.0 / (0.25 * 2.0 * n + lambda);
    // x: current point; y: the look-ahead point the gradient is taken at.
    let (mut x_w, mut x_b) = (vec![0f64; features], 0f64);
    let (mut y_w, mut y_b) = (x_w.clone(), x_b);
    let mut t = 1f64;
    let mut grad_w = vec![0f64; features];
    for _ in 0..options.iterations {
        grad_w
            .iter_mut()
            .zip(&y_w)
            .for_each(|(g, w)| *g = lambda * w);
        let mut grad_b = 0.0;
        for (row, &y) in rows.iter().zip(labels) {
            let z = y_b + row.iter().map(|&(i, v)| y_w[i as usize] * v).sum::<f64>();
            let p = 1.0 / (1.0 + (-z).exp());
            let residual = class_weight(y) * (p - f64::from(u8::from(y)));
            grad_b += residual;
            for &(i, v) in row {
                grad_w[i as usize] += residual * v;
            }
        }
        let new_w: Vec<f64> = y_w.iter().zip(&grad_w).map(|(w, g)| w - step * g).collect();
        let new_b = y_b - step * grad_b;
        // Restart the momentum when it points uphill.
        let uphill = grad_w
            .iter()
            .zip(new_w.iter().zip(&x_w))
            .map(|(g, (new, old))| g * (new - old))
            .sum::<f64>()
            + grad_b * (new_b - x_b)
            > 0.0;
        let next_t = if uphill {
            1.0
        } else {
            (1.0 + (1.0 + 4.0 * t * t).sqrt()) / 2.0
        };
        let momentum = if uphill { 0.0 } else { (t - 1.0) / next_t };
        y_w = new_w
            .iter()
            .zip(&x_w)
            .map(|(new, old)| new + momentum * (new - old))
            .collect();
        y_b = new_b + momentum * (new_b - x_b);
        x_w = new_w;
        x_b = new_b;
        t = next_t;
    }
    (x_w, x_b)
}
