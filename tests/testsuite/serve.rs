//! `guidebook serve` end to end: the server starts on a free port, every save rebuilds and
//! announces the build over Server-Sent Events, errors are announced while the last good site
//! stays served, and request paths cannot leave the site.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use crate::support;
use crate::support::TestBook;
use crate::support::browser::{self, eval, open, wait_for};
use crate::support::dev_server::{serve, serve_with};
use serde_json::Value;

/// A raw HTTP/1.1 GET: (status, body).
fn get(port: u16, path: &str) -> (u16, String) {
    let (status, _, body) = support::dev_server::get(port, path);
    (status, body)
}

/// Build events as they arrive on the SSE endpoint.
fn events(port: u16) -> Receiver<Value> {
    let (tx, rx) = channel();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET /__guidebook/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { return };
            if let Some(data) = line.strip_prefix("data: ")
                && let Ok(event) = serde_json::from_str(data)
                && tx.send(event).is_err()
            {
                return;
            }
        }
    });
    rx
}

/// The next event after build `after`.
fn next_event(rx: &Receiver<Value>, after: u64) -> Value {
    loop {
        let event = rx
            .recv_timeout(Duration::from_secs(15))
            .unwrap_or_else(|_| panic!("no build event after {after} within 15 s"));
        if event["id"].as_u64().unwrap() > after {
            return event;
        }
    }
}

#[test]
fn saves_rebuild_and_announce_errors_while_the_last_good_site_stays() {
    let book = TestBook::from_fixture("minimal");
    let server = serve(&book);
    let rx = events(server.port);
    let first = next_event(&rx, 0);
    assert_eq!(first["ok"], true);
    let (status, page) = get(server.port, "/chapters/beta.html");
    assert_eq!(status, 200);
    assert!(
        page.contains("assets/js/livereload.js"),
        "serve pages carry the reload client"
    );

    // Edit a chapter: a new build is announced, and the page has the change.
    book.write(
        "content/chapters/beta.md",
        &format!(
            "{}\nFreshly saved paragraph.\n",
            book.read("content/chapters/beta.md")
        ),
    );
    let edited = next_event(&rx, first["id"].as_u64().unwrap());
    assert_eq!(edited["ok"], true);
    assert!(
        get(server.port, "/chapters/beta.html")
            .1
            .contains("Freshly saved paragraph.")
    );

    // Break a question bank: the error is announced with its location; the old page stays.
    let bank = book.read("content/questions/residents.yaml");
    book.write(
        "content/questions/residents.yaml",
        &bank.replace("    follow_ups:", "    follw_ups:"),
    );
    let broken = next_event(&rx, edited["id"].as_u64().unwrap());
    assert_eq!(broken["ok"], false);
    let errors = broken["errors"][0].as_str().unwrap();
    assert!(
        errors.starts_with("content/questions/residents.yaml:14:5: error: questions[0]: unknown field \"follw_ups\", did you mean \"follow_ups\"?"),
        "{errors}"
    );
    let (status, page) = get(server.port, "/chapters/beta.html");
    assert_eq!(status, 200);
    assert!(
        page.contains("Freshly saved paragraph."),
        "the last good build is still served"
    );

    // Fix it: the next good build clears the error.
    book.write("content/questions/residents.yaml", &bank);
    let fixed = next_event(&rx, broken["id"].as_u64().unwrap());
    assert_eq!(fixed["ok"], true);

    // A CSS-only change is announced as such (browsers swap stylesheets without reloading).
    book.write(
        "themes/default/css/variables.css",
        ":root { --accent: #123456; }\n",
    );
    // Creating the file and writing it can arrive as two saves; each is CSS-only, and the
    // last serves the new colour.
    let mut after = fixed["id"].as_u64().unwrap();
    let mut served = false;
    for _ in 0..3 {
        let css = next_event(&rx, after);
        assert_eq!(css["css_only"], true, "{css}");
        after = css["id"].as_u64().unwrap();
        if get(server.port, "/assets/css/variables.css")
            .1
            .contains("#123456")
        {
            served = true;
            break;
        }
    }
    assert!(served, "the new stylesheet is served");

    // Files that are not inputs (editor temporaries, the output directory) do not rebuild.
    book.write("content/chapters/.beta.md.swp", "x");
    book.write("book/stray.html", "x");
    assert!(
        rx.recv_timeout(Duration::from_millis(800)).is_err(),
        "no rebuild for temporaries"
    );
}

#[test]
fn request_paths_cannot_leave_the_site() {
    let book = TestBook::from_fixture("minimal");
    book.write("secret.txt", "top secret");
    let server = serve(&book);
    for (path, allowed) in [
        ("/../secret.txt", &[400][..]),
        ("/chapters/../../secret.txt", &[400]),
        ("/%2e%2e/secret.txt", &[400]),
        ("/%2E%2E%2Fsecret.txt", &[400]),
        ("/..%5Csecret.txt", &[400]),
        ("//etc/passwd", &[404]),
        ("/book.toml", &[404]),
        ("/secret.txt", &[404]),
    ] {
        let (status, body) = get(server.port, path);
        assert!(allowed.contains(&status), "{path}: {status}");
        assert!(
            !body.contains("top secret") && !body.contains("root:"),
            "{path} leaked a file"
        );
    }
    let (status, body) = get(server.port, "/no/such/page.html");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"), "the 404 page is served");
    let (status, _) = get(server.port, "/questions/");
    assert_eq!(status, 200, "a directory serves its index.html");
}

#[test]
fn the_browser_reloads_after_a_save_and_shows_errors_over_the_last_good_page() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let book = TestBook::from_fixture("minimal");
    let server = serve(&book);
    let tab = open(
        &chrome,
        &format!(
            "http://127.0.0.1:{}/chapters/alpha-detail.html",
            server.port
        ),
    );
    wait_for(
        &tab,
        "window.GuidebookLiveReload && window.GuidebookLiveReload.lastBuild() !== null",
    );
    // State the reader saved must survive reloads.
    eval(
        &tab,
        "document.querySelector('#task-task-flights').click(); true",
    );
    eval(
        &tab,
        "window.scrollTo(0, 200); window.reloadMarker = 1; true",
    );

    book.write(
        "content/chapters/alpha-detail.md",
        &format!(
            "{}\nA sentence added while the page was open.\n",
            book.read("content/chapters/alpha-detail.md")
        ),
    );
    wait_for(
        &tab,
        "document.body.textContent.includes('A sentence added while the page was open.')",
    );
    assert_eq!(
        eval(&tab, "window.reloadMarker === undefined"),
        true,
        "the page reloaded"
    );
    // Ticks survive reloads. The text is there as soon as the page is parsed, the tick only
    // once checklists.js has read the saved state: wait for the tick itself.
    wait_for(
        &tab,
        "document.querySelector('#task-task-flights').checked === true",
    );

    let bank = book.read("content/questions/residents.yaml");
    book.write(
        "content/questions/residents.yaml",
        &bank.replace("    follow_ups:", "    follw_ups:"),
    );
    wait_for(&tab, "!!document.getElementById('guidebook-build-errors')");
    let overlay = eval(
        &tab,
        "document.getElementById('guidebook-build-errors').textContent",
    );
    assert!(
        overlay
            .as_str()
            .unwrap()
            .contains("content/questions/residents.yaml:14:5"),
        "{overlay}"
    );
    assert_eq!(
        eval(
            &tab,
            "document.body.textContent.includes('A sentence added while the page was open.')"
        ),
        true
    );

    book.write("content/questions/residents.yaml", &bank);
    wait_for(&tab, "!document.getElementById('guidebook-build-errors')");
}

#[test]
fn a_page_left_behind_closes_its_event_stream() {
    // Browsers open six connections per host: pages kept in the back-forward cache with their
    // streams open made every later page load of the preview wait.
    let Some(chrome) = browser::launch() else {
        return;
    };
    let book = TestBook::from_fixture("minimal");
    let server = serve(&book);
    let tab = open(&chrome, &server.url("chapters/alpha.html"));
    wait_for(
        &tab,
        "window.GuidebookLiveReload && GuidebookLiveReload.connected()",
    );
    eval(
        &tab,
        "window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true })); true",
    );
    assert_eq!(
        eval(&tab, "GuidebookLiveReload.connected()"),
        Value::Bool(false)
    );
    eval(
        &tab,
        "window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })); true",
    );
    assert_eq!(
        eval(&tab, "GuidebookLiveReload.connected()"),
        Value::Bool(true)
    );
    // Ten pages in a row load over the server (each would have waited on a free connection).
    for page in [
        "chapters/alpha.html",
        "chapters/beta.html",
        "welcome.html",
        "glossary.html",
    ]
    .iter()
    .cycle()
    .take(10)
    {
        browser::goto(&tab, &server.url(page));
        wait_for(&tab, "GuidebookLiveReload.connected()");
    }
}

#[test]
fn polling_mode_rebuilds_too() {
    let book = TestBook::from_fixture("minimal");
    let server = serve_with(&book, &["--poll"]);
    let rx = events(server.port);
    let first = next_event(&rx, 0);
    book.write(
        "content/chapters/beta.md",
        &format!(
            "{}\nSeen by polling.\n",
            book.read("content/chapters/beta.md")
        ),
    );
    assert_eq!(next_event(&rx, first["id"].as_u64().unwrap())["ok"], true);
    assert!(
        get(server.port, "/chapters/beta.html")
            .1
            .contains("Seen by polling.")
    );
}

const BANK: &str = "content/questions/residents.yaml";
const UNKNOWN_FIELD: &str = "content/questions/residents.yaml:14:5: error: questions[0]: unknown field \"follw_ups\", did you mean \"follow_ups\"?";

/// Misspells a field of the minimal book's question bank, so the book does not build; returns
/// the bank as it was.
fn break_bank(book: &TestBook) -> String {
    let bank = book.read(BANK);
    book.write(BANK, &bank.replace("    follow_ups:", "    follw_ups:"));
    bank
}

fn error_strings(event: &Value) -> Vec<String> {
    event["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap().to_owned())
        .collect()
}

/// The page every page path gets before a build has succeeded.
fn error_page(errors: &[String]) -> String {
    let errors: String = errors
        .iter()
        .map(|e| format!("<pre>{}</pre>\n", e.replace('"', "&quot;")))
        .collect();
    format!(
        r#"<!DOCTYPE html>
<html lang="en" data-root="/" data-guidebook-error-page="">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>The book does not build yet</title>
<link rel="stylesheet" href="/assets/css/build-errors.css" data-guidebook-build-errors="">
<script src="/assets/js/livereload.js" defer></script>
</head>
<body class="guidebook-error-page">
<main>
<h1>The book does not build yet</h1>
<p>guidebook serve has no page to show until the book builds.</p>
</main>
<aside id="guidebook-build-errors" aria-label="Build errors">
<div role="alert">
<p class="build-errors-title">{NO_BUILD_YET}</p>
{errors}</div>
</aside>
</body>
</html>
"#
    )
}

const NO_BUILD_YET: &str = "No build has succeeded yet. Fix the errors and save: this page reloads by itself once the book builds.";
const LAST_GOOD: &str = "The last save did not build. This page is the last good build.";

#[test]
fn a_book_that_never_built_answers_every_page_with_its_errors() {
    let book = TestBook::from_fixture("minimal");
    let bank = break_bank(&book);
    let server = serve(&book);
    let port = server.port;
    let rx = events(port);
    let first = next_event(&rx, 0);
    assert_eq!(
        (&first["ok"], &first["has_good_build"]),
        (&false.into(), &false.into())
    );
    let errors = error_strings(&first);
    assert!(errors[0].starts_with(UNKNOWN_FIELD), "{errors:?}");

    let page = error_page(&errors);
    for path in [
        "/",
        "/chapters/beta.html",
        "/questions/",
        "/glossary",
        "/no/such/page.html",
    ] {
        let (status, head, body) = support::dev_server::get(port, path);
        assert_eq!(status, 503, "{path}");
        assert!(
            head.contains("content-type: text/html; charset=utf-8"),
            "{head}"
        );
        assert!(
            head.contains("content-security-policy: default-src 'none'"),
            "{head}"
        );
        assert_eq!(body, page, "{path}");
    }
    // The page's client and stylesheet come with the server; nothing else exists yet.
    let theme = support::repo_root().join("themes/default");
    for (path, file) in [
        ("/assets/js/livereload.js", "js/livereload.js"),
        ("/assets/css/build-errors.css", "css/build-errors.css"),
    ] {
        let expected = std::fs::read_to_string(theme.join(file)).unwrap();
        assert_eq!(get(port, path), (200, expected), "{path}");
    }
    assert_eq!(
        get(port, "/assets/css/base.css"),
        (404, "not found: no build has succeeded yet\n".to_owned())
    );
    server.wait_for_log(
        "the first build failed with 1 error; until a save makes the book build, every page of the preview shows the errors",
    );

    // Another save that does not build: still no claim of a last good build.
    book.write(
        "content/chapters/beta.md",
        &format!("{}\nStill broken.\n", book.read("content/chapters/beta.md")),
    );
    let second = next_event(&rx, 1);
    assert_eq!(
        (&second["ok"], &second["has_good_build"]),
        (&false.into(), &false.into())
    );
    server.wait_for_log(
        "failed with 1 error; no build has succeeded yet, so every page shows the errors",
    );
    assert_eq!(support::dev_server::get(port, "/").0, 503);
    let log = server.log();
    assert!(
        !log.iter().any(|l| l.contains("last good build")),
        "{}",
        log.join("")
    );

    // The book builds: its pages are served. It breaks again: now the last good build stays.
    book.write(BANK, &bank);
    let fixed = next_event(&rx, second["id"].as_u64().unwrap());
    assert_eq!(fixed["ok"], true);
    let (status, body) = get(port, "/chapters/beta.html");
    assert_eq!(status, 200);
    assert!(body.contains("Still broken."), "{body}");
    break_bank(&book);
    let broken = next_event(&rx, fixed["id"].as_u64().unwrap());
    assert_eq!(
        (&broken["ok"], &broken["has_good_build"]),
        (&false.into(), &true.into())
    );
    server.wait_for_log("failed with 1 error; still serving the last good build");
    assert_eq!(get(port, "/chapters/beta.html").0, 200);
}

#[test]
fn only_requests_for_this_server_are_answered() {
    let book = TestBook::from_fixture("minimal");
    let server = serve(&book);
    let port = server.port;
    let refusal = format!(
        "misdirected request: this guidebook preview answers only requests for \
         localhost:{port}, 127.0.0.1:{port} or [::1]:{port}\n"
    );
    let ask = |target: &str, host: Option<&str>| {
        let host = host.map_or(String::new(), |h| format!("Host: {h}\r\n"));
        support::dev_server::request(
            port,
            &format!("GET {target} HTTP/1.1\r\n{host}Connection: close\r\n\r\n"),
        )
    };
    let other_port = format!("localhost:{}", port.wrapping_add(1));
    let named = format!("evil.example:{port}");
    // A page whose DNS name was rebound to 127.0.0.1 gets nothing, least of all the event
    // stream (it carries source lines).
    for target in [
        "/",
        "/chapters/beta.html",
        "/__guidebook/events",
        "/no-such-page",
    ] {
        for host in [
            Some(named.as_str()),
            Some("evil.example"),
            Some(&other_port),
            None,
        ] {
            let (status, head, body) = ask(target, host);
            assert_eq!(
                (status, body.as_str()),
                (421, refusal.as_str()),
                "{target} {host:?}"
            );
            assert!(
                head.contains("content-type: text/plain; charset=utf-8"),
                "{head}"
            );
        }
    }
    let local = format!("127.0.0.1:{port}");
    let (status, _, body) = ask(&format!("http://{named}/"), Some(&local));
    assert_eq!(
        (status, body),
        (421, refusal.clone()),
        "an absolute target names the host"
    );
    for host in [
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(ask("/", Some(&host)).0, 200, "{host}");
    }
}

/// axe-core's source, from tests/browser/node_modules (`npm ci` there).
fn axe_source() -> Option<String> {
    let path = support::repo_root().join("tests/browser/node_modules/axe-core/axe.min.js");
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(_) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("CI=true but axe-core is not installed (cd tests/browser && npm ci)")
        }
        Err(_) => {
            eprintln!("NOTICE: axe-core not installed; skipping (cd tests/browser && npm ci)");
            None
        }
    }
}

/// The overlay's texts: its title and each error, and its button.
fn overlay_texts(tab: &headless_chrome::Tab) -> Value {
    eval(
        tab,
        "JSON.stringify(Array.from(document.querySelectorAll('#guidebook-build-errors p, \
         #guidebook-build-errors pre, #guidebook-build-errors button'), \
         function (e) { return e.textContent; }))",
    )
}

/// In the page, after axe has loaded: runs it on the whole document and reports its
/// violations, and for each text element of the overlay the contrast axe measured. Where axe
/// cannot tell the background because a wrapped line lies over different parts of the page
/// beneath (the overlay floats), the element's own opaque background is measured instead,
/// with axe's colour functions.
const AXE_REPORT: &str = r#"
axe.run(document, { resultTypes: ["violations", "passes", "incomplete"], elementRef: true }).then(function (r) {
  var box = document.getElementById("guidebook-build-errors");
  var color = axe.commons.color;
  function inBox(results) {
    var found = [];
    results.filter(function (x) { return x.id === "color-contrast"; }).forEach(function (x) {
      x.nodes.forEach(function (n) { if (box.contains(n.element)) found.push(n); });
    });
    return found;
  }
  function own(el) {
    var style = getComputedStyle(el);
    var fg = new color.Color(), bg = new color.Color();
    fg.parseString(style.color);
    bg.parseString(style.backgroundColor);
    if (bg.alpha !== 1) return el.tagName + ": no opaque background of its own";
    return color.getContrast(bg, fg);
  }
  var measured = inBox(r.passes).map(function (n) {
    return { element: n.element.tagName, contrast: n.any[0].data.contrastRatio };
  });
  inBox(r.incomplete).forEach(function (n) {
    measured.push({ element: n.element.tagName, contrast: own(n.element), unsure: n.any[0].message });
  });
  return JSON.stringify({
    violations: r.violations.map(function (v) {
      return v.id + " (" + v.impact + "): " + v.nodes.map(function (n) { return n.target.join(" "); }).join(", ");
    }),
    measured: measured
  });
})
"#;

/// Runs axe on the whole page in light or dark mode (emulated as the system's setting) and
/// returns its violations, after checking that the overlay wears that mode's colours and that
/// the contrast of each of its texts (title, errors, button) was measured at AA or better.
fn axe_on_overlay(tab: &headless_chrome::Tab, axe: &str, dark: bool) -> Vec<String> {
    use headless_chrome::protocol::cdp::Emulation::{MediaFeature, SetEmulatedMedia};
    let scheme = if dark { "dark" } else { "light" };
    tab.call_method(SetEmulatedMedia {
        media: None,
        features: Some(vec![MediaFeature {
            name: "prefers-color-scheme".into(),
            value: scheme.into(),
        }]),
    })
    .unwrap();
    // The overlay's own colours: a stylesheet that did not load, or a mode that did not
    // switch, fails here rather than passing axe by accident.
    let errors_background = if dark {
        "rgb(28, 5, 4)"
    } else {
        "rgb(255, 255, 255)"
    };
    wait_for(
        tab,
        &format!(
            "getComputedStyle(document.querySelector('#guidebook-build-errors pre')).backgroundColor === '{errors_background}'"
        ),
    );
    if eval(tab, "typeof axe") != "object" {
        tab.evaluate(axe, false).unwrap();
    }
    let report = tab.evaluate(AXE_REPORT, true).unwrap().value.unwrap();
    let report: Value = serde_json::from_str(report.as_str().unwrap()).unwrap();
    let measured = report["measured"].as_array().unwrap();
    let texts = eval(
        tab,
        "document.querySelectorAll('#guidebook-build-errors p, #guidebook-build-errors pre, #guidebook-build-errors button').length",
    );
    eprintln!("axe ({scheme}): {report}");
    assert_eq!(
        Some(measured.len() as u64),
        texts.as_u64(),
        "every text of the overlay measured ({scheme}): {report}"
    );
    let mut problems: Vec<String> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| format!("{scheme}: {}", v.as_str().unwrap()))
        .collect();
    for m in measured {
        if !m["contrast"].as_f64().is_some_and(|c| c >= 4.5) {
            problems.push(format!("{scheme}: contrast below AA: {m}"));
        }
    }
    problems
}

#[test]
fn the_error_page_reloads_once_the_book_builds_and_the_overlay_is_readable() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let Some(axe) = axe_source() else { return };
    let book = TestBook::from_fixture("minimal");
    let bank = break_bank(&book);
    let server = serve(&book);
    let tab = open(&chrome, &server.url("chapters/alpha.html"));
    wait_for(
        &tab,
        "window.GuidebookLiveReload && GuidebookLiveReload.lastBuild() !== null && \
         !!document.querySelector('#guidebook-build-errors button')",
    );
    let texts: Vec<String> = serde_json::from_str(overlay_texts(&tab).as_str().unwrap()).unwrap();
    assert_eq!(texts.len(), 3, "{texts:?}");
    assert_eq!(texts[0], NO_BUILD_YET);
    assert!(texts[1].starts_with(UNKNOWN_FIELD), "{texts:?}");
    assert_eq!(texts[2], "Hide");
    let mut problems = Vec::new();
    for dark in [false, true] {
        problems.extend(
            axe_on_overlay(&tab, &axe, dark)
                .into_iter()
                .map(|p| format!("error page, {p}")),
        );
    }

    // The book builds: the page reloads by itself into the chapter.
    book.write(BANK, &bank);
    wait_for(
        &tab,
        "!document.documentElement.hasAttribute('data-guidebook-error-page') && \
         document.readyState === 'complete' && !!document.querySelector('main h1') && \
         window.GuidebookLiveReload && GuidebookLiveReload.lastBuild() !== null",
    );
    assert_eq!(
        eval(&tab, "!!document.getElementById('guidebook-build-errors')"),
        false
    );

    // It breaks again: the overlay covers the last good page.
    break_bank(&book);
    wait_for(
        &tab,
        "!!document.querySelector('#guidebook-build-errors button')",
    );
    let texts: Vec<String> = serde_json::from_str(overlay_texts(&tab).as_str().unwrap()).unwrap();
    assert_eq!(texts[0], LAST_GOOD, "{texts:?}");
    for dark in [false, true] {
        problems.extend(
            axe_on_overlay(&tab, &axe, dark)
                .into_iter()
                .map(|p| format!("chapter page, {p}")),
        );
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
