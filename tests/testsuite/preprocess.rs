//! External preprocessors with mdBook's protocol (`[preprocessor.NAME]`), driven through the
//! binary with the fixture's Python scripts: `shout` is written against mdBook 0.5 (it edits
//! `items`), `note` against 0.4 (it answers with `sections` alone), `print-only` says no to
//! `supports html`, and `epub` is limited to another renderer.

use crate::mdbook::main_of;
use crate::support::{Run, TestBook, timing_lock};
use crate::watch::Watch;

/// The fixture with `extra` appended to its book.toml.
fn book_with(extra: &str) -> TestBook {
    let book = TestBook::from_fixture("preprocessor-book");
    let toml = book.read("book.toml");
    book.write("book.toml", &format!("{toml}\n{extra}"));
    book
}

fn failed_build(book: &TestBook) -> Run {
    let run = book.run(&["build"]);
    assert_eq!(
        run.code, 1,
        "expected a failed build; stderr:\n{}",
        run.stderr
    );
    run
}

#[test]
fn preprocessors_rewrite_chapters_in_their_order_and_skip_other_renderers() {
    let book = TestBook::from_fixture("preprocessor-book");
    let run = book.run(&["build"]);
    run.assert_success();
    // The preprocessor's stderr reaches the terminal; the skipped ones never ran.
    assert!(
        run.stderr.contains("shout: preprocessing for mdBook 0.5.4"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("fail.py"), "{}", run.stderr);
    assert!(!run.stderr.contains("must not run"), "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let shown: Vec<String> = ["intro.html", "details.html"]
        .iter()
        .map(|p| format!("==> {p}\n{}\n", main_of(&book, p)))
        .collect();
    insta::assert_snapshot!(shown.join("\n"));
}

/// `note` after `shout` keeps its `!!note!!`; before it, `shout` uppercases it.
#[test]
fn before_and_after_set_the_order() {
    let book = TestBook::from_fixture("preprocessor-book");
    let toml = book
        .read("book.toml")
        .replace("after = [\"shout\"]", "before = [\"shout\"]");
    book.write("book.toml", &toml);
    book.run(&["build"]).assert_success();
    let intro = book.read("book/intro.html");
    assert!(intro.contains("Checked by NOTE (top, depth 0)"), "{intro}");
}

#[test]
fn a_cycle_of_before_and_after_is_an_error() {
    let book = TestBook::from_fixture("preprocessor-book");
    let toml = book.read("book.toml").replace(
        "after = [\"shout\"]",
        "after = [\"shout\"]\nbefore = [\"shout\"]",
    );
    book.write("book.toml", &toml);
    let run = failed_build(&book);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn a_missing_optional_preprocessor_is_a_warning() {
    let book = book_with("[preprocessor.katex]\noptional = true\n");
    let run = book.run(&["build"]);
    run.assert_success();
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("warning"))
        .collect();
    insta::assert_snapshot!(warnings.join("\n"));
    assert!(book.read("book/intro.html").contains("LOUDLY"));
}

#[test]
fn a_missing_preprocessor_is_an_error_saying_how_to_install_it() {
    let book = book_with("[preprocessor.katex]\n");
    let run = failed_build(&book);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn a_failing_preprocessor_is_an_error_with_its_stderr() {
    let book = book_with("[preprocessor.broken]\ncommand = \"python3 tools/fail.py\"\n");
    let run = failed_build(&book);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn an_answer_that_is_not_a_book_is_an_error() {
    let book = book_with("[preprocessor.chatty]\ncommand = \"python3 tools/not_json.py\"\n");
    let run = failed_build(&book);
    insta::assert_snapshot!(run.stderr);
}

/// `shout` turns the `!!banner!!` line into five: a broken link below it is still reported at
/// its own line of the chapter file.
#[test]
fn errors_in_rewritten_chapters_point_at_the_original_lines() {
    let book = TestBook::from_fixture("preprocessor-book");
    let intro = book
        .read("src/intro.md")
        .replace("(details.md)", "(details.md#nowhere)");
    book.write("src/intro.md", &intro);
    let run = failed_build(&book);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| !l.starts_with("shout:"))
        .collect();
    insta::assert_snapshot!(errors.join("\n"));
}

/// Nothing of a preprocessor's answer is kept: each rebuild runs it on the new text.
#[test]
fn watch_runs_the_preprocessors_again_on_every_save() {
    let _lock = timing_lock();
    let book = TestBook::from_fixture("preprocessor-book");
    let watch = Watch::start(book.root(), ".");
    watch.wait_for("watching");
    book.write("src/details.md", "# Details\n\nNow !!louder!!.\n");
    watch.wait_for("rebuilt after");
    let details = book.read("book/details.html");
    assert!(details.contains("Now LOUDER."), "{details}");
    assert!(
        details.contains("Checked by !!note!! (Intro, depth 1)"),
        "{details}"
    );
}
