//! Checking a chapter's internal links once every page is rendered.

use super::links::InternalLink;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Chapter;

/// Checks every internal link of every rendered chapter against the pages and files that exist.
/// `pages` maps output paths to the ids on that page; `files` are copied assets.
pub fn check_links(
    chapter: &Chapter,
    links: &[InternalLink],
    pages: &crate::markdown::links::LinkTargets<'_>,
    files: &std::collections::HashSet<String>,
    diags: &mut Diagnostics,
) {
    for link in links {
        let problem = if link.target.starts_with("../") {
            Some(format!(
                "broken link `{}`: it points outside the book; link to a page or file inside the source directory",
                link.written
            ))
        } else if link.is_chapter {
            match pages.get(link.target.as_str()) {
                None => Some(format!(
                    "broken link `{}`: no chapter `{}` in SUMMARY.md",
                    link.written,
                    link.target.replace(".html", ".md")
                )),
                Some(ids) => match &link.fragment {
                    Some(f) if !f.is_empty() && !ids.iter().any(|id| id == f) => Some(format!(
                        "broken link `{}`: no heading or anchor `#{f}` in that page{}",
                        link.written,
                        crate::diagnostics::suggestion_suffix(f, ids.iter().map(String::as_str))
                    )),
                    _ => None,
                },
            }
        } else if !files.contains(&link.target) && !pages.contains_key(link.target.as_str()) {
            Some(format!(
                "broken link `{}`: no file `{}` in the book",
                link.written, link.target
            ))
        } else {
            None
        };
        if let Some(message) = problem {
            diags.push(
                chapter
                    .source_map
                    .diagnostic(link.offset, |p| Diagnostic::error(p, message)),
            );
        }
    }
}
