//! The plan as a tantivy query: each part matches by its character bigrams in sequence (exact
//! text, whatever the segmentation), and is scored by BM25 on the combined jieba-word field,
//! on the title's words (a small bonus), and on the bigrams (a smaller one). Each matched group
//! adds a constant, so documents matching more groups rank first.

use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::coord::AddScoreQuery;
use super::plan::{Group, Part, QueryPlan, Unit};
use crate::index::Fields;

/// Weights of the scoring signals.
#[derive(Debug, Clone, Copy)]
pub struct Weights {
    /// BM25 of the part's words in the combined title + body field.
    pub words: f32,
    /// BM25 of the part's words in the title alone.
    pub title: f32,
    /// BM25 of the part's bigrams (sub-word evidence).
    pub grams: f32,
    /// Added once per matched group.
    pub group_bonus: f32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            words: 1.0,
            title: 0.3,
            grams: 0.3,
            group_bonus: 10.0,
        }
    }
}

fn sequence_query(field: Field, tokens: &[(u32, String)]) -> Option<Box<dyn Query>> {
    match tokens {
        [] => None,
        [(_, text)] => Some(Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::WithFreqs,
        ))),
        many => {
            let terms = many
                .iter()
                .map(|(position, text)| (*position as usize, Term::from_field_text(field, text)))
                .collect();
            Some(Box::new(PhraseQuery::new_with_offset(terms)))
        }
    }
}

/// What matches a part, unscored: its bigrams in sequence; a single Han character (which the
/// bigrams only hold when it stands alone) by its word too.
pub fn part_match(part: &Part, fields: &Fields) -> Box<dyn Query> {
    let grams = sequence_query(fields.grams, &part.grams);
    let words = sequence_query(fields.words, &part.words);
    match (grams, words) {
        (Some(grams), Some(words)) if part.is_single_han() => Box::new(BooleanQuery::new(vec![
            (Occur::Should, grams),
            (Occur::Should, words),
        ])),
        (Some(grams), _) => grams,
        (None, Some(words)) => words,
        (None, None) => Box::new(tantivy::query::EmptyQuery),
    }
}

fn boosted(query: Box<dyn Query>, weight: f32) -> Box<dyn Query> {
    if (weight - 1.0).abs() < f32::EPSILON {
        query
    } else {
        Box::new(BoostQuery::new(query, weight))
    }
}

/// A part, matched and scored.
fn part_scored(part: &Part, fields: &Fields, weights: &Weights) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let matcher = boosted(part_match(part, fields), weights.grams);
    clauses.push((Occur::Must, matcher));
    if let Some(words) = sequence_query(fields.words, &part.words) {
        clauses.push((Occur::Should, boosted(words, weights.words)));
    }
    if let Some(title) = sequence_query(fields.title_words, &part.words) {
        clauses.push((Occur::Should, boosted(title, weights.title)));
    }
    Box::new(BooleanQuery::new(clauses))
}

fn unit_scored(unit: &Unit, fields: &Fields, weights: &Weights) -> Box<dyn Query> {
    if unit.parts.len() == 1 {
        return part_scored(&unit.parts[0], fields, weights);
    }
    Box::new(BooleanQuery::new(
        unit.parts
            .iter()
            .map(|part| (Occur::Must, part_scored(part, fields, weights)))
            .collect(),
    ))
}

fn unit_match(unit: &Unit, fields: &Fields) -> Box<dyn Query> {
    if unit.parts.len() == 1 {
        return part_match(&unit.parts[0], fields);
    }
    Box::new(BooleanQuery::new(
        unit.parts
            .iter()
            .map(|part| (Occur::Must, part_match(part, fields)))
            .collect(),
    ))
}

fn group_scored(group: &Group, fields: &Fields, weights: &Weights) -> Box<dyn Query> {
    let inner: Box<dyn Query> = if group.units.len() == 1 {
        unit_scored(&group.units[0], fields, weights)
    } else {
        Box::new(BooleanQuery::new(
            group
                .units
                .iter()
                .map(|unit| (Occur::Should, unit_scored(unit, fields, weights)))
                .collect(),
        ))
    };
    Box::new(AddScoreQuery::new(inner, weights.group_bonus))
}

/// The minimum number of groups a document must match, by the number of groups: every group
/// for short keyword queries, half (rounded up) for long questions.
pub fn minimum_should_match(groups: usize) -> usize {
    if groups <= 3 {
        groups
    } else {
        groups.div_ceil(2)
    }
}

/// Builds the query for `plan`, requiring `minimum` of its groups.
pub fn build_query(
    plan: &QueryPlan,
    minimum: usize,
    fields: &Fields,
    weights: &Weights,
) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for group in &plan.required {
        clauses.push((Occur::Must, group_scored(group, fields, weights)));
    }
    let mut shoulds: Vec<(Occur, Box<dyn Query>)> = plan
        .groups
        .iter()
        .map(|group| (Occur::Should, group_scored(group, fields, weights)))
        .collect();
    if clauses.is_empty() && shoulds.is_empty() {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    let minimum = minimum.min(shoulds.len());
    if !shoulds.is_empty() {
        // A nested boolean keeps minimum-should-match about the groups only.
        let groups = BooleanQuery::with_minimum_required_clauses(
            std::mem::take(&mut shoulds),
            minimum.max(1),
        );
        let occur = if clauses.is_empty() || minimum > 0 {
            Occur::Must
        } else {
            Occur::Should
        };
        clauses.push((occur, Box::new(groups)));
    }
    for unit in &plan.excluded {
        clauses.push((Occur::MustNot, unit_match(unit, fields)));
    }
    Box::new(BooleanQuery::new(clauses))
}
