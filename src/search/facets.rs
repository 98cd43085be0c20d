//! The facets: which fields are counted and filtered, under which API names, and the shapes
//! their counts take in results.

use serde::{Deserialize, Serialize};

use crate::index::FACET_FIELDS;

/// Most values returned per facet.
pub const MAX_FACET_VALUES: usize = 200;

/// A multi-valued text facet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextFacet {
    /// 国家/地区.
    Country,
    /// 国际组织.
    Organization,
    /// 合作类型.
    CoopType,
    /// 毒品种类.
    DrugType,
    /// 文档类型.
    DocType,
}

impl TextFacet {
    /// Every text facet, in result order.
    pub const ALL: [TextFacet; 5] = [
        TextFacet::Country,
        TextFacet::Organization,
        TextFacet::CoopType,
        TextFacet::DrugType,
        TextFacet::DocType,
    ];

    /// The index field holding the values.
    pub fn field_name(self) -> &'static str {
        FACET_FIELDS[self.index()]
    }

    /// The parameter and facet key in the API and the CLI.
    pub fn key(self) -> &'static str {
        match self {
            TextFacet::Country => "country",
            TextFacet::Organization => "organization",
            TextFacet::CoopType => "coop_type",
            TextFacet::DrugType => "drug_type",
            TextFacet::DocType => "doc_type",
        }
    }

    /// Position in [`TextFacet::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// One value of a text facet and the number of matching documents that have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValue {
    /// The value.
    pub value: String,
    /// Matching documents with it.
    pub count: u64,
}

/// One year and its count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearValue {
    /// The year.
    pub value: i32,
    /// Matching documents from that year.
    pub count: u64,
}

/// Facet counts: for each facet, its values over the matching documents with every filter
/// applied except the facet's own (disjunctive counts).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    /// Countries and regions, by count then value.
    pub country: Vec<FacetValue>,
    /// Years, by year.
    pub year: Vec<YearValue>,
    /// Cooperation types, by count then value.
    pub coop_type: Vec<FacetValue>,
    /// Document types, by count then value.
    pub doc_type: Vec<FacetValue>,
    /// Organisations, by count then value.
    pub organization: Vec<FacetValue>,
    /// Drug types, by count then value.
    pub drug_type: Vec<FacetValue>,
}

impl Facets {
    /// The values of a text facet.
    pub fn text(&self, facet: TextFacet) -> &Vec<FacetValue> {
        match facet {
            TextFacet::Country => &self.country,
            TextFacet::Organization => &self.organization,
            TextFacet::CoopType => &self.coop_type,
            TextFacet::DrugType => &self.drug_type,
            TextFacet::DocType => &self.doc_type,
        }
    }

    /// The values of a text facet, mutably.
    pub fn text_mut(&mut self, facet: TextFacet) -> &mut Vec<FacetValue> {
        match facet {
            TextFacet::Country => &mut self.country,
            TextFacet::Organization => &mut self.organization,
            TextFacet::CoopType => &mut self.coop_type,
            TextFacet::DrugType => &mut self.drug_type,
            TextFacet::DocType => &mut self.doc_type,
        }
    }
}

/// Sorts text facet values by count (descending), then value, and keeps the first 200.
pub fn ordered_values(counts: impl IntoIterator<Item = (String, u64)>) -> Vec<FacetValue> {
    let mut values: Vec<FacetValue> = counts
        .into_iter()
        .filter(|(_, count)| *count > 0)
        .map(|(value, count)| FacetValue { value, count })
        .collect();
    values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    values.truncate(MAX_FACET_VALUES);
    values
}

/// Sorts years by year and keeps at most 200 (the latest).
pub fn ordered_years(counts: impl IntoIterator<Item = (i64, u64)>) -> Vec<YearValue> {
    let mut values: Vec<YearValue> = counts
        .into_iter()
        .filter(|(_, count)| *count > 0)
        .filter_map(|(year, count)| {
            i32::try_from(year)
                .ok()
                .map(|value| YearValue { value, count })
        })
        .collect();
    values.sort_by_key(|v| v.value);
    if values.len() > MAX_FACET_VALUES {
        values.drain(..values.len() - MAX_FACET_VALUES);
    }
    values
}
