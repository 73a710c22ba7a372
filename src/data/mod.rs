//! YAML data files under the source directory: topics, question banks, checklists.
//!
//! Each kind has a typed model with `deny_unknown_fields`; all are read through [`yaml`] so
//! every error carries file:line:col. After loading, one id registry checks that ids are unique
//! across the whole book and that references (topics) resolve.

pub mod checklists;
mod collect;
pub mod compare;
pub mod questions;
pub mod select;
pub mod spans;
pub mod tables;
pub mod worksheets;
pub mod yaml;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Diagnostics, LineIndex, suggestion_suffix};
use checklists::Checklist;
use questions::QuestionBank;
use spans::Node;
use worksheets::Worksheet;

/// A data file's text kept beside its parsed value, so later checks can point into it.
#[derive(Debug, Clone)]
pub struct Sourced<T> {
    pub path: PathBuf,
    pub text: String,
    pub value: T,
    /// Where each value is in `text`.
    pub spans: Node,
    pub lines: LineIndex,
}

impl<T> Sourced<T> {
    fn new(path: PathBuf, text: String, value: T) -> Self {
        let spans = spans::parse(&text).unwrap_or_default();
        let lines = LineIndex::new(&text);
        Sourced {
            path,
            text,
            value,
            spans,
            lines,
        }
    }

    fn file(&self) -> FileRef<'_> {
        FileRef {
            path: &self.path,
            text: &self.text,
            lines: &self.lines,
        }
    }

    /// An error at byte `offset` of this file.
    pub fn error_at(&self, message: impl Into<String>, offset: usize) -> Diagnostic {
        self.file().error(message, offset)
    }
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
                    set.banks.push(Sourced::new(path, text, value));
                }
            }
            DataKind::Checklist => {
                if let Some(value) = parse(&path, &text, &mut diags) {
                    set.checklists.push(Sourced::new(path, text, value));
                }
            }
            DataKind::Worksheet => {
                if let Some(value) = parse(&path, &text, &mut diags) {
                    set.worksheets.push(Sourced::new(path, text, value));
                }
            }
            DataKind::Table => {
                if let Some(value) = parse(&path, &text, &mut diags) {
                    set.tables.push(Sourced::new(path, text, value));
                }
            }
            DataKind::Compare => {
                if let Some(value) = parse(&path, &text, &mut diags) {
                    set.compare = Some(Sourced::new(path, text, value));
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

/// Where an id was first defined, for "first used here" notes. Borrows the file's text: no
/// copy per id.
struct IdSite<'a> {
    path: &'a Path,
    text: &'a str,
    lines: &'a LineIndex,
    offset: usize,
}

/// One data file's text with its line index and span tree, for pointing into it.
struct FileRef<'a> {
    path: &'a Path,
    text: &'a str,
    lines: &'a LineIndex,
}

impl FileRef<'_> {
    fn error(&self, message: impl Into<String>, offset: usize) -> Diagnostic {
        Diagnostic::error(self.path, message).at_indexed(self.text, self.lines, offset)
    }
}

/// The book-wide id registry: each id's first site.
#[derive(Default)]
struct Registry<'a> {
    sites: HashMap<&'a str, IdSite<'a>>,
}

impl<'a> Registry<'a> {
    /// Records `id`, found at `offset` of `file`; reports it when malformed or taken.
    fn register(
        &mut self,
        id: &'a str,
        file: &FileRef<'a>,
        offset: usize,
        diags: &mut Diagnostics,
    ) {
        if !is_valid_id(id) {
            diags.push(file.error(
                format!("id \"{id}\" must use only lowercase letters, digits and hyphens"),
                offset,
            ));
        }
        if let Some(first) = self.sites.get(id) {
            let at = first.lines.position(first.text, first.offset);
            diags.push(
                file.error(
                    format!("duplicate id \"{id}\": ids must be unique across the book"),
                    offset,
                )
                .with_note(
                    first.path,
                    Some(at),
                    format!("\"{id}\" is first used here"),
                ),
            );
        } else {
            self.sites.insert(
                id,
                IdSite {
                    path: file.path,
                    text: file.text,
                    lines: file.lines,
                    offset,
                },
            );
        }
    }
}

/// Ids are unique across the book; ids are well-formed; topics resolve; bank and checklist ids
/// match their file names; score bands are contiguous. Every place comes from the file's span
/// tree, so the whole check is one pass over each file.
fn cross_check(set: &DataSet, banks_complete: bool) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let mut registry = Registry::default();
    let topic_ids: HashSet<&str> = set.topics.iter().map(|t| t.id.as_str()).collect();
    let mut topic_names: Vec<&str> = topic_ids.iter().copied().collect();
    topic_names.sort_unstable();

    for bank in &set.banks {
        let (file, b, root) = (bank.file(), &bank.value, &bank.spans);
        let start = root.value_start("id");
        registry.register(&b.id, &file, start, &mut diags);
        check_file_stem(&b.id, &file, start, &mut diags);
        let nodes = root.get("questions");
        for (i, q) in b.questions.iter().enumerate() {
            let node = nodes.and_then(|n| n.item(i));
            let q_at = node.map_or(start, |n| n.value_start("id"));
            registry.register(&q.id, &file, q_at, &mut diags);
            let topic_nodes = node.and_then(|n| n.get("topics"));
            for (j, topic) in q.topics.iter().enumerate() {
                if topic_ids.contains(topic.as_str()) {
                    continue;
                }
                let at = topic_nodes
                    .map(|t| t.item(j).map_or(t.start, |n| n.start))
                    .unwrap_or(q_at);
                let hint = if topic_ids.is_empty() {
                    " (no topics.yaml defines any topics)".to_owned()
                } else {
                    suggestion_suffix(topic, topic_names.iter().copied())
                };
                diags.push(file.error(format!("unknown topic \"{topic}\"{hint}"), at));
            }
        }
    }
    for list in &set.checklists {
        let (file, c, root) = (list.file(), &list.value, &list.spans);
        let start = root.value_start("id");
        registry.register(&c.id, &file, start, &mut diags);
        check_file_stem(&c.id, &file, start, &mut diags);
        let groups = root.get("groups");
        for (i, group) in c.groups.iter().enumerate() {
            let node = groups.and_then(|g| g.item(i));
            let at = node.map_or(start, |n| n.value_start("id"));
            registry.register(&group.id, &file, at, &mut diags);
            let items = node.and_then(|n| n.get("items"));
            for (j, item) in group.items.iter().enumerate() {
                let at = items
                    .and_then(|n| n.item(j))
                    .map_or(at, |n| n.value_start("id"));
                registry.register(&item.id, &file, at, &mut diags);
            }
        }
        if let Some(problem) = c.band_problem() {
            let at = root
                .get("scoring")
                .and_then(|s| s.entry("bands"))
                .map_or(0, |e| e.key_start);
            diags.push(file.error(problem, at));
        }
    }
    if let Some(compare) = &set.compare {
        check_compare(compare, &mut diags);
    }
    for table in &set.tables {
        let (file, t, root) = (table.file(), &table.value, &table.spans);
        let start = root.value_start("id");
        registry.register(&t.id, &file, start, &mut diags);
        check_file_stem(&t.id, &file, start, &mut diags);
        if let Some(problem) = t.problem() {
            let at = root.entry("rows").map_or(0, |e| e.key_start);
            diags.push(file.error(problem, at));
        }
    }
    for sheet in &set.worksheets {
        let (file, w) = (sheet.file(), &sheet.value);
        let start = sheet.spans.value_start("id");
        registry.register(&w.id, &file, start, &mut diags);
        check_file_stem(&w.id, &file, start, &mut diags);
        // Selections are checked against sound banks only, to avoid a cascade of errors.
        if banks_complete && !diags.has_errors() {
            check_worksheet(set, sheet, &mut diags);
        }
    }
    diags
}

fn check_worksheet(set: &DataSet, sheet: &Sourced<Worksheet>, diags: &mut Diagnostics) {
    let (file, w) = (sheet.file(), &sheet.value);
    let nodes = sheet.spans.get("sections");
    for (i, section) in w.sections.iter().enumerate() {
        let node = nodes.and_then(|n| n.item(i));
        // Each section's own problems point at its title.
        let at = node.map_or(0, |n| n.value_start("title"));
        let error = |message: String| file.error(message, at);
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
            let within = node.and_then(|n| n.get("questions"));
            let offset = e
                .token
                .as_deref()
                .and_then(|t| within.and_then(|n| spans::find_scalar(n, file.text, t)))
                .unwrap_or(at);
            diags.push(file.error(e.message, offset));
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
    let (file, c, root) = (compare.file(), &compare.value, &compare.spans);
    let id_starts = |list: Option<&Node>| -> Vec<usize> {
        list.map_or(Vec::new(), |l| {
            l.items().iter().map(|n| n.value_start("id")).collect()
        })
    };
    let domain_nodes = root.get("ratings").and_then(|r| r.get("domains"));
    let ids = c
        .ratings
        .domains
        .iter()
        .map(|d| d.id.as_str())
        .zip(
            id_starts(domain_nodes)
                .into_iter()
                .chain(std::iter::repeat(0)),
        )
        .chain(
            c.figures.iter().map(|f| f.id.as_str()).zip(
                id_starts(root.get("figures"))
                    .into_iter()
                    .chain(std::iter::repeat(0)),
            ),
        )
        .chain(
            c.derived.iter().map(|d| d.id.as_str()).zip(
                id_starts(root.get("derived"))
                    .into_iter()
                    .chain(std::iter::repeat(0)),
            ),
        );
    let mut seen: HashSet<&str> = HashSet::new();
    for (id, at) in ids {
        if !is_valid_id(id) || !seen.insert(id) {
            diags.push(file.error(
                format!(
                    "id \"{id}\" must be unique here and use lowercase letters, digits and hyphens"
                ),
                at,
            ));
        }
    }
    let numbers: Vec<&str> = c
        .figures
        .iter()
        .filter(|f| f.kind == compare::FigureType::Number)
        .map(|f| f.id.as_str())
        .collect();
    let derived_nodes = root.get("derived");
    for (i, d) in c.derived.iter().enumerate() {
        let node = derived_nodes.and_then(|n| n.item(i));
        for (key, name) in [("numerator", &d.numerator), ("denominator", &d.denominator)] {
            if !numbers.contains(&name.as_str()) {
                let at = node.map_or(0, |n| n.value_start(key));
                diags.push(file.error(
                    format!(
                        "\"{name}\" is not a number figure{}",
                        suggestion_suffix(name, numbers.iter().copied())
                    ),
                    at,
                ));
            }
        }
    }
    if !(2..=10).contains(&c.ratings.scale) {
        let at = root.get("ratings").map_or(0, |r| r.value_start("scale"));
        diags.push(file.error("the rating scale must be from 2 to 10", at));
    }
}

fn check_file_stem(id: &str, file: &FileRef<'_>, offset: usize, diags: &mut Diagnostics) {
    let stem = file
        .path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if stem != id {
        diags.push(file.error(
            format!("id \"{id}\" must match the file name \"{stem}\""),
            offset,
        ));
    }
}

pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
