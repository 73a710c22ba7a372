//! One chapter read from its SUMMARY.md link: the checks that it is a Markdown file inside the
//! source directory, its text, and the `Chapter` made from it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, LineIndex};
use crate::model::{Chapter, SummaryLink, output_path_for};

use super::{chapter, source, summary};

/// One chapter's load: the chapter (if usable), its problems, and the files it read.
/// SUMMARY.md as chapters point back into it.
#[derive(Clone, Copy)]
pub(super) struct Listing<'a> {
    pub(super) text: &'a str,
    pub(super) lines: &'a LineIndex,
    pub(super) path: &'a Path,
}

#[derive(Default)]
pub(super) struct Loaded {
    pub(super) chapter: Option<Arc<Chapter>>,
    /// The chapter's line in SUMMARY.md.
    pub(super) summary_line: usize,
    pub(super) diagnostics: Diagnostics,
    pub(super) listed: Vec<PathBuf>,
}

/// Reads one listed chapter.
pub(super) fn load_chapter(
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
    let source = link.source.as_deref()?;
    let (path, text) = read_listed(config, real_root, source, link, listing, out)?;
    out.listed.push(path.clone());
    let (loaded, chapter_diags) = chapter::load(&path, &config.root, text);
    out.diagnostics.extend(chapter_diags);
    let loaded = loaded?;
    out.listed.extend(loaded.includes.iter().cloned());
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
        title_html: loaded
            .front_matter
            .title
            .as_deref()
            .map_or_else(|| link.title_html.clone(), crate::util::html::escape),
        nav_title: link.title.clone(),
        nav_title_html: link.title_html.clone(),
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

/// The file a SUMMARY.md link names and its text, when it is a readable Markdown file inside
/// the source directory; otherwise `None`, with the problem at the link in `out`.
fn read_listed(
    config: &Config,
    real_root: &Path,
    source: &Path,
    link: &SummaryLink,
    listing: Listing<'_>,
    out: &mut Loaded,
) -> Option<(PathBuf, String)> {
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
        Diagnostic::error(listing.path, message).at_line(position, line)
    };
    let shown = source.display();
    let path = crate::util::paths::normalize(&config.src_dir.join(source));
    let refused = if !path.starts_with(&config.src_dir) {
        Some(format!("`{shown}` is outside the source directory"))
    } else if path.is_dir() {
        Some(format!("`{shown}` is a directory, not a Markdown file"))
    } else if escapes_root(&path, real_root) {
        Some(format!(
            "`{shown}` is a link to a file outside the book root"
        ))
    } else {
        None
    };
    if let Some(message) = refused {
        out.diagnostics.push(at_link(message));
        return None;
    }
    match source::read_text(&path) {
        Ok(text) => Some((path, text)),
        Err(d) if path.exists() => {
            // Listed, just unusable: no "not listed in SUMMARY.md" warning on top.
            out.listed.push(path);
            out.diagnostics.push(d);
            None
        }
        Err(_) => {
            let message = format!("chapter file `{shown}` does not exist");
            out.diagnostics.push(at_link(message));
            None
        }
    }
}

/// An existing file whose real path (symlinks followed) is outside the book root.
fn escapes_root(path: &Path, real_root: &Path) -> bool {
    path.exists()
        && !path
            .canonicalize()
            .is_ok_and(|real| real.starts_with(real_root))
}

/// The book root with symlinks resolved, for the check that a chapter stays inside it.
pub(super) fn real_root(config: &Config) -> PathBuf {
    config
        .root
        .canonicalize()
        .unwrap_or_else(|_| config.root.clone())
}
