//! Export: every live document of a generation as JSON lines that `jindu index` reads back.
//! Values the tagger derived are written as `null` (unknown), so a rebuild derives them again
//! instead of freezing them as explicit metadata.

use std::io::Write;

use tantivy::TantivyDocument;

use super::document::stored_document;
use super::handle::IndexHandle;
use super::IndexError;

/// Writes every document as one JSON line; returns how many.
pub fn export_jsonl(handle: &IndexHandle, out: &mut dyn Write) -> Result<u64, IndexError> {
    let searcher = handle.reader.searcher();
    let mut count = 0u64;
    let io = |e: std::io::Error| IndexError::io(&handle.generation, e);
    for segment in searcher.segment_readers() {
        let store = segment
            .get_store_reader(64)
            .map_err(|e| IndexError::io(&handle.generation, e))?;
        for doc_id in segment.doc_ids_alive() {
            let doc: TantivyDocument = store.get(doc_id).map_err(|e| IndexError::Tantivy {
                path: handle.generation.clone(),
                source: e,
            })?;
            let stored = stored_document(&doc, &handle.fields);
            let mut document = stored.document;
            let derived = stored.derived;
            if derived.countries.is_some() {
                document.countries = None;
            }
            if derived.organizations.is_some() {
                document.organizations = None;
            }
            if derived.coop_types.is_some() {
                document.coop_types = None;
            }
            if derived.drug_types.is_some() {
                document.drug_types = None;
            }
            if derived.year.is_some() {
                document.year = None;
            }
            serde_json::to_writer(&mut *out, &document).map_err(|e| io(e.into()))?;
            out.write_all(b"\n").map_err(io)?;
            count += 1;
        }
    }
    out.flush().map_err(io)?;
    Ok(count)
}
