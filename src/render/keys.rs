//! Every cache key of a render, with the inputs it covers. A cached value is reused only
//! while its key hashes the same, so the output equals a clean build's by construction
//! (`tests/incremental.rs` checks this over random edit sequences).
//!
//! - [`Keys::global`]: book.toml settings, SUMMARY.md's structure, every chapter's titles,
//!   number and output path (navigation, prev/next and link targets on every page), the
//!   theme's templates and assets, the build options, and the data files' digest.
//! - [`Keys::chapter`]: a chapter's page: the global key, the chapter's own source (path,
//!   titles, front matter, Markdown) and, when the chapter has a `{{#` directive, the data.
//! - [`Keys::tools`]: tool pages and navigation: the global key, the task items of every
//!   chapter and which chapter embeds each checklist. A chapter edit that keeps those reuses
//!   them.
//! - [`Keys::link_targets`]: cached link checks: the global key, the generated pages, every
//!   chapter's ids and the copied files.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use super::BuildOptions;
use super::tools::Interactive;
use crate::config::Config;
use crate::markdown::ChapterFacts;
use crate::model::{Book, Chapter};
use crate::theme::Theme;
use crate::util::hash::digest;

/// Hashes of the inputs shared by many pages.
pub struct Keys {
    pub global: u64,
    pub data: u64,
}

impl Keys {
    pub fn new(book: &Book, config: &Config, theme: &Theme, options: &BuildOptions) -> Keys {
        let mut g = DefaultHasher::new();
        format!("{config:?}").hash(&mut g);
        book.summary_digest.hash(&mut g);
        theme.fingerprint.hash(&mut g);
        options.live_reload.hash(&mut g);
        for c in &book.chapters {
            (&c.title, &c.nav_title, &c.output_rel, &c.number).hash(&mut g);
        }
        let data = book.data.digest;
        data.hash(&mut g);
        Keys {
            global: g.finish(),
            data,
        }
    }

    /// The key of everything `chapter`'s page depends on.
    pub fn chapter(&self, chapter: &Chapter) -> u64 {
        let data = chapter.uses_data.then_some(self.data);
        digest(&(self.global, chapter.digest, data))
    }

    /// The key of the tool pages and navigation.
    pub(super) fn tools(&self, interactive: &Interactive) -> u64 {
        let mut embedded: Vec<_> = interactive.checklist_pages.iter().collect();
        embedded.sort_unstable();
        digest(&(self.global, &interactive.tasks, embedded))
    }

    /// The key of every page and anchor a link may point at.
    pub(super) fn link_targets(
        &self,
        generated: &[String],
        rendered: &[Arc<ChapterFacts>],
        files: &HashSet<String>,
    ) -> u64 {
        let mut h = DefaultHasher::new();
        self.global.hash(&mut h);
        generated.hash(&mut h);
        rendered.iter().for_each(|r| r.ids_digest.hash(&mut h));
        let mut files: Vec<&String> = files.iter().collect();
        files.sort_unstable();
        files.hash(&mut h);
        h.finish()
    }
}
