//! What a chapter render collects as it goes (ids, headings, links, tasks, search sections,
//! diagnostics), and the rewriting of single events: links, alerts, footnotes, search text.

use std::collections::HashMap;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Tag, TagEnd};

use super::anchors::IdAllocator;
use super::links::{self, InternalLink, PageLocation};
use super::{
    ChapterFacts, Heading, RESERVED_IDS, RenderContext, RenderedChapter, Section, TaskItem, blocks,
    print_prefix,
};
use crate::diagnostics::Diagnostics;
use crate::model::Chapter;
use crate::util::slug::slugify;

pub(super) struct State<'c> {
    pub(super) chapter: &'c Chapter,
    pub(super) ctx: &'c RenderContext<'c>,
    pub(super) location: &'c PageLocation,
    pub(super) id_prefix: String,
    pub(super) ids: IdAllocator,
    pub(super) headings: Vec<Heading>,
    pub(super) all_ids: Vec<String>,
    pub(super) links: Vec<InternalLink>,
    pub(super) diagnostics: Diagnostics,
    /// Footnote name → its number on this page, in order of first appearance.
    pub(super) footnotes: HashMap<String, usize>,
    pub(super) tasks: Vec<TaskItem>,
    pub(super) sections: Vec<Section>,
    pub(super) checklists: Vec<String>,
    /// Inside a code block: its info string and the text so far, where `{{#...}}` is never a
    /// directive. The block is written whole at its end (highlighted, hidden lines marked).
    pub(super) code: Option<(String, String)>,
    pub(super) table: super::tables::TableCells,
}

impl<'c> State<'c> {
    pub(super) fn new(
        chapter: &'c Chapter,
        ctx: &'c RenderContext<'c>,
        location: &'c PageLocation,
    ) -> State<'c> {
        let id_prefix = match location {
            PageLocation::Print => print_prefix(&chapter.output_rel),
            PageLocation::Page(_) => String::new(),
        };
        State {
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
            code: None,
            table: super::tables::TableCells::default(),
            sections: vec![Section {
                heading: String::new(),
                anchor: String::new(),
                text: String::new(),
            }],
        }
    }

    /// The rendered chapter: `html` with everything the state collected on the way.
    pub(super) fn finish(self, html: String, has_own_title: bool) -> RenderedChapter {
        let ids_digest = crate::util::hash::digest(&self.all_ids);
        RenderedChapter {
            html,
            sections: self.sections,
            facts: ChapterFacts {
                headings: self.headings,
                ids: self.all_ids,
                ids_digest,
                links: self.links,
                diagnostics: self.diagnostics,
                has_own_title,
                tasks: self.tasks,
                checklists: self.checklists,
            },
        }
    }

    pub(super) fn transform<'e>(&mut self, event: Event<'e>, offset: usize) -> Event<'e> {
        match event {
            // `<help@crates.io>`: pulldown-cmark writes the `mailto:` itself.
            Event::Start(
                tag @ Tag::Link {
                    link_type: LinkType::Email,
                    ..
                },
            ) => Event::Start(tag),
            Event::Start(mut tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = &mut tag {
                    let written = std::mem::replace(dest_url, CowStr::Borrowed(""));
                    *dest_url = self.rewrite(written, offset);
                }
                Event::Start(tag)
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
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((info, String::new()));
                Event::Html("".into())
            }
            Event::End(TagEnd::CodeBlock) => {
                let (info, code) = self.code.take().unwrap_or_default();
                Event::Html(super::code::render_block(&info, &code, self.ctx.code).into())
            }
            Event::Text(text) => {
                self.index_text(&text);
                if let Some((_, code)) = &mut self.code {
                    code.push_str(&text);
                    return Event::Html("".into());
                }
                blocks::check_directives(&text, offset, self.chapter, &mut self.diagnostics);
                Event::Text(text)
            }
            event @ (Event::Start(
                Tag::Table(_) | Tag::TableHead | Tag::TableRow | Tag::TableCell,
            )
            | Event::End(TagEnd::TableHead | TagEnd::TableRow | TagEnd::TableCell)) => {
                self.table.transform(event)
            }
            Event::Code(code) => {
                self.index_text(&code);
                Event::Code(code)
            }
            Event::Html(ref raw) | Event::InlineHtml(ref raw) => {
                let anchors = super::anchors::raw_html_anchors(raw).map(str::to_owned);
                self.all_ids.extend(anchors);
                let chapters = self.ctx.chapter_outputs;
                super::raw_links::for_location(
                    event,
                    self.location,
                    &self.chapter.source_rel,
                    chapters,
                )
            }
            other => other,
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

    pub(super) fn emit_heading<'e>(
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
