//! Shared helpers for the integration tests: fixture books copied to temp dirs, the binary
//! run on them, and output inspection.

pub mod browser;
pub mod dev_server;
pub mod http;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Held by the tests that load the machine or time what they wait for (`load::`, `watch::`,
/// `scale::`): all the modules share one test binary, and the load test's clients must not
/// run beside a test that gives a rebuild five seconds.
pub fn timing_lock() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    // A failed test poisons the lock; the next one still needs it, not a second panic.
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A book copied into its own temporary directory.
pub struct TestBook {
    dir: tempfile::TempDir,
    /// Files written since the last [`TestBook::take_written`], as a watcher would report them.
    written: std::cell::RefCell<Vec<PathBuf>>,
}

impl TestBook {
    /// Copies `tests/fixtures/<name>`.
    pub fn from_fixture(name: &str) -> TestBook {
        let book = TestBook::empty();
        copy_tree(&fixtures().join(name), book.root());
        book
    }

    /// Copies `tests/fixtures/<name>` and builds it into `book/`, which must succeed.
    pub fn built(name: &str) -> TestBook {
        let book = TestBook::from_fixture(name);
        book.run(&["build"]).assert_success();
        book
    }

    pub fn empty() -> TestBook {
        TestBook {
            dir: tempfile::tempdir().expect("temp dir"),
            written: Default::default(),
        }
    }

    /// Copies the files of `tests/fixtures/<rel>` over this book (a bad-input case).
    pub fn overlay(&self, rel: &str) {
        copy_tree(&fixtures().join(rel), self.root());
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        self.written.borrow_mut().push(path);
    }

    /// The files written since the last call.
    pub fn take_written(&self) -> Vec<PathBuf> {
        std::mem::take(&mut *self.written.borrow_mut())
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
    }

    /// Runs `guidebook ARGS` with the book root as the current directory.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.root(), args)
    }
}

pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_guidebook"))
        .args(args)
        .current_dir(dir)
        .env_remove("GUIDEBOOK_LOG")
        .output()
        .expect("running guidebook");
    Run::from(output)
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    pub fn assert_success(&self) -> &Run {
        assert_eq!(self.code, 0, "expected success; stderr:\n{}", self.stderr);
        self
    }
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        if rel.to_string_lossy().starts_with("expected-") {
            continue;
        }
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, to compare a directory before and after.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The HTML files under `dir`, relative paths with `/`.
pub fn html_files(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    out.sort();
    out
}

pub fn parse(html: &str) -> scraper::Html {
    scraper::Html::parse_document(html)
}

pub fn select<'a>(doc: &'a scraper::Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector =
        scraper::Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"));
    doc.select(&selector).collect()
}

/// Checks every relative `href`/`src` of every page under `site`: the file exists and, for
/// a fragment, the target page has an element with that id. Returns the problems found.
pub fn broken_links(site: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let mut ids_cache: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut ids_of = |page: &str| -> Vec<String> {
        ids_cache
            .entry(page.to_owned())
            .or_insert_with(|| {
                let html = std::fs::read_to_string(site.join(page)).unwrap_or_default();
                let doc = parse(&html);
                select(&doc, "[id]")
                    .iter()
                    .filter_map(|e| e.value().attr("id").map(str::to_owned))
                    .collect()
            })
            .clone()
    };
    for page in html_files(site) {
        if page == "404.html" {
            continue; // resolved against site-url via <base>, not its own location
        }
        let html = std::fs::read_to_string(site.join(&page)).unwrap();
        let doc = parse(&html);
        for el in select(&doc, "[href], [src]") {
            let url = el
                .value()
                .attr("href")
                .or_else(|| el.value().attr("src"))
                .unwrap();
            if url.contains("://") || url.starts_with("mailto:") || url.starts_with("tel:") {
                continue;
            }
            if url.starts_with('/') {
                problems.push(format!(
                    "{page}: absolute URL {url} breaks file:// and sub-paths"
                ));
                continue;
            }
            let (path, fragment) = url
                .split_once('#')
                .map_or((url, None), |(p, f)| (p, Some(f)));
            let target = if path.is_empty() {
                page.clone()
            } else {
                let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
                normalize(&format!("{dir}/{path}"))
            };
            if !site.join(&target).is_file() {
                problems.push(format!("{page}: {url} -> missing file {target}"));
                continue;
            }
            if let Some(f) = fragment.filter(|f| !f.is_empty())
                && target.ends_with(".html")
                && !ids_of(&target).iter().any(|id| id == f)
            {
                problems.push(format!("{page}: {url} -> no id #{f} in {target}"));
            }
        }
    }
    problems
}

fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}
