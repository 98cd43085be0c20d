//! Markdown and plain-text files, with optional front matter between `---` lines.
//!
//! Front matter is `key: value` lines: a value is text (optionally in double quotes, with JSON
//! escapes), `null` (or nothing), or a list `[a, b]` whose items may be quoted. The body is the
//! rest of the file.

use std::collections::HashMap;
use std::path::Path;

use serde_json::{Map, Value};

use super::encoding::decode_text;
use super::sidecar::Sidecar;
use super::validate::{document_from_map, title_from_text, Defaults, Origin};
use super::{CorpusError, DocType, Document};

/// Largest text file read (16 MiB); larger files are reported, not read.
pub const MAX_TEXT_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Parses one text file's content (UTF-8, UTF-16 with BOM, or GBK/GB18030). `id` is the
/// default id (the path relative to the root).
pub fn parse_text_file(
    path: &Path,
    bytes: &[u8],
    id: &str,
    default_doc_type: Option<DocType>,
) -> Result<Document, Vec<CorpusError>> {
    let (text, _) = decode_text(bytes)
        .map_err(|(line, message)| vec![CorpusError::new(path, line, message)])?;
    let defaults = TextDefaults {
        id,
        doc_type: default_doc_type,
        source: None,
    };
    parse_text(path, &text, &defaults, None)
}

/// What a text file's front matter and sidecar may leave out.
pub struct TextDefaults<'a> {
    /// The id (the path relative to the root).
    pub id: &'a str,
    /// The document type (else `policy`).
    pub doc_type: Option<DocType>,
    /// The source (the file path).
    pub source: Option<String>,
}

/// Parses decoded text: front matter, then the sidecar's fields over it.
pub fn parse_text(
    path: &Path,
    text: &str,
    defaults: &TextDefaults<'_>,
    sidecar: Option<&Sidecar>,
) -> Result<Document, Vec<CorpusError>> {
    let (map, key_lines, body, body_line) = split_front_matter(path, text)?;
    let document_defaults = Defaults {
        id: Some(defaults.id.to_string()),
        title: Some(title_from_text(body)).filter(|t| !t.is_empty()),
        doc_type: defaults.doc_type.or(Some(DocType::Policy)),
    };
    let mut map = map;
    map.insert("body".to_string(), Value::String(body.trim().to_string()));
    if let Some(source) = &defaults.source {
        map.entry("source")
            .or_insert_with(|| Value::String(source.clone()));
    }
    if let Some(sidecar) = sidecar {
        for (key, value) in &sidecar.fields {
            map.insert(key.clone(), value.clone());
        }
    }
    document_from_map(&map, Origin::FrontMatter, &document_defaults).map_err(|problems| {
        problems
            .into_iter()
            .map(|problem| {
                if let Some(sidecar) = sidecar.filter(|s| {
                    problem
                        .field
                        .as_deref()
                        .is_some_and(|f| s.fields.contains_key(f))
                }) {
                    return CorpusError::new(&sidecar.path, 0, problem.message);
                }
                let line = match problem.field.as_deref() {
                    Some("body") => body_line,
                    Some(field) => key_lines.get(field).copied().unwrap_or(1),
                    None => 1,
                };
                CorpusError::new(path, line, problem.message)
            })
            .collect()
    })
}

/// Front matter fields, the line of each key, the body, and the body's first line number.
type FrontMatter<'a> = (Map<String, Value>, HashMap<String, usize>, &'a str, usize);

/// Splits off the front matter.
fn split_front_matter<'a>(path: &Path, text: &'a str) -> Result<FrontMatter<'a>, Vec<CorpusError>> {
    let mut map = Map::new();
    let mut key_lines = HashMap::new();
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Ok((map, key_lines, text, 1));
    }
    let mut consumed = first.len();
    let mut line_number = 1;
    let mut problems = Vec::new();
    let mut closed = false;
    for line in lines {
        consumed += line.len();
        line_number += 1;
        let content = line.trim_end_matches(['\n', '\r']);
        if content.trim_end() == "---" {
            closed = true;
            break;
        }
        let trimmed = content.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some((key, value)) = content.split_once(':') else {
            problems.push(CorpusError::new(
                path,
                line_number,
                format!("front matter line is not `key: value`: {trimmed:?}"),
            ));
            continue;
        };
        let key = key.trim();
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            problems.push(CorpusError::new(
                path,
                line_number,
                format!("bad key {key:?}"),
            ));
            continue;
        }
        if map.contains_key(key) {
            problems.push(CorpusError::new(
                path,
                line_number,
                format!("field `{key}` given twice"),
            ));
            continue;
        }
        match parse_value(value.trim()) {
            Ok(value) => {
                key_lines.insert(key.to_string(), line_number);
                map.insert(key.to_string(), value);
            }
            Err(message) => problems.push(CorpusError::new(
                path,
                line_number,
                format!("field `{key}`: {message}"),
            )),
        }
    }
    if !closed {
        problems.push(CorpusError::new(
            path,
            1,
            "front matter opened with `---` is never closed",
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok((map, key_lines, &text[consumed..], line_number + 1))
}

/// Parses one front matter value.
fn parse_value(raw: &str) -> Result<Value, String> {
    if raw.is_empty() || raw == "null" || raw == "~" {
        return Ok(Value::Null);
    }
    if let Some(inner) = raw.strip_prefix('[') {
        let inner = inner
            .strip_suffix(']')
            .ok_or_else(|| "a list must end with `]`".to_string())?;
        return split_list(inner)
            .map(|items| Value::Array(items.into_iter().map(Value::String).collect()));
    }
    if raw.starts_with('"') {
        return serde_json::from_str::<String>(raw)
            .map(Value::String)
            .map_err(|e| format!("bad quoted string: {e}"));
    }
    Ok(Value::String(raw.to_string()))
}

/// Splits `a, "b, c", d` into items, honouring double quotes.
fn split_list(inner: &str) -> Result<Vec<String>, String> {
    let mut items = Vec::new();
    let mut rest = inner.trim();
    while !rest.is_empty() {
        if rest.starts_with('"') {
            let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<String>();
            let item = stream
                .next()
                .ok_or_else(|| "bad quoted item".to_string())?
                .map_err(|e| format!("bad quoted item: {e}"))?;
            let used = stream.byte_offset();
            items.push(item);
            rest = rest[used..].trim_start();
            rest = match rest.strip_prefix(',') {
                Some(after) => after.trim_start(),
                None if rest.is_empty() => rest,
                None => return Err(format!("expected `,` in list before {rest:?}")),
            };
        } else {
            let (item, after) = match rest.split_once(',') {
                Some((item, after)) => (item, after),
                None => (rest, ""),
            };
            let item = item.trim();
            if item.is_empty() {
                return Err("empty list item".to_string());
            }
            items.push(item.to_string());
            rest = after.trim_start();
        }
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_take_plain_and_quoted_items() {
        assert_eq!(
            parse_value(r#"[缅甸, "老挝, 北部", 泰国]"#),
            Ok(serde_json::json!(["缅甸", "老挝, 北部", "泰国"]))
        );
        assert_eq!(parse_value("[]"), Ok(serde_json::json!([])));
        assert!(parse_value("[a, b").is_err());
    }
}
