//! Small HTML pieces emitted in place of pulldown-cmark's defaults: headings with self-links,
//! accessible GFM alerts, footnotes with page-unique ids, and the directive check.

use crate::util::html::escape;
use pulldown_cmark::{BlockQuoteKind, Event, Tag, TagEnd};

use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::model::Chapter;

pub fn heading_open(level: u8, id: &str) -> String {
    format!("<h{level} id=\"{}\">", escape(id))
}

/// Closes a heading.
pub fn heading_close(level: u8) -> String {
    format!("</h{level}>\n")
}

pub fn alert_open(kind: BlockQuoteKind) -> String {
    let (class, title) = match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    };
    format!(
        "<div class=\"alert alert-{class}\" role=\"note\">\n<p class=\"alert-title\">{title}</p>\n"
    )
}

pub fn alert_close() -> &'static str {
    "</div>\n"
}

pub fn footnote_reference(prefix: &str, slug: &str, n: usize) -> String {
    format!(
        "<sup class=\"footnote-ref\"><a href=\"#{p}fn-{s}\" id=\"{p}fnref-{s}\">{n}</a></sup>",
        p = escape(prefix),
        s = escape(slug)
    )
}

pub fn footnote_open(prefix: &str, slug: &str, n: usize) -> String {
    format!(
        "<div class=\"footnote\" id=\"{p}fn-{s}\"><span class=\"footnote-label\"><a href=\"#{p}fnref-{s}\" aria-label=\"Back to reference {n}\">{n}</a></span>",
        p = escape(prefix),
        s = escape(slug)
    )
}

pub fn footnote_close() -> &'static str {
    "</div>\n"
}

/// A static task-list box with an accessible name (pulldown-cmark's has none).
pub fn task_marker(done: bool) -> &'static str {
    if done {
        "<input type=\"checkbox\" class=\"task\" disabled checked aria-label=\"Done\"> "
    } else {
        "<input type=\"checkbox\" class=\"task\" disabled aria-label=\"Not done\"> "
    }
}

/// An interactive task box and the opening of its label; the caller closes the label.
pub fn task_input(input_id: &str, item_id: &str, text: &str, done: bool) -> String {
    format!(
        "<input type=\"checkbox\" class=\"task\" id=\"{}\" data-task=\"{}\" data-hash=\"{}\"{}> <label for=\"{}\">",
        escape(input_id),
        escape(item_id),
        crate::util::hash::text_hash(text.trim()),
        if done { " checked" } else { "" },
        escape(input_id)
    )
}

/// Splits `text {#some-id}` into the text and the id, when the id is well formed.
pub fn trailing_id(text: &str) -> Option<(&str, &str)> {
    let trimmed = text.trim_end();
    let body = trimmed.strip_suffix('}')?;
    let start = body.rfind("{#")?;
    let id = &body[start + 2..];
    crate::model::is_valid_id(id).then(|| (&text[..start], id))
}

/// How deep lists and block quotes may nest. Real chapters stay under ten; browsers stop
/// nesting elements at a depth of 512 (Chromium, Firefox) and flatten the rest, so a page much
/// deeper than this would not show what was written.
pub const MAX_NESTING: usize = 100;

/// An error at the first list or block quote nested deeper than [`MAX_NESTING`].
pub fn check_nesting(events: &[(Event<'_>, usize)], chapter: &Chapter, diags: &mut Diagnostics) {
    let mut depth = 0usize;
    for (event, offset) in events {
        match event {
            Event::Start(Tag::List(_) | Tag::BlockQuote(_)) => {
                depth += 1;
                if depth > MAX_NESTING {
                    diags.push(chapter.source_map.diagnostic(*offset, |p| {
                        Diagnostic::error(
                            p,
                            format!(
                                "lists and block quotes nest more than {MAX_NESTING} levels deep here; flatten them"
                            ),
                        )
                    }));
                    return;
                }
            }
            Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_)) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
}

/// mdBook's own directives, run at load time; what is left of them here is an escaped
/// `\{{#include}}` or prose about one, which is text.
const MDBOOK_DIRECTIVES: &[&str] = &[
    "include",
    "rustdoc_include",
    "playground",
    "playpen",
    "title",
];

/// Reports `{{#name ...}}` directives left in text: a block directive not on a line of its own
/// and a misspelt one are errors; any other name is left as text, as mdBook leaves it, with a
/// warning (it may belong to a preprocessor the book no longer runs).
pub fn check_directives(text: &str, offset: usize, chapter: &Chapter, diags: &mut Diagnostics) {
    let mut search = 0;
    while let Some(found) = text[search..].find("{{#") {
        let start = search + found;
        search = start + 3;
        let name: String = text[search..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        if name.is_empty() || MDBOOK_DIRECTIVES.contains(&name.as_str()) {
            continue;
        }
        let at = offset + start;
        let make = |p| directive_problem(&name, p);
        diags.push(chapter.source_map.diagnostic(at, make));
    }
}

fn directive_problem(name: &str, path: std::path::PathBuf) -> Diagnostic {
    if super::directives::BLOCK_DIRECTIVES.contains(&name) {
        let message = format!(
            "`{{{{#{name}}}}}` must stand alone on its own line, with blank lines around it"
        );
        return Diagnostic::error(path, message);
    }
    let known = super::directives::BLOCK_DIRECTIVES
        .iter()
        .chain(MDBOOK_DIRECTIVES)
        .copied();
    match did_you_mean(name, known) {
        Some(meant) => Diagnostic::error(
            path,
            format!("unknown directive `{{{{#{name}}}}}`, did you mean \"{meant}\"?"),
        ),
        None => Diagnostic::warning(
            path,
            format!("unknown directive `{{{{#{name}}}}}`; left as text"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_ids_are_split_off() {
        assert_eq!(
            trailing_id("Book flights {#book-flights}"),
            Some(("Book flights ", "book-flights"))
        );
        assert_eq!(trailing_id("No id here"), None);
        assert_eq!(trailing_id("Bad {#Bad Id}"), None);
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
