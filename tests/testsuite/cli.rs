//! The command line: init, check, clean, help, exit codes and an unchanged mdBook book.

use crate::support::{self, TestBook, broken_links, run_in, snapshot};

#[test]
fn init_creates_a_book_that_builds() {
    let dir = TestBook::empty();
    run_in(
        dir.root(),
        &["init", "new-guide", "--title", "Guide \"with\" quotes"],
    )
    .assert_success();
    let book = dir.root().join("new-guide");
    for file in [
        "book.toml",
        "content/SUMMARY.md",
        "content/welcome.md",
        "content/vocabulary.yaml",
        "content/questions/advisor.yaml",
    ] {
        assert!(book.join(file).is_file(), "init did not write {file}");
    }
    let run = run_in(&book, &["build"]);
    run.assert_success();
    assert!(
        run.stderr.is_empty() || !run.stderr.contains("warning"),
        "fresh book has warnings:\n{}",
        run.stderr
    );
    assert!(book.join("book/index.html").is_file());
    assert!(broken_links(&book.join("book")).is_empty());
    // A second init refuses to overwrite.
    assert_eq!(run_in(dir.root(), &["init", "new-guide"]).code, 1);
}

/// A folder that already holds one of the files init would write (an author's own notes in
/// `content/welcome.md`) is left exactly as it was: no book.toml, nothing else.
#[test]
fn init_refuses_before_writing_anything() {
    let dir = TestBook::empty();
    dir.write("guide/content/welcome.md", "My own notes\n");
    let run = run_in(dir.root(), &["init", "guide"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/welcome.md already exists; not overwriting it, and nothing was written"
        ),
        "{}",
        run.stderr
    );
    let left: Vec<_> = walkdir::WalkDir::new(dir.path("guide"))
        .sort_by_file_name()
        .into_iter()
        .map(|e| {
            e.unwrap()
                .path()
                .strip_prefix(dir.root())
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        left,
        ["guide", "guide/content", "guide/content/welcome.md"].map(std::path::PathBuf::from)
    );
    assert_eq!(dir.read("guide/content/welcome.md"), "My own notes\n");
}

#[test]
fn check_validates_without_writing() {
    let book = TestBook::from_fixture("minimal");
    let run = book.run(&["check"]);
    run.assert_success();
    assert!(run.stderr.contains("no errors"), "{}", run.stderr);
    assert!(!book.path("book").exists(), "check wrote output");
}

#[test]
fn build_takes_a_root_and_a_dest_dir() {
    let book = TestBook::from_fixture("minimal");
    let out = TestBook::empty();
    let dest = out.root().join("site");
    run_in(
        out.root(),
        &[
            "build",
            book.root().to_str().unwrap(),
            "-d",
            dest.to_str().unwrap(),
        ],
    )
    .assert_success();
    assert!(dest.join("index.html").is_file());
    assert!(!book.path("book").exists());
}

#[test]
fn a_root_given_through_dot_dot_builds() {
    // Found by the `directive` fuzz target's harness, which loads `fuzz/../tests/fixtures`.
    let book = TestBook::from_fixture("minimal");
    std::fs::create_dir(book.path("elsewhere")).unwrap();
    run_in(&book.path("elsewhere"), &["build", "../."]).assert_success();
    assert!(book.path("book/chapters/alpha.html").is_file());
}

#[test]
fn rebuilding_replaces_the_site_and_removes_stale_pages() {
    let book = TestBook::built("minimal");
    std::fs::write(book.path("book/stale.html"), "old").unwrap();
    book.run(&["build"]).assert_success();
    assert!(!book.path("book/stale.html").exists());
    let first = snapshot(&book.path("book"));
    book.run(&["build"]).assert_success();
    assert_eq!(
        first,
        snapshot(&book.path("book")),
        "builds are reproducible"
    );
}

#[test]
fn clean_removes_the_build_directory() {
    let book = TestBook::built("minimal");
    book.run(&["clean"]).assert_success();
    assert!(!book.path("book").exists());
    book.run(&["clean"]).assert_success();
}

#[test]
fn help_and_usage_errors() {
    let dir = TestBook::empty();
    let help = run_in(dir.root(), &["--help"]);
    assert_eq!(help.code, 0);
    for word in ["build", "check", "init", "clean", "--quiet", "--verbose"] {
        assert!(
            help.stdout.contains(word),
            "--help lacks {word}:\n{}",
            help.stdout
        );
    }
    assert_eq!(run_in(dir.root(), &["frobnicate"]).code, 1);
    let missing = run_in(dir.root(), &["build"]);
    assert_eq!(missing.code, 1);
    assert!(missing.stderr.contains("SUMMARY.md"), "{}", missing.stderr);
}

#[test]
fn quiet_hides_warnings_but_not_errors() {
    let book = TestBook::from_fixture("minimal");
    book.write("content/orphan.md", "# Orphan\n");
    let quiet = book.run(&["build", "-q"]);
    quiet.assert_success();
    assert!(quiet.stderr.is_empty(), "{}", quiet.stderr);
    book.overlay("bad/broken-link");
    let failed = book.run(&["build", "-q"]);
    assert_eq!(failed.code, 1);
    assert!(failed.stderr.contains("broken link"), "{}", failed.stderr);
}

#[test]
fn an_mdbook_book_builds_unchanged_with_warnings_for_what_is_skipped() {
    let book = TestBook::from_fixture("mdbook-book");
    let run = book.run(&["build"]);
    run.assert_success();
    for skipped in [
        "preprocessor `katex` is not installed",
        "`output.linkcheck` is an mdBook setting",
        "mdBook handlebars template, not used",
    ] {
        assert!(
            run.stderr.contains(skipped),
            "no warning for {skipped}:\n{}",
            run.stderr
        );
    }
    let site = book.path("book");
    for page in [
        "index.html",
        "guide/getting-started.html",
        "guide/installation.html",
        "guide/reference.html",
    ] {
        assert!(site.join(page).is_file(), "missing {page}");
    }
    assert!(broken_links(&site).is_empty(), "{:?}", broken_links(&site));
    let doc = support::parse(&book.read("book/guide/installation.html"));
    assert_eq!(
        support::select(&doc, "main h1").len(),
        1,
        "the chapter's own # title is not doubled"
    );
    assert!(
        book.read("book/guide/reference.html")
            .contains("Included from outside src")
    );
}
