//! Incremental rebuilds by memoization: a chapter's rendered HTML is reused when every input it
//! depends on hashes the same as last time. Because reuse is keyed by the inputs themselves
//! (not by which files an editor touched), the output is identical to a clean build by
//! construction; `tests/incremental.rs` checks this over random edit sequences.
//!
//! What a chapter page depends on:
//! - its own source: path, output path, titles, number, front matter, Markdown;
//! - the book-wide inputs ([`Keys::global`]): book.toml settings, SUMMARY.md structure (which
//!   drives navigation, prev/next and link targets on every page), the theme's templates and
//!   assets, build options;
//! - the data files ([`Keys::data`]), but only if the chapter has a `{{#` directive.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use crate::config::Config;
use crate::markdown::RenderedChapter;
use crate::model::{Book, Chapter};
use crate::theme::Theme;

use super::BuildOptions;

/// Hashes of the inputs shared by many pages.
pub struct Keys {
    pub global: u64,
    pub data: u64,
}

impl Keys {
    pub fn new(book: &Book, config: &Config, theme: &Theme, options: &BuildOptions) -> Keys {
        let mut g = DefaultHasher::new();
        format!("{config:?}").hash(&mut g);
        format!("{:?}", book.summary).hash(&mut g);
        theme.fingerprint.hash(&mut g);
        options.live_reload.hash(&mut g);
        // Chapter titles and paths drive navigation on every page.
        for c in &book.chapters {
            (&c.title, &c.nav_title, &c.output_rel, &c.number).hash(&mut g);
        }
        let mut d = DefaultHasher::new();
        for bank in &book.data.banks {
            bank.text.hash(&mut d);
        }
        for list in &book.data.checklists {
            list.text.hash(&mut d);
        }
        for sheet in &book.data.worksheets {
            sheet.text.hash(&mut d);
        }
        if let Some(c) = &book.data.compare {
            c.text.hash(&mut d);
        }
        format!("{:?}", book.data.topics).hash(&mut d);
        // Which generated pages exist changes what templates link to.
        let data = d.finish();
        data.hash(&mut g);
        Keys {
            global: g.finish(),
            data,
        }
    }

    /// The key of everything `chapter`'s page depends on.
    pub fn chapter(&self, chapter: &Chapter) -> u64 {
        let mut h = DefaultHasher::new();
        self.global.hash(&mut h);
        (
            &chapter.source_rel,
            &chapter.output_rel,
            &chapter.title,
            &chapter.number,
        )
            .hash(&mut h);
        format!("{:?}", chapter.front_matter).hash(&mut h);
        chapter.markdown.hash(&mut h);
        if chapter.markdown.contains("{{#") {
            self.data.hash(&mut h);
        }
        h.finish()
    }
}

/// What a chapter rendered to last time, and under which key.
struct Entry {
    key: u64,
    rendered: Option<Arc<RenderedChapter>>,
    print: Option<Arc<RenderedChapter>>,
    page: Option<Arc<Vec<u8>>>,
}

/// Rendered chapters kept between builds of a watch session. A fresh cache renders everything.
#[derive(Default)]
pub struct RenderCache {
    entries: HashMap<String, Entry>,
    /// Pages rendered (not reused) in the last build.
    pub rendered_pages: usize,
}

impl RenderCache {
    /// Starts a build: forgets chapters that no longer exist.
    pub fn begin(&mut self, book: &Book) {
        self.rendered_pages = 0;
        let live: std::collections::HashSet<&str> = book
            .chapters
            .iter()
            .map(|c| c.output_rel.as_str())
            .collect();
        self.entries
            .retain(|slot, _| live.contains(slot.trim_start_matches("index:")));
    }

    /// The entry for `slot`, emptied when its key changed.
    fn entry(&mut self, slot: &str, key: u64) -> &mut Entry {
        let entry = self.entries.entry(slot.to_owned()).or_insert(Entry {
            key,
            rendered: None,
            print: None,
            page: None,
        });
        if entry.key != key {
            *entry = Entry {
                key,
                rendered: None,
                print: None,
                page: None,
            };
        }
        entry
    }

    /// The chapter's Markdown rendering for its page at `slot`, rendered only when stale.
    pub fn rendered(
        &mut self,
        slot: &str,
        key: u64,
        render: impl FnOnce() -> RenderedChapter,
    ) -> Arc<RenderedChapter> {
        self.entry(slot, key)
            .rendered
            .get_or_insert_with(|| Arc::new(render()))
            .clone()
    }

    /// The chapter's rendering for print.html, rendered only when stale.
    pub fn print(
        &mut self,
        slot: &str,
        key: u64,
        render: impl FnOnce() -> RenderedChapter,
    ) -> Arc<RenderedChapter> {
        self.entry(slot, key)
            .print
            .get_or_insert_with(|| Arc::new(render()))
            .clone()
    }

    /// The finished page, rendered through the theme only when stale. `render` returns `None`
    /// when the template failed, so failures are never cached.
    pub fn page(
        &mut self,
        slot: &str,
        key: u64,
        render: impl FnOnce() -> Option<Vec<u8>>,
    ) -> Option<Arc<Vec<u8>>> {
        if let Some(page) = self.entry(slot, key).page.clone() {
            return Some(page);
        }
        let page = Arc::new(render()?);
        self.rendered_pages += 1;
        self.entry(slot, key).page = Some(page.clone());
        Some(page)
    }
}
