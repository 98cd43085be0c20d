//! The fixed query set: 1-3 words drawn from the corpus vocabulary by frequency, leaving out
//! the 100 most frequent words (weight 1/rank^0.7 over the next 20,000 by document frequency),
//! with a fixed seed so every run measures the same queries.

use std::collections::HashMap;

use crate::analysis::{is_han, Analyzer, Side};

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// `count` queries from the vocabulary of `texts`.
pub fn make_queries(analyzer: &Analyzer, texts: &[String], count: usize, seed: u64) -> Vec<String> {
    let mut df: HashMap<String, u32> = HashMap::new();
    for text in texts {
        let mut seen: Vec<String> = analyzer
            .words_of(text, Side::Query)
            .into_iter()
            .map(|t| t.text)
            .filter(|w| w.chars().filter(|&c| is_han(c)).count() >= 2 && !analyzer.is_stopword(w))
            .collect();
        seen.sort();
        seen.dedup();
        for word in seen {
            *df.entry(word).or_insert(0) += 1;
        }
    }
    let mut vocabulary: Vec<(String, u32)> = df.into_iter().collect();
    vocabulary.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    // The 100 most frequent words are left out (a tiny corpus leaves out its top quarter).
    let skip = 100.min(vocabulary.len() / 4);
    let pool: Vec<&str> = vocabulary
        .iter()
        .skip(skip)
        .take(20_000)
        .map(|(w, _)| w.as_str())
        .collect();
    if pool.is_empty() {
        return Vec::new();
    }
    let weights: Vec<f64> = (0..pool.len())
        .map(|r| 1.0 / ((r + 1) as f64).powf(0.7))
        .collect();
    let total: f64 = weights.iter().sum();
    let mut cumulative = Vec::with_capacity(weights.len());
    let mut sum = 0.0;
    for w in &weights {
        sum += w / total;
        cumulative.push(sum);
    }
    let mut rng = Rng(seed.max(1));
    let mut queries = Vec::with_capacity(count);
    while queries.len() < count {
        let words = 1 + (rng.next() % 3) as usize;
        let mut chosen: Vec<&str> = Vec::new();
        while chosen.len() < words {
            let x = rng.unit();
            let index = cumulative.partition_point(|&c| c < x).min(pool.len() - 1);
            if !chosen.contains(&pool[index]) {
                chosen.push(pool[index]);
            }
        }
        queries.push(chosen.join(" "));
    }
    queries
}
