//! Reading a knowledge TOML file into a typed table, with errors that name the file and line.

use std::path::Path;

use serde::de::DeserializeOwned;

use super::KnowledgeError;

/// Parses `text` (the content of `path`) as `T`; a syntax or shape error names `path:line`.
pub(super) fn parse<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, KnowledgeError> {
    toml::from_str(text).map_err(|e| {
        let line = e.span().map(|span| line_of(text, span.start)).unwrap_or(0);
        KnowledgeError::Invalid {
            path: path.to_path_buf(),
            line,
            message: e.message().to_string(),
        }
    })
}

/// The 1-based line of a byte offset.
pub(super) fn line_of(text: &str, byte: usize) -> usize {
    text.as_bytes()[..byte.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The line where `"needle"` first appears (for checks made after parsing, which have no
/// span): the best pointer we can give, else 0.
pub(super) fn line_of_value(text: &str, needle: &str) -> usize {
    let quoted = format!("\"{needle}\"");
    text.find(&quoted)
        .map(|byte| line_of(text, byte))
        .unwrap_or(0)
}
