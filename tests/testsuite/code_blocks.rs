//! Code blocks as mdBook books write them: highlighted at build time with classes (no style
//! attribute anywhere), hidden lines hidden with a toggle and never printed, a copy button on
//! every block, run buttons and a wider CSP only for a book that enables a playground, and
//! table alignment through classes.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;

use crate::support::browser::{self, eval, file_url, wait_for};
use crate::support::{self, TestBook, parse, select};

const STRICT_CONNECT: &str = "connect-src 'self';";

fn built(extra_toml: &str) -> TestBook {
    let book = TestBook::from_fixture("code-blocks");
    let toml = book.read("book.toml");
    book.write("book.toml", &format!("{toml}\n{extra_toml}"));
    let run = book.run(&["build"]);
    run.assert_success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    book
}

fn chapter_body(book: &TestBook) -> String {
    let doc = parse(&book.read("book/code.html"));
    let body = select(&doc, "main .chapter-body");
    assert_eq!(body.len(), 1);
    body[0].html()
}

fn csp(book: &TestBook) -> String {
    let doc = parse(&book.read("book/code.html"));
    let meta = select(&doc, "meta[http-equiv='Content-Security-Policy']");
    meta[0].value().attr("content").unwrap().to_owned()
}

#[test]
fn code_is_highlighted_with_classes_and_hidden_lines_marked() {
    let book = built("");
    insta::assert_snapshot!(chapter_body(&book));
    let site = book.path("book");
    for page in support::html_files(&site) {
        let html = std::fs::read_to_string(site.join(&page)).unwrap();
        assert!(!html.contains("style="), "{page} has a style attribute");
    }
    assert!(!book.read("book/code.html").contains("class=\"playground\""));
    let policy = csp(&book);
    assert!(policy.contains(STRICT_CONNECT), "{policy}");
}

#[test]
fn a_playground_opens_the_policy_to_its_origin_only() {
    let book = built("[output.html.playground]\nrunnable = true\n");
    let doc = parse(&book.read("book/code.html"));
    let runnable = select(
        &doc,
        "pre.playground[data-playground='https://play.rust-lang.org/']",
    );
    assert_eq!(runnable.len(), 1, "the `ignore` block does not run");
    let policy = csp(&book);
    assert!(
        policy.contains("connect-src 'self' https://play.rust-lang.org;"),
        "{policy}"
    );
    // The old spelling is the same table; `runnable = false` turns running off.
    let old = built("[output.html.playpen]\neditable = true\n");
    assert!(csp(&old).contains("https://play.rust-lang.org;"));
    let off = built("[output.html.playground]\nrunnable = false\n");
    assert!(csp(&off).contains(STRICT_CONNECT));
    assert!(!off.read("book/code.html").contains("class=\"playground\""));
}

/// A stand-in playground on this machine: answers CORS preflights and `evaluate.json` with
/// the code it was sent, for `requests` connections.
fn fake_playground(requests: usize) -> (String, std::thread::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut bodies = Vec::new();
        for stream in listener.incoming().take(requests) {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let (mut request_line, mut length) = (String::new(), 0usize);
            reader.read_line(&mut request_line).unwrap();
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if let Some(n) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = n.trim().parse().unwrap();
                }
                if line.trim().is_empty() {
                    break;
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let answer = if request_line.starts_with("POST") {
                bodies.push(String::from_utf8_lossy(&body).into_owned());
                "{\"result\":\"ran fine\"}"
            } else {
                ""
            };
            write!(
                stream,
                "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Headers: Content-Type\r\nAccess-Control-Allow-Methods: POST\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                answer.len()
            )
            .unwrap();
        }
        bodies
    });
    (url, handle)
}

#[test]
fn the_reader_toggles_copies_runs_and_prints_without_hidden_lines() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let (url, server) = fake_playground(2);
    let book = built(&format!(
        "[output.html.playground]\nurl = \"{url}\"\n[rust]\nedition = \"2021\"\n"
    ));
    let tab = browser::open(&chrome, &file_url(&book.path("book/code.html")));
    wait_for(
        &tab,
        "document.querySelectorAll('.code-buttons').length === 7",
    );
    let rust = "document.querySelector('code.language-rust')";
    let shown = format!("{rust}.innerText");
    let text = eval(&tab, &shown).as_str().unwrap().to_owned();
    assert!(
        !text.contains("HashMap;") && !text.contains("println"),
        "{text}"
    );
    assert!(text.contains("# not hidden"), "{text}");
    // Copy takes what is shown, as mdBook does.
    eval(
        &tab,
        "navigator.clipboard.writeText = function (t) { window.copied = t; return Promise.resolve(); }",
    );
    browser::click(
        &tab,
        "pre.playground button[aria-label='Copy code to clipboard']",
    );
    wait_for(&tab, "window.copied !== undefined");
    assert_eq!(
        eval(&tab, "window.copied").as_str().unwrap(),
        text.trim_end()
    );
    browser::click(
        &tab,
        "pre.playground button[aria-label='Show hidden lines']",
    );
    assert_eq!(
        eval(
            &tab,
            "document.querySelector('button[aria-pressed]').getAttribute('aria-pressed')"
        ),
        "true"
    );
    let all = eval(&tab, &shown).as_str().unwrap().to_owned();
    assert!(
        all.contains("use std::collections::HashMap;") && all.contains("println!"),
        "{all}"
    );
    // Running sends the whole program, hidden lines included, with the book's edition.
    browser::click(&tab, "pre.playground button[aria-label='Run this code']");
    wait_for(
        &tab,
        "(document.querySelector('.code-result') || {}).textContent === 'ran fine'",
    );
    let sent = server.join().unwrap();
    let request: serde_json::Value = serde_json::from_str(sent.last().unwrap()).unwrap();
    assert_eq!(request["edition"], "2021");
    assert!(
        request["code"]
            .as_str()
            .unwrap()
            .contains("use std::collections::HashMap;")
    );
    // Printed, even with the hidden lines shown on screen, they stay off the paper.
    let (pdf, _) = browser::print_pdf(&tab);
    assert!(pdf.contains("counts.insert"), "{pdf}");
    assert!(
        !pdf.contains("HashMap;") && !pdf.contains("println"),
        "{pdf}"
    );
    assert!(!pdf.contains("Copy"), "buttons are not printed: {pdf}");
}

#[test]
fn code_pages_have_no_accessibility_violations() {
    let Some(chrome) = browser::launch() else {
        return;
    };
    let Some(axe) = crate::browser::axe_script() else {
        return;
    };
    let book = built("[output.html.playground]\neditable = true\n");
    book.write(
        "src/code.md",
        &format!(
            "{}\n```rust,editable\nfn main() {{}}\n```\n",
            book.read("src/code.md")
        ),
    );
    book.run(&["build"]).assert_success();
    let problems = crate::browser::site_accessibility_problems(&chrome, &axe, &book.path("book"));
    assert!(problems.is_empty(), "{problems:#?}");
}

/// `guidebook serve` sends the policy as a header too; both must let the page reach the
/// playground, and only a book with one gets the wider header.
#[test]
fn serve_opens_its_header_policy_to_the_playground_only_when_the_book_has_one() {
    for (extra, expected) in [
        ("", STRICT_CONNECT),
        (
            "[output.html.playground]\n",
            "connect-src 'self' https://play.rust-lang.org;",
        ),
    ] {
        let book = built(extra);
        let server = crate::support::dev_server::serve(&book);
        let (status, head, _) = crate::support::dev_server::get(server.port, "/code.html");
        assert_eq!(status, 200);
        let policy = head
            .lines()
            .find(|l| l.starts_with("content-security-policy:"))
            .unwrap_or_default();
        assert!(policy.contains(expected), "{policy}");
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    }
}
