//! When nothing is found: which filter or query word to drop to get results, each with the
//! number of documents the search would then find.

use serde::Serialize;

/// One way to get results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// `remove_filter` or `remove_word`.
    pub action: &'static str,
    /// The filter's parameter (`country`, `year` …) or `q`.
    pub parameter: String,
    /// The filter's values or the word, as text.
    pub value: String,
    /// Documents found after the change.
    pub total: u64,
    /// A sentence for people, in Chinese.
    pub message: String,
}
