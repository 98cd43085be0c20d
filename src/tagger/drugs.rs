//! Drug types from the drug table: names and aliases, longest match first, so that 甲卡西酮 is
//! not also 卡西酮 and 阿片类药物 is not 鸦片.

use super::explanation::{
    order_by_first_mention, push_trigger, Explained, Explanation, Rule, Trigger,
};
use super::phrases::{Overlaps, PhraseSet};
use super::text::Text;
use super::TaggerError;
use crate::knowledge::DrugTable;

/// The compiled drug table.
#[derive(Debug)]
pub(crate) struct Drugs {
    names: Vec<String>,
    words: PhraseSet<usize>,
}

impl Drugs {
    /// Compiles the table.
    pub fn new(table: &DrugTable) -> Result<Drugs, TaggerError> {
        let entries = table.drugs.iter().enumerate().flat_map(|(index, drug)| {
            std::iter::once(&drug.name)
                .chain(&drug.aliases)
                .map(move |word| (word.clone(), index, false))
        });
        Ok(Drugs {
            names: table.drugs.iter().map(|d| d.name.clone()).collect(),
            words: PhraseSet::new(entries, Overlaps::Longest)?,
        })
    }

    /// The drug types named in `text`, in order of first mention.
    pub fn find(&self, text: &Text) -> Vec<Explained> {
        let mut found = Vec::new();
        for occurrence in self.words.find(text) {
            for &drug in self.words.targets(occurrence.word) {
                push_trigger(
                    &mut found,
                    &self.names[drug],
                    Trigger {
                        word: text.word(occurrence.start, occurrence.end),
                        start: occurrence.start,
                        end: occurrence.end,
                        rule: Rule::Drug,
                    },
                );
            }
        }
        order_by_first_mention(&mut found);
        found
    }

    /// The canonical drug names of a short string (an annotated entity such as “麻古”).
    pub fn canonical(&self, word: &str) -> Vec<String> {
        Explanation::values(&self.find(&Text::new(word)))
    }
}
