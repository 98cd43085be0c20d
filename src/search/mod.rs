//! Search: validated parameters → query plan → one collector pass (hits, total, disjunctive
//! facets) → stored documents with snippets. Blocking code over an [`IndexHandle`]; no HTTP.

mod collector;
mod coord;
mod documents;
mod facets;
mod highlight;
mod params;
mod plan;
mod query;
mod result;
mod syntax;

pub use documents::{document_view, find_document, DocumentView};
pub use facets::{FacetValue, Facets, TextFacet, YearValue, MAX_FACET_VALUES};
pub use highlight::{escape_html, Highlighter, Range, Snippet, DEFAULT_SNIPPET_CHARS};
pub use params::{
    Filters, SearchRequest, Sort, DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, MAX_QUERY_CHARS,
};
pub use plan::{plan, Group, Part, QueryPlan, Unit};
pub use query::{build_query, minimum_should_match, Weights};
pub use result::{Hit, SearchResult};

use std::time::Instant;

use tantivy::TantivyDocument;

use crate::index::{stored_document, IndexHandle, StoredDocument};
use collector::SearchCollector;
use facets::{ordered_values, ordered_years};

/// Why a search failed.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// A parameter is malformed or out of range.
    #[error("invalid parameter `{parameter}`: {message}")]
    InvalidParameter {
        /// The parameter's name.
        parameter: String,
        /// What is wrong.
        message: String,
    },
    /// The query is longer than allowed.
    #[error("query too long: {chars} characters (at most {max})")]
    QueryTooLong {
        /// Its length.
        chars: usize,
        /// The maximum.
        max: usize,
    },
    /// The index failed.
    #[error("index error: {0}")]
    Index(#[from] tantivy::TantivyError),
}

impl SearchError {
    /// An invalid-parameter error.
    pub fn invalid(parameter: &str, message: impl Into<String>) -> SearchError {
        SearchError::InvalidParameter {
            parameter: parameter.to_string(),
            message: message.into(),
        }
    }
}

/// Runs a search.
pub fn search(handle: &IndexHandle, request: &SearchRequest) -> Result<SearchResult, SearchError> {
    let started = Instant::now();
    request.validate()?;
    let plan = plan::plan(&request.q, &handle.analyzer);
    let searcher = handle.reader.searcher();
    let weights = Weights::default();
    let groups = plan.groups.len();
    let mut minimum = minimum_should_match(groups);
    let mut relaxed = false;
    let collected = loop {
        let query = build_query(&plan, minimum, &handle.fields, &weights);
        let collector = SearchCollector {
            filters: request.filters.filter_set(),
            wanted: request.offset + request.limit,
            order: request.sort.order(),
            count_facets: true,
        };
        let collected = searcher.search(&*query, &collector)?;
        // A long question that matches nothing asks for fewer of its words, down to one.
        if collected.total == 0 && groups > 3 && minimum > 1 {
            minimum -= 1;
            relaxed = true;
            continue;
        }
        break collected;
    };

    let highlighter = Highlighter::new(&plan.highlight_needles());
    let mut hits = Vec::with_capacity(request.limit);
    for candidate in collected.top.iter().skip(request.offset) {
        let doc: TantivyDocument = searcher.doc(candidate.address)?;
        let stored = stored_document(&doc, &handle.fields);
        hits.push(make_hit(
            stored,
            candidate.score,
            &highlighter,
            request.snippet_chars,
        ));
    }

    let mut facets = Facets {
        year: ordered_years(collected.year_counts),
        ..Facets::default()
    };
    for (facet, counts) in TextFacet::ALL.into_iter().zip(collected.text_counts) {
        *facets.text_mut(facet) = ordered_values(counts);
    }
    Ok(SearchResult {
        query: request.q.clone(),
        total: collected.total,
        took_ms: (started.elapsed().as_secs_f64() * 1000.0 * 1000.0).round() / 1000.0,
        limit: request.limit,
        offset: request.offset,
        hits,
        facets,
        relaxed,
        dropped_words: plan.dropped,
    })
}

fn make_hit(stored: StoredDocument, score: f32, highlighter: &Highlighter, chars: usize) -> Hit {
    let StoredDocument { document, derived } = stored;
    let title = highlighter.snippet(&document.title, chars.max(200));
    let body = highlighter.snippet(&document.body, chars);
    Hit {
        id: document.id,
        title_snippet: title.html,
        title: document.title,
        doc_type: document.doc_type.as_str().to_string(),
        year: document.year,
        date: document.date,
        countries: document.countries.unwrap_or_default(),
        organizations: document.organizations.unwrap_or_default(),
        coop_types: document.coop_types.unwrap_or_default(),
        drug_types: document.drug_types.unwrap_or_default(),
        source: document.source,
        url: document.url,
        score,
        snippet: body.html,
        snippet_text: body.text,
        highlights: body.highlights,
        derived,
    }
}
