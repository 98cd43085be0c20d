//! Sidecar metadata: `NAME.meta.json` beside a single-document file gives or overrides any of
//! its fields (same keys and checks as a JSONL record). `report.pdf.meta.json` names its file
//! fully; `report.meta.json` is accepted too when exactly one document file in the folder has
//! the stem `report`. A sidecar is never read as a document; one that matches no file is an
//! error (it is usually a typo).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::CorpusError;

/// The suffix that marks a sidecar.
pub const SIDECAR_SUFFIX: &str = ".meta.json";
/// Largest sidecar read (1 MiB).
const MAX_SIDECAR_BYTES: u64 = 1024 * 1024;

/// A sidecar's fields and where they came from.
#[derive(Debug, Clone)]
pub struct Sidecar {
    /// The sidecar file.
    pub path: PathBuf,
    /// Its fields.
    pub fields: Map<String, Value>,
}

/// Whether `path` is a sidecar.
pub fn is_sidecar(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| {
            name.len() > SIDECAR_SUFFIX.len() && name.to_ascii_lowercase().ends_with(SIDECAR_SUFFIX)
        })
}

/// Pairs each sidecar among `files` with the file it describes. `takes_sidecar` says which files
/// may have one. Sidecars that match no such file, or several, are reported.
pub fn match_sidecars(
    files: &[(PathBuf, PathBuf)],
    takes_sidecar: &dyn Fn(&Path) -> bool,
) -> (HashMap<PathBuf, PathBuf>, Vec<CorpusError>) {
    let mut matched: HashMap<PathBuf, PathBuf> = HashMap::new();
    let mut errors = Vec::new();
    let documents: Vec<&PathBuf> = files
        .iter()
        .map(|(_, path)| path)
        .filter(|path| !is_sidecar(path))
        .collect();
    for (_, sidecar) in files.iter().filter(|(_, path)| is_sidecar(path)) {
        let Some(name) = sidecar.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let stem = &name[..name.len() - SIDECAR_SUFFIX.len()];
        let folder = sidecar.parent().unwrap_or(Path::new(""));
        let exact = folder.join(stem);
        let target = if documents.contains(&&exact) {
            if !takes_sidecar(&exact) {
                errors.push(CorpusError::new(
                    sidecar,
                    0,
                    format!(
                        "sidecar for {}, which is not a single-document file read by the \
                         corpus reader",
                        exact.display()
                    ),
                ));
                continue;
            }
            exact
        } else {
            let candidates: Vec<&PathBuf> = documents
                .iter()
                .copied()
                .filter(|path| {
                    path.parent() == Some(folder)
                        && path.file_stem().and_then(|s| s.to_str()) == Some(stem)
                        && takes_sidecar(path)
                })
                .collect();
            match candidates.as_slice() {
                [only] => (*only).clone(),
                [] => {
                    errors.push(CorpusError::new(
                        sidecar,
                        0,
                        format!(
                            "sidecar matches no document file (expected {} or {}.EXT beside it)",
                            exact.display(),
                            exact.display()
                        ),
                    ));
                    continue;
                }
                several => {
                    let names: Vec<String> =
                        several.iter().map(|p| p.display().to_string()).collect();
                    errors.push(CorpusError::new(
                        sidecar,
                        0,
                        format!(
                            "sidecar matches several files ({}); name it after one of them in \
                             full, e.g. {}{SIDECAR_SUFFIX}",
                            names.join(", "),
                            names[0]
                        ),
                    ));
                    continue;
                }
            }
        };
        if let Some(first) = matched.get(&target) {
            errors.push(CorpusError::new(
                sidecar,
                0,
                format!(
                    "{} already has a sidecar ({})",
                    target.display(),
                    first.display()
                ),
            ));
            continue;
        }
        matched.insert(target, sidecar.clone());
    }
    (matched, errors)
}

/// Reads a sidecar: a JSON object.
pub fn read_sidecar(path: &Path) -> Result<Sidecar, CorpusError> {
    let size = std::fs::metadata(path)
        .map_err(|e| CorpusError::new(path, 0, format!("cannot read: {e}")))?
        .len();
    if size > MAX_SIDECAR_BYTES {
        return Err(CorpusError::new(
            path,
            0,
            format!("sidecar too large: {size} bytes (at most {MAX_SIDECAR_BYTES})"),
        ));
    }
    let bytes =
        std::fs::read(path).map_err(|e| CorpusError::new(path, 0, format!("cannot read: {e}")))?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(fields)) => Ok(Sidecar {
            path: path.to_path_buf(),
            fields,
        }),
        Ok(_) => Err(CorpusError::new(path, 1, "a sidecar must be a JSON object")),
        Err(e) => Err(CorpusError::new(
            path,
            e.line(),
            format!("invalid JSON: {e}"),
        )),
    }
}
