//! What a load read, kept between the builds of a watch session so that the next load re-reads
//! only the files that changed.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, LineIndex};
use crate::model::{DataSet, SummaryItem, SummaryLink};

use super::files::SourceFiles;
use super::listed::{Listing, Loaded, load_chapter, real_root};
use super::summary::flatten;
use super::{data, source, summary};

/// What the last load read, kept by a watch session so that the next load re-reads only the
/// files that changed. Reuse needs a list of changed files from the watcher; without one (or
/// when SUMMARY.md, book.toml or the set of files may have changed) everything is read again.
#[derive(Default)]
pub struct LoadMemo {
    last: Option<Memo>,
    /// Chapters read from disk by the last load (the rest were reused).
    pub chapters_read: usize,
}

pub(super) struct Memo {
    /// The configuration it was read with; any change reads everything again.
    pub(super) config_key: String,
    pub(super) summary_text: String,
    /// Where SUMMARY.md's lines start, so a diagnostic per line stays linear.
    pub(super) summary_lines: LineIndex,
    pub(super) summary: Vec<SummaryItem>,
    pub(super) summary_digest: u64,
    pub(super) summary_diags: Diagnostics,
    pub(super) files: SourceFiles,
    /// One per SUMMARY.md link with a file, in reading order.
    pub(super) chapters: Vec<Loaded>,
    pub(super) data: Arc<DataSet>,
    pub(super) data_diags: Diagnostics,
    /// Derived from the above by [`Memo::derive`].
    pub(super) derived: Derived,
}

/// What the load derives from the files it read, kept until those change.
#[derive(Default)]
pub(super) struct Derived {
    /// Chapter source path → output path.
    pub(super) outputs: Arc<HashMap<String, String>>,
    /// Markdown files no chapter lists or includes.
    pub(super) orphans: Vec<PathBuf>,
    /// File read → the chapters that read it (by index).
    pub(super) readers: HashMap<PathBuf, Vec<usize>>,
}

impl Memo {
    fn derive(&mut self) {
        let mut readers: HashMap<PathBuf, Vec<usize>> = HashMap::new();
        for (i, loaded) in self.chapters.iter().enumerate() {
            for path in &loaded.listed {
                readers.entry(path.clone()).or_default().push(i);
            }
        }
        let outputs = self
            .chapters
            .iter()
            .filter_map(|l| l.chapter.as_ref())
            .map(|c| (c.source_rel.clone(), c.output_rel.clone()))
            .collect();
        let orphans = self
            .files
            .markdown
            .iter()
            .filter(|p| !readers.contains_key(*p))
            .cloned()
            .collect();
        self.derived = Derived {
            outputs: Arc::new(outputs),
            orphans,
            readers,
        };
    }
}

impl LoadMemo {
    /// Brings the memo up to date: re-reads only the files in `changed` when it can, or
    /// everything. Returns what the load now holds.
    pub(super) fn refresh(
        &mut self,
        config: &Config,
        changed: Option<&[PathBuf]>,
    ) -> Result<&Memo, Diagnostics> {
        let config_key = format!("{config:?}");
        let reused = match (self.last.as_mut(), changed) {
            (Some(last), Some(changed)) if last.config_key == config_key => {
                reload_changed(config, last, changed)
            }
            _ => None,
        };
        if let Some(read) = reused {
            self.chapters_read = read;
        } else {
            self.last = None;
            let all = read_all(config, config_key)?;
            self.chapters_read = all.chapters.len();
            self.last = Some(all);
        }
        match &self.last {
            Some(last) => Ok(last),
            None => unreachable!("a memo was just stored"),
        }
    }

    /// The data files of the last load, parsed (also when the load failed elsewhere), for the
    /// checks across them.
    pub fn data(&self) -> Option<&Arc<DataSet>> {
        self.last.as_ref().map(|m| &m.data)
    }

    /// Every file the last successful load read (chapters, included files wherever they
    /// live, data files), so the watcher can watch exactly those. Empty before a first load.
    pub fn files_read(&self) -> Vec<PathBuf> {
        let Some(last) = &self.last else {
            return Vec::new();
        };
        let chapters = last.derived.readers.keys().cloned();
        let data = last.files.data.iter().map(|(p, _)| p.clone());
        chapters.chain(data).collect()
    }
}

/// Reads SUMMARY.md, every chapter and every data file.
fn read_all(config: &Config, config_key: String) -> Result<Memo, Diagnostics> {
    let summary_path = config.src_dir.join("SUMMARY.md");
    let summary_text = match source::read_text(&summary_path) {
        Ok(text) => text,
        // Too big, or not UTF-8: that problem, not "missing".
        Err(d) if summary_path.is_file() => return Err(d.into()),
        Err(_) => {
            let message = format!(
                "no SUMMARY.md in {}: it lists the chapters of the book (`guidebook init` writes one)",
                config.src_dir.display()
            );
            return Err(Diagnostic::error(&summary_path, message).into());
        }
    };
    let (summary, mut summary_diags) = summary::parse(&summary_text, &summary_path);
    let files = SourceFiles::scan(&config.src_dir, &config.build_dir);
    let mut links = Vec::new();
    flatten(&summary, &mut links);
    if !links.iter().any(|link| link.source.is_some()) && !summary_diags.has_errors() {
        // An empty or truncated SUMMARY.md would otherwise build a site with no pages.
        summary_diags.push(Diagnostic::error(
            &summary_path,
            "SUMMARY.md lists no chapters: add a line like `- [Introduction](introduction.md)`",
        ));
    }
    // Chapters load in parallel; their results are merged in reading order.
    let real_root = real_root(config);
    let summary_lines = LineIndex::new(&summary_text);
    let listing = Listing {
        text: &summary_text,
        lines: &summary_lines,
        path: &summary_path,
    };
    let chapters: Vec<Loaded> = links
        .par_iter()
        .filter(|link| link.source.is_some())
        .map(|link| load_chapter(config, &real_root, link, listing))
        .collect();
    let (data, data_diags) = data::load(&files.data);
    let mut memo = Memo {
        config_key,
        summary_text,
        summary_lines,
        summary_digest: crate::util::hash::digest(&format!("{summary:?}")),
        summary,
        summary_diags,
        files,
        chapters,
        data: Arc::new(data),
        data_diags,
        derived: Derived::default(),
    };
    memo.derive();
    Ok(memo)
}

/// Re-reads the chapters and data files in `changed`, when every changed path is a file the
/// last load read and still exists: returns how many chapters it read. Returns `None`
/// (touching nothing) otherwise.
fn reload_changed(config: &Config, last: &mut Memo, changed: &[PathBuf]) -> Option<usize> {
    let changed: HashSet<&Path> = changed.iter().map(PathBuf::as_path).collect();
    let data_files: HashSet<&Path> = last.files.data.iter().map(|(p, _)| p.as_path()).collect();
    let mut stale_chapters = Vec::new();
    let mut data_changed = false;
    for path in &changed {
        let readers = last.derived.readers.get(*path);
        let is_data = data_files.contains(path);
        // A new, deleted or unknown file may change what the book is made of.
        if !path.is_file() || (readers.is_none() && !is_data) {
            return None;
        }
        stale_chapters.extend(readers.into_iter().flatten().copied());
        data_changed |= is_data;
    }
    stale_chapters.sort_unstable();
    stale_chapters.dedup();
    let mut links = Vec::new();
    flatten(&last.summary, &mut links);
    let links: Vec<&SummaryLink> = links.into_iter().filter(|l| l.source.is_some()).collect();
    let real_root = real_root(config);
    let summary_path = config.src_dir.join("SUMMARY.md");
    let reloaded: Vec<(usize, Loaded)> = stale_chapters
        .par_iter()
        .map(|&i| {
            let listing = Listing {
                text: &last.summary_text,
                lines: &last.summary_lines,
                path: &summary_path,
            };
            let loaded = load_chapter(config, &real_root, links[i], listing);
            (i, loaded)
        })
        .collect();
    let mut reshaped = false;
    for (i, loaded) in reloaded {
        let old = &last.chapters[i];
        // Includes added or removed, or a chapter appearing or failing: derive again.
        reshaped |=
            old.listed != loaded.listed || old.chapter.is_some() != loaded.chapter.is_some();
        last.chapters[i] = loaded;
    }
    if reshaped {
        last.derive();
    }
    if data_changed {
        let (data, diags) = data::load(&last.files.data);
        last.data = Arc::new(data);
        last.data_diags = diags;
    }
    Some(stale_chapters.len())
}
