//! Tagger throughput on the shipped policy texts, once and repeated into one long text: the
//! MB/s of the long text should stay near that of the short one (tagging is linear in the
//! text; a step that rescans the text per occurrence shows up as a falling ratio).
//! Run with `cargo bench --bench tagger`; CI only compiles it.

mod common;

use std::time::Instant;

use jindu::tagger::Tagger;

fn main() {
    let text = common::policy_text();
    let knowledge = common::knowledge();
    let tagger = Tagger::new(&knowledge).expect("tagger");
    let base = mb_per_s(&tagger, &text, 40);
    println!("tagger, {} KB text: {base:.2} MB/s", text.len() / 1000);
    for copies in [8, 64] {
        let long = vec![text.as_str(); copies].join("\n");
        let speed = mb_per_s(&tagger, &long, (40 / copies).max(1));
        println!(
            "tagger, {} KB text ({copies} copies): {speed:.2} MB/s, {:.2} of the short text's",
            long.len() / 1000,
            speed / base
        );
    }
}

fn mb_per_s(tagger: &Tagger, text: &str, rounds: usize) -> f64 {
    let countries = tagger.explain(text).countries.len();
    assert!(countries > 0, "the policy texts name countries");
    let started = Instant::now();
    for _ in 0..rounds {
        assert_eq!(tagger.explain(text).countries.len(), countries);
    }
    (text.len() * rounds) as f64 / 1e6 / started.elapsed().as_secs_f64()
}
