//! A SUMMARY.md title is inline Markdown (`` `select` ``, `*emphasis*`, `\[`): its plain text
//! for `<title>`, search and print, and its HTML for navigation, which shows the code as code
//! where mdBook strips it to text. Raw HTML in a title stays text.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::util::html::escape;

/// The two forms of a title.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InlineTitle {
    pub text: String,
    pub html: String,
}

/// `source` read as the text of a link, as mdBook's parser reads it inside `[...]`: so `1.`
/// or `#` at its start is not a list or a heading.
pub fn inline_title(source: &str) -> InlineTitle {
    if !source.contains(['`', '*', '_', '~', '\\', '<', '&', '[', '!']) {
        let text = source.split_whitespace().collect::<Vec<_>>().join(" ");
        return InlineTitle {
            html: escape(&text),
            text,
        };
    }
    let wrapped = format!("[{source}](x)");
    let mut title = InlineTitle::default();
    let mut depth = 0usize;
    for event in Parser::new_ext(&wrapped, pulldown_cmark::Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::Link { .. }) => depth += 1,
            Event::End(TagEnd::Link) => depth = depth.saturating_sub(1),
            _ if depth == 0 => {}
            Event::Text(t) => push_text(&mut title, &t),
            Event::Code(t) => {
                title.text.push_str(&t);
                title.html.push_str(&format!("<code>{}</code>", escape(&t)));
            }
            Event::SoftBreak | Event::HardBreak => push_text(&mut title, " "),
            // Raw HTML stays text: a title is never markup (mdBook drops it).
            Event::Html(t) | Event::InlineHtml(t) => push_text(&mut title, &t),
            Event::Start(tag) => title.html.push_str(open_tag(&tag)),
            Event::End(tag) => title.html.push_str(close_tag(tag)),
            _ => {}
        }
    }
    title
}

fn push_text(title: &mut InlineTitle, text: &str) {
    title.text.push_str(text);
    title.html.push_str(&escape(text));
}

fn open_tag(tag: &Tag<'_>) -> &'static str {
    match tag {
        Tag::Emphasis => "<em>",
        Tag::Strong => "<strong>",
        Tag::Strikethrough => "<del>",
        _ => "",
    }
}

fn close_tag(tag: TagEnd) -> &'static str {
    match tag {
        TagEnd::Emphasis => "</em>",
        TagEnd::Strong => "</strong>",
        TagEnd::Strikethrough => "</del>",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_inline_markdown() {
        let t = inline_title("The `select` macro");
        assert_eq!(t.text, "The select macro");
        assert_eq!(t.html, "The <code>select</code> macro");
        let t = inline_title("#[panic_handler]");
        assert_eq!(
            (t.text.as_str(), t.html.as_str()),
            ("#[panic_handler]", "#[panic_handler]")
        );
        let t = inline_title("1. Not a list <b>x</b> & **bold** \\[x\\]");
        assert_eq!(t.text, "1. Not a list <b>x</b> & bold [x]");
        assert_eq!(
            t.html,
            "1. Not a list &lt;b&gt;x&lt;/b&gt; &amp; <strong>bold</strong> [x]"
        );
        assert_eq!(inline_title("Plain  title").html, "Plain title");
    }
}
