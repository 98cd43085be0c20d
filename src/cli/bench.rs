//! `jindu bench`: the in-process pieces of the benchmark run (see `bench/run.sh`), each
//! printing one JSON object on standard output.

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::Instant;

use clap::{Args, Subcommand};
use serde_json::json;

use super::{load_knowledge, EXIT_ERROR, EXIT_OK};
use crate::analysis::Analyzer;
use crate::bench;
use crate::index::{build_index, BuildOptions, BuildProgress, IndexHandle};

/// Arguments of `jindu bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Which measurement.
    #[command(subcommand)]
    pub which: BenchCommand,
    /// Domain knowledge folder [default: corpus/knowledge].
    #[arg(long, value_name = "DIR", global = true)]
    pub knowledge: Option<PathBuf>,
}

/// The measurements.
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Convert the news articles for jindu and for the peers, and write the query set.
    Prepare {
        /// The news JSONL.
        #[arg(long, default_value = "../shared/data/news/news.jsonl")]
        news: PathBuf,
        /// Output folder.
        #[arg(long, default_value = "target/bench")]
        out: PathBuf,
        /// Queries to generate.
        #[arg(long, default_value_t = 1000)]
        queries: usize,
    },
    /// The segmentation floor: jieba search mode (HMM off, same dictionary) on all cores.
    Floor {
        /// JSONL documents (title + body are segmented).
        #[arg(long)]
        input: PathBuf,
        /// Threads (0: one per core).
        #[arg(long, default_value_t = 0)]
        threads: usize,
    },
    /// Index a JSONL corpus into a fresh folder; throughput, peak memory and size.
    Index {
        /// The corpus.
        #[arg(long)]
        input: PathBuf,
        /// The index folder (emptied first).
        #[arg(long)]
        index: PathBuf,
    },
    /// Write a corpus of N documents: news and case texts repeated with new ids.
    Million {
        /// Documents.
        #[arg(long, default_value_t = 1_000_000)]
        docs: u64,
        /// Output JSONL.
        #[arg(long, default_value = "target/bench/million.jsonl")]
        out: PathBuf,
        /// The news JSONL.
        #[arg(long, default_value = "../shared/data/news/news.jsonl")]
        news: PathBuf,
    },
    /// A bounded soak test against a running server: searches and writes, errors, latency,
    /// memory over time.
    Soak {
        /// `HOST:PORT` of the server (loopback).
        #[arg(long)]
        addr: String,
        /// Seconds to run.
        #[arg(long, default_value_t = 300)]
        seconds: u64,
        /// Search threads.
        #[arg(long, default_value_t = 8)]
        searchers: usize,
        /// Write threads (needs --key).
        #[arg(long, default_value_t = 2)]
        writers: usize,
        /// The write key (or JINDU_API_KEY).
        #[arg(long, env = "JINDU_API_KEY", hide_env_values = true)]
        key: Option<String>,
        /// The server's pid, to sample its memory.
        #[arg(long)]
        pid: Option<u32>,
        /// One query a line.
        #[arg(long, default_value = "target/bench/queries.txt")]
        queries: PathBuf,
    },
    /// Query latency percentiles, in process: plain, with a filter, with every facet.
    Search {
        /// The index folder.
        #[arg(long)]
        index: PathBuf,
        /// One query a line.
        #[arg(long, default_value = "target/bench/queries.txt")]
        queries: PathBuf,
    },
}

fn read_texts(path: &PathBuf) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(text
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .map(|v| {
            format!(
                "{}\n{}",
                v["title"].as_str().unwrap_or(""),
                v["body"].as_str().unwrap_or("")
            )
        })
        .collect())
}

fn cores() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

fn run_inner(args: BenchArgs) -> Result<serde_json::Value, String> {
    let knowledge = load_knowledge(&args.knowledge).map_err(|e| e.to_string())?;
    match args.which {
        BenchCommand::Prepare { news, out, queries } => {
            std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
            let jindu = out.join("news-jindu.jsonl");
            let peers = out.join("news-peers.jsonl");
            let report = bench::convert_news(&news, &jindu, &peers).map_err(|e| e.to_string())?;
            let texts = read_texts(&jindu)?;
            let analyzer = Analyzer::new(&knowledge);
            let sample: Vec<String> = texts.iter().step_by(4).cloned().collect();
            let set = bench::make_queries(&analyzer, &sample, queries, 7);
            std::fs::write(out.join("queries.txt"), set.join("\n") + "\n")
                .map_err(|e| e.to_string())?;
            Ok(
                json!({"step": "prepare", "documents": report.documents, "text_mb": report.text_bytes as f64 / 1e6, "queries": set.len()}),
            )
        }
        BenchCommand::Floor { input, threads } => {
            let texts = read_texts(&input)?;
            let threads = if threads == 0 { cores() } else { threads };
            let analyzer = Analyzer::new(&knowledge);
            let (bytes, seconds) = bench::jieba_floor(&analyzer, &texts, threads);
            let (_, analysis_seconds, tokens) =
                bench::segmentation_floor(&analyzer, &texts, threads);
            Ok(json!({
                "step": "floor", "threads": threads, "mb": bytes as f64 / 1e6,
                "jieba_seconds": seconds, "jieba_mb_per_s": bytes as f64 / 1e6 / seconds,
                "analysis_seconds": analysis_seconds, "analysis_mb_per_s": bytes as f64 / 1e6 / analysis_seconds,
                "tokens": tokens,
            }))
        }
        BenchCommand::Index { input, index } => {
            let _ = std::fs::remove_dir_all(&index);
            let progress = BuildProgress::default();
            let started = Instant::now();
            let report = build_index(
                &index,
                &[input],
                &knowledge,
                &BuildOptions::default(),
                &progress,
            )
            .map_err(|e| e.to_string())?;
            let seconds = started.elapsed().as_secs_f64();
            let documents = progress.documents.load(Ordering::Relaxed);
            Ok(json!({
                "step": "index", "documents": documents, "seconds": seconds,
                "docs_per_s": documents as f64 / seconds,
                "mb": report.text_bytes as f64 / 1e6,
                "mb_per_s": report.text_bytes as f64 / 1e6 / seconds,
                "peak_rss_mb": bench::proc_status_bytes("VmHWM").unwrap_or(0) as f64 / 1e6,
                "index_mb": bench::dir_bytes(&report.generation) as f64 / 1e6,
            }))
        }
        BenchCommand::Million { docs, out, news } => {
            if let Some(parent) = out.parent() {
                std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
            }
            let shared = news
                .parent()
                .and_then(|p| p.parent())
                .map(|p| p.join("cases"))
                .unwrap_or_default();
            let cases: Vec<PathBuf> = ["cail2022_xxcq_drug_facts.jsonl", "cail2018_sample.jsonl"]
                .iter()
                .map(|name| shared.join(name))
                .filter(|path| {
                    let exists = path.exists();
                    if !exists {
                        eprintln!("note: {} is absent; using the news only", path.display());
                    }
                    exists
                })
                .collect();
            let cases: Vec<&std::path::Path> = cases.iter().map(PathBuf::as_path).collect();
            let report =
                bench::make_million(&news, &cases, docs, &out).map_err(|e| e.to_string())?;
            Ok(
                json!({"step": "million", "documents": report.documents, "text_mb": report.text_bytes as f64 / 1e6}),
            )
        }
        BenchCommand::Soak {
            addr,
            seconds,
            searchers,
            writers,
            key,
            pid,
            queries,
        } => {
            let text = std::fs::read_to_string(&queries)
                .unwrap_or_else(|_| "缅甸\n替代种植\n控制下交付\n湄公河 执法".to_string());
            let queries: Vec<String> = text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string)
                .collect();
            let options = bench::SoakOptions {
                addr,
                duration: std::time::Duration::from_secs(seconds),
                searchers,
                writers: if key.is_some() { writers } else { 0 },
                key,
                queries,
                pid,
            };
            let report = bench::soak(&options);
            Ok(json!({"step": "soak", "report": report}))
        }
        BenchCommand::Search { index, queries } => {
            let started = Instant::now();
            let handle = IndexHandle::open(&index).map_err(|e| e.to_string())?;
            let open_seconds = started.elapsed().as_secs_f64();
            let text = std::fs::read_to_string(&queries)
                .map_err(|e| format!("{}: {e}", queries.display()))?;
            let queries: Vec<String> = text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string)
                .collect();
            let mut results = Vec::new();
            for mode in [
                bench::LatencyMode::Plain,
                bench::LatencyMode::Filter,
                bench::LatencyMode::Facets,
            ] {
                results.push(bench::latency(&handle, &queries, mode)?);
            }
            Ok(json!({
                "step": "search", "documents": handle.num_docs(), "open_seconds": open_seconds,
                "latency": results,
                "rss_anon_mb": bench::proc_status_bytes("RssAnon").unwrap_or(0) as f64 / 1e6,
            }))
        }
    }
}

/// Runs `jindu bench`.
pub fn run(args: BenchArgs) -> i32 {
    match run_inner(args) {
        Ok(value) => {
            println!("{value}");
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_ERROR
        }
    }
}
