//! The analyzer through its public API: whole tokens with byte offsets and positions.

use jindu::analysis::{AnalyzedToken, Analyzer, Side};

use crate::common::knowledge;

fn analyzer() -> &'static Analyzer {
    static ANALYZER: std::sync::OnceLock<Analyzer> = std::sync::OnceLock::new();
    ANALYZER.get_or_init(|| Analyzer::new(&knowledge()))
}

fn texts(tokens: &[AnalyzedToken]) -> Vec<&str> {
    tokens.iter().map(|t| t.text.as_str()).collect()
}

fn token(
    text: &str,
    start: usize,
    end: usize,
    byte_start: usize,
    byte_end: usize,
    position: u32,
) -> AnalyzedToken {
    AnalyzedToken {
        text: text.to_string(),
        start,
        end,
        byte_start,
        byte_end,
        position,
    }
}

#[test]
fn mixed_scripts_keep_codes_and_numbers_whole() {
    // Not in the dictionary: the parts, with positions counting only letters, digits and Han.
    let tokens = analyzer().words_of("平安-2013行动", Side::Query);
    assert_eq!(
        tokens,
        vec![
            token("平安", 0, 2, 0, 6, 0),
            token("2013", 3, 7, 7, 11, 2),
            token("行动", 7, 9, 11, 17, 6),
        ]
    );
    // A dictionary code stays whole on the query side; the index side adds its parts.
    let query = analyzer().words_of("合力-2012行动", Side::Query);
    assert_eq!(query[0], token("合力-2012", 0, 7, 0, 11, 0));
    let index = analyzer().words_of("合力-2012行动", Side::Index);
    for part in [
        token("合力-2012", 0, 7, 0, 11, 0),
        token("合力", 0, 2, 0, 6, 0),
        token("2012", 3, 7, 7, 11, 2),
    ] {
        assert!(index.contains(&part), "{part:?} in {index:?}");
    }
}

#[test]
fn latin_words_are_lower_cased_and_full_width_folded() {
    let tokens = analyzer().words_of("ＤＥＡ与UNODC签署MOU", Side::Index);
    let latin: Vec<&AnalyzedToken> = tokens.iter().filter(|t| t.text.is_ascii()).collect();
    assert_eq!(latin.len(), 3, "{tokens:?}");
    assert_eq!(*latin[0], token("dea", 0, 3, 0, 9, 0));
    assert_eq!(latin[1].text, "unodc");
    assert_eq!(latin[2].text, "mou");
}

#[test]
fn traditional_characters_fold_with_offsets_on_the_original() {
    let text = "中國與緬甸";
    let tokens = analyzer().words_of(text, Side::Index);
    let myanmar = tokens
        .iter()
        .find(|t| t.text == "缅甸")
        .expect("缅甸 token");
    assert_eq!(&text[myanmar.byte_start..myanmar.byte_end], "緬甸");
    assert_eq!((myanmar.start, myanmar.end), (3, 5));
}

#[test]
fn middle_dots_fold_together_and_punctuation_is_dropped() {
    let a = analyzer().words_of("“10·5”案件", Side::Index);
    let b = analyzer().words_of("“10•5”案件", Side::Index);
    assert_eq!(texts(&a), vec!["10", "5", "案件"]);
    assert_eq!(texts(&a), texts(&b));
    assert_eq!(
        a.iter().map(|t| t.position).collect::<Vec<_>>(),
        b.iter().map(|t| t.position).collect::<Vec<_>>()
    );
}

#[test]
fn index_side_adds_sub_words_with_their_own_positions() {
    let index = analyzer().words_of("中国农业发展银行", Side::Index);
    let agriculture = index
        .iter()
        .find(|t| t.text == "农业")
        .expect("农业 sub-word");
    assert_eq!((agriculture.position, agriculture.byte_start), (2, 6));
    let query = analyzer().words_of("中国农业发展银行", Side::Query);
    assert!(
        query.len() < index.len(),
        "query side keeps compounds whole: {query:?}"
    );
}

#[test]
fn positions_skip_punctuation_and_spaces() {
    let tokens = analyzer().words_of("缅甸， 老挝", Side::Query);
    assert_eq!(texts(&tokens), vec!["缅甸", "老挝"]);
    assert_eq!(tokens[1].position, 2);
}

#[test]
fn bigrams_cover_han_runs_and_keep_latin_runs() {
    let grams = Analyzer::grams_of("禁毒DEA合作");
    assert_eq!(texts(&grams), vec!["禁毒", "dea", "合作"]);
    let grams = Analyzer::grams_of("控制下交付");
    assert_eq!(texts(&grams), vec!["控制", "制下", "下交", "交付"]);
    assert_eq!(
        grams.iter().map(|g| g.position).collect::<Vec<_>>(),
        vec![0, 1, 2, 3]
    );
}
