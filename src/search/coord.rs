//! A query wrapper that adds a constant to its inner query's score, so that every matched query
//! group adds the same bonus: documents matching more of the query's words rank first, BM25
//! orders documents that match as many.

use std::fmt;

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

/// `inner`'s matches, scored `inner + bonus`.
pub struct AddScoreQuery {
    inner: Box<dyn Query>,
    bonus: Score,
}

impl AddScoreQuery {
    /// Wraps `inner`, adding `bonus` to each of its scores.
    pub fn new(inner: Box<dyn Query>, bonus: Score) -> AddScoreQuery {
        AddScoreQuery { inner, bonus }
    }
}

impl Clone for AddScoreQuery {
    fn clone(&self) -> Self {
        AddScoreQuery {
            inner: self.inner.box_clone(),
            bonus: self.bonus,
        }
    }
}

impl fmt::Debug for AddScoreQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AddScore(+{}, {:?})", self.bonus, self.inner)
    }
}

impl Query for AddScoreQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let inner = self.inner.weight(enable_scoring)?;
        if !enable_scoring.is_scoring_enabled() {
            return Ok(inner);
        }
        Ok(Box::new(AddScoreWeight {
            inner,
            bonus: self.bonus,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct AddScoreWeight {
    inner: Box<dyn Weight>,
    bonus: Score,
}

impl Weight for AddScoreWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let inner = self.inner.scorer(reader, boost)?;
        Ok(Box::new(AddScoreScorer {
            inner,
            bonus: self.bonus * boost,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let inner = self.inner.explain(reader, doc)?;
        let mut explanation = Explanation::new(
            "matched group (constant bonus added)",
            inner.value() + self.bonus,
        );
        explanation.add_detail(inner);
        Ok(explanation)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.inner.count(reader)
    }
}

struct AddScoreScorer {
    inner: Box<dyn Scorer>,
    bonus: Score,
}

impl DocSet for AddScoreScorer {
    fn advance(&mut self) -> DocId {
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.inner.seek(target)
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

impl Scorer for AddScoreScorer {
    fn score(&mut self) -> Score {
        self.inner.score() + self.bonus
    }
}
