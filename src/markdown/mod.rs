//! Stage 2: a chapter's Markdown → HTML, with heading ids, rewritten links, GFM alerts and
//! footnotes, plus what later stages need (headings for the outline, links to check).
//!
//! Rendering is a pure function of the chapter and a [`RenderContext`], so pages can be
//! rendered in any order or in parallel, and the same chapter can be rendered for its own page
//! and for `print.html`.
//!
//! A render parses the Markdown with byte offsets, rewrites the event stream (`events`: headings,
//! block directives in `embeds`, task items in `tasks`) while a `State` collects what the page
//! holds (ids, headings, links, search sections), then writes the HTML with `push_html`.

mod anchors;
pub(crate) mod blocks;
pub(crate) mod code;
pub use code::highlight::load_in_background as load_highlighter_in_background;
pub(crate) mod directives;
mod embeds;
mod events;
pub(crate) mod inline;
pub(crate) mod links;
mod math;
mod raw_links;
mod state;
mod tables;
mod tasks;

use std::collections::HashMap;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag};

use crate::diagnostics::Diagnostics;
use crate::model::Chapter;
use crate::util::slug::slugify;
use directives::Directive;
use links::{InternalLink, PageLocation};
use state::State;

/// Ids the chapter page's template uses; headings get a suffix rather than clash with them.
/// Only these: a heading "Search" keeps the id `search`, as mdBook gives it.
pub const RESERVED_IDS: &[&str] = &[
    "content",
    "sidebar",
    "toc",
    "search-input",
    "search-results",
    "page-outline-title",
];

/// Every Markdown extension guidebook supports, in one place.
pub fn options(smart_punctuation: bool) -> Options {
    let mut o = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM;
    if smart_punctuation {
        o |= Options::ENABLE_SMART_PUNCTUATION;
    }
    o
}

/// What every chapter render needs to know about the book.
pub struct RenderContext<'a> {
    /// Chapter source path → output path, for link rewriting.
    pub chapter_outputs: &'a HashMap<String, String>,
    pub smart_punctuation: bool,
    /// Renders block directives (questions, checklists, worksheets) from the book's data.
    pub blocks: Option<&'a dyn BlockRenderer>,
    /// mdBook's `mathjax-support`: `\( \)` and `\[ \]` become MathML (`math`).
    pub math: bool,
    /// How code blocks are shown: copy buttons, hidden lines, the playground.
    pub code: &'a crate::config::CodeConfig,
}

/// Turns a block directive into HTML; implemented by the render stage, which knows the data
/// and the theme.
pub trait BlockRenderer: Sync {
    fn render_block(
        &self,
        directive: &Directive,
        place: &BlockPlace<'_>,
    ) -> Result<RenderedBlock, BlockError>;
}

/// Where a block lands: the page, and the heading level its own headings should use so the
/// page outline stays in order.
pub struct BlockPlace<'a> {
    pub location: &'a PageLocation,
    pub heading_level: u8,
    /// Prefix for element ids (used on print.html to keep chapters apart).
    pub id_prefix: &'a str,
}

#[derive(Debug, Clone, Default)]
pub struct RenderedBlock {
    pub html: String,
    /// Element ids the block adds to the page (link targets).
    pub ids: Vec<String>,
}

/// A directive that cannot be rendered; `offset` is relative to the directive's `{{#`.
#[derive(Debug, Clone)]
pub struct BlockError {
    pub message: String,
    pub offset: usize,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// One section of a chapter page: heading, anchor, text (collected while rendering, for the
/// search index).
#[derive(Debug, Clone)]
pub struct Section {
    pub heading: String,
    pub anchor: String,
    pub text: String,
}

/// A chapter's Markdown rendered: the HTML, which is dropped once the page is made from it;
/// the text for the search index; and the facts about the page that later stages read.
#[derive(Debug, Clone)]
pub struct RenderedChapter {
    pub html: String,
    /// The text between `##`/`###` headings, for the search index.
    pub sections: Vec<Section>,
    pub facts: ChapterFacts,
}

/// What a rendered chapter holds besides its HTML: kept between builds, and read by the link
/// check, the page template and the tool pages.
#[derive(Debug, Clone, Default)]
pub struct ChapterFacts {
    pub headings: Vec<Heading>,
    /// Every id a link may target on this page.
    pub ids: Vec<String>,
    /// A hash of `ids`: link checks of other chapters are redone only when one changes.
    pub ids_digest: u64,
    pub links: Vec<InternalLink>,
    /// Warnings and errors found while rendering (e.g. unknown directives).
    pub diagnostics: Diagnostics,
    /// The Markdown opens with its own `# Title` (mdBook style), so the page template should
    /// not add another.
    pub has_own_title: bool,
    /// Task-list items with a stable `{#id}`: interactive, saved by the reader's browser.
    pub tasks: Vec<TaskItem>,
    /// Checklists a `{{#checklist}}` directive rendered on this page, by id.
    pub checklists: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct TaskItem {
    pub id: String,
    /// Plain text, for the change-detecting hash.
    pub text: String,
    /// Byte offset in the chapter's expanded Markdown, for error messages.
    pub offset: usize,
}

/// Prefix that keeps ids of different chapters apart on `print.html`.
pub fn print_prefix(output_rel: &str) -> String {
    format!("{}--", print_section_id(output_rel))
}

/// Id of a chapter's section on `print.html`: `chapters/a.html` → `chapters-a`.
pub fn print_section_id(output_rel: &str) -> String {
    slugify(&output_rel.trim_end_matches(".html").replace('/', "-"))
}

/// Renders `chapter` for the page at `location`.
pub fn render(
    chapter: &Chapter,
    ctx: &RenderContext<'_>,
    location: &PageLocation,
) -> RenderedChapter {
    let mut state = State::new(chapter, ctx, location);
    let source: Vec<(Event<'_>, usize)> =
        Parser::new_ext(&chapter.markdown, options(ctx.smart_punctuation))
            .into_offset_iter()
            .map(|(e, r)| (e, r.start))
            .collect();
    blocks::check_nesting(&source, chapter, &mut state.diagnostics);
    // Any `# Title`, not only a first one: mdBook books often open with a note, an image or
    // an HTML comment before it, and the page must not get a second title.
    let has_own_title = source.iter().any(|(e, _)| {
        matches!(
            e,
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            })
        )
    });
    let source = match ctx.math {
        true => math::render(source, chapter, &mut state.diagnostics),
        false => source,
    };
    let events = events::rewrite(source, &mut state);
    let mut html = String::with_capacity(chapter.markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    state.finish(html, has_own_title)
}
