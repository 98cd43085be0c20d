//! The drug table (`drugs.toml`): canonical drug-type names and the aliases that imply them.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use super::toml_file::{line_of_value, parse};
use super::KnowledgeError;

/// One drug type.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Drug {
    /// Canonical facet value.
    pub name: String,
    /// Street, trade, traditional and English names.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// The whole drug table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrugTable {
    /// Drugs in file order.
    #[serde(default, rename = "drug")]
    pub drugs: Vec<Drug>,
}

impl DrugTable {
    /// Parses and checks `drugs.toml`: no name or alias means two drugs.
    pub fn parse(path: &Path, text: &str) -> Result<DrugTable, KnowledgeError> {
        let table: DrugTable = parse(path, text)?;
        let mut owner: HashMap<&str, &str> = HashMap::new();
        for drug in &table.drugs {
            for word in std::iter::once(&drug.name).chain(&drug.aliases) {
                let invalid = |message: String| KnowledgeError::Invalid {
                    path: path.to_path_buf(),
                    line: line_of_value(text, word),
                    message,
                };
                if word.trim().is_empty() {
                    return Err(invalid(format!("{}: an empty alias", drug.name)));
                }
                if let Some(previous) = owner.insert(word, &drug.name) {
                    if previous != drug.name {
                        return Err(invalid(format!(
                            "{word:?} names both {previous} and {}",
                            drug.name
                        )));
                    }
                }
            }
        }
        Ok(table)
    }
}
