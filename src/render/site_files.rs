//! Files mdBook's `[output.html]` settings add to the site: a redirect page at each old path
//! (`[output.html.redirect]`), the map that sends an old `#fragment` of a page that still
//! exists to its new place (`redirects.js`, read by the theme's `js/redirect.js`), and
//! `CNAME`.

use std::collections::{BTreeMap, HashSet};

use super::Render;
use super::emit::Emitted;
use super::views::RedirectView;
use crate::config::Redirect;
use crate::diagnostics::Diagnostics;
use crate::model::{Contents, OutputFile};

/// The generated fragment map, at the site root.
pub const FRAGMENT_MAP: &str = "redirects.js";
/// The theme's script that follows redirects.
pub const REDIRECT_JS: &str = "assets/js/redirect.js";

/// One old page: where it goes, and where each of its old fragments goes.
#[derive(Default)]
struct OldPage<'a> {
    to: Option<&'a Redirect>,
    fragments: BTreeMap<&'a str, &'a str>,
    first: Option<&'a Redirect>,
}

/// Pushes the redirect pages, the fragment map and `CNAME`. Runs after every other page is
/// made, so a redirect over one of them is found.
pub(super) fn push(r: &Render<'_>, out: &mut Emitted<'_>, diags: &mut Diagnostics) {
    let site = &r.config.site;
    if let Some(cname) = &site.cname {
        out.push(OutputFile {
            path: "CNAME".into(),
            contents: Contents::Bytes(format!("{cname}\n").into_bytes()),
        });
    }
    let mut pages: BTreeMap<&str, OldPage<'_>> = BTreeMap::new();
    for redirect in &site.redirects {
        let page = pages.entry(redirect.from.as_str()).or_default();
        page.first.get_or_insert(redirect);
        match &redirect.fragment {
            Some(fragment) => {
                page.fragments.insert(fragment, &redirect.to);
            }
            None => page.to = Some(redirect),
        }
    }
    let existing: HashSet<String> = out.paths().map(str::to_owned).collect();
    let mut fragment_map: BTreeMap<&str, &BTreeMap<&str, &str>> = BTreeMap::new();
    let mut files = Vec::new();
    for (from, page) in &pages {
        if existing.contains(*from) {
            match page.to {
                Some(over) => diags.push(r.config.error_at_redirect(
                    &over.key,
                    format!(
                        "redirect over the existing page `{from}`: delete the redirect or the \
                         page's chapter (a `#fragment` key may still send its old anchors on)"
                    ),
                )),
                None => {
                    fragment_map.insert(from, &page.fragments);
                    if front_page_copies(r, from) {
                        fragment_map.insert("index.html", &page.fragments);
                    }
                }
            }
            continue;
        }
        match page.to {
            Some(to) => files.push(redirect_page(r, from, &to.to, &page.fragments, diags)),
            None => diags.push(r.config.error_at_redirect(
                &page.first.map(|f| f.key.clone()).unwrap_or_default(),
                format!(
                    "`{from}` is not a page of the book and its redirects all name a \
                     `#fragment`: add `\"/{from}\" = \"new.html\"` for the page itself"
                ),
            )),
        }
    }
    out.extend(files);
    if site.has_fragment_redirects() {
        out.push(OutputFile {
            path: FRAGMENT_MAP.into(),
            contents: Contents::Bytes(fragment_script(&fragment_map).into_bytes()),
        });
    }
}

/// Whether `index.html` is the copy of the chapter at `page` (the first, when no chapter is
/// `index.html` itself), so its old fragments go on from there too.
fn front_page_copies(r: &Render<'_>, page: &str) -> bool {
    let book = r.book;
    book.chapters.first().is_some_and(|c| c.output_rel == page)
        && !book.chapter_outputs.values().any(|o| o == "index.html")
}

fn redirect_page(
    r: &Render<'_>,
    from: &str,
    to: &str,
    fragments: &BTreeMap<&str, &str>,
    diags: &mut Diagnostics,
) -> OutputFile {
    let view = RedirectView {
        to,
        fragments: serde_json::to_string(fragments).unwrap_or_else(|_| "{}".to_owned()),
    };
    r.renderer
        .page("redirect.html", from, ("redirect", &view), &[], diags)
}

/// `redirects.js`: page → `#fragment` → target, as a global `js/redirect.js` reads. A plain
/// script, so it loads from `file://` too.
fn fragment_script(map: &BTreeMap<&str, &BTreeMap<&str, &str>>) -> String {
    let json = serde_json::to_string(map).unwrap_or_else(|_| "{}".to_owned());
    // A target cannot close the script element it is loaded into.
    let json = json.replace("</", "<\\/");
    format!("window.GUIDEBOOK_REDIRECTS = {json};\n")
}
