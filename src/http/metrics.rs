//! `GET /metrics` in Prometheus text format: requests by route, method and status, a latency
//! histogram per route, documents, index size, writes, and the work queue.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

/// The counters, shared by every request.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
    /// Documents accepted through the write API.
    pub documents_written: AtomicU64,
    /// Write requests answered successfully.
    pub write_requests: AtomicU64,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Metrics {
    fn record(&self, route: &str, method: &str, status: u16, seconds: f64) {
        if let Ok(mut requests) = self.requests.lock() {
            *requests
                .entry((route.to_string(), method.to_string(), status))
                .or_insert(0) += 1;
        }
        if let Ok(mut latency) = self.latency.lock() {
            let histogram = latency.entry(route.to_string()).or_default();
            for (i, bound) in BUCKETS.iter().enumerate() {
                if seconds <= *bound {
                    histogram.counts[i] += 1;
                }
            }
            histogram.sum += seconds;
            histogram.count += 1;
        }
    }
}

/// Middleware recording every request.
pub async fn record(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let method = request.method().as_str().to_string();
    let response = next.run(request).await;
    state.metrics.record(
        &route,
        &method,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

fn escape(label: &str) -> String {
    label.replace('\\', "\\\\").replace('"', "\\\"")
}

/// `GET /metrics`.
pub async fn metrics(State(state): State<AppState>) -> Response {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# HELP jindu_http_requests_total HTTP requests answered."
    );
    let _ = writeln!(out, "# TYPE jindu_http_requests_total counter");
    if let Ok(requests) = state.metrics.requests.lock() {
        for ((route, method, status), count) in requests.iter() {
            let _ = writeln!(
                out,
                "jindu_http_requests_total{{route=\"{}\",method=\"{method}\",status=\"{status}\"}} {count}",
                escape(route)
            );
        }
    }
    let _ = writeln!(
        out,
        "# HELP jindu_http_request_duration_seconds Time to answer, by route."
    );
    let _ = writeln!(out, "# TYPE jindu_http_request_duration_seconds histogram");
    if let Ok(latency) = state.metrics.latency.lock() {
        for (route, histogram) in latency.iter() {
            let route = escape(route);
            for (bound, count) in BUCKETS.iter().zip(histogram.counts.iter()) {
                let _ = writeln!(
                    out,
                    "jindu_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "jindu_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                histogram.count
            );
            let _ = writeln!(
                out,
                "jindu_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                histogram.sum
            );
            let _ = writeln!(
                out,
                "jindu_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                histogram.count
            );
        }
    }
    let (documents, size) = state
        .live
        .get()
        .map(|handle| {
            (
                handle.num_docs(),
                crate::bench::dir_bytes(&handle.generation),
            )
        })
        .unwrap_or((0, 0));
    let gauges = [
        (
            "jindu_documents",
            "Documents in the live index.",
            "gauge",
            documents,
        ),
        (
            "jindu_index_size_bytes",
            "Bytes of the live index generation.",
            "gauge",
            size,
        ),
        (
            "jindu_documents_written_total",
            "Documents accepted through the write API.",
            "counter",
            state.metrics.documents_written.load(Ordering::Relaxed),
        ),
        (
            "jindu_write_requests_total",
            "Write requests answered successfully.",
            "counter",
            state.metrics.write_requests.load(Ordering::Relaxed),
        ),
        (
            "jindu_work_in_flight",
            "Requests running or queued for a search thread.",
            "gauge",
            state.pool.in_flight() as u64,
        ),
    ];
    for (name, help, kind, value) in gauges {
        let _ = writeln!(out, "# HELP {name} {help}");
        let _ = writeln!(out, "# TYPE {name} {kind}");
        let _ = writeln!(out, "{name} {value}");
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        out,
    )
        .into_response()
}
