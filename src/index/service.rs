//! The index service a server runs: one thread that owns the index writer. It applies document
//! changes (journal first, fsynced; then the index, committed with the journal position, and
//! the reader reloaded, so an answered write is durable and searchable), notices new
//! generations that `jindu index` publishes, and brings every generation it opens up to the
//! journal's end before serving it. Requests queue on a channel and are applied in batches.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use serde::Serialize;
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::build::CommitPayload;
use super::document::{DocumentBuilder, StoredDocument};
use super::handle::IndexHandle;
use super::journal::{self, Entry, Journal, Op};
use super::live::LiveIndex;
use super::{layout, IndexError};
use crate::tagger::Tagger;

/// Most requests applied in one commit.
const MAX_BATCH: usize = 256;
/// The writer's memory budget.
const WRITER_MEMORY: usize = 64 * 1024 * 1024;

/// What happened to one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeResult {
    /// The document's id.
    pub id: String,
    /// `created`, `updated`, `deleted`, or `not_found` (a delete of an absent id).
    pub result: &'static str,
}

/// The answer to one write request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WriteOutcome {
    /// One result per change, in order.
    pub results: Vec<ChangeResult>,
    /// The journal position after the changes.
    pub journal_seq: u64,
}

struct Request {
    ops: Vec<Op>,
    reply: Sender<Result<WriteOutcome, String>>,
}

/// A handle to the service thread; dropping it stops the thread after the queued requests.
pub struct IndexService {
    sender: Sender<Request>,
    thread: Option<std::thread::JoinHandle<()>>,
    _lock: layout::ServeLock,
}

impl std::fmt::Debug for IndexService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexService").finish_non_exhaustive()
    }
}

impl IndexService {
    /// Takes the serve lock on `live`'s root, opens the current generation (catching up with
    /// the journal), makes it live, and starts the service thread, which checks for new
    /// generations every `interval`.
    pub fn start(live: Arc<LiveIndex>, interval: Duration) -> Result<IndexService, IndexError> {
        let root = live.root().to_path_buf();
        let lock = layout::ServeLock::acquire(&root)?;
        let (journal, _) = Journal::open(&root)?;
        let mut state = State {
            root,
            live,
            journal,
            current: None,
        };
        state.switch_if_needed()?;
        let (sender, receiver) = crossbeam_channel::unbounded::<Request>();
        let thread = std::thread::Builder::new()
            .name("jindu-index-service".to_string())
            .spawn(move || state.run(receiver, interval))
            .map_err(|e| IndexError::io(std::path::Path::new("index service"), e))?;
        Ok(IndexService {
            sender,
            thread: Some(thread),
            _lock: lock,
        })
    }

    /// Queues `ops`; the returned channel answers once they are journaled, committed and
    /// searchable (or failed).
    pub fn submit(&self, ops: Vec<Op>) -> Receiver<Result<WriteOutcome, String>> {
        let (reply, answer) = crossbeam_channel::bounded(1);
        if let Err(e) = self.sender.send(Request { ops, reply }) {
            let _ =
                e.0.reply
                    .send(Err("the index service has stopped".to_string()));
        }
        answer
    }
}

impl Drop for IndexService {
    fn drop(&mut self) {
        let (sender, _) = crossbeam_channel::unbounded();
        drop(std::mem::replace(&mut self.sender, sender));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The generation the service writes to.
struct Generation {
    name: String,
    handle: Arc<IndexHandle>,
    tagger: Tagger,
    builder: DocumentBuilder,
    writer: Option<IndexWriter<TantivyDocument>>,
}

struct State {
    root: PathBuf,
    live: Arc<LiveIndex>,
    journal: Journal,
    current: Option<Generation>,
}

impl State {
    fn run(&mut self, receiver: Receiver<Request>, interval: Duration) {
        loop {
            match receiver.recv_timeout(interval) {
                Ok(first) => {
                    let mut batch = vec![first];
                    while batch.len() < MAX_BATCH {
                        match receiver.try_recv() {
                            Ok(next) => batch.push(next),
                            Err(_) => break,
                        }
                    }
                    self.apply_batch(batch);
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
            if let Err(e) = self.switch_if_needed() {
                tracing::warn!(error = %e, "could not open the new index generation; still serving the previous one");
            }
        }
    }

    /// Opens the generation `CURRENT` names when it is not the one in use, catches it up with
    /// the journal, and makes it live.
    fn switch_if_needed(&mut self) -> Result<(), IndexError> {
        let Some(name) = layout::current_name(&self.root) else {
            return Ok(());
        };
        if self.current.as_ref().is_some_and(|g| g.name == name) {
            return Ok(());
        }
        let handle = Arc::new(IndexHandle::open(&self.root)?);
        let tagger = Tagger::with_analyzer(&handle.knowledge, Arc::clone(&handle.analyzer))
            .map_err(|e| IndexError::Corrupt {
                path: handle.generation.clone(),
                message: e.to_string(),
            })?;
        let mut generation = Generation {
            name,
            builder: DocumentBuilder::new(handle.fields),
            handle,
            tagger,
            writer: None,
        };
        let applied = CommitPayload::of(&generation.handle.index).journal_seq;
        let pending: Vec<Entry> = journal::read_entries(&self.root)?
            .into_iter()
            .filter(|entry| entry.seq > applied)
            .collect();
        if !pending.is_empty() {
            let last = pending.last().map(|e| e.seq).unwrap_or(applied);
            tracing::info!(
                entries = pending.len(),
                "replaying the journal into the generation"
            );
            apply_entries(&mut generation, &pending, last)?;
        }
        self.live.set(Arc::clone(&generation.handle));
        tracing::info!(generation = %generation.name, documents = generation.handle.num_docs(), "serving index generation");
        self.current = Some(generation);
        Ok(())
    }

    fn apply_batch(&mut self, batch: Vec<Request>) {
        let ops: Vec<Op> = batch.iter().flat_map(|r| r.ops.iter().cloned()).collect();
        let outcome = self.apply(ops);
        let mut offset = 0;
        for request in batch {
            let answer = match &outcome {
                Ok((results, seq)) => {
                    let mine = results[offset..offset + request.ops.len()].to_vec();
                    Ok(WriteOutcome {
                        results: mine,
                        journal_seq: *seq,
                    })
                }
                Err(message) => Err(message.clone()),
            };
            offset += request.ops.len();
            let _ = request.reply.send(answer);
        }
    }

    fn apply(&mut self, ops: Vec<Op>) -> Result<(Vec<ChangeResult>, u64), String> {
        let Some(generation) = self.current.as_mut() else {
            return Err("no index generation is open yet".to_string());
        };
        let before = existing(generation, &ops);
        let entries = self.journal.append(ops).map_err(|e| e.to_string())?;
        let last = self.journal.last_seq();
        apply_entries(generation, &entries, last).map_err(|e| e.to_string())?;
        let mut present = before;
        let results = entries
            .iter()
            .map(|entry| {
                let id = entry.op.id().to_string();
                let was = present.get(&id).copied().unwrap_or(false);
                let result = match entry.op {
                    Op::Upsert { .. } if was => "updated",
                    Op::Upsert { .. } => "created",
                    Op::Delete { .. } if was => "deleted",
                    Op::Delete { .. } => "not_found",
                };
                present.insert(id.clone(), matches!(entry.op, Op::Upsert { .. }));
                ChangeResult { id, result }
            })
            .collect();
        Ok((results, last))
    }
}

/// Which of the ops' ids exist in the generation now.
fn existing(generation: &Generation, ops: &[Op]) -> HashMap<String, bool> {
    ops.iter()
        .map(|op| (op.id().to_string(), generation.handle.contains_id(op.id())))
        .collect()
}

/// Applies journal entries to a generation, commits with `last` as its journal position and
/// reloads its reader.
fn apply_entries(
    generation: &mut Generation,
    entries: &[Entry],
    last: u64,
) -> Result<(), IndexError> {
    let tantivy_err = |source| IndexError::Tantivy {
        path: generation.handle.generation.clone(),
        source,
    };
    if generation.writer.is_none() {
        let writer = generation
            .handle
            .index
            .writer_with_num_threads(1, WRITER_MEMORY)
            .map_err(tantivy_err)?;
        generation.writer = Some(writer);
    }
    let Some(writer) = generation.writer.as_mut() else {
        return Ok(());
    };
    let id_field = generation.handle.fields.id;
    for entry in entries {
        writer.delete_term(Term::from_field_text(id_field, entry.op.id()));
        if let Op::Upsert { document } = &entry.op {
            let mut document = document.as_ref().clone();
            let derived = generation.tagger.tag(&mut document);
            let stored = StoredDocument { document, derived };
            writer
                .add_document(generation.builder.build(&stored))
                .map_err(tantivy_err)?;
        }
    }
    CommitPayload { journal_seq: last }
        .commit(writer)
        .map_err(tantivy_err)?;
    generation.handle.reader.reload().map_err(tantivy_err)?;
    generation.handle.prune_file_cache();
    Ok(())
}
