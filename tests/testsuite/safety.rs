//! guidebook never deletes or overwrites what it did not write. Each case runs the real binary
//! in a temporary tree holding a book, a neighbouring folder and a file beside the book, and
//! checks that a refused command exits 1 with its whole message and leaves every file of the
//! tree byte-identical.

use std::path::{Path, PathBuf};

use crate::support::{Run, copy_tree, fixtures, run_in, snapshot};

/// `[T]/book` (the minimal fixture), `[T]/neighbour/keep.txt` and `[T]/outside.css`.
struct Tree {
    dir: tempfile::TempDir,
}

impl Tree {
    fn new() -> Tree {
        let dir = tempfile::tempdir().unwrap();
        let tree = Tree { dir };
        copy_tree(&fixtures().join("minimal"), &tree.book());
        std::fs::create_dir_all(tree.path("neighbour")).unwrap();
        std::fs::write(tree.path("neighbour/keep.txt"), "an author's file\n").unwrap();
        std::fs::write(tree.path("outside.css"), "body { color: red }\n").unwrap();
        tree
    }

    fn root(&self) -> PathBuf {
        self.dir.path().canonicalize().unwrap()
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    fn book(&self) -> PathBuf {
        self.path("book")
    }

    /// Appends `toml` to the book's book.toml.
    fn configure(&self, toml: &str) {
        let path = self.book().join("book.toml");
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str(toml);
        std::fs::write(path, text).unwrap();
    }

    /// Runs guidebook in `cwd` (relative to the tree) and expects a refusal: exit 1 and the
    /// tree unchanged. Returns stderr with the tree's path shown as `[T]`.
    fn refused(&self, cwd: &str, args: &[&str]) -> String {
        let before = snapshot(&self.root());
        let run = run_in(&self.path(cwd), args);
        assert_eq!(
            run.code, 1,
            "{args:?} should be refused; stderr:\n{}",
            run.stderr
        );
        let after = snapshot(&self.root());
        assert_eq!(
            changed(&before, &after),
            Vec::<String>::new(),
            "{args:?} touched files"
        );
        self.redact(&run)
    }

    fn redact(&self, run: &Run) -> String {
        run.stderr
            .replace(&self.root().display().to_string(), "[T]")
    }
}

/// Paths added, removed or changed between two snapshots.
fn changed(
    before: &std::collections::BTreeMap<PathBuf, Vec<u8>>,
    after: &std::collections::BTreeMap<PathBuf, Vec<u8>>,
) -> Vec<String> {
    let mut paths: Vec<&PathBuf> = before.keys().chain(after.keys()).collect();
    paths.sort();
    paths.dedup();
    paths
        .into_iter()
        .filter(|p| before.get(*p) != after.get(*p))
        .map(|p| p.display().to_string())
        .collect()
}

const FAILED: &str = "error: build failed with 1 error; nothing was written\n";

#[test]
fn build_into_the_book_or_its_sources_is_refused() {
    let tree = Tree::new();
    let root_msg = "the destination [T]/book is the book's root folder; building there would \
                    replace the book's own files. Build into a folder of its own, such as `book`";
    assert_eq!(
        tree.refused("book", &["build", "-d", "."]),
        format!(".: error: {root_msg}\n\n{FAILED}")
    );
    assert_eq!(
        tree.refused(".", &["build", "book", "-d", "book"]),
        format!("book: error: {root_msg}\n\n{FAILED}")
    );
    assert_eq!(
        tree.refused(".", &["build", "book", "-d", "book/content"]),
        "book/content: error: the destination [T]/book/content is the source folder; building \
         there would replace the book's own files. Build into a folder of its own, such as \
         `book`\n\n"
            .to_owned()
            + FAILED
    );
    assert_eq!(
        tree.refused(".", &["build", "book", "-d", "book/content/site"]),
        "book/content/site: error: the destination [T]/book/content/site is inside the source \
         folder ([T]/book/content); the site would be read back as part of the book. Build into \
         a folder outside it, such as `book`\n\n"
            .to_owned()
            + FAILED
    );
    assert_eq!(
        tree.refused("book", &["build", "-d", ".."]),
        "[T]: error: the destination [T] contains the book's root folder ([T]/book); replacing it \
         would delete the book's own files. Build into a folder of its own, such as `book`\n\n"
            .to_owned()
            + FAILED
    );
}

#[test]
fn a_folder_guidebook_did_not_write_is_replaced_only_with_force() {
    let tree = Tree::new();
    let stderr = tree.refused("book", &["build", "-d", "../neighbour"]);
    assert_eq!(
        stderr,
        "[T]/neighbour: error: the destination [T]/neighbour holds files guidebook did not write \
         (keep.txt); refusing to replace it. Choose an empty or new folder, or pass --force to \
         replace its contents\n\n"
            .to_owned()
            + FAILED
    );
    // A file is never a destination, not even with --force.
    let file = tree.refused("book", &["build", "--force", "-d", "../outside.css"]);
    assert!(file.starts_with("[T]/outside.css: error: the destination [T]/outside.css is a file"));
    // --force does what was asked; the next build needs no --force: the site is marked.
    run_in(&tree.book(), &["build", "--force", "-d", "../neighbour"]).assert_success();
    assert!(!tree.path("neighbour/keep.txt").exists());
    assert!(tree.path("neighbour/.guidebook-build").is_file());
    run_in(&tree.book(), &["build", "-d", "../neighbour"]).assert_success();
}

#[test]
fn build_dir_settings_that_name_the_book_are_refused_by_build_check_clean_and_watch() {
    let tree = Tree::new();
    let book_toml = std::fs::read_to_string(tree.book().join("book.toml")).unwrap();
    let line = book_toml.lines().count() + 3;
    let pad = " ".repeat(line.to_string().len());
    for (build_dir, reason) in [
        (
            "",
            "the destination [T]/book is the book's root folder; building there would replace the \
             book's own files",
        ),
        (
            ".",
            "the destination [T]/book is the book's root folder; building there would replace the \
             book's own files",
        ),
        (
            "content",
            "the destination [T]/book/content is the source folder; building there would replace \
             the book's own files",
        ),
        (
            "..",
            "the destination [T] contains the book's root folder ([T]/book); replacing it would \
             delete the book's own files",
        ),
    ] {
        std::fs::write(tree.book().join("book.toml"), &book_toml).unwrap();
        tree.configure(&format!("\n[build]\nbuild-dir = \"{build_dir}\"\n"));
        let at = format!(
            "book.toml:{line}:13: error: {reason}. Build into a folder of its own, such as \
             `book`\n{pad} |\n{line} | build-dir = \"{build_dir}\"\n{pad} |             ^\n\n"
        );
        assert_eq!(tree.refused("book", &["build"]), format!("{at}{FAILED}"));
        assert_eq!(
            tree.refused("book", &["clean"]),
            format!("{at}error: nothing was deleted\n")
        );
        // --force never reaches the book's own files.
        assert_eq!(
            tree.refused("book", &["clean", "--force"]),
            format!("{at}error: nothing was deleted\n")
        );
        assert_eq!(
            tree.refused("book", &["check"]),
            format!("{at}error: check found 1 error\n")
        );
        assert_eq!(tree.refused("book", &["watch"]), at);
    }
}

#[test]
fn clean_deletes_only_a_site_guidebook_wrote() {
    let tree = Tree::new();
    tree.configure("\n[build]\nbuild-dir = \"../neighbour\"\n");
    let stderr = tree.refused("book", &["clean"]);
    assert!(
        stderr.contains("holds files guidebook did not write (keep.txt); refusing to delete it"),
        "{stderr}"
    );
    run_in(&tree.book(), &["clean", "--force"]).assert_success();
    assert!(!tree.path("neighbour").exists());
    run_in(&tree.book(), &["build"]).assert_success();
    run_in(&tree.book(), &["clean"]).assert_success();
    assert!(!tree.path("neighbour").exists());
}

#[test]
fn additional_files_and_themes_must_stay_inside_the_book() {
    let tree = Tree::new();
    let outside = tree.path("outside.css").display().to_string();
    for (setting, shown) in [
        (format!("additional-css = [\"{outside}\"]"), outside.clone()),
        (
            "additional-css = [\"../outside.css\"]".into(),
            "../outside.css".into(),
        ),
        (
            "additional-js = [\"../outside.css\"]".into(),
            "../outside.css".into(),
        ),
    ] {
        let tree = Tree::new();
        let text = std::fs::read_to_string(tree.book().join("book.toml")).unwrap();
        let text = text.replace(
            "[output.html]\n",
            &format!(
                "[output.html]\n{}\n",
                setting.replace(&outside, &tree.path("outside.css").display().to_string())
            ),
        );
        std::fs::write(tree.book().join("book.toml"), text).unwrap();
        let stderr = tree.refused("book", &["build"]);
        let shown = shown.replace(&outside, "[T]/outside.css");
        assert!(
            stderr.starts_with(&format!(
                "book.toml:9:{}: error: `{shown}` is outside the book: additional files must be \
                 relative paths inside the book's folder (copy the file into it)\n",
                setting.find('[').unwrap() + 2
            )),
            "{stderr}"
        );
    }
    // A theme is a name under themes/, not a path, and its folder may not lead outside.
    tree.configure("");
    let text = std::fs::read_to_string(tree.book().join("book.toml")).unwrap();
    let with_theme = |theme: &str| {
        text.replace(
            "[output.html]\n",
            &format!("[output.html]\ntheme = \"{theme}\"\n"),
        )
    };
    std::fs::write(
        tree.book().join("book.toml"),
        with_theme(&tree.path("neighbour").display().to_string()),
    )
    .unwrap();
    let stderr = tree.refused("book", &["build"]);
    assert!(
        stderr.contains("error: theme `[T]/neighbour` is not a theme name"),
        "{stderr}"
    );
    std::fs::create_dir_all(tree.book().join("themes")).unwrap();
    std::os::unix::fs::symlink(tree.path("neighbour"), tree.book().join("themes/linked")).unwrap();
    std::fs::write(tree.book().join("book.toml"), with_theme("linked")).unwrap();
    let stderr = tree.refused("book", &["build"]);
    assert!(
        stderr.contains("error: theme `linked` is not a theme name"),
        "{stderr}"
    );
}

#[test]
fn a_chapter_or_file_named_like_a_generated_one_is_an_error_naming_both() {
    for (name, what) in [
        (
            "404.md",
            "the chapter content/404.md and a page guidebook makes itself",
        ),
        (
            "print.md",
            "the chapter content/print.md and a page guidebook makes itself",
        ),
        (
            "contents.md",
            "the chapter content/contents.md and a page guidebook makes itself",
        ),
    ] {
        let tree = Tree::new();
        let stem = name.trim_end_matches(".md");
        std::fs::write(tree.book().join("content").join(name), "# Mine\n\nText.\n").unwrap();
        let summary = tree.book().join("content/SUMMARY.md");
        let mut text = std::fs::read_to_string(&summary).unwrap();
        text.push_str(&format!("\n- [Mine]({name})\n"));
        std::fs::write(summary, text).unwrap();
        let stderr = tree.refused("book", &["build"]);
        assert!(
            stderr.starts_with(&format!(
                "content/{name}: error: two files of the site would be written to \
                 `{stem}.html`: {what}; rename one of them\n"
            )),
            "{stderr}"
        );
    }
    let tree = Tree::new();
    std::fs::write(tree.book().join("content/toc.js"), "// mine\n").unwrap();
    let stderr = tree.refused("book", &["build"]);
    assert!(
        stderr.starts_with(
            "content/toc.js: error: two files of the site would be written to `toc.js`: the \
             file content/toc.js and a page guidebook makes itself; rename one of them\n"
        ),
        "{stderr}"
    );
}

#[test]
fn staging_left_by_a_killed_build_is_removed_and_ctrl_c_leaves_none() {
    let tree = Tree::new();
    run_in(&tree.book(), &["build"]).assert_success();
    // What a build killed with SIGKILL leaves: its staging folder, named for a dead process.
    let abandoned = tree.book().join(".book.tmp-4000000-abcdef");
    std::fs::create_dir_all(abandoned.join("chapters")).unwrap();
    std::fs::write(abandoned.join(".guidebook-build"), "").unwrap();
    // Not guidebook's (no marker): left alone.
    let foreign = tree.book().join(".book.tmp-4000001-mine");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
    run_in(&tree.book(), &["build"]).assert_success();
    assert!(!abandoned.exists());
    assert!(foreign.join("notes.txt").is_file());

    // Ctrl-C in the middle of a build of a large book.
    let chapters: String = (0..3000)
        .map(|i| format!("- [Chapter {i}](gen/c{i}.md)\n"))
        .collect();
    std::fs::create_dir_all(tree.book().join("content/gen")).unwrap();
    for i in 0..3000 {
        let body = format!(
            "# Chapter {i}\n\n{}\n",
            "Some words to render. ".repeat(200)
        );
        std::fs::write(tree.book().join(format!("content/gen/c{i}.md")), body).unwrap();
    }
    let summary = tree.book().join("content/SUMMARY.md");
    let text = std::fs::read_to_string(&summary).unwrap() + "\n" + &chapters;
    std::fs::write(&summary, text).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_guidebook"))
        .arg("build")
        .current_dir(tree.book())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let staging = || staging_dirs(&tree.book());
    let started = std::time::Instant::now();
    while staging().is_empty() && started.elapsed().as_secs() < 30 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(!staging().is_empty(), "no staging folder appeared");
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(130),
        "interrupted build should exit 130"
    );
    assert_eq!(staging(), Vec::<String>::new());
    assert!(
        tree.book().join("book/index.html").is_file(),
        "previous site kept"
    );
}

/// `stderr` with the page named after "rendering" shown as `[PAGE]`, when it is one of the
/// book's pages.
fn redact_page(stderr: &str) -> String {
    let Some((before, rest)) = stderr.split_once("rendering `") else {
        return stderr.to_owned();
    };
    let Some((page, after)) = rest.split_once('`') else {
        return stderr.to_owned();
    };
    assert!(page.ends_with(".html"), "not a page: {page}");
    format!("{before}rendering `[PAGE]`{after}")
}

/// guidebook's staging and old-site folders in `dir`.
fn staging_dirs(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".book.tmp-") || n.starts_with(".book.old-"))
        .filter(|n| !n.contains("-mine"))
        .collect();
    names.sort();
    names
}

#[test]
fn a_runaway_template_stops_the_build_naming_it_and_the_previous_site_stays() {
    let tree = Tree::new();
    run_in(&tree.book(), &["build"]).assert_success();
    let templates = tree.book().join("themes/default/templates");
    std::fs::create_dir_all(&templates).unwrap();
    for (body, why) in [
        (
            "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}",
            // Chapters render in parallel: whichever the watchdog sees first is named.
            "ran for more than 10 s rendering `[PAGE]` (a loop that never ends?); stopped",
        ),
        (
            "{% set_global s = \"xxxxxxxxxxxxxxxx\" %}{% for i in range(end=64) %}{% set_global s = s ~ s %}{% endfor %}{{ s | length }}",
            "",
        ),
    ] {
        let template = format!(
            "{{% extends \"default/chapter.html\" %}}\n{{% block main %}}{body}{{% endblock %}}\n"
        );
        std::fs::write(templates.join("chapter.html"), template).unwrap();
        let started = std::time::Instant::now();
        let stderr = tree.refused("book", &["build"]);
        assert!(
            started.elapsed().as_secs() < 30,
            "took {:?}",
            started.elapsed()
        );
        let first = stderr.lines().next().unwrap_or_default();
        assert!(
            first.starts_with(
                "themes/default/templates/chapter.html: error: template `chapter.html` "
            ),
            "{stderr}"
        );
        if !why.is_empty() {
            assert_eq!(
                redact_page(&stderr),
                format!(
                    "themes/default/templates/chapter.html: error: template `chapter.html` {why}\n\
                     error: build stopped; nothing was written\n"
                )
            );
        }
        assert_eq!(staging_dirs(&tree.book()), Vec::<String>::new());
    }
}
