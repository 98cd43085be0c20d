//! Single documents: look one up by id, and the highlighted ranges of a query over its full
//! title and body (for a document view).

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{TantivyDocument, Term};

use super::highlight::{Highlighter, Range};
use super::plan::plan;
use super::SearchError;
use crate::index::{stored_document, IndexHandle, StoredDocument};
use crate::tagger::Derived;

/// A stored document as a flat object, with optional highlights of a query.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentView {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Full text.
    pub body: String,
    /// policy | case.
    pub doc_type: String,
    /// Year.
    pub year: Option<i32>,
    /// Date.
    pub date: Option<String>,
    /// Countries and regions.
    pub countries: Vec<String>,
    /// Organisations.
    pub organizations: Vec<String>,
    /// Cooperation types.
    pub coop_types: Vec<String>,
    /// Drug types.
    pub drug_types: Vec<String>,
    /// Source note.
    pub source: Option<String>,
    /// Link.
    pub url: Option<String>,
    /// Values the tagger derived.
    pub derived: Derived,
    /// Matched ranges of the query in the title (code points), when a query was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title_highlights: Option<Vec<Range>>,
    /// Matched ranges of the query in the body (code points), when a query was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_highlights: Option<Vec<Range>>,
}

/// The stored document with this id, if any.
pub fn find_document(
    handle: &IndexHandle,
    id: &str,
) -> Result<Option<StoredDocument>, SearchError> {
    let searcher = handle.reader.searcher();
    let query = TermQuery::new(
        Term::from_field_text(handle.fields.id, id),
        IndexRecordOption::Basic,
    );
    let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
    let Some((_, address)) = top.first() else {
        return Ok(None);
    };
    let doc: TantivyDocument = searcher.doc(*address)?;
    Ok(Some(stored_document(&doc, &handle.fields)))
}

/// The document with this id as a flat view, highlighting `query` when given.
pub fn document_view(
    handle: &IndexHandle,
    id: &str,
    query: Option<&str>,
) -> Result<Option<DocumentView>, SearchError> {
    let Some(StoredDocument { document, derived }) = find_document(handle, id)? else {
        return Ok(None);
    };
    let (title_highlights, body_highlights) = match query {
        Some(q) => {
            let plan = plan(q, &handle.analyzer, &handle.knowledge.synonyms);
            let highlighter = Highlighter::new(&plan.highlight_needles());
            (
                Some(highlighter.ranges(&document.title)),
                Some(highlighter.ranges(&document.body)),
            )
        }
        None => (None, None),
    };
    Ok(Some(DocumentView {
        id: document.id,
        title: document.title,
        body: document.body,
        doc_type: document.doc_type.as_str().to_string(),
        year: document.year,
        date: document.date,
        countries: document.countries.unwrap_or_default(),
        organizations: document.organizations.unwrap_or_default(),
        coop_types: document.coop_types.unwrap_or_default(),
        drug_types: document.drug_types.unwrap_or_default(),
        source: document.source,
        url: document.url,
        derived,
        title_highlights,
        body_highlights,
    }))
}
