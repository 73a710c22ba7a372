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
    let pages = ["intro.html", "panic.html", "links.html", "directives.html"];
    let shown: Vec<String> = pages
        .iter()
        .map(|p| format!("==> {p}\n{}\n", main_of(&book, p)))
        .collect();
    insta::assert_snapshot!(shown.join("\n"));
    // A code span in a SUMMARY title is code in the navigation, and text in `<title>`.
    let toc = book.read("book/toc.js");
    assert!(
        toc.contains(r#""title":"Links and code","parts":[["","Links and "],["code","code"]]"#),
        "{toc}"
    );
    let links = parse(&book.read("book/links.html"));
    assert_eq!(
        select(&links, "title")[0].inner_html(),
        "Links and code · mdBook forms"
    );
    // `{{#title}}` names the page, as in mdBook.
    let directives = parse(&book.read("book/directives.html"));
    assert_eq!(
        select(&directives, "title")[0].inner_html(),
        "A page title set by the chapter · mdBook forms"
    );
}

/// The lines of `stderr` holding any of `marks` (`": warning:"`): the diagnostics' first lines.
fn lines_with<'a>(stderr: &'a str, marks: &[&str]) -> Vec<&'a str> {
    stderr
        .lines()
        .filter(|l| marks.iter().any(|m| l.contains(m)))
        .collect()
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
    let warnings = lines_with(&run.stderr, &[": warning:"]);
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

/// A book inside a repository may include files from elsewhere in it, as mdBook's own guide
/// includes `../../../examples/…`: silently. A file outside the repository is included with a
/// warning that it will be published.
#[test]
fn includes_reach_the_repository_and_warn_beyond_it() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("outside.rs"), "fn outside() {}\n").unwrap();
    let book = TestBook::from_fixture("mdbook-forms");
    // The fixture's temp dir is no repository: make one inside it, holding the book.
    std::fs::create_dir_all(book.path("repo/.git")).unwrap();
    std::fs::create_dir_all(book.path("repo/examples")).unwrap();
    std::fs::write(book.path("repo/examples/shared.rs"), "fn shared() {}\n").unwrap();
    copy_dir(book.root(), &book.path("repo/guide"), &["repo"]);
    let guide = book.path("repo/guide");
    let outside_file = outside.path().join("outside.rs");
    std::fs::write(
        guide.join("src/intro.md"),
        format!(
            "# Introduction\n\n```rust\n{{{{#include ../../examples/shared.rs}}}}\n```\n\n```rust\n{{{{#include {}}}}}\n```\n",
            outside_file.display()
        ),
    )
    .unwrap();
    let run = book.run(&["build", "repo/guide"]);
    run.assert_success();
    let warnings = lines_with(&run.stderr, &[": warning:"]);
    let real_outside = outside_file.canonicalize().unwrap();
    let real_repo = book.path("repo").canonicalize().unwrap();
    assert_eq!(
        warnings,
        [format!(
            "repo/guide/src/intro.md:8:1: warning: `{{{{#include {}}}}}` includes {}, outside the repository that holds this book ({}); it will be published with the book",
            outside_file.display(),
            real_outside.display(),
            real_repo.display()
        )],
        "{}",
        run.stderr
    );
    let page = parse(&book.read("repo/guide/book/intro.html"));
    let code: Vec<String> = select(&page, "pre code")
        .iter()
        .map(|c| c.text().collect())
        .collect();
    assert_eq!(code, ["fn shared() {}\n", "fn outside() {}\n"]);
}

/// Copies the files of `from` into `to`, leaving out the top-level entries named in `skip`.
fn copy_dir(from: &std::path::Path, to: &std::path::Path, skip: &[&str]) {
    for entry in walkdir::WalkDir::new(from).min_depth(1) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let top = rel.components().next().unwrap().as_os_str();
        if skip.iter().any(|s| top == *s) {
            continue;
        }
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// mdBook leaves a `{{#name}}` it does not know as text; so does guidebook, with a warning. A
/// near miss of a directive guidebook knows is a typo, and an error.
#[test]
fn unknown_directives_are_text_and_typos_are_errors() {
    let book = TestBook::from_fixture("mdbook-forms");
    book.write(
        "src/intro.md",
        "# Introduction\n\n{{#mystery thing}}\n\n{{#rustdoc_inclde listings/main.rs}}\n",
    );
    let run = book.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let problems = lines_with(&run.stderr, &[": warning:", ": error:"]);
    assert_eq!(
        problems,
        [
            "src/intro.md:3:1: warning: unknown directive `{{#mystery}}`; left as text",
            "src/intro.md:5:1: error: unknown directive `{{#rustdoc_inclde}}`, did you mean \"rustdoc_include\"?",
        ],
        "{}",
        run.stderr
    );
}
