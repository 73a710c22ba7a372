//! Where a site may be written, and what `clean` may delete.
//!
//! A build replaces its whole destination, so the destination must never hold anything the
//! author wrote: not the book, its sources or theme, and not a folder of unrelated files.
//! Every site guidebook writes carries [`MARKER`], and only a folder with it (or an empty one)
//! is replaced or deleted without `--force`.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::util::paths;

/// The file at the top of every built site that says guidebook wrote it.
pub const MARKER: &str = ".guidebook-build";

/// What the marker says, for anyone who opens it.
pub const MARKER_TEXT: &str = "This folder was written by guidebook. `guidebook build` replaces it \
and `guidebook clean` deletes it; do not keep your own files here.\n";

/// Why a destination was refused: the reason and the fix, in one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub message: String,
}

/// What the caller is about to do with the destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// Replace it with a new site.
    Build,
    /// Delete it.
    Clean,
}

/// Checks that `dest` may be replaced (or deleted) for the book at `config`. `force` allows
/// replacing a non-empty folder guidebook did not write, never the book's own files.
pub fn check(dest: &Path, config: &Config, intent: Intent, force: bool) -> Result<(), Refusal> {
    let dest = paths::resolve(dest);
    for input in Input::of(config) {
        if let Some(message) = input.conflict(&dest) {
            return Err(Refusal { message });
        }
    }
    if dest.is_file() || (dest.exists() && !dest.is_dir()) {
        return Err(Refusal {
            message: format!(
                "the destination {} is a file, not a folder; choose a folder for the site",
                dest.display()
            ),
        });
    }
    if force || !dest.is_dir() || is_replaceable(&dest) {
        return Ok(());
    }
    let verb = match intent {
        Intent::Build => "replace",
        Intent::Clean => "delete",
    };
    Err(Refusal {
        message: format!(
            "the destination {} holds files guidebook did not write ({}); refusing to {verb} it. \
             Choose an empty or new folder, or pass --force to {verb} its contents",
            dest.display(),
            sample_entries(&dest)
        ),
    })
}

/// A folder guidebook may replace without asking: empty, a guidebook build, or an mdBook build
/// (mdBook users point guidebook at their book, whose `book/` mdBook wrote).
pub fn is_replaceable(dir: &Path) -> bool {
    let Ok(mut entries) = std::fs::read_dir(dir) else {
        return false;
    };
    if entries.next().is_none() {
        return true;
    }
    dir.join(MARKER).is_file() || is_mdbook_build(dir)
}

fn is_mdbook_build(dir: &Path) -> bool {
    let has = |name: &str| dir.join(name).exists();
    has("index.html") && has(".nojekyll") && (has("book.js") || has_prefixed(dir, "book-", ".js"))
}

fn has_prefixed(dir: &Path, prefix: &str, suffix: &str) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with(prefix) && name.ends_with(suffix)
        })
    })
}

/// Up to three names in `dir`, for the refusal message.
fn sample_entries(dir: &Path) -> String {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let more = names.len().saturating_sub(3);
    names.truncate(3);
    let mut listed = names.join(", ");
    if more > 0 {
        listed.push_str(&format!(" and {more} more"));
    }
    listed
}

/// Something of the author's that a destination must neither be, contain nor (for folders
/// read as input) sit inside.
struct Input {
    path: PathBuf,
    what: &'static str,
    /// A site inside it would be read back as input (sources, theme), or replace it.
    no_site_inside: bool,
}

impl Input {
    fn of(config: &Config) -> Vec<Input> {
        let input = |path: &Path, what, no_site_inside| Input {
            path: paths::resolve(path),
            what,
            no_site_inside,
        };
        let mut inputs = vec![
            // The root itself may hold the site (`book/`); containing it may not.
            input(&config.root, "the book's root folder", false),
            input(&config.book_toml, "book.toml", true),
            input(&config.src_dir, "the source folder", true),
        ];
        let theme = config.root.join("themes").join(&config.theme);
        if theme.is_dir() {
            inputs.push(input(&theme, "the theme folder", true));
        }
        for extra in config.additional_css.iter().chain(&config.additional_js) {
            inputs.push(input(&config.root.join(extra), "an additional file", true));
        }
        inputs
    }

    /// Why `dest` (resolved) may not be used, if it may not.
    fn conflict(&self, dest: &Path) -> Option<String> {
        let shown = dest.display();
        let input = self.path.display();
        if dest == self.path {
            return Some(format!(
                "the destination {shown} is {}; building there would replace the book's own \
                 files. Build into a folder of its own, such as `book`",
                self.what
            ));
        }
        if paths::is_within(&self.path, dest) {
            return Some(format!(
                "the destination {shown} contains {} ({input}); replacing it would delete the \
                 book's own files. Build into a folder of its own, such as `book`",
                self.what
            ));
        }
        if self.no_site_inside && paths::is_within(dest, &self.path) {
            return Some(format!(
                "the destination {shown} is inside {} ({input}); the site would be read back as \
                 part of the book. Build into a folder outside it, such as `book`",
                self.what
            ));
        }
        None
    }
}
