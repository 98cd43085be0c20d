//! The command line: subcommands parsed once into typed arguments, run, and mapped to exit
//! codes. The only place (with `http`) that prints.

/// Appends a formatted line to a `String` (the report commands build their output first and
/// write it once, so that a closed pipe is not a panic).
macro_rules! outln {
    ($out:expr) => {
        $out.push('\n')
    };
    ($out:expr, $($arg:tt)*) => {{
        $out.push_str(&format!($($arg)*));
        $out.push('\n');
    }};
}

mod analyze;
mod bench;
mod eval;
mod eval_tagging;
mod eval_tagging_model;
mod export;
mod index;
mod output;
mod search;
mod serve;
mod similar;
mod tag;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

pub use output::Format;

/// Default index folder, relative to the working directory.
pub const DEFAULT_INDEX_DIR: &str = "index";
/// Default corpus folder.
pub const DEFAULT_CORPUS_DIR: &str = "corpus";
/// Default knowledge folder.
pub const DEFAULT_KNOWLEDGE_DIR: &str = "corpus/knowledge";

/// Exit code for success.
pub const EXIT_OK: i32 = 0;
/// Exit code for a search without hits.
pub const EXIT_NO_HITS: i32 = 1;
/// Exit code for an error (bad input, unreadable index …).
pub const EXIT_ERROR: i32 = 2;

/// jindu: 禁毒国际合作文献检索 — Chinese full-text search for drug-control cooperation texts.
#[derive(Debug, Parser)]
#[command(name = "jindu", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the index from the corpus (a new generation, switched to atomically).
    Index(index::IndexArgs),
    /// Search the index.
    Search(search::SearchArgs),
    /// Show how a text is segmented into tokens.
    Analyze(analyze::AnalyzeArgs),
    /// Write every document of the index as JSON lines (a backup `jindu index` reads back).
    Export(export::ExportArgs),
    /// Show the documents most similar to a document (or to a text on stdin with `-`).
    Similar(similar::SimilarArgs),
    /// Measure speed and memory (the pieces of bench/run.sh).
    Bench(bench::BenchArgs),
    /// Show what the tagger derives from a text, with the words that triggered each value.
    Tag(tag::TagArgs),
    /// Measure quality: ranking on the judged sets, the tagger's precision and recall.
    Eval(eval::EvalArgs),
    /// Serve the HTTP API and the search page (builds the index first if there is none).
    Serve(serve::ServeArgs),
}

/// Where the knowledge comes from: an explicit folder must exist; the default may be absent.
pub fn load_knowledge(
    dir: &Option<PathBuf>,
) -> Result<crate::knowledge::Knowledge, crate::knowledge::KnowledgeError> {
    match dir {
        Some(dir) => crate::knowledge::Knowledge::load(dir),
        None => {
            let default = PathBuf::from(DEFAULT_KNOWLEDGE_DIR);
            if default.is_dir() {
                crate::knowledge::Knowledge::load(&default)
            } else {
                eprintln!(
                    "note: no knowledge folder at {DEFAULT_KNOWLEDGE_DIR}; using jieba's dictionary only (pass --knowledge DIR)"
                );
                Ok(crate::knowledge::Knowledge::empty())
            }
        }
    }
}

/// Prepares raw arguments for parsing: a query word excluded with a leading `-` (`-老挝`) is
/// not a flag, so its `-` becomes the minus sign `−`, which the query syntax also reads as an
/// exclusion. Latin exclusions (`-DEA`) need the query quoted or after `--`.
pub fn prepare_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let mut seen_double_dash = false;
    args.into_iter()
        .map(|arg| {
            if seen_double_dash {
                return arg;
            }
            let Some(text) = arg.to_str() else { return arg };
            if text == "--" {
                seen_double_dash = true;
                return arg;
            }
            let mut chars = text.chars();
            match (chars.next(), chars.next()) {
                (Some('-'), Some(second)) if !second.is_ascii() => {
                    format!("\u{2212}{}", &text[1..]).into()
                }
                _ => arg,
            }
        })
        .collect()
}

/// Writes `text` to standard output; a reader that went away (`| head`) is not an error.
fn write_stdout(text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("standard output: {e}")),
    }
}

/// Runs the parsed command and returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Index(args) => index::run(args),
        Command::Search(args) => search::run(args),
        Command::Analyze(args) => analyze::run(args),
        Command::Export(args) => export::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Similar(args) => similar::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Tag(args) => tag::run(args),
    }
}
