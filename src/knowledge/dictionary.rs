//! The jieba user dictionary: lines of `word [freq] [tag]`.

use std::path::Path;

use super::KnowledgeError;

/// One user dictionary word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DictEntry {
    /// The word as written in the file.
    pub word: String,
    /// Its frequency; `None` lets jieba suggest one that keeps the word whole.
    pub freq: Option<usize>,
    /// Part-of-speech tag, if given.
    pub tag: Option<String>,
}

/// Parses a dictionary file; a malformed line is an error naming `path:line`.
pub fn parse(path: &Path, text: &str) -> Result<Vec<DictEntry>, KnowledgeError> {
    let mut entries = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = strip_comment(raw);
        if line.is_empty() {
            continue;
        }
        let mut parts = line.split_whitespace();
        let Some(word) = parts.next() else { continue };
        let mut freq = None;
        let mut tag = None;
        for part in parts {
            if freq.is_none() && tag.is_none() && part.bytes().all(|b| b.is_ascii_digit()) {
                let value = part.parse::<usize>().map_err(|e| KnowledgeError::Invalid {
                    path: path.to_path_buf(),
                    line: index + 1,
                    message: format!("bad frequency {part:?}: {e}"),
                })?;
                freq = Some(value);
            } else if tag.is_none() {
                tag = Some(part.to_string());
            } else {
                return Err(KnowledgeError::Invalid {
                    path: path.to_path_buf(),
                    line: index + 1,
                    message: format!("expected `word [freq] [tag]`, got {line:?}"),
                });
            }
        }
        entries.push(DictEntry {
            word: word.to_string(),
            freq,
            tag,
        });
    }
    Ok(entries)
}

/// Removes a whole-line `#` comment or a trailing ` # comment`; `#` inside a word is kept.
pub(super) fn strip_comment(raw: &str) -> &str {
    let line = raw.trim();
    if line.starts_with('#') {
        return "";
    }
    match line.find(" #").or_else(|| line.find("\t#")) {
        Some(at) => line[..at].trim(),
        None => line,
    }
}
