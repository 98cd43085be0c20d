//! Turns a parsed record (a JSON object, or front matter as one) into a checked [`Document`].
//! Every problem is reported, in words that name the field.

use serde_json::{Map, Value};

use super::document::{DocType, Document, DOCUMENT_FIELDS};

/// Largest id, in chars.
pub const MAX_ID_CHARS: usize = 256;
/// Largest title, in chars.
pub const MAX_TITLE_CHARS: usize = 1_000;
/// Largest body, in bytes of UTF-8 (8 MiB).
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;
/// Largest `source` or `url`, in chars.
pub const MAX_META_CHARS: usize = 2_000;
/// Most values in one list field.
pub const MAX_LIST_VALUES: usize = 100;
/// Largest list value, in chars.
pub const MAX_VALUE_CHARS: usize = 100;
/// Years outside this range are refused as impossible.
pub const YEAR_RANGE: std::ops::RangeInclusive<i32> = 1800..=2100;

/// Where a record came from: JSON has types; front matter is text, so numbers may be strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A JSONL line (or an API body).
    Json,
    /// Front matter of a Markdown or text file.
    FrontMatter,
}

/// Defaults a text file supplies when its front matter leaves a field out.
#[derive(Debug, Clone, Default)]
pub struct Defaults {
    /// Id from the file path.
    pub id: Option<String>,
    /// Title from the first heading or line.
    pub title: Option<String>,
    /// Document type when none is given.
    pub doc_type: Option<DocType>,
}

/// One problem with a record: the field it concerns (if one) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The field at fault, so a text file can point at the line that sets it.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// Collects problems, each tied to the field being checked.
struct Problems {
    field: &'static str,
    list: Vec<Problem>,
}

impl Problems {
    fn push(&mut self, message: String) {
        self.list.push(Problem {
            field: Some(self.field.to_string()),
            message,
        });
    }

    fn at(&mut self, field: &'static str) -> &mut Self {
        self.field = field;
        self
    }
}

/// Checks a record and builds the document, or lists every problem found.
pub fn document_from_map(
    map: &Map<String, Value>,
    origin: Origin,
    defaults: &Defaults,
) -> Result<Document, Vec<Problem>> {
    let mut problems = Problems {
        field: "id",
        list: Vec::new(),
    };
    for key in map.keys() {
        if !DOCUMENT_FIELDS.contains(&key.as_str()) {
            problems.list.push(Problem {
                field: Some(key.clone()),
                message: format!(
                    "unknown field `{key}` (fields: {})",
                    DOCUMENT_FIELDS.join(", ")
                ),
            });
        }
    }
    let id = match required_string(map, "id", defaults.id.as_deref(), problems.at("id")) {
        Some(id) => check_id(&id).map_err(|p| problems.push(p)).ok().map(|_| id),
        None => None,
    };
    let body = required_string(map, "body", None, problems.at("body"));
    let body = body.and_then(|body| {
        if body.trim().is_empty() {
            problems.push("empty body".to_string());
            None
        } else if body.len() > MAX_BODY_BYTES {
            problems.push(format!(
                "body too long: {} bytes (at most {MAX_BODY_BYTES})",
                body.len()
            ));
            None
        } else {
            Some(body)
        }
    });
    problems.at("title");
    let title = match map.get("title") {
        Some(Value::String(title)) if !title.trim().is_empty() => Some(title.trim().to_string()),
        Some(Value::String(_)) | Some(Value::Null) | None => defaults
            .title
            .clone()
            .or_else(|| body.as_deref().map(title_from_text)),
        Some(other) if origin == Origin::FrontMatter && other.is_number() => {
            Some(other.to_string())
        }
        Some(other) => {
            problems.push(format!(
                "field `title` must be a string, got {}",
                kind(other)
            ));
            None
        }
    };
    if let Some(title) = &title {
        if title.chars().count() > MAX_TITLE_CHARS {
            problems.push(format!("title too long (at most {MAX_TITLE_CHARS} chars)"));
        }
    }
    problems.at("doc_type");
    let doc_type = match map.get("doc_type") {
        Some(Value::String(value)) => match DocType::parse(value.trim()) {
            Some(doc_type) => Some(doc_type),
            None => {
                problems.push(format!(
                    "unknown doc_type {value:?} (expected \"policy\" or \"case\")"
                ));
                None
            }
        },
        None | Some(Value::Null) => match defaults.doc_type {
            Some(doc_type) => Some(doc_type),
            None => {
                problems.push("missing field `doc_type` (\"policy\" or \"case\")".to_string());
                None
            }
        },
        Some(other) => {
            problems.push(format!(
                "field `doc_type` must be a string, got {}",
                kind(other)
            ));
            None
        }
    };
    let countries = optional_list(map, "countries", problems.at("countries"));
    let organizations = optional_list(map, "organizations", problems.at("organizations"));
    let coop_types = optional_list(map, "coop_types", problems.at("coop_types"));
    let drug_types = optional_list(map, "drug_types", problems.at("drug_types"));
    let year = optional_year(map, origin, problems.at("year"));
    let date = optional_date(map, problems.at("date"));
    if let (Some(year), Some(date)) = (year, &date) {
        if date_year(date) != Some(year) {
            problems.push(format!("date {date} is not in year {year}"));
        }
    }
    let source = optional_string(map, "source", origin, problems.at("source"));
    let url = optional_string(map, "url", origin, problems.at("url"));
    if !problems.list.is_empty() {
        return Err(problems.list);
    }
    match (id, title, body, doc_type) {
        (Some(id), Some(title), Some(body), Some(doc_type)) => Ok(Document {
            id,
            title,
            body,
            doc_type,
            countries,
            organizations,
            coop_types,
            drug_types,
            year,
            date,
            source,
            url,
        }),
        _ => Err(vec![Problem {
            field: None,
            message: "incomplete document".to_string(),
        }]),
    }
}

/// Ids are printable text: no control characters, no surrounding spaces, not too long.
pub fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("empty id".to_string());
    }
    if id.chars().any(char::is_control) {
        return Err(format!("id {id:?} contains control characters"));
    }
    if id.trim() != id {
        return Err(format!("id {id:?} has leading or trailing spaces"));
    }
    if id.chars().count() > MAX_ID_CHARS {
        return Err(format!("id too long (at most {MAX_ID_CHARS} chars)"));
    }
    Ok(())
}

/// A title from text: its first Markdown heading, else its first non-empty line, cut to 80
/// chars.
pub fn title_from_text(text: &str) -> String {
    let lines = || text.lines().map(str::trim).filter(|line| !line.is_empty());
    let line = lines()
        .find(|line| line.starts_with('#'))
        .map(|line| line.trim_start_matches('#').trim())
        .or_else(|| lines().next())
        .unwrap_or("");
    line.chars().take(80).collect()
}

/// The year of a `YYYY-MM-DD` date.
pub fn date_year(date: &str) -> Option<i32> {
    date.get(..4)?.parse().ok()
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn required_string(
    map: &Map<String, Value>,
    field: &str,
    default: Option<&str>,
    problems: &mut Problems,
) -> Option<String> {
    match map.get(field) {
        Some(Value::String(value)) => Some(value.clone()),
        None | Some(Value::Null) => match default {
            Some(value) => Some(value.to_string()),
            None => {
                problems.push(format!("missing field `{field}`"));
                None
            }
        },
        Some(other) => {
            problems.push(format!(
                "field `{field}` must be a string, got {}",
                kind(other)
            ));
            None
        }
    }
}

fn optional_string(
    map: &Map<String, Value>,
    field: &str,
    origin: Origin,
    problems: &mut Problems,
) -> Option<String> {
    let value = match map.get(field) {
        None | Some(Value::Null) => return None,
        Some(Value::String(value)) => value.trim().to_string(),
        Some(Value::Number(n)) if origin == Origin::FrontMatter => n.to_string(),
        Some(other) => {
            problems.push(format!(
                "field `{field}` must be a string, got {}",
                kind(other)
            ));
            return None;
        }
    };
    if value.chars().count() > MAX_META_CHARS {
        problems.push(format!(
            "field `{field}` too long (at most {MAX_META_CHARS} chars)"
        ));
        return None;
    }
    (!value.is_empty()).then_some(value)
}

fn optional_list(
    map: &Map<String, Value>,
    field: &str,
    problems: &mut Problems,
) -> Option<Vec<String>> {
    let items = match map.get(field) {
        None | Some(Value::Null) => return None,
        Some(Value::Array(items)) => items,
        Some(other) => {
            problems.push(format!(
                "field `{field}` must be an array of strings, got {}",
                kind(other)
            ));
            return None;
        }
    };
    if items.len() > MAX_LIST_VALUES {
        problems.push(format!(
            "field `{field}` has too many values (at most {MAX_LIST_VALUES})"
        ));
        return None;
    }
    let mut values: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Value::String(value) if !value.trim().is_empty() => {
                let value = value.trim();
                if value.chars().count() > MAX_VALUE_CHARS || value.chars().any(char::is_control) {
                    problems.push(format!("field `{field}` has an invalid value {value:?}"));
                } else if !values.iter().any(|v| v == value) {
                    values.push(value.to_string());
                }
            }
            Value::String(_) => problems.push(format!("field `{field}` has an empty value")),
            other => problems.push(format!(
                "field `{field}` must be an array of strings, found {}",
                kind(other)
            )),
        }
    }
    Some(values)
}

fn optional_year(map: &Map<String, Value>, origin: Origin, problems: &mut Problems) -> Option<i32> {
    let year = match map.get("year") {
        None | Some(Value::Null) => return None,
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) if origin == Origin::FrontMatter => s.trim().parse::<i64>().ok(),
        Some(_) => None,
    };
    match year {
        Some(year) if YEAR_RANGE.contains(&(year as i32)) && year == year as i32 as i64 => {
            Some(year as i32)
        }
        Some(year) => {
            problems.push(format!(
                "impossible year {year} (expected {}..={})",
                YEAR_RANGE.start(),
                YEAR_RANGE.end()
            ));
            None
        }
        None => {
            let got = map.get("year").map(kind).unwrap_or("nothing");
            problems.push(format!("field `year` must be an integer, got {got}"));
            None
        }
    }
}

fn optional_date(map: &Map<String, Value>, problems: &mut Problems) -> Option<String> {
    let date = match map.get("date") {
        None | Some(Value::Null) => return None,
        Some(Value::String(s)) if s.trim().is_empty() => return None,
        Some(Value::String(s)) => s.trim().to_string(),
        Some(other) => {
            problems.push(format!(
                "field `date` must be a string, got {}",
                kind(other)
            ));
            return None;
        }
    };
    if valid_date(&date) {
        Some(date)
    } else {
        problems.push(format!("impossible date {date:?} (expected YYYY-MM-DD)"));
        None
    }
}

/// Whether `date` is a real calendar date `YYYY-MM-DD` within [`YEAR_RANGE`].
pub fn valid_date(date: &str) -> bool {
    let bytes = date.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = date.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    if !YEAR_RANGE.contains(&(year as i32)) || !(1..=12).contains(&month) || day == 0 {
        return false;
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    day <= days
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked_against_the_calendar() {
        assert!(valid_date("2012-02-29"));
        assert!(!valid_date("2013-02-29"));
        assert!(!valid_date("2013-13-01"));
        assert!(!valid_date("2013-1-01"));
        assert!(!valid_date("1700-01-01"));
    }

    #[test]
    fn titles_come_from_the_first_heading_or_line() {
        assert_eq!(title_from_text("\n\n正文第一行\n# 标题"), "标题");
        assert_eq!(title_from_text("\n正文第一行\n第二行"), "正文第一行");
    }
}
