//! Link targets: `other.md#anchor` becomes a link to the rendered page, relative to the page
//! being written, so the site works from `file://` and from any sub-path.

use std::collections::HashMap;

use super::print_prefix;
use crate::util::url::percent_decode;

/// Every page a link may point at (output path), with the anchors it has.
pub type LinkTargets<'a> = rustc_hash::FxHashMap<&'a str, &'a [String]>;

/// Where the HTML being rendered will live.
#[derive(Debug, Clone)]
pub enum PageLocation {
    /// A normal page at this output path (e.g. `chapters/a.html`).
    Page(String),
    /// The one-page `print.html`: links to chapters become in-page anchors.
    Print,
}

/// A link to check once every page is rendered.
#[derive(Debug, Clone)]
pub struct InternalLink {
    /// Output path of the target page or file, relative to the output root.
    pub target: String,
    pub fragment: Option<String>,
    /// Byte offset of the link in the chapter's expanded Markdown.
    pub offset: usize,
    /// The link as written.
    pub written: String,
    /// Whether the target is a chapter (so `fragment` must be one of its ids).
    pub is_chapter: bool,
}

pub enum Resolved {
    /// Leave the URL as written (external, `mailto:`, fragment-only on a normal page...).
    Unchanged,
    /// A relative link that leaves the book (mdBook books link to `../std/...`, a sibling
    /// book on the same host): not checked, and on `print.html` rewritten to stay right.
    Outside { href: String },
    /// Use this URL and check the link later.
    Internal { href: String, link: InternalLink },
}

/// Resolves `dest` written in the chapter at `source_rel` (relative to the source directory).
/// `chapters` maps chapter source paths to output paths.
/// Resolves `dest` and returns the URL to write, recording internal links in `found`.
pub fn rewrite<'e>(
    dest: pulldown_cmark::CowStr<'e>,
    source_rel: &str,
    chapters: &HashMap<String, String>,
    location: &PageLocation,
    offset: usize,
    found: &mut Vec<InternalLink>,
) -> pulldown_cmark::CowStr<'e> {
    match resolve(&dest, source_rel, chapters, location, offset) {
        Resolved::Unchanged => dest,
        Resolved::Outside { href } => href.into(),
        Resolved::Internal { href, link } => {
            found.push(link);
            href.into()
        }
    }
}

pub fn resolve(
    dest: &str,
    source_rel: &str,
    chapters: &HashMap<String, String>,
    location: &PageLocation,
    offset: usize,
) -> Resolved {
    if dest.is_empty() || is_external(dest) {
        return Resolved::Unchanged;
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f.to_owned())),
        None => (dest, None),
    };
    // `page.md?highlight=x` (mdBook's search links): the query is kept, the page checked.
    let (path, query) = match path.split_once('?') {
        Some((p, q)) => (p, format!("?{q}")),
        None => (path, String::new()),
    };
    let source_output = chapters.get(source_rel).cloned().unwrap_or_default();
    if path.is_empty() {
        return same_page(
            source_output,
            fragment.unwrap_or_default(),
            location,
            offset,
            dest,
        );
    }
    // A path that is not valid percent-encoding is taken as written.
    let path = percent_decode(path).unwrap_or_else(|| path.to_owned());
    let source_dir = source_rel.rsplit_once('/').map_or("", |(d, _)| d);
    let target_rel = join_normalized(source_dir, &path);
    if target_rel.starts_with("../") {
        return match location {
            PageLocation::Page(_) => Resolved::Unchanged,
            // print.html sits at the output root, where `target_rel` is relative to.
            PageLocation::Print => Resolved::Outside {
                href: with_fragment(format!("{target_rel}{query}"), &fragment),
            },
        };
    }
    let (target_output, is_chapter) = match chapters.get(&target_rel) {
        Some(output) => (output.clone(), true),
        None if target_rel.ends_with(".md") => (crate::model::output_path_for(&target_rel), true),
        None => (target_rel.clone(), false),
    };
    let href = match location {
        PageLocation::Print if is_chapter => match &fragment {
            Some(f) => format!("#{}{f}", print_prefix(&target_output)),
            // The chapter's own section: its prefix without the `--` separator.
            None => format!("#{}", print_prefix(&target_output).trim_end_matches("--")),
        },
        PageLocation::Print => with_fragment(
            relative_to("print.html", &target_output) + &query,
            &fragment,
        ),
        PageLocation::Page(page) => {
            with_fragment(relative_to(page, &target_output) + &query, &fragment)
        }
    };
    Resolved::Internal {
        href,
        link: InternalLink {
            target: target_output,
            fragment,
            offset,
            written: dest.to_owned(),
            is_chapter,
        },
    }
}

/// `#anchor` on the same page: checked; on print.html prefixed with the chapter's id.
fn same_page(
    source_output: String,
    fragment: String,
    location: &PageLocation,
    offset: usize,
    dest: &str,
) -> Resolved {
    let href = match location {
        PageLocation::Print => format!("#{}{}", print_prefix(&source_output), fragment),
        PageLocation::Page(_) => {
            return check_only(source_output, Some(fragment), offset, dest);
        }
    };
    Resolved::Internal {
        href,
        link: InternalLink {
            target: source_output,
            fragment: Some(fragment),
            offset,
            written: dest.to_owned(),
            is_chapter: true,
        },
    }
}

fn check_only(target: String, fragment: Option<String>, offset: usize, dest: &str) -> Resolved {
    Resolved::Internal {
        href: dest.to_owned(),
        link: InternalLink {
            target,
            fragment,
            offset,
            written: dest.to_owned(),
            is_chapter: true,
        },
    }
}

fn with_fragment(href: String, fragment: &Option<String>) -> String {
    match fragment {
        Some(f) => format!("{href}#{f}"),
        None => href,
    }
}

pub fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") || dest.starts_with('/') {
        return true;
    }
    // A scheme: letters, then `:` before any `/`, `?` or `#` (http:, mailto:, tel:, data:).
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !dest[..i].contains(['/', '?', '#'])
        }
        None => false,
    }
}

/// `dir` + `rel`, with `.` and `..` resolved, `/`-separated. Leading `..` past the root stays,
/// so the target simply will not exist and is reported.
pub fn join_normalized(dir: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_none_or(|p| *p == "..") {
                    parts.push("..");
                } else {
                    parts.pop();
                }
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Relative URL from the page at `from` to the file at `to` (both relative to the output root).
pub fn relative_to(from: &str, to: &str) -> String {
    let depth = from.matches('/').count();
    let mut out = "../".repeat(depth);
    out.push_str(to);
    out
}

/// The `../` prefix that leads from `page` back to the output root (`""` at the root).
pub fn root_prefix(page: &str) -> String {
    "../".repeat(page.matches('/').count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_links_are_left_alone() {
        for d in ["https://x.org", "mailto:a@b", "//cdn", "/abs", "tel:+1"] {
            assert!(is_external(d), "{d}");
        }
        for d in ["a.md", "../a.md#x", "img/p.png", "a:b/c.md"] {
            assert!(!is_external(d) || d == "a:b/c.md", "{d}");
        }
    }

    #[test]
    fn paths_join_and_relativize() {
        assert_eq!(join_normalized("chapters", "../glossary.md"), "glossary.md");
        assert_eq!(join_normalized("", "./a/b.md"), "a/b.md");
        // Climbing out of the book stays out, however far it goes.
        assert_eq!(join_normalized("chapters", "../../../x.md"), "../../x.md");
        assert_eq!(join_normalized("", "../../etc/passwd"), "../../etc/passwd");
        assert_eq!(
            relative_to("chapters/a.html", "glossary.html"),
            "../glossary.html"
        );
        assert_eq!(
            relative_to("index.html", "chapters/a.html"),
            "chapters/a.html"
        );
    }

    #[test]
    fn chapter_links_become_page_links() {
        let chapters: HashMap<String, String> = [
            ("chapters/a.md".to_owned(), "chapters/a.html".to_owned()),
            ("glossary.md".to_owned(), "glossary.html".to_owned()),
        ]
        .into();
        let loc = PageLocation::Page("chapters/a.html".into());
        let Resolved::Internal { href, link } =
            resolve("../glossary.md#esir", "chapters/a.md", &chapters, &loc, 0)
        else {
            panic!()
        };
        assert_eq!(href, "../glossary.html#esir");
        assert_eq!(link.target, "glossary.html");
        let Resolved::Internal { href, .. } = resolve(
            "../glossary.md#esir",
            "chapters/a.md",
            &chapters,
            &PageLocation::Print,
            0,
        ) else {
            panic!()
        };
        assert_eq!(href, "#glossary--esir");
    }
}
