//! In a real browser: "Add to my sheet", reordering, programs, printing one sheet per program,
//! bank filters, and printed worksheets read back from PDF.

mod support;

use support::browser::{self, click, eval, file_url, open, print_pdf, wait_for};
use support::{TestBook, repo_root, run_in};

/// A browser and a freshly built copy of the minimal fixture.
fn launch_with_minimal() -> Option<(browser::Chrome, TestBook)> {
    let chrome = browser::launch()?;
    let book = TestBook::from_fixture("minimal");
    book.run(&["build"]).assert_success();
    Some((chrome, book))
}

#[test]
fn my_sheet_collects_reorders_and_prints_one_sheet_per_program() {
    let Some((chrome, book)) = launch_with_minimal() else {
        return;
    };

    // Add two questions from the residents page and one from the program director's.
    let tab = open(
        &chrome,
        &file_url(&book.path("book/questions/residents.html")),
    );
    click(&tab, "button.add-to-sheet[data-id=res-home-call]");
    // res-visa has no priority, so it waits in the bank's "More questions" fold.
    click(&tab, ".more-questions > summary");
    click(&tab, "button.add-to-sheet[data-id=res-visa]");
    wait_for(
        &tab,
        "document.querySelector('button.add-to-sheet[data-id=res-visa]').getAttribute('aria-pressed') === 'true'",
    );
    tab.navigate_to(&file_url(
        &book.path("book/questions/program-director.html"),
    ))
    .unwrap()
    .wait_until_navigated()
    .unwrap();
    click(&tab, "button.add-to-sheet[data-id=pd-esir]");

    // The sheet survives a reload, in the order chosen.
    tab.navigate_to(&file_url(&book.path("book/my-sheet.html")))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    tab.reload(false, None)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    wait_for(
        &tab,
        "document.querySelectorAll('.chosen-questions li').length === 3",
    );
    let order = "Array.from(document.querySelectorAll('.chosen-questions li')).map(l => l.getAttribute('data-id')).join(',')";
    assert_eq!(eval(&tab, order), "res-home-call,res-visa,pd-esir");

    // Move the program director's question to the top with the keyboard-reachable buttons.
    click(&tab, ".chosen-questions li:nth-child(3) .move-up");
    wait_for(
        &tab,
        "document.querySelector('.chosen-questions li:nth-child(2)').getAttribute('data-id') === 'pd-esir'",
    );
    click(&tab, ".chosen-questions li:nth-child(2) .move-up");
    wait_for(
        &tab,
        "document.querySelector('.chosen-questions li:nth-child(1)').getAttribute('data-id') === 'pd-esir'",
    );
    assert_eq!(
        eval(
            &tab,
            "document.activeElement.classList.contains('move-up') || document.activeElement.classList.contains('move-down')"
        ),
        true,
        "focus stays on the moved question's buttons"
    );

    // Two programs.
    for name in ["Lakeside University IR", "Riverside Medical Center"] {
        tab.wait_for_element("#program-name")
            .unwrap()
            .click()
            .unwrap();
        tab.type_str(name).unwrap();
        click(&tab, ".add-program button[type=submit]");
    }
    wait_for(
        &tab,
        "document.querySelectorAll('.program-list li').length === 2",
    );
    tab.reload(false, None)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    wait_for(
        &tab,
        "document.querySelectorAll('.printed-sheet').length === 2",
    );
    assert_eq!(
        eval(&tab, order),
        "pd-esir,res-home-call,res-visa",
        "new order saved"
    );

    let (text, pages) = print_pdf(&tab);
    assert_eq!(
        text.matches("Program: Lakeside University IR").count(),
        1,
        "{text}"
    );
    assert_eq!(
        text.matches("Program: Riverside Medical Center").count(),
        1,
        "{text}"
    );
    let first = text
        .find("How many residents join ESIR each year?")
        .unwrap();
    let second = text.find("How often are you on home call?").unwrap();
    let third = text.find("Has the program sponsored visas").unwrap();
    assert!(
        first < second && second < third,
        "questions print in the new order:\n{text}"
    );
    assert_eq!(pages, 2, "one page per program");
    for chrome_text in [
        "Your questions",
        "Print my sheets",
        "Move up",
        "Add program",
        "Skip to main content",
        "Table of contents",
    ] {
        assert!(
            !text.contains(chrome_text),
            "printed page shows {chrome_text:?}:\n{text}"
        );
    }
}

#[test]
fn a_reworded_or_removed_question_is_kept_and_marked() {
    let Some((chrome, book)) = launch_with_minimal() else {
        return;
    };
    let tab = open(
        &chrome,
        &file_url(&book.path("book/questions/residents.html")),
    );
    click(&tab, "button.add-to-sheet[data-id=res-home-call]");
    // res-visa has no priority, so it waits in the bank's "More questions" fold.
    click(&tab, ".more-questions > summary");
    click(&tab, "button.add-to-sheet[data-id=res-visa]");
    wait_for(
        &tab,
        "document.querySelectorAll('button.add-to-sheet[aria-pressed=true]').length === 2",
    );

    // The advisors reword one question and delete the other; the site is rebuilt.
    let bank = book.read("content/questions/residents.yaml");
    let reworded = bank.replace(
        "How often are you on home call?",
        "How many home call nights do you take a month?",
    );
    let without_visa = reworded
        .split("  - id: res-visa")
        .next()
        .unwrap()
        .to_owned();
    book.write("content/questions/residents.yaml", &without_visa);
    book.write(
        "content/worksheets/interview.yaml",
        &book
            .read("content/worksheets/interview.yaml")
            .replace("      ids: [res-visa]", "      ids: [res-home-call]"),
    );
    book.run(&["build"]).assert_success();

    tab.navigate_to(&file_url(&book.path("book/my-sheet.html")))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    wait_for(
        &tab,
        "document.querySelectorAll('.chosen-questions li').length === 2",
    );
    let status = |id: &str| {
        eval(
            &tab,
            &format!("document.querySelector('.chosen[data-id={id}] .chosen-status').textContent"),
        )
    };
    assert_eq!(status("res-home-call"), "Changed since you added it");
    assert_eq!(status("res-visa"), "No longer in the guide");
    let changed = eval(
        &tab,
        "document.querySelector('.chosen[data-id=res-home-call]').textContent",
    );
    assert!(
        changed
            .as_str()
            .unwrap()
            .contains("How many home call nights"),
        "{changed}"
    );
    assert!(
        changed
            .as_str()
            .unwrap()
            .contains("You added it as: How often are you on home call?"),
        "{changed}"
    );
    let gone = eval(
        &tab,
        "document.querySelector('.chosen[data-id=res-visa] .chosen-text').textContent",
    );
    assert!(
        gone.as_str().unwrap().contains("sponsored visas"),
        "the removed question keeps its text: {gone}"
    );
}

#[test]
fn bank_filters_narrow_the_list() {
    let Some((chrome, book)) = launch_with_minimal() else {
        return;
    };
    let tab = open(
        &chrome,
        &file_url(&book.path("book/questions/residents.html")),
    );
    wait_for(&tab, "!document.querySelector('.question-filters').hidden");
    eval(
        &tab,
        "var s = document.querySelector('select[name=topic]'); s.value = 'visa'; s.dispatchEvent(new Event('change', {bubbles: true})); true",
    );
    let visible = "Array.from(document.querySelectorAll('.question')).filter(q => !q.hidden).map(q => q.id).join(',')";
    assert_eq!(eval(&tab, visible), "res-visa");
    assert_eq!(
        eval(&tab, "document.querySelector('.filter-count').textContent"),
        "Showing 1 of 2 questions."
    );
    eval(
        &tab,
        "var t = document.querySelector('select[name=topic]'); t.value = ''; var a = document.querySelector('select[name=applies]'); a.value = 'us-img'; a.dispatchEvent(new Event('change', {bubbles: true})); true",
    );
    assert_eq!(
        eval(&tab, visible),
        "res-home-call",
        "the non-US-citizen visa question hides for a US citizen"
    );
}

/// Budget per worksheet of the IR guide: pages, and the most questions its own text tells the
/// reader to ask ("pick two or three"). A sheet must fit what an applicant carries.
const WORKSHEET_PAGE_BUDGET: &[(&str, usize, usize)] = &[
    ("interview-program-director", 1, 3),
    ("interview-ir-faculty", 1, 3),
    ("interview-residents", 1, 5),
    ("interview-coordinator", 1, 2),
    ("program-evaluation", 1, 0),
    ("case-volume-sheet", 1, 0),
    ("red-flag-planner", 2, 0),
];

#[test]
fn every_worksheet_prints_its_questions_without_navigation_within_its_page_budget() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let out = TestBook::empty();
    let site = out.root().join("site");
    run_in(&repo_root(), &["build", "-d", site.to_str().unwrap()]).assert_success();
    let mut sheets: Vec<String> = std::fs::read_dir(site.join("worksheets"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "index.html")
        .collect();
    sheets.sort();
    assert!(!sheets.is_empty());
    let mut problems = Vec::new();
    for sheet in &sheets {
        let id = sheet.trim_end_matches(".html");
        let budget = WORKSHEET_PAGE_BUDGET
            .iter()
            .find(|(s, _, _)| *s == id)
            .map(|(_, pages, questions)| (*pages, *questions));
        let Some((budget, question_budget)) = budget else {
            problems.push(format!(
                "{id}: no page budget stated in WORKSHEET_PAGE_BUDGET"
            ));
            continue;
        };
        let tab = open(&chrome, &file_url(&site.join("worksheets").join(sheet)));
        let questions = eval(
            &tab,
            "JSON.stringify(Array.from(document.querySelectorAll('.ws-question-text')).map(q => q.textContent.trim().replace(/\\s+/g, ' ')))",
        );
        let questions: Vec<String> = serde_json::from_str(questions.as_str().unwrap()).unwrap();
        let title = eval(&tab, "document.querySelector('.worksheet h1').textContent");
        let (text, pages) = print_pdf(&tab);
        for q in &questions {
            if !text.contains(q.as_str()) {
                problems.push(format!("{id}: question missing from PDF: {q}"));
            }
        }
        if !text.contains(title.as_str().unwrap()) {
            problems.push(format!("{id}: title missing"));
        }
        for nav in [
            "Skip to main content",
            "Print this worksheet",
            "Table of contents",
            "Print the guide",
            "Add to my sheet",
            "Next",
        ] {
            if text.contains(nav) {
                problems.push(format!("{id}: navigation text {nav:?} printed"));
            }
        }
        if questions.len() > question_budget {
            problems.push(format!(
                "{id}: {} questions, budget {question_budget}",
                questions.len()
            ));
        }
        if pages > budget {
            problems.push(format!("{id}: {pages} pages, budget {budget}"));
        }
        if !text.contains("Page 1 of") {
            problems.push(format!("{id}: no \"Page X of Y\" running footer"));
        }
        eprintln!(
            "{id}: {} questions, {pages} page(s) (budget {budget})",
            questions.len()
        );
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
