//! Cooperation types from the taxonomy's cues: a type is given when one strong cue occurs, or
//! two different weak cues in one sentence; a cue inside one of its type's exclude phrases (or
//! exclude pairs, 联络官…会晤), or inside a longer cue, does not count. Every type needs the
//! international gate: a foreign place, an organisation or a signal word (国际, 跨国, 境外 …,
//! but not 国际禁毒日) somewhere in the text, because a purely domestic case or campaign is not
//! cooperation whatever words it uses. Pair cues and a course's subjects are read in `context`; in a report on the drug
//! situation a type needs a strong single cue. When the knowledge has a trained model
//! (`coop_model.tsv`), `model` then adds the types it is sure of and drops those it finds very
//! unlikely.

use std::collections::HashSet;

mod context;
pub mod model;

use super::explanation::{Explained, Rejected, Rule, Trigger};
use super::phrases::{drop_contained, Occurrence, Overlaps, PhraseSet};
use super::spans::{SentenceEnds, SpanIndex};
use super::text::Text;
use super::TaggerError;
use crate::knowledge::{CoopModel, Taxonomy};
use model::{decide, ModelScore, TypeModel, Verdict};

/// What a cue word means for one type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    Strong(usize),
    Weak(usize),
    Exclude(usize),
    /// The first word of a pair cue (an index into `pairs`).
    PairHead(usize),
    /// The second word of a pair cue.
    PairTail(usize),
    /// The first word of an exclude pair (an index into `exclude_pairs`).
    ExcludeHead(usize),
    /// The second word of an exclude pair.
    ExcludeTail(usize),
    /// A topic marker of a type (课程, 内容 for 人员培训).
    Topic(usize),
    /// A topic suffix of a type (培训 for 人员培训).
    TopicSuffix(usize),
    /// A word that marks a report on the drug situation.
    Report,
}

/// The least probability at which `jindu tag` shows the model's score of a type neither the
/// rules nor the model gave.
const SHOWN_PROBABILITY: f32 = 0.2;

/// The most chars between a subject's cue and the topic suffix after it (海洛因查缉和情报研判培训).
const TOPIC_SUFFIX_GAP: usize = 8;

/// What a gate word means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
    Signal,
    Exclude,
}

/// The compiled taxonomy.
#[derive(Debug)]
pub(crate) struct CoopTypes {
    names: Vec<String>,
    /// Per type: the types it gives way to when it has only weak cues.
    yields_to: Vec<Vec<usize>>,
    /// Per type: whether its cues count inside an organisation's name.
    in_names: Vec<bool>,
    cues: PhraseSet<Cue>,
    /// Per pair cue: its type.
    pairs: Vec<usize>,
    /// Per exclude pair: its type.
    exclude_pairs: Vec<usize>,
    gate: PhraseSet<Gate>,
    /// Words that show a second side besides one foreign country (中方, 两国, 合作 …); `None`
    /// when the taxonomy lists none.
    partners: Option<PhraseSet<()>>,
    model: Option<TypeModel>,
}

/// Types found before the gate is applied.
#[derive(Debug, Default)]
pub(crate) struct CoopFindings {
    /// Types whose cues are sufficient, in taxonomy order.
    pub types: Vec<Explained>,
    /// Types with a single weak cue, and cues inside exclude phrases.
    pub rejected: Vec<Rejected>,
    /// The word that makes the text a report on the drug situation, if one does.
    pub report: Option<Trigger>,
    /// Per type: whether the context ruled it out, so the model may not add it: in a report,
    /// or when every cue of the type the text has was set aside (an exclude phrase, an
    /// organisation's name, a longer cue, a course's subject) or the type gave way to another.
    pub blocked: Vec<bool>,
    /// The spans that name a course's subjects (after 课程, 讲授 … in a training text, to the
    /// end of the sentence): a foreign place or signal word there opens no international gate.
    pub topics: Vec<(usize, usize)>,
}

/// A cue at chars `start..end` of `text` that was seen but not used, and why.
fn unused(text: &Text, start: usize, end: usize, reason: String) -> Rejected {
    Rejected {
        field: "coop_types",
        word: text.word(start, end),
        start,
        end,
        reason,
    }
}

/// A type not given, told at its first trigger.
fn not_given(triggers: &[Trigger], reason: String) -> Option<Rejected> {
    triggers
        .first()
        .map(|first| Rejected::coop_type(first, reason))
}

impl CoopTypes {
    /// Compiles the taxonomy.
    pub fn new(taxonomy: &Taxonomy, model: Option<&CoopModel>) -> Result<CoopTypes, TaggerError> {
        let names: Vec<String> = taxonomy.types.iter().map(|t| t.name.clone()).collect();
        let mut entries = Vec::new();
        let mut pairs = Vec::new();
        let mut exclude_pairs = Vec::new();
        let words = |list: &[String], cue: Cue| -> Vec<(String, Cue, bool)> {
            list.iter().map(|w| (w.clone(), cue, false)).collect()
        };
        for (index, coop) in taxonomy.types.iter().enumerate() {
            for (head, tail) in coop.pair_words() {
                entries.push((head.to_string(), Cue::PairHead(pairs.len()), false));
                entries.push((tail.to_string(), Cue::PairTail(pairs.len()), false));
                pairs.push(index);
            }
            for (head, tail) in coop.exclude_pair_words() {
                let pair = exclude_pairs.len();
                entries.push((head.to_string(), Cue::ExcludeHead(pair), false));
                entries.push((tail.to_string(), Cue::ExcludeTail(pair), false));
                exclude_pairs.push(index);
            }
            // A type's own name (人员培训 in a list of cooperation modes) is a strong cue.
            entries.push((coop.name.clone(), Cue::Strong(index), false));
            entries.extend(words(&coop.cues, Cue::Strong(index)));
            entries.extend(words(&coop.weak_cues, Cue::Weak(index)));
            entries.extend(words(&coop.exclude, Cue::Exclude(index)));
            entries.extend(words(&coop.topic_markers, Cue::Topic(index)));
            entries.extend(words(&coop.topic_suffixes, Cue::TopicSuffix(index)));
        }
        entries.extend(words(&taxonomy.reports.markers, Cue::Report));
        let gate = &taxonomy.international;
        let gate_entries = gate
            .signals
            .iter()
            .map(|w| (w.clone(), Gate::Signal, false))
            .chain(
                gate.exclude
                    .iter()
                    .map(|w| (w.clone(), Gate::Exclude, false)),
            );
        Ok(CoopTypes {
            model: model.map(|m| TypeModel::new(m, &names)),
            names,
            in_names: taxonomy.types.iter().map(|t| t.in_names).collect(),
            yields_to: taxonomy
                .types
                .iter()
                .map(|t| {
                    t.yields_to
                        .iter()
                        .filter_map(|name| taxonomy.types.iter().position(|u| &u.name == name))
                        .collect()
                })
                .collect(),
            cues: PhraseSet::new(entries, Overlaps::All)?,
            pairs,
            exclude_pairs,
            gate: PhraseSet::new(gate_entries, Overlaps::Longest)?,
            partners: if gate.partners.is_empty() {
                None
            } else {
                Some(PhraseSet::new(
                    gate.partners.iter().map(|w| (w.clone(), (), false)),
                    Overlaps::Longest,
                )?)
            },
        })
    }

    /// The signal words of the international gate found in `text`.
    pub fn signals(&self, text: &Text) -> Vec<Trigger> {
        self.gate
            .find(text)
            .into_iter()
            .filter(|o| {
                let targets = self.gate.targets(o.word);
                targets.contains(&Gate::Signal) && !targets.contains(&Gate::Exclude)
            })
            .map(|o| Trigger {
                word: text.word(o.start, o.end),
                start: o.start,
                end: o.end,
                rule: Rule::Signal,
            })
            .collect()
    }

    /// Whether `text` names no second side besides one foreign country: none of the
    /// taxonomy's partner words (中方, 两国, 合作 …). Always false when the taxonomy lists
    /// none, so a knowledge folder without them keeps every foreign country as a side.
    pub fn names_no_partner(&self, text: &Text) -> bool {
        self.partners
            .as_ref()
            .is_some_and(|partners| partners.find(text).is_empty())
    }

    /// The types whose cues occur in `text` (the gate is the caller's). `names` are the spans
    /// of organisation names: a cue strictly inside one (禁毒合作谅解备忘录 inside
    /// 湄公河次区域禁毒合作谅解备忘录) counts only for types marked `in_names`.
    pub fn find(&self, text: &Text, names: &[(usize, usize)]) -> CoopFindings {
        let mut findings = CoopFindings::default();
        let occurrences = self.cues.find(text);
        // (occurrence, type, strong) for every cue that is not inside its type's exclusions.
        let mut cues: Vec<(Occurrence, usize, bool)> = Vec::new();
        let sentences = SentenceEnds::new(&text.chars);
        let excludes = SpanIndex::new(
            self.marked(&occurrences, |cue| match cue {
                Cue::Exclude(ty) => Some(ty),
                _ => None,
            })
            .into_iter()
            .map(|(o, ty)| (o.start, o.end, ty))
            .chain(self.exclude_pair_spans(&sentences, &occurrences))
            .collect(),
        );
        let names = SpanIndex::new(names.iter().map(|&(start, end)| (start, end, ())).collect());
        let mut seen = vec![false; self.names.len()];
        for occurrence in &occurrences {
            for target in self.cues.targets(occurrence.word) {
                let (ty, strong) = match *target {
                    Cue::Strong(ty) | Cue::Weak(ty) => {
                        seen[ty] = true;
                        (ty, matches!(target, Cue::Strong(_)))
                    }
                    Cue::Exclude(_)
                    | Cue::PairHead(_)
                    | Cue::PairTail(_)
                    | Cue::ExcludeHead(_)
                    | Cue::ExcludeTail(_)
                    | Cue::Topic(_)
                    | Cue::TopicSuffix(_)
                    | Cue::Report => continue,
                };
                let excluded = excludes.containing(occurrence.start, occurrence.end, |e| e.2 == ty);
                if let Some(&(e_start, e_end, _)) = excluded {
                    findings.rejected.push(unused(
                        text,
                        occurrence.start,
                        occurrence.end,
                        format!(
                            "cue of {} inside the exclude phrase {}",
                            self.names[ty],
                            text.word(e_start, e_end)
                        ),
                    ));
                    continue;
                }
                let inside_name = names.containing(occurrence.start, occurrence.end, |n| {
                    n.1 - n.0 > occurrence.end - occurrence.start
                });
                if let (Some((start, end, _)), false) = (inside_name, self.in_names[ty]) {
                    findings.rejected.push(unused(
                        text,
                        occurrence.start,
                        occurrence.end,
                        format!(
                            "cue of {} inside the organisation name {}",
                            self.names[ty],
                            text.word(*start, *end)
                        ),
                    ));
                    continue;
                }
                cues.push((*occurrence, ty, strong));
            }
        }
        // A cue inside a longer cue (社区 inside 社区戒毒) does not count on its own.
        let mut spans: Vec<Occurrence> = cues.iter().map(|(o, _, _)| *o).collect();
        spans.sort_by_key(|o| (o.start, std::cmp::Reverse(o.end), o.word));
        spans.dedup();
        let outer: HashSet<(usize, usize, usize)> = drop_contained(spans)
            .into_iter()
            .map(|o| (o.start, o.end, o.word))
            .collect();
        cues.retain(|(o, _, _)| outer.contains(&(o.start, o.end, o.word)));
        findings.topics = self.drop_topics(
            text,
            &sentences,
            &occurrences,
            &mut cues,
            &mut findings.rejected,
        );
        let pair_hits = self.pair_hits(&sentences, &occurrences, &excludes, &names);
        let report = occurrences.iter().find(|o| {
            self.cues
                .targets(o.word)
                .iter()
                .any(|t| matches!(t, Cue::Report))
        });
        findings.report = report.map(|o| Trigger {
            word: text.word(o.start, o.end),
            start: o.start,
            end: o.end,
            rule: Rule::Report,
        });

        // (type, strong, triggers) for every type whose cues suffice.
        let mut given: Vec<(usize, bool, Vec<Trigger>)> = Vec::new();
        for (ty, name) in self.names.iter().enumerate() {
            let mine: Vec<&(Occurrence, usize, bool)> = cues.iter().filter(|c| c.1 == ty).collect();
            let my_pairs: Vec<&(usize, Occurrence, Occurrence)> =
                pair_hits.iter().filter(|p| p.0 == ty).collect();
            if mine.is_empty() && my_pairs.is_empty() {
                continue;
            }
            let strong = mine.iter().any(|c| c.2) || !my_pairs.is_empty();
            // Two different weak cues count only within one sentence: across a long text two
            // common words (交流 here, 交换 there) meet by chance.
            let mut weak_words: Vec<(u32, &str)> = mine
                .iter()
                .filter(|c| !c.2)
                .map(|c| {
                    (
                        sentences.index(c.0.start),
                        text.norm_slice(c.0.start, c.0.end),
                    )
                })
                .collect();
            weak_words.sort_unstable();
            weak_words.dedup();
            let weak_together = weak_words
                .windows(2)
                .any(|pair| pair[0].0 == pair[1].0 && pair[0].1 != pair[1].1);
            let mut triggers: Vec<Trigger> = mine
                .iter()
                .map(|(o, _, strong)| Trigger {
                    word: text.word(o.start, o.end),
                    start: o.start,
                    end: o.end,
                    rule: if *strong {
                        Rule::StrongCue
                    } else {
                        Rule::WeakCue
                    },
                })
                .chain(my_pairs.iter().flat_map(|(_, head, tail)| {
                    [head, tail].map(|o| Trigger {
                        word: text.word(o.start, o.end),
                        start: o.start,
                        end: o.end,
                        rule: Rule::PairCue,
                    })
                }))
                .collect();
            triggers.sort_by_key(|t| (t.start, t.end));
            triggers.dedup();
            // In a report, pair cues (调查…罂粟种植) describe the survey too: only a strong
            // single cue makes the type.
            let single_strong = mine.iter().any(|c| c.2);
            if let (false, Some(marker)) = (single_strong, report) {
                findings.rejected.extend(not_given(
                    &triggers,
                    format!(
                        "no strong cue of {name} in a report on the drug situation ({})",
                        text.word(marker.start, marker.end)
                    ),
                ));
            } else if strong || weak_together {
                given.push((ty, strong, triggers));
            } else {
                findings
                    .rejected
                    .extend(not_given(&triggers, format!("only one weak cue of {name}")));
            }
        }
        findings.blocked = (0..self.names.len())
            .map(|ty| {
                let counted = cues.iter().any(|c| c.1 == ty) || pair_hits.iter().any(|p| p.0 == ty);
                report.is_some() || (seen[ty] && !counted)
            })
            .collect();
        let given_types: Vec<usize> = given.iter().map(|(ty, _, _)| *ty).collect();
        for (ty, strong, triggers) in given {
            let winner = self.yields_to[ty].iter().find(|w| given_types.contains(w));
            match winner {
                Some(winner) if !strong => {
                    findings.blocked[ty] = true;
                    findings.rejected.extend(not_given(
                        &triggers,
                        format!(
                            "{} has only weak cues and gives way to {}",
                            self.names[ty], self.names[*winner]
                        ),
                    ))
                }
                _ => findings.types.push(Explained {
                    value: self.names[ty].clone(),
                    triggers,
                }),
            }
        }
        findings
    }

    /// The rules' `types` as the model judges them (unchanged without a model): a type the
    /// model finds too unlikely is dropped (told in `rejected`), one it is sure of is added,
    /// with the n-grams that weighed most as its triggers. Returns the types, in taxonomy
    /// order, and the model's score of every type it kept, dropped or added or gave at least
    /// [`SHOWN_PROBABILITY`]. Texts over [`model::MAX_CHARS`] chars keep the rules' types; a
    /// type the context ruled out (`blocked`, see [`CoopFindings::blocked`]) is not added.
    pub fn judge(
        &self,
        text: &Text,
        types: Vec<Explained>,
        blocked: &[bool],
        rejected: &mut Vec<Rejected>,
    ) -> (Vec<Explained>, Vec<ModelScore>) {
        let Some(model) = self
            .model
            .as_ref()
            .filter(|_| text.len() <= model::MAX_CHARS)
        else {
            return (types, Vec::new());
        };
        let (add, drop) = model.thresholds();
        let mut by_rules: Vec<Option<Explained>> = vec![None; self.names.len()];
        for entry in types {
            if let Some(ty) = self.names.iter().position(|n| n == &entry.value) {
                by_rules[ty] = Some(entry);
            }
        }
        let mut judged = Vec::new();
        let mut scores = Vec::new();
        for (ty, scored) in model.score(&text.norm.text).into_iter().enumerate() {
            let rules = by_rules[ty].take();
            let Some(scored) = scored else {
                judged.extend(rules);
                continue;
            };
            let p = scored.probability;
            let ruled_out = blocked.get(ty).copied().unwrap_or(false);
            let verdict = decide(rules.is_some(), p, (add, drop), ruled_out);
            if verdict != Verdict::NotGiven || p >= SHOWN_PROBABILITY {
                scores.push(ModelScore {
                    value: self.names[ty].clone(),
                    probability: (p * 1000.0).round() / 1000.0,
                    verdict,
                });
            }
            match (verdict, rules) {
                (Verdict::Dropped, Some(entry)) => rejected.extend(not_given(
                    &entry.triggers,
                    format!(
                        "the model gives {} p = {p:.3}, under its drop threshold {drop}",
                        self.names[ty]
                    ),
                )),
                (Verdict::Added, _) => judged.push(Explained {
                    value: self.names[ty].clone(),
                    triggers: scored
                        .reasons
                        .iter()
                        .map(|&(start, end)| Trigger {
                            word: text.word(start, end),
                            start,
                            end,
                            rule: Rule::Model,
                        })
                        .collect(),
                }),
                (_, rules) => judged.extend(rules),
            }
        }
        (judged, scores)
    }

    /// The occurrences whose word has a target `pick` accepts, with what it returns for it.
    fn marked(
        &self,
        occurrences: &[Occurrence],
        pick: impl Fn(Cue) -> Option<usize>,
    ) -> Vec<(Occurrence, usize)> {
        occurrences
            .iter()
            .flat_map(|o| {
                self.cues
                    .targets(o.word)
                    .iter()
                    .filter_map(|t| pick(*t))
                    .map(move |n| (*o, n))
            })
            .collect()
    }
}
