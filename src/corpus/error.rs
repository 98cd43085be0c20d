//! Corpus problems, each naming the file and line it was found at.

use std::fmt;
use std::path::PathBuf;

/// One problem in the corpus: `path:line: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusError {
    /// The file.
    pub path: PathBuf,
    /// 1-based line (for JSONL the document's line; for text files the offending line).
    pub line: usize,
    /// What is wrong, in words a user can act on.
    pub message: String,
}

impl CorpusError {
    /// A problem at `path:line`.
    pub fn new(path: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> CorpusError {
        CorpusError {
            path: path.into(),
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for CorpusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.path.display(), self.line, self.message)
    }
}

impl std::error::Error for CorpusError {}
