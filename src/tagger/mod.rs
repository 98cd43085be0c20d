//! The tagger: derives missing metadata (countries, organisations, cooperation types, drug
//! types and the year) from a document's own text, with the words that triggered each value.
//! Explicit metadata always wins; `[]` means "explicitly none" and is kept; what is derived is
//! recorded apart in [`Derived`]. Uses knowledge (the tables) and analysis (normalization,
//! and jieba to tell a one-character abbreviation from part of a word); no index.
//!
//! Matching runs on normalized text (width, case, traditional → simplified), so traditional
//! and full-width input is tagged like simplified; upper-case acronyms and ISO codes are
//! matched on the text with its case kept.

mod coop;
mod drugs;
pub mod eval;
mod explanation;
mod phrases;
mod places;
mod spans;
mod text;
pub mod train;
mod year;

pub use coop::model::{decide, ModelScore, Verdict};
pub use explanation::{Explained, ExplainedYear, Explanation, Rejected, Rule, Trigger};

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::analysis::Analyzer;
use crate::corpus::{date_year, Document};
use crate::knowledge::Knowledge;
use coop::CoopTypes;
use drugs::Drugs;
use places::Places;
use text::Text;

/// Values the tagger filled in, field by field (`None`: the field was given, not derived;
/// `Some(vec![])`: derived, and nothing was found).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Derived {
    /// Derived countries and regions.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub countries: Option<Vec<String>>,
    /// Derived organisations.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub organizations: Option<Vec<String>>,
    /// Derived cooperation types.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub coop_types: Option<Vec<String>>,
    /// Derived drug types.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub drug_types: Option<Vec<String>>,
    /// Derived year.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub year: Option<i32>,
}

impl Derived {
    /// Whether nothing was derived.
    pub fn is_empty(&self) -> bool {
        self == &Derived::default()
    }
}

/// Why a tagger could not be built from the knowledge.
#[derive(Debug, thiserror::Error)]
pub enum TaggerError {
    /// A matcher could not be compiled (too many or too long words).
    #[error("cannot compile the tagger's word lists: {0}")]
    Build(String),
}

/// The tagger, compiled once from the knowledge and shared (all methods take `&self`).
#[derive(Debug)]
pub struct Tagger {
    places: Places,
    coop: CoopTypes,
    drugs: Drugs,
    analyzer: Arc<Analyzer>,
}

impl Tagger {
    /// Compiles the knowledge's tables, with a jieba analyzer of its own (about 0.3 s).
    pub fn new(knowledge: &Knowledge) -> Result<Tagger, TaggerError> {
        Tagger::with_analyzer(knowledge, Arc::new(Analyzer::new(knowledge)))
    }

    /// Compiles the knowledge's tables, sharing an analyzer built from the same knowledge.
    pub fn with_analyzer(
        knowledge: &Knowledge,
        analyzer: Arc<Analyzer>,
    ) -> Result<Tagger, TaggerError> {
        Ok(Tagger {
            places: Places::new(&knowledge.gazetteer)?,
            coop: CoopTypes::new(&knowledge.taxonomy, knowledge.coop_model.as_ref())?,
            drugs: Drugs::new(&knowledge.drugs)?,
            analyzer,
        })
    }

    /// Everything the tagger would derive from `text`, with its reasons.
    pub fn explain(&self, text: &str) -> Explanation {
        self.explain_with(text, false)
    }

    /// What the tagger would derive for `document` (title and body, joined by a line break:
    /// offsets count from the start of the title). Its explicit countries and organisations
    /// also open the international gate; explicit values themselves are not looked at.
    pub fn explain_document(&self, document: &Document) -> Explanation {
        let foreign = document.countries.as_ref().is_some_and(|c| !c.is_empty())
            || document
                .organizations
                .as_ref()
                .is_some_and(|o| !o.is_empty());
        self.explain_with(&document_text(document), foreign)
    }

    /// Fills what `document` leaves unknown (`None`) and says what was filled, including
    /// fields where nothing was found (`Some(vec![])`). The year comes from the metadata,
    /// else the `date`, else the text's own dated event.
    pub fn tag(&self, document: &mut Document) -> Derived {
        let mut derived = Derived::default();
        let needs_text = document.countries.is_none()
            || document.organizations.is_none()
            || document.coop_types.is_none()
            || document.drug_types.is_none()
            || (document.year.is_none() && document.date.as_deref().and_then(date_year).is_none());
        if !needs_text {
            if document.year.is_none() {
                if let Some(year) = document.date.as_deref().and_then(date_year) {
                    document.year = Some(year);
                    derived.year = Some(year);
                }
            }
            return derived;
        }
        let explanation = self.explain_document(document);
        let fill = |field: &mut Option<Vec<String>>,
                    derived: &mut Option<Vec<String>>,
                    found: &[Explained]| {
            if field.is_none() {
                let values = Explanation::values(found);
                *field = Some(values.clone());
                *derived = Some(values);
            }
        };
        fill(
            &mut document.countries,
            &mut derived.countries,
            &explanation.countries,
        );
        fill(
            &mut document.organizations,
            &mut derived.organizations,
            &explanation.organizations,
        );
        fill(
            &mut document.coop_types,
            &mut derived.coop_types,
            &explanation.coop_types,
        );
        fill(
            &mut document.drug_types,
            &mut derived.drug_types,
            &explanation.drug_types,
        );
        if document.year.is_none() {
            let year = document
                .date
                .as_deref()
                .and_then(date_year)
                .or(explanation.year.as_ref().map(|y| y.value));
            if let Some(year) = year {
                document.year = Some(year);
                derived.year = Some(year);
            }
        }
        derived
    }

    fn explain_with(&self, original: &str, foreign_metadata: bool) -> Explanation {
        let text = Text::new(original);
        let places = self.places.find(&text, &self.analyzer);
        let mut rejected = places.rejected;

        // (trigger, the country it names, if it names one) for each side that may open the
        // gate. A nationality (尼日利亚籍男子, 缅籍) names a foreign person, not a foreign
        // side: a country opens the gate by a mention that is not one.
        let mut sides: Vec<(Trigger, Option<usize>)> = Vec::new();
        for (index, entry) in places.countries.iter().enumerate() {
            let partner = entry
                .triggers
                .iter()
                .find(|t| text.char_at(t.end) != Some('籍'));
            sides.extend(partner.map(|t| (t.clone(), Some(index))));
        }
        for entry in &places.organizations {
            sides.extend(entry.triggers.first().map(|t| (t.clone(), None)));
        }
        sides.extend(
            self.coop
                .signals(&text)
                .into_iter()
                .filter(|t| !places::names_a_facility(&text, t.end))
                .map(|t| (t, None)),
        );
        let names: Vec<(usize, usize)> = places
            .organizations
            .iter()
            .flat_map(|o| o.triggers.iter().map(|t| (t.start, t.end)))
            .collect();
        let coop = self.coop.find(&text, &names);
        rejected.extend(coop.rejected);
        // A domestic course whose subjects include 国际禁毒形势 or 新、马等国毒品形势 has no
        // foreign side: a mention inside a course's subjects opens no gate.
        sides.retain(|(t, _)| {
            let subject = coop
                .topics
                .iter()
                .any(|&(start, end)| start <= t.start && t.end <= end);
            if subject {
                rejected.push(Rejected::coop_type(
                    t,
                    "a course's subject, not an international side".to_string(),
                ));
            }
            !subject
        });
        // One foreign country and nobody else (缅甸警方在掸邦捣毁一个制毒工厂: no
        // organisation, no signal word, no bilateral compound, no partner word such as 中方,
        // 两国 or 合作) is that country's own work, not cooperation.
        let mut countries: Vec<usize> = sides.iter().filter_map(|(_, c)| *c).collect();
        countries.dedup();
        let one_sided = countries.len() == 1
            && sides
                .iter()
                .all(|(t, c)| c.is_some() && t.rule != Rule::Bilateral)
            && self.coop.names_no_partner(&text);
        if one_sided {
            for (t, _) in sides.drain(..) {
                rejected.push(Rejected::coop_type(
                    &t,
                    "the only foreign side, with no partner named (中方, 两国, 合作 …): \
                     that country's own work, not cooperation"
                        .to_string(),
                ));
            }
        }
        let mut international: Vec<Trigger> = sides.into_iter().map(|(t, _)| t).collect();
        international.sort_by_key(|t| (t.start, t.end));
        let mut coop_model = Vec::new();
        let coop_types = if international.is_empty() && !foreign_metadata {
            for entry in &coop.types {
                if let Some(first) = entry.triggers.first() {
                    rejected.push(Rejected::coop_type(
                        first,
                        format!(
                            "{}: no international side (no foreign partner, organisation or signal word)",
                            entry.value
                        ),
                    ));
                }
            }
            Vec::new()
        } else {
            let (types, scores) = self
                .coop
                .judge(&text, coop.types, &coop.blocked, &mut rejected);
            coop_model = scores;
            types
        };
        let (year, year_rejected) = year::find_year(&text);
        rejected.extend(year_rejected);
        rejected.sort_by_key(|r| (r.start, r.end));
        Explanation {
            countries: places.countries,
            organizations: places.organizations,
            coop_types,
            drug_types: self.drugs.find(&text),
            year,
            international,
            rejected,
            report: coop.report,
            coop_model,
        }
    }

    /// The canonical drug names of a short string (an annotated entity such as “麻古”).
    pub fn drug_names(&self, word: &str) -> Vec<String> {
        self.drugs.canonical(word)
    }
}

/// The text the tagger reads for a document: the title, a line break, the body.
pub fn document_text(document: &Document) -> String {
    if document.title.is_empty() {
        return document.body.clone();
    }
    format!("{}\n{}", document.title, document.body)
}
