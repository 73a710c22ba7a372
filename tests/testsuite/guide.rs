//! Tests of this repository's own guide (content/ and book.toml at the repo root), the only
//! tests that build it: a smoke test (checks and builds cleanly, no broken link), its printed
//! worksheets within their budgets, and every page accessible. Every engine test uses a
//! fixture book under tests/fixtures/, so editing content/ can only break these tests, and
//! only if the guide itself is broken.

use crate::browser::{axe_script, site_accessibility_problems};
use crate::sheets::print_worksheet;
use crate::support::browser;
use crate::support::{TestBook, broken_links, html_files, repo_root, run_in};

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

/// Budget per worksheet of the IR guide: pages, and the most questions its own text tells the
/// reader to ask ("pick two or three"). A sheet must fit what an applicant carries.
const WORKSHEET_BUDGET: &[(&str, usize, usize)] = &[
    ("interview-program-director", 1, 3),
    ("interview-ir-faculty", 1, 3),
    ("interview-residents", 1, 5),
    ("interview-coordinator", 1, 2),
    ("program-evaluation", 1, 0),
    ("case-volume-sheet", 1, 0),
    ("red-flag-planner", 2, 0),
];

/// The guide built into a temporary directory: (the directory, the site in it).
fn built_guide() -> (TestBook, std::path::PathBuf) {
    let out = TestBook::empty();
    let site = out.root().join("site");
    run_in(&repo_root(), &["build", "-d", site.to_str().unwrap()]).assert_success();
    (out, site)
}

#[test]
fn every_worksheet_of_the_guide_prints_within_its_page_and_question_budget() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let (_out, site) = built_guide();
    let sheets: Vec<String> = html_files(&site.join("worksheets"))
        .into_iter()
        .filter(|n| n != "index.html")
        .collect();
    assert!(!sheets.is_empty());
    let mut problems = Vec::new();
    for sheet in &sheets {
        let id = sheet.trim_end_matches(".html");
        let Some(&(_, pages, questions)) = WORKSHEET_BUDGET.iter().find(|(s, ..)| *s == id) else {
            problems.push(format!("{id}: no budget stated in WORKSHEET_BUDGET"));
            continue;
        };
        let tab = browser::open(
            &chrome,
            &browser::file_url(&site.join("worksheets").join(sheet)),
        );
        let printed = print_worksheet(&tab);
        let mut found = printed.problems(pages);
        if printed.questions.len() > questions {
            found.push(format!(
                "{} questions, budget {questions}",
                printed.questions.len()
            ));
        }
        problems.extend(found.into_iter().map(|p| format!("{id}: {p}")));
        eprintln!(
            "{id}: {} questions, {} page(s)",
            printed.questions.len(),
            printed.pages
        );
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn every_page_of_the_guide_has_no_accessibility_violations_in_light_or_dark() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let Some(axe) = axe_script() else { return };
    let (_out, site) = built_guide();
    let problems = site_accessibility_problems(&chrome, &axe, &site);
    assert!(problems.is_empty(), "{problems:#?}");
}
