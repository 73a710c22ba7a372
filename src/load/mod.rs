//! Stage 1: disk → [`Book`]. Reads SUMMARY.md, every chapter it lists, the YAML data files and
//! the other files to copy, and reports every problem it finds rather than the first.

pub(crate) mod chapter;
pub(crate) mod data;
pub(crate) mod summary;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, LineIndex};
use crate::model::{Book, Chapter, SummaryItem, SummaryLink};
use crate::model::{DataSet, output_path_for};
use data::DataKind;

/// Loads the book described by `config`. Warnings are returned with the book; any error means
/// no book.
pub fn book(config: &Config) -> Result<(Book, Diagnostics), Diagnostics> {
    book_with(config, &mut LoadMemo::default(), None)
}

/// What the last load read, kept by a watch session so that the next load re-reads only the
/// files that changed. Reuse needs a list of changed files from the watcher; without one (or
/// when SUMMARY.md, book.toml or the set of files may have changed) everything is read again.
#[derive(Default)]
pub struct LoadMemo {
    last: Option<Memo>,
    /// Chapters read from disk by the last load (the rest were reused).
    pub chapters_read: usize,
}

struct Memo {
    /// The configuration it was read with; any change reads everything again.
    config_key: String,
    summary_text: String,
    /// Where SUMMARY.md's lines start, so a diagnostic per line stays linear.
    summary_lines: LineIndex,
    summary: Vec<SummaryItem>,
    summary_digest: u64,
    summary_diags: Diagnostics,
    files: SourceFiles,
    /// One per SUMMARY.md link with a file, in reading order.
    chapters: Vec<Loaded>,
    data: Arc<DataSet>,
    data_diags: Diagnostics,
    /// Derived from the above by [`Memo::derive`].
    derived: Derived,
}

/// What the load derives from the files it read, kept until those change.
#[derive(Default)]
struct Derived {
    /// Chapter source path → output path.
    outputs: Arc<HashMap<String, String>>,
    /// Markdown files no chapter lists or includes.
    orphans: Vec<PathBuf>,
    /// File read → the chapters that read it (by index).
    readers: HashMap<PathBuf, Vec<usize>>,
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
    /// The data files of the last load, parsed (also when the load failed elsewhere), for the
    /// checks across them.
    pub fn data(&self) -> Option<&DataSet> {
        self.last.as_ref().map(|m| &*m.data)
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

/// Loads the book, reusing what `memo` holds from the last load for files not in `changed`.
pub fn book_with(
    config: &Config,
    memo: &mut LoadMemo,
    changed: Option<&[PathBuf]>,
) -> Result<(Book, Diagnostics), Diagnostics> {
    let config_key = format!("{config:?}");
    let reused = match (memo.last.as_mut(), changed) {
        (Some(last), Some(changed)) if last.config_key == config_key => {
            reload_changed(config, last, changed)
        }
        _ => None,
    };
    memo.chapters_read = match reused {
        Some(read) => read,
        None => {
            memo.last = None;
            let all = read_all(config, config_key)?;
            let read = all.chapters.len();
            memo.last = Some(all);
            read
        }
    };
    match &memo.last {
        Some(last) => assemble(config, last),
        None => unreachable!("a memo was just stored"),
    }
}

/// Reads SUMMARY.md, every chapter and every data file.
fn read_all(config: &Config, config_key: String) -> Result<Memo, Diagnostics> {
    let summary_path = config.src_dir.join("SUMMARY.md");
    let summary_text = match chapter::read_text(&summary_path) {
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

fn real_root(config: &Config) -> PathBuf {
    config
        .root
        .canonicalize()
        .unwrap_or_else(|_| config.root.clone())
}

/// Puts the loaded parts together into a book, with the checks that span chapters.
fn assemble(config: &Config, memo: &Memo) -> Result<(Book, Diagnostics), Diagnostics> {
    let summary_path = config.src_dir.join("SUMMARY.md");
    let summary_text = &memo.summary_text;
    let mut diags = memo.summary_diags.clone();
    let mut chapters = Vec::with_capacity(memo.chapters.len());
    let mut output_names: HashMap<&str, usize> = HashMap::new();
    for result in &memo.chapters {
        diags.extend(result.diagnostics.clone());
        let Some(chapter) = &result.chapter else {
            continue;
        };
        if let Some(&line) = output_names.get(chapter.output_rel.as_str()) {
            diags.push(
                Diagnostic::error(
                    &summary_path,
                    format!(
                        "`{}` is listed twice (first on line {line}); a chapter can appear once",
                        chapter.source_rel
                    ),
                )
                .at_indexed(
                    summary_text,
                    &memo.summary_lines,
                    memo.summary_lines.offset_of_line(result.summary_line),
                ),
            );
            continue;
        }
        output_names.insert(&chapter.output_rel, result.summary_line);
        chapters.push(chapter.clone());
    }

    for orphan in &memo.derived.orphans {
        diags.push(Diagnostic::warning(
            orphan,
            "this file is not listed in SUMMARY.md, so it is not part of the book",
        ));
    }

    for unknown in &memo.files.unknown_yaml {
        diags.push(Diagnostic::warning(
            unknown,
            "YAML file ignored: data files are topics.yaml, compare.yaml, or files in questions/, checklists/, worksheets/ or data/",
        ));
    }
    diags.extend(memo.data_diags.clone());

    if diags.has_errors() {
        return Err(diags);
    }
    let book = Book {
        summary: memo.summary.clone(),
        summary_digest: memo.summary_digest,
        chapter_outputs: memo.derived.outputs.clone(),
        chapters,
        data: memo.data.clone(),
        assets: memo.files.assets.clone(),
    };
    Ok((book, diags))
}

/// One chapter's load: the chapter (if usable), its problems, and the files it read.
/// SUMMARY.md as chapters point back into it.
#[derive(Clone, Copy)]
struct Listing<'a> {
    text: &'a str,
    lines: &'a LineIndex,
    path: &'a Path,
}

#[derive(Default)]
struct Loaded {
    chapter: Option<Arc<Chapter>>,
    /// The chapter's line in SUMMARY.md.
    summary_line: usize,
    diagnostics: Diagnostics,
    listed: Vec<PathBuf>,
}

/// Reads one listed chapter.
fn load_chapter(
    config: &Config,
    real_root: &Path,
    link: &SummaryLink,
    listing: Listing<'_>,
) -> Loaded {
    let mut result = Loaded {
        summary_line: link.line,
        ..Loaded::default()
    };
    result.chapter = read_chapter(config, real_root, link, listing, &mut result).map(Arc::new);
    result
}

/// `None` (with a diagnostic in `out`) when the chapter cannot be used.
fn read_chapter(
    config: &Config,
    real_root: &Path,
    link: &SummaryLink,
    listing: Listing<'_>,
    out: &mut Loaded,
) -> Option<Chapter> {
    let summary_path = listing.path;
    let source = link.source.as_deref()?;
    let listed = &mut out.listed;
    let diags = &mut out.diagnostics;
    let at_link = |message: String| {
        let line = listing
            .lines
            .line(listing.text, link.line)
            .unwrap_or_default();
        let column = line
            .find("](")
            .map_or(1, |i| summary::char_column(line, i + 3));
        let position = crate::diagnostics::Position {
            line: link.line,
            column,
        };
        Diagnostic::error(summary_path, message).at_line(position, line)
    };
    let path = crate::util::paths::normalize(&config.src_dir.join(source));
    if !path.starts_with(&config.src_dir) {
        diags.push(at_link(format!(
            "`{}` is outside the source directory",
            source.display()
        )));
        return None;
    }
    if path.is_dir() {
        diags.push(at_link(format!(
            "`{}` is a directory, not a Markdown file",
            source.display()
        )));
        return None;
    }
    let real_ok = path
        .canonicalize()
        .is_ok_and(|real| real.starts_with(real_root))
        || !path.exists();
    if !real_ok {
        diags.push(at_link(format!(
            "`{}` is a link to a file outside the book root",
            source.display()
        )));
        return None;
    }
    let text = match chapter::read_text(&path) {
        Ok(text) => text,
        Err(d) if path.exists() => {
            // Listed, just unusable: no "not listed in SUMMARY.md" warning on top.
            listed.push(path);
            diags.push(d);
            return None;
        }
        Err(_) => {
            diags.push(at_link(format!(
                "chapter file `{}` does not exist",
                source.display()
            )));
            return None;
        }
    };
    listed.push(path.clone());
    let (loaded, chapter_diags) = chapter::load(&path, &config.root, text);
    diags.extend(chapter_diags);
    let loaded = loaded?;
    listed.extend(loaded.includes.iter().cloned());
    let source_rel = path
        .strip_prefix(&config.src_dir)
        .unwrap_or(&path)
        .to_string_lossy()
        .replace('\\', "/");
    let number = link
        .number
        .as_ref()
        .map(|n| n.iter().map(|x| format!("{x}.")).collect::<String>());
    let uses_data = loaded.markdown.contains("{{#");
    let mut chapter = Chapter {
        title: loaded
            .front_matter
            .title
            .clone()
            .unwrap_or_else(|| link.title.clone()),
        nav_title: link.title.clone(),
        number,
        output_rel: output_path_for(&source_rel),
        source_rel,
        source_path: path,
        front_matter: loaded.front_matter,
        markdown: loaded.markdown,
        source_map: loaded.source_map,
        uses_data,
        digest: 0,
    };
    chapter.digest = chapter.content_digest();
    Some(chapter)
}

/// SUMMARY links in reading order.
pub fn flatten<'a>(items: &'a [SummaryItem], out: &mut Vec<&'a SummaryLink>) {
    for item in items {
        if let SummaryItem::Link(link) = item {
            out.push(link);
            flatten(&link.children, out);
        }
    }
}

/// Files under the source directory, sorted by kind.
#[derive(Clone)]
struct SourceFiles {
    markdown: Vec<PathBuf>,
    data: Vec<(PathBuf, DataKind)>,
    /// YAML files in no known place (not topics.yaml, questions/ or checklists/).
    unknown_yaml: Vec<PathBuf>,
    /// Relative to the source directory.
    assets: Vec<PathBuf>,
}

impl SourceFiles {
    fn scan(src_dir: &Path, build_dir: &Path) -> SourceFiles {
        let mut files = SourceFiles {
            markdown: Vec::new(),
            data: Vec::new(),
            unknown_yaml: Vec::new(),
            assets: Vec::new(),
        };
        let walker = WalkDir::new(src_dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !is_hidden(e.file_name()) && e.path() != build_dir);
        for entry in walker.filter_map(Result::ok) {
            let kind = entry.file_type();
            if kind.is_dir() {
                continue;
            }
            // A FIFO or device (or a symlink to one) named like a data file is kept, for
            // reading to refuse with an error; symlinks to regular files stay skipped.
            let special =
                !kind.is_file() && std::fs::metadata(entry.path()).map_or(true, |m| !m.is_file());
            if !kind.is_file() && !special {
                continue;
            }
            let path = entry.into_path();
            let rel = path
                .strip_prefix(src_dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            if rel == "SUMMARY.md" {
                continue;
            }
            if special {
                if let Some(kind) = DataKind::of(&rel) {
                    files.data.push((path, kind));
                }
                continue;
            }
            if rel.ends_with(".md") {
                files.markdown.push(path);
            } else if let Some(kind) = DataKind::of(&rel) {
                files.data.push((path, kind));
            } else if rel.ends_with(".yaml") || rel.ends_with(".yml") {
                files.unknown_yaml.push(path);
            } else {
                files.assets.push(PathBuf::from(rel));
            }
        }
        files
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    (name.starts_with('.') && name != ".") || name.ends_with('~') || name.ends_with(".swp")
}
