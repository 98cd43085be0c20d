//! The write API: `POST /api/documents` (one document, an array, or NDJSON), `PUT` and
//! `DELETE /api/documents/{id}`. Documents get the corpus reader's validation plus the write
//! API's id rules; a request is applied whole or not at all; an answer means the change is
//! journaled (fsynced), committed and searchable.

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::{Map, Value};

use super::auth::check_write;
use super::error::ApiError;
use super::handlers::body_bytes;
use super::AppState;
use crate::corpus::{check_id, document_from_map, Defaults, Document, Origin};
use crate::index::journal::Op;
use crate::index::WriteOutcome;

/// Longest a write waits for its commit before answering `timeout` (the write may still
/// complete; repeating it is safe, writes are upserts).
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(60);

/// One refused document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentProblem {
    /// Its position in the request (0-based).
    pub index: usize,
    /// Its id, when it has one.
    pub id: Option<String>,
    /// The field at fault, when one is.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// Ids written through the API must also work as one path segment and as a file name.
pub fn check_write_id(id: &str) -> Result<(), String> {
    check_id(id)?;
    if id.contains('/') || id.contains('\\') {
        return Err(format!("id {id:?} contains a slash"));
    }
    if id == "." || id.contains("..") {
        return Err(format!("id {id:?} contains `..`"));
    }
    Ok(())
}

fn parse_body(headers: &HeaderMap, body: &Bytes) -> Result<Vec<Value>, ApiError> {
    let mime = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    match mime.as_str() {
        "application/x-ndjson"
        | "application/ndjson"
        | "application/jsonl"
        | "application/x-jsonlines" => {
            let text = std::str::from_utf8(body)
                .map_err(|_| ApiError::invalid_json("the body is not UTF-8"))?;
            text.lines()
                .enumerate()
                .filter(|(_, line)| !line.trim().is_empty())
                .map(|(n, line)| {
                    serde_json::from_str::<Value>(line)
                        .map_err(|e| ApiError::invalid_json(format!("line {}: {e}", n + 1)))
                })
                .collect()
        }
        "application/json" => match serde_json::from_slice::<Value>(body) {
            Ok(Value::Array(items)) => Ok(items),
            Ok(other) => Ok(vec![other]),
            Err(e) => Err(ApiError::invalid_json(format!("invalid JSON: {e}"))),
        },
        _ => Err(ApiError::unsupported_media_type()),
    }
}

/// Validates each value into a document; refuses the request if any is invalid.
fn documents_of(values: Vec<Value>, path_id: Option<&str>) -> Result<Vec<Document>, ApiError> {
    let mut documents = Vec::with_capacity(values.len());
    let mut problems = Vec::new();
    for (index, value) in values.into_iter().enumerate() {
        let Value::Object(mut map) = value else {
            problems.push(DocumentProblem {
                index,
                id: None,
                field: None,
                message: "expected a JSON object".to_string(),
            });
            continue;
        };
        if let Some(path_id) = path_id {
            match map.get("id") {
                Some(Value::String(id)) if id != path_id => {
                    return Err(ApiError::invalid(
                        "id",
                        format!("the body's id {id:?} differs from the path's {path_id:?}"),
                    ));
                }
                _ => {
                    map.insert("id".to_string(), Value::String(path_id.to_string()));
                }
            }
        }
        let id = map.get("id").and_then(Value::as_str).map(str::to_string);
        match validate(&map) {
            Ok(document) => documents.push(document),
            Err(found) => {
                problems.extend(found.into_iter().map(|(field, message)| DocumentProblem {
                    index,
                    id: id.clone(),
                    field,
                    message,
                }))
            }
        }
    }
    if problems.is_empty() {
        Ok(documents)
    } else {
        Err(ApiError::invalid_documents(problems))
    }
}

fn validate(map: &Map<String, Value>) -> Result<Document, Vec<(Option<String>, String)>> {
    let document =
        document_from_map(map, Origin::Json, &Defaults::default()).map_err(|problems| {
            problems
                .into_iter()
                .map(|p| (p.field, p.message))
                .collect::<Vec<_>>()
        })?;
    check_write_id(&document.id).map_err(|message| vec![(Some("id".to_string()), message)])?;
    Ok(document)
}

async fn submit(state: &AppState, ops: Vec<Op>) -> Result<WriteOutcome, ApiError> {
    let Some(service) = state.service.get().cloned() else {
        return Err(ApiError::not_ready("the index service is not running"));
    };
    let answer = service.submit(ops);
    let waited = tokio::task::spawn_blocking(move || answer.recv_timeout(WRITE_TIMEOUT))
        .await
        .map_err(|e| ApiError::internal(format!("write task failed: {e}")))?;
    match waited {
        Ok(Ok(outcome)) => {
            state.metrics.documents_written.fetch_add(
                outcome.results.len() as u64,
                std::sync::atomic::Ordering::Relaxed,
            );
            state
                .metrics
                .write_requests
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Ok(outcome)
        }
        Ok(Err(message)) => Err(ApiError::internal(message)),
        Err(crossbeam_channel::RecvTimeoutError::Timeout) => Err(ApiError::timeout(WRITE_TIMEOUT)),
        Err(crossbeam_channel::RecvTimeoutError::Disconnected) => {
            Err(ApiError::internal("the index service stopped"))
        }
    }
}

/// `POST /api/documents`.
pub async fn post_documents(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    check_write(&state, &headers)?;
    let body = body_bytes(&state, body).map_err(|e| {
        if e.code == "payload_too_large" {
            ApiError::payload_too_large(state.config.max_write_bytes)
        } else {
            e
        }
    })?;
    let values = parse_body(&headers, &body)?;
    if values.is_empty() {
        return Err(ApiError::invalid_json("no documents in the body"));
    }
    if values.len() > state.config.max_documents {
        return Err(ApiError::too_many_documents(
            values.len(),
            state.config.max_documents,
        ));
    }
    let documents = documents_of(values, None)?;
    let mut seen = std::collections::HashSet::new();
    for (index, document) in documents.iter().enumerate() {
        if !seen.insert(document.id.as_str()) {
            return Err(ApiError::invalid_documents(vec![DocumentProblem {
                index,
                id: Some(document.id.clone()),
                field: Some("id".to_string()),
                message: format!("id {:?} appears twice in the request", document.id),
            }]));
        }
    }
    let ops = documents
        .into_iter()
        .map(|document| Op::Upsert {
            document: Box::new(document),
        })
        .collect();
    let outcome = submit(&state, ops).await?;
    Ok(Json(outcome).into_response())
}

/// `PUT /api/documents/{id}`.
pub async fn put_document(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    check_write(&state, &headers)?;
    let Path(id) = id.map_err(|e| ApiError::invalid("id", e.body_text()))?;
    check_write_id(&id).map_err(|message| ApiError::invalid("id", message))?;
    let body = body_bytes(&state, body)?;
    let values = parse_body(&headers, &body)?;
    if values.len() != 1 {
        return Err(ApiError::invalid_json("PUT takes exactly one document"));
    }
    let documents = documents_of(values, Some(&id))?;
    let ops = documents
        .into_iter()
        .map(|document| Op::Upsert {
            document: Box::new(document),
        })
        .collect();
    let outcome = submit(&state, ops).await?;
    Ok(Json(outcome).into_response())
}

/// `DELETE /api/documents/{id}`.
pub async fn delete_document(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    check_write(&state, &headers)?;
    let Path(id) = id.map_err(|e| ApiError::invalid("id", e.body_text()))?;
    let exists = state
        .live
        .get()
        .map(|handle| handle.contains_id(&id))
        .unwrap_or(false);
    if !exists {
        return Err(ApiError::document_not_found(&id));
    }
    let outcome = submit(&state, vec![Op::Delete { id }]).await?;
    Ok(Json(outcome).into_response())
}
