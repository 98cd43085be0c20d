//! Query-time synonyms: one group a line, comma-separated, the first entry canonical.

use std::collections::HashMap;

use crate::analysis::normalize_str;

/// Synonym groups, looked up by any normalized member.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    groups: Vec<Vec<String>>,
    by_term: HashMap<String, usize>,
}

impl Synonyms {
    /// Parses `synonyms.txt`; `#` comments, blank lines and one-entry lines are skipped.
    pub fn parse(text: &str) -> Synonyms {
        let mut synonyms = Synonyms::default();
        for line in text.lines() {
            let line = super::dictionary::strip_comment(line);
            let members: Vec<String> = line
                .split([',', '，'])
                .map(str::trim)
                .filter(|m| !m.is_empty())
                .map(normalize_str)
                .collect();
            let mut unique: Vec<String> = Vec::with_capacity(members.len());
            for member in members {
                if !unique.contains(&member) {
                    unique.push(member);
                }
            }
            if unique.len() < 2 {
                continue;
            }
            let index = synonyms.groups.len();
            for member in &unique {
                synonyms.by_term.entry(member.clone()).or_insert(index);
            }
            synonyms.groups.push(unique);
        }
        synonyms
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

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// Whether there are no groups.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}
