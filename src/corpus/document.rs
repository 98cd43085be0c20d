//! The document model shared by every layer: what a corpus line or file becomes.

use serde::{Deserialize, Serialize};

/// The kind of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum DocType {
    /// 政策文本: agreements, strategies, speeches, regulations.
    Policy,
    /// 案例摘要: joint investigations, deliveries, extraditions, operations.
    Case,
}

impl DocType {
    /// The stable name used in data, filters and facets.
    pub fn as_str(self) -> &'static str {
        match self {
            DocType::Policy => "policy",
            DocType::Case => "case",
        }
    }

    /// Parses `policy` or `case`.
    pub fn parse(value: &str) -> Option<DocType> {
        match value {
            "policy" => Some(DocType::Policy),
            "case" => Some(DocType::Case),
            _ => None,
        }
    }
}

/// One document. `None` in a list field means "unknown" (a tagger may derive it); an empty list
/// means "explicitly none".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Unique, printable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Full text.
    pub body: String,
    /// policy or case.
    pub doc_type: DocType,
    /// Countries and regions (国家/地区), short common Chinese names.
    pub countries: Option<Vec<String>>,
    /// International organisations and mechanisms.
    pub organizations: Option<Vec<String>>,
    /// Cooperation types (合作类型).
    pub coop_types: Option<Vec<String>>,
    /// Drug types (毒品种类), canonical names.
    pub drug_types: Option<Vec<String>>,
    /// Year of the document's own event.
    pub year: Option<i32>,
    /// Date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Where its facts come from.
    pub source: Option<String>,
    /// Link to the original.
    pub url: Option<String>,
}

/// The fields a document may carry, in the order they are written out.
pub const DOCUMENT_FIELDS: &[&str] = &[
    "id",
    "title",
    "body",
    "doc_type",
    "countries",
    "organizations",
    "coop_types",
    "drug_types",
    "year",
    "date",
    "source",
    "url",
];
