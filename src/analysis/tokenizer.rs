//! The analyzer as tantivy tokenizers, registered under fixed names on every opened index.

use std::sync::Arc;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::analyzer::{AnalyzedToken, Analyzer, Side};
use super::normalize::Normalized;

/// Tokenizer name of the jieba word fields (index side, search mode).
pub const WORDS_TOKENIZER: &str = "jindu_words";
/// Tokenizer name of the character-bigram field.
pub const GRAMS_TOKENIZER: &str = "jindu_grams";

/// What a [`JinduTokenizer`] emits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// jieba words for a side.
    Words(Side),
    /// character bigrams.
    Grams,
}

/// Positions left between two values of one field (the title and the body of the combined
/// fields), so that no phrase spans them.
pub const VALUE_POSITION_GAP: usize = 64;

/// A tantivy tokenizer over a shared [`Analyzer`]; cloning it shares the dictionary. It keeps
/// its buffers between texts (tantivy's indexing threads each hold their own clone).
pub struct JinduTokenizer {
    analyzer: Arc<Analyzer>,
    kind: TokenKind,
    norm: Normalized,
    analyzed: Vec<AnalyzedToken>,
    tokens: Vec<Token>,
}

impl Clone for JinduTokenizer {
    fn clone(&self) -> Self {
        JinduTokenizer::new(Arc::clone(&self.analyzer), self.kind)
    }
}

impl JinduTokenizer {
    /// A tokenizer of `kind` over `analyzer`.
    pub fn new(analyzer: Arc<Analyzer>, kind: TokenKind) -> JinduTokenizer {
        JinduTokenizer {
            analyzer,
            kind,
            norm: Normalized::default(),
            analyzed: Vec::new(),
            tokens: Vec::new(),
        }
    }
}

/// Converts analyzed tokens into tantivy tokens (byte offsets into the original text).
pub fn to_tantivy_tokens(tokens: &[AnalyzedToken]) -> Vec<Token> {
    tokens.iter().cloned().map(to_tantivy_token).collect()
}

/// Converts one analyzed token, moving its text.
pub fn to_tantivy_token(token: AnalyzedToken) -> Token {
    Token {
        offset_from: token.byte_start,
        offset_to: token.byte_end,
        position: token.position as usize,
        text: token.text,
        position_length: 1,
    }
}

impl Tokenizer for JinduTokenizer {
    type TokenStream<'a> = SliceTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SliceTokenStream<'a> {
        self.norm.reset(text);
        self.analyzed.clear();
        match self.kind {
            TokenKind::Words(side) => self.analyzer.words(&self.norm, side, &mut self.analyzed),
            TokenKind::Grams => Analyzer::grams(&self.norm, &mut self.analyzed),
        }
        self.tokens.clear();
        self.tokens
            .extend(self.analyzed.drain(..).map(to_tantivy_token));
        if self.kind != TokenKind::Words(Side::Query) {
            // The last token reaches past the value's end, so a next value of the same field
            // (the body after the title) starts further on.
            if let Some(last) = self.tokens.iter_mut().max_by_key(|t| t.position) {
                last.position_length = VALUE_POSITION_GAP;
            }
        }
        SliceTokenStream {
            tokens: &mut self.tokens,
            next: 0,
        }
    }
}

/// A token stream over tokens computed up front, in the tokenizer's buffer.
pub struct SliceTokenStream<'a> {
    tokens: &'a mut Vec<Token>,
    next: usize,
}

impl TokenStream for SliceTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}
