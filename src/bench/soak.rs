//! The soak test: searches and writes against a running `jindu serve` for a bounded time,
//! counting errors (any answer that is not 2xx, apart from `overloaded`, which is counted on
//! its own), latency percentiles, and the server's anonymous memory over time.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;

/// How a soak run goes.
#[derive(Debug, Clone)]
pub struct SoakOptions {
    /// `HOST:PORT` of the server (loopback).
    pub addr: String,
    /// How long to run.
    pub duration: Duration,
    /// Search threads.
    pub searchers: usize,
    /// Write threads (0 without a key).
    pub writers: usize,
    /// The write key.
    pub key: Option<String>,
    /// Queries to cycle through.
    pub queries: Vec<String>,
    /// The server's pid, to sample its memory.
    pub pid: Option<u32>,
}

/// What a soak run saw.
#[derive(Debug, Clone, Serialize)]
pub struct SoakReport {
    /// Seconds run.
    pub seconds: f64,
    /// Searches answered 200.
    pub searches: u64,
    /// Writes answered 200.
    pub writes: u64,
    /// Answers `overloaded` (503 with Retry-After), counted apart.
    pub overloaded: u64,
    /// Every other failure: non-2xx answers and connection errors.
    pub errors: u64,
    /// A few error descriptions.
    pub error_samples: Vec<String>,
    /// Search latency percentiles (ms): p50, p95, p99, max.
    pub search_ms: [f64; 4],
    /// Write latency percentiles (ms): p50, p95, p99, max.
    pub write_ms: [f64; 4],
    /// The server's RssAnon (MB), sampled every few seconds.
    pub rss_anon_mb: Vec<f64>,
}

fn request(
    addr: &str,
    method: &str,
    path: &str,
    key: Option<&str>,
    body: &str,
) -> std::io::Result<(u16, String)> {
    let auth = key.map(|k| format!("Bearer {k}"));
    let mut headers: Vec<(&str, &str)> = Vec::new();
    if !body.is_empty() {
        headers.push(("Content-Type", "application/json"));
    }
    if let Some(auth) = &auth {
        headers.push(("Authorization", auth));
    }
    super::http::http_request(addr, method, path, &headers, body)
}

fn percentiles(mut values: Vec<f64>) -> [f64; 4] {
    if values.is_empty() {
        return [0.0; 4];
    }
    values.sort_by(f64::total_cmp);
    let at = |p: f64| values[((p / 100.0) * (values.len() - 1) as f64).round() as usize];
    [at(50.0), at(95.0), at(99.0), values[values.len() - 1]]
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Runs the soak test.
pub fn soak(options: &SoakOptions) -> SoakReport {
    let stop = Arc::new(AtomicBool::new(false));
    let counters = Arc::new([
        AtomicU64::new(0),
        AtomicU64::new(0),
        AtomicU64::new(0),
        AtomicU64::new(0),
    ]);
    let samples: Arc<Mutex<Vec<String>>> = Arc::default();
    let search_times: Arc<Mutex<Vec<f64>>> = Arc::default();
    let write_times: Arc<Mutex<Vec<f64>>> = Arc::default();
    let started = Instant::now();
    let mut threads = Vec::new();
    let classify = |status: std::io::Result<(u16, String)>,
                    ok_slot: usize,
                    counters: &[AtomicU64; 4],
                    samples: &Mutex<Vec<String>>| {
        match status {
            Ok((200, _)) => {
                counters[ok_slot].fetch_add(1, Ordering::Relaxed);
            }
            Ok((503, text)) if text.contains("\"overloaded\"") => {
                counters[2].fetch_add(1, Ordering::Relaxed);
            }
            other => {
                counters[3].fetch_add(1, Ordering::Relaxed);
                if let Ok(mut s) = samples.lock() {
                    if s.len() < 10 {
                        s.push(match other {
                            Ok((status, text)) => {
                                format!("{status}: {}", text.lines().last().unwrap_or(""))
                            }
                            Err(e) => e.to_string(),
                        });
                    }
                }
            }
        }
    };
    for t in 0..options.searchers {
        let (stop, counters, samples, times, options) = (
            Arc::clone(&stop),
            Arc::clone(&counters),
            Arc::clone(&samples),
            Arc::clone(&search_times),
            options.clone(),
        );
        threads.push(std::thread::spawn(move || {
            let mut i = t;
            while !stop.load(Ordering::Relaxed) {
                let q = &options.queries[i % options.queries.len().max(1)];
                let path = format!("/api/search?q={}", encode(q));
                let t0 = Instant::now();
                let answer = request(&options.addr, "GET", &path, options.key.as_deref(), "");
                if let Ok(mut times) = times.lock() {
                    times.push(t0.elapsed().as_secs_f64() * 1000.0);
                }
                classify(answer, 0, &counters, &samples);
                i += options.searchers.max(1);
            }
        }));
    }
    for t in 0..options.writers {
        let (stop, counters, samples, times, options) = (
            Arc::clone(&stop),
            Arc::clone(&counters),
            Arc::clone(&samples),
            Arc::clone(&write_times),
            options.clone(),
        );
        threads.push(std::thread::spawn(move || {
            let mut i = 0u64;
            while !stop.load(Ordering::Relaxed) {
                // A bounded set of ids: updates as well as inserts, so the index does not only grow.
                let id = format!("soak-{t}-{}", i % 500);
                let body = serde_json::json!({
                    "id": id, "title": format!("浸泡测试 {i}"),
                    "body": format!("第{i}次写入：缅甸与老挝警方联合侦查跨境运输甲基苯丙胺案件，并开展情报交流。"),
                    "doc_type": "case"
                })
                .to_string();
                let t0 = Instant::now();
                let answer = request(&options.addr, "POST", "/api/documents", options.key.as_deref(), &body);
                if let Ok(mut times) = times.lock() {
                    times.push(t0.elapsed().as_secs_f64() * 1000.0);
                }
                classify(answer, 1, &counters, &samples);
                i += 1;
                std::thread::sleep(Duration::from_millis(20));
            }
        }));
    }
    let mut rss = Vec::new();
    while started.elapsed() < options.duration {
        if let Some(pid) = options.pid {
            if let Some(bytes) = super::proc_status_bytes_of(&pid.to_string(), "RssAnon") {
                rss.push((bytes as f64 / 1e6 * 10.0).round() / 10.0);
            }
        }
        std::thread::sleep(Duration::from_secs(5).min(options.duration));
    }
    stop.store(true, Ordering::Relaxed);
    for thread in threads {
        let _ = thread.join();
    }
    let take = |m: &Mutex<Vec<f64>>| m.lock().map(|v| v.clone()).unwrap_or_default();
    SoakReport {
        seconds: started.elapsed().as_secs_f64(),
        searches: counters[0].load(Ordering::Relaxed),
        writes: counters[1].load(Ordering::Relaxed),
        overloaded: counters[2].load(Ordering::Relaxed),
        errors: counters[3].load(Ordering::Relaxed),
        error_samples: samples.lock().map(|s| s.clone()).unwrap_or_default(),
        search_ms: percentiles(take(&search_times)),
        write_ms: percentiles(take(&write_times)),
        rss_anon_mb: rss,
    }
}
