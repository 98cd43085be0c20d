//! The result shape shared by the CLI's JSON output and the HTTP API. JSON is snake_case;
//! later versions add fields, never rename them.

use serde::Serialize;

use super::explain::MatchedTerm;
use super::facets::Facets;
use super::highlight::Range;
use super::suggest::Suggestion;
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
    /// True when the query was read as a question (four or more words, a question word or
    /// mark): documents need only some of its words; those matching more rank first.
    pub relaxed: bool,
    /// Query words left out as stop words.
    pub dropped_words: Vec<String>,
    /// When nothing is found: which filter or word to drop, and what that would find.
    pub suggestions: Vec<Suggestion>,
    /// For a similar-documents search: the source and the words it was matched by.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub similar_to: Option<SimilarTo>,
}

/// What a similar-documents search was based on.
#[derive(Debug, Clone, Serialize)]
pub struct SimilarTo {
    /// The source document's id (none for a pasted text).
    pub id: Option<String>,
    /// Its most distinctive words, strongest first.
    pub terms: Vec<String>,
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
    /// With `explain`: the query terms that matched, and where.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched_terms: Option<Vec<MatchedTerm>>,
}
