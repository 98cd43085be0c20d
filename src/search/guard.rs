//! A query wrapper whose scorer never passes a seek at or behind its current document on to the
//! inner scorer: tantivy 0.27's exclusion asks a fresh scorer for a document before the one it
//! already sits on, which its phrase scorer asserts against.

use std::fmt;

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};
use tantivy::{SeekDangerResult, TERMINATED};

/// `inner`, unchanged, with its scorers guarded at the end of their documents.
pub struct GuardedQuery {
    inner: Box<dyn Query>,
}

impl GuardedQuery {
    /// Wraps `inner`.
    pub fn new(inner: Box<dyn Query>) -> GuardedQuery {
        GuardedQuery { inner }
    }
}

impl Clone for GuardedQuery {
    fn clone(&self) -> Self {
        GuardedQuery {
            inner: self.inner.box_clone(),
        }
    }
}

impl fmt::Debug for GuardedQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Guarded({:?})", self.inner)
    }
}

impl Query for GuardedQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(GuardedWeight {
            inner: self.inner.weight(enable_scoring)?,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct GuardedWeight {
    inner: Box<dyn Weight>,
}

impl Weight for GuardedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(GuardedScorer {
            inner: self.inner.scorer(reader, boost)?,
            in_danger_zone: false,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.inner.count(reader)
    }
}

struct GuardedScorer {
    inner: Box<dyn Scorer>,
    /// The last `seek_danger` missed, so `inner.doc()` may not be a match.
    in_danger_zone: bool,
}

impl DocSet for GuardedScorer {
    fn advance(&mut self) -> DocId {
        self.in_danger_zone = false;
        if self.inner.doc() == TERMINATED {
            return TERMINATED;
        }
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let current = self.inner.doc();
        if current == TERMINATED || (current >= target && !self.in_danger_zone) {
            return current;
        }
        self.in_danger_zone = false;
        self.inner.seek(target)
    }

    fn seek_danger(&mut self, target: DocId) -> SeekDangerResult {
        if target >= TERMINATED {
            return SeekDangerResult::SeekLowerBound(TERMINATED);
        }
        let current = self.inner.doc();
        if current == TERMINATED {
            return SeekDangerResult::SeekLowerBound(TERMINATED);
        }
        if current >= target && !self.in_danger_zone {
            // Already on a real match at or past the target: answer without moving.
            return if current == target {
                SeekDangerResult::Found
            } else {
                SeekDangerResult::SeekLowerBound(current)
            };
        }
        let result = self.inner.seek_danger(target);
        self.in_danger_zone = result != SeekDangerResult::Found;
        result
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for GuardedScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}
