//! Explanations: which query words, synonyms or bigram sequences matched a hit, in which field,
//! and how often — read from the hit's own postings, so they say what the ranking used.

use serde::Serialize;
use tantivy::postings::Postings;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocSet, Searcher, Term};

use super::plan::{QueryPlan, Unit};
use crate::index::Fields;

/// One matched query term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatchedTerm {
    /// The term as the index holds it (normalized).
    pub term: String,
    /// `title` or `body`.
    pub field: &'static str,
    /// `word` (a jieba word of the document), `phrase` (a quoted sequence), `synonym` (a
    /// synonym of a query word) or `bigram` (the characters occur, but not as a word).
    pub kind: &'static str,
    /// Occurrences in that field.
    pub count: u32,
    /// For a synonym: the query word it stands for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query_word: Option<String>,
}

fn term_freq(searcher: &Searcher, address: DocAddress, field: Field, text: &str) -> u32 {
    let segment = searcher.segment_reader(address.segment_ord);
    let Ok(inverted) = segment.inverted_index(field) else {
        return 0;
    };
    let term = Term::from_field_text(field, text);
    let Ok(Some(mut postings)) = inverted.read_postings(&term, IndexRecordOption::WithFreqs) else {
        return 0;
    };
    // A fresh posting list already sits on its first doc, and seeking backwards is not
    // allowed: when that first doc is past the hit, the term is not in it.
    if postings.doc() <= address.doc_id && postings.seek(address.doc_id) == address.doc_id {
        postings.term_freq()
    } else {
        0
    }
}

/// The matched terms of `plan` in the document at `address`.
pub fn matched_terms(
    searcher: &Searcher,
    fields: &Fields,
    plan: &QueryPlan,
    address: DocAddress,
) -> Vec<MatchedTerm> {
    let mut matched: Vec<MatchedTerm> = Vec::new();
    let units = plan
        .groups
        .iter()
        .chain(&plan.required)
        .flat_map(|group| group.units.iter());
    for unit in units {
        explain_unit(searcher, fields, unit, address, &mut matched);
    }
    matched
}

fn explain_unit(
    searcher: &Searcher,
    fields: &Fields,
    unit: &Unit,
    address: DocAddress,
    matched: &mut Vec<MatchedTerm>,
) {
    for part in &unit.parts {
        let kind = if unit.synonym_of.is_some() {
            "synonym"
        } else if unit.phrase {
            "phrase"
        } else {
            "word"
        };
        let mut found_word = false;
        for (_, word) in &part.words {
            let title = term_freq(searcher, address, fields.title_words, word);
            let all = term_freq(searcher, address, fields.words, word);
            for (field, count) in [("title", title), ("body", all.saturating_sub(title))] {
                if count > 0 && !matched.iter().any(|m| m.term == *word && m.field == field) {
                    found_word = true;
                    matched.push(MatchedTerm {
                        term: word.clone(),
                        field,
                        kind,
                        count,
                        query_word: unit.synonym_of.clone(),
                    });
                }
            }
        }
        if !found_word {
            // Matched by its characters only (segmentation differs, or inside a longer word).
            let count = part
                .grams
                .first()
                .map(|(_, gram)| term_freq(searcher, address, fields.grams, gram))
                .unwrap_or(0);
            if count > 0 && !matched.iter().any(|m| m.term == part.text) {
                matched.push(MatchedTerm {
                    term: part.text.clone(),
                    field: "body",
                    kind: "bigram",
                    count,
                    query_word: unit.synonym_of.clone(),
                });
            }
        }
    }
}
