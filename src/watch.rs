//! Watching the book for changes: which paths matter (a pure, tested function), a debounced
//! native watcher with a polling fallback, and the rebuild loop shared by `watch` and `serve`.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

use crate::config::Config;
use crate::pipeline::{Built, Failed, Session};

/// What kind of input a changed path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Config,
    Summary,
    Chapter,
    Data,
    ThemeCss,
    Theme,
    Asset,
}

/// Whether `path` is an input of the book at `config`, and which kind. Output directories,
/// staging directories, hidden files and editor temporaries are not.
pub fn classify(path: &Path, config: &Config) -> Option<ChangeKind> {
    let name = path.file_name()?.to_string_lossy();
    let temp = name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || [
            ".swp",
            ".swx",
            ".swo",
            ".tmp",
            ".bak",
            ".part",
            ".crdownload",
        ]
        .iter()
        .any(|e| name.ends_with(e))
        || name.chars().all(|c| c.is_ascii_digit()); // vim's `4913` write test
    if temp || path.starts_with(&config.build_dir) {
        return None;
    }
    let in_hidden_dir = path
        .strip_prefix(&config.root)
        .ok()?
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
    if in_hidden_dir {
        return None;
    }
    if path == config.book_toml {
        return Some(ChangeKind::Config);
    }
    if let Ok(rel) = path.strip_prefix(&config.src_dir) {
        let rel = rel.to_string_lossy();
        return Some(if rel == "SUMMARY.md" {
            ChangeKind::Summary
        } else if rel.ends_with(".md") {
            ChangeKind::Chapter
        } else if rel.ends_with(".yaml") || rel.ends_with(".yml") {
            ChangeKind::Data
        } else {
            ChangeKind::Asset
        });
    }
    if path.starts_with(config.root.join("themes")) {
        return Some(if name.ends_with(".css") {
            ChangeKind::ThemeCss
        } else {
            ChangeKind::Theme
        });
    }
    let extra = config.additional_css.iter().chain(&config.additional_js);
    if extra.map(|p| config.root.join(p)).any(|p| p == path) {
        return Some(if name.ends_with(".css") {
            ChangeKind::ThemeCss
        } else {
            ChangeKind::Theme
        });
    }
    // Included files can live anywhere inside the root; treat other text files as content.
    let text = [".md", ".txt", ".html", ".svg", ".csv"]
        .iter()
        .any(|e| name.ends_with(e));
    text.then_some(ChangeKind::Chapter)
}

/// A debounced file watcher over the book root. Reads are not changes: access events (which
/// our own rebuilds cause) are dropped, so a build never triggers the next one.
pub struct FileWatcher {
    events: Receiver<notify::Result<notify::Event>>,
    debounce: Duration,
    // Kept alive for as long as we watch; dropping it stops watching.
    _watcher: Box<dyn Watcher + Send>,
    pub polling: bool,
}

impl FileWatcher {
    /// Watches `root` recursively. Uses native events unless `poll` is set or native watching
    /// fails (network drives, some containers), in which case it polls.
    pub fn start(root: &Path, poll: bool, debounce: Duration) -> anyhow::Result<FileWatcher> {
        // Absolute, so reported paths compare with the config's absolute paths.
        let root = &std::path::absolute(root)?;
        let (tx, rx) = channel();
        if !poll {
            let native =
                RecommendedWatcher::new(tx.clone(), notify::Config::default()).and_then(|mut w| {
                    w.watch(root, RecursiveMode::Recursive)?;
                    Ok(w)
                });
            match native {
                Ok(w) => {
                    return Ok(FileWatcher {
                        events: rx,
                        debounce,
                        _watcher: Box::new(w),
                        polling: false,
                    });
                }
                Err(e) => tracing::warn!("native file watching failed ({e}); polling instead"),
            }
        }
        let config = notify::Config::default()
            .with_poll_interval(Duration::from_millis(250))
            .with_compare_contents(true);
        let mut w = PollWatcher::new(tx, config)?;
        w.watch(root, RecursiveMode::Recursive)?;
        Ok(FileWatcher {
            events: rx,
            debounce,
            _watcher: Box::new(w),
            polling: true,
        })
    }

    /// Blocks until files change, then gathers the burst (an editor's save is often several
    /// events) until `debounce` passes quietly. `None` when the watcher stopped.
    pub fn next_batch(&self) -> Option<Vec<PathBuf>> {
        let mut paths = Vec::new();
        loop {
            let event = if paths.is_empty() {
                self.events.recv().ok()?
            } else {
                match self.events.recv_timeout(self.debounce) {
                    Ok(event) => event,
                    Err(RecvTimeoutError::Timeout) => return Some(paths),
                    Err(RecvTimeoutError::Disconnected) => return Some(paths),
                }
            };
            tracing::trace!("file event: {event:?}");
            match event {
                Ok(event) if !matches!(event.kind, EventKind::Access(_)) => {
                    paths.extend(event.paths)
                }
                Ok(_) => {}
                Err(e) => tracing::warn!("file watcher: {e}"),
            }
        }
    }
}

/// One rebuild: what changed and how it went.
pub struct Rebuild {
    pub id: u64,
    pub changed: Vec<PathBuf>,
    /// Only stylesheets changed: browsers can swap them without reloading.
    pub css_only: bool,
    pub result: Result<Built, Failed>,
    pub elapsed: Duration,
}

/// Rebuilds whenever relevant files change, calling `on_rebuild` after each build.
pub fn rebuild_loop(
    session: &mut Session,
    watcher: &FileWatcher,
    mut on_rebuild: impl FnMut(Rebuild),
) {
    let mut id = 1;
    while let Some(batch) = watcher.next_batch() {
        // The config may have changed what matters (src, build-dir): read it fresh each time.
        let kinds: Vec<(PathBuf, ChangeKind)> = match Config::load(&session.root) {
            // A new directory stands for its files: they may have been written before the
            // watcher could watch inside it.
            Ok((config, _)) => batch
                .into_iter()
                .flat_map(files_of)
                .filter_map(|p| classify(&p, &config).map(|k| (p, k)))
                .collect(),
            Err(_) => batch.into_iter().map(|p| (p, ChangeKind::Config)).collect(),
        };
        if kinds.is_empty() {
            continue;
        }
        id += 1;
        let started = Instant::now();
        let changed: Vec<PathBuf> = kinds.iter().map(|(p, _)| p.clone()).collect();
        let result = session.render_after(&changed);
        on_rebuild(Rebuild {
            id,
            css_only: kinds.iter().all(|(_, k)| *k == ChangeKind::ThemeCss),
            changed,
            result,
            elapsed: started.elapsed(),
        });
    }
}

/// `path` itself, or the files under it when it is a directory.
fn files_of(path: PathBuf) -> Vec<PathBuf> {
    let path = std::path::absolute(&path).unwrap_or(path);
    if !path.is_dir() {
        return vec![path];
    }
    walkdir::WalkDir::new(&path)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

/// A short description of changed files for the one-line rebuild report.
pub fn describe(changed: &[PathBuf], root: &Path) -> String {
    let mut names: Vec<String> = changed
        .iter()
        .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
        .collect();
    names.sort();
    names.dedup();
    match names.len() {
        0 => "nothing".to_owned(),
        1..=3 => names.join(", "),
        n => format!("{}, {} and {} more", names[0], names[1], n - 2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        let dir = std::env::temp_dir().join("guidebook-classify-test");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("book.toml"), "[book]\nsrc = \"content\"\n").unwrap();
        Config::load(&dir).unwrap().0
    }

    #[test]
    fn classifies_inputs_and_ignores_outputs_and_temporaries() {
        let c = config();
        let r = &c.root;
        assert_eq!(classify(&r.join("book.toml"), &c), Some(ChangeKind::Config));
        assert_eq!(
            classify(&r.join("content/SUMMARY.md"), &c),
            Some(ChangeKind::Summary)
        );
        assert_eq!(
            classify(&r.join("content/chapters/a.md"), &c),
            Some(ChangeKind::Chapter)
        );
        assert_eq!(
            classify(&r.join("content/questions/q.yaml"), &c),
            Some(ChangeKind::Data)
        );
        assert_eq!(
            classify(&r.join("content/images/x.png"), &c),
            Some(ChangeKind::Asset)
        );
        assert_eq!(
            classify(&r.join("themes/default/css/base.css"), &c),
            Some(ChangeKind::ThemeCss)
        );
        assert_eq!(
            classify(&r.join("themes/default/templates/base.html"), &c),
            Some(ChangeKind::Theme)
        );
        for ignored in [
            "book/index.html",
            ".book.tmp-abc/index.html",
            "content/chapters/.a.md.swp",
            "content/chapters/a.md~",
            "content/chapters/4913",
            "content/#a.md#",
            ".git/index",
            "target/debug/guidebook",
        ] {
            assert_eq!(classify(&r.join(ignored), &c), None, "{ignored}");
        }
    }
}
