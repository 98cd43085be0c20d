//! What the tagger found and why: each derived value with the words (and their char offsets)
//! that triggered it, and what it saw but did not use.

use serde::Serialize;

/// Which rule turned a word into a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// The canonical name.
    Name,
    /// An alias (full, short, traditional, English name, or an agency of one country).
    Alias,
    /// An ISO code written as a whole upper-case word.
    Code,
    /// A place inside the country.
    Place,
    /// A fixed compound of regions (港澳, 港澳台).
    Compound,
    /// A one-character abbreviation in a 、-enumeration (美、俄、老).
    Enumeration,
    /// A one-character abbreviation in a bilateral compound or a run of them (中美, 中老缅泰).
    Bilateral,
    /// A one-character abbreviation before 方 or 籍 (美方, 缅籍).
    Party,
    /// A strong cue of a cooperation type.
    StrongCue,
    /// A weak cue of a cooperation type (two different ones are needed).
    WeakCue,
    /// One word of a pair cue of a cooperation type (both in one sentence, close together).
    PairCue,
    /// A word that marks a report on the drug situation (调查显示, 报告指出 …).
    Report,
    /// An n-gram that weighed most for a type the trained model added.
    Model,
    /// A word that shows an international side (国际, 跨国, 境外 …).
    Signal,
    /// A drug name or alias.
    Drug,
    /// A year written in the text.
    Year,
    /// The year of the document's `date`.
    Date,
}

/// One word of the text that triggered a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trigger {
    /// The word as written in the text.
    pub word: String,
    /// Its first char (Unicode code points from the start of the text).
    pub start: usize,
    /// One past its last char.
    pub end: usize,
    /// The rule that applied.
    pub rule: Rule,
}

/// One derived value and the words behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explained {
    /// The canonical value.
    pub value: String,
    /// Every occurrence that supports it, in text order.
    pub triggers: Vec<Trigger>,
}

/// The derived year and the words behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExplainedYear {
    /// The year.
    pub value: i32,
    /// The year expressions that qualified (the value is the latest).
    pub triggers: Vec<Trigger>,
}

/// Something the tagger saw but did not use, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    /// The field it would have gone to (`countries`, `coop_types`, `year` …).
    pub field: &'static str,
    /// The word as written.
    pub word: String,
    /// Its first char.
    pub start: usize,
    /// One past its last char.
    pub end: usize,
    /// Why it was not used.
    pub reason: String,
}

impl Rejected {
    /// `trigger`, seen but not used for a cooperation type, for `reason`.
    pub fn coop_type(trigger: &Trigger, reason: String) -> Rejected {
        Rejected {
            field: "coop_types",
            word: trigger.word.clone(),
            start: trigger.start,
            end: trigger.end,
            reason,
        }
    }
}

/// Everything the tagger derives from one text.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Explanation {
    /// Countries and regions, in order of first mention.
    pub countries: Vec<Explained>,
    /// Organisations, in order of first mention.
    pub organizations: Vec<Explained>,
    /// Cooperation types, in taxonomy order.
    pub coop_types: Vec<Explained>,
    /// Drug types, in order of first mention.
    pub drug_types: Vec<Explained>,
    /// The document's own year, if one qualifies.
    pub year: Option<ExplainedYear>,
    /// The words that show a foreign side (needed for any cooperation type).
    pub international: Vec<Trigger>,
    /// What was seen but not used.
    pub rejected: Vec<Rejected>,
    /// The word that makes the text a report on the drug situation, where a cooperation type
    /// needs a strong cue (and the model adds none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<Trigger>,
    /// The cooperation-type model's probabilities, for the types it kept, dropped or added
    /// and any other it found likely (empty without a model, or behind a closed gate).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub coop_model: Vec<super::coop::model::ModelScore>,
}

impl Explanation {
    /// The values of one list field.
    pub fn values(explained: &[Explained]) -> Vec<String> {
        explained.iter().map(|e| e.value.clone()).collect()
    }
}

/// Adds `trigger` to the entry for `value`, creating it (at the end) if needed.
pub(crate) fn push_trigger(list: &mut Vec<Explained>, value: &str, trigger: Trigger) {
    match list.iter_mut().find(|e| e.value == value) {
        Some(entry) => entry.triggers.push(trigger),
        None => list.push(Explained {
            value: value.to_string(),
            triggers: vec![trigger],
        }),
    }
}

/// Orders entries by their first trigger and each entry's triggers by position.
pub(crate) fn order_by_first_mention(list: &mut [Explained]) {
    for entry in list.iter_mut() {
        entry.triggers.sort_by_key(|t| (t.start, t.end));
    }
    list.sort_by_key(|e| e.triggers.first().map(|t| t.start).unwrap_or(usize::MAX));
}
