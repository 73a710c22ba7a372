//! Real-browser tests: headless Chromium opens the built site from `file://`, runs its scripts,
//! and prints to PDF. Without Chromium they print a notice and pass, except under `CI=true`,
//! where a missing browser is a failure (`.ci/run` installs it).

use std::path::{Path, PathBuf};
use std::process::Command;

use headless_chrome::protocol::cdp::Emulation;

use crate::support::browser::{Chrome, chromium, file_url};
use crate::support::{self, TestBook, parse, repo_root, select};

fn headless(browser: &Path, profile: &Path) -> Command {
    let mut cmd = Command::new(browser);
    cmd.args(["--headless", "--no-sandbox"])
        .args(support::browser::CHROMIUM_FLAGS)
        .arg(format!("--user-data-dir={}", profile.display()));
    cmd
}

/// The DOM after the page's scripts ran.
fn dump_dom(browser: &Path, url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = headless(browser, profile.path())
        .args(["--virtual-time-budget=2000", "--dump-dom", url])
        .output()
        .expect("running chromium");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Prints `url` to PDF and returns (text, page count) read back with pdftotext/pdfinfo.
fn print_to_pdf(browser: &Path, url: &str) -> (String, usize) {
    let profile = tempfile::tempdir().unwrap();
    let pdf = profile.path().join("out.pdf");
    let out = headless(browser, profile.path())
        .args(["--no-pdf-header-footer", "--virtual-time-budget=2000"])
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(url)
        .output()
        .expect("running chromium");
    assert!(
        pdf.is_file(),
        "no PDF written: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    support::browser::pdf_text(&std::fs::read(&pdf).unwrap())
}

#[test]
fn navigation_renders_from_file_urls() {
    let Some(browser) = chromium() else { return };
    let book = TestBook::built("minimal");

    let dom = dump_dom(&browser, &file_url(&book.path("book/chapters/beta.html")));
    let doc = parse(&dom);
    let links = select(&doc, "#toc a");
    let titles: Vec<String> = links.iter().map(|a| a.text().collect::<String>()).collect();
    assert_eq!(
        titles,
        [
            "Welcome",
            "1.Alpha",
            "1.1.Alpha detail",
            "2.Beta",
            "All questions",
            "Questions for program directors",
            "Questions for residents",
            "Printable worksheets",
            "My interview sheet",
            "Compare your programs",
            "Your saved data",
            "Glossary"
        ],
        "{dom}"
    );
    let current = select(&doc, "#toc a[aria-current=page]");
    assert_eq!(current.len(), 1);
    assert_eq!(
        current[0].value().attr("href"),
        Some("../chapters/beta.html")
    );
    // Every sidebar link resolves to a page that exists, relative to this page.
    for a in &links {
        let href = a.value().attr("href").unwrap();
        assert!(
            book.path("book/chapters").join(href).is_file(),
            "sidebar link {href} is broken"
        );
    }
    assert_eq!(
        select(&doc, "#toc .draft").len(),
        1,
        "the draft chapter is listed, unlinked"
    );
    assert_eq!(
        select(&doc, "#toc .part-title").len(),
        2,
        "Part one and the generated question bank part"
    );

    let front = parse(&dump_dom(
        &browser,
        &file_url(&book.path("book/index.html")),
    ));
    let current = select(&front, "#toc a[aria-current=page]");
    assert_eq!(
        current[0].value().attr("href"),
        Some("welcome.html"),
        "front page marks the first chapter"
    );
    assert_eq!(
        select(&front, ".sidebar-toggle[hidden]").len(),
        0,
        "script un-hides the small-screen toggle"
    );
}

#[test]
fn print_page_prints_every_chapter_without_navigation() {
    let Some(browser) = chromium() else { return };
    let book = TestBook::built("minimal");
    let (text, pages) = print_to_pdf(&browser, &file_url(&book.path("book/print.html")));
    for expected in [
        "Welcome to the minimal guide",
        "Alpha chapter",
        "Alpha detail",
        "Beta chapter",
        "Glossary",
        "Early Specialization",
    ] {
        assert!(text.contains(expected), "PDF lacks {expected:?}:\n{text}");
    }
    for chrome in [
        "Skip to main content",
        "Print the guide",
        "Table of contents",
        "Print or save as PDF",
        "Previous",
        "On this page",
    ] {
        assert!(
            !text.contains(chrome),
            "PDF shows navigation text {chrome:?}:\n{text}"
        );
    }
    assert!(
        pages >= 5,
        "each chapter starts on a new page: {pages} pages"
    );
    assert!(pages <= 8, "print is compact: {pages} pages");
}

#[test]
fn a_chapter_opens_from_disk_with_working_navigation() {
    let Some(browser) = chromium() else { return };
    let book = TestBook::built("minimal");
    let dest = book.path("book");
    let doc = parse(&dump_dom(
        &browser,
        &file_url(&dest.join("chapters/alpha-detail.html")),
    ));
    let links = select(&doc, "#toc a");
    assert!(links.len() >= 5, "sidebar lists the book's chapters");
    for a in &links {
        let href = a.value().attr("href").unwrap();
        assert!(
            dest.join("chapters").join(href).is_file(),
            "sidebar link {href} is broken"
        );
    }
    let current = select(&doc, "#toc a[aria-current=page]");
    assert!(
        current[0]
            .text()
            .collect::<String>()
            .contains("Alpha detail")
    );
}

/// axe-core from tests/browser/node_modules (`npm ci` there); `None` with a notice if absent.
pub fn axe_script() -> Option<PathBuf> {
    let path = repo_root().join("tests/browser/node_modules/axe-core/axe.min.js");
    if path.is_file() {
        return Some(path);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true but axe-core is not installed (cd tests/browser && npm ci)");
    }
    eprintln!(
        "NOTICE: axe-core not installed; skipping accessibility test (cd tests/browser && npm ci)"
    );
    None
}

/// Runs axe-core on every HTML page of `site` (but 404.html, which resolves its assets against
/// site-url through `<base>`), in light and dark, in one browser. Returns the violations as
/// `page (scheme): rule (impact): selectors` lines. Each page is copied beside itself with axe
/// injected, so its relative assets still load over `file://`.
pub fn site_accessibility_problems(chrome: &Chrome, axe: &Path, site: &Path) -> Vec<String> {
    std::fs::copy(axe, site.join("axe.min.js")).unwrap();
    // The probe is a file of its own: the pages' Content-Security-Policy refuses inline scripts.
    std::fs::write(
        site.join("axe-probe.js"),
        r#"window.addEventListener("load", function () {
  setTimeout(function () {
    axe.run(document, { resultTypes: ["violations"] }).then(function (r) {
      var out = document.createElement("pre");
      out.id = "axe-result";
      out.textContent = JSON.stringify(r.violations.map(function (v) {
        return v.id + " (" + v.impact + "): " + v.nodes.map(function (n) { return n.target.join(" "); }).join(", ");
      }));
      document.body.appendChild(out);
    });
  }, 100);
});
"#,
    )
    .unwrap();
    let pages: Vec<String> = support::html_files(site)
        .into_iter()
        .filter(|p| p != "404.html")
        .collect();
    let mut problems = Vec::new();
    for dark in [false, true] {
        let scheme = if dark { "dark" } else { "light" };
        let tab = chrome.browser.new_tab().unwrap();
        tab.set_default_timeout(std::time::Duration::from_secs(30));
        tab.call_method(Emulation::SetEmulatedMedia {
            media: None,
            features: Some(vec![Emulation::MediaFeature {
                name: "prefers-color-scheme".to_owned(),
                value: scheme.to_owned(),
            }]),
        })
        .unwrap();
        for page in &pages {
            for v in axe_page(&tab, site, page) {
                problems.push(format!("{page} ({scheme}): {v}"));
            }
        }
    }
    problems
}

/// axe's violations on one page of `site`, opened in `tab`.
fn axe_page(tab: &headless_chrome::Tab, site: &Path, page: &str) -> Vec<String> {
    let root = "../".repeat(page.matches('/').count());
    let html = std::fs::read_to_string(site.join(page)).unwrap();
    let probe = format!(
        r#"<script src="{root}axe.min.js"></script>
<script src="{root}axe-probe.js"></script>
</body>"#
    );
    let probe_page = page.replace(".html", ".axe.html");
    std::fs::write(site.join(&probe_page), html.replace("</body>", &probe)).unwrap();
    support::browser::goto(tab, &file_url(&site.join(&probe_page)));
    let result = tab
        .wait_for_element("#axe-result")
        .unwrap_or_else(|e| panic!("axe did not report on {page}: {e}"));
    let text = result.get_inner_text().unwrap();
    std::fs::remove_file(site.join(&probe_page)).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn pages_have_no_accessibility_violations_in_light_or_dark() {
    let Some(chrome) = support::browser::launch() else {
        return;
    };
    let Some(axe) = axe_script() else { return };
    let book = TestBook::built("minimal");
    let problems = site_accessibility_problems(&chrome, &axe, &book.path("book"));
    assert!(problems.is_empty(), "{problems:#?}");
}
