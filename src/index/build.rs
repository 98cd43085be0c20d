//! Building a new generation from a corpus: the reader streams documents to analysis workers
//! (segmentation in parallel), which feed tantivy's writer; the generation is published only
//! when complete and valid, so a failed or interrupted build leaves the previous one live.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use tantivy::{Index, IndexWriter, TantivyDocument};

use super::document::{DocumentBuilder, StoredDocument};
use super::journal;
use super::layout::{self, BuildLock};
use super::manifest::{Manifest, MANIFEST_FILE};
use super::schema::{build_schema, Fields};
use super::{register_tokenizers, IndexError, KNOWLEDGE_DIR};
use crate::analysis::Analyzer;
use crate::corpus::{read_corpus_reporting, CorpusError, Document, ReadOptions};
use crate::knowledge::Knowledge;
use crate::tagger::Tagger;

/// How a build runs.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Index the valid documents even when some are invalid (they are listed in the report).
    pub skip_invalid: bool,
    /// Threads that tag documents and hand them to the writer; 0 means half the cores.
    pub analysis_threads: usize,
    /// tantivy indexing threads, which run the tokenizers (jieba); 0 means one per core.
    pub writer_threads: usize,
    /// tantivy's memory budget for all its threads, in bytes.
    pub writer_memory: usize,
    /// How the corpus is read.
    pub read: ReadOptions,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            skip_invalid: false,
            analysis_threads: 0,
            writer_threads: 0,
            writer_memory: 512 * 1024 * 1024,
            read: ReadOptions::default(),
        }
    }
}

/// Progress counters a caller may watch while a build runs (another thread reads them).
#[derive(Debug, Default)]
pub struct BuildProgress {
    /// Documents indexed so far.
    pub documents: AtomicU64,
    /// Bytes of title and body indexed so far.
    pub text_bytes: AtomicU64,
}

/// What a finished build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// The published generation.
    pub generation: PathBuf,
    /// Documents indexed.
    pub documents: u64,
    /// Bytes of title and body indexed.
    pub text_bytes: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Problems with documents that were skipped (only with `skip_invalid`).
    pub skipped: Vec<CorpusError>,
    /// Files ignored because their format is unknown.
    pub ignored_files: Vec<PathBuf>,
    /// Documents taken from the write journal (upserts replayed after the corpus).
    pub journal_documents: u64,
}

fn cores() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

/// Builds a new generation at `root` from `corpus` and publishes it. On invalid input (without
/// `skip_invalid`) or any failure nothing is published and the previous generation stays live.
pub fn build_index(
    root: &Path,
    corpus: &[PathBuf],
    knowledge: &Knowledge,
    options: &BuildOptions,
    progress: &BuildProgress,
) -> Result<BuildReport, IndexError> {
    let started = Instant::now();
    let lock = BuildLock::acquire(root)?;
    let building = layout::new_building_dir(root, &lock)?;
    let journal = journal::read_entries(root)?;
    let outcome = build_into(&building, corpus, &journal, knowledge, options, progress);
    match outcome {
        Ok(built) => {
            let generation = match layout::publish(root, &building, &lock) {
                Ok(generation) => generation,
                Err(e) => {
                    layout::discard(&building);
                    return Err(e);
                }
            };
            Ok(BuildReport {
                generation,
                documents: built.documents,
                text_bytes: built.text_bytes,
                seconds: started.elapsed().as_secs_f64(),
                skipped: built.skipped,
                ignored_files: built.ignored_files,
                journal_documents: built.journal_documents,
            })
        }
        Err(e) => {
            layout::discard(&building);
            Err(e)
        }
    }
}

struct Built {
    documents: u64,
    text_bytes: u64,
    skipped: Vec<CorpusError>,
    ignored_files: Vec<PathBuf>,
    journal_documents: u64,
}

/// The commit payload of a generation: how far into the journal it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CommitPayload {
    /// The last journal entry applied.
    pub journal_seq: u64,
}

impl CommitPayload {
    /// Reads the payload of an index's last commit (zero when it has none).
    pub fn of(index: &Index) -> CommitPayload {
        index
            .load_metas()
            .ok()
            .and_then(|metas| metas.payload)
            .and_then(|payload| serde_json::from_str(&payload).ok())
            .unwrap_or_default()
    }

    /// Commits `writer` with this payload.
    pub fn commit(self, writer: &mut IndexWriter<TantivyDocument>) -> tantivy::Result<()> {
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&serde_json::to_string(&self).unwrap_or_default());
        prepared.commit()?;
        Ok(())
    }
}

fn build_into(
    dir: &Path,
    corpus: &[PathBuf],
    journal: &[journal::Entry],
    knowledge: &Knowledge,
    options: &BuildOptions,
    progress: &BuildProgress,
) -> Result<Built, IndexError> {
    let tantivy_err = |source| IndexError::Tantivy {
        path: dir.to_path_buf(),
        source,
    };
    let index = Index::create_in_dir(dir, build_schema()).map_err(tantivy_err)?;
    let analyzer = Arc::new(Analyzer::new(knowledge));
    register_tokenizers(&index, &analyzer);
    let tagger = Tagger::with_analyzer(knowledge, Arc::clone(&analyzer))?;
    let fields = Fields::from_schema(&index.schema()).map_err(tantivy_err)?;
    let writer_threads = match options.writer_threads {
        0 => cores(),
        n => n,
    };
    let memory = options.writer_memory.max(writer_threads * 20 * 1024 * 1024);
    let mut writer: IndexWriter<TantivyDocument> = index
        .writer_with_num_threads(writer_threads, memory)
        .map_err(tantivy_err)?;
    let analysis_threads = match options.analysis_threads {
        0 => (cores() / 2).max(1),
        n => n,
    };

    let (sender, receiver) = crossbeam_channel::bounded::<Document>(analysis_threads * 64);
    let read_result = std::thread::scope(|scope| {
        let mut workers = Vec::new();
        for _ in 0..analysis_threads {
            let receiver = receiver.clone();
            let writer = &writer;
            let tagger = &tagger;
            workers.push(scope.spawn(move || -> Result<(), tantivy::TantivyError> {
                let mut builder = DocumentBuilder::new(fields);
                for mut document in receiver.iter() {
                    let derived = tagger.tag(&mut document);
                    let bytes = (document.title.len() + document.body.len()) as u64;
                    let stored = StoredDocument { document, derived };
                    writer.add_document(builder.build(&stored))?;
                    progress.documents.fetch_add(1, Ordering::Relaxed);
                    progress.text_bytes.fetch_add(bytes, Ordering::Relaxed);
                }
                Ok(())
            }));
        }
        drop(receiver);
        // Without --skip-invalid one bad document means nothing is published, so indexing
        // stops at the first problem; reading goes on to report every problem.
        let failed = std::cell::Cell::new(false);
        // What the journal says about an id supersedes the corpus (written later).
        let changes = journal::final_changes(journal, 0);
        let summary = read_corpus_reporting(
            corpus,
            &options.read,
            &mut |document| {
                if !failed.get() && !changes.contains_key(&document.id) {
                    let _ = sender.send(document);
                }
            },
            &mut |_| failed.set(failed.get() || !options.skip_invalid),
        );
        let mut replayed = 0u64;
        for entry in journal {
            if let journal::Op::Upsert { document } = &entry.op {
                let is_final = matches!(changes.get(&document.id), Some(journal::Op::Upsert { document: last }) if last == document);
                if is_final && !failed.get() {
                    replayed += 1;
                    let _ = sender.send(document.as_ref().clone());
                }
            }
        }
        drop(sender);
        let mut worker_error = None;
        for worker in workers {
            match worker.join() {
                Ok(Ok(())) => {}
                Ok(Err(e)) => worker_error = Some(e),
                Err(_) => {
                    worker_error = Some(tantivy::TantivyError::InternalError(
                        "an analysis worker panicked".to_string(),
                    ))
                }
            }
        }
        (summary, worker_error, replayed)
    });
    let (summary, worker_error, replayed) = read_result;
    let summary = summary.map_err(|e| IndexError::Corpus {
        message: e.to_string(),
    })?;
    if let Some(e) = worker_error {
        return Err(tantivy_err(e));
    }
    if !summary.errors.is_empty() && !options.skip_invalid {
        return Err(IndexError::Invalid {
            errors: summary.errors,
        });
    }
    let payload = CommitPayload {
        journal_seq: journal.last().map(|e| e.seq).unwrap_or(0),
    };
    payload.commit(&mut writer).map_err(tantivy_err)?;
    writer.wait_merging_threads().map_err(tantivy_err)?;

    let documents = progress.documents.load(Ordering::Relaxed);
    let text_bytes = progress.text_bytes.load(Ordering::Relaxed);
    knowledge
        .write_to(&dir.join(KNOWLEDGE_DIR))
        .map_err(|e| IndexError::io(&dir.join(KNOWLEDGE_DIR), e))?;
    let manifest = Manifest::current(knowledge.fingerprint(), documents, text_bytes);
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| IndexError::Corrupt {
        path: dir.join(MANIFEST_FILE),
        message: e.to_string(),
    })?;
    layout::write_atomically(&dir.join(MANIFEST_FILE), &json)?;
    layout::sync_dir(&dir.join(KNOWLEDGE_DIR))?;
    Ok(Built {
        documents,
        text_bytes,
        skipped: summary.errors,
        ignored_files: summary.skipped_files,
        journal_documents: replayed,
    })
}
