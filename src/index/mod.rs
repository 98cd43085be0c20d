//! The index: schema, generations on disk, building from a corpus, and opening for search.
//! Uses analysis (tokenizers), corpus (documents) and knowledge; knows nothing of queries.

mod build;
mod columns;
mod document;
mod export;
mod handle;
pub mod journal;
pub mod layout;
mod live;
mod manifest;
mod schema;
mod service;

pub use build::{build_index, BuildOptions, BuildProgress, BuildReport, CommitPayload};
pub use columns::{ColumnCache, SegmentColumns, FACET_FIELDS};
pub use document::{stored_document, DocumentBuilder, StoredDocument};
pub use export::export_jsonl;
pub use handle::IndexHandle;
pub use live::LiveIndex;
pub use manifest::{Manifest, MANIFEST_FILE};
pub use schema::{build_schema, names, Fields, SCHEMA_VERSION};
pub use service::{ChangeResult, IndexService, WriteOutcome};

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::Index;

use crate::analysis::{
    Analyzer, JinduTokenizer, Side, TokenKind, GRAMS_TOKENIZER, WORDS_TOKENIZER,
};
use crate::corpus::CorpusError;
use crate::knowledge::KnowledgeError;

/// Folder inside a generation holding the copy of the knowledge it was built with.
pub const KNOWLEDGE_DIR: &str = "knowledge";

/// Why an index could not be built or opened.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// A file or folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// No generation was ever published at the root.
    #[error("no index at {root}: build one with `jindu index --index {root}`")]
    NotFound {
        /// The index root.
        root: PathBuf,
    },
    /// Built by a jindu with another schema or analyzer.
    #[error("{message}")]
    Stale {
        /// What differs and how to rebuild.
        message: String,
    },
    /// A file of the index is damaged.
    #[error("{path}: {message}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// Another build holds the lock.
    #[error("another `jindu index` is building at {root}; wait for it to finish")]
    Locked {
        /// The index root.
        root: PathBuf,
    },
    /// tantivy failed.
    #[error("{path}: {source}")]
    Tantivy {
        /// The generation.
        path: PathBuf,
        /// The cause.
        source: tantivy::TantivyError,
    },
    /// The knowledge folder is malformed.
    #[error(transparent)]
    Knowledge(#[from] KnowledgeError),
    /// The tagger could not be compiled from the knowledge.
    #[error(transparent)]
    Tagger(#[from] crate::tagger::TaggerError),
    /// The corpus could not be listed.
    #[error("corpus: {message}")]
    Corpus {
        /// What went wrong.
        message: String,
    },
    /// Documents are invalid; nothing was published.
    #[error("{} invalid document(s); nothing was indexed", errors.len())]
    Invalid {
        /// Every problem, `path:line: message`.
        errors: Vec<CorpusError>,
    },
}

impl IndexError {
    /// An I/O error at `path`.
    pub fn io(path: &Path, source: std::io::Error) -> IndexError {
        IndexError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Registers jindu's tokenizers on an index (their names are stored in the schema, the code is
/// not, so this runs on every open).
pub fn register_tokenizers(index: &Index, analyzer: &Arc<Analyzer>) {
    let manager = index.tokenizers();
    manager.register(
        WORDS_TOKENIZER,
        JinduTokenizer::new(Arc::clone(analyzer), TokenKind::Words(Side::Index)),
    );
    manager.register(
        GRAMS_TOKENIZER,
        JinduTokenizer::new(Arc::clone(analyzer), TokenKind::Grams),
    );
}
