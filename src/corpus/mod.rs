//! The corpus reader: turns JSONL, Markdown and text (UTF-8, UTF-16, GBK), HTML, Word `.docx`
//! and PDF files into [`Document`]s, reporting every problem as `path:line: message`. It knows
//! nothing of tantivy.
//!
//! A folder is read recursively in byte order of names, skipping hidden entries and any folder
//! named `knowledge` (domain knowledge is loaded by the analysis, not indexed). Files are read
//! one at a time, so memory does not grow with the folder; `NAME.meta.json` sidecars give or
//! override the fields of the file beside them.

mod dates;
mod document;
mod docx;
mod encoding;
mod error;
mod extract;
mod html;
mod jsonl;
mod pdf;
mod pdf_layout;
mod sidecar;
mod single;
mod text;
mod validate;

pub use document::{DocType, Document, DOCUMENT_FIELDS};
pub use error::CorpusError;
pub use extract::{
    EXTRACTION_DEADLINE, MAX_EXTRACTED_FILE_BYTES, MAX_EXTRACTED_TEXT_BYTES, MAX_INFLATED_BYTES,
};
pub use sidecar::SIDECAR_SUFFIX;
pub use text::{parse_text_file, MAX_TEXT_FILE_BYTES};
pub use validate::{
    check_id, date_year, document_from_map, title_from_text, valid_date, Defaults, Origin, Problem,
    MAX_BODY_BYTES, MAX_ID_CHARS, MAX_TITLE_CHARS, YEAR_RANGE,
};

use std::collections::HashMap;

use single::SingleFormat;
use std::path::{Path, PathBuf};

/// How files are read.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The document type of single-document files (text, HTML, Word, PDF) whose front matter or
    /// sidecar does not say (default `policy`).
    pub default_doc_type: Option<DocType>,
}

/// What a read found, besides the documents.
#[derive(Debug, Clone, Default)]
pub struct ReadSummary {
    /// Files read.
    pub files: usize,
    /// Files skipped because their extension is not a corpus format.
    pub skipped_files: Vec<PathBuf>,
    /// Valid documents handed out.
    pub documents: usize,
    /// Bytes of title and body of those documents.
    pub text_bytes: u64,
    /// Every problem found.
    pub errors: Vec<CorpusError>,
}

/// Where a document was read from, for duplicate-id messages.
struct Location {
    path: PathBuf,
    line: usize,
}

/// The file formats the reader knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Jsonl,
    Single(SingleFormat),
}

fn format_of(path: &Path) -> Option<Format> {
    if sidecar::is_sidecar(path) {
        return None;
    }
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "jsonl" | "ndjson" => Some(Format::Jsonl),
        "md" | "markdown" | "txt" => Some(Format::Single(SingleFormat::Text)),
        "html" | "htm" | "xhtml" => Some(Format::Single(SingleFormat::Html)),
        "docx" => Some(Format::Single(SingleFormat::Docx)),
        "pdf" => Some(Format::Single(SingleFormat::Pdf)),
        _ => None,
    }
}

/// Lists the files under `roots` in reading order, each with the root it came from.
pub fn list_files(roots: &[PathBuf]) -> std::io::Result<Vec<(PathBuf, PathBuf)>> {
    let mut files = Vec::new();
    for root in roots {
        let metadata = std::fs::metadata(root)
            .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", root.display())))?;
        if metadata.is_dir() {
            walk(root, root, &mut files)?;
        } else {
            let base = root.parent().map(Path::to_path_buf).unwrap_or_default();
            files.push((base, root.clone()));
        }
    }
    Ok(files)
}

fn walk(root: &Path, dir: &Path, files: &mut Vec<(PathBuf, PathBuf)>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", dir.display())))?
        .collect::<Result<_, _>>()?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let file_type = entry.file_type()?;
        let is_dir = file_type.is_dir() || (file_type.is_symlink() && path.is_dir());
        if is_dir {
            if name != "knowledge" {
                walk(root, &path, files)?;
            }
        } else {
            files.push((root.to_path_buf(), path));
        }
    }
    Ok(())
}

/// Reads every document under `roots`, handing each valid one to `on_document` as soon as it
/// is read. Problems (including duplicate ids) are collected in the summary; an I/O error on a
/// root itself is returned.
pub fn read_corpus(
    roots: &[PathBuf],
    options: &ReadOptions,
    on_document: &mut dyn FnMut(Document),
) -> std::io::Result<ReadSummary> {
    read_corpus_reporting(roots, options, on_document, &mut |_| {})
}

/// [`read_corpus`], also calling `on_error` as each problem is found (so that a caller can stop
/// working on documents that will not be used).
pub fn read_corpus_reporting(
    roots: &[PathBuf],
    options: &ReadOptions,
    on_document: &mut dyn FnMut(Document),
    on_error: &mut dyn FnMut(&CorpusError),
) -> std::io::Result<ReadSummary> {
    let mut summary = ReadSummary::default();
    let mut seen: HashMap<String, Location> = HashMap::new();
    let mut reported = 0;
    let files = list_files(roots)?;
    let (sidecars, sidecar_errors) = sidecar::match_sidecars(&files, &|path| {
        matches!(format_of(path), Some(Format::Single(_)))
    });
    summary.errors.extend(sidecar_errors);
    for (root, path) in files {
        if sidecar::is_sidecar(&path) {
            continue;
        }
        let Some(format) = format_of(&path) else {
            summary.skipped_files.push(path);
            continue;
        };
        summary.files += 1;
        let mut accept = |result: Result<(Document, usize), CorpusError>,
                          summary: &mut ReadSummary| {
            match result {
                Ok((document, line)) => {
                    if let Some(first) = seen.get(&document.id) {
                        summary.errors.push(CorpusError::new(
                            &path,
                            line,
                            format!(
                                "duplicate id {:?} (first at {}:{})",
                                document.id,
                                first.path.display(),
                                first.line
                            ),
                        ));
                        return;
                    }
                    seen.insert(
                        document.id.clone(),
                        Location {
                            path: path.clone(),
                            line,
                        },
                    );
                    summary.documents += 1;
                    summary.text_bytes += (document.title.len() + document.body.len()) as u64;
                    on_document(document);
                }
                Err(error) => summary.errors.push(error),
            }
        };
        match format {
            Format::Jsonl => {
                let outcome = jsonl::read_jsonl(&path, &mut |result| accept(result, &mut summary));
                if let Err(e) = outcome {
                    summary
                        .errors
                        .push(CorpusError::new(&path, 0, format!("cannot read: {e}")));
                }
            }
            Format::Single(format) => {
                let sidecar = sidecars.get(&path).map(PathBuf::as_path);
                match single::read_single_file(&root, &path, format, sidecar, options) {
                    Ok(document) => accept(Ok((document, 1)), &mut summary),
                    Err(errors) => summary.errors.extend(errors),
                }
            }
        }
        for error in &summary.errors[reported..] {
            on_error(error);
        }
        reported = summary.errors.len();
    }
    Ok(summary)
}
