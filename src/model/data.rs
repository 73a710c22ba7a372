//! The data files' models as one set: each parsed value beside its text and span tree, so
//! checks can point into it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::checklists::Checklist;
use super::questions::QuestionBank;
use super::spans::Node;
use super::vocabulary::Vocabulary;
use super::worksheets::Worksheet;
use super::{compare, tables};
use crate::diagnostics::{Diagnostic, LineIndex};

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
    /// `spans` is the file's span tree, as the loader parsed it.
    pub fn new(path: PathBuf, text: String, value: T, spans: Node) -> Self {
        let lines = LineIndex::new(&text);
        Sourced {
            path,
            text,
            value,
            spans,
            lines,
        }
    }

    pub fn file(&self) -> FileRef<'_> {
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
    /// The guide's own words, when `vocabulary.yaml` exists (see [`DataSet::vocabulary`]).
    pub vocabulary_file: Option<Sourced<Vocabulary>>,
    /// A hash of every data file's text, computed once at load: pages that embed data are
    /// re-rendered when it changes.
    pub digest: u64,
    /// Some data file failed to parse and is missing from the set: references into it are
    /// not checked, since they would only repeat the parse error.
    pub incomplete: bool,
}

impl DataSet {
    /// The guide's words: its `vocabulary.yaml`, or the defaults when there is none.
    pub fn vocabulary(&self) -> &Vocabulary {
        static DEFAULT: std::sync::OnceLock<Vocabulary> = std::sync::OnceLock::new();
        match &self.vocabulary_file {
            Some(v) => &v.value,
            None => DEFAULT.get_or_init(Vocabulary::default),
        }
    }

    pub fn content_digest(&self) -> u64 {
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
        if let Some(v) = &self.vocabulary_file {
            (&v.path, &v.text).hash(&mut d);
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

/// One data file's text with its line index, for pointing into it.
pub struct FileRef<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub lines: &'a LineIndex,
}

impl FileRef<'_> {
    pub fn error(&self, message: impl Into<String>, offset: usize) -> Diagnostic {
        Diagnostic::error(self.path, message).at_indexed(self.text, self.lines, offset)
    }
}

/// Ids name data in URLs, saved reader state and directives: lowercase letters, digits and
/// hyphens, not starting with a hyphen.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
