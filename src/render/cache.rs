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

use rayon::prelude::*;

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
        for table in &book.data.tables {
            table.text.hash(&mut d);
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
        chapter.digest.hash(&mut h);
        if chapter.markdown.contains("{{#") {
            self.data.hash(&mut h);
        }
        h.finish()
    }
}

/// What a chapter rendered to last time, and under which key.
#[derive(Default)]
struct Entry {
    key: u64,
    rendered: Option<Arc<RenderedChapter>>,
    /// The chapter's section of print.html.
    print: Option<Arc<String>>,
    page: Option<Arc<Vec<u8>>>,
}

/// Rendered chapters kept between builds of a watch session. A fresh cache renders everything.
#[derive(Default)]
pub struct RenderCache {
    entries: HashMap<String, Entry>,
    /// Pages rendered (not reused) in the last build.
    pub rendered_pages: usize,
}

/// A cache slot (a chapter's output path, or `index:` + it for the front page) and its key.
pub type Slot<'a> = (&'a str, u64);

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

    /// For each slot, the cached value of `field`, making the missing ones with `make(i)` in
    /// parallel. An entry whose key changed is emptied first. `make` returns `None` on failure
    /// (reported by the caller), which is never cached.
    fn batch<T: Send + Sync>(
        &mut self,
        slots: &[Slot<'_>],
        field: fn(&mut Entry) -> &mut Option<Arc<T>>,
        make: impl Fn(usize) -> Option<T> + Sync,
    ) -> Vec<Option<Arc<T>>> {
        let mut missing = Vec::new();
        for (i, (slot, key)) in slots.iter().enumerate() {
            let entry = self.entries.entry((*slot).to_owned()).or_default();
            if entry.key != *key {
                *entry = Entry {
                    key: *key,
                    ..Entry::default()
                };
            }
            if field(entry).is_none() {
                missing.push(i);
            }
        }
        let made: Vec<(usize, Option<T>)> = missing.par_iter().map(|&i| (i, make(i))).collect();
        let mut out: Vec<Option<Arc<T>>> = slots
            .iter()
            .map(|(slot, _)| self.entries.get_mut(*slot).and_then(|e| field(e).clone()))
            .collect();
        for (i, value) in made {
            if let Some(value) = value {
                let value = Arc::new(value);
                if let Some(entry) = self.entries.get_mut(slots[i].0) {
                    *field(entry) = Some(value.clone());
                }
                out[i] = Some(value);
            }
        }
        out
    }

    /// Each chapter's Markdown rendering, rendered only when stale.
    pub fn rendered(
        &mut self,
        slots: &[Slot<'_>],
        make: impl Fn(usize) -> RenderedChapter + Sync,
    ) -> Vec<Arc<RenderedChapter>> {
        self.batch(slots, |e| &mut e.rendered, |i| Some(make(i)))
            .into_iter()
            .map(|r| r.expect("rendering Markdown cannot fail"))
            .collect()
    }

    /// Each chapter's section of print.html, rendered only when stale.
    pub fn print(
        &mut self,
        slots: &[Slot<'_>],
        make: impl Fn(usize) -> Option<String> + Sync,
    ) -> Vec<Option<Arc<String>>> {
        self.batch(slots, |e| &mut e.print, make)
    }

    /// Finished pages, rendered through the theme only when stale.
    pub fn pages(
        &mut self,
        slots: &[Slot<'_>],
        make: impl Fn(usize) -> Option<Vec<u8>> + Sync,
    ) -> Vec<Option<Arc<Vec<u8>>>> {
        let before: usize = slots
            .iter()
            .filter(|(slot, key)| {
                self.entries
                    .get(*slot)
                    .is_some_and(|e| e.key == *key && e.page.is_some())
            })
            .count();
        let pages = self.batch(slots, |e| &mut e.page, make);
        self.rendered_pages += pages.iter().filter(|p| p.is_some()).count() - before;
        pages
    }
}
