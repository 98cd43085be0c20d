//! Benchmark tooling behind `jindu bench`: preparing the real-text corpora, the segmentation
//! floor, indexing throughput, query latency percentiles, process memory. Measures; changes
//! nothing. See BENCHMARKS.md for the method and `bench/run.sh` for the whole run.

mod corpora;
mod http;
mod latency;
mod queries;
mod soak;

pub use corpora::{convert_news, make_million, ConvertReport};
pub use http::http_request;
pub use latency::{latency, Latency, LatencyMode};
pub use queries::make_queries;
pub use soak::{soak, SoakOptions, SoakReport};

use std::time::Instant;

use crate::analysis::{Analyzer, Normalized, Side};

/// A value from `/proc/self/status` in bytes (`VmHWM` peak resident, `RssAnon` …), if known.
pub fn proc_status_bytes(key: &str) -> Option<u64> {
    proc_status_bytes_of("self", key)
}

/// A value from `/proc/PID/status` in bytes.
pub fn proc_status_bytes_of(pid: &str, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Total size of the files under `dir`.
pub fn dir_bytes(dir: &std::path::Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| match entry.file_type() {
            Ok(t) if t.is_dir() => dir_bytes(&entry.path()),
            Ok(_) => entry.metadata().map(|m| m.len()).unwrap_or(0),
            Err(_) => 0,
        })
        .sum()
}

/// The segmentation floor: jieba (search mode, HMM off, with the analyzer's dictionary and
/// normalization — exactly what indexing runs) over `texts` on `threads` threads. Returns
/// (bytes of UTF-8 text, seconds, tokens).
pub fn segmentation_floor(
    analyzer: &Analyzer,
    texts: &[String],
    threads: usize,
) -> (u64, f64, u64) {
    let bytes: u64 = texts.iter().map(|t| t.len() as u64).sum();
    let started = Instant::now();
    let chunk = texts.len().div_ceil(threads.max(1)).max(1);
    let tokens: u64 = std::thread::scope(|scope| {
        let workers: Vec<_> = texts
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    let mut norm = Normalized::default();
                    let mut out = Vec::new();
                    let mut count = 0u64;
                    for text in part {
                        norm.reset(text);
                        out.clear();
                        analyzer.words(&norm, Side::Index, &mut out);
                        count += out.len() as u64;
                    }
                    count
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap_or(0)).sum()
    });
    (bytes, started.elapsed().as_secs_f64(), tokens)
}

/// The raw jieba floor: `cut_for_search(text, hmm=false)` alone, no normalization or token
/// conversion, with the same dictionary. Returns (bytes, seconds).
pub fn jieba_floor(analyzer: &Analyzer, texts: &[String], threads: usize) -> (u64, f64) {
    let bytes: u64 = texts.iter().map(|t| t.len() as u64).sum();
    let started = Instant::now();
    let chunk = texts.len().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|scope| {
        for part in texts.chunks(chunk) {
            scope.spawn(move || {
                let mut count = 0usize;
                for text in part {
                    count += analyzer.jieba_search_tokens(text);
                }
                count
            });
        }
    });
    (bytes, started.elapsed().as_secs_f64())
}
