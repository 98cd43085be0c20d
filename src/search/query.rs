//! The plan as a tantivy query: each part matches by its character bigrams in sequence (exact
//! text, whatever the segmentation), and is scored by BM25 on the combined jieba-word field,
//! on the title's words (a small bonus), and on the bigrams (a smaller one). Each matched group
//! adds a constant, so documents matching more groups rank first.

use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::coord::AddScoreQuery;
use super::guard::GuardedQuery;
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
    /// Factor on a synonym's score relative to the word the user typed.
    pub synonym: f32,
    /// Match parts by any of their bigrams (questions) instead of all of them in sequence.
    pub loose: bool,
    /// Weight of two consecutive query words found near each other.
    pub proximity: f32,
    /// How near, in characters.
    pub proximity_slop: u32,
}

impl Default for Weights {
    fn default() -> Self {
        // Measured with `jindu eval` (BENCHMARKS.md): title and group bonus barely move the
        // figures and a title weight can let one shared title flood the results, so both stay
        // small; bigrams weigh as much as words.
        Weights {
            words: 1.0,
            title: 0.1,
            grams: 1.0,
            group_bonus: 1.0,
            synonym: 0.8,
            loose: false,
            proximity: 1.0,
            proximity_slop: 6,
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

/// A part matched loosely: any of its bigrams (or its word), each scored on its own, so that a
/// question's words also find documents that share part of them (戒毒所 and 戒毒场所).
fn part_loose(part: &Part, fields: &Fields, weights: &Weights) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (_, gram) in &part.grams {
        if seen.contains(&gram.as_str()) {
            continue;
        }
        seen.push(gram);
        let term: Box<dyn Query> = Box::new(TermQuery::new(
            Term::from_field_text(fields.grams, gram),
            IndexRecordOption::WithFreqs,
        ));
        clauses.push((Occur::Should, boosted(term, weights.grams)));
    }
    if let Some(words) = sequence_query(fields.words, &part.words) {
        clauses.push((Occur::Should, boosted(words, weights.words)));
    }
    if let Some(title) = sequence_query(fields.title_words, &part.words) {
        clauses.push((Occur::Should, boosted(title, weights.title)));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// A part, matched and scored.
fn part_scored(part: &Part, fields: &Fields, weights: &Weights) -> Box<dyn Query> {
    if weights.loose {
        return part_loose(part, fields, weights);
    }
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

fn alternative_scored(unit: &Unit, fields: &Fields, weights: &Weights) -> Box<dyn Query> {
    let scored = unit_scored(unit, fields, weights);
    if unit.synonym_of.is_some() {
        boosted(scored, weights.synonym)
    } else {
        scored
    }
}

fn group_scored(group: &Group, fields: &Fields, weights: &Weights) -> Box<dyn Query> {
    let inner: Box<dyn Query> = if group.units.len() == 1 {
        alternative_scored(&group.units[0], fields, weights)
    } else {
        Box::new(BooleanQuery::new(
            group
                .units
                .iter()
                .map(|unit| (Occur::Should, alternative_scored(unit, fields, weights)))
                .collect(),
        ))
    };
    Box::new(AddScoreQuery::new(inner, weights.group_bonus))
}

/// How a query is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Up to three words and no sign of a question: every word must occur, each as exact text.
    Keywords,
    /// A question or a longer query: documents need any of its words (matched by their
    /// bigrams too), those matching more and closer together rank first, and the best first
    /// hits feed back words that answers share.
    Question,
}

impl Mode {
    /// Reads `plan` (of query text `q`): four or more groups, a dropped question word or a
    /// question mark make a question.
    pub fn of(plan: &QueryPlan, q: &str) -> Mode {
        if plan.groups.len() > 3 || !plan.dropped.is_empty() || q.contains(['?', '？']) {
            Mode::Question
        } else {
            Mode::Keywords
        }
    }

    /// The minimum number of the plan's groups a document must match.
    pub fn minimum_should_match(self, groups: usize) -> usize {
        match self {
            Mode::Keywords => groups,
            Mode::Question => groups.min(1),
        }
    }

    /// The scoring weights for this mode.
    pub fn weights(self) -> Weights {
        Weights {
            loose: self == Mode::Question,
            ..Weights::default()
        }
    }
}

/// Proximity: for each two consecutive one-word groups, their words near each other (within
/// `slop` characters, in order) add to the score.
pub fn proximity(plan: &QueryPlan, fields: &Fields, weights: &Weights) -> Option<Box<dyn Query>> {
    let (slop, weight) = (weights.proximity_slop, weights.proximity);
    let words: Vec<&str> = plan
        .groups
        .iter()
        .filter_map(|g| match g.units.first().map(|u| u.parts.as_slice()) {
            Some([part]) if part.words.len() == 1 => Some(part.words[0].1.as_str()),
            _ => None,
        })
        .collect();
    let clauses: Vec<(Occur, Box<dyn Query>)> = words
        .windows(2)
        .map(|pair| {
            let offset = pair[0].chars().filter(|c| c.is_alphanumeric()).count();
            let phrase = PhraseQuery::new_with_offset_and_slop(
                vec![
                    (0, Term::from_field_text(fields.words, pair[0])),
                    (offset, Term::from_field_text(fields.words, pair[1])),
                ],
                slop,
            );
            (Occur::Should, boosted(Box::new(phrase), weight))
        })
        .collect();
    (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
}

/// Builds the query for `plan`, requiring `minimum` of its groups, with the proximity bonus.
pub fn build_query(
    plan: &QueryPlan,
    minimum: usize,
    fields: &Fields,
    weights: &Weights,
) -> Box<dyn Query> {
    let base = build_matching(plan, minimum, fields, weights);
    match proximity(plan, fields, weights) {
        Some(near) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, base),
            (Occur::Should, near),
        ])),
        None => base,
    }
}

fn build_matching(
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
        clauses.push((
            Occur::MustNot,
            Box::new(GuardedQuery::new(unit_match(unit, fields))),
        ));
    }
    Box::new(BooleanQuery::new(clauses))
}
