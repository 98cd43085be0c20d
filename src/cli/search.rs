//! `jindu search`: query the index and print the hits for people or for scripts.

use std::path::PathBuf;

use clap::Args;

use super::output::{print_result, Format};
use super::{DEFAULT_INDEX_DIR, EXIT_ERROR, EXIT_NO_HITS, EXIT_OK};
use crate::index::IndexHandle;
use crate::search::{search, Filters, SearchRequest, Sort, DEFAULT_LIMIT};

/// Arguments of `jindu search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query: words, "exact phrase", -exclusion, a OR b. Empty lists everything.
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,
    /// Country or region filter (repeatable: any of them).
    #[arg(long, value_name = "C")]
    pub country: Vec<String>,
    /// Organisation filter (repeatable).
    #[arg(long, value_name = "O")]
    pub organization: Vec<String>,
    /// Cooperation type filter (repeatable).
    #[arg(long = "coop-type", value_name = "T")]
    pub coop_type: Vec<String>,
    /// Drug type filter (repeatable).
    #[arg(long = "drug-type", value_name = "D")]
    pub drug_type: Vec<String>,
    /// Document type filter: policy or case (repeatable).
    #[arg(long = "doc-type", value_name = "D")]
    pub doc_type: Vec<String>,
    /// Year range FROM..TO (either side may be empty) or a single year.
    #[arg(long, value_name = "FROM..TO")]
    pub year: Option<String>,
    /// Order: relevance, year_desc or year_asc.
    #[arg(long, default_value = "relevance")]
    pub sort: String,
    /// Hits to show (at most 100).
    #[arg(long, default_value_t = DEFAULT_LIMIT)]
    pub limit: usize,
    /// Hits to skip (at most 10000).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Add matched_terms to each hit (which query words, synonyms or bigrams matched, where).
    #[arg(long)]
    pub explain: bool,
    /// Index folder.
    #[arg(long, value_name = "DIR", default_value = DEFAULT_INDEX_DIR)]
    pub index: PathBuf,
}

/// Parses `FROM..TO`, `FROM..`, `..TO` or `YEAR`.
pub fn parse_year_range(value: &str) -> Result<(Option<i64>, Option<i64>), String> {
    let parse = |part: &str| -> Result<Option<i64>, String> {
        let part = part.trim();
        if part.is_empty() {
            return Ok(None);
        }
        part.parse::<i64>()
            .map(Some)
            .map_err(|_| format!("--year: {part:?} is not a year (expected FROM..TO)"))
    };
    match value.split_once("..") {
        Some((from, to)) => Ok((parse(from)?, parse(to)?)),
        None => {
            let year = parse(value)?;
            Ok((year, year))
        }
    }
}

/// Runs `jindu search`.
pub fn run(args: SearchArgs) -> i32 {
    let (year_from, year_to) = match args.year.as_deref().map(parse_year_range) {
        None => (None, None),
        Some(Ok(range)) => range,
        Some(Err(message)) => {
            eprintln!("error: {message}");
            return EXIT_ERROR;
        }
    };
    let sort = match Sort::parse(&args.sort) {
        Ok(sort) => sort,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    let request = SearchRequest {
        q: args.query.join(" "),
        filters: Filters {
            country: args.country,
            organization: args.organization,
            coop_type: args.coop_type,
            drug_type: args.drug_type,
            doc_type: args.doc_type,
            year_from,
            year_to,
        },
        sort,
        limit: args.limit,
        offset: args.offset,
        explain: args.explain,
        ..SearchRequest::default()
    };
    if let Err(e) = request.validate() {
        eprintln!("error: {e}");
        return EXIT_ERROR;
    }
    let handle = match IndexHandle::open(&args.index) {
        Ok(handle) => handle,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    match search(&handle, &request) {
        Ok(result) => {
            if let Err(e) = print_result(&result, args.format) {
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    eprintln!("error: {e}");
                    return EXIT_ERROR;
                }
            }
            if result.hits.is_empty() && result.total == 0 {
                EXIT_NO_HITS
            } else {
                EXIT_OK
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_ERROR
        }
    }
}
