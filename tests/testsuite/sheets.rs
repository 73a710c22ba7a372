//! In a real browser: "Add to my sheet", reordering, programs, printing one sheet per program,
//! bank filters, and a printed worksheet read back from PDF.

use crate::support::TestBook;
use crate::support::browser::{self, click, eval, file_url, open, print_pdf, wait_for};

/// A browser and a freshly built copy of the minimal fixture.
fn launch_with_minimal() -> Option<(browser::Chrome, TestBook)> {
    let chrome = browser::launch()?;
    let book = TestBook::built("minimal");
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

/// A printed worksheet is the sheet an applicant carries: every question and the title, no
/// navigation, a "Page X of Y" footer, within its page budget (the fixture's sheet fills one
/// page and puts its notes on a second).
#[test]
fn a_worksheet_prints_its_questions_without_navigation_within_its_page_budget() {
    let Some((chrome, book)) = launch_with_minimal() else {
        return;
    };
    let tab = open(
        &chrome,
        &file_url(&book.path("book/worksheets/interview.html")),
    );
    let printed = print_worksheet(&tab);
    assert_eq!(printed.questions.len(), 2, "{:?}", printed.questions);
    let problems = printed.problems(2);
    assert!(problems.is_empty(), "{problems:#?}\n{}", printed.text);
}

/// A worksheet page printed to PDF and read back.
pub struct PrintedSheet {
    /// The questions on the page, as shown.
    pub questions: Vec<String>,
    pub title: String,
    /// The PDF's text and page count.
    pub text: String,
    pub pages: usize,
}

/// Prints the worksheet open in `tab` to PDF.
pub fn print_worksheet(tab: &headless_chrome::Tab) -> PrintedSheet {
    let questions = eval(
        tab,
        "JSON.stringify(Array.from(document.querySelectorAll('.ws-question-text')).map(q => q.textContent.trim().replace(/\\s+/g, ' ')))",
    );
    let questions = serde_json::from_str(questions.as_str().unwrap()).unwrap();
    let title = eval(tab, "document.querySelector('.worksheet h1').textContent");
    let (text, pages) = print_pdf(tab);
    PrintedSheet {
        questions,
        title: title.as_str().unwrap().to_owned(),
        text,
        pages,
    }
}

impl PrintedSheet {
    /// What is wrong with the printed sheet: a question or the title missing, navigation
    /// printed, no running footer, more than `page_budget` pages.
    pub fn problems(&self, page_budget: usize) -> Vec<String> {
        let mut problems = Vec::new();
        for q in &self.questions {
            if !self.text.contains(q.as_str()) {
                problems.push(format!("question missing from PDF: {q}"));
            }
        }
        if !self.text.contains(&self.title) {
            problems.push("title missing".to_owned());
        }
        for nav in [
            "Skip to main content",
            "Print this worksheet",
            "Table of contents",
            "Print the guide",
            "Add to my sheet",
            "Next",
        ] {
            if self.text.contains(nav) {
                problems.push(format!("navigation text {nav:?} printed"));
            }
        }
        if self.pages > page_budget {
            problems.push(format!("{} pages, budget {page_budget}", self.pages));
        }
        if !self.text.contains("Page 1 of") {
            problems.push("no \"Page X of Y\" running footer".to_owned());
        }
        problems
    }
}
