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

use super::{BuildOptions, Contents, OutputFile};
use crate::diagnostics::Diagnostics;

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
        // Chapter titles and paths drive navigation on every page.
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
        crate::model::digest(&(self.global, chapter.digest, data))
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
    /// Problems with the chapter's links, valid while the link targets hash the same.
    links: Option<Arc<Diagnostics>>,
}

/// Rendered chapters kept between builds of a watch session. A fresh cache renders everything.
#[derive(Default)]
pub struct RenderCache {
    /// By slot. Fx hashing: slot names are short and not attacker-chosen, and every build
    /// looks up each one several times.
    entries: rustc_hash::FxHashMap<String, Entry>,
    /// Groups of files made from book-wide inputs (tool pages, navigation), by name.
    groups: HashMap<&'static str, (u64, Vec<OutputFile>, Diagnostics)>,
    /// Values derived from book-wide inputs, by name (see [`RenderCache::memo`]).
    memos: HashMap<&'static str, (u64, Arc<dyn std::any::Any + Send + Sync>)>,
    /// The hash of every page and anchor the cached link checks were made against.
    link_targets: u64,
    /// Pages rendered (not reused) in the last build.
    pub rendered_pages: usize,
    /// A one-off build's cache keeps nothing: what it makes is handed out and forgotten.
    one_off: bool,
}

/// A cache slot (a chapter's output path, or `index:` + it for the front page) and its key.
pub type Slot<'a> = (&'a str, u64);

impl RenderCache {
    /// A cache for a single build: it hands out what it makes and keeps none of it, so a
    /// rendered chapter is freed as soon as the build is done with it.
    pub fn one_off() -> RenderCache {
        RenderCache {
            one_off: true,
            ..RenderCache::default()
        }
    }

    /// Starts a build: forgets chapters that no longer exist. Entries are looked up by
    /// slot, so a stale one costs only memory: they are swept when they could be many.
    pub fn begin(&mut self, book: &Book) {
        self.rendered_pages = 0;
        if self.entries.len() <= 2 * book.chapters.len() + 2 {
            return;
        }
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
        if self.one_off {
            return (0..slots.len())
                .into_par_iter()
                .map(|i| make(i).map(Arc::new))
                .collect();
        }
        let mut missing = Vec::new();
        for (i, (slot, key)) in slots.iter().enumerate() {
            // Look up before inserting: most slots exist, and their names need no copy.
            if !self.entries.contains_key(*slot) {
                self.entries.insert((*slot).to_owned(), Entry::default());
            }
            let Some(entry) = self.entries.get_mut(*slot) else {
                continue;
            };
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

    /// A group of files that depends only on what `key` hashes, made again only when it
    /// changes. A group with errors is not kept.
    pub fn group(
        &mut self,
        name: &'static str,
        key: u64,
        make: impl FnOnce() -> (Vec<OutputFile>, Diagnostics),
    ) -> (Vec<OutputFile>, Diagnostics) {
        if let Some((k, files, diags)) = self.groups.get(name)
            && *k == key
        {
            return (files.clone(), diags.clone());
        }
        let (files, diags) = make();
        // Shared bytes, so handing out the group again copies no pages.
        let files: Vec<OutputFile> = files
            .into_iter()
            .map(|f| OutputFile {
                path: f.path,
                contents: match f.contents {
                    Contents::Bytes(b) => Contents::Shared(Arc::new(b)),
                    other => other,
                },
            })
            .collect();
        if diags.has_errors() || self.one_off {
            self.groups.remove(name);
        } else {
            self.groups
                .insert(name, (key, files.clone(), diags.clone()));
        }
        (files, diags)
    }

    /// Each chapter's link problems, checked again only when the chapter or the set of link
    /// targets (`targets`, a hash of every page and anchor) changed.
    pub fn links(
        &mut self,
        slots: &[Slot<'_>],
        targets: u64,
        check: impl Fn(usize) -> Diagnostics + Sync,
    ) -> Vec<Arc<Diagnostics>> {
        if targets != self.link_targets {
            self.link_targets = targets;
            for entry in self.entries.values_mut() {
                entry.links = None;
            }
        }
        self.batch(slots, |e| &mut e.links, |i| Some(check(i)))
            .into_iter()
            .map(|d| d.unwrap_or_default())
            .collect()
    }

    /// A value that depends only on what `key` hashes, made again only when it changes.
    pub fn memo<T: Send + Sync + 'static>(
        &mut self,
        name: &'static str,
        key: u64,
        make: impl FnOnce() -> T,
    ) -> Arc<T> {
        if let Some((k, value)) = self.memos.get(name)
            && *k == key
            && let Ok(value) = value.clone().downcast::<T>()
        {
            return value;
        }
        let value = Arc::new(make());
        if !self.one_off {
            self.memos.insert(name, (key, value.clone()));
        }
        value
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

    /// Each slot's rendering once its page is out, without the HTML the page was made from.
    /// The cache keeps a page for as long as its rendering (same key), so the HTML is never
    /// needed again; a changed key renders both afresh. A one-off build also drops the search
    /// sections when `indexed` (the index has them). Renderings whose page failed keep their
    /// HTML, and so does one still shared (with a previous build's search job, say).
    pub fn settle(
        &mut self,
        slots: &[Slot<'_>],
        batch: Vec<Arc<RenderedChapter>>,
        indexed: bool,
    ) -> Vec<Arc<RenderedChapter>> {
        let strip = |r: &mut RenderedChapter, sections: bool| {
            r.html = String::new();
            if sections {
                r.sections = Vec::new();
            }
        };
        if self.one_off {
            return batch
                .into_iter()
                .map(|r| match Arc::try_unwrap(r) {
                    Ok(mut r) => {
                        strip(&mut r, indexed);
                        Arc::new(r)
                    }
                    Err(shared) => shared,
                })
                .collect();
        }
        // Dropped first, so the cache holds the only reference to each new rendering.
        drop(batch);
        slots
            .iter()
            .map(|(slot, _)| {
                let entry = self.entries.get_mut(*slot);
                let Some(Entry {
                    rendered: Some(rendered),
                    page,
                    ..
                }) = entry
                else {
                    unreachable!("every slot of the batch was rendered and kept");
                };
                if page.is_some()
                    && let Some(r) = Arc::get_mut(rendered)
                {
                    // The next build's search index reads the sections again.
                    strip(r, false);
                }
                rendered.clone()
            })
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
