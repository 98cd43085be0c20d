//! Documents in and out of the index: analysis into pre-tokenized fields on the way in, stored
//! fields back into a [`Document`] on the way out.

use std::sync::Arc;

use tantivy::schema::Value;
use tantivy::tokenizer::PreTokenizedString;
use tantivy::TantivyDocument;

use super::schema::Fields;
use crate::analysis::{
    to_tantivy_token, to_tantivy_tokens, AnalyzedToken, Analyzer, Normalized, Side,
};
use crate::corpus::{DocType, Document};
use crate::tagger::Derived;

/// Positions between the title and the body in the combined fields, so that no phrase spans
/// the two.
pub const BODY_POSITION_GAP: u32 = 64;

/// A document as stored in the index: its effective metadata (given or derived) and what was
/// derived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDocument {
    /// The document with derived values filled in.
    pub document: Document,
    /// The values the tagger derived.
    pub derived: Derived,
}

/// Turns documents into tantivy documents, reusing its buffers; one per worker thread.
pub struct DocumentBuilder {
    analyzer: Arc<Analyzer>,
    fields: Fields,
    title: Normalized,
    body: Normalized,
    title_words: Vec<AnalyzedToken>,
    body_words: Vec<AnalyzedToken>,
    grams: Vec<AnalyzedToken>,
}

impl DocumentBuilder {
    /// A builder over a shared analyzer.
    pub fn new(analyzer: Arc<Analyzer>, fields: Fields) -> DocumentBuilder {
        DocumentBuilder {
            analyzer,
            fields,
            title: Normalized::default(),
            body: Normalized::default(),
            title_words: Vec::new(),
            body_words: Vec::new(),
            grams: Vec::new(),
        }
    }

    /// Analyzes and converts one document.
    pub fn build(&mut self, stored: &StoredDocument) -> TantivyDocument {
        let f = self.fields;
        let document = &stored.document;
        self.title.reset(&document.title);
        self.body.reset(&document.body);
        self.title_words.clear();
        self.body_words.clear();
        self.grams.clear();
        self.analyzer
            .words(&self.title, Side::Index, &mut self.title_words);
        self.analyzer
            .words(&self.body, Side::Index, &mut self.body_words);
        let gap = self.title.kept_len() + BODY_POSITION_GAP;
        for token in &mut self.body_words {
            token.position += gap;
        }
        Analyzer::grams(&self.title, &mut self.grams);
        let title_grams = self.grams.len();
        Analyzer::grams(&self.body, &mut self.grams);
        for token in &mut self.grams[title_grams..] {
            token.position += gap;
        }

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
        doc.add_pre_tokenized_text(
            f.title_words,
            PreTokenizedString {
                text: String::new(),
                tokens: to_tantivy_tokens(&self.title_words),
            },
        );
        let mut words = Vec::with_capacity(self.title_words.len() + self.body_words.len());
        words.extend(self.title_words.drain(..).map(to_tantivy_token));
        words.extend(self.body_words.drain(..).map(to_tantivy_token));
        doc.add_pre_tokenized_text(
            f.words,
            PreTokenizedString {
                text: String::new(),
                tokens: words,
            },
        );
        doc.add_pre_tokenized_text(
            f.grams,
            PreTokenizedString {
                text: String::new(),
                tokens: self.grams.drain(..).map(to_tantivy_token).collect(),
            },
        );
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
