//! Bad input: each fixture under tests/fixtures/bad/<case>/ is laid over the minimal book.
//! The build must exit 1, print every expected `path:line:col: error: message` line from
//! the case's expected-stderr.txt, and leave the previous site byte-for-byte intact.

mod support;

use support::{TestBook, fixtures, snapshot};

fn cases() -> Vec<String> {
    let mut cases: Vec<String> = std::fs::read_dir(fixtures().join("bad"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_bad_fixture_fails_at_the_right_place_and_keeps_the_old_site() {
    let cases = cases();
    assert!(
        cases.len() >= 20,
        "expected the whole bad-input corpus, found {cases:?}"
    );
    let mut failures = Vec::new();
    for case in &cases {
        let book = TestBook::from_fixture("minimal");
        book.run(&["build"]).assert_success();
        let before = snapshot(&book.path("book"));

        book.overlay(&format!("bad/{case}"));
        let run = book.run(&["build"]);
        let expected = std::fs::read_to_string(
            fixtures()
                .join("bad")
                .join(case)
                .join("expected-stderr.txt"),
        )
        .unwrap_or_else(|_| panic!("{case}: missing expected-stderr.txt"));
        if run.code != 1 {
            failures.push(format!(
                "{case}: exit code {} (want 1)\n{}",
                run.code, run.stderr
            ));
        }
        for line in expected.lines().filter(|l| !l.trim().is_empty()) {
            if !run.stderr.contains(line) {
                failures.push(format!(
                    "{case}: stderr lacks\n  {line}\ngot:\n{}",
                    run.stderr
                ));
            }
        }
        if run.stderr.contains("panicked") {
            failures.push(format!("{case}: panicked\n{}", run.stderr));
        }
        if snapshot(&book.path("book")) != before {
            failures.push(format!("{case}: the previous site changed"));
        }
        let leftovers: Vec<_> = std::fs::read_dir(book.root())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".book."))
            .collect();
        if !leftovers.is_empty() {
            failures.push(format!(
                "{case}: staging directories left behind: {leftovers:?}"
            ));
        }

        // `check` agrees with `build` and writes nothing.
        let check = book.run(&["check"]);
        if check.code != 1 {
            failures.push(format!("{case}: check exited {}", check.code));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn all_problems_are_reported_in_one_run() {
    let book = TestBook::from_fixture("minimal");
    book.overlay("bad/broken-link");
    book.overlay("bad/unknown-topic");
    book.overlay("bad/front-matter-unknown");
    let run = book.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("unknown topic \"wrkload\""),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("unknown field \"last_reviwed\""),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("build failed with 2 errors"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_bom_and_crlf_line_endings_build_fine() {
    let book = TestBook::from_fixture("minimal");
    let beta = book.read("content/chapters/beta.md").replace('\n', "\r\n");
    book.write("content/chapters/beta.md", &format!("\u{feff}{beta}"));
    let bank = book
        .read("content/questions/residents.yaml")
        .replace('\n', "\r\n");
    book.write(
        "content/questions/residents.yaml",
        &format!("\u{feff}{bank}"),
    );
    book.write("book.toml", &format!("\u{feff}{}", book.read("book.toml")));
    book.run(&["build"]).assert_success();
    let doc = support::parse(&book.read("book/chapters/beta.html"));
    assert!(
        support::select(&doc, "h1")[0]
            .text()
            .collect::<String>()
            .ends_with("Beta chapter")
    );
    assert_eq!(support::select(&doc, "h2#step-2-ck-scores").len(), 1);
}

#[test]
fn a_symlink_out_of_the_book_is_refused() {
    let book = TestBook::from_fixture("minimal");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "# Secret\n").unwrap();
    std::fs::remove_file(book.path("content/chapters/beta.md")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        book.path("content/chapters/beta.md"),
    )
    .unwrap();
    let run = book.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/SUMMARY.md:10:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("outside the book root"),
        "{}",
        run.stderr
    );
}
