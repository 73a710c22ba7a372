//! Watching the book for changes: which paths matter (a pure, tested function), what to
//! watch (only the places a build reads), a debounced watcher (`notify-debouncer-full`, native
//! events or polling) and the rebuild loop shared by `watch` and `serve`.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer_opt,
};

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

/// Whether `path` is an input of the book at `config`, and which kind: book.toml, anything
/// in the source directory or the theme, the additional files, or a file the last build read
/// (`read`: included files, which may live anywhere). Output and staging directories, hidden
/// files and editor temporaries are not.
pub fn classify(path: &Path, config: &Config, read: &HashSet<PathBuf>) -> Option<ChangeKind> {
    let name = path.file_name()?.to_string_lossy();
    if is_temporary(&name) || path.starts_with(&config.build_dir) {
        return None;
    }
    if path == config.book_toml {
        return Some(ChangeKind::Config);
    }
    let style_or_template = || {
        Some(if name.ends_with(".css") {
            ChangeKind::ThemeCss
        } else {
            ChangeKind::Theme
        })
    };
    if let Ok(rel) = path.strip_prefix(&config.src_dir) {
        if in_hidden_dir(rel) {
            return None;
        }
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
    if let Ok(rel) = path.strip_prefix(themes_dir(config)) {
        return if in_hidden_dir(rel) {
            None
        } else {
            style_or_template()
        };
    }
    let mut extra = config.additional_css.iter().chain(&config.additional_js);
    if extra.any(|p| config.root.join(p) == path) {
        return style_or_template();
    }
    read.contains(path).then_some(ChangeKind::Chapter)
}

fn is_temporary(name: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        "~",
        ".swp",
        ".swx",
        ".swo",
        ".tmp",
        ".bak",
        ".part",
        ".crdownload",
    ];
    name.starts_with('.')
        || name.starts_with('#')
        || SUFFIXES.iter().any(|e| name.ends_with(e))
        // vim's `4913` write test
        || name.chars().all(|c| c.is_ascii_digit())
}

fn in_hidden_dir(rel: &Path) -> bool {
    rel.components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
}

fn themes_dir(config: &Config) -> PathBuf {
    config.root.join("themes")
}

/// The places to watch for the book at `config` whose last build read `read`: the root
/// itself (book.toml; not its subfolders, so `book/`, `target/` or `node_modules/` send
/// nothing), the source and theme folders, and the folder of every other file read.
pub fn watch_plan(config: &Config, read: &[PathBuf]) -> BTreeSet<(PathBuf, bool)> {
    let mut plan = BTreeSet::from([(config.root.clone(), false)]);
    let themes = themes_dir(config);
    for dir in [&config.src_dir, &themes] {
        if dir.is_dir() {
            plan.insert((dir.clone(), true));
        }
    }
    let extra = config.additional_css.iter().chain(&config.additional_js);
    let files = read
        .iter()
        .cloned()
        .chain(extra.map(|p| config.root.join(p)));
    for file in files {
        let covered = file.starts_with(&config.src_dir) || file.starts_with(&themes);
        if let Some(parent) = file.parent().filter(|p| !covered && p.is_dir()) {
            plan.insert((parent.to_path_buf(), false));
        }
    }
    plan
}

/// The debouncer, over native events or polling.
enum Debounced {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Polling(Debouncer<PollWatcher, NoCache>),
}

impl Debounced {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Debounced::Native(d) => d.watch(path, mode),
            Debounced::Polling(d) => d.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        match self {
            Debounced::Native(d) => d.unwatch(path),
            Debounced::Polling(d) => d.unwatch(path),
        }
    }
}

/// A debounced file watcher over the places a book's build reads. Reads are not changes:
/// access events (which our own rebuilds cause) are dropped, so a build never triggers the
/// next one.
pub struct FileWatcher {
    events: Receiver<DebounceEventResult>,
    debouncer: Debounced,
    watched: BTreeSet<(PathBuf, bool)>,
    pub polling: bool,
}

impl FileWatcher {
    /// A watcher that reports a burst of changes once `debounce` has passed quietly. Uses
    /// native events unless `poll` is set or they are unavailable (network drives, some
    /// containers), in which case it polls. It watches nothing until [`FileWatcher::follow`].
    pub fn start(poll: bool, debounce: Duration) -> anyhow::Result<FileWatcher> {
        let (tx, rx) = channel();
        let debouncer = if poll {
            None
        } else {
            new_debouncer_opt(
                debounce,
                None,
                tx.clone(),
                RecommendedCache::new(),
                notify::Config::default(),
            )
            .inspect_err(|e| tracing::warn!("native file watching failed ({e}); polling instead"))
            .ok()
        };
        let debouncer = match debouncer {
            Some(d) => Debounced::Native(d),
            None => {
                let config = notify::Config::default()
                    .with_poll_interval(Duration::from_millis(250))
                    .with_compare_contents(true);
                Debounced::Polling(new_debouncer_opt(debounce, None, tx, NoCache, config)?)
            }
        };
        Ok(FileWatcher {
            events: rx,
            polling: matches!(debouncer, Debounced::Polling(_)),
            debouncer,
            watched: BTreeSet::new(),
        })
    }

    /// Watches what a build of the book at `root` reads (`read`: the files of its last
    /// build), and stops watching what it no longer reads.
    pub fn follow(&mut self, root: &Path, read: &[PathBuf]) {
        let plan = match Config::load(root) {
            Ok((config, _)) => watch_plan(&config, read),
            // Broken book.toml: keep watching what we watch, the root at least.
            Err(_) => {
                let mut plan = self.watched.clone();
                plan.insert((root.to_path_buf(), false));
                plan
            }
        };
        for gone in self.watched.difference(&plan) {
            let _ = self.debouncer.unwatch(&gone.0);
        }
        let mut watched = BTreeSet::new();
        for (path, recursive) in &plan {
            if self.watched.contains(&(path.clone(), *recursive)) {
                watched.insert((path.clone(), *recursive));
                continue;
            }
            let mode = if *recursive {
                RecursiveMode::Recursive
            } else {
                RecursiveMode::NonRecursive
            };
            match self.debouncer.watch(path, mode) {
                Ok(()) => {
                    watched.insert((path.clone(), *recursive));
                }
                Err(e) => tracing::debug!("cannot watch {}: {e}", path.display()),
            }
        }
        self.watched = watched;
    }

    /// Blocks until files change and returns the paths of the burst. `None` when the watcher
    /// stopped.
    pub fn next_batch(&self) -> Option<Vec<PathBuf>> {
        let mut paths = Vec::new();
        loop {
            take_paths(self.events.recv().ok()?, &mut paths);
            // Whatever else is already queued belongs to the same burst.
            while let Ok(more) = self.events.try_recv() {
                take_paths(more, &mut paths);
            }
            if !paths.is_empty() {
                return Some(paths);
            }
        }
    }
}

/// The changed paths of a debounced burst, into `paths`.
fn take_paths(result: DebounceEventResult, paths: &mut Vec<PathBuf>) {
    match result {
        Ok(events) => {
            for event in events {
                tracing::trace!("file event: {event:?}");
                if !matches!(event.kind, EventKind::Access(_)) {
                    paths.extend(event.event.paths);
                }
            }
        }
        Err(errors) => errors
            .iter()
            .for_each(|e| tracing::warn!("file watcher: {e}")),
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
    watcher: &mut FileWatcher,
    mut on_rebuild: impl FnMut(Rebuild),
) {
    let mut id = 1;
    watcher.follow(&session.root, &session.files_read());
    while let Some(batch) = watcher.next_batch() {
        let read: HashSet<PathBuf> = session.files_read().into_iter().collect();
        // The config may have changed what matters (src, build-dir): read it fresh each time.
        let kinds: Vec<(PathBuf, ChangeKind)> = match Config::load(&session.root) {
            // A new directory stands for its files: they may have been written before the
            // watcher could watch inside it.
            Ok((config, _)) => batch
                .into_iter()
                .flat_map(files_of)
                .filter_map(|p| classify(&p, &config, &read).map(|k| (p, k)))
                .collect(),
            Err(_) => batch
                .into_iter()
                .filter(|p| *p == session.root.join("book.toml"))
                .map(|p| (p, ChangeKind::Config))
                .collect(),
        };
        if kinds.is_empty() {
            continue;
        }
        id += 1;
        let started = Instant::now();
        let changed: Vec<PathBuf> = kinds.iter().map(|(p, _)| p.clone()).collect();
        let result = session.render_after(&changed);
        let elapsed = started.elapsed();
        // The build may read other files now (a new include, a new theme folder).
        watcher.follow(&session.root, &session.files_read());
        on_rebuild(Rebuild {
            id,
            css_only: kinds.iter().all(|(_, k)| *k == ChangeKind::ThemeCss),
            changed,
            result,
            elapsed,
        });
    }
}

/// `path` itself, or the files under it when it is a directory.
fn files_of(path: PathBuf) -> Vec<PathBuf> {
    let path = crate::util::paths::absolute(&path);
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
        let read = HashSet::from([r.join("code/example.rs")]);
        assert_eq!(
            classify(&r.join("code/example.rs"), &c, &read),
            Some(ChangeKind::Chapter)
        );
        assert_eq!(
            classify(&r.join("book.toml"), &c, &read),
            Some(ChangeKind::Config)
        );
        assert_eq!(
            classify(&r.join("content/SUMMARY.md"), &c, &read),
            Some(ChangeKind::Summary)
        );
        assert_eq!(
            classify(&r.join("content/chapters/a.md"), &c, &read),
            Some(ChangeKind::Chapter)
        );
        assert_eq!(
            classify(&r.join("content/questions/q.yaml"), &c, &read),
            Some(ChangeKind::Data)
        );
        assert_eq!(
            classify(&r.join("content/images/x.png"), &c, &read),
            Some(ChangeKind::Asset)
        );
        assert_eq!(
            classify(&r.join("themes/default/css/base.css"), &c, &read),
            Some(ChangeKind::ThemeCss)
        );
        assert_eq!(
            classify(&r.join("themes/default/templates/base.html"), &c, &read),
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
            "node_modules/x/index.js",
            "notes.md",
            "code/other.rs",
        ] {
            assert_eq!(classify(&r.join(ignored), &c, &read), None, "{ignored}");
        }
    }

    #[test]
    fn watches_the_root_alone_the_inputs_deeply_and_the_folders_of_files_read_elsewhere() {
        let dir = tempfile::tempdir().unwrap();
        let root = crate::util::paths::absolute(dir.path());
        for d in ["content", "themes/default", "code", "book", "node_modules"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        std::fs::write(root.join("book.toml"), "[book]\nsrc = \"content\"\n").unwrap();
        let c = Config::load(&root).unwrap().0;
        let read = [root.join("content/a.md"), root.join("code/example.rs")];
        let plan: Vec<(PathBuf, bool)> = watch_plan(&c, &read).into_iter().collect();
        assert_eq!(
            plan,
            [
                (root.clone(), false),
                (root.join("code"), false),
                (root.join("content"), true),
                (root.join("themes"), true),
            ]
        );
    }
}
