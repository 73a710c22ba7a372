//! `guidebook watch` as an author runs it: from another folder (`cd sub && guidebook watch
//! ../book`), with a chapter that includes a file outside the source folder, real saves, and
//! files the build does not read changing beside it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use crate::support::{self, copy_tree, fixtures};

/// A running `guidebook watch`, its stderr lines arriving on a channel; killed when dropped.
pub(crate) struct Watch {
    child: Child,
    lines: Receiver<String>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Watch {
    pub(crate) fn start(cwd: &Path, root: &str) -> Watch {
        let mut child = Command::new(env!("CARGO_BIN_EXE_guidebook"))
            .args(["watch", root])
            .current_dir(cwd)
            .env_remove("GUIDEBOOK_LOG")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Watch { child, lines }
    }

    /// Waits for a line containing `text`; every line seen on the way is returned with it.
    pub(crate) fn wait_for(&self, text: &str) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let found = line.contains(text);
                    seen.push(line);
                    if found {
                        return seen;
                    }
                }
                Err(_) => break,
            }
        }
        panic!(
            "no line with {text:?} within 20 s; saw:\n{}",
            seen.join("\n")
        );
    }

    /// Lines that arrive within `quiet`.
    fn drain(&self, quiet: Duration) -> Vec<String> {
        let mut seen = Vec::new();
        while let Ok(line) = self.lines.recv_timeout(quiet) {
            seen.push(line);
        }
        seen
    }
}

/// `[T]/book` (the minimal fixture plus a chapter including `code/example.rs`) and `[T]/sub`.
fn tree() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    copy_tree(&fixtures().join("minimal"), &book);
    std::fs::create_dir_all(dir.path().join("sub")).unwrap();
    std::fs::create_dir_all(book.join("code")).unwrap();
    std::fs::write(book.join("code/example.rs"), "fn first_version() {}\n").unwrap();
    std::fs::write(
        book.join("content/chapters/listing.md"),
        "# Listing\n\n```rust\n{{#include ../../code/example.rs}}\n```\n",
    )
    .unwrap();
    let summary = book.join("content/SUMMARY.md");
    let text = std::fs::read_to_string(&summary).unwrap();
    let text = text.replace(
        "- [Beta](chapters/beta.md)",
        "- [Beta](chapters/beta.md)\n- [Listing](chapters/listing.md)",
    );
    std::fs::write(summary, text).unwrap();
    (dir, book)
}

/// Waits until `path` contains `text`; returns how long that took.
fn wait_for_file(path: &Path, text: &str, from: Instant) -> Duration {
    while from.elapsed() < Duration::from_secs(20) {
        if std::fs::read_to_string(path).is_ok_and(|t| t.contains(text)) {
            return from.elapsed();
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("{} never contained {text:?}", path.display());
}

#[test]
fn watch_from_another_folder_rebuilds_on_saves_to_chapters_and_included_files_only() {
    let _timing = support::timing_lock();
    let (dir, book) = tree();
    let watch = Watch::start(&dir.path().join("sub"), "../book");
    watch.wait_for("watching");
    let page = book.join("book/chapters/listing.html");
    assert!(page.is_file(), "first build wrote no site");

    // A save to the included file outside the source folder.
    let saved = Instant::now();
    std::fs::write(book.join("code/example.rs"), "fn second_version() {}\n").unwrap();
    let took = wait_for_file(&page, "second_version", saved);
    eprintln!("included file: rebuilt in {} ms", took.as_millis());
    assert!(took < Duration::from_secs(5), "took {took:?}");
    watch.wait_for("rebuilt after code/example.rs changed");

    // A save to a chapter, as an editor does it: a new file renamed over the old.
    let saved = Instant::now();
    let chapter = book.join("content/chapters/listing.md");
    let tmp = book.join("content/chapters/.listing.md.tmp");
    std::fs::write(&tmp, "# Listing\n\nNow with prose.\n").unwrap();
    std::fs::rename(&tmp, &chapter).unwrap();
    wait_for_file(&page, "Now with prose", saved);
    watch.wait_for("rebuilt after content/chapters/listing.md changed");

    // The file is no longer included: its saves are no longer inputs. Nor are files the
    // build never read, beside the book or in its output.
    std::fs::write(book.join("code/example.rs"), "fn third_version() {}\n").unwrap();
    std::fs::write(book.join("notes.md"), "# Not part of the book\n").unwrap();
    std::fs::create_dir_all(book.join("node_modules/x")).unwrap();
    std::fs::write(book.join("node_modules/x/index.js"), "//\n").unwrap();
    std::fs::create_dir_all(book.join("target/debug")).unwrap();
    std::fs::write(book.join("target/debug/out"), "x").unwrap();
    let after = watch.drain(Duration::from_millis(800));
    assert_eq!(
        after,
        Vec::<String>::new(),
        "rebuilt for files it does not read"
    );
}

#[test]
fn an_edit_that_moves_a_broken_link_by_a_line_moves_its_error_too() {
    let _timing = support::timing_lock();
    let (dir, book) = tree();
    let chapter = book.join("content/chapters/listing.md");
    // Front matter whose line breaks change but whose meaning does not: the chapter's
    // rendering is reused, and its diagnostics must follow the text.
    let broken = "---\ndescription: one #two\n---\n# Listing\n\n[a dead link](nowhere.md)\n";
    std::fs::write(&chapter, broken).unwrap();
    let watch = Watch::start(&dir.path().join("sub"), "../book");
    let first = watch.wait_for("watching");
    let at = |lines: &[String], line: usize| {
        lines.iter().any(|l| {
            l.contains(&format!(
                "listing.md:{line}:1: error: broken link `nowhere.md`"
            ))
        })
    };
    assert!(at(&first, 6), "first build:\n{}", first.join("\n"));
    // The same number of bytes, one more line before the link.
    let moved = broken.replace("one #two", "one\n#two");
    assert_eq!(moved.len(), broken.len());
    std::fs::write(&chapter, moved).unwrap();
    let rebuilt = watch.wait_for("failed");
    assert!(at(&rebuilt, 7), "after the edit:\n{}", rebuilt.join("\n"));
    assert!(!at(&rebuilt, 6), "stale position:\n{}", rebuilt.join("\n"));
}
