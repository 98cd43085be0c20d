//! The gazetteer (`gazetteer.toml`): countries and regions with their aliases, ISO codes,
//! one-character abbreviations, places inside them and look-alike strings; and the
//! international organisations. Only data and its checks here; matching is the tagger's job.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use super::toml_file::{line_of_value, parse};
use super::KnowledgeError;

/// Whether a place is a country or a region (香港, 澳门, 台湾).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    /// A sovereign country.
    Country,
    /// 香港, 澳门 or 台湾.
    Region,
}

/// One country or region.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    /// Canonical facet value (short common Chinese name).
    pub name: String,
    /// Country or region.
    pub kind: PlaceKind,
    /// Other names (full, short, traditional, English) and agencies of this one country.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// ISO codes, matched only as whole upper-case words.
    #[serde(default)]
    pub codes: Vec<String>,
    /// The one-character abbreviation used in enumerations and compounds.
    #[serde(default)]
    pub abbrev: Option<String>,
    /// Sub-national places that imply this place.
    #[serde(default)]
    pub places: Vec<String>,
    /// Strings containing a name that do not mean this place (香港路).
    #[serde(default)]
    pub not: Vec<String>,
}

/// One international organisation or multilateral mechanism.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    /// Canonical facet value.
    pub name: String,
    /// Other names, abbreviations and acronyms.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// The whole gazetteer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gazetteer {
    /// Countries and regions, in file order.
    #[serde(default, rename = "place")]
    pub places: Vec<Place>,
    /// Organisations, in file order.
    #[serde(default, rename = "organization")]
    pub organizations: Vec<Organization>,
}

impl Gazetteer {
    /// Parses and checks `gazetteer.toml`: names are unique, abbreviations are one character,
    /// and no name, alias, code or place means two different places.
    pub fn parse(path: &Path, text: &str) -> Result<Gazetteer, KnowledgeError> {
        let gazetteer: Gazetteer = parse(path, text)?;
        let invalid = |needle: &str, message: String| KnowledgeError::Invalid {
            path: path.to_path_buf(),
            line: line_of_value(text, needle),
            message,
        };
        let mut owner: HashMap<&str, &str> = HashMap::new();
        for place in &gazetteer.places {
            if place.name.trim().is_empty() {
                return Err(invalid("", "a place has an empty name".to_string()));
            }
            if let Some(abbrev) = &place.abbrev {
                if abbrev.chars().count() != 1 {
                    return Err(invalid(
                        abbrev,
                        format!("{}: abbrev {abbrev:?} is not one character", place.name),
                    ));
                }
            }
            let names = std::iter::once(&place.name)
                .chain(&place.aliases)
                .chain(&place.codes)
                .chain(&place.places);
            for word in names {
                if word.trim().is_empty() {
                    return Err(invalid("", format!("{}: an empty alias", place.name)));
                }
                if let Some(previous) = owner.insert(word, &place.name) {
                    if previous != place.name {
                        return Err(invalid(
                            word,
                            format!("{word:?} names both {previous} and {}", place.name),
                        ));
                    }
                }
            }
        }
        let mut orgs: HashMap<&str, &str> = HashMap::new();
        for org in &gazetteer.organizations {
            for word in std::iter::once(&org.name).chain(&org.aliases) {
                if word.trim().is_empty() {
                    return Err(invalid("", format!("{}: an empty alias", org.name)));
                }
                if let Some(previous) = orgs.insert(word, &org.name) {
                    if previous != org.name {
                        return Err(invalid(
                            word,
                            format!("{word:?} names both {previous} and {}", org.name),
                        ));
                    }
                }
            }
        }
        Ok(gazetteer)
    }

    /// The place with this canonical name.
    pub fn place(&self, name: &str) -> Option<&Place> {
        self.places.iter().find(|place| place.name == name)
    }
}
