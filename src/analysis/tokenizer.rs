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

/// A tantivy tokenizer over a shared [`Analyzer`]; cloning it shares the dictionary.
#[derive(Clone)]
pub struct JinduTokenizer {
    analyzer: Arc<Analyzer>,
    kind: TokenKind,
}

impl JinduTokenizer {
    /// A tokenizer of `kind` over `analyzer`.
    pub fn new(analyzer: Arc<Analyzer>, kind: TokenKind) -> JinduTokenizer {
        JinduTokenizer { analyzer, kind }
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
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let norm = Normalized::new(text);
        let mut tokens = Vec::new();
        match self.kind {
            TokenKind::Words(side) => self.analyzer.words(&norm, side, &mut tokens),
            TokenKind::Grams => Analyzer::grams(&norm, &mut tokens),
        }
        VecTokenStream {
            tokens: tokens.into_iter().map(to_tantivy_token).collect(),
            next: 0,
        }
    }
}

/// A token stream over tokens computed up front.
pub struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for VecTokenStream {
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
