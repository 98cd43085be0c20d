//! A text prepared for matching: the normalized form (width, case, script folded), a form that
//! keeps the case of Latin letters (for acronyms and ISO codes), and the way back from char
//! offsets to the original's words. All three forms have the same chars, one for one.

use crate::analysis::{fold_char, Normalized};

/// A text in its matching forms. Offsets everywhere in the tagger are char indices.
pub(crate) struct Text<'a> {
    /// The text as given.
    pub original: &'a str,
    /// Normalized: width, case and traditional characters folded.
    pub norm: Normalized,
    /// The normalized chars, for look-around.
    pub chars: Vec<char>,
    /// Like `norm` but Latin letters keep their case (full-width ones are still folded).
    pub cased: String,
    /// Byte offset in `cased` of each char, plus one at the end.
    cased_starts: Vec<usize>,
}

impl<'a> Text<'a> {
    /// Prepares `original`.
    pub fn new(original: &'a str) -> Text<'a> {
        let norm = Normalized::new(original);
        let chars: Vec<char> = norm.text.chars().collect();
        let mut cased = String::with_capacity(original.len());
        let mut cased_starts = Vec::with_capacity(chars.len() + 1);
        for c in original.chars() {
            cased_starts.push(cased.len());
            cased.push(fold_keeping_case(c));
        }
        cased_starts.push(cased.len());
        Text {
            original,
            norm,
            chars,
            cased,
            cased_starts,
        }
    }

    /// Number of chars.
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// The char at `index` of the normalized text, if any.
    pub fn char_at(&self, index: usize) -> Option<char> {
        self.chars.get(index).copied()
    }

    /// The original words of chars `start..end`.
    pub fn word(&self, start: usize, end: usize) -> String {
        self.original[self.norm.orig_byte(start)..self.norm.orig_byte(end)].to_string()
    }

    /// The normalized chars `start..end`.
    pub fn norm_slice(&self, start: usize, end: usize) -> &str {
        &self.norm.text[self.norm.norm_byte(start)..self.norm.norm_byte(end)]
    }

    /// Char index of a byte offset of the normalized text.
    pub fn char_of_norm_byte(&self, byte: usize) -> usize {
        self.norm.char_of_norm_byte(byte)
    }

    /// Char index of a byte offset of the case-keeping text.
    pub fn char_of_cased_byte(&self, byte: usize) -> usize {
        self.cased_starts
            .binary_search(&byte)
            .unwrap_or_else(|insert_at| insert_at)
    }
}

/// Folds one char like the analysis does, except that ASCII letters (and full-width ones,
/// after width folding) keep their case.
fn fold_keeping_case(c: char) -> char {
    let code = c as u32;
    if code < 0x80 {
        return c;
    }
    if (0xFF01..=0xFF5E).contains(&code) {
        return char::from_u32(code - 0xFEE0).unwrap_or(c);
    }
    fold_char(c)
}
