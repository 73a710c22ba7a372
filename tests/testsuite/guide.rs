//! SMOKE TEST of this repository's own guide (content/ and book.toml at the repo root): the one
//! test that builds it. Every engine test uses a fixture book under tests/fixtures/, so editing
//! content/ can only break this test, and only if the guide itself is broken.

use crate::support::{TestBook, broken_links, repo_root, run_in};

#[test]
fn smoke_the_ir_guide_in_this_repository_checks_and_builds_cleanly() {
    let check = run_in(&repo_root(), &["check"]);
    check.assert_success();

    let out = TestBook::empty();
    let dest = out.root().join("site");
    let run = run_in(&repo_root(), &["build", "-d", dest.to_str().unwrap()]);
    run.assert_success();
    for (command, stderr) in [("check", &check.stderr), ("build", &run.stderr)] {
        assert!(
            !stderr.contains("warning"),
            "{command}: the guide has warnings:\n{stderr}"
        );
    }
    let problems = broken_links(&dest);
    assert!(problems.is_empty(), "{problems:#?}");
    for page in [
        "index.html",
        "print.html",
        "contents.html",
        "glossary.html",
        "chapters/case-volume.html",
        "search/meta.js",
    ] {
        assert!(dest.join(page).is_file(), "missing {page}");
    }
    let chapters = std::fs::read_dir(dest.join("chapters")).unwrap().count();
    assert!(chapters >= 6, "the guide has its chapters: {chapters}");
}
