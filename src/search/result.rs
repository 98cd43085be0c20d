//! The result shape shared by the CLI's JSON output and the HTTP API. JSON is snake_case;
//! later versions add fields, never rename them.

use serde::Serialize;

use super::facets::Facets;
use super::highlight::Range;
use crate::tagger::Derived;

/// The answer to a search.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResult {
    /// The query as given.
    pub query: String,
    /// Matching documents (after filters).
    pub total: u64,
    /// Time spent, in milliseconds.
    pub took_ms: f64,
    /// The limit applied.
    pub limit: usize,
    /// The offset applied.
    pub offset: usize,
    /// The hits of this page.
    pub hits: Vec<Hit>,
    /// Disjunctive facet counts.
    pub facets: Facets,
    /// True when a long query matched too little and fewer of its words were required.
    pub relaxed: bool,
    /// Query words left out as stop words.
    pub dropped_words: Vec<String>,
}

/// One hit.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Document id.
    pub id: String,
    /// Title as stored.
    pub title: String,
    /// Title as HTML with `<mark>`s.
    pub title_snippet: String,
    /// policy | case.
    pub doc_type: String,
    /// Year, if known.
    pub year: Option<i32>,
    /// Date, if known.
    pub date: Option<String>,
    /// Countries and regions.
    pub countries: Vec<String>,
    /// Organisations.
    pub organizations: Vec<String>,
    /// Cooperation types.
    pub coop_types: Vec<String>,
    /// Drug types.
    pub drug_types: Vec<String>,
    /// Source note.
    pub source: Option<String>,
    /// Link.
    pub url: Option<String>,
    /// Relevance score.
    pub score: f32,
    /// Body snippet as HTML with `<mark>`s.
    pub snippet: String,
    /// The snippet as plain text.
    pub snippet_text: String,
    /// Marked ranges in code points of `snippet_text`.
    pub highlights: Vec<Range>,
    /// Values the tagger derived rather than read from metadata.
    pub derived: Derived,
}
