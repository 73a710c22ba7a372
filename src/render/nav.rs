//! Navigation: the table of contents as one shared script (`toc.js`) instead of inlined into
//! every page, so output grows linearly with the number of pages (mdBook inlines it: O(N²)).

use serde::Serialize;

use crate::model::SummaryItem;
use crate::model::output_path_for;
use crate::util::html::escape;

/// One entry of the table of contents, as templates and `toc.js` see it.
#[derive(Debug, Clone, Serialize)]
pub struct NavNode {
    /// `link`, `part` or `separator`.
    pub kind: &'static str,
    pub title: String,
    /// The title as HTML, when its Markdown makes it differ from the escaped text.
    #[serde(skip)]
    pub html: Option<String>,
    /// The same as `[style, text]` runs (`code`, `em`, `strong`, `del` or `""`), which
    /// `nav.js` turns into elements and text nodes without parsing any markup.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parts: Option<Vec<[String; 2]>>,
    /// Output path relative to the site root; `None` for drafts, parts and separators.
    pub href: Option<String>,
    pub number: Option<String>,
    pub children: Vec<NavNode>,
}

pub fn tree(items: &[SummaryItem]) -> Vec<NavNode> {
    items
        .iter()
        .map(|item| match item {
            SummaryItem::Link(link) => NavNode {
                kind: "link",
                title: link.title.clone(),
                html: (link.title_html != escape(&link.title)).then(|| link.title_html.clone()),
                parts: (link.title_html != escape(&link.title)).then(|| runs(&link.title_html)),
                href: link
                    .source
                    .as_ref()
                    .map(|s| output_path_for(&s.to_string_lossy().replace('\\', "/")))
                    .map(|p| p.trim_start_matches("./").to_owned()),
                number: link
                    .number
                    .as_ref()
                    .map(|n| n.iter().map(|x| format!("{x}.")).collect()),
                children: tree(&link.children),
            },
            SummaryItem::PartTitle(title) => NavNode {
                kind: "part",
                title: title.clone(),
                html: None,
                parts: None,
                href: None,
                number: None,
                children: Vec::new(),
            },
            SummaryItem::Separator => NavNode {
                kind: "separator",
                title: String::new(),
                html: None,
                parts: None,
                href: None,
                number: None,
                children: Vec::new(),
            },
        })
        .collect()
}

/// A title's HTML (escaped text and the tags of [`inline_title`]) as styled runs of text.
///
/// [`inline_title`]: crate::load::title::inline_title
fn runs(html: &str) -> Vec<[String; 2]> {
    const TAGS: [&str; 4] = ["code", "em", "strong", "del"];
    let mut runs = Vec::new();
    let mut open: Vec<&str> = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let tag = TAGS.iter().find_map(|t| {
            if rest.starts_with(&format!("<{t}>")) {
                Some((*t, true, t.len() + 2))
            } else if rest.starts_with(&format!("</{t}>")) {
                Some((*t, false, t.len() + 3))
            } else {
                None
            }
        });
        if let Some((name, opening, len)) = tag {
            if opening {
                open.push(name);
            } else {
                open.pop();
            }
            rest = &rest[len..];
            continue;
        }
        let end = rest[1..].find('<').map_or(rest.len(), |i| i + 1);
        let style = open.last().copied().unwrap_or_default().to_owned();
        runs.push([style, unescape(&rest[..end])]);
        rest = &rest[end..];
    }
    runs
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// `toc.js`: the tree as a global the theme's navigation script renders from. Loaded with a
/// plain `<script>` so it works from `file://` (no fetch, no modules).
pub fn toc_script(nodes: &[NavNode]) -> String {
    // serde_json escapes `<`? No: escape `</` so a title cannot close a script element.
    let json = serde_json::to_string(nodes).unwrap_or_else(|_| "[]".to_owned());
    let json = json.replace("</", "<\\/");
    format!("window.GUIDEBOOK_TOC = {json};\n")
}

/// The whole table of contents as a static nested list, for `contents.html` (the no-JS
/// fallback every page links to). Links are relative to the site root, where that page lives.
pub fn contents_html(nodes: &[NavNode]) -> String {
    let mut out = String::from("<ol>\n");
    for n in nodes {
        match n.kind {
            "part" => out.push_str(&format!(
                "<li class=\"part-title\">{}</li>\n",
                escape(&n.title)
            )),
            "separator" => out.push_str("<li class=\"separator\"><hr></li>\n"),
            _ => {
                let number = n
                    .number
                    .as_ref()
                    .map(|x| format!("<span class=\"number\">{}</span> ", escape(x)))
                    .unwrap_or_default();
                let title = n.html.clone().unwrap_or_else(|| escape(&n.title));
                match &n.href {
                    Some(href) => out.push_str(&format!(
                        "<li><a href=\"{}\">{number}{title}</a>",
                        escape(href),
                    )),
                    None => {
                        out.push_str(&format!("<li><span class=\"draft\">{number}{title}</span>"))
                    }
                }
                if !n.children.is_empty() {
                    out.push_str(&contents_html(&n.children));
                }
                out.push_str("</li>\n");
            }
        }
    }
    out.push_str("</ol>\n");
    out
}

/// Which generated pages exist.
pub struct Generated<'a> {
    pub audiences: &'a [super::questions::AudiencePage],
    /// The wording of the tools part.
    pub tools: &'a crate::model::vocabulary::Tools,
    pub worksheets: bool,
    pub compare: bool,
    pub saved: bool,
}

/// Adds the generated pages (question bank, worksheets, the reader's own sheet, comparison,
/// saved data) as a part of the table of contents, before any suffix chapters.
pub fn with_generated(mut nodes: Vec<NavNode>, generated_pages: &Generated<'_>) -> Vec<NavNode> {
    let Generated {
        audiences,
        tools,
        worksheets,
        compare,
        saved,
    } = *generated_pages;
    if audiences.is_empty() && !worksheets && !compare && !saved {
        return nodes;
    }
    let link = |title: &str, href: &str| NavNode {
        kind: "link",
        title: title.to_owned(),
        html: None,
        parts: None,
        href: Some(href.to_owned()),
        number: None,
        children: Vec::new(),
    };
    let mut generated = vec![NavNode {
        kind: "part",
        title: tools.heading.clone(),
        html: None,
        parts: None,
        href: None,
        number: None,
        children: Vec::new(),
    }];
    if !audiences.is_empty() {
        let mut all = link("All questions", "questions/index.html");
        all.children = audiences
            .iter()
            .map(|a| link(&a.title, &super::questions::canonical_page_for(&a.audience)))
            .collect();
        generated.push(all);
    }
    if worksheets {
        generated.push(link("Printable worksheets", "worksheets/index.html"));
    }
    if !audiences.is_empty() {
        generated.push(link(&tools.my_sheet, "my-sheet.html"));
    }
    if compare {
        generated.push(link("Compare your programs", "compare.html"));
    }
    if saved {
        generated.push(link("Your saved data", "saved.html"));
    }
    // After the last numbered chapter: suffix chapters (a glossary...) stay at the end.
    let insert_at = nodes
        .iter()
        .rposition(|n| n.number.is_some() || n.kind == "part")
        .map_or(nodes.len(), |i| i + 1);
    nodes.splice(insert_at..insert_at, generated);
    nodes
}

/// The navigation's files: contents.html, 404.html and the shared `toc.js` every page's
/// sidebar is built from; made again only when `key` ([`super::keys::Keys::tools`]) changes.
pub(super) fn files(
    r: &super::Render<'_>,
    tools: super::tools::ToolPages,
    key: u64,
    cache: &mut impl super::cache::Cache,
) -> (
    Vec<crate::model::OutputFile>,
    crate::diagnostics::Diagnostics,
) {
    use crate::model::{Contents, OutputFile};
    cache.group("navigation", key, || {
        let mut diags = crate::diagnostics::Diagnostics::default();
        let generated = Generated {
            audiences: r.audience_pages,
            tools: &r.book.data.vocabulary().tools,
            worksheets: tools.worksheets,
            compare: tools.compare,
            saved: tools.saved,
        };
        let toc = with_generated(tree(&r.book.summary), &generated);
        let contents = ("toc_html", &contents_html(&toc));
        let site_url = ("site_url", &r.config.site_url);
        let files = vec![
            r.renderer
                .page("contents.html", "contents.html", contents, &[], &mut diags),
            r.renderer
                .page("404.html", "404.html", site_url, &[], &mut diags),
            OutputFile {
                path: "toc.js".into(),
                contents: Contents::Bytes(toc_script(&toc).into_bytes()),
            },
        ];
        (files, diags)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_html_becomes_runs_of_text() {
        let html = crate::load::title::inline_title("The `<select>` *and* &amp; **`x`**").html;
        assert_eq!(
            runs(&html),
            [
                ["", "The "],
                ["code", "<select>"],
                ["", " "],
                ["em", "and"],
                ["", " & "],
                ["code", "x"],
            ]
            .map(|[a, b]| [a.to_owned(), b.to_owned()])
        );
    }
}
