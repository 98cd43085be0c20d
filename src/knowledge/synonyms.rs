//! Query-time synonym groups (`synonyms.txt`): one group a line, comma-separated, the first
//! entry canonical; looked up by any normalized member.

use std::collections::HashMap;
use std::path::Path;

use super::dictionary::strip_comment;
use super::KnowledgeError;
use crate::analysis::normalize_str;

/// Synonym groups, looked up by any normalized member.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    groups: Vec<Vec<String>>,
    by_term: HashMap<String, usize>,
}

impl Synonyms {
    /// Parses `synonyms.txt`; a group of fewer than two terms is an error naming `path:line`.
    pub fn parse(path: &Path, text: &str) -> Result<Synonyms, KnowledgeError> {
        let mut synonyms = Synonyms::default();
        for (index, raw) in text.lines().enumerate() {
            let line = strip_comment(raw);
            if line.is_empty() {
                continue;
            }
            let mut members: Vec<String> = Vec::new();
            for member in line
                .split([',', '，'])
                .map(str::trim)
                .filter(|m| !m.is_empty())
            {
                let member = normalize_str(member);
                if !members.contains(&member) {
                    members.push(member);
                }
            }
            if members.len() < 2 {
                return Err(KnowledgeError::Invalid {
                    path: path.to_path_buf(),
                    line: index + 1,
                    message: format!("a synonym group needs at least two terms, got {line:?}"),
                });
            }
            let group = synonyms.groups.len();
            for member in &members {
                synonyms.by_term.entry(member.clone()).or_insert(group);
            }
            synonyms.groups.push(members);
        }
        Ok(synonyms)
    }

    /// The other members of the group of a normalized term (empty when it has none).
    pub fn alternatives(&self, term: &str) -> Vec<&str> {
        match self.by_term.get(term) {
            Some(&index) => self.groups[index]
                .iter()
                .filter(|m| m.as_str() != term)
                .map(String::as_str)
                .collect(),
            None => Vec::new(),
        }
    }

    /// The groups, canonical term first (normalized).
    pub fn groups(&self) -> &[Vec<String>] {
        &self.groups
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// Whether there are no groups.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}
