//! The tagger: derives missing metadata (facets) from a document's own text and metadata.
//! Explicit metadata always wins; what is derived is recorded apart in [`Derived`].

use serde::{Deserialize, Serialize};

use crate::corpus::{date_year, Document};

/// Values the tagger filled in, field by field (`None`: the field was given, not derived).
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

/// Fills what `document` leaves unknown and says what was filled. The year comes from the
/// date when only the date is given.
pub fn tag(document: &mut Document) -> Derived {
    let mut derived = Derived::default();
    if document.year.is_none() {
        if let Some(year) = document.date.as_deref().and_then(date_year) {
            document.year = Some(year);
            derived.year = Some(year);
        }
    }
    derived
}
