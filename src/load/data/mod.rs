//! Reading the YAML data files under the source directory (topics, question banks, checklists,
//! worksheets, tables, compare.yaml, vocabulary.yaml) into their models in `crate::model`.
//!
//! Each kind has a typed model with `deny_unknown_fields`; all are read through [`yaml`] so
//! every error carries file:line:col, and a file that is YAML but not the model reports every
//! bad value at once. Checks across files (ids, references) are `crate::validate`'s.

mod collect;
pub mod spans;
pub mod yaml;

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics, LineIndex};
use crate::model::{DataSet, Sourced, Topic};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicsFile {
    topics: Vec<Topic>,
}

/// Which model a YAML file under the source directory holds, by where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataKind {
    Topics,
    QuestionBank,
    Checklist,
    Worksheet,
    Compare,
    Table,
    Vocabulary,
}

impl DataKind {
    /// `rel` is relative to the source directory, `/`-separated.
    pub fn of(rel: &str) -> Option<DataKind> {
        let is_yaml = rel.ends_with(".yaml") || rel.ends_with(".yml");
        match rel.rsplit_once('/') {
            _ if !is_yaml => None,
            None if rel.starts_with("topics.") => Some(DataKind::Topics),
            None if rel.starts_with("compare.") => Some(DataKind::Compare),
            None if rel.starts_with("vocabulary.") => Some(DataKind::Vocabulary),
            Some(("questions", _)) => Some(DataKind::QuestionBank),
            Some(("checklists", _)) => Some(DataKind::Checklist),
            Some(("worksheets", _)) => Some(DataKind::Worksheet),
            Some(("data", _)) => Some(DataKind::Table),
            _ => None,
        }
    }
}

/// Loads the given data files (absolute paths with their kinds) and cross-checks them.
pub fn load(files: &[(PathBuf, DataKind)]) -> (DataSet, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut texts = Vec::with_capacity(files.len());
    for (path, kind) in files {
        match super::source::read_text(path) {
            Ok(text) => texts.push((path.clone(), *kind, text)),
            Err(d) => diags.push(d),
        }
    }
    assemble(texts, diags)
}

/// Like [`load`], but from texts already in memory (what the fuzz targets feed in).
#[cfg(feature = "fuzzing")]
pub fn from_texts(files: Vec<(PathBuf, DataKind, String)>) -> (DataSet, Diagnostics) {
    assemble(files, Diagnostics::default())
}

/// Parses each file into its model and cross-checks the set; `diags` holds earlier problems
/// (unreadable files).
fn assemble(
    files: Vec<(PathBuf, DataKind, String)>,
    mut diags: Diagnostics,
) -> (DataSet, Diagnostics) {
    let mut set = DataSet::default();
    for (path, kind, text) in files {
        match kind {
            DataKind::Topics => {
                if let Some(file) = parse::<TopicsFile>(&path, &text, &mut diags) {
                    set.topics.extend(file.topics);
                }
            }
            DataKind::QuestionBank => {
                if let Some(value) = parse(&path, &text, &mut diags) {
                    set.banks.push(sourced(path, text, value));
                }
            }
            DataKind::Checklist => {
                if let Some(value) = parse(&path, &text, &mut diags) {
                    set.checklists.push(sourced(path, text, value));
                }
            }
            DataKind::Worksheet => {
                if let Some(value) = parse(&path, &text, &mut diags) {
                    set.worksheets.push(sourced(path, text, value));
                }
            }
            DataKind::Table => {
                if let Some(value) = parse(&path, &text, &mut diags) {
                    set.tables.push(sourced(path, text, value));
                }
            }
            DataKind::Compare => {
                if let Some(value) = parse(&path, &text, &mut diags) {
                    set.compare = Some(sourced(path, text, value));
                }
            }
            DataKind::Vocabulary => {
                if let Some(value) = parse(&path, &text, &mut diags) {
                    set.vocabulary_file = Some(sourced(path, text, value));
                }
            }
        }
    }
    // A bank that failed to parse would make every selection of it look wrong: report the
    // parse error alone rather than a cascade.
    set.incomplete = diags.has_errors();
    set.digest = set.content_digest();
    (set, diags)
}

fn parse<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
    diags: &mut Diagnostics,
) -> Option<T> {
    if text.trim().is_empty() {
        diags.push(Diagnostic::error(path, "data file is empty"));
        return None;
    }
    match yaml::from_str::<T>(text) {
        Ok(value) => Some(value),
        Err(e) if report_every_problem::<T>(path, text, diags) => {
            let _ = e;
            None
        }
        Err(e) => {
            let position = yaml::refine_position(text, &e.message, e.position);
            let d = Diagnostic::error(path, yaml::improve_message(&e.message, &[]));
            diags.push(match position {
                Some(p) => d.at(p, Some(text)),
                None => d,
            });
            None
        }
    }
}

/// When `text` is YAML but not a `T`, reports every bad value (not only serde's first) and
/// returns true; false leaves the report to the caller (syntax errors, duplicate keys).
fn report_every_problem<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
    diags: &mut Diagnostics,
) -> bool {
    let Ok(value) = serde_norway::from_str::<serde_norway::Value>(text) else {
        return false;
    };
    let Some(root) = spans::parse(text) else {
        return false;
    };
    let problems = collect::problems::<T>(value, text, &root);
    if problems.is_empty() {
        return false;
    }
    let lines = LineIndex::new(text);
    for p in problems {
        diags.push(Diagnostic::error(path, p.message).at_indexed(text, &lines, p.offset));
    }
    true
}

/// A parsed file with its span tree, for checks that point into it.
fn sourced<T>(path: PathBuf, text: String, value: T) -> Sourced<T> {
    let spans = spans::parse(&text).unwrap_or_default();
    Sourced::new(path, text, value, spans)
}
