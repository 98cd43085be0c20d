//! `jindu analyze`: the tokens of a text, to check segmentation.

use std::path::PathBuf;

use clap::Args;

use super::{load_knowledge, EXIT_ERROR, EXIT_OK};
use crate::analysis::{Analyzer, Side};

/// Which tokens to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AnalyzeSide {
    /// Index side: jieba search mode (compounds and their sub-words).
    Index,
    /// Query side: jieba default mode.
    Query,
    /// Character bigrams.
    Grams,
}

/// Arguments of `jindu analyze`.
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// The text to analyze.
    pub text: String,
    /// Index side, query side, or bigrams.
    #[arg(long, value_enum, default_value_t = AnalyzeSide::Index)]
    pub side: AnalyzeSide,
    /// Domain knowledge folder [default: corpus/knowledge].
    #[arg(long, value_name = "DIR")]
    pub knowledge: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Runs `jindu analyze`.
pub fn run(args: AnalyzeArgs) -> i32 {
    let knowledge = match load_knowledge(&args.knowledge) {
        Ok(knowledge) => knowledge,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    let tokens = match args.side {
        AnalyzeSide::Grams => Analyzer::grams_of(&args.text),
        AnalyzeSide::Index => Analyzer::new(&knowledge).words_of(&args.text, Side::Index),
        AnalyzeSide::Query => Analyzer::new(&knowledge).words_of(&args.text, Side::Query),
    };
    if args.json {
        match serde_json::to_string_pretty(&tokens) {
            Ok(json) => println!("{json}"),
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_ERROR;
            }
        }
        return EXIT_OK;
    }
    println!(
        "{:<16} {:>5} {:>5} {:>6} {:>6} {:>5}",
        "token", "start", "end", "bytes", "", "pos"
    );
    for t in &tokens {
        println!(
            "{:<16} {:>5} {:>5} {:>6} {:>6} {:>5}",
            t.text, t.start, t.end, t.byte_start, t.byte_end, t.position
        );
    }
    EXIT_OK
}
