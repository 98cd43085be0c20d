//! The route handlers: extract, run the library off the async runtime, shape JSON. Thin.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::json;

use super::auth::check_read;
use super::error::ApiError;
use super::params::{json_body, pairs, search_from_query, SearchBody};
use super::AppState;
use crate::analysis::{AnalyzedToken, Analyzer, Side};
use crate::index::IndexHandle;
use crate::search::{document_view, search, SearchRequest, MAX_QUERY_CHARS};

/// Longest text `GET /api/analyze` takes, in characters.
pub const MAX_ANALYZE_CHARS: usize = 10_000;

fn current(state: &AppState) -> Result<std::sync::Arc<IndexHandle>, ApiError> {
    state
        .live
        .get()
        .ok_or_else(|| ApiError::not_ready("the index is being built or opened"))
}

async fn run_search(state: AppState, request: SearchRequest) -> Result<Response, ApiError> {
    request.validate()?;
    let handle = current(&state)?;
    let result = state.pool.run(move || search(&handle, &request)).await??;
    Ok(Json(result).into_response())
}

/// `GET /api/search`.
pub async fn search_get(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    check_read(&state, &headers)?;
    let request = search_from_query(raw.as_deref())?;
    run_search(state, request).await
}

/// `POST /api/search`.
pub async fn search_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    check_read(&state, &headers)?;
    let body = body_bytes(&state, body)?;
    let request = json_body::<SearchBody>(&headers, &body)?.into_request()?;
    run_search(state, request).await
}

/// The body, or `payload_too_large` when it exceeds the limit.
pub fn body_bytes(
    state: &AppState,
    body: Result<Bytes, BytesRejection>,
) -> Result<Bytes, ApiError> {
    body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::payload_too_large(state.config.max_body_bytes)
        } else {
            ApiError::invalid_json(format!("cannot read the body: {rejection}"))
        }
    })
}

/// `GET /api/documents/{id}` (`?q=` adds highlights).
pub async fn document(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    check_read(&state, &headers)?;
    let Path(id) = id.map_err(|e| ApiError::invalid("id", e.body_text()))?;
    let mut query = None;
    for (key, value) in pairs(raw.as_deref()) {
        match key.as_str() {
            "q" => {
                if value.chars().count() > MAX_QUERY_CHARS {
                    return Err(crate::search::SearchError::QueryTooLong {
                        chars: value.chars().count(),
                        max: MAX_QUERY_CHARS,
                    }
                    .into());
                }
                query = Some(value);
            }
            other => return Err(ApiError::unknown(other, &["q"])),
        }
    }
    let handle = current(&state)?;
    let lookup_id = id.clone();
    let view = state
        .pool
        .run(move || document_view(&handle, &lookup_id, query.as_deref()))
        .await??;
    match view {
        Some(view) => Ok(Json(view).into_response()),
        None => Err(ApiError::document_not_found(&id)),
    }
}

/// `GET /api/documents/{id}/similar`: the most similar documents by content; takes the
/// search filters, `limit` and `offset`.
pub async fn similar_documents(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    check_read(&state, &headers)?;
    let Path(id) = id.map_err(|e| ApiError::invalid("id", e.body_text()))?;
    let parsed = search_from_query(raw.as_deref())?;
    if !parsed.q.is_empty() {
        return Err(ApiError::unknown("q", SIMILAR_PARAMETERS));
    }
    if parsed.sort != crate::search::Sort::Relevance || parsed.explain {
        let name = if parsed.explain { "explain" } else { "sort" };
        return Err(ApiError::unknown(name, SIMILAR_PARAMETERS));
    }
    let request = crate::search::SimilarRequest {
        filters: parsed.filters,
        limit: parsed.limit,
        offset: parsed.offset,
        snippet_chars: parsed.snippet_chars,
    };
    let handle = current(&state)?;
    let lookup = id.clone();
    let result = state
        .pool
        .run(move || crate::search::similar(&handle, &lookup, &request))
        .await??;
    match result {
        Some(result) => Ok(Json(result).into_response()),
        None => Err(ApiError::document_not_found(&id)),
    }
}

/// Parameters of `GET /api/documents/{id}/similar`.
const SIMILAR_PARAMETERS: &[&str] = &[
    "country",
    "organization",
    "coop_type",
    "drug_type",
    "doc_type",
    "year_from",
    "year_to",
    "limit",
    "offset",
    "snippet_chars",
];

/// `GET /api/facets`: every facet value over the whole index.
pub async fn facets(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    check_read(&state, &headers)?;
    if let Some((key, _)) = pairs(raw.as_deref()).into_iter().next() {
        return Err(ApiError::unknown(&key, &[]));
    }
    let handle = current(&state)?;
    let request = SearchRequest {
        limit: 0,
        ..SearchRequest::default()
    };
    let result = state.pool.run(move || search(&handle, &request)).await??;
    Ok(Json(result.facets).into_response())
}

#[derive(Serialize)]
struct AnalyzeAnswer {
    text: String,
    side: &'static str,
    tokens: Vec<AnalyzedToken>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    dropped_words: Vec<String>,
    /// With side=query: how the text is searched (groups of alternatives, synonyms, phrases).
    #[serde(skip_serializing_if = "Option::is_none")]
    plan: Option<crate::search::QueryPlan>,
}

/// `GET /api/analyze?text=…[&side=index|query|grams]`.
pub async fn analyze(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    check_read(&state, &headers)?;
    let mut text = None;
    let mut side = "index";
    for (key, value) in pairs(raw.as_deref()) {
        match key.as_str() {
            "text" => text = Some(value),
            "side" => {
                side = match value.as_str() {
                    "index" => "index",
                    "query" => "query",
                    "grams" => "grams",
                    other => {
                        return Err(ApiError::invalid(
                            "side",
                            format!("{other:?} is not index, query or grams"),
                        ))
                    }
                }
            }
            other => return Err(ApiError::unknown(other, &["text", "side"])),
        }
    }
    let text = text.ok_or_else(|| ApiError::invalid("text", "missing"))?;
    if text.chars().count() > MAX_ANALYZE_CHARS {
        return Err(ApiError::invalid(
            "text",
            format!("longer than {MAX_ANALYZE_CHARS} characters"),
        ));
    }
    let handle = current(&state)?;
    let answer = state
        .pool
        .run(move || {
            let tokens = match side {
                "grams" => Analyzer::grams_of(&text),
                "query" => handle.analyzer.words_of(&text, Side::Query),
                _ => handle.analyzer.words_of(&text, Side::Index),
            };
            let plan = (side == "query")
                .then(|| crate::search::plan(&text, &handle.analyzer, &handle.knowledge.synonyms));
            AnalyzeAnswer {
                dropped_words: plan.as_ref().map(|p| p.dropped.clone()).unwrap_or_default(),
                text,
                side,
                tokens,
                plan,
            }
        })
        .await?;
    Ok(Json(answer).into_response())
}

/// `GET /healthz`: the process answers.
pub async fn health() -> Json<serde_json::Value> {
    Json(json!({"status": "ok"}))
}

/// `GET /readyz`: ready once an index is open.
pub async fn ready(State(state): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    let handle = current(&state)?;
    Ok(Json(json!({
        "status": "ready",
        "documents": handle.num_docs(),
        "generation": handle.generation.file_name().map(|n| n.to_string_lossy().to_string()),
    })))
}

/// Unknown routes.
pub async fn not_found(uri: Uri) -> ApiError {
    ApiError::route_not_found(uri.path())
}

/// Known routes with the wrong method.
pub async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::method_not_allowed(method.as_str(), uri.path())
}
