//! The cooperation-type taxonomy (`taxonomy.toml`): the thirteen types in facet order, each
//! with strong cues, weak cues and exclude phrases, plus the words that signal an
//! international side (the "international gate").

use std::collections::HashSet;
use std::path::Path;

use serde::Deserialize;

use super::toml_file::{line_of_value, parse};
use super::KnowledgeError;

/// One cooperation type.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoopType {
    /// Canonical facet value.
    pub name: String,
    /// Short definition.
    #[serde(default)]
    pub definition: String,
    /// Strong cues: one occurrence is enough.
    #[serde(default)]
    pub cues: Vec<String>,
    /// Weak cues: two different ones are needed.
    #[serde(default)]
    pub weak_cues: Vec<String>,
    /// Phrases containing a cue that do not mean the type.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Pair cues written `A…B`: A and then B in the same sentence, at most
    /// [`PAIR_MAX_GAP`] chars apart (联合…行动 in 联合开展打击走私专项行动). Strong.
    #[serde(default)]
    pub pairs: Vec<String>,
    /// Exclude pairs written `A…B`: when A is followed by B in one sentence at most
    /// [`PAIR_MAX_GAP`] chars later, a cue of this type inside A or inside B does not count
    /// (联络官…会晤: liaison officers' regular meetings are case work, not policy talks).
    #[serde(default)]
    pub exclude_pairs: Vec<String>,
    /// Words after which, in the same sentence, other types' cues name the subject of this
    /// type's work (课程涵盖情报分析和控制下交付 in a training text): when this type has a
    /// strong cue, they do not count for their own types.
    #[serde(default)]
    pub topic_markers: Vec<String>,
    /// Words before which, close by and in the same clause, other types' cues are the subject
    /// of this type's work (海洛因查缉和情报研判培训): the same as `topic_markers`, for a
    /// subject named first.
    #[serde(default)]
    pub topic_suffixes: Vec<String>,
    /// Types this one gives way to: when this type has only weak cues and one of these is
    /// given, this one is not (a training course on laboratory work is 人员培训 only).
    #[serde(default)]
    pub yields_to: Vec<String>,
    /// Whether this type's cues count inside an organisation's name (亚太禁毒联络官 inside
    /// 亚太禁毒联络官会议 is still a multilateral cue; 禁毒合作谅解备忘录 inside
    /// 湄公河次区域禁毒合作谅解备忘录 is no bilateral agreement).
    #[serde(default)]
    pub in_names: bool,
}

/// The most chars between the two words of a pair cue.
pub const PAIR_MAX_GAP: usize = 16;

/// The separator between the two words of a pair cue.
pub const PAIR_SEPARATOR: char = '…';

impl CoopType {
    /// The pair cues split into their two words (checked non-empty by [`Taxonomy::parse`]).
    pub fn pair_words(&self) -> impl Iterator<Item = (&str, &str)> {
        split_pairs(&self.pairs)
    }

    /// The exclude pairs split into their two words (checked like the pair cues).
    pub fn exclude_pair_words(&self) -> impl Iterator<Item = (&str, &str)> {
        split_pairs(&self.exclude_pairs)
    }
}

/// `A…B` entries split into their two words.
fn split_pairs(pairs: &[String]) -> impl Iterator<Item = (&str, &str)> {
    pairs
        .iter()
        .filter_map(|pair| pair.split_once(PAIR_SEPARATOR))
}

/// Words that show a text has a foreign side, beyond places and organisations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InternationalGate {
    /// Signal words (国际, 跨国, 境外 …).
    #[serde(default)]
    pub signals: Vec<String>,
    /// Phrases containing a signal that do not show a foreign side (国际禁毒日 …).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Words that show a second side besides a foreign country (中方, 我国, 大陆, 云南, 两国,
    /// 合作, 协助 …). A text whose only foreign side is one country, with no organisation, no
    /// signal word and none of these, reports that country's own work (缅甸警方捣毁一个制毒
    /// 工厂), not cooperation.
    #[serde(default)]
    pub partners: Vec<String>,
}

/// The whole taxonomy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Taxonomy {
    /// The types, in facet order.
    #[serde(default, rename = "type")]
    pub types: Vec<CoopType>,
    /// The international gate.
    #[serde(default)]
    pub international: InternationalGate,
    /// Reports on the drug situation.
    #[serde(default)]
    pub reports: Reports,
}

/// Words that mark a report on the drug situation (调查显示, 报告指出): in a text that has one,
/// a type without a strong single cue is the subject of the report (种植面积, 监测), not
/// cooperation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reports {
    /// The marker words.
    #[serde(default)]
    pub markers: Vec<String>,
}

impl Taxonomy {
    /// Parses and checks `taxonomy.toml`: type names are unique and every type has a cue.
    pub fn parse(path: &Path, text: &str) -> Result<Taxonomy, KnowledgeError> {
        let taxonomy: Taxonomy = parse(path, text)?;
        let mut seen = HashSet::new();
        for coop in &taxonomy.types {
            let invalid = |message: String| KnowledgeError::Invalid {
                path: path.to_path_buf(),
                line: line_of_value(text, &coop.name),
                message,
            };
            if coop.name.trim().is_empty() {
                return Err(invalid("a type has an empty name".to_string()));
            }
            if !seen.insert(coop.name.as_str()) {
                return Err(invalid(format!("type {:?} is listed twice", coop.name)));
            }
            if coop.cues.is_empty() && coop.weak_cues.is_empty() {
                return Err(invalid(format!("type {:?} has no cues", coop.name)));
            }
            if let Some(unknown) = coop
                .yields_to
                .iter()
                .find(|name| !taxonomy.types.iter().any(|t| &t.name == *name))
            {
                return Err(invalid(format!(
                    "type {:?} yields to unknown type {unknown:?}",
                    coop.name
                )));
            }
            if let Some(bad) = coop.pairs.iter().chain(&coop.exclude_pairs).find(|pair| {
                pair.split(PAIR_SEPARATOR)
                    .filter(|w| !w.trim().is_empty())
                    .count()
                    != 2
                    || pair.matches(PAIR_SEPARATOR).count() != 1
            }) {
                return Err(invalid(format!(
                    "type {:?}: pair cue or exclude pair {bad:?} is not two words joined by {PAIR_SEPARATOR}",
                    coop.name
                )));
            }
            let words = coop
                .cues
                .iter()
                .chain(&coop.weak_cues)
                .chain(&coop.exclude)
                .chain(&coop.topic_markers)
                .chain(&coop.topic_suffixes);
            if words.into_iter().any(|w| w.trim().is_empty()) {
                return Err(invalid(format!("type {:?} has an empty cue", coop.name)));
            }
        }
        Ok(taxonomy)
    }

    /// The type names, in facet order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.types.iter().map(|t| t.name.as_str())
    }
}
