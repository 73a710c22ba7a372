//! mdBook books as their authors wrote them: the forms real books use (nested brackets in
//! SUMMARY.md titles, text after a chapter link, `{{#include file:anchor}}`, anchors in raw
//! HTML, links to a sibling book, `?highlight=` queries, email autolinks) build unchanged,
//! with no warning, and render as mdBook renders them.

use crate::support::{TestBook, parse, select};

/// The `<main>` of a built page, as written.
pub(crate) fn main_of(book: &TestBook, page: &str) -> String {
    let doc = parse(&book.read(&format!("book/{page}")));
    let main = select(&doc, "main");
    assert_eq!(main.len(), 1, "{page} has one <main>");
    main[0].html()
}

#[test]
fn mdbook_forms_build_unchanged_without_warnings() {
    let book = TestBook::from_fixture("mdbook-forms");
    let run = book.run(&["build"]);
    run.assert_success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let pages = ["intro.html", "panic.html", "links.html"];
    let shown: Vec<String> = pages
        .iter()
        .map(|p| format!("==> {p}\n{}\n", main_of(&book, p)))
        .collect();
    insta::assert_snapshot!(shown.join("\n"));
}

/// A book with genuinely broken links publishes with `broken-links = "warn"`: each link is a
/// warning at its place, and the site is written.
#[test]
fn broken_links_warn_when_the_book_asks_and_the_site_is_written() {
    let book = TestBook::from_fixture("mdbook-forms");
    book.write(
        "src/intro.md",
        "# Introduction\n\nSee [the missing part](links.md#no-such-part).\n",
    );
    let failed = book.run(&["build"]);
    assert_eq!(failed.code, 1, "{}", failed.stderr);
    let toml = book.read("book.toml");
    book.write(
        "book.toml",
        &format!("{toml}\n[output.html]\nbroken-links = \"warn\"\n"),
    );
    let run = book.run(&["build"]);
    run.assert_success();
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": warning:"))
        .collect();
    assert_eq!(
        warnings,
        [
            "src/intro.md:3:5: warning: broken link `links.md#no-such-part`: no heading or anchor `#no-such-part` in that page"
        ],
        "{}",
        run.stderr
    );
    assert!(book.path("book/intro.html").is_file());
}
