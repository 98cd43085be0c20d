//! The manifest each index generation carries: what built it, so a stale index is recognised.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::analysis::ANALYZER_VERSION;

use super::schema::SCHEMA_VERSION;
use super::IndexError;

/// File name of the manifest inside a generation folder.
pub const MANIFEST_FILE: &str = "jindu.json";

/// What a generation was built with and holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`SCHEMA_VERSION`] at build time.
    pub schema_version: u32,
    /// [`ANALYZER_VERSION`] at build time.
    pub analyzer_version: u32,
    /// Fingerprint of the knowledge files (dictionary …) copied into the generation.
    pub knowledge_fingerprint: String,
    /// The jindu version that built it.
    pub jindu_version: String,
    /// Documents indexed.
    pub documents: u64,
    /// Bytes of title and body text indexed.
    pub text_bytes: u64,
    /// Build time, seconds since the Unix epoch.
    pub created_unix: u64,
}

impl Manifest {
    /// A manifest for a build with this binary's versions.
    pub fn current(knowledge_fingerprint: String, documents: u64, text_bytes: u64) -> Manifest {
        Manifest {
            schema_version: SCHEMA_VERSION,
            analyzer_version: ANALYZER_VERSION,
            knowledge_fingerprint,
            jindu_version: env!("CARGO_PKG_VERSION").to_string(),
            documents,
            text_bytes,
            created_unix: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0),
        }
    }

    /// Reads the manifest of the generation at `dir`.
    pub fn read(dir: &Path) -> Result<Manifest, IndexError> {
        let path = dir.join(MANIFEST_FILE);
        let bytes = std::fs::read(&path).map_err(|e| IndexError::io(&path, e))?;
        serde_json::from_slice(&bytes).map_err(|e| IndexError::Corrupt {
            path: path.clone(),
            message: format!("bad manifest: {e}"),
        })
    }

    /// Fails with a message telling how to rebuild when this binary cannot read the generation.
    pub fn check_compatible(&self, root: &Path) -> Result<(), IndexError> {
        if self.schema_version == SCHEMA_VERSION && self.analyzer_version == ANALYZER_VERSION {
            return Ok(());
        }
        Err(IndexError::Stale {
            message: format!(
                "the index at {} was built by jindu {} with schema v{} and analyzer v{}; this \
                 jindu {} needs schema v{} and analyzer v{}. Rebuild it: jindu index --index {}",
                root.display(),
                self.jindu_version,
                self.schema_version,
                self.analyzer_version,
                env!("CARGO_PKG_VERSION"),
                SCHEMA_VERSION,
                ANALYZER_VERSION,
                root.display()
            ),
        })
    }
}
