//! Scoring the tagger: micro precision and recall per field on a labelled set
//! (eval/tagging/*.jsonl), drug types on the annotated CAIL2022 paragraphs (NDR entities mapped
//! to canonical names), and a scan of real domestic case texts for countries they do not name.

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufRead;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Explanation, Rule, Tagger};

/// Why an evaluation could not run.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A line is not a valid record.
    #[error("{path}:{line}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// One labelled text of an evaluation set.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct LabelledText {
    /// Id.
    pub id: String,
    /// The passage.
    pub text: String,
    /// Expected countries and regions.
    #[serde(default)]
    pub countries: Vec<String>,
    /// Expected organisations.
    #[serde(default)]
    pub organizations: Vec<String>,
    /// Expected cooperation types.
    #[serde(default)]
    pub coop_types: Vec<String>,
    /// Expected drug types.
    #[serde(default)]
    pub drug_types: Vec<String>,
    /// Expected year (null: none qualifies).
    #[serde(default)]
    pub year: Option<i32>,
    /// Why, for hard cases.
    #[serde(default)]
    pub note: Option<String>,
}

/// Micro-averaged counts and scores of one list field.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FieldScore {
    /// The field.
    pub field: String,
    /// Labels found and expected.
    pub true_positives: usize,
    /// Labels found but not expected.
    pub false_positives: usize,
    /// Labels expected but not found.
    pub false_negatives: usize,
    /// tp / (tp + fp); 1 when nothing was found.
    pub precision: f64,
    /// tp / (tp + fn); 1 when nothing was expected.
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
}

impl FieldScore {
    fn new(field: &str) -> FieldScore {
        FieldScore {
            field: field.to_string(),
            ..FieldScore::default()
        }
    }

    /// Adds one text's expected and found values; returns (missing, extra).
    fn add(&mut self, expected: &[String], found: &[String]) -> (Vec<String>, Vec<String>) {
        let expected: BTreeSet<&String> = expected.iter().collect();
        let found: BTreeSet<&String> = found.iter().collect();
        let missing: Vec<String> = expected.difference(&found).map(|s| s.to_string()).collect();
        let extra: Vec<String> = found.difference(&expected).map(|s| s.to_string()).collect();
        self.true_positives += expected.intersection(&found).count();
        self.false_positives += extra.len();
        self.false_negatives += missing.len();
        (missing, extra)
    }

    fn finish(&mut self) {
        let tp = self.true_positives as f64;
        let ratio = |den: usize| if den == 0 { 1.0 } else { tp / den as f64 };
        self.precision = ratio(self.true_positives + self.false_positives);
        self.recall = ratio(self.true_positives + self.false_negatives);
        self.f1 = if self.precision + self.recall == 0.0 {
            0.0
        } else {
            2.0 * self.precision * self.recall / (self.precision + self.recall)
        };
    }
}

/// Exact-match accuracy of the year (null counts as a value).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct YearScore {
    /// Texts whose year was right.
    pub correct: usize,
    /// Texts scored.
    pub total: usize,
    /// correct / total.
    pub accuracy: f64,
}

/// One text the tagger got wrong in one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mistake {
    /// The text's id.
    pub id: String,
    /// The field.
    pub field: String,
    /// Expected but not found (for the year: the expected value).
    pub missing: Vec<String>,
    /// Found but not expected (for the year: the value found).
    pub extra: Vec<String>,
}

/// The result of scoring a labelled set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SetReport {
    /// The set's file.
    pub set: String,
    /// Texts scored.
    pub texts: usize,
    /// countries, organizations, coop_types, drug_types.
    pub fields: Vec<FieldScore>,
    /// The year.
    pub year: YearScore,
    /// Every mistake, by text.
    pub mistakes: Vec<Mistake>,
}

impl SetReport {
    /// The score of one field.
    pub fn field(&self, name: &str) -> Option<&FieldScore> {
        self.fields.iter().find(|f| f.field == name)
    }
}

/// Reads a labelled set (one JSON object a line; blank lines skipped).
pub fn read_set(path: &Path) -> Result<Vec<LabelledText>, EvalError> {
    let mut texts = Vec::new();
    for_each_line(path, &mut |line_number, line| {
        let text: LabelledText = serde_json::from_str(line).map_err(|e| EvalError::Invalid {
            path: path.to_path_buf(),
            line: line_number,
            message: e.to_string(),
        })?;
        texts.push(text);
        Ok(())
    })?;
    Ok(texts)
}

/// The list fields scored, in report order.
pub const SCORED_FIELDS: &[&str] = &["countries", "organizations", "coop_types", "drug_types"];

/// Scores the tagger on labelled texts (each tagged from its text alone).
pub fn score_set(tagger: &Tagger, set: &str, texts: &[LabelledText]) -> SetReport {
    let mut fields: Vec<FieldScore> = SCORED_FIELDS.iter().map(|f| FieldScore::new(f)).collect();
    let mut year = YearScore::default();
    let mut mistakes = Vec::new();
    for labelled in texts {
        let explanation = tagger.explain(&labelled.text);
        let found = [
            Explanation::values(&explanation.countries),
            Explanation::values(&explanation.organizations),
            Explanation::values(&explanation.coop_types),
            Explanation::values(&explanation.drug_types),
        ];
        let expected = [
            &labelled.countries,
            &labelled.organizations,
            &labelled.coop_types,
            &labelled.drug_types,
        ];
        for ((score, expected), found) in fields.iter_mut().zip(expected).zip(&found) {
            let (missing, extra) = score.add(expected, found);
            if !missing.is_empty() || !extra.is_empty() {
                mistakes.push(Mistake {
                    id: labelled.id.clone(),
                    field: score.field.clone(),
                    missing,
                    extra,
                });
            }
        }
        let found_year = explanation.year.map(|y| y.value);
        year.total += 1;
        if found_year == labelled.year {
            year.correct += 1;
        } else {
            let show = |y: Option<i32>| vec![y.map_or("null".to_string(), |y| y.to_string())];
            mistakes.push(Mistake {
                id: labelled.id.clone(),
                field: "year".to_string(),
                missing: show(labelled.year),
                extra: show(found_year),
            });
        }
    }
    fields.iter_mut().for_each(FieldScore::finish);
    year.accuracy = if year.total == 0 {
        1.0
    } else {
        year.correct as f64 / year.total as f64
    };
    SetReport {
        set: set.to_string(),
        texts: texts.len(),
        fields,
        year,
        mistakes,
    }
}

/// The drug-type score on the annotated CAIL2022 paragraphs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DrugReport {
    /// The file.
    pub file: String,
    /// Paragraphs scored.
    pub paragraphs: usize,
    /// Micro precision and recall of drug types per paragraph.
    pub score: FieldScore,
    /// NDR entity strings that map to no drug type, with their counts (left out of the gold).
    pub unmapped: BTreeMap<String, usize>,
    /// Paragraphs with a difference (id, missing, extra), at most 50.
    pub mistakes: Vec<Mistake>,
}

/// Scores drug types on `cail2022_xxcq_drug_facts_annotated.jsonl`: the gold of a paragraph is
/// the canonical names of its NDR entities (through the drug table; strings that map to none
/// are listed and left out), compared with what the tagger finds in the paragraph.
pub fn score_cail_drugs(tagger: &Tagger, path: &Path) -> Result<DrugReport, EvalError> {
    #[derive(Deserialize)]
    struct Entity {
        text: String,
        label: String,
    }
    #[derive(Deserialize)]
    struct Paragraph {
        id: String,
        text: String,
        #[serde(default, rename = "entityMentions")]
        entities: Vec<Entity>,
    }
    let mut score = FieldScore::new("drug_types");
    let mut unmapped: BTreeMap<String, usize> = BTreeMap::new();
    let mut mistakes = Vec::new();
    let mut paragraphs = 0;
    for_each_line(path, &mut |line_number, line| {
        let paragraph: Paragraph = serde_json::from_str(line).map_err(|e| EvalError::Invalid {
            path: path.to_path_buf(),
            line: line_number,
            message: e.to_string(),
        })?;
        paragraphs += 1;
        let mut gold = BTreeSet::new();
        for entity in paragraph.entities.iter().filter(|e| e.label == "NDR") {
            let names = tagger.drug_names(&entity.text);
            if names.is_empty() {
                *unmapped.entry(entity.text.clone()).or_default() += 1;
            }
            gold.extend(names);
        }
        let gold: Vec<String> = gold.into_iter().collect();
        let found = Explanation::values(&tagger.explain(&paragraph.text).drug_types);
        let (missing, extra) = score.add(&gold, &found);
        if (!missing.is_empty() || !extra.is_empty()) && mistakes.len() < 50 {
            mistakes.push(Mistake {
                id: paragraph.id,
                field: "drug_types".to_string(),
                missing,
                extra,
            });
        }
        Ok(())
    })?;
    score.finish();
    Ok(DrugReport {
        file: path.display().to_string(),
        paragraphs,
        score,
        unmapped,
        mistakes,
    })
}

/// A real case text that was given a country.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountrySample {
    /// The text's id.
    pub id: String,
    /// The countries given.
    pub countries: Vec<String>,
    /// The words that gave them.
    pub words: Vec<String>,
    /// Whether every country is named in full (name or alias), not only by a place, code or
    /// abbreviation.
    pub named_in_full: bool,
}

/// What a scan of real case texts found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountryScan {
    /// The file.
    pub file: String,
    /// Texts read.
    pub texts: usize,
    /// Texts given at least one country.
    pub with_country: usize,
    /// Texts given a country that the text does not name in full.
    pub not_named_in_full: usize,
    /// Every text given a country not named in full, then others, at most `samples` in all.
    pub samples: Vec<CountrySample>,
}

/// Tags the first `limit` texts of a JSONL file of real cases (field `text`, or `fact` for
/// CAIL2018) and counts those that get a country, and those that get one the text does not
/// name in full.
pub fn scan_countries(
    tagger: &Tagger,
    path: &Path,
    limit: usize,
    samples: usize,
) -> Result<CountryScan, EvalError> {
    let mut scan = CountryScan {
        file: path.display().to_string(),
        texts: 0,
        with_country: 0,
        not_named_in_full: 0,
        samples: Vec::new(),
    };
    let mut named: Vec<CountrySample> = Vec::new();
    for_each_line(path, &mut |line_number, line| {
        if scan.texts >= limit {
            return Ok(());
        }
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|e| EvalError::Invalid {
                path: path.to_path_buf(),
                line: line_number,
                message: e.to_string(),
            })?;
        let text = value["text"]
            .as_str()
            .or(value["fact"].as_str())
            .unwrap_or("");
        scan.texts += 1;
        let explanation = tagger.explain(text);
        if explanation.countries.is_empty() {
            return Ok(());
        }
        scan.with_country += 1;
        let full = explanation.countries.iter().all(|c| {
            c.triggers
                .iter()
                .any(|t| matches!(t.rule, Rule::Name | Rule::Alias | Rule::Compound))
        });
        let sample = CountrySample {
            id: value["id"].as_str().unwrap_or("").to_string(),
            countries: Explanation::values(&explanation.countries),
            words: explanation
                .countries
                .iter()
                .flat_map(|c| c.triggers.iter().map(|t| t.word.clone()))
                .collect(),
            named_in_full: full,
        };
        if full {
            if named.len() < samples {
                named.push(sample);
            }
        } else {
            scan.not_named_in_full += 1;
            if scan.samples.len() < samples {
                scan.samples.push(sample);
            }
        }
        Ok(())
    })?;
    let room = samples.saturating_sub(scan.samples.len());
    scan.samples.extend(named.into_iter().take(room));
    Ok(scan)
}

fn for_each_line(
    path: &Path,
    on_line: &mut dyn FnMut(usize, &str) -> Result<(), EvalError>,
) -> Result<(), EvalError> {
    let io = |source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    for (index, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(io)?;
        if line.trim().is_empty() {
            continue;
        }
        on_line(index + 1, &line)?;
    }
    Ok(())
}
