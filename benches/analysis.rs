//! Analysis throughput on an embedded text (the user's overview document, which the project
//! ships), asserting the token count so a change in segmentation shows up here too.
//! Run with `cargo bench --bench analysis`; CI only compiles it.

mod common;

use std::time::Instant;

use jindu::analysis::{Analyzer, Normalized, Side};

fn main() {
    let text = common::policy_text();
    let knowledge = common::knowledge();
    let analyzer = Analyzer::new(&knowledge);
    let mut norm = Normalized::default();
    let mut tokens = Vec::new();
    norm.reset(&text);
    analyzer.words(&norm, Side::Index, &mut tokens);
    let per_pass = tokens.len();
    assert!(
        per_pass > 2_000,
        "the overview segments into thousands of tokens, got {per_pass}"
    );
    let rounds = 200;
    let started = Instant::now();
    for _ in 0..rounds {
        tokens.clear();
        norm.reset(&text);
        analyzer.words(&norm, Side::Index, &mut tokens);
        assert_eq!(tokens.len(), per_pass);
    }
    let seconds = started.elapsed().as_secs_f64();
    let mb = (text.len() * rounds) as f64 / 1e6;
    println!(
        "analysis (index side, one thread): {:.2} MB/s, {} tokens per pass",
        mb / seconds,
        per_pass
    );
    let started = Instant::now();
    let mut grams = Vec::new();
    for _ in 0..rounds {
        grams.clear();
        Analyzer::grams(&norm, &mut grams);
    }
    println!(
        "bigrams (one thread): {:.2} MB/s",
        mb / started.elapsed().as_secs_f64()
    );
}
