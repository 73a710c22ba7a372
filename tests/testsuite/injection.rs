//! Injection: a book whose every YAML string, front matter title and Markdown link tries to
//! inject markup (`tests/fixtures/hostile`), and an import file whose notes, questions and
//! program names do the same. Everything must reach the page as text: no element with an
//! event handler, no injected `<script>` or `<img>`, no `javascript:` link, in the built HTML
//! and in the page after its scripts ran.

use crate::support::browser::{self, Watched, eval, file_url, wait_for};
use crate::support::{self, TestBook, parse, select};
use headless_chrome::Tab;
use serde_json::json;

const SCRIPT: &str = "<script>alert(1)</script>";
const ATTR: &str = "\"><img src=x onerror=alert(1)>";

/// What in a parsed document was injected: handler attributes, script URLs, scripts other
/// than the site's own files, and the `<img src=x>` the fixture tries to plant.
fn injected(doc: &scraper::Html) -> Vec<String> {
    let mut found = Vec::new();
    for el in select(doc, "*") {
        for (name, value) in el.value().attrs() {
            if name.starts_with("on") {
                found.push(format!("<{}> has {name}={value:?}", el.value().name()));
            }
            if value
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase()
                .starts_with("javascript:")
            {
                found.push(format!("<{}> has {name}={value:?}", el.value().name()));
            }
        }
    }
    for s in select(doc, "script") {
        match s.value().attr("src") {
            Some(src) if src.ends_with(".js") && !src.contains(':') && !src.contains('<') => {}
            _ => found.push(format!("injected script: {}", s.html())),
        }
    }
    for img in select(doc, "img[src=x]") {
        found.push(format!("injected image: {}", img.html()));
    }
    found
}

fn text_of(doc: &scraper::Html, css: &str) -> String {
    select(doc, css)
        .iter()
        .map(|e| e.text().collect::<String>())
        .collect::<Vec<_>>()
        .join(" | ")
}

#[test]
fn hostile_strings_reach_every_built_page_as_text() {
    let book = TestBook::built("hostile");
    let site = book.path("book");
    let pages = support::html_files(&site);
    let mut problems = Vec::new();
    for page in &pages {
        let doc = parse(&std::fs::read_to_string(site.join(page)).unwrap());
        for p in injected(&doc) {
            problems.push(format!("{page}: {p}"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");

    // And the text shows literally where the reader reads it.
    let chapter = parse(&book.read("book/chapters/one.html"));
    let title = text_of(&chapter, "title");
    assert!(title.starts_with(&format!("{ATTR} chapter")), "{title}");
    assert!(text_of(&chapter, ".lead").contains(SCRIPT));
    for (css, expected) in [
        (".question-text", format!("Ask {SCRIPT} and click")),
        (".checklist-title", format!("List {SCRIPT}")),
        ("fieldset legend", ATTR.to_owned()),
        (".checklist-items label", format!("Item {SCRIPT} x")),
        (".band", SCRIPT.to_owned()),
        ("figure.data-table caption", format!("Table {SCRIPT}")),
        ("figure.data-table tbody th", ATTR.to_owned()),
        ("figure.data-chart title", format!("Table {SCRIPT}")),
        ("figure.data-chart figcaption", ATTR.to_owned()),
    ] {
        let shown = text_of(&chapter, css);
        assert!(
            shown.contains(&expected),
            "{css}: {shown:?} lacks {expected:?}"
        );
    }
    // Script links became inert; the text of the link stays.
    assert!(
        select(&chapter, "a[href='#']").len() >= 3,
        "javascript: links are neutralised"
    );
    let welcome = parse(&book.read("book/index.html"));
    assert!(text_of(&welcome, "title").contains(SCRIPT));
    assert!(text_of(&welcome, ".prev-next").contains(&format!("Chapter {ATTR}")));
    let description = select(&welcome, "meta[name=description]")[0]
        .value()
        .attr("content")
        .unwrap()
        .to_owned();
    assert_eq!(description, ATTR);
    let sheet = parse(&book.read("book/worksheets/hostile-sheet.html"));
    assert!(text_of(&sheet, ".header-field span").contains(ATTR));
    assert!(text_of(&sheet, ".ws-field span").contains(SCRIPT));
    let compare = parse(&book.read("book/compare.html"));
    assert!(text_of(&compare, ".lead").contains(SCRIPT));
    assert!(text_of(&compare, ".profile-grid label").contains(ATTR));
}

/// Injection checks run inside the page, after its scripts built the sidebar, search results,
/// checklists and sheets from the data files.
const INJECTED_IN_PAGE: &str = r#"JSON.stringify(Array.from(document.querySelectorAll('*')).flatMap(function (e) {
  var found = Array.from(e.attributes).filter(function (a) {
    return a.name.indexOf('on') === 0 || /^\s*javascript:/i.test(a.value);
  }).map(function (a) { return e.tagName + ' ' + a.name + '=' + a.value; });
  if (e.tagName === 'SCRIPT' && !/\.js(\?.*)?$/.test(e.getAttribute('src') || '')) found.push('script ' + e.outerHTML);
  if (e.tagName === 'IMG' && e.getAttribute('src') === 'x') found.push('img ' + e.outerHTML);
  return found;
}))"#;

/// Focuses `css`, sets its value and fires `input`, as typing would.
fn type_into(tab: &Tab, css: &str, text: &str) {
    eval(
        tab,
        &format!(
            "(function () {{ var i = document.querySelector({css:?}); i.focus(); i.value = {text:?}; \
             i.dispatchEvent(new Event('input', {{ bubbles: true }})); return true; }})()"
        ),
    );
}

fn press(tab: &Tab, css: &str) {
    eval(
        tab,
        &format!("document.querySelector({css:?}).click(); true"),
    );
}

fn in_page(tab: &Tab) -> Vec<String> {
    serde_json::from_str(eval(tab, INJECTED_IN_PAGE).as_str().unwrap()).unwrap()
}

/// Counts calls of alert(), the payload every hostile string carries.
const ALERT_TRAP: &str = "window.alerts = 0; window.alert = function () { window.alerts += 1; };";

#[test]
fn hostile_strings_stay_text_in_the_browser() {
    let Some(chrome) = browser::launch_as_reader() else {
        return;
    };
    let book = TestBook::built("hostile");
    let site = book.path("book");
    let watched = Watched::new(&chrome);
    watched.before_scripts(ALERT_TRAP);
    let tab = &watched.tab;
    let mut problems = Vec::new();
    let mut check = |what: &str, tab: &Tab| {
        for p in in_page(tab).into_iter().chain(watched.take_problems()) {
            problems.push(format!("{what}: {p}"));
        }
        if eval(tab, "window.alerts") != 0 {
            problems.push(format!("{what}: alert() ran"));
        }
    };
    for page in support::html_files(&site) {
        watched.goto(&file_url(&site.join(&page)));
        wait_for(tab, "document.readyState === 'complete'");
        check(&page, tab);
    }

    // Search results are built from the hostile index.
    watched.goto(&file_url(&site.join("chapters/one.html")));
    // Input by script: headless Chromium's synthetic mouse input is unreliable here.
    type_into(tab, "#search-input", "alert");
    wait_for(
        tab,
        "document.querySelectorAll('#search-results [role=option]').length > 0",
    );
    let results = eval(tab, "document.querySelector('#search-results').textContent");
    assert!(results.as_str().unwrap().contains("<script>"), "{results}");
    check("search results", tab);
    // The sidebar, from toc.js, shows the hostile chapter title as text.
    let toc = eval(tab, "document.querySelector('#toc').textContent");
    assert!(toc.as_str().unwrap().contains(ATTR), "{toc}");

    // A hostile question on the reader's sheet, a hostile checklist ticked.
    press(tab, "button.add-to-sheet[data-id=q-script]");
    type_into(
        tab,
        "[data-checklist=hostile-list] .program-picker input",
        ATTR,
    );
    press(tab, "[data-checklist=hostile-list] .program-picker button");
    wait_for(
        tab,
        "!document.querySelector('[data-item=item-script]').disabled",
    );
    press(tab, "[data-item=item-script]");
    wait_for(
        tab,
        "document.querySelector('[data-checklist=hostile-list]').getAttribute('data-score') === '1'",
    );
    check("ticking the hostile checklist", tab);
    watched.goto(&file_url(&site.join("my-sheet.html")));
    wait_for(
        tab,
        "document.querySelectorAll('.chosen-questions li').length === 1",
    );
    check("my-sheet.html with a hostile question", tab);
    watched.goto(&file_url(&site.join("compare.html")));
    wait_for(
        tab,
        "document.querySelectorAll('.compare-table tbody tr').length === 1",
    );
    check("compare.html with hostile headings", tab);
    assert!(problems.is_empty(), "{problems:#?}");

    // The in-page check does see an injected element when there is one.
    eval(
        tab,
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=x onerror=alert(1)>'); true",
    );
    assert_eq!(in_page(tab).len(), 2, "the handler and the image");
}

#[test]
fn an_imported_file_with_markup_renders_as_text() {
    let Some(chrome) = browser::launch_as_reader() else {
        return;
    };
    let book = TestBook::built("minimal");
    let watched = Watched::new(&chrome);
    watched.before_scripts(ALERT_TRAP);
    let tab = &watched.tab;
    watched.goto(&file_url(&book.path("book/saved.html")));
    wait_for(tab, "!document.querySelector('.saved-app').hidden");

    let file = json!({
        "format": "guidebook-state", "version": 2, "guide": "minimal-guide",
        "data": {
            "programs": [{"id": "p1", "name": ATTR}, {"id": "p2", "name": SCRIPT}],
            "current-program": "p1",
            "ticks": {"malignancy": {"p1": {
                "mal-fear": {"h": "0", "t": ATTR},
                "mal-gone": {"h": "0", "t": SCRIPT}
            }}},
            "notes": {"malignancy": {"p1": format!("{SCRIPT}{ATTR}")}},
            "profiles": {"p1": {"ratings": {"culture": 3}, "figures": {"trauma-level": ATTR, "annual-volume": "javascript:alert(1)"}}},
            "sheet": {"questions": [
                {"id": "own-1", "own": true, "t": ATTR},
                {"id": "gone-question", "t": SCRIPT}
            ]}
        }
    });
    let import = format!(
        "(function () {{ var dt = new DataTransfer(); dt.items.add(new File([{:?}], 'data.json')); \
         document.querySelector('#import-file').files = dt.files; \
         document.querySelector('input[name=mode][value=replace]').checked = true; \
         document.querySelector('.saved-import button[type=submit]').click(); return true; }})()",
        file.to_string()
    );
    eval(tab, &import);
    wait_for(
        tab,
        "document.querySelector('.saved-message').textContent === 'Imported (replace).'",
    );

    let mut problems = Vec::new();
    let mut visit = |page: &str, ready: &str, shows: &[&str]| {
        watched.goto(&file_url(&book.path(page)));
        wait_for(tab, ready);
        let text = eval(tab, "document.body.textContent");
        for s in shows {
            if !text.as_str().unwrap().contains(s) {
                problems.push(format!("{page} does not show {s:?} as text"));
            }
        }
        for p in in_page(tab).into_iter().chain(watched.take_problems()) {
            problems.push(format!("{page}: {p}"));
        }
        if eval(tab, "window.alerts") != 0 {
            problems.push(format!("{page}: alert() ran"));
        }
    };
    // Program tabs, the orphaned tick's text, the "changed" item.
    visit(
        "book/chapters/alpha-detail.html",
        "document.querySelectorAll('#malignancy .program-tab').length === 2",
        &[ATTR, SCRIPT],
    );
    assert_eq!(
        eval(
            tab,
            "document.querySelector('#malignancy .checklist-notes textarea').value"
        ),
        format!("{SCRIPT}{ATTR}"),
        "notes come back as typed"
    );
    // Own and removed questions, program list, the printed sheets.
    visit(
        "book/my-sheet.html",
        "document.querySelectorAll('.chosen-questions li').length === 2",
        &[ATTR, SCRIPT, &format!("Program: {ATTR}")],
    );
    // Table cells, program list, select options.
    visit(
        "book/compare.html",
        "document.querySelectorAll('.compare-table tbody tr').length === 2",
        &[ATTR, SCRIPT],
    );
    assert_eq!(
        eval(
            tab,
            "document.querySelector('[data-figure=trauma-level]').value"
        ),
        ATTR
    );
    assert!(problems.is_empty(), "{problems:#?}");
}
