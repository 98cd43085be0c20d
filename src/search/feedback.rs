//! Pseudo-relevance feedback for questions: the words that the best first-pass hits share
//! (weighted by tf·idf, present in at least two of them) are added to the query with a small
//! weight, so documents that answer in other words than the question's are found too.

use std::collections::HashMap;

use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::plan::QueryPlan;
use crate::analysis::{is_han, Side};
use crate::index::{stored_document, IndexHandle};

/// Feedback settings.
#[derive(Debug, Clone, Copy)]
pub struct Feedback {
    /// First-pass hits read.
    pub documents: usize,
    /// Words added.
    pub terms: usize,
    /// Weight of the added words relative to a query word.
    pub weight: f32,
}

fn candidate(word: &str) -> bool {
    let han = word.chars().filter(|&c| is_han(c)).count();
    han >= 2 || (han == 0 && word.chars().count() >= 2 && !word.bytes().all(|b| b.is_ascii_digit()))
}

/// The expansion query from the documents at `top`, or `None` when they share nothing useful.
pub fn expansion(
    handle: &IndexHandle,
    searcher: &Searcher,
    plan: &QueryPlan,
    top: &[DocAddress],
    feedback: &Feedback,
) -> tantivy::Result<Option<Box<dyn Query>>> {
    let mut in_query: Vec<&str> = Vec::new();
    for group in plan.groups.iter().chain(&plan.required) {
        for unit in &group.units {
            for part in &unit.parts {
                in_query.extend(part.words.iter().map(|(_, w)| w.as_str()));
            }
        }
    }
    let mut weights: HashMap<String, (f32, u32)> = HashMap::new();
    for &address in top.iter().take(feedback.documents) {
        let doc: TantivyDocument = searcher.doc(address)?;
        let stored = stored_document(&doc, &handle.fields);
        let text = format!("{}\n{}", stored.document.title, stored.document.body);
        let words = handle.analyzer.words_of(&text, Side::Query);
        let length = words.len().max(1) as f32;
        let mut tf: HashMap<String, u32> = HashMap::new();
        for word in words {
            if candidate(&word.text) && !handle.analyzer.is_stopword(&word.text) {
                *tf.entry(word.text).or_insert(0) += 1;
            }
        }
        for (word, count) in tf {
            let entry = weights.entry(word).or_insert((0.0, 0));
            entry.0 += count as f32 / length;
            entry.1 += 1;
        }
    }
    let docs = searcher.num_docs().max(1) as f32;
    let mut scored: Vec<(String, f32)> = Vec::new();
    for (word, (weight, seen_in)) in weights {
        if seen_in < 2 || in_query.contains(&word.as_str()) {
            continue;
        }
        let df = searcher.doc_freq(&Term::from_field_text(handle.fields.words, &word))? as f32;
        if df == 0.0 || df > docs * 0.3 {
            continue;
        }
        let idf = (1.0 + (docs - df + 0.5) / (df + 0.5)).ln();
        scored.push((word, weight * idf));
    }
    if scored.is_empty() {
        return Ok(None);
    }
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    scored.truncate(feedback.terms);
    let top_weight = scored[0].1.max(f32::EPSILON);
    let clauses: Vec<(Occur, Box<dyn Query>)> = scored
        .iter()
        .map(|(word, weight)| {
            let term: Box<dyn Query> = Box::new(TermQuery::new(
                Term::from_field_text(handle.fields.words, word),
                IndexRecordOption::WithFreqs,
            ));
            let boost = feedback.weight * weight / top_weight;
            (
                Occur::Should,
                Box::new(BoostQuery::new(term, boost)) as Box<dyn Query>,
            )
        })
        .collect();
    Ok(Some(Box::new(BooleanQuery::new(clauses))))
}
