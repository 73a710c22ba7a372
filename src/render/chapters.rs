//! Chapter pages, and the front page.

use std::collections::HashMap;
use std::sync::Arc;

use super::Render;
use super::cache::{Cache, MadeChapter};
use super::emit::Emitted;
use super::print::Print;
use super::views::{ChapterView, PageLink};
use crate::diagnostics::Diagnostics;
use crate::load::title::InlineTitle;
use crate::markdown::links::{PageLocation, relative_to};
use crate::markdown::{self, ChapterFacts, Section};
use crate::model::{Book, Chapter, Contents, OutputFile, SummaryItem};
use crate::search::IndexBuilder;

pub fn chapter_view<'a>(
    book: &'a Book,
    index: usize,
    chapter: &'a Chapter,
    (html, facts): (&'a str, &'a ChapterFacts),
    page_path: &'a str,
    parents: &HashMap<String, Vec<InlineTitle>>,
) -> ChapterView<'a> {
    let link = |c: &Chapter| PageLink {
        title: c.nav_title.clone(),
        title_html: c.nav_title_html.clone(),
        href: relative_to(page_path, &c.output_rel),
    };
    let fm = &chapter.front_matter;
    let trail = parents
        .get(&chapter.source_rel)
        .map_or(&[][..], Vec::as_slice);
    ChapterView {
        title: &chapter.title,
        title_html: &chapter.title_html,
        number: chapter.number.as_deref(),
        description: fm.description.as_deref(),
        audience: fm
            .audience
            .iter()
            .map(|a| super::views::audience_label(a, book.data.vocabulary()))
            .collect(),
        last_reviewed: fm.last_reviewed.as_deref(),
        review_by: fm.review_by.as_deref(),
        keywords: &fm.keywords,
        path: page_path,
        content: html,
        outline: facts.headings.iter().filter(|h| h.level == 2).collect(),
        prev: index.checked_sub(1).map(|i| link(&book.chapters[i])),
        next: book.chapters.get(index + 1).map(|c| link(c)),
        has_own_title: facts.has_own_title,
        breadcrumbs: trail.iter().map(|t| t.text.clone()).collect(),
        breadcrumbs_html: trail.iter().map(|t| t.html.clone()).collect(),
        edit_url: None,
    }
}

/// Chapter source path → titles of its ancestors in SUMMARY.md.
pub fn parent_titles(items: &[SummaryItem]) -> HashMap<String, Vec<InlineTitle>> {
    fn walk(
        items: &[SummaryItem],
        trail: &mut Vec<InlineTitle>,
        out: &mut HashMap<String, Vec<InlineTitle>>,
    ) {
        for item in items {
            if let SummaryItem::Link(link) = item {
                if let Some(source) = &link.source {
                    let rel = crate::util::paths::normalize(source)
                        .to_string_lossy()
                        .replace('\\', "/");
                    out.insert(rel, trail.clone());
                }
                trail.push(InlineTitle {
                    text: link.title.clone(),
                    html: link.title_html.clone(),
                });
                walk(&link.children, trail, out);
                trail.pop();
            }
        }
    }
    let mut out = HashMap::new();
    walk(items, &mut Vec::new(), &mut out);
    out
}

/// What the chapters rendered to: each one's facts, and (when the search index is built
/// later) each one's search sections.
pub(super) struct Rendered {
    pub facts: Vec<Arc<ChapterFacts>>,
    pub sections: Option<Vec<Arc<Vec<Section>>>>,
}

/// Chapters a batch at a time: Markdown, page, print section and search documents. A batch's
/// HTML is dropped once its pages are made, so a large guide never holds all its pages at
/// once; the search sections are kept only when the index is built later (`keep_sections`).
pub(super) fn render_all(
    r: &Render<'_>,
    cache: &mut impl Cache,
    out: &mut Emitted<'_>,
    print: Option<&Print>,
    mut search: Option<&mut IndexBuilder>,
    keep_sections: bool,
) -> Rendered {
    const BATCH: usize = 512;
    let book = r.book;
    let mut facts = Vec::with_capacity(book.chapters.len());
    let mut sections = keep_sections.then(Vec::new);
    for start in (0..book.chapters.len()).step_by(BATCH) {
        let end = (start + BATCH).min(book.chapters.len());
        let slots = &r.slots[start..end];
        let batch = cache.chapters(slots, |j| {
            let chapter = &book.chapters[start + j];
            make(r, start + j, chapter, &chapter.output_rel)
        });
        let files = book.chapters[start..end].iter().zip(&batch);
        out.push_all(
            files
                .filter_map(|(chapter, made)| {
                    Some(OutputFile {
                        path: chapter.output_rel.clone(),
                        contents: Contents::Shared(made.page.clone()?),
                    })
                })
                .collect(),
        );
        if let Some(print) = print {
            print.add(r, start, slots, cache, out);
        }
        let batch_sections: Vec<_> = batch.iter().map(|c| c.sections.clone()).collect();
        if let Some(index) = search.as_deref_mut() {
            index.add_chapters(&book.chapters[start..end], &batch_sections);
        }
        if let Some(kept) = &mut sections {
            kept.extend(batch_sections);
        }
        facts.extend(batch.into_iter().map(|c| c.facts));
    }
    Rendered { facts, sections }
}

/// The first chapter doubles as the front page unless a chapter already is `index.html`.
pub(super) fn front_page(r: &Render<'_>, cache: &mut impl Cache, out: &mut Emitted<'_>) {
    let book = r.book;
    let Some(first) = book.chapters.first() else {
        return;
    };
    if book.chapter_outputs.values().any(|o| o == "index.html") {
        return;
    }
    let slot = format!("index:{}", first.output_rel);
    let slots = [(slot.as_str(), r.slots[0].1)];
    let made = cache.chapters(&slots, |_| make(r, 0, first, "index.html"));
    if let Some(page) = made.into_iter().next().and_then(|c| c.page) {
        out.push(OutputFile {
            path: "index.html".into(),
            contents: Contents::Shared(page),
        });
    }
}

/// Chapter `index`'s Markdown and its page through the theme at `path`; template problems go
/// to the render's report. The HTML goes no further than the page.
fn make(r: &Render<'_>, index: usize, chapter: &Chapter, path: &str) -> MadeChapter {
    let rendered = markdown::render(chapter, &r.ctx, &PageLocation::Page(path.to_owned()));
    let content = (rendered.html.as_str(), &rendered.facts);
    let mut view = chapter_view(r.book, index, chapter, content, path, &r.parents);
    view.edit_url = r.config.site.edit_url(&chapter.source_rel);
    let mut d = Diagnostics::default();
    let page = r
        .renderer
        .page_bytes("chapter.html", path, ("page", &view), &[], &mut d);
    r.report(d);
    MadeChapter {
        facts: rendered.facts,
        sections: rendered.sections,
        page,
    }
}
