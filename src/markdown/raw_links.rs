//! Links in a chapter's raw HTML (`<img src="img/x.png">`, `<a href="other.html">`) on
//! `print.html`: rewritten for its place at the site root as Markdown links are (a chapter
//! becomes its section's anchor), as mdBook's print page does for `a` and `img`.

use std::collections::HashMap;
use std::sync::LazyLock;

use pulldown_cmark::Event;
use regex::{Captures, Regex};

use super::links::{self, PageLocation, Resolved};
use crate::util::html::escape;

static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)<(?:a|img)\s[^<>]*>").expect("TAG compiles"));
static URL_ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(\s(?:href|src)\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))"#)
        .expect("URL_ATTRIBUTE compiles")
});

/// `event` as it goes on the page at `location`: raw HTML on print.html with its links
/// rewritten, anything else unchanged.
pub(super) fn for_location<'e>(
    event: Event<'e>,
    location: &PageLocation,
    source_rel: &str,
    chapters: &HashMap<String, String>,
) -> Event<'e> {
    if !matches!(location, PageLocation::Print) {
        return event;
    }
    match event {
        Event::Html(raw) if TAG.is_match(&raw) => {
            Event::Html(rewrite(&raw, source_rel, chapters).into())
        }
        Event::InlineHtml(raw) if TAG.is_match(&raw) => {
            Event::InlineHtml(rewrite(&raw, source_rel, chapters).into())
        }
        other => other,
    }
}

fn rewrite(html: &str, source_rel: &str, chapters: &HashMap<String, String>) -> String {
    TAG.replace_all(html, |tag: &Captures<'_>| {
        URL_ATTRIBUTE
            .replace_all(&tag[0], |attr: &Captures<'_>| {
                let written = attr
                    .get(2)
                    .or(attr.get(3))
                    .or(attr.get(4))
                    .map_or("", |m| m.as_str());
                let url = written.replace("&amp;", "&");
                let url = as_chapter_source(&url, source_rel, chapters).unwrap_or(url);
                match links::resolve(&url, source_rel, chapters, &PageLocation::Print, 0) {
                    Resolved::Unchanged => attr[0].to_owned(),
                    Resolved::Outside { href } | Resolved::Internal { href, .. } => {
                        format!("{}\"{}\"", &attr[1], escape(&href))
                    }
                }
            })
            .into_owned()
    })
    .into_owned()
}

/// `other.html#x` naming a chapter's page, as the link to its Markdown file that Markdown
/// links are (raw HTML links to pages, which mdBook leaves as written on normal pages).
fn as_chapter_source(
    url: &str,
    source_rel: &str,
    chapters: &HashMap<String, String>,
) -> Option<String> {
    let (path, rest) = url.split_at(url.find(['#', '?']).unwrap_or(url.len()));
    if !path.ends_with(".html") || path.contains(':') {
        return None;
    }
    let dir = source_rel.rsplit_once('/').map_or("", |(d, _)| d);
    let target = links::join_normalized(dir, path);
    let (source, _) = chapters.iter().find(|(_, output)| **output == target)?;
    Some(format!("{}{rest}", links::relative_to(source_rel, source)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_relative_urls_of_links_and_images_for_the_site_root() {
        let chapters = HashMap::from([
            ("guide/a.md".to_owned(), "guide/a.html".to_owned()),
            ("guide/b.md".to_owned(), "guide/b.html".to_owned()),
        ]);
        let html = r#"<p><img src="img/x.png" alt="x"> <a href='b.html#part'>b</a> <a href="https://e.org/">e</a> <A HREF=../top.html>t</A> <span src="y.png"></span></p>"#;
        assert_eq!(
            rewrite(html, "guide/a.md", &chapters),
            r##"<p><img src="guide/img/x.png" alt="x"> <a href="#guide-b--part">b</a> <a href="https://e.org/">e</a> <A HREF="top.html">t</A> <span src="y.png"></span></p>"##
        );
    }
}
