//! One pass over the matching documents: filters from fast columns, the total, the top hits in
//! the requested order, and disjunctive facet counts (a facet's counts ignore its own filter).
//!
//! The text query runs without the filters; each document's filters are checked here and a
//! bitmask of the failed ones decides what it counts towards: nothing failed, it is a hit and
//! counts in every facet; exactly one failed, it counts only in that filter's facet.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use super::facets::TextFacet;
use crate::corpus::YEAR_RANGE;
use crate::index::{ColumnCache, SegmentColumns};

const YEAR_BIT: u8 = 1 << 5;
/// Years a document can have (checked when documents are read).
const YEAR_SLOTS: usize = (*YEAR_RANGE.end() - *YEAR_RANGE.start() + 1) as usize;
const TEXT_FACETS: usize = TextFacet::ALL.len();

/// The order of hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// By score.
    #[default]
    Relevance,
    /// Newest first; documents without a year last.
    YearDesc,
    /// Oldest first; documents without a year last.
    YearAsc,
}

/// Filters: a document passes a text filter when it has any of its values; it must pass all.
#[derive(Debug, Clone, Default)]
pub struct FilterSet {
    /// Per text facet (in [`TextFacet::ALL`] order): the values asked for, if filtered.
    pub text: [Option<Vec<String>>; TEXT_FACETS],
    /// Inclusive year range, if filtered.
    pub years: Option<(i64, i64)>,
}

impl FilterSet {
    /// Whether no filter is set.
    pub fn is_empty(&self) -> bool {
        self.text.iter().all(Option::is_none) && self.years.is_none()
    }
}

/// A hit candidate.
#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    /// Primary sort key (larger first): 0 for relevance, the year (or its negation) otherwise.
    primary: i64,
    /// BM25 score.
    pub score: Score,
    /// Where the document is.
    pub address: DocAddress,
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Candidate {}
impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Candidate {
    /// Greater is better: higher primary, then higher score, then earlier address.
    fn cmp(&self, other: &Self) -> Ordering {
        self.primary
            .cmp(&other.primary)
            .then_with(|| self.score.total_cmp(&other.score))
            .then_with(|| other.address.cmp(&self.address))
    }
}

/// What one pass found.
#[derive(Debug, Default)]
pub struct Collected {
    /// Documents passing every filter.
    pub total: u64,
    /// The best `wanted` of them, best first.
    pub top: Vec<Candidate>,
    /// Text facet counts, in [`TextFacet::ALL`] order.
    pub text_counts: Vec<HashMap<String, u64>>,
    /// Year counts.
    pub year_counts: HashMap<i64, u64>,
}

/// The collector; see the module documentation.
pub struct SearchCollector {
    /// Filters to apply.
    pub filters: FilterSet,
    /// How many top candidates to keep (offset + limit).
    pub wanted: usize,
    /// Hit order.
    pub order: Order,
    /// Whether to count facets at all.
    pub count_facets: bool,
    /// The index's dense facet columns (per-document values and years).
    pub columns: Arc<ColumnCache>,
}

fn primary_key(order: Order, year: Option<i64>) -> i64 {
    match (order, year) {
        (Order::Relevance, _) => 0,
        (_, None) => i64::MIN,
        (Order::YearDesc, Some(year)) => year,
        (Order::YearAsc, Some(year)) => -year,
    }
}

impl Collector for SearchCollector {
    type Fruit = Collected;
    type Child = SearchSegmentCollector;

    fn for_segment(
        &self,
        segment_ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SearchSegmentCollector> {
        let fast = segment.fast_fields();
        let mut columns: Vec<Option<StrColumn>> = Vec::with_capacity(TEXT_FACETS);
        let mut filter_ords: Vec<Option<Vec<u32>>> = Vec::with_capacity(TEXT_FACETS);
        let mut counts: Vec<Vec<u32>> = Vec::with_capacity(TEXT_FACETS);
        for facet in TextFacet::ALL {
            let wanted = &self.filters.text[facet.index()];
            // The column is only needed for its dictionary (filter values to ordinals, counted
            // ordinals back to values); per-document values come from the dense copies.
            let column = if self.count_facets || wanted.is_some() {
                fast.str(facet.field_name())?
            } else {
                None
            };
            let ords = match (wanted, &column) {
                (None, _) => None,
                (Some(_), None) => Some(Vec::new()),
                (Some(values), Some(column)) => {
                    let mut ords = Vec::with_capacity(values.len());
                    for value in values {
                        if let Some(ord) = column.dictionary().term_ord(value)? {
                            ords.extend(u32::try_from(ord).ok());
                        }
                    }
                    ords.sort_unstable();
                    Some(ords)
                }
            };
            let size = if self.count_facets {
                column.as_ref().map(|c| c.num_terms()).unwrap_or(0)
            } else {
                0
            };
            counts.push(vec![0; size]);
            filter_ords.push(ords);
            columns.push(column);
        }
        Ok(SearchSegmentCollector {
            segment_ord,
            columns,
            dense: self.columns.get(segment)?,
            filter_ords,
            year_range: self.filters.years,
            counts,
            has_filters: !self.filters.is_empty(),
            year_counts: if self.count_facets {
                vec![0; YEAR_SLOTS]
            } else {
                Vec::new()
            },
            count_facets: self.count_facets,
            order: self.order,
            wanted: self.wanted,
            top: BinaryHeap::with_capacity(self.wanted.min(10_000) + 1),
            total: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<Collected> {
        let mut collected = Collected {
            text_counts: vec![HashMap::new(); TEXT_FACETS],
            ..Collected::default()
        };
        let mut top = Vec::new();
        for fruit in fruits {
            collected.total += fruit.total;
            top.extend(fruit.top);
            for (merged, counts) in collected.text_counts.iter_mut().zip(fruit.text_counts) {
                for (value, count) in counts {
                    *merged.entry(value).or_insert(0) += count;
                }
            }
            for (year, count) in fruit.year_counts {
                *collected.year_counts.entry(year).or_insert(0) += count;
            }
        }
        top.sort_by(|a, b| b.cmp(a));
        top.truncate(self.wanted);
        collected.top = top;
        Ok(collected)
    }
}

/// What one segment found.
pub struct SegmentFruit {
    total: u64,
    top: Vec<Candidate>,
    text_counts: Vec<HashMap<String, u64>>,
    year_counts: HashMap<i64, u64>,
}

/// The per-segment state of [`SearchCollector`].
pub struct SearchSegmentCollector {
    segment_ord: SegmentOrdinal,
    /// The columns, for their dictionaries (values to ordinals and back).
    columns: Vec<Option<StrColumn>>,
    /// Per-document values and years.
    dense: Arc<SegmentColumns>,
    filter_ords: Vec<Option<Vec<u32>>>,
    year_range: Option<(i64, i64)>,
    counts: Vec<Vec<u32>>,
    /// Whether any filter is set (most requests have none).
    has_filters: bool,
    /// Per year of [`YEAR_RANGE`], from its start.
    year_counts: Vec<u32>,
    count_facets: bool,
    order: Order,
    wanted: usize,
    /// Min-heap (by `Reverse`) of the best candidates so far.
    top: BinaryHeap<std::cmp::Reverse<Candidate>>,
    total: u64,
}

impl SearchSegmentCollector {
    fn failed_filters(&self, doc: DocId, year: Option<i64>) -> u8 {
        let mut mask = 0u8;
        for (index, ords) in self.filter_ords.iter().enumerate() {
            let Some(ords) = ords else { continue };
            let passes = self
                .dense
                .ords(index, doc)
                .iter()
                .any(|ord| ords.binary_search(ord).is_ok());
            if !passes {
                mask |= 1 << index;
            }
        }
        if let Some((from, to)) = self.year_range {
            if !year.is_some_and(|y| y >= from && y <= to) {
                mask |= YEAR_BIT;
            }
        }
        mask
    }
}

impl SegmentCollector for SearchSegmentCollector {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        let year = self.dense.year(doc);
        let mask = if self.has_filters {
            self.failed_filters(doc, year)
        } else {
            0
        };
        if mask == 0 {
            self.total += 1;
            if self.wanted > 0 {
                let candidate = Candidate {
                    primary: primary_key(self.order, year),
                    score,
                    address: DocAddress::new(self.segment_ord, doc),
                };
                if self.top.len() < self.wanted {
                    self.top.push(std::cmp::Reverse(candidate));
                } else if let Some(worst) = self.top.peek() {
                    if candidate > worst.0 {
                        self.top.pop();
                        self.top.push(std::cmp::Reverse(candidate));
                    }
                }
            }
        }
        if !self.count_facets || mask.count_ones() > 1 {
            return;
        }
        for (index, counts) in self.counts.iter_mut().enumerate() {
            if mask != 0 && mask != 1 << index {
                continue;
            }
            for &ord in self.dense.ords(index, doc) {
                if let Some(count) = counts.get_mut(ord as usize) {
                    *count += 1;
                }
            }
        }
        if mask == 0 || mask == YEAR_BIT {
            let slot = year.and_then(|y| usize::try_from(y - i64::from(*YEAR_RANGE.start())).ok());
            if let Some(count) = slot.and_then(|slot| self.year_counts.get_mut(slot)) {
                *count += 1;
            }
        }
    }

    fn harvest(self) -> SegmentFruit {
        let mut text_counts = vec![HashMap::new(); TEXT_FACETS];
        for (index, counts) in self.counts.iter().enumerate() {
            let Some(column) = &self.columns[index] else {
                continue;
            };
            for (ord, &count) in counts.iter().enumerate() {
                if count == 0 {
                    continue;
                }
                let mut value = String::new();
                if column.ord_to_str(ord as u64, &mut value).unwrap_or(false) {
                    text_counts[index].insert(value, u64::from(count));
                }
            }
        }
        SegmentFruit {
            total: self.total,
            top: self.top.into_iter().map(|r| r.0).collect(),
            text_counts,
            year_counts: self
                .year_counts
                .iter()
                .enumerate()
                .filter(|(_, &count)| count > 0)
                .map(|(slot, &count)| {
                    (
                        slot as i64 + i64::from(*YEAR_RANGE.start()),
                        u64::from(count),
                    )
                })
                .collect(),
        }
    }
}
