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
    ("query_too_long", 400, "`q` is longer than 1,000 characters"),
    ("not_found", 404, "no such route"),
    ("document_not_found", 404, "no document with that id"),
    ("method_not_allowed", 405, "the route exists but not with this method"),
    ("payload_too_large", 413, "the body is larger than the configured limit"),
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
}

#[derive(Serialize)]
struct Envelope<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parameter: Option<&'a str>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            parameter: None,
            retry_after: None,
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
        });
        let mut response = (self.status, body).into_response();
        if let Some(seconds) = self.retry_after {
            if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}
