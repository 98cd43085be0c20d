//! An opened index generation: the tantivy index and reader, its fields, and the analyzer built
//! from the knowledge copied into it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Weak};

use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, ReloadPolicy, Warmer};

use super::columns::ColumnCache;
use super::layout::current_generation;
use super::manifest::Manifest;
use super::schema::Fields;
use super::{register_tokenizers, IndexError, KNOWLEDGE_DIR};
use crate::analysis::Analyzer;
use crate::knowledge::Knowledge;

/// One opened generation. Cheap to share behind an `Arc`; take `reader.searcher()` per request.
pub struct IndexHandle {
    /// The index root (the folder holding `CURRENT`).
    pub root: PathBuf,
    /// The generation folder opened.
    pub generation: PathBuf,
    /// The tantivy index.
    pub index: Index,
    /// Its reader (manual reload: reloaded after own commits).
    pub reader: IndexReader,
    /// The schema's fields.
    pub fields: Fields,
    /// The analyzer, with the dictionary this generation was built with.
    pub analyzer: Arc<Analyzer>,
    /// The knowledge this generation was built with.
    pub knowledge: Arc<Knowledge>,
    /// Its manifest.
    pub manifest: Manifest,
    /// Dense facet columns of the live segments, refreshed by the reader's warm-up.
    pub columns: Arc<ColumnCache>,
    /// The index's directory, kept to prune its map of memory-mapped files.
    directory: MmapDirectory,
}

impl std::fmt::Debug for IndexHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexHandle")
            .field("generation", &self.generation)
            .field("manifest", &self.manifest)
            .finish_non_exhaustive()
    }
}

impl IndexHandle {
    /// Opens the live generation under `root`.
    pub fn open(root: &Path) -> Result<IndexHandle, IndexError> {
        let generation = current_generation(root)?.ok_or_else(|| IndexError::NotFound {
            root: root.to_path_buf(),
        })?;
        IndexHandle::open_generation(root, &generation)
    }

    /// Opens a given generation folder.
    pub fn open_generation(root: &Path, generation: &Path) -> Result<IndexHandle, IndexError> {
        let manifest = Manifest::read(generation)?;
        manifest.check_compatible(root)?;
        let knowledge_dir = generation.join(KNOWLEDGE_DIR);
        let knowledge = if knowledge_dir.is_dir() {
            Knowledge::load(&knowledge_dir)?
        } else {
            Knowledge::empty()
        };
        let analyzer = Arc::new(Analyzer::new(&knowledge));
        let tantivy_error = |source| IndexError::Tantivy {
            path: generation.to_path_buf(),
            source,
        };
        let directory = MmapDirectory::open(generation).map_err(|e| tantivy_error(e.into()))?;
        let index = Index::open(directory.clone()).map_err(tantivy_error)?;
        register_tokenizers(&index, &analyzer);
        let fields = Fields::from_schema(&index.schema()).map_err(|e| IndexError::Corrupt {
            path: generation.to_path_buf(),
            message: format!("schema does not match this jindu: {e}"),
        })?;
        // The reader warms the column copies of new segments before they serve. tantivy 0.27
        // starts one warm-up GC thread per reader that keeps ticking (idle, once a second)
        // after the reader is dropped: one sleeping thread per generation opened, which only
        // a rebuild under a running server adds.
        let columns = Arc::new(ColumnCache::default());
        let warmer: Weak<dyn Warmer> = Arc::downgrade(&(Arc::clone(&columns) as Arc<dyn Warmer>));
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            // No cache of decompressed doc-store blocks: a query's hits are spread over the
            // index, so the default 100-block LRU rarely hits and only adds its own work.
            // Without it, `jindu bench search` ran 20 % (68k) and 5 % (1 M) faster, with less
            // RssAnon. Export reads with a store reader of its own.
            .doc_store_cache_num_blocks(0)
            .warmers(vec![warmer])
            .try_into()
            .map_err(|e| IndexError::Tantivy {
                path: generation.to_path_buf(),
                source: e,
            })?;
        Ok(IndexHandle {
            root: root.to_path_buf(),
            generation: generation.to_path_buf(),
            index,
            reader,
            fields,
            analyzer,
            knowledge: Arc::new(knowledge),
            manifest,
            columns,
            directory,
        })
    }

    /// Drops the entries of files no longer mapped from tantivy's map of memory-mapped files.
    /// tantivy 0.27 prunes that map only when asked for its statistics, so a writer that
    /// commits often (every API write makes a segment, and merges delete them) grows it by a
    /// few hundred bytes a file, forever; the index service calls this after each commit.
    pub fn prune_file_cache(&self) {
        let _ = self.directory.get_cache_info();
    }

    /// Number of live documents.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether a live (not deleted) document has this id. (`doc_freq` would still count a
    /// deleted one until its segment is merged.)
    pub fn contains_id(&self, id: &str) -> bool {
        let query = tantivy::query::TermQuery::new(
            tantivy::Term::from_field_text(self.fields.id, id),
            tantivy::schema::IndexRecordOption::Basic,
        );
        self.reader
            .searcher()
            .search(&query, &tantivy::collector::Count)
            .map(|count| count > 0)
            .unwrap_or(false)
    }
}
