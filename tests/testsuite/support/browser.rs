//! Launching headless Chromium for tests, with the skip rule: no browser → a printed notice
//! and a pass, except under `CI=true`, where a missing browser is a failure.

use std::ffi::OsStr;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use headless_chrome::{Browser, LaunchOptions, Tab};

/// The Chromium binary, or `None` (with a printed notice) when tests should skip.
pub fn chromium() -> Option<PathBuf> {
    let candidates = [
        std::env::var("CHROMIUM").ok(),
        Some("chromium".into()),
        Some("chromium-browser".into()),
    ];
    for c in candidates.into_iter().flatten() {
        if Command::new(&c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return Some(PathBuf::from(c));
        }
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true but Chromium is not installed (apt-get install -y chromium)");
    }
    // Straight to the process's stderr, past the test harness's capture, so a skipped browser
    // test shows as skipped in every run and not only as an `ok`.
    let test = std::thread::current()
        .name()
        .unwrap_or("browser test")
        .to_owned();
    let _ = writeln!(
        std::io::stderr(),
        "test {test} ... SKIPPED: Chromium not found (install it with `apt-get install -y chromium`; under CI=true this fails)"
    );
    None
}

/// A running headless browser with its own fresh profile.
pub struct Chrome {
    pub browser: Browser,
    _profile: tempfile::TempDir,
}

/// Flags every test browser runs with: no network chatter on this closed machine, and
/// `file://` pages may load their neighbours.
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--allow-file-access-from-files",
];

pub fn launch() -> Option<Chrome> {
    launch_with(CHROMIUM_FLAGS)
}

/// A browser as a reader has it: without `--allow-file-access-from-files`, so `file://` pages
/// get the same origin rules as on a reader's machine.
pub fn launch_as_reader() -> Option<Chrome> {
    let flags: Vec<&str> = CHROMIUM_FLAGS
        .iter()
        .copied()
        .filter(|f| *f != "--allow-file-access-from-files")
        .collect();
    launch_with(&flags)
}

pub fn launch_with(flags: &[&str]) -> Option<Chrome> {
    let path = chromium()?;
    let resolved = which(&path).unwrap_or(path);
    let profile = tempfile::tempdir().unwrap();
    let options = LaunchOptions::default_builder()
        .path(Some(resolved))
        .headless(true)
        .sandbox(false)
        .user_data_dir(Some(profile.path().to_path_buf()))
        .window_size(Some((1200, 900)))
        .idle_browser_timeout(std::time::Duration::from_secs(120))
        .args(flags.iter().map(OsStr::new).collect())
        .build()
        .unwrap();
    let browser = Browser::new(options).expect("launching chromium");
    Some(Chrome {
        browser,
        _profile: profile,
    })
}

fn which(name: &Path) -> Option<PathBuf> {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {}", name.display()))
        .output()
        .ok()?;
    let p = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    (!p.is_empty()).then(|| PathBuf::from(p))
}

pub fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Opens `url` in a new tab and waits for it to load.
pub fn open(chrome: &Chrome, url: &str) -> std::sync::Arc<Tab> {
    let tab = chrome.browser.new_tab().unwrap();
    tab.set_default_timeout(std::time::Duration::from_secs(20));
    tab.navigate_to(url)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    tab
}

/// Runs a JavaScript expression and returns its value as JSON.
pub fn eval(tab: &Tab, js: &str) -> serde_json::Value {
    tab.evaluate(js, false)
        .unwrap()
        .value
        .unwrap_or(serde_json::Value::Null)
}

/// Prints the tab to PDF (print media, backgrounds off) and returns (text, page count).
pub fn print_pdf(tab: &Tab) -> (String, usize) {
    let pdf = tab.print_to_pdf(None).unwrap();
    pdf_text(&pdf)
}

/// Text (whitespace folded to single spaces) and page count of a PDF, read back with poppler's
/// pdftotext and pdfinfo.
pub fn pdf_text(pdf: &[u8]) -> (String, usize) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.pdf");
    std::fs::write(&file, pdf).unwrap();
    let text = Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    let info = Command::new("pdfinfo")
        .arg(&file)
        .output()
        .expect("pdfinfo (poppler-utils)");
    let pages = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
        .unwrap();
    // Lines wrap wherever the page ends them: compare with whitespace folded.
    let text = String::from_utf8_lossy(&text.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (text, pages)
}

/// Polls a JavaScript condition until it is true (up to 5 s).
pub fn wait_for(tab: &Tab, js: &str) {
    for _ in 0..100 {
        // A page reloading (live reload, navigation) cannot answer: that is "not yet".
        if tab
            .evaluate(js, false)
            .is_ok_and(|r| r.value == Some(serde_json::Value::Bool(true)))
        {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("timed out waiting for {js}");
}

pub fn click(tab: &Tab, selector: &str) {
    tab.wait_for_element(selector).unwrap().click().unwrap();
}

/// Opens `url` and waits until its document has loaded. Polls the page itself: headless_chrome's
/// `wait_until_navigated` spends about a second per navigation on its own timers.
pub fn goto(tab: &Tab, url: &str) {
    tab.navigate_to(url).unwrap();
    let target = serde_json::Value::String(url.to_owned());
    let ready = format!("document.readyState === 'complete' && location.href === {target}");
    for _ in 0..400 {
        // Evaluating during the switch of documents may fail; that is "not yet".
        if let Ok(result) = tab.evaluate(&ready, false)
            && result.value == Some(serde_json::Value::Bool(true))
        {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    panic!("timed out loading {url}");
}

/// Installed in every document of a watched tab before the page's own scripts run: records
/// each Content-Security-Policy violation the page reports.
const VIOLATION_RECORDER: &str = r#"
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.effectiveDirective + " blocked " + (e.blockedURI || "(inline)") +
    " at " + (e.sourceFile || e.documentURI) + ":" + e.lineNumber);
});
"#;

/// A tab that records CSP violations (from the page's own `securitypolicyviolation` events
/// and from the browser's console) and uncaught script errors, from the first byte of every
/// page it opens.
pub struct Watched {
    pub tab: std::sync::Arc<Tab>,
    console: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Watched {
    pub fn new(chrome: &Chrome) -> Watched {
        use headless_chrome::protocol::cdp::types::Event;
        let tab = chrome.browser.new_tab().unwrap();
        tab.set_default_timeout(std::time::Duration::from_secs(20));
        tab.enable_log().unwrap().enable_runtime().unwrap();
        let console = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = console.clone();
        tab.add_event_listener(std::sync::Arc::new(move |event: &Event| {
            let problem = match event {
                Event::LogEntryAdded(e)
                    if e.params.entry.text.contains("Content Security Policy")
                        || e.params.entry.text.starts_with("Refused to") =>
                {
                    Some(format!("console: {}", e.params.entry.text))
                }
                Event::RuntimeExceptionThrown(e) => Some(format!(
                    "script error: {} {}",
                    e.params.exception_details.text,
                    e.params
                        .exception_details
                        .exception
                        .as_ref()
                        .and_then(|x| x.description.clone())
                        .unwrap_or_default()
                )),
                _ => None,
            };
            if let Some(p) = problem {
                sink.lock().unwrap().push(p);
            }
        }))
        .unwrap();
        let watched = Watched { tab, console };
        watched.before_scripts(VIOLATION_RECORDER);
        watched
    }

    pub fn goto(&self, url: &str) {
        goto(&self.tab, url);
    }

    /// Runs `js` in every document this tab opens from now on, before the page's scripts.
    pub fn before_scripts(&self, js: &str) {
        use headless_chrome::protocol::cdp::Page::AddScriptToEvaluateOnNewDocument;
        self.tab
            .call_method(AddScriptToEvaluateOnNewDocument {
                source: js.to_owned(),
                world_name: None,
                include_command_line_api: None,
                run_immediately: None,
            })
            .unwrap();
    }

    /// Everything recorded since the last call, on the current page and in the console; the
    /// page's record is read before the next navigation replaces it.
    pub fn take_problems(&self) -> Vec<String> {
        // Violation events are dispatched in a task after the blocked load; let them land.
        std::thread::sleep(std::time::Duration::from_millis(150));
        let page = eval(
            &self.tab,
            "JSON.stringify((window.__cspViolations || []).splice(0))",
        );
        let mut out: Vec<String> =
            serde_json::from_str(page.as_str().unwrap_or("[]")).unwrap_or_default();
        out.extend(self.console.lock().unwrap().drain(..));
        out
    }
}
