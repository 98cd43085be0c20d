//! The write journal: every document change accepted by `jindu serve` is appended here as one
//! JSON line and fsynced before the answer, so that nothing written is lost by a crash or by a
//! rebuild (every build replays the journal after the corpus, and a server brings each
//! generation it opens up to the journal's end).
//!
//! Lines are `{"seq": N, "op": "upsert", "document": {...}}` or
//! `{"seq": N, "op": "delete", "id": "..."}`, with `seq` increasing by one. A torn last line
//! (a crash mid-append) is ignored and cut off when the journal is next opened for writing.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::IndexError;
use crate::corpus::Document;

/// File name of the journal inside the index root.
pub const JOURNAL_FILE: &str = "journal.jsonl";

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// Insert or replace the document with this id.
    Upsert {
        /// The document, as validated when it was written.
        document: Box<Document>,
    },
    /// Remove the document with this id.
    Delete {
        /// Its id.
        id: String,
    },
}

impl Op {
    /// The id the change is about.
    pub fn id(&self) -> &str {
        match self {
            Op::Upsert { document } => &document.id,
            Op::Delete { id } => id,
        }
    }
}

/// One journal line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Sequence number, from 1.
    pub seq: u64,
    /// The change.
    #[serde(flatten)]
    pub op: Op,
}

/// The journal of an index root, open for appending.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
    last_seq: u64,
}

/// Reads every complete entry of the journal at `root` (none if there is no journal). A torn
/// last line is skipped; a damaged line elsewhere is an error naming it.
pub fn read_entries(root: &Path) -> Result<Vec<Entry>, IndexError> {
    Ok(scan(&root.join(JOURNAL_FILE))?.0)
}

/// The entries and the byte length of the complete part of the file.
fn scan(path: &Path) -> Result<(Vec<Entry>, u64), IndexError> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), 0)),
        Err(e) => return Err(IndexError::io(path, e)),
    };
    let mut reader = BufReader::new(file);
    let mut entries = Vec::new();
    let mut good_bytes = 0u64;
    let mut line = Vec::new();
    let mut number = 0usize;
    loop {
        line.clear();
        let read = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| IndexError::io(path, e))?;
        if read == 0 {
            break;
        }
        number += 1;
        let complete = line.last() == Some(&b'\n');
        let parsed = serde_json::from_slice::<Entry>(&line);
        match (parsed, complete) {
            (Ok(entry), true) => {
                entries.push(entry);
                good_bytes += read as u64;
            }
            // A torn tail: the append never finished, so it was never acknowledged.
            (_, false) => break,
            (Err(e), true) => {
                // Only the very last line may be torn; check that nothing follows.
                let mut rest = Vec::new();
                let more = reader
                    .read_until(b'\n', &mut rest)
                    .map_err(|e| IndexError::io(path, e))?;
                if more == 0 {
                    break;
                }
                return Err(IndexError::Corrupt {
                    path: path.to_path_buf(),
                    message: format!("line {number}: {e}"),
                });
            }
        }
    }
    Ok((entries, good_bytes))
}

impl Journal {
    /// Opens (creating) the journal at `root` for appending, cutting off a torn last line.
    pub fn open(root: &Path) -> Result<(Journal, Vec<Entry>), IndexError> {
        let path = root.join(JOURNAL_FILE);
        let (entries, good_bytes) = scan(&path)?;
        let mut file = OpenOptions::new()
            .create(true)
            .read(true)
            .write(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| IndexError::io(&path, e))?;
        let length = file.metadata().map_err(|e| IndexError::io(&path, e))?.len();
        if length != good_bytes {
            file.set_len(good_bytes)
                .map_err(|e| IndexError::io(&path, e))?;
            file.sync_all().map_err(|e| IndexError::io(&path, e))?;
        }
        file.seek(SeekFrom::End(0))
            .map_err(|e| IndexError::io(&path, e))?;
        super::layout::sync_dir(root)?;
        let last_seq = entries.last().map(|e| e.seq).unwrap_or(0);
        Ok((
            Journal {
                path,
                file,
                last_seq,
            },
            entries,
        ))
    }

    /// The last sequence number written.
    pub fn last_seq(&self) -> u64 {
        self.last_seq
    }

    /// Appends `ops` and fsyncs; returns their entries. On error nothing is acknowledged (a
    /// partial write is cut off at the next open).
    pub fn append(&mut self, ops: Vec<Op>) -> Result<Vec<Entry>, IndexError> {
        let mut buffer = Vec::new();
        let mut entries = Vec::with_capacity(ops.len());
        let mut seq = self.last_seq;
        for op in ops {
            seq += 1;
            let entry = Entry { seq, op };
            serde_json::to_writer(&mut buffer, &entry).map_err(|e| IndexError::Corrupt {
                path: self.path.clone(),
                message: format!("cannot encode a journal entry: {e}"),
            })?;
            buffer.push(b'\n');
            entries.push(entry);
        }
        self.file
            .write_all(&buffer)
            .and_then(|()| self.file.sync_data())
            .map_err(|e| IndexError::io(&self.path, e))?;
        self.last_seq = seq;
        Ok(entries)
    }
}

/// The final state of each id the entries touch, after `after_seq`: the last change wins.
pub fn final_changes(entries: &[Entry], after_seq: u64) -> HashMap<String, Op> {
    let mut changes = HashMap::new();
    for entry in entries.iter().filter(|e| e.seq > after_seq) {
        changes.insert(entry.op.id().to_string(), entry.op.clone());
    }
    changes
}
