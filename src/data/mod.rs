//! YAML data files under the source directory: topics, question banks, checklists.
//!
//! Each kind has a typed model with `deny_unknown_fields`; all are read through [`yaml`] so
//! every error carries file:line:col. After loading, one id registry checks that ids are unique
//! across the whole book and that references (topics) resolve.

pub mod checklists;
pub mod compare;
pub mod questions;
pub mod select;
pub mod tables;
pub mod worksheets;
pub mod yaml;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Diagnostics, suggestion_suffix};
use checklists::Checklist;
use questions::QuestionBank;
use worksheets::Worksheet;

/// A data file's text kept beside its parsed value, so later checks can point into it.
#[derive(Debug, Clone)]
pub struct Sourced<T> {
    pub path: PathBuf,
    pub text: String,
    pub value: T,
}

#[derive(Debug, Clone, Default)]
pub struct DataSet {
    pub topics: Vec<Topic>,
    pub banks: Vec<Sourced<QuestionBank>>,
    pub checklists: Vec<Sourced<Checklist>>,
    pub worksheets: Vec<Sourced<Worksheet>>,
    pub tables: Vec<Sourced<tables::DataTable>>,
    /// The program comparison settings, when `compare.yaml` exists.
    pub compare: Option<Sourced<compare::Compare>>,
    /// A hash of every data file's text, computed once at load: pages that embed data are
    /// re-rendered when it changes.
    pub digest: u64,
}

impl DataSet {
    fn content_digest(&self) -> u64 {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let mut d = DefaultHasher::new();
        for bank in &self.banks {
            (&bank.path, &bank.text).hash(&mut d);
        }
        for list in &self.checklists {
            (&list.path, &list.text).hash(&mut d);
        }
        for sheet in &self.worksheets {
            (&sheet.path, &sheet.text).hash(&mut d);
        }
        for table in &self.tables {
            (&table.path, &table.text).hash(&mut d);
        }
        if let Some(c) = &self.compare {
            (&c.path, &c.text).hash(&mut d);
        }
        format!("{:?}", self.topics).hash(&mut d);
        d.finish()
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
}

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
}

impl DataKind {
    /// `rel` is relative to the source directory, `/`-separated.
    pub fn of(rel: &str) -> Option<DataKind> {
        let is_yaml = rel.ends_with(".yaml") || rel.ends_with(".yml");
        match rel.rsplit_once('/') {
            _ if !is_yaml => None,
            None if rel.starts_with("topics.") => Some(DataKind::Topics),
            None if rel.starts_with("compare.") => Some(DataKind::Compare),
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
        match crate::load::chapter::read_text(path) {
            Ok(text) => texts.push((path.clone(), *kind, text)),
            Err(d) => diags.push(d),
        }
    }
    assemble(texts, diags)
}

/// Like [`load`], but from texts already in memory (what the fuzz targets feed in).
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
                    set.banks.push(Sourced { path, text, value });
                }
            }
            DataKind::Checklist => {
                if let Some(value) = parse(&path, &text, &mut diags) {
                    set.checklists.push(Sourced { path, text, value });
                }
            }
            DataKind::Worksheet => {
                if let Some(value) = parse(&path, &text, &mut diags) {
                    set.worksheets.push(Sourced { path, text, value });
                }
            }
            DataKind::Table => {
                if let Some(value) = parse(&path, &text, &mut diags) {
                    set.tables.push(Sourced { path, text, value });
                }
            }
            DataKind::Compare => {
                if let Some(value) = parse(&path, &text, &mut diags) {
                    set.compare = Some(Sourced { path, text, value });
                }
            }
        }
    }
    // A bank that failed to parse would make every selection of it look wrong: report the
    // parse error alone rather than a cascade.
    let banks_complete = !diags.has_errors();
    diags.extend(cross_check(&set, banks_complete));
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

/// Where an id was first defined, for "also defined at" messages.
struct IdSite {
    path: PathBuf,
    offset: usize,
    text: String,
}

/// Ids are unique across the book; ids are well-formed; topics resolve; bank and checklist ids
/// match their file names; score bands are contiguous.
fn cross_check(set: &DataSet, banks_complete: bool) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let mut registry: HashMap<String, IdSite> = HashMap::new();
    let topic_ids: Vec<&str> = set.topics.iter().map(|t| t.id.as_str()).collect();

    let mut register =
        |id: &str, path: &Path, text: &str, from: usize, diags: &mut Diagnostics| -> usize {
            let offset = yaml::locate_key_value(text, from, "id", id).unwrap_or(from);
            if !is_valid_id(id) {
                diags.push(
                    Diagnostic::error(
                        path,
                        format!("id \"{id}\" must use only lowercase letters, digits and hyphens"),
                    )
                    .at_offset(text, offset),
                );
            }
            if let Some(first) = registry.get(id) {
                let at = crate::diagnostics::Position::of_offset(&first.text, first.offset);
                diags.push(
                    Diagnostic::error(
                        path,
                        format!("duplicate id \"{id}\": ids must be unique across the book"),
                    )
                    .at_offset(text, offset)
                    .with_note(
                        &first.path,
                        Some(at),
                        format!("\"{id}\" is first used here"),
                    ),
                );
            } else {
                registry.insert(
                    id.to_owned(),
                    IdSite {
                        path: path.to_path_buf(),
                        offset,
                        text: text.to_owned(),
                    },
                );
            }
            offset
        };

    for bank in &set.banks {
        let (path, text, b) = (&bank.path, bank.text.as_str(), &bank.value);
        let start = register(&b.id, path, text, 0, &mut diags);
        check_file_stem(&b.id, path, text, start, &mut diags);
        for q in &b.questions {
            let q_at = register(&q.id, path, text, 0, &mut diags);
            for topic in &q.topics {
                if !topic_ids.contains(&topic.as_str()) {
                    let at = yaml::locate_token(text, q_at, topic).unwrap_or(q_at);
                    let hint = if topic_ids.is_empty() {
                        " (no topics.yaml defines any topics)".to_owned()
                    } else {
                        suggestion_suffix(topic, topic_ids.iter().copied())
                    };
                    diags.push(
                        Diagnostic::error(path, format!("unknown topic \"{topic}\"{hint}"))
                            .at_offset(text, at),
                    );
                }
            }
        }
    }
    for list in &set.checklists {
        let (path, text, c) = (&list.path, list.text.as_str(), &list.value);
        let start = register(&c.id, path, text, 0, &mut diags);
        check_file_stem(&c.id, path, text, start, &mut diags);
        for group in &c.groups {
            register(&group.id, path, text, 0, &mut diags);
            for item in &group.items {
                register(&item.id, path, text, 0, &mut diags);
            }
        }
        if let Some(problem) = c.band_problem() {
            let at = text.find("bands:").unwrap_or(0);
            diags.push(Diagnostic::error(path, problem).at_offset(text, at));
        }
    }
    if let Some(compare) = &set.compare {
        check_compare(compare, &mut diags);
    }
    for table in &set.tables {
        let (path, text, t) = (&table.path, table.text.as_str(), &table.value);
        let start = register(&t.id, path, text, 0, &mut diags);
        check_file_stem(&t.id, path, text, start, &mut diags);
        if let Some(problem) = t.problem() {
            diags.push(
                Diagnostic::error(path, problem).at_offset(text, text.find("rows:").unwrap_or(0)),
            );
        }
    }
    for sheet in &set.worksheets {
        let (path, text, w) = (&sheet.path, sheet.text.as_str(), &sheet.value);
        let start = register(&w.id, path, text, 0, &mut diags);
        check_file_stem(&w.id, path, text, start, &mut diags);
        // Selections are checked against sound banks only, to avoid a cascade of errors.
        if banks_complete && !diags.has_errors() {
            check_worksheet(set, w, path, text, &mut diags);
        }
    }
    diags
}

fn check_worksheet(set: &DataSet, w: &Worksheet, path: &Path, text: &str, diags: &mut Diagnostics) {
    let mut cursor = 0;
    for section in &w.sections {
        // Each section's own problems point at or after its title.
        let at = yaml::locate_key_value(text, cursor, "title", &section.title).unwrap_or(cursor);
        cursor = at;
        let error = |message: String| Diagnostic::error(path, message).at_offset(text, at);
        if section.kinds_given() != 1 {
            diags.push(error(format!(
                "section \"{}\" needs exactly one of `questions`, `ratings`, `fields` or `notes`",
                section.title
            )));
            continue;
        }
        if let Some(selection) = &section.questions
            && let Err(e) = set.select(selection)
        {
            let offset = e
                .token
                .as_deref()
                .and_then(|t| yaml::locate_token(text, at, t))
                .unwrap_or(at);
            diags.push(Diagnostic::error(path, e.message).at_offset(text, offset));
        }
        if section.answer_lines.is_some_and(|n| n > 30) || section.notes.is_some_and(|n| n > 60) {
            diags.push(error(
                "at most 30 answer lines and 60 note lines fit on a sheet".to_owned(),
            ));
        }
        if let Some(r) = &section.ratings
            && (r.domains.is_empty() || !(2..=10).contains(&r.scale))
        {
            diags.push(error(
                "ratings need at least one domain and a scale from 2 to 10".to_owned(),
            ));
        }
    }
}

/// Compare ids are local to the file: unique there, and derived figures name real figures.
fn check_compare(compare: &Sourced<compare::Compare>, diags: &mut Diagnostics) {
    let (path, text, c) = (&compare.path, compare.text.as_str(), &compare.value);
    let mut seen: Vec<&str> = Vec::new();
    let ids = c
        .ratings
        .domains
        .iter()
        .map(|d| d.id.as_str())
        .chain(c.figures.iter().map(|f| f.id.as_str()))
        .chain(c.derived.iter().map(|d| d.id.as_str()));
    for id in ids {
        let at = yaml::locate_key_value(text, 0, "id", id).unwrap_or(0);
        if !is_valid_id(id) || seen.contains(&id) {
            diags.push(
                Diagnostic::error(path, format!("id \"{id}\" must be unique here and use lowercase letters, digits and hyphens"))
                    .at_offset(text, at),
            );
        }
        seen.push(id);
    }
    let numbers: Vec<&str> = c
        .figures
        .iter()
        .filter(|f| f.kind == compare::FigureType::Number)
        .map(|f| f.id.as_str())
        .collect();
    for d in &c.derived {
        for name in [&d.numerator, &d.denominator] {
            if !numbers.contains(&name.as_str()) {
                let at = yaml::locate_token(text, 0, name).unwrap_or(0);
                diags.push(
                    Diagnostic::error(
                        path,
                        format!(
                            "\"{name}\" is not a number figure{}",
                            suggestion_suffix(name, numbers.iter().copied())
                        ),
                    )
                    .at_offset(text, at),
                );
            }
        }
    }
    if !(2..=10).contains(&c.ratings.scale) {
        diags.push(
            Diagnostic::error(path, "the rating scale must be from 2 to 10")
                .at_offset(text, text.find("scale").unwrap_or(0)),
        );
    }
}

fn check_file_stem(id: &str, path: &Path, text: &str, offset: usize, diags: &mut Diagnostics) {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if stem != id {
        diags.push(
            Diagnostic::error(
                path,
                format!("id \"{id}\" must match the file name \"{stem}\""),
            )
            .at_offset(text, offset),
        );
    }
}

pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
