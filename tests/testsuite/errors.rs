//! Bad input: each fixture under tests/fixtures/bad/<case>/ is laid over the minimal book.
//! The build must exit 1, print every expected `path:line:col: error: message` line from
//! the case's expected-stderr.txt, and leave the previous site byte-for-byte intact.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::support::{self, TestBook, fixtures, snapshot};

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
        let book = TestBook::built("minimal");
        let before = snapshot(&book.path("book"));

        book.overlay(&format!("bad/{case}"));
        let expected = std::fs::read_to_string(
            fixtures()
                .join("bad")
                .join(case)
                .join("expected-stderr.txt"),
        )
        .unwrap_or_else(|_| panic!("{case}: missing expected-stderr.txt"));
        let expected: Vec<&str> = expected.lines().filter(|l| !l.trim().is_empty()).collect();
        failures.extend(failed_build_problems(case, &book, &before, &expected).0);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// What is wrong with a build of `book` that should fail: the exit code is 1, stderr has every
/// `expected` line and no panic, the site `before` is untouched, no staging directory is left,
/// and `check` fails too. Empty when all is well; returned with the build's stderr.
fn failed_build_problems(
    case: &str,
    book: &TestBook,
    before: &BTreeMap<PathBuf, Vec<u8>>,
    expected: &[&str],
) -> (Vec<String>, String) {
    let mut failures = Vec::new();
    let run = book.run(&["build"]);
    if run.code != 1 {
        failures.push(format!(
            "{case}: exit code {} (want 1)\n{}",
            run.code, run.stderr
        ));
    }
    for line in expected {
        if !run.stderr.contains(line) {
            failures.push(format!(
                "{case}: stderr lacks\n  {line}\ngot:\n{}",
                truncated(&run.stderr)
            ));
        }
    }
    if run.stderr.contains("panicked") || run.stderr.contains("overflow") {
        failures.push(format!("{case}: panicked\n{}", truncated(&run.stderr)));
    }
    if snapshot(&book.path("book")) != *before {
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
    (failures, run.stderr)
}

/// Diagnostics quote the offending line; generated lines are thousands of characters long.
fn truncated(stderr: &str) -> String {
    stderr
        .lines()
        .map(|l| l.chars().take(200).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The whole stderr of `guidebook check` on each bad fixture, against a reviewed snapshot in
/// tests/snapshots/: an extra, missing or cascading error fails. Paths of the temporary book
/// are shown as `[ROOT]`.
#[test]
fn every_bad_fixture_prints_exactly_its_reviewed_errors() {
    for case in cases() {
        let book = TestBook::from_fixture("minimal");
        book.overlay(&format!("bad/{case}"));
        let run = book.run(&["check"]);
        assert_eq!(run.code, 1, "{case}: {}", run.stderr);
        let root = book.root().display().to_string();
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_suffix(case.clone());
        settings.set_prepend_module_to_snapshot(false);
        settings.set_description(format!("guidebook check, tests/fixtures/bad/{case}"));
        settings.add_filter(&regex_escape(&root), "[ROOT]");
        settings.bind(|| insta::assert_snapshot!("check", run.stderr));
    }
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '/' || c == '_' || c == '-' {
                c.to_string()
            } else {
                format!("\\{c}")
            }
        })
        .collect()
}

/// A generated bad-input case: `change` spoils a built copy of the minimal book, which must
/// then fail with each of `expected` and keep the old site. Returns the build's stderr.
fn generated_case(case: &str, change: impl FnOnce(&TestBook), expected: &[&str]) -> String {
    let book = TestBook::built("minimal");
    let before = snapshot(&book.path("book"));
    change(&book);
    let (failures, stderr) = failed_build_problems(case, &book, &before, expected);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    stderr
}

/// The line of beta.md that text appended by [`append_to_beta`] starts on.
fn appended_line() -> usize {
    let beta = std::fs::read_to_string(fixtures().join("minimal/content/chapters/beta.md"));
    beta.unwrap().lines().count() + 2
}

/// Appends `text` to beta.md as a paragraph of its own, at line [`appended_line`].
fn append_to_beta(book: &TestBook, text: &str) {
    let beta = book.read("content/chapters/beta.md");
    assert!(beta.ends_with('\n'));
    book.write("content/chapters/beta.md", &format!("{beta}\n{text}"));
}

#[test]
fn a_20_mb_chapter_is_refused_before_it_is_read() {
    let stderr = generated_case(
        "20 MB chapter",
        |book| {
            let paragraph = "Words in a paragraph of a chapter far too long to be real.\n\n";
            let text = paragraph.repeat(20 * 1024 * 1024 / paragraph.len() + 1);
            book.write("content/chapters/beta.md", &text[..20 * 1024 * 1024]);
        },
        &["content/chapters/beta.md:1:1: error: chapter is 20.0 MB, over the 8 MB limit"],
    );
    // It is listed, only unusable.
    assert!(!stderr.contains("not listed in SUMMARY.md"), "{stderr}");
}

#[test]
fn an_oversized_include_is_refused_at_the_included_file() {
    generated_case(
        "9 MB include",
        |book| {
            book.write("content/snippets/huge.md", &"x".repeat(9 * 1024 * 1024));
            append_to_beta(book, "{{#include ../snippets/huge.md}}\n");
        },
        &["content/snippets/huge.md:1:1: error: chapter is 9.0 MB, over the 8 MB limit"],
    );
}

#[test]
fn ten_thousand_nested_block_quotes_are_refused_at_the_first_too_deep_one() {
    let line = appended_line();
    generated_case(
        "10,000 nested block quotes",
        |book| append_to_beta(book, &format!("{}deep\n", "> ".repeat(10_000))),
        // The 101st `>` (column 201) opens the quote one level too deep.
        &[&format!(
            "content/chapters/beta.md:{line}:201: error: lists and block quotes nest more than 100 levels deep"
        )],
    );
}

#[test]
fn ten_thousand_nested_lists_are_refused_at_the_first_too_deep_one() {
    let line = appended_line();
    generated_case(
        "10,000 nested lists",
        |book| append_to_beta(book, &format!("{}deep\n", "- ".repeat(10_000))),
        &[&format!(
            "content/chapters/beta.md:{line}:201: error: lists and block quotes nest more than 100 levels deep"
        )],
    );
}

#[test]
fn nesting_over_many_lines_is_refused_at_the_first_too_deep_line() {
    // One level per line, as an author would indent it: the 101st line is too deep.
    let first = appended_line();
    generated_case(
        "lists nested line by line",
        |book| {
            let lines: String = (0..150)
                .map(|i| format!("{}- level {i}\n", "  ".repeat(i)))
                .collect();
            append_to_beta(book, &lines);
        },
        &[&format!(
            "content/chapters/beta.md:{}:201: error: lists and block quotes nest more than 100 levels deep",
            first + 100
        )],
    );
    generated_case(
        "block quotes nested line by line",
        |book| {
            let lines: String = (1..=150)
                .map(|i| format!("{}level {i}\n", "> ".repeat(i)))
                .collect();
            append_to_beta(book, &lines);
        },
        &[&format!(
            "content/chapters/beta.md:{}:201: error: lists and block quotes nest more than 100 levels deep",
            first + 100
        )],
    );
}

#[test]
fn summary_nesting_is_limited() {
    // 40 levels of drafts under Beta (line 10, level 1); Draft 32 (line 42, indented 64
    // spaces) is level 33, one too deep.
    generated_case(
        "SUMMARY.md nested 40 deep",
        |book| {
            let summary = book.read("content/SUMMARY.md");
            let drafts: String = (1..=40)
                .map(|i| format!("{}- [Draft {i}]()\n", "  ".repeat(i)))
                .collect();
            let summary = summary.replace(
                "- [Beta](chapters/beta.md)\n",
                &format!("- [Beta](chapters/beta.md)\n{drafts}"),
            );
            book.write("content/SUMMARY.md", &summary);
        },
        &["content/SUMMARY.md:42:65: error: chapters nest more than 32 levels deep here"],
    );
}

#[test]
fn ten_thousand_nested_yaml_sequences_are_a_clear_error() {
    // No bank field takes nested lists, so the error is at the first `[`, before any depth.
    generated_case(
        "YAML nested 10,000 deep",
        |book| {
            let bank = book.read("content/questions/residents.yaml");
            let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
            let why = "    why: \"Raw <b>HTML</b> is escaped: <script>alert(1)</script>\"";
            assert!(bank.contains(why));
            book.write(
                "content/questions/residents.yaml",
                &bank.replace(why, &format!("    why: {deep}")),
            );
        },
        &[
            "content/questions/residents.yaml:21:10: error: questions[1].why: invalid type: sequence",
        ],
    );
}

#[test]
fn ten_thousand_nested_mappings_in_front_matter_are_a_clear_error() {
    generated_case(
        "front matter nested 10,000 deep",
        |book| {
            let beta = book.read("content/chapters/beta.md");
            let deep = format!("{}1{}", "{a: ".repeat(10_000), "}".repeat(10_000));
            book.write(
                "content/chapters/beta.md",
                &format!("---\nextra:\n  x: {deep}\n---\n{beta}"),
            );
        },
        // serde_norway's limit: the 128th `{` (column 510) is one level too deep.
        &[
            "content/chapters/beta.md:3:510: error: in front matter: nested more than 128 levels deep here",
        ],
    );
}

#[test]
fn an_empty_summary_is_an_error() {
    generated_case(
        "empty SUMMARY.md",
        |book| book.write("content/SUMMARY.md", ""),
        &["content/SUMMARY.md: error: SUMMARY.md lists no chapters"],
    );
}

#[test]
fn an_empty_chapter_builds() {
    let book = TestBook::from_fixture("minimal");
    book.write("content/chapters/alpha-detail.md", "");
    book.run(&["build"]).assert_success();
    let doc = support::parse(&book.read("book/chapters/alpha-detail.html"));
    // The SUMMARY.md title stands in for the missing `# Title`.
    assert!(
        support::select(&doc, "h1")[0]
            .text()
            .collect::<String>()
            .contains("Alpha detail")
    );
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

/// Runs `guidebook ARGS` in `book`, killing it after `limit`: a hang is a failure, not a
/// stuck test run.
fn run_within(book: &TestBook, args: &[&str], limit: std::time::Duration) -> support::Run {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_guidebook"))
        .args(args)
        .current_dir(book.root())
        .env_remove("GUIDEBOOK_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("guidebook {args:?} still running after {limit:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    support::Run::from(child.wait_with_output().unwrap())
}

/// `beta.md` includes `snippets/special.md`, which `make` turns into something that is not a
/// regular file; build and check must refuse it at once, at the directive.
fn refuses_special_include(kind: &str, make: impl Fn(&std::path::Path)) {
    let book = TestBook::from_fixture("minimal");
    let line = appended_line();
    append_to_beta(&book, "{{#include ../snippets/special.md}}\n");
    make(&book.path("content/snippets/special.md"));
    for command in ["build", "check"] {
        let run = run_within(&book, &[command], std::time::Duration::from_secs(20));
        assert_eq!(run.code, 1, "{kind}, {command}: {}", run.stderr);
        let first = run.stderr.lines().next().unwrap_or_default();
        assert_eq!(
            first,
            format!(
                "content/chapters/beta.md:{line}:1: error: cannot include `../snippets/special.md`: {kind}, not a regular file"
            ),
            "{command}: {}",
            run.stderr
        );
    }
}

#[test]
fn a_fifo_include_is_refused_at_once() {
    refuses_special_include("it is a named pipe (FIFO)", |path| {
        let made = std::process::Command::new("mkfifo").arg(path).status();
        assert!(made.unwrap().success());
    });
}

#[test]
fn a_symlink_to_a_device_is_refused_at_once() {
    // Followed, the link leaves the book; it is refused as a device, before any warning.
    let book = TestBook::from_fixture("minimal");
    let line = appended_line();
    append_to_beta(&book, "{{#include ../snippets/zero.md}}\n");
    std::os::unix::fs::symlink("/dev/zero", book.path("content/snippets/zero.md")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", book.path("content/questions/zero.yaml")).unwrap();
    let run = run_within(&book, &["check"], std::time::Duration::from_secs(20));
    assert_eq!(run.code, 1, "{}", run.stderr);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    assert_eq!(
        errors,
        [
            format!(
                "content/chapters/beta.md:{line}:1: error: cannot include `../snippets/zero.md`: it is a device, not a regular file"
            ),
            "content/questions/zero.yaml: error: cannot read: it is a device, not a regular file"
                .to_owned(),
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn a_directory_include_is_refused() {
    refuses_special_include("it is a directory", |path| {
        std::fs::create_dir(path).unwrap();
    });
}

#[test]
fn a_fifo_data_file_is_refused_at_once() {
    let book = TestBook::from_fixture("minimal");
    let made = std::process::Command::new("mkfifo")
        .arg(book.path("content/questions/pipe.yaml"))
        .status();
    assert!(made.unwrap().success());
    let run = run_within(&book, &["check"], std::time::Duration::from_secs(20));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr.lines().next().unwrap_or_default(),
        "content/questions/pipe.yaml: error: cannot read: it is a named pipe (FIFO), not a regular file",
        "{}",
        run.stderr
    );
}
