//! Stage 1: disk → [`Book`]. Reads SUMMARY.md, every chapter it lists, the YAML data files and
//! the other files to copy, and reports every problem it finds rather than the first.

pub mod chapter;
pub mod summary;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::Config;
use crate::data::{self, DataKind};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Book, Chapter, SummaryItem, SummaryLink};

/// Loads the book described by `config`. Warnings are returned with the book; any error means
/// no book.
pub fn book(config: &Config) -> Result<(Book, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::default();
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
    let (summary, summary_diags) = summary::parse(&summary_text, &summary_path);
    diags.extend(summary_diags);

    let files = SourceFiles::scan(&config.src_dir, &config.build_dir);
    let mut listed: BTreeSet<PathBuf> = BTreeSet::new();
    let mut chapters = Vec::new();
    let mut links = Vec::new();
    flatten(&summary, &mut links);
    if !links.iter().any(|link| link.source.is_some()) && !diags.has_errors() {
        // An empty or truncated SUMMARY.md would otherwise build a site with no pages.
        diags.push(Diagnostic::error(
            &summary_path,
            "SUMMARY.md lists no chapters: add a line like `- [Introduction](introduction.md)`",
        ));
    }
    // Chapters load in parallel; their results are merged in reading order.
    let real_root = config
        .root
        .canonicalize()
        .unwrap_or_else(|_| config.root.clone());
    let loaded: Vec<(&SummaryLink, Loaded)> = links
        .par_iter()
        .filter(|link| link.source.is_some())
        .map(|link| {
            (
                *link,
                load_chapter(config, &real_root, link, &summary_text, &summary_path),
            )
        })
        .collect();
    let mut output_names: HashMap<String, usize> = HashMap::new();
    for (link, result) in loaded {
        diags.extend(result.diagnostics);
        listed.extend(result.listed);
        let Some(chapter) = result.chapter else {
            continue;
        };
        if let Some(&line) = output_names.get(&chapter.output_rel) {
            let source = link.source.as_deref().unwrap_or(Path::new(""));
            diags.push(
                Diagnostic::error(
                    &summary_path,
                    format!(
                        "`{}` is listed twice (first on line {line}); a chapter can appear once",
                        source.display()
                    ),
                )
                .at(
                    crate::diagnostics::Position {
                        line: link.line,
                        column: 1,
                    },
                    Some(&summary_text),
                ),
            );
            continue;
        }
        output_names.insert(chapter.output_rel.clone(), link.line);
        chapters.push(chapter);
    }

    for orphan in files.markdown.iter().filter(|p| !listed.contains(*p)) {
        diags.push(Diagnostic::warning(
            orphan,
            "this file is not listed in SUMMARY.md, so it is not part of the book",
        ));
    }

    for unknown in &files.unknown_yaml {
        diags.push(Diagnostic::warning(
            unknown,
            "YAML file ignored: data files are topics.yaml, compare.yaml, or files in questions/, checklists/, worksheets/ or data/",
        ));
    }
    let (data, data_diags) = data::load(&files.data);
    diags.extend(data_diags);

    if diags.has_errors() {
        return Err(diags);
    }
    let book = Book {
        summary,
        chapters,
        data,
        assets: files.assets,
    };
    Ok((book, diags))
}

/// One chapter's load: the chapter (if usable), its problems, and the files it read.
#[derive(Default)]
struct Loaded {
    chapter: Option<Chapter>,
    diagnostics: Diagnostics,
    listed: Vec<PathBuf>,
}

/// Reads one listed chapter.
fn load_chapter(
    config: &Config,
    real_root: &Path,
    link: &SummaryLink,
    summary_text: &str,
    summary_path: &Path,
) -> Loaded {
    let mut result = Loaded::default();
    result.chapter = read_chapter(
        config,
        real_root,
        link,
        summary_text,
        summary_path,
        &mut result,
    );
    result
}

/// `None` (with a diagnostic in `out`) when the chapter cannot be used.
fn read_chapter(
    config: &Config,
    real_root: &Path,
    link: &SummaryLink,
    summary_text: &str,
    summary_path: &Path,
    out: &mut Loaded,
) -> Option<Chapter> {
    let source = link.source.as_deref()?;
    let listed = &mut out.listed;
    let diags = &mut out.diagnostics;
    let at_link = |message: String| {
        let column = summary_text
            .lines()
            .nth(link.line - 1)
            .and_then(|l| l.find("](").map(|i| summary::char_column(l, i + 3)))
            .unwrap_or(1);
        Diagnostic::error(summary_path, message).at(
            crate::diagnostics::Position {
                line: link.line,
                column,
            },
            Some(summary_text),
        )
    };
    let path = chapter::normalize(&config.src_dir.join(source));
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
    Some(Chapter {
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
    })
}

/// `chapters/a.md` → `chapters/a.html`; `README.md` and `index.md` become `index.html`.
pub fn output_path_for(source_rel: &str) -> String {
    let stem = source_rel.strip_suffix(".md").unwrap_or(source_rel);
    let (dir, name) = stem.rsplit_once('/').map_or(("", stem), |(d, n)| (d, n));
    let name = if name.eq_ignore_ascii_case("readme") {
        "index"
    } else {
        name
    };
    if dir.is_empty() {
        format!("{name}.html")
    } else {
        format!("{dir}/{name}.html")
    }
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
            if !entry.file_type().is_file() {
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
