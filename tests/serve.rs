//! `guidebook serve` end to end: the server starts on a free port, every save rebuilds and
//! announces the build over Server-Sent Events, errors are announced while the last good site
//! stays served, and request paths cannot leave the site.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::Value;
use support::TestBook;
use support::browser::{self, eval, open, wait_for};
use support::dev_server::{serve, serve_with};

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
        "GET /__guidebook/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
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
    assert_eq!(
        eval(&tab, "document.querySelector('#task-task-flights').checked"),
        true,
        "ticks survive reloads"
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
