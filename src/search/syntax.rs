//! The query syntax, read leniently: words (spaced, or unspaced runs that are segmented later),
//! `"exact phrase"` (also “…” and 「…」), `-exclusion` (also `－`, `−`), and `OR` between two terms. Nothing here
//! fails: an unclosed quote runs to the end, a dangling `OR` or `-` is ignored.

/// One piece of a query string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chunk {
    /// Unquoted text up to the next space.
    Term {
        /// The text.
        text: String,
        /// Preceded by `-`.
        negated: bool,
    },
    /// Quoted text.
    Phrase {
        /// The text between the quotes.
        text: String,
        /// Preceded by `-`.
        negated: bool,
    },
    /// The `OR` operator.
    Or,
}

fn is_open_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '「' | '『' | '＂' | '„')
}

fn closing_quotes(open: char) -> &'static [char] {
    match open {
        '「' => &['」'],
        '『' => &['』'],
        _ => &['"', '“', '”', '＂', '„'],
    }
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}'
}

/// Splits a query into chunks.
pub fn split(query: &str) -> Vec<Chunk> {
    let chars: Vec<char> = query.chars().collect();
    let mut chunks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if is_space(chars[i]) {
            i += 1;
            continue;
        }
        let mut negated = false;
        while i < chars.len() && matches!(chars[i], '-' | '－' | '−' | '+' | '＋') {
            negated |= matches!(chars[i], '-' | '－' | '−');
            i += 1;
        }
        if i >= chars.len() || is_space(chars[i]) {
            continue;
        }
        if is_open_quote(chars[i]) {
            let closers = closing_quotes(chars[i]);
            let start = i + 1;
            let mut end = start;
            while end < chars.len() && !closers.contains(&chars[end]) {
                end += 1;
            }
            let text: String = chars[start..end].iter().collect();
            if !text.trim().is_empty() {
                chunks.push(Chunk::Phrase { text, negated });
            }
            i = (end + 1).min(chars.len());
            continue;
        }
        let start = i;
        while i < chars.len() && !is_space(chars[i]) && !is_open_quote(chars[i]) {
            i += 1;
        }
        let text: String = chars[start..i].iter().collect();
        if !negated && (text == "OR" || text == "|" || text == "||") {
            chunks.push(Chunk::Or);
        } else {
            chunks.push(Chunk::Term { text, negated });
        }
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(text: &str) -> Chunk {
        Chunk::Term {
            text: text.to_string(),
            negated: false,
        }
    }

    #[test]
    fn splits_words_phrases_exclusions_and_or() {
        assert_eq!(
            split(r#"控制下交付 "联合 侦查" -缅甸 泰国 OR 老挝"#),
            vec![
                term("控制下交付"),
                Chunk::Phrase {
                    text: "联合 侦查".to_string(),
                    negated: false
                },
                Chunk::Term {
                    text: "缅甸".to_string(),
                    negated: true
                },
                term("泰国"),
                Chunk::Or,
                term("老挝"),
            ]
        );
    }

    #[test]
    fn degrades_gracefully() {
        assert_eq!(
            split("“湄公河 - OR"),
            vec![Chunk::Phrase {
                text: "湄公河 - OR".to_string(),
                negated: false
            }]
        );
        assert_eq!(split(" - -- "), vec![]);
        assert_eq!(split("a\u{3000}b"), vec![term("a"), term("b")]);
    }
}
