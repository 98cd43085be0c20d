//! Highlighting and snippets over stored text: the query's normalized words are found in the
//! normalized text (so sub-words inside compounds, traditional characters and full-width forms
//! all match) and mapped back to the original characters; adjacent matches merge into one mark.
//! Snippets never cut a character and are HTML-escaped except for the `<mark>` tags.

use serde::Serialize;

use crate::analysis::{fold_char, normalize_str};

/// Default snippet length, in characters.
pub const DEFAULT_SNIPPET_CHARS: usize = 120;
/// Most matches considered per text (the rest are not highlighted).
const MAX_MATCHES: usize = 2_000;

/// A highlighted range, in Unicode code points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Range {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
}

/// A snippet: a window of the text with its highlights.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// HTML: escaped text with `<mark>` around matches.
    pub html: String,
    /// The same text, unescaped and unmarked.
    pub text: String,
    /// The marked ranges, in code points of `text`.
    pub highlights: Vec<Range>,
}

/// The needles of a query, normalized, longest first.
#[derive(Debug, Clone, Default)]
pub struct Highlighter {
    needles: Vec<Vec<char>>,
}

impl Highlighter {
    /// A highlighter for these (already normalized) query texts.
    pub fn new(needles: &[String]) -> Highlighter {
        let mut needles: Vec<Vec<char>> = needles
            .iter()
            .map(|n| normalize_str(n).chars().collect::<Vec<char>>())
            .filter(|n| !n.is_empty())
            .collect();
        needles.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        needles.dedup();
        Highlighter { needles }
    }

    /// Whether there is nothing to highlight.
    pub fn is_empty(&self) -> bool {
        self.needles.is_empty()
    }

    /// The matched ranges in `text` (code points), merged where they overlap or touch.
    pub fn ranges(&self, text: &str) -> Vec<Range> {
        if self.needles.is_empty() || text.is_empty() {
            return Vec::new();
        }
        let chars: Vec<char> = text.chars().map(fold_char).collect();
        self.ranges_in(&chars)
    }

    fn ranges_in(&self, chars: &[char]) -> Vec<Range> {
        let mut found: Vec<Range> = Vec::new();
        for needle in &self.needles {
            let n = needle.len();
            if n > chars.len() {
                continue;
            }
            let first = needle[0];
            let mut i = 0;
            while i + n <= chars.len() && found.len() < MAX_MATCHES {
                if chars[i] == first
                    && chars[i..i + n] == needle[..]
                    && on_boundaries(chars, needle, i)
                {
                    found.push(Range {
                        start: i,
                        end: i + n,
                    });
                    i += n;
                } else {
                    i += 1;
                }
            }
        }
        merge(found)
    }

    /// A snippet of about `max_chars` characters around the best cluster of matches (or the
    /// beginning of the text when nothing matches).
    pub fn snippet(&self, text: &str, max_chars: usize) -> Snippet {
        let original: Vec<char> = text.chars().collect();
        let ranges = if self.needles.is_empty() {
            Vec::new()
        } else {
            // Folding is one char for one char, so ranges in the folded chars are ranges in
            // the original's.
            let folded: Vec<char> = original.iter().map(|&c| fold_char(c)).collect();
            self.ranges_in(&folded)
        };
        let (start, end) = window(&original, &ranges, max_chars.max(1));
        render(&original, &ranges, start, end)
    }
}

/// Latin letters and digits only match whole: `dea` is not found in `idea`, nor `2012` in `20123`.
fn on_boundaries(chars: &[char], needle: &[char], at: usize) -> bool {
    let alnum = |c: char| c.is_ascii_alphanumeric();
    let before_ok = !alnum(needle[0]) || at == 0 || !alnum(chars[at - 1]);
    let end = at + needle.len();
    let after_ok = !alnum(needle[needle.len() - 1]) || end >= chars.len() || !alnum(chars[end]);
    before_ok && after_ok
}

fn merge(mut ranges: Vec<Range>) -> Vec<Range> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '\n' | '!' | '?' | ';')
}

/// Chooses the window `[start, end)` of at most `max_chars` characters holding the most matched
/// characters, starting at a sentence start shortly before the first match when one is near.
fn window(chars: &[char], ranges: &[Range], max_chars: usize) -> (usize, usize) {
    let len = chars.len();
    if len <= max_chars {
        return (0, len);
    }
    if ranges.is_empty() {
        return (0, max_chars);
    }
    // The best run of ranges that fits in the window, by matched characters, then by being early.
    let mut best = (0usize, 0usize);
    let mut best_score = 0usize;
    let mut j = 0;
    let mut covered = 0usize;
    for i in 0..ranges.len() {
        if j < i {
            j = i;
            covered = 0;
        }
        while j < ranges.len() && ranges[j].end - ranges[i].start <= max_chars {
            covered += ranges[j].end - ranges[j].start;
            j += 1;
        }
        if j > i && covered > best_score {
            best_score = covered;
            best = (i, j);
        }
        if j > i {
            covered -= ranges[i].end - ranges[i].start;
        }
    }
    let (first, last) = if best.1 > best.0 {
        (ranges[best.0], ranges[best.1 - 1])
    } else {
        (ranges[0], ranges[0])
    };
    let span = last.end.saturating_sub(first.start);
    let slack = max_chars.saturating_sub(span);
    // Up to a fifth of the window (or all the slack) before the first match, back to a
    // sentence start if one is close.
    let lead = (max_chars / 5).min(slack);
    let mut start = first.start.saturating_sub(lead);
    if let Some(offset) = chars[start..first.start]
        .iter()
        .rposition(|&c| is_sentence_end(c))
    {
        start += offset + 1;
    }
    while start < first.start && chars[start].is_whitespace() {
        start += 1;
    }
    let mut end = (start + max_chars).min(len);
    if end == len {
        start = len.saturating_sub(max_chars).min(start);
    }
    if end < last.end {
        end = last.end.min(len);
    }
    (start, end)
}

fn escape_into(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        _ => out.push(c),
    }
}

/// Escapes text for HTML.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        escape_into(&mut out, c);
    }
    out
}

fn render(chars: &[char], ranges: &[Range], start: usize, end: usize) -> Snippet {
    let mut text = String::new();
    let mut html = String::new();
    let mut highlights = Vec::new();
    let mut offset = 0usize;
    if start > 0 {
        text.push('…');
        html.push('…');
        offset = 1;
    }
    let mut range_iter = ranges
        .iter()
        .filter(|r| r.end > start && r.start < end)
        .map(|r| Range {
            start: r.start.max(start),
            end: r.end.min(end),
        })
        .peekable();
    let mut open: Option<Range> = None;
    for (i, &raw) in chars.iter().enumerate().take(end).skip(start) {
        let c = if matches!(raw, '\n' | '\r' | '\t') {
            ' '
        } else {
            raw
        };
        if open.is_none() {
            if let Some(range) = range_iter.peek().copied() {
                if range.start == i {
                    html.push_str("<mark>");
                    open = Some(range);
                    range_iter.next();
                }
            }
        }
        text.push(c);
        escape_into(&mut html, c);
        if let Some(range) = open {
            if i + 1 == range.end {
                html.push_str("</mark>");
                highlights.push(Range {
                    start: range.start - start + offset,
                    end: range.end - start + offset,
                });
                open = None;
            }
        }
    }
    if end < chars.len() {
        text.push('…');
        html.push('…');
    }
    Snippet {
        html,
        text,
        highlights,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needles(words: &[&str]) -> Highlighter {
        Highlighter::new(&words.iter().map(|w| w.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn marks_sub_words_traditional_and_merges_adjacent() {
        let h = needles(&["缅甸", "禁毒"]);
        let s = h.snippet("中國與緬甸禁毒合作", 50);
        assert_eq!(s.html, "中國與<mark>緬甸禁毒</mark>合作");
        assert_eq!(s.text, "中國與緬甸禁毒合作");
        assert_eq!(s.highlights, vec![Range { start: 3, end: 7 }]);
    }

    #[test]
    fn escapes_and_respects_latin_word_boundaries() {
        let h = needles(&["dea"]);
        let s = h.snippet("<b>DEA</b> has an idea", 80);
        assert_eq!(s.html, "&lt;b&gt;<mark>DEA</mark>&lt;/b&gt; has an idea");
    }

    #[test]
    fn windows_are_bounded_and_hold_the_match() {
        let body: String = "前言。".repeat(100) + "控制下交付行动。" + &"后记。".repeat(100);
        let h = needles(&["控制下交付"]);
        let s = h.snippet(&body, 40);
        assert!(s.text.chars().count() <= 42, "{}", s.text);
        assert!(s.html.contains("<mark>控制下交付</mark>"));
        let r = s.highlights[0];
        let marked: String = s.text.chars().skip(r.start).take(r.end - r.start).collect();
        assert_eq!(marked, "控制下交付");
    }
}
