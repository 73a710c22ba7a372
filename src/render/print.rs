//! `print.html`: every chapter on one page. The theme's frame is rendered once around a
//! marker; the chapters' sections, rendered a batch at a time with the pages, are written in
//! its place as they come, so the whole page is never held in one buffer.

use std::sync::Arc;

use super::Render;
use super::cache::{Cache, Slot};
use super::emit::Emitted;
use super::views::PrintChapterView;
use crate::diagnostics::Diagnostics;
use crate::markdown::{self, links::PageLocation};
use crate::model::{Chapter, Contents};

/// Stands where the chapters go while the frame renders.
const MARKER: &str = "\u{0}guidebook:print-chapters\u{0}";

/// print.html between its head and its tail: what follows the chapters.
pub(super) struct Print {
    tail: Arc<String>,
}

impl Print {
    /// Renders the frame and starts the page; `None` when print is off or the theme's
    /// print.html leaves the chapters out (then it is written as it rendered).
    pub(super) fn begin(
        r: &Render<'_>,
        out: &mut Emitted<'_>,
        diags: &mut Diagnostics,
    ) -> Option<Print> {
        if !r.config.print_enabled {
            return None;
        }
        let frame = r.renderer.page(
            "print.html",
            "print.html",
            ("chapters_html", MARKER),
            &[],
            diags,
        );
        let split = match &frame.contents {
            Contents::Bytes(bytes) => std::str::from_utf8(bytes)
                .ok()
                .and_then(|html| html.split_once(MARKER))
                .map(|(head, tail)| (head.to_owned(), tail.to_owned())),
            _ => None,
        };
        let Some((head, tail)) = split else {
            out.push(frame);
            return None;
        };
        out.begin_joined(&frame.path, Arc::new(head));
        Some(Print {
            tail: Arc::new(tail),
        })
    }

    /// Adds the sections of the chapters `start..` whose cache slots are `slots`.
    pub(super) fn add(
        &self,
        r: &Render<'_>,
        start: usize,
        slots: &[Slot<'_>],
        cache: &mut impl Cache,
        out: &mut Emitted<'_>,
    ) {
        let sections = cache.print(slots, |j| section(r, &r.book.chapters[start + j]));
        out.extend_joined(sections.into_iter().flatten());
    }

    pub(super) fn end(self, out: &mut Emitted<'_>) {
        out.end_joined(self.tail);
    }
}

/// One chapter's section of print.html (links rewritten to print anchors).
fn section(r: &Render<'_>, chapter: &Chapter) -> Option<String> {
    let rendered = markdown::render(chapter, &r.ctx, &PageLocation::Print);
    let view = PrintChapterView {
        id: markdown::print_section_id(&chapter.output_rel),
        title: &chapter.title,
        title_html: &chapter.title_html,
        number: chapter.number.as_deref(),
        has_own_title: rendered.facts.has_own_title,
        content: rendered.html,
    };
    let mut d = Diagnostics::default();
    let html = r
        .renderer
        .fragment("partials/print-chapter.html", ("chapter", &view), &mut d);
    r.report(d);
    html
}
