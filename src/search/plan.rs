//! From query syntax to a plan: groups of parts to match, with the jieba words and character
//! bigrams (with positions) each part is matched and scored by.
//!
//! A *part* is a contiguous piece of text: one query word, a quoted phrase, or a code such as
//! 合力-2012 or 10·5 (tokens joined by connectors). A *unit* is all of its parts. A *group* is
//! one or more alternative units (`a OR b`); the plan asks for groups, requires phrases, and
//! excludes the excluded units.

use serde::Serialize;

use super::syntax::{split, Chunk};
use crate::analysis::{is_han, AnalyzedToken, Analyzer, Normalized, Side};
use crate::knowledge::Synonyms;

/// A contiguous piece of query text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Part {
    /// The normalized text of the piece (used for highlighting).
    pub text: String,
    /// jieba words (query side) with positions relative to the part.
    pub words: Vec<(u32, String)>,
    /// Bigram tokens with positions relative to the part.
    pub grams: Vec<(u32, String)>,
}

impl Part {
    /// Whether the part is a single Han character (bigrams cannot find it inside words).
    pub fn is_single_han(&self) -> bool {
        let mut chars = self.text.chars();
        matches!((chars.next(), chars.next()), (Some(c), None) if is_han(c))
    }
}

/// Parts that must all match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    /// The parts.
    pub parts: Vec<Part>,
    /// From a quoted phrase.
    pub phrase: bool,
    /// The query word this unit stands in for, when it is a synonym of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub synonym_of: Option<String>,
}

/// Alternatives: the group matches when any of its units does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    /// The alternatives.
    pub units: Vec<Unit>,
}

/// What a query asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct QueryPlan {
    /// Groups scored and counted for minimum-should-match.
    pub groups: Vec<Group>,
    /// Groups that must match (quoted phrases).
    pub required: Vec<Group>,
    /// Units no hit may contain.
    pub excluded: Vec<Unit>,
    /// Query words left out as stop words (question words, particles).
    pub dropped: Vec<String>,
}

impl QueryPlan {
    /// Whether the plan asks for nothing positive (list everything, minus exclusions).
    pub fn is_match_all(&self) -> bool {
        self.groups.is_empty() && self.required.is_empty()
    }

    /// The normalized texts to highlight: every positive part, and the words of parts that are
    /// made of several words (so that "合力-2012" also highlights 合力 in 合力 2012).
    pub fn highlight_needles(&self) -> Vec<String> {
        let mut needles: Vec<String> = Vec::new();
        let mut add = |text: &str| {
            if !text.is_empty() && !needles.iter().any(|n| n == text) {
                needles.push(text.to_string());
            }
        };
        for group in self.groups.iter().chain(&self.required) {
            for unit in &group.units {
                for part in &unit.parts {
                    add(&part.text);
                    if part.words.len() > 1 {
                        for (_, word) in &part.words {
                            add(word);
                        }
                    }
                }
            }
        }
        needles
    }
}

/// Most query groups kept (a pasted text longer than this is cut; repeated words count once).
pub const MAX_GROUPS: usize = 64;

/// Chars that join tokens into one code (合力-2012, 10·5, v1.2, a/b).
fn is_connector(c: char) -> bool {
    matches!(
        c,
        '-' | '.' | '·' | '_' | '/' | ':' | '+' | '&' | '\'' | '#'
    )
}

/// Plans `query` with the query-side analysis of `analyzer`, expanding query words that have
/// synonyms into alternatives (冰毒 also finds 甲基苯丙胺).
pub fn plan(query: &str, analyzer: &Analyzer, synonyms: &Synonyms) -> QueryPlan {
    let mut plan = plan_literal(query, analyzer);
    expand_synonyms(&mut plan, analyzer, synonyms);
    plan
}

/// Adds each synonym of a one-part unit as an alternative unit of its group.
fn expand_synonyms(plan: &mut QueryPlan, analyzer: &Analyzer, synonyms: &Synonyms) {
    if synonyms.is_empty() {
        return;
    }
    for group in plan.groups.iter_mut().chain(plan.required.iter_mut()) {
        let mut added = Vec::new();
        for unit in &group.units {
            let [part] = unit.parts.as_slice() else {
                continue;
            };
            if unit.synonym_of.is_some() {
                continue;
            }
            for alternative in synonyms.alternatives(&part.text) {
                let exists = group
                    .units
                    .iter()
                    .chain(&added)
                    .any(|u: &Unit| u.parts.len() == 1 && u.parts[0].text == alternative);
                if exists {
                    continue;
                }
                if let Some(part) = phrase_part(alternative, analyzer) {
                    added.push(Unit {
                        parts: vec![part],
                        phrase: unit.phrase,
                        synonym_of: Some(unit.parts[0].text.clone()),
                    });
                }
            }
        }
        group.units.extend(added);
    }
}

/// Where a group of the plan sits.
#[derive(Debug, Clone, Copy)]
enum Last {
    Group(usize),
    Required(usize),
}

impl Last {
    fn group(self, plan: &mut QueryPlan) -> Option<&mut Group> {
        match self {
            Last::Group(index) => plan.groups.get_mut(index),
            Last::Required(index) => plan.required.get_mut(index),
        }
    }
}

/// Plans `query` without synonyms.
fn plan_literal(query: &str, analyzer: &Analyzer) -> QueryPlan {
    let mut plan = QueryPlan::default();
    let chunks = split(query);
    let mut pending_or = false;
    // Where the last positive group went, so that `OR` adds an alternative to it.
    let mut last: Option<Last> = None;
    let mut stop_only: Vec<(usize, Unit, Vec<String>)> = Vec::new();
    for chunk in chunks {
        match chunk {
            Chunk::Or => {
                pending_or = last.is_some();
            }
            Chunk::Phrase { text, negated } => {
                let part = phrase_part(&text, analyzer);
                let Some(part) = part else { continue };
                let unit = Unit {
                    parts: vec![part],
                    phrase: true,
                    synonym_of: None,
                };
                if negated {
                    plan.excluded.push(unit);
                } else if pending_or {
                    pending_or = false;
                    if let Some(group) = last.and_then(|l| l.group(&mut plan)) {
                        group.units.push(unit);
                    }
                } else {
                    plan.required.push(Group { units: vec![unit] });
                    last = Some(Last::Required(plan.required.len() - 1));
                }
            }
            Chunk::Term { text, negated } => {
                if negated {
                    if let Some(part) = phrase_part(&text, analyzer) {
                        plan.excluded.push(Unit {
                            parts: vec![part],
                            phrase: true,
                            synonym_of: None,
                        });
                    }
                    continue;
                }
                let parts = term_parts(&text, analyzer);
                let (kept, dropped): (Vec<Part>, Vec<Part>) = parts
                    .into_iter()
                    .partition(|part| !analyzer.is_stopword(&part.text));
                if pending_or {
                    pending_or = false;
                    let mut parts = kept;
                    if parts.is_empty() {
                        parts = dropped;
                    } else {
                        plan.dropped.extend(dropped.into_iter().map(|p| p.text));
                    }
                    if !parts.is_empty() {
                        if let Some(group) = last.and_then(|l| l.group(&mut plan)) {
                            group.units.push(Unit {
                                parts,
                                phrase: false,
                                synonym_of: None,
                            });
                        }
                    }
                    continue;
                }
                if kept.is_empty() && !dropped.is_empty() {
                    // Remember in case the whole query is stop words.
                    let texts = dropped.iter().map(|p| p.text.clone()).collect();
                    stop_only.push((
                        plan.groups.len(),
                        Unit {
                            parts: dropped,
                            phrase: false,
                            synonym_of: None,
                        },
                        texts,
                    ));
                    continue;
                }
                plan.dropped.extend(dropped.into_iter().map(|p| p.text));
                for part in kept {
                    let repeated = plan.groups.iter().any(|g| {
                        g.units.len() == 1
                            && g.units[0].parts.len() == 1
                            && g.units[0].parts[0] == part
                    });
                    if repeated || plan.groups.len() >= MAX_GROUPS {
                        continue;
                    }
                    plan.groups.push(Group {
                        units: vec![Unit {
                            parts: vec![part],
                            phrase: false,
                            synonym_of: None,
                        }],
                    });
                    last = Some(Last::Group(plan.groups.len() - 1));
                }
            }
        }
    }
    if plan.groups.is_empty() && plan.required.is_empty() {
        // A query of stop words only: search for them after all.
        for (_, unit, _) in stop_only {
            for part in unit.parts {
                let repeated = plan.groups.iter().any(|g| g.units[0].parts[0] == part);
                if repeated || plan.groups.len() >= MAX_GROUPS {
                    continue;
                }
                plan.groups.push(Group {
                    units: vec![Unit {
                        parts: vec![part],
                        phrase: false,
                        synonym_of: None,
                    }],
                });
            }
        }
    } else {
        for (_, _, texts) in stop_only {
            plan.dropped.extend(texts);
        }
    }
    plan
}

/// A quoted phrase (or an excluded term) as one part: all its words in sequence.
fn phrase_part(text: &str, analyzer: &Analyzer) -> Option<Part> {
    let norm = Normalized::new(text);
    let mut words = Vec::new();
    analyzer.words(&norm, Side::Query, &mut words);
    if words.is_empty() {
        return None;
    }
    let start = words[0].start;
    let end = words.iter().map(|w| w.end).max().unwrap_or(start);
    Some(make_part(&norm, &words, start, end))
}

/// The parts of an unquoted term: each query-side word, except that words joined by
/// connectors with Latin letters or digits on one side form one code part.
fn term_parts(text: &str, analyzer: &Analyzer) -> Vec<Part> {
    let norm = Normalized::new(text);
    let mut words = Vec::new();
    analyzer.words(&norm, Side::Query, &mut words);
    let chars: Vec<char> = norm.text.chars().collect();
    let mut parts = Vec::new();
    let mut group_start = 0;
    for i in 0..words.len() {
        let joins_next = words.get(i + 1).is_some_and(|next| {
            let gap = &chars[words[i].end..next.start];
            !gap.is_empty()
                && gap.iter().all(|&c| is_connector(c))
                && (has_ascii_alnum(&words[i].text) || has_ascii_alnum(&next.text))
        });
        if !joins_next {
            let group = &words[group_start..=i];
            let start = group[0].start;
            let end = group.iter().map(|w| w.end).max().unwrap_or(start);
            parts.push(make_part(&norm, group, start, end));
            group_start = i + 1;
        }
    }
    parts
}

fn has_ascii_alnum(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_alphanumeric())
}

/// A part over chars `start..end` of `norm`, from its words.
fn make_part(norm: &Normalized, words: &[AnalyzedToken], start: usize, end: usize) -> Part {
    let text = norm.text[norm.norm_byte(start)..norm.norm_byte(end)].to_string();
    let base = norm.position(start);
    let words = words
        .iter()
        .map(|w| (w.position - base, w.text.clone()))
        .collect();
    let span = Normalized::new(&text);
    let mut grams = Vec::new();
    Analyzer::grams(&span, &mut grams);
    let grams = grams.into_iter().map(|g| (g.position, g.text)).collect();
    Part { text, words, grams }
}
