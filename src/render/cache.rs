//! Incremental rebuilds by memoization, behind one [`Cache`] trait with two kinds: a
//! [`KeptCache`] (watch, serve) keeps what each build made for the next; a [`OneOffCache`]
//! (build, check) keeps nothing, so a rendered chapter is freed as soon as the build is done
//! with it.
//!
//! A kept value is reused when every input it depends on hashes the same as last time.
//! Because reuse is keyed by the inputs themselves (not by which files an editor touched),
//! the output is identical to a clean build by construction; `tests/incremental.rs` checks
//! this over random edit sequences. What each key covers: [`super::keys`].

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::Diagnostics;
use crate::markdown::{ChapterFacts, Section};
use crate::model::{Book, Contents, OutputFile};

/// A cache slot (a chapter's output path, or `index:` + it for the front page) and its key.
pub type Slot<'a> = (&'a str, u64);

/// Which value of a chapter's entry a batch reads and fills.
pub type Field<T> = fn(&mut Entry) -> &mut Option<Arc<T>>;

/// What a render asks of its cache. Each method makes what is missing with `make`; the kinds
/// differ only in what they keep.
pub trait Cache {
    /// Starts a build of `book`.
    fn begin(&mut self, book: &Book);

    /// For each slot, the kept value of `field`, making the missing ones with `make(i)` in
    /// parallel. `make` returns `None` on failure (reported by the caller), which is never
    /// kept.
    fn batch<T: Send + Sync>(
        &mut self,
        slots: &[Slot<'_>],
        field: Field<T>,
        make: impl Fn(usize) -> Option<T> + Sync,
    ) -> Vec<Option<Arc<T>>>;

    /// A group of files that depends only on what `key` hashes. A group with errors is not
    /// kept.
    fn group(
        &mut self,
        name: &'static str,
        key: u64,
        make: impl FnOnce() -> (Vec<OutputFile>, Diagnostics),
    ) -> (Vec<OutputFile>, Diagnostics);

    /// A value that depends only on what `key` hashes.
    fn memo<T: Send + Sync + 'static>(
        &mut self,
        name: &'static str,
        key: u64,
        make: impl FnOnce() -> T,
    ) -> Arc<T>;

    /// Forgets every chapter's link problems when the link targets (`targets`, a hash of
    /// every page and anchor) changed since they were checked.
    fn targets_changed(&mut self, targets: u64);

    /// Each chapter's facts, search sections and page: kept ones where the chapter's key
    /// is unchanged and its page was made, the rest made with `make(i)` in parallel. The
    /// HTML a page is made from never reaches the cache.
    fn chapters(
        &mut self,
        slots: &[Slot<'_>],
        make: impl Fn(usize) -> MadeChapter + Sync,
    ) -> Vec<CachedChapter>;

    /// Pages rendered (not reused) in the last build.
    fn rendered_pages(&self) -> usize;

    /// Each chapter's section of print.html.
    fn print(
        &mut self,
        slots: &[Slot<'_>],
        make: impl Fn(usize) -> Option<String> + Sync,
    ) -> Vec<Option<Arc<String>>> {
        self.batch(slots, |e| &mut e.print, make)
    }

    /// Each chapter's link problems, checked again only when the chapter or the link
    /// targets changed.
    fn links(
        &mut self,
        slots: &[Slot<'_>],
        targets: u64,
        check: impl Fn(usize) -> Diagnostics + Sync,
    ) -> Vec<Arc<Diagnostics>> {
        self.targets_changed(targets);
        let checked = self.batch(slots, |e| &mut e.links, |i| Some(check(i)));
        checked.into_iter().map(|d| d.unwrap_or_default()).collect()
    }
}

/// A chapter as a render makes it: what the cache may keep of its Markdown rendering, and
/// its page (`None` when the template failed, which is reported and never kept).
pub struct MadeChapter {
    pub facts: ChapterFacts,
    pub sections: Vec<Section>,
    pub page: Option<Vec<u8>>,
}

/// A chapter as the cache hands it out.
#[derive(Clone)]
pub struct CachedChapter {
    pub facts: Arc<ChapterFacts>,
    pub sections: Arc<Vec<Section>>,
    pub page: Option<Arc<Vec<u8>>>,
}

impl From<MadeChapter> for CachedChapter {
    fn from(made: MadeChapter) -> Self {
        CachedChapter {
            facts: Arc::new(made.facts),
            sections: Arc::new(made.sections),
            page: made.page.map(Arc::new),
        }
    }
}

/// What a chapter rendered to last time, and under which key.
#[derive(Default)]
pub struct Entry {
    key: u64,
    chapter: Option<CachedChapter>,
    /// The chapter's section of print.html.
    print: Option<Arc<String>>,
    /// Problems with the chapter's links, valid while the link targets hash the same.
    links: Option<Arc<Diagnostics>>,
}

/// The cache of a single build: it hands out what it makes and keeps none of it.
#[derive(Default)]
pub struct OneOffCache {
    rendered_pages: usize,
}

impl Cache for OneOffCache {
    fn begin(&mut self, _book: &Book) {}

    fn batch<T: Send + Sync>(
        &mut self,
        slots: &[Slot<'_>],
        _field: Field<T>,
        make: impl Fn(usize) -> Option<T> + Sync,
    ) -> Vec<Option<Arc<T>>> {
        (0..slots.len())
            .into_par_iter()
            .map(|i| make(i).map(Arc::new))
            .collect()
    }

    fn group(
        &mut self,
        _name: &'static str,
        _key: u64,
        make: impl FnOnce() -> (Vec<OutputFile>, Diagnostics),
    ) -> (Vec<OutputFile>, Diagnostics) {
        make()
    }

    fn memo<T: Send + Sync + 'static>(
        &mut self,
        _name: &'static str,
        _key: u64,
        make: impl FnOnce() -> T,
    ) -> Arc<T> {
        Arc::new(make())
    }

    fn targets_changed(&mut self, _targets: u64) {}

    fn chapters(
        &mut self,
        slots: &[Slot<'_>],
        make: impl Fn(usize) -> MadeChapter + Sync,
    ) -> Vec<CachedChapter> {
        let made: Vec<CachedChapter> = (0..slots.len())
            .into_par_iter()
            .map(|i| make(i).into())
            .collect();
        self.rendered_pages += made.iter().filter(|c| c.page.is_some()).count();
        made
    }

    fn rendered_pages(&self) -> usize {
        self.rendered_pages
    }
}

/// Rendered chapters kept between builds of a watch session. A fresh cache renders everything.
#[derive(Default)]
pub struct KeptCache {
    /// By slot. Fx hashing: slot names are short and not attacker-chosen, and every build
    /// looks up each one several times.
    entries: rustc_hash::FxHashMap<String, Entry>,
    /// Groups of files made from book-wide inputs (tool pages, navigation), by name.
    groups: HashMap<&'static str, (u64, Vec<OutputFile>, Diagnostics)>,
    /// Values derived from book-wide inputs, by name (see [`Cache::memo`]).
    memos: HashMap<&'static str, (u64, Arc<dyn std::any::Any + Send + Sync>)>,
    /// The hash of every page and anchor the kept link checks were made against.
    link_targets: u64,
    rendered_pages: usize,
}

impl KeptCache {
    /// The entry of `slot`, emptied first when its key is not `key`; `None` never happens
    /// (the entry is made when missing).
    fn entry(&mut self, slot: &str, key: u64) -> &mut Entry {
        // Look up before inserting: most slots exist, and their names need no copy.
        if !self.entries.contains_key(slot) {
            self.entries.insert(slot.to_owned(), Entry::default());
        }
        let entry = self.entries.get_mut(slot).expect("the entry was just made");
        if entry.key != key {
            *entry = Entry {
                key,
                ..Entry::default()
            };
        }
        entry
    }
}

impl Cache for KeptCache {
    /// Forgets chapters that no longer exist. Entries are looked up by slot, so a stale one
    /// costs only memory: they are swept when they could be many.
    fn begin(&mut self, book: &Book) {
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

    fn batch<T: Send + Sync>(
        &mut self,
        slots: &[Slot<'_>],
        field: Field<T>,
        make: impl Fn(usize) -> Option<T> + Sync,
    ) -> Vec<Option<Arc<T>>> {
        let missing: Vec<usize> = (0..slots.len())
            .filter(|&i| field(self.entry(slots[i].0, slots[i].1)).is_none())
            .collect();
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

    fn group(
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
        if diags.has_errors() {
            self.groups.remove(name);
        } else {
            self.groups
                .insert(name, (key, files.clone(), diags.clone()));
        }
        (files, diags)
    }

    fn memo<T: Send + Sync + 'static>(
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
        self.memos.insert(name, (key, value.clone()));
        value
    }

    fn targets_changed(&mut self, targets: u64) {
        if targets != self.link_targets {
            self.link_targets = targets;
            for entry in self.entries.values_mut() {
                entry.links = None;
            }
        }
    }

    /// A chapter whose page failed last time is made again, facts and all: the page needs
    /// the HTML, which is never kept.
    fn chapters(
        &mut self,
        slots: &[Slot<'_>],
        make: impl Fn(usize) -> MadeChapter + Sync,
    ) -> Vec<CachedChapter> {
        let missing: Vec<usize> = (0..slots.len())
            .filter(|&i| {
                let entry = self.entry(slots[i].0, slots[i].1);
                entry.chapter.as_ref().is_none_or(|c| c.page.is_none())
            })
            .collect();
        let made: Vec<(usize, CachedChapter)> =
            missing.par_iter().map(|&i| (i, make(i).into())).collect();
        self.rendered_pages += made.iter().filter(|(_, c)| c.page.is_some()).count();
        for (i, chapter) in made {
            if let Some(entry) = self.entries.get_mut(slots[i].0) {
                entry.chapter = Some(chapter);
            }
        }
        slots
            .iter()
            .map(|(slot, _)| {
                let entry = self.entries.get(*slot);
                let chapter = entry.and_then(|e| e.chapter.clone());
                chapter.expect("every slot of the batch was made or kept")
            })
            .collect()
    }

    fn rendered_pages(&self) -> usize {
        self.rendered_pages
    }
}
