//! An mdBook theme folder (`theme/`): its handlebars templates and the files that replace
//! mdBook's own stylesheets and scripts are written for mdBook's page structure, so each is
//! reported with what to do instead; its favicon is used as mdBook uses it.

use std::path::Path;

use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics};

/// mdBook's handlebars files, with what to do instead in guidebook.
const HANDLEBARS: &[(&str, &str)] = &[
    (
        "index.hbs",
        "to change the page, override a block of themes/<name>/templates/chapter.html \
         (`{% extends \"default/chapter.html\" %}`) and set `[output.html] theme = \"<name>\"`",
    ),
    (
        "head.hbs",
        "to add to <head>, list the files in `[output.html] additional-css` or \
         `additional-js`, or override `{% block head %}` in themes/<name>/templates/base.html",
    ),
    (
        "header.hbs",
        "to change the header, override themes/<name>/templates/base.html",
    ),
    (
        "redirect.hbs",
        "redirect pages come from themes/<name>/templates/redirect.html",
    ),
    (
        "toc.js.hbs",
        "the sidebar is built from toc.js by themes/<name>/js/nav.js",
    ),
    (
        "toc.html.hbs",
        "the contents page without JavaScript is themes/<name>/templates/contents.html",
    ),
];

/// What any other handlebars file becomes.
const OTHER_TEMPLATE: &str = "guidebook's templates are Tera files in themes/<name>/templates/";

/// Files that replace mdBook's built-in stylesheets and scripts, which guidebook's pages do not
/// have (their rules name mdBook's classes).
const REPLACEMENTS: &[&str] = &[
    "book.js",
    "css/chrome.css",
    "css/general.css",
    "css/print.css",
    "css/variables.css",
    "highlight.js",
    "highlight.css",
    "tomorrow-night.css",
    "ayu-highlight.css",
    "clipboard.min.js",
    "fonts/fonts.css",
];

/// The favicons mdBook takes from the theme folder, in the order it prefers them.
const FAVICONS: &[&str] = &["favicon.svg", "favicon.png"];

/// The folder's files reported, and its favicon (name, bytes) when it has one.
pub fn read(dir: &Path, diags: &mut Diagnostics) -> Option<(String, Vec<u8>)> {
    let mut files: Vec<(String, std::path::PathBuf)> = WalkDir::new(dir)
        .max_depth(3)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some((rel, e.path().to_path_buf()))
        })
        .collect();
    files.sort();
    for (rel, path) in &files {
        if let Some(message) = report(rel) {
            diags.push(Diagnostic::warning(path, message));
        }
    }
    FAVICONS.iter().find_map(|name| {
        let (_, path) = files.iter().find(|(rel, _)| rel == name)?;
        let bytes = crate::util::paths::read_inside(path, dir)?;
        Some(((*name).to_owned(), bytes))
    })
}

/// The warning for one file of the folder, `None` for files guidebook uses or mdBook ignores.
fn report(rel: &str) -> Option<String> {
    let instead = HANDLEBARS
        .iter()
        .find(|(name, _)| *name == rel)
        .map(|(_, what)| *what)
        .or(rel.ends_with(".hbs").then_some(OTHER_TEMPLATE));
    if let Some(instead) = instead {
        return Some(format!(
            "mdBook handlebars template, not used (guidebook renders with Tera): {instead}"
        ));
    }
    REPLACEMENTS.contains(&rel).then(|| {
        format!(
            "replaces mdBook's own `{rel}`, which guidebook's pages do not use: put the rules \
             you need in a file listed in `[output.html] additional-css` (or \
             `additional-js`)"
        )
    })
}
