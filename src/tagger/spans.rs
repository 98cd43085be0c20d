//! Lookups over the spans found in a text that stay fast on long texts (a document may hold
//! thousands of cue occurrences): which listed span contains a given one, and whether a
//! sentence ends between two offsets.

/// Chars that end a sentence.
pub(crate) const SENTENCE_ENDS: &[char] = &['。', '；', '！', '？', '!', '?', ';', '\n'];

/// Chars that end a clause besides those that end a sentence.
const CLAUSE_ONLY_ENDS: &[char] = &['，', ',', '：', ':'];

/// Spans `(start, end, tag)` sorted by start, for "which span contains this one".
pub(crate) struct SpanIndex<T> {
    spans: Vec<(usize, usize, T)>,
    /// The longest span: a span containing `start` begins at most this far before it.
    longest: usize,
}

impl<T> SpanIndex<T> {
    /// Indexes `spans`.
    pub fn new(mut spans: Vec<(usize, usize, T)>) -> SpanIndex<T> {
        spans.sort_by_key(|s| (s.0, s.1));
        let longest = spans.iter().map(|s| s.1 - s.0).max().unwrap_or(0);
        SpanIndex { spans, longest }
    }

    /// A span holding `start..end` that `accept` takes, if any.
    pub fn containing(
        &self,
        start: usize,
        end: usize,
        accept: impl Fn(&(usize, usize, T)) -> bool,
    ) -> Option<&(usize, usize, T)> {
        let upper = self.spans.partition_point(|s| s.0 <= start);
        self.spans[..upper]
            .iter()
            .rev()
            .take_while(|s| s.0 + self.longest >= start)
            .find(|s| end <= s.1 && accept(s))
    }
}

/// Where sentences (or clauses) end, as prefix counts: whether one ends between two offsets in
/// O(1).
pub(crate) struct SentenceEnds {
    /// `before[i]`: sentence-ending chars among the first `i` chars.
    before: Vec<u32>,
}

impl SentenceEnds {
    /// Sentence ends in `chars`.
    pub fn new(chars: &[char]) -> SentenceEnds {
        SentenceEnds::of(chars, |c| SENTENCE_ENDS.contains(c))
    }

    /// Clause ends in `chars`.
    pub fn clauses(chars: &[char]) -> SentenceEnds {
        SentenceEnds::of(chars, |c| {
            SENTENCE_ENDS.contains(c) || CLAUSE_ONLY_ENDS.contains(c)
        })
    }

    fn of(chars: &[char], ends: impl Fn(&char) -> bool) -> SentenceEnds {
        let mut before = Vec::with_capacity(chars.len() + 1);
        let mut count = 0u32;
        before.push(0);
        for c in chars {
            count += u32::from(ends(c));
            before.push(count);
        }
        SentenceEnds { before }
    }

    /// Which sentence (or clause) char `at` is in, counting from 0.
    pub fn index(&self, at: usize) -> u32 {
        self.before
            .get(at)
            .or(self.before.last())
            .copied()
            .unwrap_or(0)
    }

    /// Whether a sentence ends among chars `from..to`.
    pub fn between(&self, from: usize, to: usize) -> bool {
        match (self.before.get(from), self.before.get(to)) {
            (Some(a), Some(b)) => b > a,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containing_finds_the_span_around_and_only_that() {
        let index = SpanIndex::new(vec![(0, 10, 'a'), (3, 5, 'b'), (20, 22, 'c')]);
        assert_eq!(index.containing(4, 5, |_| true).map(|s| s.2), Some('b'));
        assert_eq!(
            index.containing(4, 5, |s| s.2 == 'a').map(|s| s.2),
            Some('a')
        );
        assert_eq!(index.containing(8, 12, |_| true), None);
        assert_eq!(index.containing(20, 22, |_| true).map(|s| s.2), Some('c'));
        assert_eq!(index.containing(30, 31, |_| true), None);
    }

    #[test]
    fn sentence_ends_between_offsets() {
        let chars: Vec<char> = "甲乙。丙丁".chars().collect();
        let ends = SentenceEnds::new(&chars);
        assert!(ends.between(0, 3));
        assert!(!ends.between(0, 2));
        assert!(!ends.between(3, 5));
        assert!(!ends.between(9, 10));
        let chars: Vec<char> = "甲，乙".chars().collect();
        assert!(!SentenceEnds::new(&chars).between(0, 3));
        assert!(SentenceEnds::clauses(&chars).between(0, 3));
    }
}
