//! Search in a real browser, over http and from file://, on the minimal fixture with the
//! chapters and question banks of tests/fixtures/search laid over it.

use crate::support::browser::{self, Chrome, file_url, open, wait_for};
use crate::support::{self, TestBook};
use headless_chrome::Tab;
use serde_json::Value;

/// The minimal fixture with tests/fixtures/search over it, built.
fn built() -> TestBook {
    let book = TestBook::from_fixture("minimal");
    book.overlay("search");
    book.run(&["build"]).assert_success();
    book
}

/// Results of `GuidebookSearch.query(text)` as (kind, title, url).
fn search(tab: &Tab, text: &str) -> Vec<(String, String, String)> {
    let js = format!(
        "GuidebookSearch.query({text:?}).then(r => JSON.stringify(r.map(x => [x.kind, x.title, x.url])))"
    );
    let value = tab
        .evaluate(&js, true)
        .unwrap()
        .value
        .unwrap_or(Value::Null);
    serde_json::from_str(value.as_str().unwrap()).unwrap()
}

fn first_of(results: &[(String, String, String)], kind: &str) -> Option<(String, String)> {
    results
        .iter()
        .find(|r| r.0 == kind)
        .map(|r| (r.1.clone(), r.2.clone()))
}

fn check_queries(chrome: &Chrome, url: &str) {
    let tab = open(chrome, url);
    wait_for(&tab, "!!window.GuidebookSearch");
    // Time to the first result, index shards loaded on demand (reported, not asserted).
    let first = tab
        .evaluate("(async () => { const t = performance.now(); await GuidebookSearch.query('visa'); return performance.now() - t; })()", true)
        .unwrap()
        .value
        .unwrap_or(Value::Null);
    eprintln!("time to first result at {url}: {first} ms");

    let esir = search(&tab, "ESIR");
    let (_, url) = first_of(&esir, "chapter").expect("ESIR finds a chapter");
    assert!(
        url.starts_with("chapters/pathways.html"),
        "ESIR should find the pathway chapter first, got {url}"
    );

    let home_call = search(&tab, "home call");
    let (title, url) = first_of(&home_call, "question").expect("home call finds a question");
    assert!(
        url.starts_with("questions/residents.html#"),
        "{title} {url}"
    );
    assert!(title.to_lowercase().contains("home call"), "{title}");

    let visa = search(&tab, "visa");
    let questions: Vec<&String> = visa
        .iter()
        .filter(|r| r.0 == "question")
        .map(|r| &r.2)
        .collect();
    assert!(
        questions
            .iter()
            .any(|u| u.starts_with("questions/program-director.html#")),
        "{questions:?}"
    );
    assert!(
        questions
            .iter()
            .any(|u| u.starts_with("questions/coordinator.html#")),
        "{questions:?}"
    );

    // One typo in a longer word still finds its page.
    let typo = search(&tab, "malignnat");
    assert!(
        typo.iter()
            .any(|r| r.2.starts_with("chapters/malignant-programs.html")),
        "{typo:?}"
    );
    // Prefixes match as you type.
    let prefix = search(&tab, "fellowsh");
    assert!(!prefix.is_empty());
}

#[test]
fn search_finds_chapters_questions_and_survives_typos_from_file_and_http() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let book = built();
    let site = book.path("book");
    check_queries(&chrome, &file_url(&site.join("chapters/beta.html")));
    let base = support::http::serve(&site);
    check_queries(&chrome, &format!("{base}index.html"));
}

#[test]
fn the_search_box_is_a_keyboard_operable_combobox() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let book = built();
    let site = book.path("book");
    let tab = open(&chrome, &file_url(&site.join("index.html")));
    wait_for(&tab, "!document.getElementById('search-input').hidden");
    assert_eq!(
        browser::eval(
            &tab,
            "document.querySelectorAll('script[src*=\"search/\"]').length"
        ),
        0,
        "the index loads lazily, not with the page"
    );
    tab.press_key("/").unwrap();
    wait_for(&tab, "document.activeElement.id === 'search-input'");
    tab.type_str("home call").unwrap();
    wait_for(
        &tab,
        "document.querySelectorAll('#search-results [role=option]').length > 0",
    );
    assert_eq!(
        browser::eval(
            &tab,
            "document.getElementById('search-input').getAttribute('aria-expanded')"
        ),
        "true"
    );
    assert!(
        browser::eval(
            &tab,
            "document.querySelectorAll('#search-results mark').length > 0"
        ) == Value::Bool(true),
        "matched words are highlighted"
    );
    tab.press_key("ArrowDown").unwrap();
    let active = browser::eval(
        &tab,
        "document.getElementById('search-input').getAttribute('aria-activedescendant')",
    );
    assert_eq!(active, "search-option-0");
    let target = browser::eval(
        &tab,
        "document.getElementById('search-option-0').getAttribute('data-url')",
    );
    tab.press_key("Enter").unwrap();
    let expected = target
        .as_str()
        .unwrap()
        .split('#')
        .next()
        .unwrap()
        .to_owned();
    wait_for(&tab, &format!("location.pathname.endsWith({expected:?})"));
}

/// Texts the build's tokenizer and the browser's must split alike.
const PARITY_TEXTS: &[&str] = &[
    "How is IR different from DR? Visa-free, Step 2 CK",
    "Café, naïve résumé; São Paulo — Zürich, Ærø, Łódź",
    "cafe\u{301} decomposed, n\u{303}andu",
    "Ординатура по интервенционной радиологии: ВОПРОСЫ",
    "ΟΔΟΣ Σίσυφος ΑΣ.Β ὁδός",
    "放射科の研修プログラム、IR研修。",
    "인터벤션 영상의학과",
    "हिन्दी में प्रश्न; العربية",
    "USMLE 2024-25, 3.5%, 1st/2nd ½ ² Ⅻ; e-mail: a@b.c #1",
    "well-known co-op x-ray non‑breaking–dash",
    "İstanbul ǅemal Straße ﬁnal",
    "",
    "  --- ... ",
];

/// The site's search.js, with dom.js before it and the index metadata after, in a bare node
/// context: the words it finds in each of `texts`.
fn browser_tokens(site: &std::path::Path, texts: &[&str]) -> Option<Vec<Vec<String>>> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    const SCRIPT: &str = r#"
const fs = require("fs"), vm = require("vm");
const texts = JSON.parse(fs.readFileSync(0, "utf8"));
const document = { documentElement: { getAttribute: () => "" }, readyState: "complete",
  getElementById: () => null, addEventListener() {} };
const sandbox = { document };
sandbox.window = sandbox;
vm.createContext(sandbox);
for (const f of ["assets/js/dom.js", "assets/js/search.js", "search/meta.js"]) {
  vm.runInContext(fs.readFileSync(process.argv[1] + "/" + f, "utf8"), sandbox, { filename: f });
}
process.stdout.write(JSON.stringify(texts.map((t) => sandbox.GuidebookSearch.tokens(t))));
"#;
    let mut child = match Command::new("node")
        .args(["-e", SCRIPT])
        .arg(site)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => {
            eprintln!("skipping: node not available ({e})");
            return None;
        }
    };
    let input = serde_json::to_vec(texts).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "node failed");
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

#[test]
fn the_browser_splits_words_exactly_as_the_index_does() {
    let book = built();
    let Some(js) = browser_tokens(&book.path("book"), PARITY_TEXTS) else {
        return;
    };
    let rust: Vec<Vec<String>> = PARITY_TEXTS
        .iter()
        .map(|t| guidebook::search::tokens(t).collect())
        .collect();
    assert_eq!(js, rust);
    // Nothing non-Latin is lost, and ideographs are words of their own.
    assert_eq!(rust[3][0], "ординатура");
    assert_eq!(rust[4][0], "οδος");
    assert_eq!(rust[5][..3], ["放", "射", "科"]);
}
