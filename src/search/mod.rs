//! The search index, built at build time and loaded by the browser with plain `<script>` tags
//! (no fetch, no modules, no WebAssembly), so search works from `file://` too.
//!
//! Documents are chapter sections (split at `##`/`###` headings), questions, checklist items
//! and glossary terms. Terms are sharded by their first character and document metadata is
//! split into chunks, so a query downloads only the shards of its words and the chunks of its
//! top results, never the whole index.

mod documents;
mod index;
mod tokenize;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::model::{Book, OutputFile};

pub use index::IndexBuilder;
pub use tokenize::{shard_key, tokens};

/// What kind of thing a result is; the browser groups results by it.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Chapter,
    Question,
    Checklist,
    Glossary,
}

/// One searchable document. Its text is borrowed where it can be: a large guide's section
/// bodies are tens of megabytes.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    pub kind: Kind,
    /// The result's heading (section heading, question text, item text, term).
    pub title: Cow<'a, str>,
    /// Where it lives (chapter title, bank title, checklist title).
    pub context: Cow<'a, str>,
    /// Link from the site root, with an anchor.
    pub url: String,
    pub body: Cow<'a, str>,
}

pub use crate::markdown::Section;

/// Everything the index is made from, so it can be built later: `guidebook serve` publishes
/// the pages first and builds the index in the background, because it takes longer than the
/// rest of a one-chapter rebuild of a large guide.
pub struct SearchJob {
    pub book: Book,
    /// Each chapter's search sections, by chapter index.
    pub sections: Vec<Arc<Vec<Section>>>,
    /// Checklist id → page that embeds it.
    pub checklist_pages: HashMap<String, String>,
    pub budget_bytes: u64,
    pub book_toml: PathBuf,
}

impl SearchJob {
    /// The index files and their total size in bytes.
    pub fn run(&self) -> (Vec<OutputFile>, usize) {
        let mut index = IndexBuilder::default();
        index.add_chapters(&self.book.chapters, &self.sections);
        index.add_data(&self.book, &self.checklist_pages);
        let mut files = Vec::new();
        let bytes = index.finish(|f| files.push(f));
        (files, bytes)
    }

    /// The warning for an index of `bytes` over the budget set in book.toml.
    pub fn budget_warning(&self, bytes: usize) -> Option<Diagnostic> {
        budget_warning(bytes, self.budget_bytes, &self.book_toml)
    }
}

/// The warning for an index of `bytes` over `budget` bytes, set in `book_toml`.
pub fn budget_warning(bytes: usize, budget: u64, book_toml: &Path) -> Option<Diagnostic> {
    (bytes as u64 > budget).then(|| {
        Diagnostic::warning(
            book_toml,
            format!(
                "the search index is {} KB, over the {} KB budget ([output.html.search] size-budget-kb); \
                 readers load only the shards a query needs, but consider a larger budget or splitting the guide",
                bytes / 1024,
                budget / 1024
            ),
        )
    })
}
