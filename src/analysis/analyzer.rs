//! The analyzer: normalization plus jieba (HMM off) into tokens with original byte offsets and
//! kept-char positions, for jieba words (index side: search mode; query side: default mode) and
//! for character bigrams.

use std::collections::HashSet;

use jieba_rs::Jieba;
use serde::Serialize;

use super::normalize::{is_han, normalize_str, Normalized};
use crate::knowledge::Knowledge;

/// Bumped whenever a change to the analysis changes the tokens an index holds.
pub const ANALYZER_VERSION: u32 = 1;

/// Which side of the search a text is analyzed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// Documents: jieba search mode, compounds plus their sub-words.
    Index,
    /// Queries: jieba default mode, one reading of the text.
    Query,
}

/// One token, with offsets into the original (un-normalized) text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnalyzedToken {
    /// The normalized token text (what the index holds).
    pub text: String,
    /// Start in Unicode code points of the original text.
    pub start: usize,
    /// End (exclusive) in Unicode code points.
    pub end: usize,
    /// Start byte offset in the original text.
    pub byte_start: usize,
    /// End byte offset (exclusive) in the original text.
    pub byte_end: usize,
    /// Position: the number of letters, digits and Han characters before the token.
    pub position: u32,
}

/// The class of a kept char, for splitting mixed tokens and building bigrams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Han,
    Ascii,
    Other,
}

fn script(c: char) -> Option<Script> {
    if c.is_ascii() {
        c.is_ascii_alphanumeric().then_some(Script::Ascii)
    } else if is_han(c) {
        Some(Script::Han)
    } else if c.is_alphanumeric() {
        Some(Script::Other)
    } else {
        None
    }
}

/// Segments normalized text with jieba and the domain dictionary. Build it once and share it
/// (it holds the 25 MB dictionary); all methods take `&self`.
pub struct Analyzer {
    jieba: Jieba,
    stopwords: HashSet<String>,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("stopwords", &self.stopwords.len())
            .finish_non_exhaustive()
    }
}

impl Analyzer {
    /// Builds jieba's default dictionary plus the knowledge's user dictionary (normalized the
    /// same way as the text, so traditional or full-width entries still match).
    pub fn new(knowledge: &Knowledge) -> Analyzer {
        let mut jieba = Jieba::new();
        for entry in &knowledge.dictionary {
            let word = normalize_str(&entry.word);
            jieba.add_word(&word, entry.freq, entry.tag.as_deref());
        }
        Analyzer {
            jieba,
            stopwords: knowledge.stopwords.clone(),
        }
    }

    /// Whether a normalized query word is a stop word (question word, particle).
    pub fn is_stopword(&self, word: &str) -> bool {
        self.stopwords.contains(word)
    }

    /// Whether jieba's dictionary holds this normalized word.
    pub fn has_word(&self, word: &str) -> bool {
        self.jieba.has_word(word)
    }

    /// Runs jieba's search mode (HMM off) alone over `text`, returning the token count: the
    /// raw segmentation cost, for the benchmark's floor.
    pub fn jieba_search_tokens(&self, text: &str) -> usize {
        self.jieba.cut_for_search(text, false).len()
    }

    /// Analyzes `text` into jieba word tokens for `side`.
    pub fn words_of(&self, text: &str, side: Side) -> Vec<AnalyzedToken> {
        let norm = Normalized::new(text);
        let mut out = Vec::new();
        self.words(&norm, side, &mut out);
        out
    }

    /// Appends the jieba word tokens of `norm` to `out`.
    pub fn words(&self, norm: &Normalized, side: Side, out: &mut Vec<AnalyzedToken>) {
        let tokens = match side {
            Side::Index => self.jieba.cut_for_search(&norm.text, false),
            Side::Query => self.jieba.cut(&norm.text, false),
        };
        // Letters of scripts jieba does not know (Cyrillic, accented Latin) come out one per
        // token; they are joined back into words here.
        let mut other_run: Option<(usize, usize)> = None;
        for token in tokens {
            if token.end == token.start + 1 {
                let c = token.word.chars().next().unwrap_or(' ');
                if script(c) == Some(Script::Other) {
                    other_run = match other_run {
                        Some((start, end)) if end == token.start => Some((start, token.end)),
                        Some((start, end)) => {
                            push_token(norm, start, end, out);
                            Some((token.start, token.end))
                        }
                        None => Some((token.start, token.end)),
                    };
                    continue;
                }
            }
            if let Some((start, end)) = other_run.take() {
                push_token(norm, start, end, out);
            }
            emit_word(norm, token.start, token.end, side, out);
        }
        if let Some((start, end)) = other_run {
            push_token(norm, start, end, out);
        }
    }

    /// Analyzes `text` into character-bigram tokens.
    pub fn grams_of(text: &str) -> Vec<AnalyzedToken> {
        let norm = Normalized::new(text);
        let mut out = Vec::new();
        Analyzer::grams(&norm, &mut out);
        out
    }

    /// Appends the bigram tokens of `norm` to `out`: every pair of adjacent Han characters
    /// (a lone Han character on its own), and every run of Latin letters and digits whole.
    pub fn grams(norm: &Normalized, out: &mut Vec<AnalyzedToken>) {
        let mut run: Option<(Script, usize)> = None;
        let mut index = 0;
        for c in norm.text.chars() {
            let class = script(c);
            if let Some((run_class, start)) = run {
                if class != Some(run_class) {
                    emit_gram_run(norm, run_class, start, index, out);
                    run = None;
                }
            }
            if run.is_none() {
                if let Some(class) = class {
                    run = Some((class, index));
                }
            }
            index += 1;
        }
        if let Some((run_class, start)) = run {
            emit_gram_run(norm, run_class, start, index, out);
        }
    }
}

fn emit_gram_run(
    norm: &Normalized,
    class: Script,
    start: usize,
    end: usize,
    out: &mut Vec<AnalyzedToken>,
) {
    if class != Script::Han || end - start == 1 {
        push_token(norm, start, end, out);
        return;
    }
    for first in start..end - 1 {
        push_token(norm, first, first + 2, out);
    }
}

/// Emits one jieba token (chars `start..end` of `norm`): dropped when it holds no letter, digit
/// or Han character; kept whole when it is of one script; a mixed or connected token (K粉,
/// 合力-2012, wes-5.4.5) is kept whole and, on the index side, also as its single-script parts,
/// so that 合力 and 2012 each find 合力-2012.
fn emit_word(
    norm: &Normalized,
    start: usize,
    end: usize,
    side: Side,
    out: &mut Vec<AnalyzedToken>,
) {
    let word = &norm.text[norm.norm_byte(start)..norm.norm_byte(end)];
    let mut runs: [(usize, usize); 8] = [(0, 0); 8];
    let mut run_count = 0usize;
    let mut overflow = false;
    let mut current: Option<(Script, usize)> = None;
    for (offset, c) in word.chars().enumerate() {
        let index = start + offset;
        let class = script(c);
        if let Some((run_class, run_start)) = current {
            if class != Some(run_class) {
                if run_count < runs.len() {
                    runs[run_count] = (run_start, index);
                    run_count += 1;
                } else {
                    overflow = true;
                }
                current = None;
            }
        }
        if current.is_none() {
            if let Some(class) = class {
                current = Some((class, index));
            }
        }
    }
    if let Some((_, run_start)) = current {
        if run_count < runs.len() {
            runs[run_count] = (run_start, end);
            run_count += 1;
        } else {
            overflow = true;
        }
    }
    if run_count == 0 {
        return;
    }
    let runs = &runs[..run_count];
    if run_count == 1 && runs[0] == (start, end) {
        // One script, the whole token: jieba never emits it twice at one place.
        push_token(norm, start, end, out);
        return;
    }
    let whole = (runs[0].0, runs[run_count - 1].1);
    push_unique(norm, whole.0, whole.1, out);
    if side == Side::Index || overflow {
        for &(run_start, run_end) in runs {
            if (run_start, run_end) != whole {
                push_unique(norm, run_start, run_end, out);
            }
        }
    }
}

/// Pushes a token unless the same text at the same place was just pushed (jieba's search mode
/// already emits the letter parts of connected tokens).
fn push_unique(norm: &Normalized, start: usize, end: usize, out: &mut Vec<AnalyzedToken>) {
    let text = &norm.text[norm.norm_byte(start)..norm.norm_byte(end)];
    let recent = out.len().saturating_sub(12);
    if out[recent..]
        .iter()
        .any(|t| t.start == start && t.end == end && t.text == text)
    {
        return;
    }
    push_token(norm, start, end, out);
}

fn push_token(norm: &Normalized, start: usize, end: usize, out: &mut Vec<AnalyzedToken>) {
    out.push(AnalyzedToken {
        text: norm.text[norm.norm_byte(start)..norm.norm_byte(end)].to_string(),
        start,
        end,
        byte_start: norm.orig_byte(start),
        byte_end: norm.orig_byte(end),
        position: norm.position(start),
    });
}
