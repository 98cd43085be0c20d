//! Search: validated parameters → query plan → one collector pass (hits, total, disjunctive
//! facets) → stored documents with snippets. Blocking code over an [`IndexHandle`]; no HTTP.

mod collector;
mod coord;
mod documents;
mod explain;
mod facets;
mod feedback;
mod guard;
mod highlight;
mod params;
mod plan;
mod query;
mod result;
mod similar;
mod suggest;
mod syntax;

pub use documents::{document_view, find_document, DocumentView};
pub use explain::MatchedTerm;
pub use facets::{FacetValue, Facets, TextFacet, YearValue, MAX_FACET_VALUES};
pub use highlight::{escape_html, Highlighter, Range, Snippet, DEFAULT_SNIPPET_CHARS};
pub use params::{
    Filters, SearchRequest, Sort, DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, MAX_QUERY_CHARS,
};
pub use plan::{plan, Group, Part, QueryPlan, Unit, MAX_GROUPS};
pub use query::{build_query, Mode, Weights};
pub use result::{Hit, SearchResult, SimilarTo};
pub use similar::MAX_QUERY_TERMS;
pub use suggest::Suggestion;

use std::sync::Arc;
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

/// Options of a similar-documents search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimilarRequest {
    /// Filters on the similar documents.
    pub filters: Filters,
    /// Hits to return (0..=100).
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// Snippet length in characters.
    pub snippet_chars: usize,
}

impl Default for SimilarRequest {
    fn default() -> Self {
        SimilarRequest {
            filters: Filters::default(),
            limit: DEFAULT_LIMIT,
            offset: 0,
            snippet_chars: DEFAULT_SNIPPET_CHARS,
        }
    }
}

impl SimilarRequest {
    fn as_search(&self) -> SearchRequest {
        SearchRequest {
            filters: self.filters.clone(),
            limit: self.limit,
            offset: self.offset,
            snippet_chars: self.snippet_chars,
            ..SearchRequest::default()
        }
    }
}

/// Pseudo-relevance feedback for questions (measured with `jindu eval`, see BENCHMARKS.md).
const FEEDBACK: feedback::Feedback = feedback::Feedback {
    documents: 5,
    terms: 10,
    weight: 0.3,
};

/// One collector pass of `query` under `request`'s filters, order and page.
fn collect(
    handle: &IndexHandle,
    searcher: &tantivy::Searcher,
    query: &dyn tantivy::query::Query,
    request: &SearchRequest,
    count_facets: bool,
) -> Result<collector::Collected, SearchError> {
    let collector = SearchCollector {
        filters: request.filters.filter_set(),
        wanted: if count_facets || request.limit > 0 {
            request.offset + request.limit
        } else {
            0
        },
        order: request.sort.order(),
        count_facets,
        columns: Arc::clone(&handle.columns),
    };
    Ok(searcher.search(query, &collector)?)
}

fn facets_of(collected: &mut collector::Collected) -> Facets {
    let mut facets = Facets {
        year: ordered_years(std::mem::take(&mut collected.year_counts)),
        ..Facets::default()
    };
    for (facet, counts) in TextFacet::ALL
        .into_iter()
        .zip(std::mem::take(&mut collected.text_counts))
    {
        *facets.text_mut(facet) = ordered_values(counts);
    }
    facets
}

/// Stored documents and snippets for the page of candidates.
fn hits_of(
    handle: &IndexHandle,
    searcher: &tantivy::Searcher,
    collected: &collector::Collected,
    request: &SearchRequest,
    highlighter: &Highlighter,
    plan: Option<&QueryPlan>,
) -> Result<Vec<Hit>, SearchError> {
    let mut hits = Vec::with_capacity(request.limit);
    for candidate in collected.top.iter().skip(request.offset) {
        let doc: TantivyDocument = searcher.doc(candidate.address)?;
        let stored = stored_document(&doc, &handle.fields);
        let mut hit = make_hit(stored, candidate.score, highlighter, request.snippet_chars);
        if let (true, Some(plan)) = (request.explain, plan) {
            hit.matched_terms = Some(explain::matched_terms(
                searcher,
                &handle.fields,
                plan,
                candidate.address,
            ));
        }
        hits.push(hit);
    }
    Ok(hits)
}

fn took(started: Instant) -> f64 {
    (started.elapsed().as_secs_f64() * 1000.0 * 1000.0).round() / 1000.0
}

/// Runs a search.
pub fn search(handle: &IndexHandle, request: &SearchRequest) -> Result<SearchResult, SearchError> {
    let started = Instant::now();
    request.validate()?;
    let plan = plan::plan(&request.q, &handle.analyzer, &handle.knowledge.synonyms);
    let searcher = handle.reader.searcher();
    let mode = Mode::of(&plan, &request.q);
    let weights = mode.weights();
    let minimum = mode.minimum_should_match(plan.groups.len());
    let query = build_query(&plan, minimum, &handle.fields, &weights);
    let mut collected = collect(handle, &searcher, &*query, request, request.facets)?;
    if mode == Mode::Question && collected.total > 0 {
        let probe = SearchRequest {
            limit: FEEDBACK.documents,
            offset: 0,
            ..request.clone()
        };
        let first = collect(handle, &searcher, &*query, &probe, false)?;
        let top: Vec<tantivy::DocAddress> = first.top.iter().map(|c| c.address).collect();
        if let Some(expansion) = feedback::expansion(handle, &searcher, &plan, &top, &FEEDBACK)? {
            let expanded = tantivy::query::BooleanQuery::new(vec![
                (tantivy::query::Occur::Should, query),
                (tantivy::query::Occur::Should, expansion),
            ]);
            collected = collect(handle, &searcher, &expanded, request, request.facets)?;
        }
    }
    let relaxed = mode == Mode::Question && plan.groups.len() > 1;

    let highlighter = Highlighter::new(&plan.highlight_needles());
    let hits = hits_of(
        handle,
        &searcher,
        &collected,
        request,
        &highlighter,
        Some(&plan),
    )?;
    let suggestions = if collected.total == 0 {
        suggest(handle, &searcher, &plan, request, &weights)?
    } else {
        Vec::new()
    };
    Ok(SearchResult {
        query: request.q.clone(),
        total: collected.total,
        took_ms: took(started),
        limit: request.limit,
        offset: request.offset,
        hits,
        facets: facets_of(&mut collected),
        relaxed,
        dropped_words: plan.dropped,
        suggestions,
        similar_to: None,
    })
}

/// The documents most similar to document `id` by content (its most distinctive words), or
/// `None` when there is no such document.
pub fn similar(
    handle: &IndexHandle,
    id: &str,
    request: &SimilarRequest,
) -> Result<Option<SearchResult>, SearchError> {
    let Some(stored) = find_document(handle, id)? else {
        return Ok(None);
    };
    let text = format!("{}\n{}", stored.document.title, stored.document.body);
    similar_to_text(handle, &text, Some(id), request).map(Some)
}

/// The documents most similar to a pasted text.
pub fn similar_to_text(
    handle: &IndexHandle,
    text: &str,
    exclude_id: Option<&str>,
    request: &SimilarRequest,
) -> Result<SearchResult, SearchError> {
    let started = Instant::now();
    let search_request = request.as_search();
    search_request.validate()?;
    let searcher = handle.reader.searcher();
    let like = similar::like_this(handle, &searcher, text, exclude_id)?;
    let mut collected = collect(
        handle,
        &searcher,
        &*like.query,
        &search_request,
        search_request.facets,
    )?;
    let needles: Vec<String> = like.terms.iter().take(10).map(|(t, _)| t.clone()).collect();
    let highlighter = Highlighter::new(&needles);
    let hits = hits_of(
        handle,
        &searcher,
        &collected,
        &search_request,
        &highlighter,
        None,
    )?;
    Ok(SearchResult {
        query: String::new(),
        total: collected.total,
        took_ms: took(started),
        limit: request.limit,
        offset: request.offset,
        hits,
        facets: facets_of(&mut collected),
        relaxed: false,
        dropped_words: Vec::new(),
        suggestions: Vec::new(),
        similar_to: Some(SimilarTo {
            id: exclude_id.map(str::to_string),
            terms: like.terms.into_iter().map(|(t, _)| t).collect(),
        }),
    })
}

/// Ways out of an empty result: drop one filter, or one query word.
fn suggest(
    handle: &IndexHandle,
    searcher: &tantivy::Searcher,
    plan: &QueryPlan,
    request: &SearchRequest,
    weights: &Weights,
) -> Result<Vec<Suggestion>, SearchError> {
    let mut suggestions = Vec::new();
    let count_only = |request: &SearchRequest, plan: &QueryPlan| -> Result<u64, SearchError> {
        let mode = Mode::of(plan, &request.q);
        let query = build_query(
            plan,
            mode.minimum_should_match(plan.groups.len()),
            &handle.fields,
            weights,
        );
        let probe = SearchRequest {
            limit: 0,
            offset: 0,
            ..request.clone()
        };
        Ok(collect(handle, searcher, &*query, &probe, false)?.total)
    };
    for facet in TextFacet::ALL {
        let values = request.filters.values(facet);
        if values.is_empty() {
            continue;
        }
        let mut without = request.clone();
        without.filters.values_mut(facet).clear();
        let total = count_only(&without, plan)?;
        if total > 0 {
            suggestions.push(Suggestion {
                action: "remove_filter",
                parameter: facet.key().to_string(),
                value: values.join("、"),
                total,
                message: format!("去掉筛选条件“{}”可找到 {total} 篇", values.join("、")),
            });
        }
    }
    if request.filters.year_from.is_some() || request.filters.year_to.is_some() {
        let mut without = request.clone();
        without.filters.year_from = None;
        without.filters.year_to = None;
        let total = count_only(&without, plan)?;
        if total > 0 {
            let range = format!(
                "{}–{}",
                request
                    .filters
                    .year_from
                    .map(|y| y.to_string())
                    .unwrap_or_default(),
                request
                    .filters
                    .year_to
                    .map(|y| y.to_string())
                    .unwrap_or_default()
            );
            suggestions.push(Suggestion {
                action: "remove_filter",
                parameter: "year".to_string(),
                value: range.clone(),
                total,
                message: format!("去掉年份范围 {range} 可找到 {total} 篇"),
            });
        }
    }
    let positive = plan.groups.len() + plan.required.len();
    if positive > 1 {
        for index in 0..plan.groups.len() {
            let mut fewer = plan.clone();
            let removed = fewer.groups.remove(index);
            let word = removed.units[0]
                .parts
                .iter()
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let total = count_only(request, &fewer)?;
            if total > 0 {
                suggestions.push(Suggestion {
                    action: "remove_word",
                    parameter: "q".to_string(),
                    message: format!("去掉检索词“{word}”可找到 {total} 篇"),
                    value: word,
                    total,
                });
            }
        }
        for index in 0..plan.required.len() {
            let mut fewer = plan.clone();
            let removed = fewer.required.remove(index);
            let word = removed.units[0].parts[0].text.clone();
            let total = count_only(request, &fewer)?;
            if total > 0 {
                suggestions.push(Suggestion {
                    action: "remove_word",
                    parameter: "q".to_string(),
                    message: format!("去掉短语“{word}”可找到 {total} 篇"),
                    value: word,
                    total,
                });
            }
        }
    }
    suggestions.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.value.cmp(&b.value)));
    suggestions.truncate(5);
    Ok(suggestions)
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
        matched_terms: None,
    }
}
