//! The tantivy schema: one struct of fields, built in one place and looked up by name on open.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
    STRING,
};

use crate::analysis::{GRAMS_TOKENIZER, WORDS_TOKENIZER};

/// Bumped whenever the schema changes; an index with another version must be rebuilt.
pub const SCHEMA_VERSION: u32 = 1;

/// Names of the fields, used by the schema and by fast-field lookups.
pub mod names {
    /// Unique id (raw, stored).
    pub const ID: &str = "id";
    /// Title as written (stored).
    pub const TITLE: &str = "title";
    /// Body as written (stored).
    pub const BODY: &str = "body";
    /// policy | case (facet).
    pub const DOC_TYPE: &str = "doc_type";
    /// Countries and regions (facet, multi-valued).
    pub const COUNTRIES: &str = "countries";
    /// International organisations (facet, multi-valued).
    pub const ORGANIZATIONS: &str = "organizations";
    /// Cooperation types (facet, multi-valued).
    pub const COOP_TYPES: &str = "coop_types";
    /// Drug types (facet, multi-valued).
    pub const DRUG_TYPES: &str = "drug_types";
    /// Year (numeric, range-filterable, facet).
    pub const YEAR: &str = "year";
    /// Date `YYYY-MM-DD` (stored).
    pub const DATE: &str = "date";
    /// Source note (stored).
    pub const SOURCE: &str = "source";
    /// Link (stored).
    pub const URL: &str = "url";
    /// Which values the tagger derived, as JSON (stored).
    pub const DERIVED: &str = "derived";
    /// Title jieba words (indexed with positions).
    pub const TITLE_WORDS: &str = "title_words";
    /// Title and body jieba words, one combined field (indexed with positions).
    pub const WORDS: &str = "words";
    /// Title and body character bigrams (indexed with positions).
    pub const GRAMS: &str = "grams";
}

/// Every field of the schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// See [`names::ID`].
    pub id: Field,
    /// See [`names::TITLE`].
    pub title: Field,
    /// See [`names::BODY`].
    pub body: Field,
    /// See [`names::DOC_TYPE`].
    pub doc_type: Field,
    /// See [`names::COUNTRIES`].
    pub countries: Field,
    /// See [`names::ORGANIZATIONS`].
    pub organizations: Field,
    /// See [`names::COOP_TYPES`].
    pub coop_types: Field,
    /// See [`names::DRUG_TYPES`].
    pub drug_types: Field,
    /// See [`names::YEAR`].
    pub year: Field,
    /// See [`names::DATE`].
    pub date: Field,
    /// See [`names::SOURCE`].
    pub source: Field,
    /// See [`names::URL`].
    pub url: Field,
    /// See [`names::DERIVED`].
    pub derived: Field,
    /// See [`names::TITLE_WORDS`].
    pub title_words: Field,
    /// See [`names::WORDS`].
    pub words: Field,
    /// See [`names::GRAMS`].
    pub grams: Field,
}

fn analyzed(tokenizer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

/// Builds the schema.
pub fn build_schema() -> Schema {
    let mut builder = Schema::builder();
    let facet = STRING | FAST | STORED;
    builder.add_text_field(names::ID, STRING | STORED);
    builder.add_text_field(names::TITLE, STORED);
    builder.add_text_field(names::BODY, STORED);
    builder.add_text_field(names::DOC_TYPE, facet.clone());
    builder.add_text_field(names::COUNTRIES, facet.clone());
    builder.add_text_field(names::ORGANIZATIONS, facet.clone());
    builder.add_text_field(names::COOP_TYPES, facet.clone());
    builder.add_text_field(names::DRUG_TYPES, facet);
    builder.add_i64_field(
        names::YEAR,
        NumericOptions::default()
            .set_indexed()
            .set_fast()
            .set_stored(),
    );
    builder.add_text_field(names::DATE, STORED);
    builder.add_text_field(names::SOURCE, STORED);
    builder.add_text_field(names::URL, STORED);
    builder.add_text_field(names::DERIVED, STORED);
    builder.add_text_field(names::TITLE_WORDS, analyzed(WORDS_TOKENIZER));
    builder.add_text_field(names::WORDS, analyzed(WORDS_TOKENIZER));
    builder.add_text_field(names::GRAMS, analyzed(GRAMS_TOKENIZER));
    builder.build()
}

impl Fields {
    /// Looks every field up in `schema`; fails if one is missing (a foreign or stale index).
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        let field = |name: &str| schema.get_field(name);
        Ok(Fields {
            id: field(names::ID)?,
            title: field(names::TITLE)?,
            body: field(names::BODY)?,
            doc_type: field(names::DOC_TYPE)?,
            countries: field(names::COUNTRIES)?,
            organizations: field(names::ORGANIZATIONS)?,
            coop_types: field(names::COOP_TYPES)?,
            drug_types: field(names::DRUG_TYPES)?,
            year: field(names::YEAR)?,
            date: field(names::DATE)?,
            source: field(names::SOURCE)?,
            url: field(names::URL)?,
            derived: field(names::DERIVED)?,
            title_words: field(names::TITLE_WORDS)?,
            words: field(names::WORDS)?,
            grams: field(names::GRAMS)?,
        })
    }
}
