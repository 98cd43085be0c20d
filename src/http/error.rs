//! The one JSON error envelope, `{"code", "message"}`, and the table of stable codes with their
//! HTTP statuses. Client mistakes are 4xx; a 5xx logs its cause and answers a generic message.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use crate::search::SearchError;

/// Every error code the API answers, with its status (the README carries the same table).
pub const ERROR_CODES: &[(&str, u16, &str)] = &[
    ("invalid_parameter", 400, "a parameter has the wrong type, is out of range, or contradicts another; the message names it"),
    ("unknown_parameter", 400, "a query parameter or JSON field that the endpoint does not take"),
    ("invalid_json", 400, "the body is not valid JSON"),
    ("invalid_document", 400, "a written document fails validation; `errors` lists each problem with its index, id and field"),
    ("field_too_long", 400, "a written document has a field longer than its limit"),
    ("unauthorized", 401, "the request needs `Authorization: Bearer <key>`"),
    ("forbidden", 403, "the key given may not do this"),
    ("writes_disabled", 403, "no write key is configured, so the write API is off"),
    ("query_too_long", 400, "`q` is longer than 1,000 characters"),
    ("not_found", 404, "no such route"),
    ("document_not_found", 404, "no document with that id"),
    ("method_not_allowed", 405, "the route exists but not with this method"),
    ("payload_too_large", 413, "the body is larger than the configured limit"),
    ("too_many_documents", 413, "more documents in one write request than `max_documents`"),
    ("unsupported_media_type", 415, "a JSON body without `Content-Type: application/json`"),
    ("internal", 500, "a server fault; the cause is logged"),
    ("overloaded", 503, "too many requests are waiting; retry after the `Retry-After` seconds"),
    ("not_ready", 503, "the index is still being built or opened; retry after the `Retry-After` seconds"),
    ("timeout", 503, "the request took longer than the configured timeout"),
];

/// An error answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable snake_case code.
    pub code: &'static str,
    /// Human-readable message.
    pub message: String,
    /// The parameter at fault, if one.
    pub parameter: Option<String>,
    /// Seconds for `Retry-After`.
    pub retry_after: Option<u32>,
    /// Per-document problems of a refused write.
    pub errors: Vec<super::writes::DocumentProblem>,
}

#[derive(Serialize)]
struct Envelope<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parameter: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    errors: &'a [super::writes::DocumentProblem],
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            parameter: None,
            retry_after: None,
            errors: Vec::new(),
        }
    }

    /// `invalid_parameter` naming `parameter`.
    pub fn invalid(parameter: &str, message: impl Into<String>) -> ApiError {
        let message = message.into();
        let mut error = ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            format!("invalid parameter `{parameter}`: {message}"),
        );
        error.parameter = Some(parameter.to_string());
        error
    }

    /// `unknown_parameter`.
    pub fn unknown(parameter: &str, allowed: &[&str]) -> ApiError {
        let mut error = ApiError::new(
            StatusCode::BAD_REQUEST,
            "unknown_parameter",
            format!(
                "unknown parameter `{parameter}` (this endpoint takes: {})",
                allowed.join(", ")
            ),
        );
        error.parameter = Some(parameter.to_string());
        error
    }

    /// `invalid_json`.
    pub fn invalid_json(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_json", message)
    }

    /// `not_found` for a route.
    pub fn route_not_found(path: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no route {path}; see /openapi.json"),
        )
    }

    /// `document_not_found`.
    pub fn document_not_found(id: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "document_not_found",
            format!("no document with id {id:?}"),
        )
    }

    /// `method_not_allowed`.
    pub fn method_not_allowed(method: &str, path: &str) -> ApiError {
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            format!("{method} is not allowed on {path}"),
        )
    }

    /// `payload_too_large`.
    pub fn payload_too_large(limit: usize) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("the body is larger than {limit} bytes"),
        )
    }

    /// `unsupported_media_type`.
    pub fn unsupported_media_type() -> ApiError {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the body as JSON with `Content-Type: application/json`",
        )
    }

    /// `invalid_document` (or `field_too_long` when a field is too long), with every problem.
    pub fn invalid_documents(errors: Vec<super::writes::DocumentProblem>) -> ApiError {
        let too_long = errors.iter().any(|e| e.message.contains("too long"));
        let first = errors
            .first()
            .map(|e| e.message.clone())
            .unwrap_or_default();
        let (code, message) = if too_long {
            ("field_too_long", format!("a field is too long: {first}"))
        } else {
            ("invalid_document", format!("invalid document: {first}"))
        };
        let mut error = ApiError::new(StatusCode::BAD_REQUEST, code, message);
        error.errors = errors;
        error
    }

    /// `too_many_documents`.
    pub fn too_many_documents(given: usize, max: usize) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_many_documents",
            format!("{given} documents in one request; at most {max}"),
        )
    }

    /// `unauthorized`.
    pub fn unauthorized(message: &str) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    /// `forbidden`.
    pub fn forbidden(message: &str) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// `writes_disabled`.
    pub fn writes_disabled() -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "writes_disabled",
            "writes are disabled: no write key is configured (api_key / JINDU_API_KEY)",
        )
    }

    /// `overloaded`, to retry after a second.
    pub fn overloaded() -> ApiError {
        let mut error = ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "overloaded",
            "too many requests are waiting; retry shortly",
        );
        error.retry_after = Some(1);
        error
    }

    /// `not_ready`: the index is loading.
    pub fn not_ready(message: impl Into<String>) -> ApiError {
        let mut error = ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "not_ready", message);
        error.retry_after = Some(2);
        error
    }

    /// `timeout`.
    pub fn timeout(limit: std::time::Duration) -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            format!("the request took longer than {} ms", limit.as_millis()),
        )
    }

    /// `internal`: logs the cause, answers a generic message.
    pub fn internal(cause: impl std::fmt::Display) -> ApiError {
        tracing::error!(error = %cause, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error; the cause was logged",
        )
    }
}

impl From<SearchError> for ApiError {
    fn from(error: SearchError) -> ApiError {
        match error {
            SearchError::InvalidParameter { parameter, message } => {
                ApiError::invalid(&parameter, message)
            }
            SearchError::QueryTooLong { .. } => {
                let mut e =
                    ApiError::new(StatusCode::BAD_REQUEST, "query_too_long", error.to_string());
                e.parameter = Some("q".to_string());
                e
            }
            SearchError::Index(cause) => ApiError::internal(cause),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Json(Envelope {
            code: self.code,
            message: &self.message,
            parameter: self.parameter.as_deref(),
            errors: &self.errors,
        });
        let mut response = (self.status, body).into_response();
        if self.code == "unauthorized" {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(seconds) = self.retry_after {
            if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}
