//! Dense copies of the facet columns and the year, one per segment, built when a searcher is
//! warmed: search reads a document's facet values and year from plain arrays instead of going
//! through tantivy's optional and multi-valued column indexes once per matching document
//! (those lookups were the top cost of counting facets at a million documents).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::{DocId, Searcher, SearcherGeneration, SegmentReader, Warmer};

use super::schema::names;

/// The facet fields copied, in this order (search's text facets follow it).
pub const FACET_FIELDS: [&str; 5] = [
    names::COUNTRIES,
    names::ORGANIZATIONS,
    names::COOP_TYPES,
    names::DRUG_TYPES,
    names::DOC_TYPE,
];

/// Marks a document without a year.
const NO_YEAR: i16 = i16::MIN;

/// One multi-valued column as offsets into one array of term ordinals.
#[derive(Debug, Default)]
struct DenseMulti {
    /// Per document, where its ordinals start; one more at the end.
    starts: Vec<u32>,
    /// Term ordinals of every document, in document order.
    ords: Vec<u32>,
}

impl DenseMulti {
    fn build(column: Option<&StrColumn>, max_doc: DocId) -> DenseMulti {
        let Some(column) = column else {
            return DenseMulti::default();
        };
        let mut dense = DenseMulti {
            starts: Vec::with_capacity(max_doc as usize + 1),
            ords: Vec::new(),
        };
        for doc in 0..max_doc {
            dense.starts.push(offset(dense.ords.len()));
            // Ordinals are below the dictionary size, which a u32 holds.
            dense.ords.extend(
                column
                    .term_ords(doc)
                    .filter_map(|ord| u32::try_from(ord).ok()),
            );
        }
        dense.starts.push(offset(dense.ords.len()));
        dense
    }

    #[inline]
    fn get(&self, doc: DocId) -> &[u32] {
        let doc = doc as usize;
        match (self.starts.get(doc), self.starts.get(doc + 1)) {
            (Some(&start), Some(&end)) => {
                self.ords.get(start as usize..end as usize).unwrap_or(&[])
            }
            _ => &[],
        }
    }
}

/// An offset into a segment's values (a segment holds fewer than 2^31 documents, and a
/// document a handful of values per facet).
fn offset(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

/// One segment's facet values and years: one array a column, since a query touches the year of
/// every match but the facet values only when it counts or filters them.
#[derive(Debug)]
pub struct SegmentColumns {
    facets: Vec<DenseMulti>,
    /// Per document, its year or [`NO_YEAR`] (two bytes: the array is read for every match).
    years: Vec<i16>,
}

impl SegmentColumns {
    /// Copies `segment`'s columns (about 22 bytes a document, 4 a value).
    pub fn build(segment: &SegmentReader) -> tantivy::Result<SegmentColumns> {
        let fast = segment.fast_fields();
        let max_doc = segment.max_doc();
        let mut facets = Vec::with_capacity(FACET_FIELDS.len());
        for field in FACET_FIELDS {
            facets.push(DenseMulti::build(fast.str(field)?.as_ref(), max_doc));
        }
        let years: Option<Column<i64>> = fast.column_opt(names::YEAR)?;
        let years = match years {
            Some(column) => (0..max_doc)
                .map(|doc| {
                    column
                        .first(doc)
                        .and_then(|year| i16::try_from(year).ok())
                        .filter(|&year| year != NO_YEAR)
                        .unwrap_or(NO_YEAR)
                })
                .collect(),
            None => Vec::new(),
        };
        Ok(SegmentColumns { facets, years })
    }

    /// The term ordinals of `doc` in facet `facet` (a position in [`FACET_FIELDS`]).
    #[inline]
    pub fn ords(&self, facet: usize, doc: DocId) -> &[u32] {
        self.facets.get(facet).map_or(&[], |dense| dense.get(doc))
    }

    /// The year of `doc`, if it has one.
    #[inline]
    pub fn year(&self, doc: DocId) -> Option<i64> {
        match self.years.get(doc as usize) {
            Some(&year) if year != NO_YEAR => Some(i64::from(year)),
            _ => None,
        }
    }
}

/// The dense columns of every live segment, kept up to date as a tantivy [`Warmer`]: a new
/// searcher's segments are copied before it serves, and segments no searcher uses any more are
/// dropped.
#[derive(Debug, Default)]
pub struct ColumnCache {
    segments: RwLock<HashMap<SegmentId, Arc<SegmentColumns>>>,
}

impl ColumnCache {
    /// The columns of `segment`, copied now if no warm-up did (a searcher taken between a
    /// reload and its warm-up, or a reader without this warmer).
    pub fn get(&self, segment: &SegmentReader) -> tantivy::Result<Arc<SegmentColumns>> {
        let id = segment.segment_id();
        if let Some(columns) = self.read().get(&id) {
            return Ok(Arc::clone(columns));
        }
        let columns = Arc::new(SegmentColumns::build(segment)?);
        let mut segments = self
            .segments
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Ok(Arc::clone(segments.entry(id).or_insert(columns)))
    }

    /// Segments held.
    pub fn len(&self) -> usize {
        self.read().len()
    }

    /// Whether no segment is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<SegmentId, Arc<SegmentColumns>>> {
        // A panic while holding the lock cannot leave the map half-updated (inserts are
        // single calls), so a poisoned lock is still usable.
        self.segments
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Warmer for ColumnCache {
    fn warm(&self, searcher: &Searcher) -> tantivy::Result<()> {
        for segment in searcher.segment_readers() {
            self.get(segment)?;
        }
        Ok(())
    }

    fn garbage_collect(&self, live_generations: &[&SearcherGeneration]) {
        let mut segments = self
            .segments
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        segments.retain(|id, _| {
            live_generations
                .iter()
                .any(|generation| generation.segments().contains_key(id))
        });
    }
}
