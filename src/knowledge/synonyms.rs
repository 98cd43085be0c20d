//! Query-time synonym groups (`synonyms.txt`): one group a line, comma-separated, the first
//! entry canonical.

use std::path::Path;

use super::dictionary::strip_comment;
use super::KnowledgeError;

/// One group of equivalent terms; `terms[0]` is canonical.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynonymGroup {
    /// The terms as written, canonical first.
    pub terms: Vec<String>,
}

impl SynonymGroup {
    /// The canonical term.
    pub fn canonical(&self) -> &str {
        self.terms.first().map(String::as_str).unwrap_or("")
    }
}

/// Parses `synonyms.txt`; a group of fewer than two terms is an error naming `path:line`.
pub fn parse(path: &Path, text: &str) -> Result<Vec<SynonymGroup>, KnowledgeError> {
    let mut groups = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = strip_comment(raw);
        if line.is_empty() {
            continue;
        }
        let terms: Vec<String> = line
            .split([',', '，'])
            .map(str::trim)
            .filter(|term| !term.is_empty())
            .map(str::to_string)
            .collect();
        if terms.len() < 2 {
            return Err(KnowledgeError::Invalid {
                path: path.to_path_buf(),
                line: index + 1,
                message: format!("a synonym group needs at least two terms, got {line:?}"),
            });
        }
        groups.push(SynonymGroup { terms });
    }
    Ok(groups)
}
