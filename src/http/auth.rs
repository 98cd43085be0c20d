//! Keys: `Authorization: Bearer <key>`, compared in constant time (both sides hashed, then
//! every byte compared). Writes need the write key; when a read key is configured, reads need
//! it (or the write key). Keys are never logged.

use axum::http::{header, HeaderMap};
use sha2::{Digest, Sha256};

use super::error::ApiError;
use super::AppState;
use crate::config::Secret;

/// Whether `given` equals `expected`, in time that does not depend on where they differ.
pub fn keys_equal(given: &str, expected: &Secret) -> bool {
    let a = Sha256::digest(given.as_bytes());
    let b = Sha256::digest(expected.expose().as_bytes());
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

/// The bearer token of a request, if it sent one.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// Checks the write key.
pub fn check_write(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(expected) = &state.config.api_key else {
        return Err(ApiError::writes_disabled());
    };
    match bearer(headers) {
        None => Err(ApiError::unauthorized(
            "writes need `Authorization: Bearer <key>`",
        )),
        Some(token) if keys_equal(token, expected) => Ok(()),
        Some(_) => Err(ApiError::forbidden("this key may not write")),
    }
}

/// Checks the read key, when one is configured.
pub fn check_read(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(read_key) = &state.config.read_key else {
        return Ok(());
    };
    match bearer(headers) {
        None => Err(ApiError::unauthorized(
            "reads need `Authorization: Bearer <key>`",
        )),
        Some(token)
            if keys_equal(token, read_key)
                || state
                    .config
                    .api_key
                    .as_ref()
                    .is_some_and(|k| keys_equal(token, k)) =>
        {
            Ok(())
        }
        Some(_) => Err(ApiError::forbidden("this key may not read")),
    }
}
