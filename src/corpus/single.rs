//! Single-document files (text, Markdown, HTML, Word, PDF): one file is read at a time, within
//! its size limit; the id defaults to the path relative to the corpus root, `source` to the file
//! path, `doc_type` to `--doc-type` or `policy`; a sidecar's fields override the file's own, and
//! the result is checked like a JSONL record. Facet fields are left unknown for the tagger.

use std::path::Path;

use serde_json::{Map, Value};

use super::extract::{run_guarded, Extracted, MAX_EXTRACTED_FILE_BYTES};
use super::sidecar::{read_sidecar, Sidecar};
use super::text::{parse_text, TextDefaults, MAX_TEXT_FILE_BYTES};
use super::validate::{date_year, document_from_map, Defaults, Origin};
use super::{docx, encoding, html, pdf};
use super::{CorpusError, DocType, Document, ReadOptions};

/// Longest title taken from a file's own metadata, in chars.
const MAX_EXTRACTED_TITLE_CHARS: usize = 200;

/// The single-document formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SingleFormat {
    /// Markdown or plain text, with optional front matter.
    Text,
    /// An HTML page.
    Html,
    /// A Word `.docx` file.
    Docx,
    /// A PDF with a text layer.
    Pdf,
}

impl SingleFormat {
    fn name(self) -> &'static str {
        match self {
            SingleFormat::Text => "text",
            SingleFormat::Html => "HTML",
            SingleFormat::Docx => "Word",
            SingleFormat::Pdf => "PDF",
        }
    }
}

/// Reads the document in `path` (found under `root`), with its sidecar if it has one.
pub fn read_single_file(
    root: &Path,
    path: &Path,
    format: SingleFormat,
    sidecar: Option<&Path>,
    options: &ReadOptions,
) -> Result<Document, Vec<CorpusError>> {
    let sidecar = sidecar.map(read_sidecar).transpose().map_err(|e| vec![e])?;
    let limit = match format {
        SingleFormat::Text => MAX_TEXT_FILE_BYTES,
        _ => MAX_EXTRACTED_FILE_BYTES,
    };
    let size = std::fs::metadata(path)
        .map_err(|e| vec![CorpusError::new(path, 0, format!("cannot read: {e}"))])?
        .len();
    if size > limit {
        return Err(vec![CorpusError::new(
            path,
            0,
            format!(
                "file too large: {size} bytes (at most {limit} for a {} file); not indexed",
                format.name()
            ),
        )]);
    }
    let bytes = std::fs::read(path)
        .map_err(|e| vec![CorpusError::new(path, 0, format!("cannot read: {e}"))])?;
    let relative = path.strip_prefix(root).unwrap_or(path);
    let id = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    let source = path.display().to_string();
    if format == SingleFormat::Text {
        let (text, _) = encoding::decode_text(&bytes)
            .map_err(|(line, message)| vec![CorpusError::new(path, line, message)])?;
        let defaults = TextDefaults {
            id: &id,
            doc_type: options.default_doc_type,
            source: Some(source),
        };
        return parse_text(path, &text, &defaults, sidecar.as_ref());
    }
    let extracted = run_guarded(move || match format {
        SingleFormat::Html => html::extract_html(&bytes),
        SingleFormat::Docx => docx::extract_docx(&bytes),
        SingleFormat::Pdf | SingleFormat::Text => pdf::extract_pdf(&bytes),
    })
    .map_err(|message| vec![CorpusError::new(path, 0, message)])?;
    if extracted.body.trim().is_empty() {
        return Err(vec![CorpusError::new(
            path,
            0,
            format!("no text found in this {} file; not indexed", format.name()),
        )]);
    }
    document_from_extracted(path, extracted, &id, source, sidecar.as_ref(), options)
}

/// Builds the document: the extracted text and metadata, the sidecar's fields over them.
fn document_from_extracted(
    path: &Path,
    extracted: Extracted,
    id: &str,
    source: String,
    sidecar: Option<&Sidecar>,
    options: &ReadOptions,
) -> Result<Document, Vec<CorpusError>> {
    let overrides = sidecar.map(|s| &s.fields);
    let given = |key: &str| {
        overrides
            .and_then(|fields| fields.get(key))
            .is_some_and(|value| !value.is_null())
    };
    let mut map = Map::new();
    map.insert("body".to_string(), Value::String(extracted.body));
    map.insert("source".to_string(), Value::String(source));
    if let Some(date) = extracted.date {
        // The file's own date yields to a sidecar's date or a different year.
        let year = overrides
            .and_then(|fields| fields.get("year"))
            .and_then(Value::as_i64);
        let agrees = year.is_none_or(|year| date_year(&date).map(i64::from) == Some(year));
        if !given("date") && agrees {
            map.insert("date".to_string(), Value::String(date));
        }
    }
    if let Some(fields) = overrides {
        for (key, value) in fields {
            map.insert(key.clone(), value.clone());
        }
    }
    let defaults = Defaults {
        id: Some(id.to_string()),
        title: extracted
            .title
            .map(|t| {
                t.chars()
                    .take(MAX_EXTRACTED_TITLE_CHARS)
                    .collect::<String>()
            })
            .filter(|t| !t.trim().is_empty()),
        doc_type: options.default_doc_type.or(Some(DocType::Policy)),
    };
    document_from_map(&map, Origin::Json, &defaults).map_err(|problems| {
        problems
            .into_iter()
            .map(|problem| match sidecar {
                Some(sidecar)
                    if problem
                        .field
                        .as_deref()
                        .is_some_and(|f| sidecar.fields.contains_key(f)) =>
                {
                    CorpusError::new(&sidecar.path, 0, problem.message)
                }
                _ => CorpusError::new(path, 0, problem.message),
            })
            .collect()
    })
}
