//! Chapter pages and `print.html`.

use std::collections::HashMap;

use super::views::{ChapterView, PageLink};
use crate::markdown::RenderedChapter;
use crate::markdown::links::relative_to;
use crate::model::{Book, Chapter, SummaryItem};

pub fn chapter_view<'a>(
    book: &'a Book,
    index: usize,
    chapter: &'a Chapter,
    rendered: &'a RenderedChapter,
    page_path: &'a str,
    parents: &HashMap<String, Vec<String>>,
) -> ChapterView<'a> {
    let link = |c: &Chapter| PageLink {
        title: c.nav_title.clone(),
        href: relative_to(page_path, &c.output_rel),
    };
    let fm = &chapter.front_matter;
    ChapterView {
        title: &chapter.title,
        number: chapter.number.as_deref(),
        description: fm.description.as_deref(),
        audience: fm
            .audience
            .iter()
            .map(|a| super::views::audience_label(a))
            .collect(),
        last_reviewed: fm.last_reviewed.as_deref(),
        review_by: fm.review_by.as_deref(),
        keywords: &fm.keywords,
        path: page_path,
        content: &rendered.html,
        outline: rendered.headings.iter().filter(|h| h.level == 2).collect(),
        prev: index.checked_sub(1).map(|i| link(&book.chapters[i])),
        next: book.chapters.get(index + 1).map(|c| link(c)),
        has_own_title: rendered.has_own_title,
        breadcrumbs: parents
            .get(&chapter.source_rel)
            .cloned()
            .unwrap_or_default(),
    }
}

/// Chapter source path → titles of its ancestors in SUMMARY.md.
pub fn parent_titles(items: &[SummaryItem]) -> HashMap<String, Vec<String>> {
    fn walk(
        items: &[SummaryItem],
        trail: &mut Vec<String>,
        out: &mut HashMap<String, Vec<String>>,
    ) {
        for item in items {
            if let SummaryItem::Link(link) = item {
                if let Some(source) = &link.source {
                    let rel = crate::paths::normalize(source)
                        .to_string_lossy()
                        .replace('\\', "/");
                    out.insert(rel, trail.clone());
                }
                trail.push(link.title.clone());
                walk(&link.children, trail, out);
                trail.pop();
            }
        }
    }
    let mut out = HashMap::new();
    walk(items, &mut Vec::new(), &mut out);
    out
}
