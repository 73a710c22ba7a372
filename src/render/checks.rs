//! The checks a render makes of what it rendered, through `crate::validate`: every link of
//! every page against the pages and anchors the site has (cached per chapter while the
//! targets hash the same), task ids against the book-wide id space, and two files made for
//! one path.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use super::Render;
use super::cache::Cache;
use super::emit::Emitted;
use super::tools::ToolPages;
use crate::config::{BrokenLinks, Config};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::ChapterFacts;
use crate::markdown::links::LinkTargets;
use crate::model::{Book, question_page};
use crate::validate::{self, links::Targets};

/// The problems with the links and task ids of the rendered chapters and the data files.
pub(super) fn links(
    r: &Render<'_>,
    rendered: &[Arc<ChapterFacts>],
    tools: &ToolPages,
    cache: &mut impl Cache,
) -> Diagnostics {
    let book = r.book;
    let generated = tools.link_targets(r);
    let files: HashSet<String> = book
        .assets
        .iter()
        .map(|a| a.to_string_lossy().replace('\\', "/"))
        .collect();
    let targets_key = r.keys.link_targets(&generated, rendered, &files);
    // The map of targets is made only if something is checked. Question pages' anchors
    // come from the data files, which the key's global part covers.
    let audience_ids = OnceLock::new();
    let pages = OnceLock::new();
    let pages = || {
        pages.get_or_init(|| {
            let audience_ids = audience_ids.get_or_init(|| audience_anchors(r));
            let mut pages: LinkTargets<'_> = book
                .chapters
                .iter()
                .zip(rendered)
                .map(|(c, r)| (c.output_rel.as_str(), r.ids.as_slice()))
                .collect();
            for (page, ids) in audience_ids {
                pages.insert(page, ids);
            }
            for page in &generated {
                pages.insert(page, &[]);
            }
            pages
        })
    };
    let targets = || Targets {
        pages: pages(),
        files: &files,
    };
    let link_problems = cache.links(&r.slots, targets_key, |i| {
        validate::links::chapter(&book.chapters[i], &rendered[i].links, &targets())
    });
    let mut diags = Diagnostics::default();
    let mut broken = Diagnostics::default();
    // Both may come from the cache: placed again in the chapter's current text.
    for ((facts, problems), chapter) in rendered.iter().zip(link_problems).zip(&book.chapters) {
        let text_of = |p: &std::path::Path| chapter.source_map.text_of(p);
        diags.extend(facts.diagnostics.placed_in(text_of));
        broken.extend(problems.placed_in(text_of));
    }
    let tasks: Vec<_> = rendered.iter().map(|r| r.tasks.as_slice()).collect();
    diags.extend(validate::task_ids(book, &tasks));
    // Links in data files: checked again only when the targets (which cover the data) change.
    let data_links = cache.memo("data links", targets_key, || {
        validate::links::data(book, &targets())
    });
    broken.extend((*data_links).clone());
    diags.extend(as_configured(broken, r.config));
    diags
}

/// Broken links as `[output.html] broken-links` asks: errors, with one hint on how to publish
/// anyway, or warnings.
fn as_configured(broken: Diagnostics, config: &Config) -> Diagnostics {
    if config.broken_links == BrokenLinks::Warn {
        return broken.into_warnings();
    }
    let count = broken.error_count();
    let mut out = broken;
    if count > 0 {
        let (links, them) = if count == 1 {
            ("link", "it")
        } else {
            ("links", "them")
        };
        out.push(Diagnostic::warning(
            &config.book_toml,
            format!(
                "{count} broken {links}: fix {them}, or set `broken-links = \"warn\"` under `[output.html]` to publish anyway"
            ),
        ));
    }
    out
}

/// Each audience page with the ids on it: the banks and their questions.
fn audience_anchors(r: &Render<'_>) -> Vec<(String, Vec<String>)> {
    r.audience_pages
        .iter()
        .map(|p| {
            let ids = p.banks.iter().flat_map(|b| {
                std::iter::once(b.id.clone()).chain(b.questions.iter().map(|q| q.id.clone()))
            });
            (question_page(&p.audience), ids.collect())
        })
        .collect()
}

/// Problems with the files as they were made: two made for one path, or one that could not
/// be written.
pub(super) fn written(r: &Render<'_>, out: &mut Emitted<'_>) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for path in std::mem::take(&mut out.collisions) {
        diags.push(collision(&path, r.book, r.config));
    }
    if let Some(e) = out.error.take() {
        diags.push(Diagnostic::error(&r.config.build_dir, format!("{e:#}")));
    }
    diags
}

/// Two files of the site made for one `path`: the error names what made each, so the author
/// knows which to rename.
fn collision(path: &str, book: &Book, config: &Config) -> Diagnostic {
    let shown = |p: &std::path::Path| {
        p.strip_prefix(&config.root)
            .unwrap_or(p)
            .display()
            .to_string()
    };
    let mut sources: Vec<(PathBuf, String)> = book
        .chapters
        .iter()
        .filter(|c| c.output_rel == path)
        .map(|c| {
            (
                c.source_path.clone(),
                format!("the chapter {}", shown(&c.source_path)),
            )
        })
        .collect();
    for asset in book.assets.iter().filter(|a| a.to_string_lossy() == path) {
        let file = config.src_dir.join(asset);
        sources.push((file.clone(), format!("the file {}", shown(&file))));
    }
    for extra in config.additional_css.iter().chain(&config.additional_js) {
        if crate::util::paths::site_relative(extra).as_deref() == Some(path) {
            sources.push((
                config.book_toml.clone(),
                format!("the additional file {}", extra.display()),
            ));
        }
    }
    if sources.len() < 2 {
        sources.push((
            config.book_toml.clone(),
            "a page guidebook makes itself".into(),
        ));
    }
    let names: Vec<&str> = sources.iter().map(|(_, what)| what.as_str()).collect();
    Diagnostic::error(
        &sources[0].0,
        format!(
            "two files of the site would be written to `{path}`: {}; rename one of them",
            names.join(" and ")
        ),
    )
}
