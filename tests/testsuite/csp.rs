//! Content-Security-Policy: every page the build writes carries a strict policy (no inline
//! script or style, no eval, nothing from another host), and a book using every feature runs
//! under it with zero violations in Chromium, from disk and from `guidebook serve`, while a
//! reader ticks, searches, builds a sheet and compares programs.

use std::path::Path;

use crate::support::browser::{self, Watched, eval, file_url, wait_for};
use crate::support::{self, TestBook, dev_server, parse, repo_root, select};

const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'none'; object-src 'none'; base-uri 'none'";

/// The minimal fixture (every engine feature on a few pages), built without its site-url, so
/// its 404 page carries the same policy as every other page (with a site-url it may add a
/// `<base>`: `a_404_with_site_url_may_use_its_base_and_nothing_else`).
fn built_minimal() -> TestBook {
    let book = TestBook::from_fixture("minimal");
    let config = book.read("book.toml");
    let without_site_url: String = config
        .lines()
        .filter(|line| !line.starts_with("site-url"))
        .map(|line| format!("{line}\n"))
        .collect();
    book.write("book.toml", &without_site_url);
    book.run(&["build"]).assert_success();
    book
}

/// The policy in `page`'s `<meta>`.
fn csp_of(page: &str) -> String {
    let doc = parse(page);
    select(&doc, "meta[http-equiv='Content-Security-Policy']")[0]
        .value()
        .attr("content")
        .unwrap()
        .to_owned()
}

/// Everything in `page` that a strict policy would block: inline scripts, `<style>`, style
/// and event-handler attributes, `javascript:` URLs.
fn inline_code(html: &str) -> Vec<String> {
    let doc = parse(html);
    let mut found = Vec::new();
    for s in select(&doc, "script:not([src])") {
        found.push(format!("inline <script>: {}", s.html()));
    }
    for s in select(&doc, "style, [style]") {
        found.push(format!("inline style: {}", s.html()));
    }
    for el in select(&doc, "*") {
        for (name, value) in el.value().attrs() {
            if name.starts_with("on") {
                found.push(format!("handler attribute {name}={value:?}"));
            }
            if matches!(name, "href" | "src" | "action" | "formaction")
                && value.trim().to_ascii_lowercase().starts_with("javascript:")
            {
                found.push(format!("script URL {name}={value:?}"));
            }
        }
    }
    found
}

#[test]
fn every_page_declares_the_policy_before_anything_it_governs() {
    let book = built_minimal();
    let site = book.path("book");
    let pages = support::html_files(&site);
    assert!(pages.len() >= 15, "the fixture has {} pages", pages.len());
    let mut problems = Vec::new();
    for page in &pages {
        let html = std::fs::read_to_string(site.join(page)).unwrap();
        let doc = parse(&html);
        let metas = select(&doc, "head meta[http-equiv='Content-Security-Policy']");
        if metas.len() != 1 || metas[0].value().attr("content") != Some(POLICY) {
            problems.push(format!("{page}: no (or a different) policy"));
        }
        // A <meta> policy governs only what comes after it.
        let meta_at = html.find("Content-Security-Policy").unwrap_or(usize::MAX);
        let first_asset = ["<script", "<link", "<style"]
            .iter()
            .filter_map(|t| html.find(t))
            .min()
            .unwrap_or(usize::MAX);
        if meta_at > first_asset {
            problems.push(format!(
                "{page}: the policy comes after a script or stylesheet"
            ));
        }
        for p in inline_code(&html) {
            problems.push(format!("{page}: {p}"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_404_with_site_url_may_use_its_base_and_nothing_else() {
    // The minimal fixture sets site-url = "https://example.org/guide/".
    let book = TestBook::built("minimal");
    let page = book.read("book/404.html");
    let doc = parse(&page);
    let policy = csp_of(&page);
    assert!(
        policy.ends_with("; base-uri https://example.org"),
        "{policy}"
    );
    assert_eq!(
        select(&doc, "base[href='https://example.org/guide/']").len(),
        1
    );
}

#[test]
fn the_preview_server_sends_the_policy_as_a_header_too() {
    let book = TestBook::from_fixture("minimal");
    let server = dev_server::serve(&book);
    for path in [
        "/index.html",
        "/no-such-page.html",
        "/assets/js/livereload.js",
    ] {
        let (_, head, _) = dev_server::get(server.port, path);
        assert!(
            head.contains(
                "content-security-policy: default-src 'none'; script-src 'self'; style-src 'self';"
            ) && head.contains("frame-ancestors 'none'"),
            "{path}: {head}"
        );
    }
}

/// Proves the watcher works: a page with an inline script, an inline style and an eval call
/// must be reported, three times over.
#[test]
fn the_violation_watcher_reports_inline_code() {
    let Some(chrome) = browser::launch_as_reader() else {
        return;
    };
    let book = built_minimal();
    let page = book.read("book/chapters/beta.html").replace(
        "</body>",
        "<script>window.inlineRan = true;</script><p style=\"color: red\">x</p>\
         <script src=\"../eval-probe.js\"></script></body>",
    );
    book.write("book/chapters/beta-probe.html", &page);
    book.write(
        "book/eval-probe.js",
        "try { eval('window.evalRan = true'); } catch (e) { window.evalRefused = true; }",
    );
    let watched = Watched::new(&chrome);
    watched.goto(&file_url(&book.path("book/chapters/beta-probe.html")));
    wait_for(&watched.tab, "window.evalRefused === true");
    assert_eq!(eval(&watched.tab, "window.inlineRan === undefined"), true);
    let problems = watched.take_problems();
    for directive in ["script-src-elem", "style-src-attr", "script-src"] {
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with(&format!("{directive} blocked"))),
            "{directive} not reported: {problems:#?}"
        );
    }
    assert!(
        problems.iter().any(|p| p.starts_with("console: ")),
        "the console report is watched too: {problems:#?}"
    );
    // The guide's own scripts still ran.
    assert_eq!(eval(&watched.tab, "!!window.GuidebookStore"), true);
}

/// Visits every page, then uses each interactive part; returns every problem with its page.
fn exercise(watched: &Watched, site: &Path, url: &dyn Fn(&str) -> String) -> Vec<String> {
    let mut problems = Vec::new();
    let mut check = |what: &str| {
        for p in watched.take_problems() {
            problems.push(format!("{what}: {p}"));
        }
    };
    let pages = support::html_files(site);
    for page in &pages {
        watched.goto(&url(page));
        wait_for(&watched.tab, "document.readyState === 'complete'");
        check(page);
    }

    // Pages to exercise, found in the build itself so the test follows the guide's content.
    let find = |css: &str| {
        pages
            .iter()
            .find(|p| {
                let html = std::fs::read_to_string(site.join(p)).unwrap();
                !select(&parse(&html), css).is_empty()
            })
            .unwrap_or_else(|| panic!("no page has {css}"))
            .clone()
    };
    let tab = &watched.tab;

    let page = find("section.checklist[data-scope=per-program]");
    watched.goto(&url(&page));
    let list = "section.checklist[data-scope=per-program]";
    tab.wait_for_element(&format!("{list} .program-picker input"))
        .unwrap()
        .click()
        .unwrap();
    tab.type_str("Lakeside").unwrap();
    browser::click(tab, &format!("{list} .program-picker button"));
    wait_for(
        tab,
        &format!("!document.querySelector('{list} .checklist-items input').disabled"),
    );
    browser::click(tab, &format!("{list} .checklist-items input"));
    wait_for(
        tab,
        &format!("document.querySelector('{list}').getAttribute('data-score') !== '0'"),
    );
    tab.wait_for_element(&format!("{list} .checklist-notes textarea"))
        .unwrap()
        .click()
        .unwrap();
    tab.type_str("Call looked heavy").unwrap();
    check(&format!("{page} (ticking a checklist)"));

    tab.wait_for_element("#search-input")
        .unwrap()
        .click()
        .unwrap();
    tab.type_str("home call").unwrap();
    wait_for(
        tab,
        "document.querySelectorAll('#search-results [role=option]').length > 0",
    );
    check(&format!("{page} (searching)"));

    let page = find("button.add-to-sheet");
    watched.goto(&url(&page));
    browser::click(tab, "button.add-to-sheet");
    wait_for(
        tab,
        "document.querySelector('button.add-to-sheet').getAttribute('aria-pressed') === 'true'",
    );
    check(&format!("{page} (adding to the sheet)"));

    watched.goto(&url("my-sheet.html"));
    wait_for(
        tab,
        "document.querySelectorAll('.chosen-questions li').length === 1",
    );
    tab.wait_for_element("#own-question")
        .unwrap()
        .click()
        .unwrap();
    tab.type_str("Where do residents live?").unwrap();
    browser::click(tab, ".add-own button");
    wait_for(
        tab,
        "document.querySelectorAll('.chosen-questions li').length === 2",
    );
    browser::click(tab, ".chosen-questions .move-up:not([disabled])");
    check("my-sheet.html (editing the sheet)");

    watched.goto(&url("compare.html"));
    wait_for(
        tab,
        "document.querySelectorAll('.compare-table tbody tr').length === 1",
    );
    browser::click(tab, ".sort-button");
    if let Ok(figure) = tab.wait_for_element("[data-figure]") {
        figure.click().unwrap();
        tab.type_str("12").unwrap();
    }
    check("compare.html (sorting and recording)");

    watched.goto(&url("saved.html"));
    wait_for(tab, "!document.querySelector('.saved-app').hidden");
    eval(
        tab,
        "(function () { var dt = new DataTransfer(); \
         dt.items.add(new File([JSON.stringify(GuidebookStore.exportAll())], 'd.json')); \
         document.querySelector('#import-file').files = dt.files; \
         document.querySelector('.saved-import button[type=submit]').click(); return true; })()",
    );
    wait_for(
        tab,
        "document.querySelector('.saved-message').textContent === 'Imported (merge).'",
    );
    check("saved.html (importing)");
    problems
}

#[test]
fn a_book_runs_without_violations_from_disk_and_from_the_preview_server() {
    let Some(chrome) = browser::launch_as_reader() else {
        return;
    };
    let book = built_minimal();
    let site = book.path("book");
    let pages = support::html_files(&site).len();

    let watched = Watched::new(&chrome);
    let mut problems = exercise(&watched, &site, &|p| file_url(&site.join(p)));

    // A second browser profile, so the server's pages start with empty storage too; the
    // first browser is closed so the two do not compete.
    drop(watched);
    drop(chrome);
    let Some(chrome) = browser::launch_as_reader() else {
        return;
    };
    let server = dev_server::serve(&book);
    let watched = Watched::new(&chrome);
    problems.extend(exercise(&watched, &site, &|p| server.url(p)));
    // Live reload connected under the policy (connect-src), and the 404 page is clean too.
    wait_for(
        &watched.tab,
        "window.GuidebookLiveReload && window.GuidebookLiveReload.lastBuild() !== null",
    );
    watched.goto(&server.url("no-such-page.html"));
    for p in watched.take_problems() {
        problems.push(format!("404 over http: {p}"));
    }
    assert!(
        problems.is_empty(),
        "{} CSP problems over {pages} pages x 2 origins:\n{problems:#?}",
        problems.len()
    );
    eprintln!("checked {pages} pages from file:// and from guidebook serve: 0 CSP violations");
}

/// A book that brings its own scripts (mermaid, KaTeX) may style what they draw: its pages
/// allow inline styles, and only those. The script here draws an SVG with a `<style>`
/// element, as mermaid does; under the default policy the rule would be blocked.
#[test]
fn a_books_own_script_may_style_what_it_draws() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let book = TestBook::empty();
    book.write(
        "book.toml",
        "[book]\ntitle = \"Drawn\"\n[output.html]\nadditional-js = [\"draw.js\"]\n",
    );
    book.write("src/SUMMARY.md", "- [Diagram](diagram.md)\n");
    book.write(
        "src/diagram.md",
        "# Diagram\n\n<pre class=\"diagram\">A-->B</pre>\n",
    );
    book.write(
        "draw.js",
        r##"document.addEventListener("DOMContentLoaded", function () {
  var ns = "http://www.w3.org/2000/svg";
  var svg = document.createElementNS(ns, "svg");
  var style = document.createElementNS(ns, "style");
  style.textContent = "#drawn { fill: rgb(1, 2, 3); }";
  var box = document.createElementNS(ns, "rect");
  box.setAttribute("id", "drawn");
  box.setAttribute("width", "10");
  box.setAttribute("height", "10");
  svg.appendChild(style);
  svg.appendChild(box);
  document.querySelector("pre.diagram").replaceChildren(svg);
});
"##,
    );
    book.run(&["build"]).assert_success();

    let page = book.read("book/diagram.html");
    let policy = csp_of(&page);
    assert_eq!(
        policy,
        POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
        "only styles are widened"
    );
    let tab = browser::open(&chrome, &file_url(&book.path("book/diagram.html")));
    wait_for(&tab, "document.getElementById('drawn') !== null");
    let fill = eval(
        &tab,
        "getComputedStyle(document.getElementById('drawn')).fill",
    );
    assert_eq!(fill, "rgb(1, 2, 3)");
}

/// The theme's scripts build markup from nodes and text, never from strings: no `innerHTML`
/// and friends (the route by which data becomes markup), and nothing the policy would refuse
/// at run time (`eval`, `new Function`, timers given a string).
#[test]
fn theme_scripts_never_parse_strings_as_markup_or_code() {
    let forbidden = [
        ".innerHTML",
        ".outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
        "setTimeout(\"",
        "setInterval(\"",
        ".style.cssText",
        "setAttribute(\"style\"",
        "setAttribute(\"on",
    ];
    let mut problems = Vec::new();
    for entry in std::fs::read_dir(repo_root().join("themes/default/js")).unwrap() {
        let path = entry.unwrap().path();
        let source = std::fs::read_to_string(&path).unwrap();
        for f in forbidden {
            if source.contains(f) {
                problems.push(format!("{}: {f}", path.display()));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
