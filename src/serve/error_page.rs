//! What the preview serves before any build has succeeded: every page is an error page that
//! lists the errors and runs the live-reload client, so it reloads by itself as soon as a
//! save makes the book build. The client and its stylesheet come from the default theme
//! built into the binary, as there is no build to take them from.

use axum::body::Body;
use axum::http::{Response, StatusCode};

use super::{Served, plain, respond};
use crate::util::html::escape;

/// The live-reload client and the overlay's stylesheet, at the paths pages load them from.
const EMBEDDED: &[(&str, &str, &[u8])] = &[
    (
        "assets/js/livereload.js",
        "text/javascript; charset=utf-8",
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/themes/default/js/livereload.js"
        )),
    ),
    (
        "assets/css/build-errors.css",
        "text/css; charset=utf-8",
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/themes/default/css/build-errors.css"
        )),
    ),
];

/// The overlay's title on this page; livereload.js says the same when it redraws it.
pub const TITLE: &str = "No build has succeeded yet. Fix the errors and save: \
                         this page reloads by itself once the book builds.";

/// The answer to a request for `rel` (a site path) while no build has succeeded.
pub(super) fn answer(rel: &str, errors: &[String]) -> Response<Body> {
    if let Some((_, kind, bytes)) = EMBEDDED.iter().find(|(path, ..)| *path == rel) {
        return respond(StatusCode::OK, kind, Served::Whole(bytes.to_vec().into()));
    }
    if is_page(rel) {
        let html = page(errors).into_bytes();
        return respond(
            StatusCode::SERVICE_UNAVAILABLE,
            "text/html; charset=utf-8",
            Served::Whole(html.into()),
        );
    }
    plain(
        StatusCode::NOT_FOUND,
        "not found: no build has succeeded yet\n",
    )
}

/// A request a browser would show as a page: a directory (`rel` then ends in `index.html`),
/// an `.html` file or a path whose last segment has no extension.
pub fn is_page(rel: &str) -> bool {
    let last = rel.rsplit('/').next().unwrap_or(rel);
    last.ends_with(".html") || !last.contains('.')
}

/// The error page. Paths are absolute: it answers for every page path, at any depth.
pub fn page(errors: &[String]) -> String {
    let errors: String = errors
        .iter()
        .map(|e| format!("<pre>{}</pre>\n", escape(e)))
        .collect();
    format!(
        r#"<!DOCTYPE html>
<html lang="en" data-root="/" data-guidebook-error-page="">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>The book does not build yet</title>
<link rel="stylesheet" href="/assets/css/build-errors.css" data-guidebook-build-errors="">
<script src="/assets/js/livereload.js" defer></script>
</head>
<body class="guidebook-error-page">
<main>
<h1>The book does not build yet</h1>
<p>guidebook serve has no page to show until the book builds.</p>
</main>
<aside id="guidebook-build-errors" aria-label="Build errors">
<div role="alert">
<p class="build-errors-title">{TITLE}</p>
{errors}</div>
</aside>
</body>
</html>
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_directories_html_files_and_paths_without_extension() {
        for page in [
            "index.html",
            "chapters/a.html",
            "questions/index.html",
            "about",
        ] {
            assert!(is_page(page), "{page}");
        }
        for file in ["assets/css/base.css", "search/index.json", "favicon.ico"] {
            assert!(!is_page(file), "{file}");
        }
    }

    #[test]
    fn errors_reach_the_page_as_text() {
        let html = page(&["a.md:1:2: error: <script>alert(1)</script>".into()]);
        assert!(html.contains("<pre>a.md:1:2: error: &lt;script&gt;alert(1)&lt;/script&gt;</pre>"));
    }
}
