//! Phrase sets: many words, each pointing at what it means, found in a [`Text`] with one
//! Aho-Corasick pass. Words are matched on the normalized text (so traditional, full-width and
//! upper/lower-case input all match), except upper-case Latin acronyms and codes (DEA, UN, MM),
//! which must appear in upper case. A word that begins or ends with a Latin letter or digit
//! matches only as a whole word there (`meth` is not found in `method`).

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};

use super::text::Text;
use super::TaggerError;
use crate::analysis::normalize_str;

/// How overlapping words are resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Overlaps {
    /// Leftmost-longest: at each place the longest word wins, and a word inside a longer one
    /// found in the other (case-keeping) pass is dropped too.
    Longest,
    /// Every occurrence of every word, overlapping or not.
    All,
}

/// One occurrence: chars `start..end`, and the index of the distinct word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Occurrence {
    /// First char.
    pub start: usize,
    /// One past the last char.
    pub end: usize,
    /// Which distinct word (an index into the set's targets).
    pub word: usize,
}

/// Whether a word is an upper-case Latin acronym (two letters or more, none lower case).
pub(crate) fn is_acronym(word: &str) -> bool {
    word.is_ascii()
        && word.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 2
        && !word.chars().any(|c| c.is_ascii_lowercase())
}

/// A set of words with their targets.
pub(crate) struct PhraseSet<T> {
    /// Per distinct word: what it means (one word may mean several things).
    targets: Vec<Vec<T>>,
    /// Per distinct word: whether its first / last char is a Latin letter or digit.
    latin_edges: Vec<(bool, bool)>,
    /// The normalized-text automaton and, per automaton pattern, the distinct word.
    folded: Option<(AhoCorasick, Vec<usize>)>,
    /// The case-keeping automaton (acronyms) and its distinct words.
    cased: Option<(AhoCorasick, Vec<usize>)>,
    overlaps: Overlaps,
}

impl<T> std::fmt::Debug for PhraseSet<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PhraseSet")
            .field("words", &self.targets.len())
            .finish_non_exhaustive()
    }
}

impl<T> PhraseSet<T> {
    /// Builds the set. `case_sensitive` words (besides acronyms, which always are) are matched
    /// in the case-keeping text.
    pub fn new(
        entries: impl IntoIterator<Item = (String, T, bool)>,
        overlaps: Overlaps,
    ) -> Result<PhraseSet<T>, TaggerError> {
        let mut index: HashMap<(bool, String), usize> = HashMap::new();
        let mut targets: Vec<Vec<T>> = Vec::new();
        let mut latin_edges = Vec::new();
        let mut folded_words: Vec<String> = Vec::new();
        let mut folded_ids = Vec::new();
        let mut cased_words: Vec<String> = Vec::new();
        let mut cased_ids = Vec::new();
        for (word, target, case_sensitive) in entries {
            let word = word.trim();
            if word.is_empty() {
                continue;
            }
            let cased = case_sensitive || is_acronym(word);
            let key = if cased {
                word.to_string()
            } else {
                normalize_str(word)
            };
            let id = match index.get(&(cased, key.clone())) {
                Some(&id) => id,
                None => {
                    let id = targets.len();
                    targets.push(Vec::new());
                    let first = key
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphanumeric());
                    let last = key
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_ascii_alphanumeric());
                    latin_edges.push((first, last));
                    if cased {
                        cased_words.push(key.clone());
                        cased_ids.push(id);
                    } else {
                        folded_words.push(key.clone());
                        folded_ids.push(id);
                    }
                    index.insert((cased, key), id);
                    id
                }
            };
            targets[id].push(target);
        }
        let kind = match overlaps {
            Overlaps::Longest => MatchKind::LeftmostLongest,
            Overlaps::All => MatchKind::Standard,
        };
        let build = |words: &[String], ids: Vec<usize>| -> Result<_, TaggerError> {
            if words.is_empty() {
                return Ok(None);
            }
            let automaton = AhoCorasick::builder()
                .match_kind(kind)
                .build(words)
                .map_err(|e| TaggerError::Build(e.to_string()))?;
            Ok(Some((automaton, ids)))
        };
        Ok(PhraseSet {
            folded: build(&folded_words, folded_ids)?,
            cased: build(&cased_words, cased_ids)?,
            targets,
            latin_edges,
            overlaps,
        })
    }

    /// What the distinct word `word` means.
    pub fn targets(&self, word: usize) -> &[T] {
        &self.targets[word]
    }

    /// Every occurrence in `text`, in order of start (then longest first).
    pub fn find(&self, text: &Text) -> Vec<Occurrence> {
        let mut found = Vec::new();
        if let Some((automaton, ids)) = &self.folded {
            self.collect(automaton, ids, &text.norm.text, text, false, &mut found);
        }
        if let Some((automaton, ids)) = &self.cased {
            self.collect(automaton, ids, &text.cased, text, true, &mut found);
        }
        found.sort_by_key(|o| (o.start, std::cmp::Reverse(o.end), o.word));
        found.dedup();
        if self.overlaps == Overlaps::Longest && self.folded.is_some() && self.cased.is_some() {
            found = drop_contained(found);
        }
        found
    }

    fn collect(
        &self,
        automaton: &AhoCorasick,
        ids: &[usize],
        haystack: &str,
        text: &Text,
        cased: bool,
        found: &mut Vec<Occurrence>,
    ) {
        let mut push = |m: aho_corasick::Match| {
            let (start, end) = if cased {
                (
                    text.char_of_cased_byte(m.start()),
                    text.char_of_cased_byte(m.end()),
                )
            } else {
                (
                    text.char_of_norm_byte(m.start()),
                    text.char_of_norm_byte(m.end()),
                )
            };
            let word = ids[m.pattern().as_usize()];
            let (first_latin, last_latin) = self.latin_edges[word];
            let latin_at = |index: Option<usize>| {
                index
                    .and_then(|i| text.char_at(i))
                    .is_some_and(|c| c.is_ascii_alphanumeric())
            };
            if first_latin && latin_at(start.checked_sub(1)) {
                return;
            }
            if last_latin && latin_at(Some(end)) {
                return;
            }
            found.push(Occurrence { start, end, word });
        };
        match self.overlaps {
            Overlaps::Longest => automaton.find_iter(haystack).for_each(&mut push),
            Overlaps::All => automaton
                .find_overlapping_iter(haystack)
                .for_each(&mut push),
        }
    }
}

/// Drops every occurrence that lies strictly inside another (sorted by start, longest first).
pub(crate) fn drop_contained(found: Vec<Occurrence>) -> Vec<Occurrence> {
    // A container starts at most the longest word's length before what it contains; kept is
    // in start order, so only that tail of it is looked at (long texts stay linear).
    let longest = found.iter().map(|o| o.end - o.start).max().unwrap_or(0);
    let mut kept: Vec<Occurrence> = Vec::with_capacity(found.len());
    for occurrence in found {
        let inside = kept
            .iter()
            .rev()
            .take_while(|k| k.start + longest >= occurrence.start)
            .any(|k| {
                k.start <= occurrence.start
                    && occurrence.end <= k.end
                    && (k.end - k.start) > (occurrence.end - occurrence.start)
            });
        if !inside {
            kept.push(occurrence);
        }
    }
    kept
}
