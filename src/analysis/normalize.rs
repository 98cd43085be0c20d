//! Character normalization that keeps one output char per input char, so offsets map back.
//!
//! Full-width forms fold to ASCII, letters fold to lower case, traditional characters fold to
//! simplified ones and the middle-dot family (·•・‧) folds to `·`. Because every character maps
//! to exactly one character, a char index in the normalized text is the same char index in the
//! original, and [`Normalized::orig_byte`] turns it into a byte offset of the original text.

use std::sync::OnceLock;

/// The canonical middle dot that every dot-like separator folds to.
pub const MIDDLE_DOT: char = '·';

/// Text after normalization, with the way back to the original's byte offsets.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    /// The normalized text; it has as many chars as the original.
    pub text: String,
    /// For each char index `i` of `text`, the byte offset of char `i` in the original; one more
    /// entry at the end holds the original's length.
    orig_starts: Vec<u32>,
    /// For each char index `i`, the byte offset of char `i` in `text`; one more entry at the end.
    norm_starts: Vec<u32>,
    /// For each char index `i`, how many kept chars (letters, digits, Han) come before it; one
    /// more entry at the end. Token positions are taken from here, so that punctuation and
    /// spacing do not change phrase adjacency and sub-words line up with their compounds.
    kept_before: Vec<u32>,
}

impl Normalized {
    /// Normalizes `original`.
    pub fn new(original: &str) -> Normalized {
        let mut normalized = Normalized::default();
        normalized.reset(original);
        normalized
    }

    /// Normalizes `original` into this value, reusing its buffers.
    pub fn reset(&mut self, original: &str) {
        self.text.clear();
        self.orig_starts.clear();
        self.norm_starts.clear();
        self.kept_before.clear();
        self.text.reserve(original.len());
        let mut kept = 0u32;
        for (byte, c) in original.char_indices() {
            self.orig_starts.push(byte as u32);
            self.norm_starts.push(self.text.len() as u32);
            self.kept_before.push(kept);
            let folded = fold_char(c);
            if is_kept(folded) {
                kept += 1;
            }
            self.text.push(folded);
        }
        self.orig_starts.push(original.len() as u32);
        self.norm_starts.push(self.text.len() as u32);
        self.kept_before.push(kept);
    }

    /// The token position of a token starting at char index `char_idx`.
    pub fn position(&self, char_idx: usize) -> u32 {
        self.kept_before[char_idx]
    }

    /// Number of kept chars in the whole text (the position after the last token).
    pub fn kept_len(&self) -> u32 {
        self.kept_before.last().copied().unwrap_or(0)
    }

    /// Number of chars (the same in the original and the normalized text).
    pub fn char_len(&self) -> usize {
        self.orig_starts.len() - 1
    }

    /// Byte offset in the original text of char index `char_idx` (may be `char_len()`).
    pub fn orig_byte(&self, char_idx: usize) -> usize {
        self.orig_starts[char_idx] as usize
    }

    /// Byte offset in the normalized text of char index `char_idx` (may be `char_len()`).
    pub fn norm_byte(&self, char_idx: usize) -> usize {
        self.norm_starts[char_idx] as usize
    }

    /// Char index of a byte offset of the normalized text (which must be on a char boundary).
    pub fn char_of_norm_byte(&self, byte: usize) -> usize {
        self.norm_starts
            .binary_search(&(byte as u32))
            .unwrap_or_else(|insert_at| insert_at)
    }
}

/// Normalizes a string without keeping offsets (dictionary words, filter values, queries).
pub fn normalize_str(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

/// Folds one char: width, case, script and dots. Always exactly one char out.
pub fn fold_char(c: char) -> char {
    let code = c as u32;
    if code < 0x80 {
        return c.to_ascii_lowercase();
    }
    // Full-width ASCII variants and the ideographic space.
    if (0xFF01..=0xFF5E).contains(&code) {
        let ascii = char::from_u32(code - 0xFEE0).unwrap_or(c);
        return ascii.to_ascii_lowercase();
    }
    if (DENSE_FIRST..=DENSE_LAST).contains(&code) {
        // Han: the common case, one array lookup.
        return simplified(c).unwrap_or(c);
    }
    if code == 0x3000 || code == 0x00A0 {
        return ' ';
    }
    if is_middle_dot(c) {
        return MIDDLE_DOT;
    }
    if let Some(simplified) = simplified(c) {
        return simplified;
    }
    if c.is_uppercase() {
        let mut lower = c.to_lowercase();
        if let (Some(only), None) = (lower.next(), lower.next()) {
            return only;
        }
    }
    c
}

/// The dot-like separators that appear in names such as 10·5 and 湄公河“10•5”案.
pub fn is_middle_dot(c: char) -> bool {
    matches!(
        c,
        '\u{00B7}'
            | '\u{2022}'
            | '\u{30FB}'
            | '\u{2027}'
            | '\u{2219}'
            | '\u{22C5}'
            | '\u{318D}'
            | '\u{FF65}'
            | '\u{0387}'
    )
}

/// Whether a char belongs to the Han script (CJK unified ideographs and their extensions).
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F | 0x3007)
}

/// Whether a char is kept by the analysis (it can be part of a token): letters, digits, Han.
pub fn is_kept(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    // Han first: `is_alphanumeric` takes a slow table walk for CJK.
    is_han(c) || c.is_alphanumeric()
}

/// First and last code point of the dense simplification table (CJK Extension A through the
/// unified ideographs); rarer characters go through a map.
const DENSE_FIRST: u32 = 0x3400;
const DENSE_LAST: u32 = 0x9FFF;

/// Traditional → simplified, one char to one char, from OpenCC's TSCharacters table (via the
/// MIT-licensed `hanconv` crate): a flat array for the common range (a lookup per character of
/// every indexed text, so no hashing), a map for the rest.
struct Simplification {
    dense: Vec<u32>,
    sparse: std::collections::HashMap<char, char>,
}

fn simplification() -> &'static Simplification {
    static TABLE: OnceLock<Simplification> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Simplification {
            dense: vec![0; (DENSE_LAST - DENSE_FIRST + 1) as usize],
            sparse: std::collections::HashMap::new(),
        };
        for (traditional, simplified) in hanconv::RawDictionary::TSCharacters.iter() {
            let mut from = traditional.chars();
            let mut to = simplified.chars();
            if let (Some(f), None, Some(t), None) = (from.next(), from.next(), to.next(), to.next())
            {
                if f == t {
                    continue;
                }
                let code = f as u32;
                if (DENSE_FIRST..=DENSE_LAST).contains(&code) {
                    table.dense[(code - DENSE_FIRST) as usize] = t as u32;
                } else {
                    table.sparse.insert(f, t);
                }
            }
        }
        table.follow_chains();
        table
    })
}

impl Simplification {
    fn get(&self, c: char) -> Option<char> {
        let code = c as u32;
        if (DENSE_FIRST..=DENSE_LAST).contains(&code) {
            match self.dense[(code - DENSE_FIRST) as usize] {
                0 => None,
                mapped => char::from_u32(mapped),
            }
        } else {
            self.sparse.get(&c).copied()
        }
    }

    /// Some simplified forms are themselves keys of the table (A → B and B → C); mapping every
    /// key to the end of its chain makes folding idempotent, so a query folded twice (once by
    /// the caller, once by the analyzer) matches what the index holds.
    fn follow_chains(&mut self) {
        let keys: Vec<char> = (DENSE_FIRST..=DENSE_LAST)
            .filter_map(char::from_u32)
            .chain(self.sparse.keys().copied())
            .collect();
        for key in keys {
            let Some(mut end) = self.get(key) else {
                continue;
            };
            // Chains are short; the bound also stops a cycle.
            for _ in 0..8 {
                match self.get(end) {
                    Some(next) if next != key && next != end => end = next,
                    _ => break,
                }
            }
            let code = key as u32;
            if (DENSE_FIRST..=DENSE_LAST).contains(&code) {
                self.dense[(code - DENSE_FIRST) as usize] = end as u32;
            } else {
                self.sparse.insert(key, end);
            }
        }
    }
}

/// The simplified form of a traditional character, or `None` when it has no single-char
/// mapping.
fn simplified(c: char) -> Option<char> {
    let code = c as u32;
    if code < 0x2E80 {
        return None;
    }
    simplification().get(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_width_case_script_and_dots() {
        assert_eq!(normalize_str("ＤＥＡ"), "dea");
        assert_eq!(normalize_str("緬甸禁毒"), "缅甸禁毒");
        assert_eq!(normalize_str("10•5"), "10·5");
        assert_eq!(normalize_str("10・5"), "10·5");
        assert_eq!(normalize_str("１２３　ＡＢ"), "123 ab");
    }

    #[test]
    fn folding_twice_changes_nothing() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let once = fold_char(c);
            assert_eq!(
                fold_char(once),
                once,
                "U+{:04X} folds to U+{:04X}, which folds again",
                c as u32,
                once as u32
            );
        }
    }

    #[test]
    fn keeps_char_count_and_maps_offsets_back() {
        let original = "湄公河“10•5”案，ＤＥＡ與緬甸";
        let n = Normalized::new(original);
        assert_eq!(n.char_len(), original.chars().count());
        assert_eq!(n.text.chars().count(), original.chars().count());
        let idx = n.text.chars().position(|c| c == '缅').unwrap_or(0);
        assert_eq!(&original[n.orig_byte(idx)..n.orig_byte(idx + 2)], "緬甸");
        assert_eq!(n.char_of_norm_byte(n.norm_byte(idx)), idx);
    }
}
