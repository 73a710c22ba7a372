//! mdBook's `[output.html]` settings that change the site, on a fixture that uses each one:
//! redirects (with `#fragment` keys), the repository and edit links, `cname`, `default-theme`,
//! `fold`, `mathjax-support` (MathML at build time), an mdBook `theme/` folder, and raw HTML
//! links on print.html. The browser tests follow a fragment redirect and fold the sidebar.

use crate::support::browser::{self, Watched, eval, file_url, wait_for};
use crate::support::{TestBook, parse, select};

fn built() -> (TestBook, String) {
    let book = TestBook::from_fixture("mdbook-settings");
    let run = book.run(&["build"]);
    run.assert_success();
    (book, run.stderr)
}

/// A page from its start to the end of its header: the `<html>` attributes, the head (colour
/// scheme, favicon, scripts, the CSP) and the header links.
fn head_and_header(html: &str) -> &str {
    let end = html.find("<div class=\"layout\">").expect("a page layout");
    &html[..end]
}

#[test]
fn settings_change_the_site_as_in_mdbook() {
    let (book, stderr) = built();
    let part = book.read("book/guide/part.html");
    let doc = parse(&part);
    let footer: Vec<String> = select(&doc, ".chapter-footer")
        .iter()
        .map(|e| e.html())
        .collect();
    let math = parse(&book.read("book/math.html"));
    let math_body = select(&math, ".chapter-body")[0].html();
    let print = book.read("book/print.html");
    let print_part: Vec<&str> = print
        .lines()
        .filter(|l| l.contains("figure") || l.contains("Inline raw HTML"))
        .collect();
    let shown = [
        format!("==> stderr\n{stderr}"),
        format!("==> CNAME\n{}", book.read("book/CNAME")),
        format!("==> old/start.html\n{}", book.read("book/old/start.html")),
        format!("==> gone.html\n{}", book.read("book/gone.html")),
        format!("==> redirects.js\n{}", book.read("book/redirects.js")),
        format!(
            "==> guide/part.html (head and header)\n{}",
            head_and_header(&part)
        ),
        format!("==> guide/part.html (footer)\n{}\n", footer.join("\n")),
        format!("==> math.html (body)\n{math_body}\n"),
        format!(
            "==> print.html (raw HTML of guide/part.md)\n{}\n",
            print_part.join("\n")
        ),
    ];
    insta::with_settings!({filters => vec![(r"in \d+ ms", "in [TIME] ms")]}, {
        insta::assert_snapshot!(shown.join("\n"));
    });
}

#[test]
fn generated_pages_have_no_edit_or_repository_link_and_the_csp_stays() {
    let (book, _) = built();
    let csp = |page: &str| {
        let doc = parse(&book.read(&format!("book/{page}")));
        let meta = select(&doc, "meta[http-equiv=\"Content-Security-Policy\"]");
        meta[0].value().attr("content").unwrap().to_owned()
    };
    let strict = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                  font-src 'self'; connect-src 'self'; form-action 'none'; object-src 'none'; \
                  base-uri 'none'";
    for page in [
        "intro.html",
        "math.html",
        "print.html",
        "contents.html",
        "old/start.html",
    ] {
        assert_eq!(csp(page), strict, "{page}");
    }
    for page in ["print.html", "contents.html", "404.html"] {
        let html = book.read(&format!("book/{page}"));
        assert!(!html.contains("edit-link"), "{page}");
        assert!(!html.contains("repository-link"), "{page}");
    }
}

/// The error lines of a failed build of the fixture with `redirects` added to its redirect
/// table (the last table of its book.toml).
fn redirect_errors(redirects: &str) -> Vec<String> {
    let book = TestBook::from_fixture("mdbook-settings");
    let toml = book.read("book.toml");
    book.write("book.toml", &format!("{toml}{redirects}"));
    let run = book.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.stderr
        .lines()
        .filter(|l| l.contains(": error:"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn redirects_that_would_replace_a_page_or_leave_the_site_are_errors_at_their_key() {
    assert_eq!(
        redirect_errors("\"/intro.html\" = \"elsewhere.html\"\n\"/../up.html\" = \"x.html\"\n"),
        [
            "book.toml:24:1: error: redirect `/../up.html` is not a page inside the site: write it as `/old/page.html`, without `..`"
        ],
    );
    assert_eq!(
        redirect_errors("\"/intro.html\" = \"elsewhere.html\"\n\"/only.html#a\" = \"x.html\"\n"),
        [
            "book.toml:23:1: error: redirect over the existing page `intro.html`: delete the redirect or the page's chapter (a `#fragment` key may still send its old anchors on)",
            "book.toml:24:1: error: `only.html` is not a page of the book and its redirects all name a `#fragment`: add `\"/only.html\" = \"new.html\"` for the page itself",
        ],
    );
}

#[test]
fn unknown_mdbook_theme_names_are_warnings_and_the_system_decides() {
    let book = TestBook::from_fixture("mdbook-settings");
    let toml = book.read("book.toml").replace("\"navy\"", "\"solarized\"");
    book.write("book.toml", &toml);
    let run = book.run(&["build"]);
    run.assert_success();
    assert!(
        run.stderr.contains("book.toml:11:17: warning: `output.html.default-theme` is `solarized`, not one of mdBook's themes light, rust, coal, navy, ayu; pages follow the reader's light or dark setting"),
        "{}",
        run.stderr
    );
    let page = book.read("book/intro.html");
    assert!(page.contains("<meta name=\"color-scheme\" content=\"light dark\">"));
    assert!(page.contains("dark.css\" media=\"(prefers-color-scheme: dark)\">"));
}

#[test]
fn an_old_fragment_goes_to_its_new_place_in_a_browser() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let (book, _) = built();
    let watched = Watched::new(&chrome);
    let site = book.path("book");
    // A redirect page: its own fragment entry, then the page entry keeping the fragment.
    // Not `goto`, which waits for the page itself: the page leaves at once.
    let open = |url: String| {
        watched.tab.navigate_to(&url).unwrap();
    };
    open(format!("{}#moved", file_url(&site.join("old/start.html"))));
    wait_for(
        &watched.tab,
        "location.href.endsWith('/guide/part.html#new-place')",
    );
    open(format!("{}#kept", file_url(&site.join("old/start.html"))));
    wait_for(&watched.tab, "location.href.endsWith('/intro.html#kept')");
    // A page that still exists: an old anchor listed in redirects.js moves on, others stay.
    watched.goto(&file_url(&site.join("math.html")));
    open(format!("{}#old-anchor", file_url(&site.join("intro.html"))));
    let moved = "location.href.endsWith('/guide/part.html#new-place')";
    wait_for(&watched.tab, moved);
    // ... and when the reader follows one within the page.
    watched.goto(&file_url(&site.join("intro.html")));
    eval(&watched.tab, "location.hash = '#old-anchor'");
    wait_for(&watched.tab, moved);
    let problems = watched.take_problems();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn fold_opens_sections_to_the_level_and_toggles_in_a_browser() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let (book, _) = built();
    let watched = Watched::new(&chrome);
    watched.goto(&file_url(&book.path("book/math.html")));
    let tab = &watched.tab;
    wait_for(tab, "document.querySelectorAll('.toc-fold').length === 2");
    let state = "Array.from(document.querySelectorAll('.toc-fold')).map(b => \
                 b.getAttribute('aria-expanded') + ':' + b.parentNode.textContent).join(' ')";
    // Level 1: the top-level Guide is open, its Part (level 2) folded.
    assert_eq!(eval(tab, state), "true:1.Guide false:1.1.Part");
    let hidden = "Array.from(document.querySelectorAll('.toc a'))\
                  .find(a => a.textContent.endsWith('Detail')).getClientRects().length === 0";
    assert_eq!(eval(tab, hidden), true);
    eval(tab, "document.querySelectorAll('.toc-fold')[1].click()");
    assert_eq!(eval(tab, state), "true:1.Guide true:1.1.Part");
    assert_eq!(eval(tab, hidden), false);
    // The current page's sections are open whatever the level.
    watched.goto(&file_url(&book.path("book/guide/detail.html")));
    wait_for(tab, "document.querySelectorAll('.toc-fold').length === 2");
    assert_eq!(eval(tab, state), "true:1.Guide true:1.1.Part");
    let problems = watched.take_problems();
    assert!(problems.is_empty(), "{problems:#?}");
}
