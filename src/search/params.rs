//! Search parameters: one struct with named defaults and maxima, validated once; every
//! violation names the parameter (`limit`, `year_from` …) and is never silently clamped.

use super::collector::{FilterSet, Order};
use super::facets::TextFacet;
use super::SearchError;
use crate::corpus::DocType;

/// Hits returned when `limit` is not given.
pub const DEFAULT_LIMIT: usize = 10;
/// Most hits one request may ask for.
pub const MAX_LIMIT: usize = 100;
/// Deepest `offset` allowed (deep paging is refused, not slow).
pub const MAX_OFFSET: usize = 10_000;
/// Longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// Most values one filter may list.
pub const MAX_FILTER_VALUES: usize = 100;
/// Years accepted in a range.
pub const YEAR_BOUNDS: std::ops::RangeInclusive<i64> = 1000..=9999;

/// The hit order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// Newest first.
    YearDesc,
    /// Oldest first.
    YearAsc,
}

impl Sort {
    /// Parses `relevance`, `year_desc` or `year_asc`.
    pub fn parse(value: &str) -> Result<Sort, SearchError> {
        match value {
            "relevance" => Ok(Sort::Relevance),
            "year_desc" => Ok(Sort::YearDesc),
            "year_asc" => Ok(Sort::YearAsc),
            other => Err(SearchError::invalid(
                "sort",
                format!("unknown sort {other:?} (expected relevance, year_desc or year_asc)"),
            )),
        }
    }

    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::YearDesc => "year_desc",
            Sort::YearAsc => "year_asc",
        }
    }

    pub(crate) fn order(self) -> Order {
        match self {
            Sort::Relevance => Order::Relevance,
            Sort::YearDesc => Order::YearDesc,
            Sort::YearAsc => Order::YearAsc,
        }
    }
}

/// Filter values per facet; a document passes a facet's filter when it has any listed value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Countries and regions.
    pub country: Vec<String>,
    /// Organisations.
    pub organization: Vec<String>,
    /// Cooperation types.
    pub coop_type: Vec<String>,
    /// Drug types.
    pub drug_type: Vec<String>,
    /// Document types (`policy`, `case`).
    pub doc_type: Vec<String>,
    /// First year, inclusive.
    pub year_from: Option<i64>,
    /// Last year, inclusive.
    pub year_to: Option<i64>,
}

impl Filters {
    /// The values of a text facet's filter.
    pub fn values(&self, facet: TextFacet) -> &Vec<String> {
        match facet {
            TextFacet::Country => &self.country,
            TextFacet::Organization => &self.organization,
            TextFacet::CoopType => &self.coop_type,
            TextFacet::DrugType => &self.drug_type,
            TextFacet::DocType => &self.doc_type,
        }
    }

    /// The values of a text facet's filter, mutably.
    pub fn values_mut(&mut self, facet: TextFacet) -> &mut Vec<String> {
        match facet {
            TextFacet::Country => &mut self.country,
            TextFacet::Organization => &mut self.organization,
            TextFacet::CoopType => &mut self.coop_type,
            TextFacet::DrugType => &mut self.drug_type,
            TextFacet::DocType => &mut self.doc_type,
        }
    }

    /// Checks the filters.
    pub fn validate(&self) -> Result<(), SearchError> {
        for facet in TextFacet::ALL {
            let values = self.values(facet);
            if values.len() > MAX_FILTER_VALUES {
                return Err(SearchError::invalid(
                    facet.key(),
                    format!("at most {MAX_FILTER_VALUES} values"),
                ));
            }
            for value in values {
                if value.trim().is_empty() {
                    return Err(SearchError::invalid(facet.key(), "empty value"));
                }
                if facet == TextFacet::DocType && DocType::parse(value.trim()).is_none() {
                    return Err(SearchError::invalid(
                        "doc_type",
                        format!("unknown doc_type {value:?} (expected policy or case)"),
                    ));
                }
            }
        }
        for (name, year) in [("year_from", self.year_from), ("year_to", self.year_to)] {
            if let Some(year) = year {
                if !YEAR_BOUNDS.contains(&year) {
                    return Err(SearchError::invalid(
                        name,
                        format!(
                            "year {year} out of range {}..={}",
                            YEAR_BOUNDS.start(),
                            YEAR_BOUNDS.end()
                        ),
                    ));
                }
            }
        }
        if let (Some(from), Some(to)) = (self.year_from, self.year_to) {
            if from > to {
                return Err(SearchError::invalid(
                    "year_from",
                    format!("year_from {from} is after year_to {to}"),
                ));
            }
        }
        Ok(())
    }

    /// Whether any filter is set.
    pub fn is_empty(&self) -> bool {
        self.filter_set().is_empty()
    }

    pub(crate) fn filter_set(&self) -> FilterSet {
        let mut set = FilterSet::default();
        for facet in TextFacet::ALL {
            let values = self.values(facet);
            if !values.is_empty() {
                set.text[facet.index()] =
                    Some(values.iter().map(|v| v.trim().to_string()).collect());
            }
        }
        if self.year_from.is_some() || self.year_to.is_some() {
            set.years = Some((
                self.year_from.unwrap_or(i64::MIN),
                self.year_to.unwrap_or(i64::MAX),
            ));
        }
        set
    }
}

/// One search request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    /// The query text; empty lists everything that passes the filters.
    pub q: String,
    /// Filters.
    pub filters: Filters,
    /// Hit order.
    pub sort: Sort,
    /// Hits to return (0..=100).
    pub limit: usize,
    /// Hits to skip (0..=10,000).
    pub offset: usize,
    /// Snippet length in characters.
    pub snippet_chars: usize,
    /// Add `matched_terms` to each hit.
    pub explain: bool,
    /// Count facets (on by default; off saves the counting pass's facet work).
    pub facets: bool,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            q: String::new(),
            filters: Filters::default(),
            sort: Sort::Relevance,
            limit: DEFAULT_LIMIT,
            offset: 0,
            snippet_chars: super::highlight::DEFAULT_SNIPPET_CHARS,
            explain: false,
            facets: true,
        }
    }
}

impl SearchRequest {
    /// A request for `q` with the defaults.
    pub fn query(q: impl Into<String>) -> SearchRequest {
        SearchRequest {
            q: q.into(),
            ..SearchRequest::default()
        }
    }

    /// Checks every parameter; the error names the first one out of range.
    pub fn validate(&self) -> Result<(), SearchError> {
        let chars = self.q.chars().count();
        if chars > MAX_QUERY_CHARS {
            return Err(SearchError::QueryTooLong {
                chars,
                max: MAX_QUERY_CHARS,
            });
        }
        if self.limit > MAX_LIMIT {
            return Err(SearchError::invalid(
                "limit",
                format!("limit {} is above the maximum {MAX_LIMIT}", self.limit),
            ));
        }
        if self.offset > MAX_OFFSET {
            return Err(SearchError::invalid(
                "offset",
                format!("offset {} is above the maximum {MAX_OFFSET}", self.offset),
            ));
        }
        if !(20..=2_000).contains(&self.snippet_chars) {
            return Err(SearchError::invalid(
                "snippet_chars",
                "snippet_chars must be between 20 and 2000",
            ));
        }
        self.filters.validate()
    }
}
