//! Text analysis: normalization (width, case, traditional → simplified, dots) and jieba
//! segmentation with the domain dictionary, as plain functions and as tantivy tokenizers.
//! Pure: it knows nothing of indexes or queries beyond tokens.

mod analyzer;
mod normalize;
mod tokenizer;

pub use analyzer::{AnalyzedToken, Analyzer, Side, ANALYZER_VERSION};
pub use normalize::{fold_char, is_han, is_kept, is_middle_dot, normalize_str, Normalized};
pub use tokenizer::{
    to_tantivy_token, to_tantivy_tokens, JinduTokenizer, TokenKind, GRAMS_TOKENIZER,
    VALUE_POSITION_GAP, WORDS_TOKENIZER,
};
