//! The cooperation-type model (`coop_model.tsv`): per-type logistic regression weights over the
//! character n-grams of normalized text, with the thresholds at which it adds a type the cue
//! rules missed or drops one they gave. A table like the others: read, checked and written
//! here; scoring a text is the tagger's job, fitting one is `jindu eval tagging-model`.
//!
//! The file is tab-separated, `#` lines are comments, and it has a header of named rows
//! (`ngrams MIN MAX`, `add P`, `drop P`, `types NAME…`, then `bias B…`); every row after the
//! bias row is a feature:
//! the n-gram, its inverse document frequency and one weight a type.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use super::KnowledgeError;

/// One n-gram of the model.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelFeature {
    /// Inverse document frequency in the training texts.
    pub idf: f32,
    /// One weight a type, in `CoopModel::types` order.
    pub weights: Vec<f32>,
}

/// A trained cooperation-type model.
#[derive(Debug, Clone, PartialEq)]
pub struct CoopModel {
    /// Shortest and longest n-gram, in chars.
    pub ngrams: (usize, usize),
    /// A type the rules did not give is added at this probability or more.
    pub add: f32,
    /// A type the rules gave is dropped below this probability.
    pub drop: f32,
    /// The types, by canonical name.
    pub types: Vec<String>,
    /// The intercept of each type.
    pub bias: Vec<f32>,
    /// The features, by n-gram (normalized text).
    pub features: HashMap<String, ModelFeature>,
    /// The line of the `types` row (for errors about a type name), 0 when built in memory.
    pub types_line: usize,
}

impl CoopModel {
    /// Parses `coop_model.tsv`; any malformed row is an error naming `path:line`.
    pub fn parse(path: &Path, text: &str) -> Result<CoopModel, KnowledgeError> {
        let invalid = |line: usize, message: String| KnowledgeError::Invalid {
            path: path.to_path_buf(),
            line,
            message,
        };
        let mut model = CoopModel {
            ngrams: (0, 0),
            add: f32::NAN,
            drop: f32::NAN,
            types: Vec::new(),
            bias: Vec::new(),
            features: HashMap::new(),
            types_line: 0,
        };
        let number = |line: usize, field: &str| -> Result<f32, KnowledgeError> {
            match field.trim().parse::<f32>() {
                Ok(value) if value.is_finite() => Ok(value),
                _ => Err(invalid(line, format!("{field:?} is not a number"))),
            }
        };
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            if raw.trim().is_empty() || raw.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = raw.split('\t').collect();
            let values = &fields[1..];
            // After the bias row every row is a feature, whatever its n-gram spells.
            let key = if model.bias.is_empty() { fields[0] } else { "" };
            match key {
                "ngrams" => {
                    let sizes: Vec<usize> = values.iter().filter_map(|v| v.parse().ok()).collect();
                    match sizes[..] {
                        [min, max] if 1 <= min && min <= max && max <= 8 => {
                            model.ngrams = (min, max)
                        }
                        _ => {
                            return Err(invalid(
                                line,
                                "ngrams needs two sizes MIN MAX with 1 <= MIN <= MAX <= 8"
                                    .to_string(),
                            ))
                        }
                    }
                }
                "add" | "drop" => {
                    let [value] = values else {
                        return Err(invalid(line, format!("{} needs one value", fields[0])));
                    };
                    let value = number(line, value)?;
                    if !(0.0..=1.0).contains(&value) {
                        return Err(invalid(line, format!("{value} is not a probability")));
                    }
                    if fields[0] == "add" {
                        model.add = value;
                    } else {
                        model.drop = value;
                    }
                }
                "types" => {
                    model.types = values.iter().map(|v| v.trim().to_string()).collect();
                    model.types_line = line;
                    if model.types.is_empty() || model.types.iter().any(String::is_empty) {
                        return Err(invalid(line, "types needs non-empty names".to_string()));
                    }
                }
                "bias" => {
                    if values.is_empty() {
                        return Err(invalid(line, "bias needs one value a type".to_string()));
                    }
                    model.bias = values
                        .iter()
                        .map(|v| number(line, v))
                        .collect::<Result<_, _>>()?;
                }
                _ => {
                    let ngram = fields[0];
                    if model.types.is_empty() || model.bias.len() != model.types.len() {
                        return Err(invalid(
                            line,
                            "a feature row before the types and bias rows (or a bias row of the wrong length)"
                                .to_string(),
                        ));
                    }
                    let count = ngram.chars().count();
                    if count < model.ngrams.0 || count > model.ngrams.1 {
                        return Err(invalid(
                            line,
                            format!(
                                "n-gram {ngram:?} is not {}-{} chars",
                                model.ngrams.0, model.ngrams.1
                            ),
                        ));
                    }
                    if values.len() != model.types.len() + 1 {
                        return Err(invalid(
                            line,
                            format!(
                                "n-gram {ngram:?} needs an idf and {} weights, has {} values",
                                model.types.len(),
                                values.len()
                            ),
                        ));
                    }
                    let idf = number(line, values[0])?;
                    let weights = values[1..]
                        .iter()
                        .map(|v| number(line, v))
                        .collect::<Result<_, _>>()?;
                    let feature = ModelFeature { idf, weights };
                    if model.features.insert(ngram.to_string(), feature).is_some() {
                        return Err(invalid(line, format!("n-gram {ngram:?} is listed twice")));
                    }
                }
            }
        }
        if model.ngrams.0 == 0
            || model.add.is_nan()
            || model.drop.is_nan()
            || model.types.is_empty()
        {
            return Err(invalid(
                0,
                "the header needs the rows ngrams, add, drop, types and bias".to_string(),
            ));
        }
        if model.bias.len() != model.types.len() {
            return Err(invalid(
                0,
                "the bias row needs one value a type".to_string(),
            ));
        }
        Ok(model)
    }

    /// The file's text, with `comment` lines first; features in n-gram order, so that the
    /// same model always gives the same bytes.
    pub fn to_tsv(&self, comment: &[String]) -> String {
        let mut out = String::new();
        for line in comment {
            let _ = writeln!(out, "# {line}");
        }
        let _ = writeln!(out, "ngrams\t{}\t{}", self.ngrams.0, self.ngrams.1);
        let _ = writeln!(out, "add\t{}", self.add);
        let _ = writeln!(out, "drop\t{}", self.drop);
        let _ = writeln!(out, "types\t{}", self.types.join("\t"));
        let _ = writeln!(out, "bias\t{}", join_numbers(&self.bias));
        let mut ngrams: Vec<&String> = self.features.keys().collect();
        ngrams.sort();
        for ngram in ngrams {
            let feature = &self.features[ngram];
            let _ = writeln!(
                out,
                "{ngram}\t{}\t{}",
                round(feature.idf),
                join_numbers(&feature.weights)
            );
        }
        out
    }
}

/// Four decimals: enough for weights and idf, and a stable, short file.
fn round(value: f32) -> f32 {
    (value * 10_000.0).round() / 10_000.0
}

fn join_numbers(values: &[f32]) -> String {
    values
        .iter()
        .map(|v| round(*v).to_string())
        .collect::<Vec<_>>()
        .join("\t")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = "# a comment\nngrams\t2\t3\nadd\t0.7\ndrop\t0.1\ntypes\t情报交流\t执法合作\nbias\t-1.5\t-2\n情报\t1.2\t3.5\t-0.25\n";

    #[test]
    fn parses_and_writes_back_the_same_model() {
        let path = Path::new("coop_model.tsv");
        let model = CoopModel::parse(path, SMALL).expect("the small model parses");
        assert_eq!(model.ngrams, (2, 3));
        assert_eq!(model.types, ["情报交流", "执法合作"]);
        assert_eq!(model.features["情报"].weights, [3.5, -0.25]);
        let again = CoopModel::parse(path, &model.to_tsv(&[])).expect("a written model parses");
        assert_eq!(again.features, model.features);
        assert_eq!(
            (again.add, again.drop, again.bias),
            (0.7, 0.1, vec![-1.5, -2.0])
        );
    }

    #[test]
    fn malformed_rows_name_their_line() {
        let path = Path::new("coop_model.tsv");
        let short = SMALL.replace("\t-0.25\n", "\n");
        let error = CoopModel::parse(path, &short)
            .expect_err("malformed")
            .to_string();
        assert!(error.starts_with("coop_model.tsv:7:"), "{error}");
        let nan = SMALL.replace("3.5", "x");
        let error = CoopModel::parse(path, &nan)
            .expect_err("malformed")
            .to_string();
        assert!(
            error.contains(":7:") && error.contains("not a number"),
            "{error}"
        );
        let probability = SMALL.replace("add\t0.7", "add\t7");
        let error = CoopModel::parse(path, &probability)
            .expect_err("malformed")
            .to_string();
        assert!(error.contains(":3:"), "{error}");
        let headless = "情报\t1\t2\n";
        assert!(CoopModel::parse(path, headless).is_err());
    }
}
