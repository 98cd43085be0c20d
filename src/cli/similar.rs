//! `jindu similar`: the documents most similar to one document (or to a pasted text).

use std::io::Read;
use std::path::PathBuf;

use clap::Args;

use super::output::{print_result, Format};
use super::search::parse_year_range;
use super::{DEFAULT_INDEX_DIR, EXIT_ERROR, EXIT_NO_HITS, EXIT_OK};
use crate::index::IndexHandle;
use crate::search::{similar, similar_to_text, Filters, SimilarRequest, DEFAULT_LIMIT};

/// Arguments of `jindu similar`.
#[derive(Debug, Args)]
pub struct SimilarArgs {
    /// The document's id; or `-` to read a text (a case description) from standard input.
    pub id: String,
    /// Country or region filter (repeatable).
    #[arg(long, value_name = "C")]
    pub country: Vec<String>,
    /// Cooperation type filter (repeatable).
    #[arg(long = "coop-type", value_name = "T")]
    pub coop_type: Vec<String>,
    /// Document type filter (repeatable).
    #[arg(long = "doc-type", value_name = "D")]
    pub doc_type: Vec<String>,
    /// Year range FROM..TO.
    #[arg(long, value_name = "FROM..TO")]
    pub year: Option<String>,
    /// Hits to show (at most 100).
    #[arg(long, default_value_t = DEFAULT_LIMIT)]
    pub limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Index folder.
    #[arg(long, value_name = "DIR", default_value = DEFAULT_INDEX_DIR)]
    pub index: PathBuf,
}

/// Runs `jindu similar`.
pub fn run(args: SimilarArgs) -> i32 {
    let (year_from, year_to) = match args.year.as_deref().map(parse_year_range) {
        None => (None, None),
        Some(Ok(range)) => range,
        Some(Err(message)) => {
            eprintln!("error: {message}");
            return EXIT_ERROR;
        }
    };
    let request = SimilarRequest {
        filters: Filters {
            country: args.country,
            coop_type: args.coop_type,
            doc_type: args.doc_type,
            year_from,
            year_to,
            ..Filters::default()
        },
        limit: args.limit,
        ..SimilarRequest::default()
    };
    let handle = match IndexHandle::open(&args.index) {
        Ok(handle) => handle,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    let result = if args.id == "-" {
        let mut text = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut text) {
            eprintln!("error: cannot read standard input: {e}");
            return EXIT_ERROR;
        }
        similar_to_text(&handle, &text, None, &request).map(Some)
    } else {
        similar(&handle, &args.id, &request)
    };
    match result {
        Ok(Some(result)) => {
            if let Err(e) = print_result(&result, args.format) {
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    eprintln!("error: {e}");
                    return EXIT_ERROR;
                }
            }
            if result.hits.is_empty() {
                EXIT_NO_HITS
            } else {
                EXIT_OK
            }
        }
        Ok(None) => {
            eprintln!("error: no document with id {:?}", args.id);
            EXIT_ERROR
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_ERROR
        }
    }
}
