//! Question banks, `{{#questions}}`, worksheets and the reader's own sheet, as built HTML.

use crate::support::browser::{self, eval, file_url, goto, open, wait_for};
use crate::support::{TestBook, parse, select};

fn text(el: &scraper::ElementRef<'_>) -> String {
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn each_audience_gets_a_page_with_every_question_and_its_guidance() {
    let book = TestBook::built("minimal");
    let doc = parse(&book.read("book/questions/residents.html"));
    let questions = select(&doc, "article.question");
    let ids: Vec<&str> = questions
        .iter()
        .filter_map(|q| q.value().attr("id"))
        .collect();
    assert_eq!(ids, ["res-home-call", "res-visa"]);
    let home_call = &questions[0];
    assert_eq!(home_call.value().attr("data-topics"), Some("workload"));
    assert_eq!(home_call.value().attr("data-applies"), Some("all"));
    let t = text(home_call);
    for part in [
        "How often are you on home call?",
        "Why it matters: Shows the real workload.",
        "Good signs",
        "Concrete numbers",
        "Red flags",
        "Laughing it off",
        "Follow-up questions",
        "Who backs you up?",
        "High priority",
    ] {
        assert!(t.contains(part), "{part:?} missing from {t}");
    }
    assert_eq!(
        select(&doc, ".question-details[open], div.question-details").len(),
        2,
        "bank pages show the guidance open"
    );
    assert_eq!(
        select(&doc, "form.question-filters[hidden] option[value=workload]").len(),
        1,
        "filters hidden until JS"
    );
    assert!(text(&select(&doc, ".ask-count")[0]).contains("3–5"));
    assert_eq!(
        select(&doc, "button.add-to-sheet[hidden][data-id=res-visa]").len(),
        1
    );

    let index = parse(&book.read("book/questions/index.html"));
    let links: Vec<&str> = select(&index, ".audience-list a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(links, ["program-director.html", "residents.html"]);
}

/// Ids of a bank's lead questions, and of the questions in its "More questions" fold.
fn lead_and_fold(doc: &scraper::Html, bank: &str) -> (Vec<String>, Vec<String>) {
    let ids = |css: String| -> Vec<String> {
        select(doc, &css)
            .iter()
            .filter_map(|q| q.value().attr("id").map(str::to_owned))
            .collect()
    };
    (
        ids(format!("section#{bank} > article.question")),
        ids(format!(
            "section#{bank} > details.more-questions:not([open]) > article.question"
        )),
    )
}

#[test]
fn a_bank_leads_with_its_top_priority_questions_and_folds_the_rest() {
    let book = TestBook::built("minimal");
    let doc = parse(&book.read("book/questions/residents.html"));
    assert_eq!(
        lead_and_fold(&doc, "residents"),
        (
            vec!["res-home-call".to_owned()],
            vec!["res-visa".to_owned()]
        )
    );
    assert_eq!(
        select(&doc, "section#residents summary")
            .iter()
            .map(text)
            .collect::<Vec<_>>(),
        ["More questions (1)"]
    );
    let pd = parse(&book.read("book/questions/program-director.html"));
    assert_eq!(
        lead_and_fold(&pd, "program-director"),
        (vec!["pd-esir".to_owned()], vec![]),
        "a bank without priorities leads with every question and has no fold"
    );
    assert!(select(&pd, "details.more-questions").is_empty());

    // The top priority a bank uses leads, wherever its questions sit in the file; the rest
    // keep their file order. No priority ranks below low.
    let q = |id: &str, priority: &str| {
        format!("  - {{ id: {id}, text: \"{id}?\", why: Why.{priority} }}\n")
    };
    book.write(
        "content/questions/program-director.yaml",
        &format!(
            "id: program-director\ntitle: PD\naudience: program-director\nquestions:\n{}{}{}{}{}",
            q("pd-esir", ""),
            q("pd-low", ", priority: low"),
            q("pd-medium-1", ", priority: medium"),
            q("pd-medium-2", ", priority: medium"),
            q("pd-none", ""),
        ),
    );
    book.run(&["build"]).assert_success();
    let pd = parse(&book.read("book/questions/program-director.html"));
    let own = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        lead_and_fold(&pd, "program-director"),
        (
            own(&["pd-medium-1", "pd-medium-2"]),
            own(&["pd-esir", "pd-low", "pd-none"])
        )
    );
    assert_eq!(
        text(&select(&pd, "details.more-questions > summary")[0]),
        "More questions (3)"
    );
}

#[test]
fn filters_and_links_reach_questions_inside_the_fold() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let book = TestBook::built("minimal");
    let page = file_url(&book.path("book/questions/residents.html"));
    let tab = open(&chrome, &page);
    wait_for(&tab, "!document.querySelector('.question-filters').hidden");
    let fold = "(function () { var f = document.querySelector('.more-questions'); \
                return [f.open, f.hidden, f.querySelector('.more-count').textContent].join(); })()";
    assert_eq!(eval(&tab, fold), "false,false,1", "folded until asked");
    let choose = |name: &str, value: &str| {
        eval(
            &tab,
            &format!(
                "var s = document.querySelector('select[name={name}]'); s.value = '{value}'; \
                 s.dispatchEvent(new Event('change', {{bubbles: true}})); true"
            ),
        );
    };
    choose("topic", "visa");
    assert_eq!(
        eval(&tab, fold),
        "true,false,1",
        "a match inside the fold opens it"
    );
    choose("topic", "workload");
    assert_eq!(
        eval(&tab, fold),
        "true,true,0",
        "a fold with no match is hidden"
    );
    choose("topic", "");
    assert_eq!(
        eval(&tab, fold),
        "false,false,1",
        "clearing the filters folds it again"
    );
    eval(
        &tab,
        "document.querySelector('.more-questions').open = true; true",
    );
    choose("topic", "visa");
    choose("topic", "");
    assert_eq!(
        eval(&tab, fold),
        "true,false,1",
        "a fold the reader opened stays open"
    );

    goto(&tab, &format!("{page}#res-visa"));
    assert_eq!(
        eval(&tab, fold),
        "true,false,1",
        "a link to a folded question opens its fold"
    );
}

#[test]
fn question_text_is_markdown_but_raw_html_is_escaped() {
    let book = TestBook::built("minimal");
    let html = book.read("book/questions/residents.html");
    assert!(
        !html.contains("<script>alert(1)</script>"),
        "raw HTML from YAML reached the page"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let doc = parse(&html);
    assert_eq!(select(&doc, "#res-visa .question-text strong").len(), 1);
    assert_eq!(
        select(
            &doc,
            "#res-visa .question-text a[href='../glossary.html#esir']"
        )
        .len(),
        1
    );
}

#[test]
fn the_directive_embeds_a_filtered_subset_with_links_to_the_bank() {
    let book = TestBook::built("minimal");
    let doc = parse(&book.read("book/chapters/beta.html"));
    let embedded = select(&doc, ".chapter-body .question-list article.question");
    assert_eq!(
        embedded.len(),
        1,
        "topic=workload picks only the home-call question"
    );
    assert_eq!(embedded[0].value().attr("id"), Some("res-home-call"));
    assert_eq!(
        select(&doc, ".chapter-body h4.question-text").len(),
        1,
        "heading level follows the outline (under an h3)"
    );
    assert_eq!(
        select(&doc, ".chapter-body details.question-details:not([open])").len(),
        1,
        "collapsed in chapters"
    );
    let permalink = select(&doc, "#res-home-call a.permalink")[0]
        .value()
        .attr("href");
    assert_eq!(permalink, Some("../questions/residents.html#res-home-call"));
    let card = select(&doc, ".worksheet-card a");
    assert_eq!(
        card[0].value().attr("href"),
        Some("../worksheets/interview.html")
    );
    // On print.html the embedded question's id is prefixed per chapter.
    let print = parse(&book.read("book/print.html"));
    assert_eq!(select(&print, "#chapters-beta--res-home-call").len(), 1);
}

#[test]
fn worksheets_have_header_fields_answer_lines_ratings_and_notes() {
    let book = TestBook::built("minimal");
    let doc = parse(&book.read("book/worksheets/interview.html"));
    assert_eq!(
        select(&doc, ".worksheet[data-page-name=ws-interview]").len(),
        1
    );
    let fields: Vec<String> = select(&doc, ".header-field span")
        .iter()
        .map(text)
        .collect();
    assert_eq!(fields, ["Program", "Date", "Resident"]);
    assert_eq!(select(&doc, "button[data-action=print]").len(), 1);
    let questions = select(&doc, ".ws-question");
    assert_eq!(
        questions.len(),
        2,
        "one workload question + the visa question"
    );
    assert_eq!(
        select(&doc, "#ws-interview-res-home-call .answer-line").len(),
        4
    );
    assert_eq!(
        select(&doc, "#ws-interview-res-visa .answer-line").len(),
        3,
        "default answer lines"
    );
    assert_eq!(select(&doc, ".ws-ratings tbody tr").len(), 2);
    assert_eq!(select(&doc, ".ws-ratings input[type=radio]").len(), 10);
    assert_eq!(select(&doc, ".ws-fields .ws-field").len(), 1);
    assert_eq!(select(&doc, ".notes-box .answer-line").len(), 5);
    let index = parse(&book.read("book/worksheets/index.html"));
    assert_eq!(
        select(&index, ".worksheet-list a[href='interview.html']").len(),
        1
    );
}

#[test]
fn paper_size_and_running_headers_come_from_book_toml() {
    let book = TestBook::built("minimal");
    let css = book.read("book/assets/css/paper.css");
    assert!(css.contains("size: letter;"), "{css}");
    assert!(
        css.contains("@top-left { content: \"Minimal guide\""),
        "{css}"
    );
    assert!(css.contains("@page ws-interview"), "{css}");
    assert!(css.contains("\"Interview day: residents\""), "{css}");
    assert!(css.contains("counter(pages)"), "{css}");
    book.write(
        "book.toml",
        &format!(
            "{}\n[output.html.print]\npaper-size = \"a4\"\n",
            book.read("book.toml")
        ),
    );
    book.run(&["build"]).assert_success();
    assert!(book.read("book/assets/css/paper.css").contains("size: A4;"));
}

#[test]
fn the_data_script_lists_every_question_with_a_text_hash() {
    let book = TestBook::built("minimal");
    let js = book.read("book/guide-data.js");
    let json = js
        .trim()
        .strip_prefix("window.GUIDEBOOK_DATA = ")
        .unwrap()
        .trim_end_matches(';');
    let data: serde_json::Value = serde_json::from_str(json).unwrap();
    let q = &data["questions"]["res-home-call"];
    assert_eq!(q["t"], "How often are you on home call?");
    assert_eq!(q["u"], "questions/residents.html#res-home-call");
    assert_eq!(q["h"].as_str().unwrap().len(), 8);
    assert!(data["questions"]["pd-esir"].is_object());
    let sheet = parse(&book.read("book/my-sheet.html"));
    let scripts: Vec<&str> = select(&sheet, "script[src]")
        .iter()
        .filter_map(|s| s.value().attr("src"))
        .collect();
    assert!(
        scripts.contains(&"guide-data.js") && scripts.contains(&"assets/js/my-sheet.js"),
        "{scripts:?}"
    );
}

#[test]
fn data_tables_render_as_a_table_and_a_build_time_svg_chart() {
    let book = TestBook::built("minimal");
    let doc = parse(&book.read("book/glossary.html"));
    let cells: Vec<String> = select(&doc, "#targets-table tbody td")
        .iter()
        .map(text)
        .collect();
    assert_eq!(cells, ["100+", "", "50–100+", "Core work"]);
    let svg = select(&doc, "#targets-chart svg[role=img]");
    assert_eq!(svg.len(), 1, "an inline SVG chart");
    assert_eq!(select(&doc, "#targets-chart svg .chart-bar").len(), 2);
    assert_eq!(
        text(&select(&doc, "#targets-chart desc")[0]),
        "Biopsies: 100+; Biliary: 50–100+"
    );
    assert!(
        !book
            .read("book/glossary.html")
            .contains("<script src=\"http"),
        "no chart library"
    );
}
