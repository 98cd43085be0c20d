//! Request parameters: query strings (repeatable filters) and JSON bodies into validated
//! library requests. REST shapes live here, apart from the search library's own types.

use axum::body::Bytes;
use axum::http::{header, HeaderMap};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::error::ApiError;
use crate::search::{Filters, SearchRequest, Sort, TextFacet};

/// Parameters of `GET /api/search`.
pub const SEARCH_PARAMETERS: &[&str] = &[
    "q",
    "country",
    "organization",
    "coop_type",
    "drug_type",
    "doc_type",
    "year_from",
    "year_to",
    "sort",
    "limit",
    "offset",
    "explain",
    "snippet_chars",
    "facets",
];

/// Decoded `key=value` pairs of a query string.
pub fn pairs(raw: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn whole_number(name: &str, value: &str) -> Result<usize, ApiError> {
    value
        .trim()
        .parse::<usize>()
        .map_err(|_| ApiError::invalid(name, format!("{value:?} is not a whole number ≥ 0")))
}

fn year(name: &str, value: &str) -> Result<Option<i64>, ApiError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    value
        .parse::<i64>()
        .map(Some)
        .map_err(|_| ApiError::invalid(name, format!("{value:?} is not a year")))
}

fn boolean(name: &str, value: &str) -> Result<bool, ApiError> {
    match value.trim() {
        "true" | "1" | "" => Ok(true),
        "false" | "0" => Ok(false),
        other => Err(ApiError::invalid(
            name,
            format!("{other:?} is not true or false"),
        )),
    }
}

fn text_facet(key: &str) -> Option<TextFacet> {
    TextFacet::ALL.into_iter().find(|facet| facet.key() == key)
}

/// `GET /api/search` parameters into a request (checked later by the library).
pub fn search_from_query(raw: Option<&str>) -> Result<SearchRequest, ApiError> {
    let mut request = SearchRequest::default();
    let mut seen_q = false;
    for (key, value) in pairs(raw) {
        if let Some(facet) = text_facet(&key) {
            if !value.trim().is_empty() {
                request.filters.values_mut(facet).push(value);
            }
            continue;
        }
        match key.as_str() {
            "q" => {
                if seen_q {
                    return Err(ApiError::invalid("q", "given more than once"));
                }
                seen_q = true;
                request.q = value;
            }
            "year_from" => request.filters.year_from = year("year_from", &value)?,
            "year_to" => request.filters.year_to = year("year_to", &value)?,
            "sort" => request.sort = Sort::parse(value.trim())?,
            "limit" => request.limit = whole_number("limit", &value)?,
            "offset" => request.offset = whole_number("offset", &value)?,
            "explain" => request.explain = boolean("explain", &value)?,
            "facets" => request.facets = boolean("facets", &value)?,
            "snippet_chars" => request.snippet_chars = whole_number("snippet_chars", &value)?,
            other => return Err(ApiError::unknown(other, SEARCH_PARAMETERS)),
        }
    }
    Ok(request)
}

/// The body of `POST /api/search`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchBody {
    q: Option<String>,
    filters: Option<FilterBody>,
    sort: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
    explain: Option<bool>,
    snippet_chars: Option<usize>,
    facets: Option<bool>,
}

/// `filters` of a search body.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilterBody {
    country: Option<Vec<String>>,
    organization: Option<Vec<String>>,
    coop_type: Option<Vec<String>>,
    drug_type: Option<Vec<String>>,
    doc_type: Option<Vec<String>>,
    year: Option<YearBody>,
}

/// `filters.year` of a search body.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearBody {
    from: Option<i64>,
    to: Option<i64>,
}

impl SearchBody {
    /// Into a library request (checked later by the library).
    pub fn into_request(self) -> Result<SearchRequest, ApiError> {
        let mut request = SearchRequest::default();
        if let Some(q) = self.q {
            request.q = q;
        }
        if let Some(filters) = self.filters {
            let FilterBody {
                country,
                organization,
                coop_type,
                drug_type,
                doc_type,
                year,
            } = filters;
            request.filters = Filters {
                country: country.unwrap_or_default(),
                organization: organization.unwrap_or_default(),
                coop_type: coop_type.unwrap_or_default(),
                drug_type: drug_type.unwrap_or_default(),
                doc_type: doc_type.unwrap_or_default(),
                year_from: year.as_ref().and_then(|y| y.from),
                year_to: year.as_ref().and_then(|y| y.to),
            };
        }
        if let Some(sort) = self.sort {
            request.sort = Sort::parse(&sort)?;
        }
        if let Some(limit) = self.limit {
            request.limit = limit;
        }
        if let Some(offset) = self.offset {
            request.offset = offset;
        }
        if let Some(explain) = self.explain {
            request.explain = explain;
        }
        if let Some(facets) = self.facets {
            request.facets = facets;
        }
        if let Some(chars) = self.snippet_chars {
            request.snippet_chars = chars;
        }
        Ok(request)
    }
}

/// Parses a JSON body: the content type must be JSON; syntax errors are `invalid_json`; an
/// unknown field is `unknown_parameter` and a wrong type `invalid_parameter`, both naming the
/// field's path.
pub fn json_body<T: DeserializeOwned>(headers: &HeaderMap, body: &Bytes) -> Result<T, ApiError> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            let mime = v
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            mime == "application/json" || mime.ends_with("+json")
        })
        .unwrap_or(false);
    if !is_json {
        return Err(ApiError::unsupported_media_type());
    }
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::invalid_json(format!("invalid JSON: {e}")))?;
    if !value.is_object() {
        return Err(ApiError::invalid_json("the body must be a JSON object"));
    }
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let message = error.inner().to_string();
        if let Some(field) = unknown_field(&message) {
            let full = if path.is_empty() || path == "." {
                field
            } else if path == field || path.ends_with(&format!(".{field}")) {
                path
            } else {
                format!("{path}.{field}")
            };
            return ApiError::unknown(&full, SEARCH_BODY_FIELDS);
        }
        ApiError::invalid(&path, message)
    })
}

/// Top-level fields of the search body (for messages).
const SEARCH_BODY_FIELDS: &[&str] = &[
    "q",
    "filters",
    "sort",
    "limit",
    "offset",
    "explain",
    "snippet_chars",
    "facets",
];

/// The field named in serde's "unknown field `x`" message.
fn unknown_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    Some(rest.split('`').next()?.to_string())
}
