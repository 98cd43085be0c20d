//! In-process query latency: a fixed query set run through `search` (one searcher per
//! request, snippets for the returned hits), after a warm-up pass, as percentiles.

use std::time::Instant;

use serde::Serialize;

use crate::index::IndexHandle;
use crate::search::{search, Filters, SearchRequest};

/// What each query asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LatencyMode {
    /// Top 10 with snippets and the total, no facet counts.
    Plain,
    /// The same with a filter (document type `case`).
    Filter,
    /// The same plus every facet count.
    Facets,
}

/// Percentiles in milliseconds.
#[derive(Debug, Clone, Serialize)]
pub struct Latency {
    /// The mode.
    pub mode: LatencyMode,
    /// Queries timed.
    pub queries: usize,
    /// Median.
    pub p50_ms: f64,
    /// 95th percentile.
    pub p95_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Mean.
    pub mean_ms: f64,
    /// Single-thread queries per second.
    pub qps: f64,
    /// Mean hits found per query.
    pub mean_total: f64,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// Runs `queries` once untimed and once timed in `mode`.
pub fn latency(
    handle: &IndexHandle,
    queries: &[String],
    mode: LatencyMode,
) -> Result<Latency, String> {
    let request_for = |q: &str| SearchRequest {
        q: q.to_string(),
        facets: mode == LatencyMode::Facets,
        filters: if mode == LatencyMode::Filter {
            Filters {
                doc_type: vec!["case".to_string()],
                ..Filters::default()
            }
        } else {
            Filters::default()
        },
        ..SearchRequest::default()
    };
    for q in queries {
        search(handle, &request_for(q)).map_err(|e| e.to_string())?;
    }
    let mut times = Vec::with_capacity(queries.len());
    let mut totals = 0u64;
    let started = Instant::now();
    for q in queries {
        let t = Instant::now();
        let result = search(handle, &request_for(q)).map_err(|e| e.to_string())?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        totals += result.total;
    }
    let elapsed = started.elapsed().as_secs_f64();
    times.sort_by(f64::total_cmp);
    let n = times.len().max(1) as f64;
    Ok(Latency {
        mode,
        queries: times.len(),
        p50_ms: percentile(&times, 50.0),
        p95_ms: percentile(&times, 95.0),
        p99_ms: percentile(&times, 99.0),
        mean_ms: times.iter().sum::<f64>() / n,
        qps: times.len() as f64 / elapsed.max(1e-9),
        mean_total: totals as f64 / n,
    })
}
