//! The source model: what the loader reads from `content/`, before any rendering.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Deserialize;

pub mod checklists;
pub mod compare;
mod data;
pub mod output;
pub mod questions;
mod remap;
pub mod select;
pub mod spans;
pub mod tables;
pub mod vocabulary;
pub mod worksheets;

pub use data::{DataSet, FileRef, Sourced, Topic, is_valid_id};
pub use output::{Contents, FileSink, OutputFile, output_path_for, question_page, worksheet_page};

/// A loaded book: its table of contents, its chapters in reading order, and its data files.
#[derive(Debug, Clone)]
pub struct Book {
    pub summary: Vec<SummaryItem>,
    /// A hash of `summary`, computed once when SUMMARY.md is read.
    pub summary_digest: u64,
    /// Each chapter's source path (relative, `/`-separated) → its output path.
    pub chapter_outputs: Arc<std::collections::HashMap<String, String>>,
    /// Every chapter that has a file, in reading order (drafts have none and are left out).
    /// Shared, so a watch session's next build reuses the chapters that did not change.
    pub chapters: Vec<Arc<Chapter>>,
    pub data: Arc<DataSet>,
    /// Other files under the source directory (images, PDFs...), copied to the output as-is.
    /// Paths are relative to the source directory.
    pub assets: Vec<PathBuf>,
}

/// One line of `SUMMARY.md`.
#[derive(Debug, Clone, PartialEq)]
pub enum SummaryItem {
    Link(SummaryLink),
    PartTitle(String),
    Separator,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SummaryLink {
    /// The title as plain text (its Markdown stripped, as mdBook shows it).
    pub title: String,
    /// The title's inline Markdown as HTML (`<code>` for a code span), for navigation.
    pub title_html: String,
    /// Relative to the source directory; `None` for a draft chapter `[Title]()`.
    pub source: Option<PathBuf>,
    /// Section number like `[2, 1]` for numbered chapters; prefix and suffix chapters have none.
    pub number: Option<Vec<u32>>,
    pub children: Vec<SummaryItem>,
    /// Line in SUMMARY.md, for error messages.
    pub line: usize,
}

/// One chapter ready to render.
#[derive(Debug, Clone)]
pub struct Chapter {
    /// Title shown on the page: front matter `title`, else the SUMMARY.md link text.
    pub title: String,
    /// Title shown in navigation (the SUMMARY.md link text).
    pub nav_title: String,
    /// `title` and `nav_title` as HTML (inline Markdown rendered, text escaped).
    pub title_html: String,
    pub nav_title_html: String,
    /// `2.1.` for numbered chapters.
    pub number: Option<String>,
    /// Path of the Markdown file relative to the source directory, `/`-separated.
    pub source_rel: String,
    /// Absolute path of the Markdown file.
    pub source_path: PathBuf,
    /// Path of the rendered page relative to the output root, `/`-separated.
    pub output_rel: String,
    pub front_matter: FrontMatter,
    /// The Markdown body after front matter removal and `{{#include}}` expansion.
    pub markdown: SharedText,
    /// Maps byte offsets in `markdown` back to the files they came from.
    pub source_map: SourceMap,
    /// The Markdown has a `{{#` directive, so the page depends on the data files.
    pub uses_data: bool,
    /// A hash of everything above, computed once at load (see [`Chapter::content_digest`]),
    /// so incremental builds need not hash every chapter's text again.
    pub digest: u64,
}

/// Text that may share its allocation with the file it came from: a chapter without includes
/// is the tail of its file, which the source map keeps anyway for error messages.
#[derive(Debug, Clone, Default)]
pub struct SharedText {
    text: std::sync::Arc<str>,
    start: usize,
}

impl SharedText {
    /// `text[start..]`, without a copy.
    pub fn slice_of(text: std::sync::Arc<str>, start: usize) -> SharedText {
        debug_assert!(text.is_char_boundary(start));
        SharedText { text, start }
    }
}

impl From<String> for SharedText {
    fn from(text: String) -> SharedText {
        SharedText {
            text: text.into(),
            start: 0,
        }
    }
}

impl std::ops::Deref for SharedText {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text[self.start..]
    }
}

impl std::hash::Hash for SharedText {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (**self).hash(state);
    }
}

impl Chapter {
    /// Hashes the chapter's own inputs: paths, titles, number, front matter and Markdown.
    pub fn content_digest(&self) -> u64 {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let mut h = DefaultHasher::new();
        (
            &self.title,
            &self.nav_title,
            &self.title_html,
            &self.nav_title_html,
            &self.number,
            &self.source_rel,
            &self.output_rel,
            &self.markdown,
        )
            .hash(&mut h);
        format!("{:?}", self.front_matter).hash(&mut h);
        // Where the body sits in its files: diagnostics cached with a rendering carry lines.
        for s in &self.source_map.segments {
            (s.expanded_start, &s.file, s.file_offset, s.fixed).hash(&mut h);
        }
        h.finish()
    }
}

/// Optional YAML block at the top of a chapter, between `---` lines.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    /// Who the chapter is for: reader-group ids, e.g. `[first-years]`.
    pub audience: Vec<String>,
    /// `YYYY-MM-DD`: when an advisor last checked the chapter is still right.
    pub last_reviewed: Option<String>,
    /// `YYYY-MM-DD`: when the chapter should be checked again.
    pub review_by: Option<String>,
    /// Extra `<meta name="keywords">` and search terms.
    pub keywords: Vec<String>,
    /// Free-form values for custom templates.
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// Where each stretch of an expanded chapter came from, so a problem found while rendering
/// points at the right file, line and column even inside an included file.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    segments: Vec<Segment>,
}

#[derive(Debug, Clone)]
struct Segment {
    /// Start of this stretch in the expanded text.
    expanded_start: usize,
    file: PathBuf,
    /// Full text of `file`, for line/column computation and snippets.
    file_text: std::sync::Arc<str>,
    /// Byte offset in `file_text` that `expanded_start` corresponds to.
    file_offset: usize,
    /// Every offset of the stretch is at `file_offset`: text a preprocessor wrote, placed at
    /// the start of the text it replaced.
    fixed: bool,
}

impl SourceMap {
    pub fn push(
        &mut self,
        expanded_start: usize,
        file: PathBuf,
        file_text: std::sync::Arc<str>,
        file_offset: usize,
    ) {
        self.segments.push(Segment {
            expanded_start,
            file,
            file_text,
            file_offset,
            fixed: false,
        });
    }

    pub fn segment_count(&self) -> usize {
        self.segments.len()
    }

    /// The file, its text and the byte offset in it for `offset` in the expanded text.
    pub fn locate(&self, offset: usize) -> Option<(&PathBuf, &str, usize)> {
        let seg = self
            .segments
            .iter()
            .rev()
            .find(|s| s.expanded_start <= offset)?;
        let advance = if seg.fixed {
            0
        } else {
            offset - seg.expanded_start
        };
        Some((&seg.file, &seg.file_text, seg.file_offset + advance))
    }

    /// The current text of `file`, when this chapter's text comes from it.
    pub fn text_of(&self, file: &std::path::Path) -> Option<&str> {
        let seg = self.segments.iter().find(|s| s.file == file)?;
        Some(&seg.file_text)
    }

    /// A diagnostic at `offset` of the expanded text.
    pub fn diagnostic(
        &self,
        offset: usize,
        make: impl FnOnce(PathBuf) -> crate::diagnostics::Diagnostic,
    ) -> crate::diagnostics::Diagnostic {
        match self.locate(offset) {
            Some((file, text, at)) => make(file.clone()).at_offset(text, at),
            None => make(PathBuf::new()),
        }
    }
}
