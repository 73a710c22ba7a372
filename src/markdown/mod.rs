//! Stage 2: a chapter's Markdown → HTML, with heading ids, rewritten links, GFM alerts and
//! footnotes, plus what later stages need (headings for the outline, links to check).
//!
//! Rendering is a pure function of the chapter and a [`RenderContext`], so pages can be
//! rendered in any order or in parallel, and the same chapter can be rendered for its own page
//! and for `print.html`.

pub mod anchors;
pub mod blocks;
pub mod directives;
pub mod inline;
pub mod links;

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Chapter;
use crate::util::slug::slugify;
use anchors::IdAllocator;
use directives::{BLOCK_DIRECTIVES, Directive};
use links::{InternalLink, PageLocation};

/// Ids used by the page template; headings get a suffix rather than clash with them.
pub const RESERVED_IDS: &[&str] = &[
    "content",
    "sidebar",
    "toc",
    "main",
    "page-outline",
    "search",
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
    let id_prefix = match location {
        PageLocation::Print => print_prefix(&chapter.output_rel),
        PageLocation::Page(_) => String::new(),
    };
    let mut state = State {
        chapter,
        ctx,
        location,
        id_prefix,
        ids: IdAllocator::with_reserved(RESERVED_IDS),
        headings: Vec::new(),
        all_ids: Vec::new(),
        links: Vec::new(),
        diagnostics: Diagnostics::default(),
        footnotes: HashMap::new(),
        tasks: Vec::new(),
        checklists: Vec::new(),
        sections: vec![Section {
            heading: String::new(),
            anchor: String::new(),
            text: String::new(),
        }],
    };
    let source: Vec<(Event<'_>, usize)> =
        Parser::new_ext(&chapter.markdown, options(ctx.smart_punctuation))
            .into_offset_iter()
            .map(|(e, r)| (e, r.start))
            .collect();
    blocks::check_nesting(&source, chapter, &mut state.diagnostics);
    let has_own_title = matches!(
        source.first(),
        Some((
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }),
            _
        ))
    );
    let mut events: Vec<Event<'_>> = Vec::with_capacity(source.len());
    let mut heading: Option<(HeadingLevel, Option<CowStr<'_>>, Vec<Event<'_>>)> = None;
    let mut source = source.into_iter().peekable();
    while let Some((event, offset)) = source.next() {
        if let Some((level, explicit_id, inner)) = &mut heading {
            if let Event::End(TagEnd::Heading(_)) = event {
                let (level, explicit_id, inner) =
                    (*level, explicit_id.take(), std::mem::take(inner));
                heading = None;
                state.emit_heading(level, explicit_id, inner, &mut events);
            } else {
                inner.push(state.transform(event, offset));
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => heading = Some((level, id, Vec::new())),
            Event::Start(Tag::Paragraph) => {
                // A paragraph that is only a block directive becomes the block's HTML.
                let mut inner = Vec::new();
                while let Some((e, o)) =
                    source.next_if(|(e, _)| !matches!(e, Event::End(TagEnd::Paragraph)))
                {
                    inner.push((e, o));
                }
                source.next(); // the paragraph's end
                match state.block_directive(&inner) {
                    Some(html) => events.push(Event::Html(html.into())),
                    None => {
                        events.push(Event::Start(Tag::Paragraph));
                        match inner.split_first() {
                            // A loose task-list item: the marker opens its paragraph.
                            Some(((Event::TaskListMarker(done), o), rest)) => {
                                state.task_item(*done, *o, rest.to_vec(), &mut events);
                            }
                            _ => {
                                for (e, o) in inner {
                                    let e = state.transform(e, o);
                                    events.push(e);
                                }
                            }
                        }
                        events.push(Event::End(TagEnd::Paragraph));
                    }
                }
            }
            Event::TaskListMarker(done) => {
                // A tight task-list item: its text runs to the end of the item or a sub-list.
                let mut inner = Vec::new();
                while let Some(next) = source.next_if(|(e, _)| {
                    !matches!(e, Event::End(TagEnd::Item) | Event::Start(Tag::List(_)))
                }) {
                    inner.push(next);
                }
                state.task_item(done, offset, inner, &mut events);
            }
            other => {
                let e = state.transform(other, offset);
                events.push(e);
            }
        }
    }
    let mut html = String::with_capacity(chapter.markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    let ids_digest = crate::util::hash::digest(&state.all_ids);
    RenderedChapter {
        html,
        sections: state.sections,
        facts: ChapterFacts {
            headings: state.headings,
            ids: state.all_ids,
            ids_digest,
            links: state.links,
            diagnostics: state.diagnostics,
            has_own_title,
            tasks: state.tasks,
            checklists: state.checklists,
        },
    }
}

struct State<'c> {
    chapter: &'c Chapter,
    ctx: &'c RenderContext<'c>,
    location: &'c PageLocation,
    id_prefix: String,
    ids: IdAllocator,
    headings: Vec<Heading>,
    all_ids: Vec<String>,
    links: Vec<InternalLink>,
    diagnostics: Diagnostics,
    /// Footnote name → its number on this page, in order of first appearance.
    footnotes: HashMap<String, usize>,
    tasks: Vec<TaskItem>,
    sections: Vec<Section>,
    checklists: Vec<String>,
}

impl<'c> State<'c> {
    fn transform<'e>(&mut self, event: Event<'e>, offset: usize) -> Event<'e> {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.rewrite(dest_url, offset);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.rewrite(dest_url, offset);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                Event::Html(blocks::alert_open(kind).into())
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => Event::Html(blocks::alert_close().into()),
            Event::FootnoteReference(name) => {
                let n = self.footnote_number(&name);
                Event::Html(blocks::footnote_reference(&self.id_prefix, &slugify(&name), n).into())
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                let n = self.footnote_number(&name);
                let id = format!("fn-{}", slugify(&name));
                self.all_ids.push(id.clone());
                Event::Html(blocks::footnote_open(&self.id_prefix, &slugify(&name), n).into())
            }
            Event::End(TagEnd::FootnoteDefinition) => Event::Html(blocks::footnote_close().into()),
            Event::TaskListMarker(done) => Event::InlineHtml(blocks::task_marker(done).into()),
            Event::Text(text) => {
                blocks::check_directives(&text, offset, self.chapter, &mut self.diagnostics);
                self.index_text(&text);
                Event::Text(text)
            }
            Event::Code(code) => {
                self.index_text(&code);
                Event::Code(code)
            }
            other => other,
        }
    }

    /// A task-list item. With a trailing `{#id}` it becomes a real checkbox the reader can tick
    /// (saved under that stable id); without one it stays a static box.
    fn task_item<'e>(
        &mut self,
        done: bool,
        offset: usize,
        mut inner: Vec<(Event<'e>, usize)>,
        out: &mut Vec<Event<'e>>,
    ) {
        let id = match inner
            .iter_mut()
            .rev()
            .find(|(e, _)| matches!(e, Event::Text(_)))
        {
            Some((Event::Text(text), _)) => match blocks::trailing_id(text) {
                Some((kept, id)) => {
                    let id = id.to_owned();
                    *text = kept.trim_end().to_owned().into();
                    Some(id)
                }
                None => None,
            },
            _ => None,
        };
        let Some(id) = id else {
            out.push(Event::InlineHtml(blocks::task_marker(done).into()));
            for (e, o) in inner {
                let e = self.transform(e, o);
                out.push(e);
            }
            return;
        };
        let plain: String = inner
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                Event::SoftBreak => Some(" "),
                _ => None,
            })
            .collect();
        let input_id = format!("{}task-{id}", self.id_prefix);
        self.all_ids.push(input_id.clone());
        out.push(Event::InlineHtml(
            blocks::task_input(&input_id, &id, &plain, done).into(),
        ));
        for (e, o) in inner {
            let e = self.transform(e, o);
            out.push(e);
        }
        out.push(Event::InlineHtml("</label>".into()));
        self.tasks.push(TaskItem {
            id,
            text: plain,
            offset,
        });
    }

    /// If `inner` (a paragraph's events) is exactly one block directive, its rendered HTML.
    /// Problems become diagnostics at the directive, and an empty block.
    fn block_directive(&mut self, inner: &[(Event<'_>, usize)]) -> Option<String> {
        let mut text = String::new();
        for (e, _) in inner {
            match e {
                Event::Text(t) => text.push_str(t),
                Event::SoftBreak => text.push(' '),
                _ => return None,
            }
        }
        // Smart punctuation may have curled the quotes of an argument.
        let text = text.replace(['\u{201c}', '\u{201d}'], "\"");
        let directive = Directive::parse(&text)?;
        if !BLOCK_DIRECTIVES.contains(&directive.name.as_str()) {
            return None;
        }
        let at = inner.first().map_or(0, |(_, o)| *o);
        let result = match self.ctx.blocks {
            Some(blocks) => {
                let place = BlockPlace {
                    location: self.location,
                    heading_level: self.headings.last().map_or(2, |h| h.level + 1).clamp(2, 6),
                    id_prefix: &self.id_prefix,
                };
                blocks.render_block(&directive, &place)
            }
            None => Err(BlockError {
                message: "block directives are not available here".to_owned(),
                offset: 0,
            }),
        };
        match result {
            Ok(block) => {
                // A checklist block's first id is its anchor: the checklist it rendered.
                if directive.name == "checklist"
                    && let Some(anchor) = block.ids.first()
                {
                    let id = anchor
                        .strip_prefix(self.id_prefix.as_str())
                        .unwrap_or(anchor);
                    self.checklists.push(id.to_owned());
                }
                self.claim_block_ids(&block.ids, at);
                self.all_ids.extend(block.ids);
                Some(block.html)
            }
            Err(e) => {
                let d = self
                    .chapter
                    .source_map
                    .diagnostic(at + e.offset, |p| Diagnostic::error(p, e.message));
                self.diagnostics.push(d);
                Some(String::new())
            }
        }
    }

    /// A block's ids are fixed (saved state and links use them): later headings are given
    /// other ids, and a heading above that already took one is an error at the directive.
    fn claim_block_ids(&mut self, ids: &[String], at: usize) {
        for full in ids {
            let id = full.strip_prefix(self.id_prefix.as_str()).unwrap_or(full);
            if !self.ids.claim(id) {
                let message = format!(
                    "this block's id \"{id}\" is already used on this page (by a heading or another block); give the heading another {{#id}} or embed the block once"
                );
                let d = self
                    .chapter
                    .source_map
                    .diagnostic(at, |p| Diagnostic::error(p, message));
                self.diagnostics.push(d);
            }
        }
    }

    /// Adds text to the current section for search.
    fn index_text(&mut self, text: &str) {
        if let Some(section) = self.sections.last_mut() {
            if !section.text.is_empty() {
                section.text.push(' ');
            }
            section.text.push_str(text.trim());
        }
    }

    fn footnote_number(&mut self, name: &str) -> usize {
        let next = self.footnotes.len() + 1;
        *self.footnotes.entry(name.to_owned()).or_insert(next)
    }

    fn rewrite<'e>(&mut self, dest: CowStr<'e>, offset: usize) -> CowStr<'e> {
        let (source, chapters) = (&self.chapter.source_rel, self.ctx.chapter_outputs);
        links::rewrite(
            dest,
            source,
            chapters,
            self.location,
            offset,
            &mut self.links,
        )
    }

    fn emit_heading<'e>(
        &mut self,
        level: HeadingLevel,
        explicit_id: Option<CowStr<'e>>,
        inner: Vec<Event<'e>>,
        out: &mut Vec<Event<'e>>,
    ) {
        let text: String = inner
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let wanted = explicit_id
            .map(|s| s.to_string())
            .unwrap_or_else(|| slugify(&text));
        let id = self.ids.unique(&wanted);
        self.all_ids.push(id.clone());
        let level = level as u8;
        let full_id = format!("{}{}", self.id_prefix, id);
        out.push(Event::Html(blocks::heading_open(level, &full_id).into()));
        out.extend(inner);
        out.push(Event::Html(blocks::heading_close(level).into()));
        if level == 2 || level == 3 {
            self.sections.push(Section {
                heading: text.clone(),
                anchor: full_id.clone(),
                text: String::new(),
            });
        }
        self.headings.push(Heading {
            level,
            id: full_id,
            text,
        });
    }
}
