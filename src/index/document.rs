//! Documents in and out of the index: field values on the way in (the registered tokenizers
//! analyze them), stored fields back into a [`Document`] on the way out.

use tantivy::schema::Value;
use tantivy::TantivyDocument;

use super::schema::Fields;
use crate::corpus::{DocType, Document};
use crate::tagger::Derived;

/// A document as stored in the index: its effective metadata (given or derived) and what was
/// derived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDocument {
    /// The document with derived values filled in.
    pub document: Document,
    /// The values the tagger derived.
    pub derived: Derived,
}

/// Turns documents into tantivy documents. The analyzed fields get the raw title and body;
/// the tokenizers registered on the index segment them inside tantivy's indexing threads.
pub struct DocumentBuilder {
    fields: Fields,
}

impl DocumentBuilder {
    /// A builder for an index with these fields.
    pub fn new(fields: Fields) -> DocumentBuilder {
        DocumentBuilder { fields }
    }

    /// Converts one document.
    pub fn build(&mut self, stored: &StoredDocument) -> TantivyDocument {
        let f = self.fields;
        let document = &stored.document;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &document.id);
        doc.add_text(f.title, &document.title);
        doc.add_text(f.body, &document.body);
        doc.add_text(f.doc_type, document.doc_type.as_str());
        for (field, values) in [
            (f.countries, &document.countries),
            (f.organizations, &document.organizations),
            (f.coop_types, &document.coop_types),
            (f.drug_types, &document.drug_types),
        ] {
            for value in values.iter().flatten() {
                doc.add_text(field, value);
            }
        }
        if let Some(year) = document.year {
            doc.add_i64(f.year, i64::from(year));
        }
        for (field, value) in [
            (f.date, &document.date),
            (f.source, &document.source),
            (f.url, &document.url),
        ] {
            if let Some(value) = value {
                doc.add_text(field, value);
            }
        }
        if !stored.derived.is_empty() {
            if let Ok(json) = serde_json::to_string(&stored.derived) {
                doc.add_text(f.derived, json);
            }
        }
        doc.add_text(f.title_words, &document.title);
        // Title then body: positions continue across the two values with a gap (see
        // `VALUE_POSITION_GAP`), so no phrase spans them.
        doc.add_text(f.words, &document.title);
        doc.add_text(f.words, &document.body);
        doc.add_text(f.grams, &document.title);
        doc.add_text(f.grams, &document.body);
        doc
    }
}

/// Reads a stored tantivy document back.
pub fn stored_document(doc: &TantivyDocument, fields: &Fields) -> StoredDocument {
    let text = |field| -> Option<String> {
        doc.get_first(field)
            .and_then(|value| value.as_str())
            .map(str::to_string)
    };
    let list = |field| -> Option<Vec<String>> {
        let values: Vec<String> = doc
            .get_all(field)
            .filter_map(|value| value.as_str())
            .map(str::to_string)
            .collect();
        Some(values)
    };
    let derived: Derived = text(fields.derived)
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default();
    let document = Document {
        id: text(fields.id).unwrap_or_default(),
        title: text(fields.title).unwrap_or_default(),
        body: text(fields.body).unwrap_or_default(),
        doc_type: text(fields.doc_type)
            .and_then(|value| DocType::parse(&value))
            .unwrap_or(DocType::Policy),
        countries: list(fields.countries),
        organizations: list(fields.organizations),
        coop_types: list(fields.coop_types),
        drug_types: list(fields.drug_types),
        year: doc
            .get_first(fields.year)
            .and_then(|value| value.as_i64())
            .and_then(|year| i32::try_from(year).ok()),
        date: text(fields.date),
        source: text(fields.source),
        url: text(fields.url),
    };
    StoredDocument { document, derived }
}
