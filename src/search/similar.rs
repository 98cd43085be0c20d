//! "More like this": the most distinctive words of a document (or a pasted text), weighted by
//! tf·idf against the index, as one disjunctive query; used for similar cases.

use std::collections::HashMap;

use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use crate::analysis::{is_han, Side};
use crate::index::IndexHandle;

/// How many distinctive words make the query.
pub const MAX_QUERY_TERMS: usize = 30;

/// The distinctive words of `text` with their weights (largest first), and the query over them.
pub struct LikeThis {
    /// `(word, weight)`, by weight.
    pub terms: Vec<(String, f32)>,
    /// The query: the words, each boosted by its weight relative to the first.
    pub query: Box<dyn Query>,
}

fn candidate(word: &str) -> bool {
    let chars = word.chars().count();
    let han = word.chars().filter(|&c| is_han(c)).count();
    if word.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    (han >= 2) || (han == 0 && chars >= 2)
}

/// Builds the "more like this" query for `text`, leaving out `exclude_id`'s own document.
pub fn like_this(
    handle: &IndexHandle,
    searcher: &Searcher,
    text: &str,
    exclude_id: Option<&str>,
) -> tantivy::Result<LikeThis> {
    let mut tf: HashMap<String, u32> = HashMap::new();
    for token in handle.analyzer.words_of(text, Side::Query) {
        if candidate(&token.text) && !handle.analyzer.is_stopword(&token.text) {
            *tf.entry(token.text).or_insert(0) += 1;
        }
    }
    let docs = searcher.num_docs().max(1) as f32;
    let mut weighted: Vec<(String, f32)> = Vec::with_capacity(tf.len());
    for (word, count) in tf {
        let df = searcher.doc_freq(&Term::from_field_text(handle.fields.words, &word))? as f32;
        if df == 0.0 || df > docs * 0.5 {
            continue;
        }
        let idf = (1.0 + (docs - df + 0.5) / (df + 0.5)).ln();
        weighted.push((word, (1.0 + (count as f32).ln()) * idf));
    }
    weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    weighted.truncate(MAX_QUERY_TERMS);
    let top = weighted
        .first()
        .map(|(_, w)| *w)
        .unwrap_or(1.0)
        .max(f32::EPSILON);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = weighted
        .iter()
        .map(|(word, weight)| {
            let term = TermQuery::new(
                Term::from_field_text(handle.fields.words, word),
                IndexRecordOption::WithFreqs,
            );
            let clause: Box<dyn Query> = Box::new(BoostQuery::new(Box::new(term), weight / top));
            (Occur::Should, clause)
        })
        .collect();
    if clauses.is_empty() {
        clauses.push((Occur::Should, Box::new(tantivy::query::EmptyQuery)));
    }
    if let Some(id) = exclude_id {
        clauses.push((
            Occur::MustNot,
            Box::new(TermQuery::new(
                Term::from_field_text(handle.fields.id, id),
                IndexRecordOption::Basic,
            )),
        ));
    }
    Ok(LikeThis {
        terms: weighted,
        query: Box::new(BooleanQuery::new(clauses)),
    })
}
