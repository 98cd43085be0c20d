//! JSONL files: one JSON object a line, read a line at a time (memory does not grow with the file).

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde_json::Value;

use super::validate::{document_from_map, Defaults, Origin};
use super::{CorpusError, Document};

/// Longest line read from a JSONL file; a longer one is reported and skipped.
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// Reads `path`, handing each document (with its 1-based line) or each problem to `sink`.
pub fn read_jsonl(
    path: &Path,
    sink: &mut dyn FnMut(Result<(Document, usize), CorpusError>),
) -> std::io::Result<()> {
    let file = File::open(path)?;
    let mut reader = BufReader::with_capacity(256 * 1024, file);
    let mut buffer = Vec::new();
    let mut line_number = 0usize;
    loop {
        buffer.clear();
        let read = std::io::Read::take(&mut reader, MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut buffer)?;
        if read == 0 {
            break;
        }
        line_number += 1;
        if buffer.len() > MAX_LINE_BYTES && buffer.last() != Some(&b'\n') {
            sink(Err(CorpusError::new(
                path,
                line_number,
                format!("line longer than {MAX_LINE_BYTES} bytes"),
            )));
            // Skip the rest of the overlong line.
            let mut rest = Vec::new();
            reader.read_until(b'\n', &mut rest)?;
            continue;
        }
        let mut bytes: &[u8] = &buffer;
        if line_number == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                sink(Err(CorpusError::new(
                    path,
                    line_number,
                    format!("invalid UTF-8 at byte {} of the line", e.valid_up_to()),
                )));
                continue;
            }
        };
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let value: Value = match serde_json::from_str(text) {
            Ok(value) => value,
            Err(e) => {
                sink(Err(CorpusError::new(
                    path,
                    line_number,
                    format!("invalid JSON: {e}"),
                )));
                continue;
            }
        };
        let Value::Object(map) = value else {
            sink(Err(CorpusError::new(
                path,
                line_number,
                "expected a JSON object",
            )));
            continue;
        };
        match document_from_map(&map, Origin::Json, &Defaults::default()) {
            Ok(document) => sink(Ok((document, line_number))),
            Err(problems) => {
                for problem in problems {
                    sink(Err(CorpusError::new(path, line_number, problem.message)));
                }
            }
        }
    }
    Ok(())
}
