//! Domain knowledge as data: the files in `corpus/knowledge/` (dictionary, stop words,
//! synonyms, the gazetteer, the cooperation taxonomy and its model, the drug table), read into typed
//! tables and checked here; no analysis, no tantivy, no matching.
//!
//! Knowledge is copied into every index generation, so that a search always segments its
//! queries with exactly the dictionary its index was built with.

mod coop_model;
mod dictionary;
mod drugs;
mod gazetteer;
mod synonyms;
mod taxonomy;
mod toml_file;

pub use coop_model::{CoopModel, ModelFeature};
pub use dictionary::DictEntry;
pub use drugs::{Drug, DrugTable};
pub use gazetteer::{Gazetteer, Organization, Place, PlaceKind};
pub use synonyms::Synonyms;
pub use taxonomy::{CoopType, InternationalGate, Reports, Taxonomy, PAIR_MAX_GAP, PAIR_SEPARATOR};

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The file names that make up the knowledge; others in the folder are ignored.
pub const KNOWLEDGE_FILES: &[&str] = &[
    "dictionary.txt",
    "stopwords.txt",
    "synonyms.txt",
    "taxonomy.toml",
    "gazetteer.toml",
    "drugs.toml",
    "coop_model.tsv",
];

/// A problem with a knowledge file, naming the file and line.
#[derive(Debug, thiserror::Error)]
pub enum KnowledgeError {
    /// The folder or a file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A line or entry is malformed.
    #[error("{path}:{line}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line number (0 when the whole file is at fault).
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// Everything the analysis and the tagger know about the domain.
#[derive(Debug, Clone, Default)]
pub struct Knowledge {
    /// Where it was read from (`None` for the empty knowledge).
    pub dir: Option<PathBuf>,
    /// User dictionary words for jieba.
    pub dictionary: Vec<DictEntry>,
    /// Query-side stop words (question words, particles), normalized.
    pub stopwords: HashSet<String>,
    /// Query-time synonym groups, canonical term first.
    pub synonyms: Synonyms,
    /// Countries, regions and organisations.
    pub gazetteer: Gazetteer,
    /// The cooperation types.
    pub taxonomy: Taxonomy,
    /// The drug types.
    pub drugs: DrugTable,
    /// The cooperation-type model, when there is one.
    pub coop_model: Option<CoopModel>,
    /// The raw files, by name, for hashing and copying into an index generation.
    pub files: Vec<(String, Vec<u8>)>,
}

impl Knowledge {
    /// No domain knowledge at all: jieba's own dictionary only.
    pub fn empty() -> Knowledge {
        Knowledge::default()
    }

    /// Reads the knowledge folder. Files that are absent are treated as empty.
    pub fn load(dir: &Path) -> Result<Knowledge, KnowledgeError> {
        if !dir.is_dir() {
            return Err(KnowledgeError::Io {
                path: dir.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "knowledge folder not found (pass --knowledge DIR)",
                ),
            });
        }
        let mut knowledge = Knowledge {
            dir: Some(dir.to_path_buf()),
            ..Knowledge::default()
        };
        for name in KNOWLEDGE_FILES {
            let path = dir.join(name);
            if !path.exists() {
                continue;
            }
            let bytes = fs::read(&path).map_err(|source| KnowledgeError::Io {
                path: path.clone(),
                source,
            })?;
            knowledge.files.push((name.to_string(), bytes));
        }
        for (name, bytes) in &knowledge.files {
            let path = dir.join(name);
            let text = std::str::from_utf8(bytes).map_err(|e| KnowledgeError::Invalid {
                path: path.clone(),
                line: 0,
                message: format!("not UTF-8: {e}"),
            })?;
            match name.as_str() {
                "dictionary.txt" => knowledge.dictionary = dictionary::parse(&path, text)?,
                "stopwords.txt" => knowledge.stopwords = parse_word_list(text),
                "synonyms.txt" => knowledge.synonyms = Synonyms::parse(&path, text)?,
                "gazetteer.toml" => knowledge.gazetteer = Gazetteer::parse(&path, text)?,
                "taxonomy.toml" => knowledge.taxonomy = Taxonomy::parse(&path, text)?,
                "drugs.toml" => knowledge.drugs = DrugTable::parse(&path, text)?,
                "coop_model.tsv" => knowledge.coop_model = Some(CoopModel::parse(&path, text)?),
                _ => {}
            }
        }
        if let Some(model) = &knowledge.coop_model {
            let known = |name: &String| knowledge.taxonomy.types.iter().any(|t| &t.name == name);
            if let Some(unknown) = model.types.iter().find(|name| !known(name)) {
                return Err(KnowledgeError::Invalid {
                    path: dir.join("coop_model.tsv"),
                    line: model.types_line,
                    message: format!("type {unknown:?} is not in taxonomy.toml"),
                });
            }
        }
        Ok(knowledge)
    }

    /// A short content hash of all knowledge files, recorded in the index manifest.
    pub fn fingerprint(&self) -> String {
        let mut hasher = Sha256::new();
        for (name, bytes) in &self.files {
            hasher.update(name.as_bytes());
            hasher.update([0u8]);
            hasher.update((bytes.len() as u64).to_le_bytes());
            hasher.update(bytes);
        }
        let digest = hasher.finalize();
        digest[..8].iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Writes the knowledge files into `dir` (an index generation's copy).
    pub fn write_to(&self, dir: &Path) -> std::io::Result<()> {
        fs::create_dir_all(dir)?;
        for (name, bytes) in &self.files {
            fs::write(dir.join(name), bytes)?;
        }
        Ok(())
    }
}

/// One normalized word a line; `#` starts a comment.
fn parse_word_list(text: &str) -> HashSet<String> {
    text.lines()
        .map(dictionary::strip_comment)
        .filter(|word| !word.is_empty())
        .map(crate::analysis::normalize_str)
        .collect()
}
