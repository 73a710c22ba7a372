//! Short Markdown from YAML data (question texts, checklist items): inline formatting and links,
//! with raw HTML escaped, since banks may be contributed by many advisors.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::links::{self, InternalLink, PageLocation};
use super::{RenderContext, options};

/// Renders `text` (written in the data file at `source_rel`) for the page at `location`.
/// A single paragraph is unwrapped so the result fits inside a list item or heading.
pub fn render(
    text: &str,
    source_rel: &str,
    ctx: &RenderContext<'_>,
    location: &PageLocation,
) -> (String, Vec<InternalLink>) {
    let mut found = Vec::new();
    let events: Vec<Event<'_>> = Parser::new_ext(text, options(ctx.smart_punctuation))
        .map(|event| match event {
            // Raw HTML is shown as text, never interpreted.
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = if is_script_url(&dest_url) {
                    "#".into()
                } else if link_type == pulldown_cmark::LinkType::Email {
                    dest_url
                } else {
                    links::rewrite(
                        dest_url,
                        source_rel,
                        ctx.chapter_outputs,
                        location,
                        0,
                        &mut found,
                    )
                };
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            other => other,
        })
        .collect();
    let paragraphs = events
        .iter()
        .filter(|e| matches!(e, Event::Start(Tag::Paragraph)))
        .count();
    let mut html = String::with_capacity(text.len() + 16);
    if paragraphs == 1 && matches!(events.first(), Some(Event::Start(Tag::Paragraph))) {
        let inner = events.into_iter().filter(|e| {
            !matches!(
                e,
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
            )
        });
        pulldown_cmark::html::push_html(&mut html, inner);
    } else {
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
    }
    (html.trim_end().to_owned(), found)
}

/// `javascript:` (and friends) links from data files are neutralised.
fn is_script_url(url: &str) -> bool {
    let lower: String = url
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    lower.starts_with("javascript:") || lower.starts_with("vbscript:") || lower.starts_with("data:")
}

/// Plain text of `text` (Markdown removed), for data attributes, search and hashing.
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for event in Parser::new(text) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph) => out.push(' '),
            _ => {}
        }
    }
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn raw_html_and_script_links_are_neutralised() {
        let chapters: HashMap<String, String> =
            [("glossary.md".to_owned(), "glossary.html".to_owned())].into();
        let ctx = RenderContext {
            chapter_outputs: &chapters,
            smart_punctuation: true,
            code: &crate::config::DEFAULT_CODE,
            blocks: None,
            math: false,
        };
        let page = PageLocation::Page("questions/residents.html".into());
        let (html, links) = render(
            "Ask about **call** <script>alert(1)</script> [x](javascript:alert(1)) [ESIR](../glossary.md#esir)",
            "questions/residents.yaml",
            &ctx,
            &page,
        );
        assert!(
            html.starts_with("Ask about <strong>call</strong> &lt;script&gt;"),
            "{html}"
        );
        assert!(html.contains("href=\"#\""), "{html}");
        assert!(html.contains("href=\"../glossary.html#esir\""), "{html}");
        assert_eq!(links.len(), 1);
        assert_eq!(plain("Ask **about** `call`"), "Ask about call");
    }
}
