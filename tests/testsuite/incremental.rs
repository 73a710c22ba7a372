//! Watch-mode rebuilds reuse cached pages; after any sequence of edits their output must be
//! byte-for-byte what a clean build produces. 200 random edit sequences, seeded, so a failure
//! can be replayed.

use std::collections::BTreeMap;

use crate::support;
use crate::support::TestBook;
use guidebook::pipeline::{self, Session};
use guidebook::render::BuildOptions;

/// A small deterministic random number generator (xorshift), so runs are reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Every output file with its bytes, or the sorted error lines.
fn outcome(
    result: Result<pipeline::Built, pipeline::Failed>,
) -> Result<BTreeMap<String, Vec<u8>>, Vec<String>> {
    match result {
        Ok(built) => Ok(built
            .site
            .files
            .iter()
            .map(|f| (f.path.clone(), f.contents.bytes().unwrap().into_owned()))
            .collect()),
        Err(failed) => Err(failed
            .diagnostics
            .sorted()
            .iter()
            .map(|d| d.to_string())
            .collect()),
    }
}

const CHAPTERS: &[&str] = &[
    "content/chapters/alpha.md",
    "content/chapters/beta.md",
    "content/welcome.md",
    "content/glossary.md",
];

/// Applies one random edit and says what it was.
fn edit(book: &TestBook, rng: &mut Rng, step: usize) -> String {
    let n = rng.next() % 1000;
    let append = |rel: &str, text: &str| book.write(rel, &format!("{}{text}", book.read(rel)));
    let replace =
        |rel: &str, from: &str, to: &str| book.write(rel, &book.read(rel).replacen(from, to, 1));
    match rng.below(14) {
        0 => {
            let ch = CHAPTERS[rng.below(CHAPTERS.len())];
            append(ch, &format!("\nA new paragraph {n}.\n"));
            format!("paragraph in {ch}")
        }
        1 => {
            let ch = CHAPTERS[rng.below(CHAPTERS.len())];
            append(ch, &format!("\n## Added section {n}\n\nText.\n"));
            format!("heading in {ch}")
        }
        2 => {
            replace(
                "content/chapters/beta.md",
                "title: Beta",
                &format!("title: Beta {n}"),
            );
            "front matter title".into()
        }
        3 => {
            replace(
                "content/SUMMARY.md",
                "[Alpha detail]",
                &format!("[Alpha detail {n}]"),
            );
            "SUMMARY title".into()
        }
        4 => {
            replace(
                "content/questions/residents.yaml",
                "How often",
                &format!("How often ({n})"),
            );
            "question text".into()
        }
        5 => {
            book.write(
                "themes/default/css/variables.css",
                &format!(":root {{ --accent: #{:06x}; }}\n", n * 997),
            );
            "theme css".into()
        }
        6 => {
            book.write(
                "themes/default/templates/chapter.html",
                &format!("{{% extends \"default/chapter.html\" %}}\n{{% block title %}}{n} {{{{ page.title }}}}{{% endblock title %}}\n"),
            );
            "theme template".into()
        }
        7 => {
            replace(
                "book.toml",
                "description = \"",
                &format!("description = \"{n} "),
            );
            "book.toml".into()
        }
        8 => {
            // Break a data file (the next edits may or may not fix it).
            replace(
                "content/questions/residents.yaml",
                "    why: Shows the real workload.",
                "    why: [unclosed",
            );
            "broken YAML".into()
        }
        9 => {
            replace(
                "content/questions/residents.yaml",
                "    why: [unclosed",
                "    why: Shows the real workload.",
            );
            "fixed YAML".into()
        }
        10 => {
            let rel = format!("content/chapters/new-{step}-{n}.md");
            book.write(&rel, &format!("# New {n}\n\nSee [beta](beta.md).\n"));
            append(
                "content/SUMMARY.md",
                &format!("- [New {n}](chapters/new-{step}-{n}.md)\n"),
            );
            "new chapter".into()
        }
        11 => {
            replace(
                "content/checklists/malignancy.yaml",
                "afraid to speak",
                &format!("afraid to speak ({n})"),
            );
            "checklist text".into()
        }
        12 => {
            // An included file: the chapter that includes it must be read again.
            append(
                "content/snippets/shared.txt",
                &format!("\nShared line {n}.\n"),
            );
            "included file".into()
        }
        _ => {
            append(
                "content/chapters/alpha-detail.md",
                &format!("\n- [ ] Task {n} {{#task-{step}-{n}}}\n"),
            );
            "task item".into()
        }
    }
}

#[test]
fn incremental_rebuilds_equal_clean_builds_over_random_edit_sequences() {
    let sequences = 200;
    let steps = 4;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for seq in 0..sequences {
        let book = TestBook::from_fixture("minimal");
        let mut session = Session::new(
            book.root(),
            BuildOptions {
                live_reload: true,
                ..BuildOptions::default()
            },
        );
        assert!(
            session.render().is_ok(),
            "sequence {seq}: the fixture builds"
        );
        let mut done = Vec::new();
        for step in 0..steps {
            done.push(edit(&book, &mut rng, step));
            // As in watch mode: the session is told which files changed.
            let incremental = outcome(session.render_after(&book.take_written()));
            let clean = outcome(pipeline::render(
                book.root(),
                &BuildOptions {
                    live_reload: true,
                    ..BuildOptions::default()
                },
            ));
            if incremental != clean {
                let detail = match (&incremental, &clean) {
                    (Ok(a), Ok(b)) => a
                        .iter()
                        .filter(|(k, v)| b.get(*k) != Some(v))
                        .map(|(k, _)| k.clone())
                        .chain(b.keys().filter(|k| !a.contains_key(*k)).cloned())
                        .collect::<Vec<_>>()
                        .join(", "),
                    _ => format!(
                        "{:?}\nvs\n{:?}",
                        incremental.as_ref().err(),
                        clean.as_ref().err()
                    ),
                };
                panic!(
                    "sequence {seq}, after edits {done:?}: incremental output differs from a clean build: {detail}"
                );
            }
        }
    }
}

#[test]
fn an_edit_to_one_chapter_re_renders_only_that_page() {
    let book = TestBook::from_fixture("minimal");
    let mut session = Session::new(book.root(), BuildOptions::default());
    let first = session.render().unwrap_or_else(|_| panic!("builds"));
    assert!(first.rendered_pages >= 5);
    let again = session.render().unwrap_or_else(|_| panic!("builds"));
    assert_eq!(
        again.rendered_pages, 0,
        "nothing changed, nothing re-rendered"
    );
    book.write(
        "content/chapters/alpha.md",
        &format!(
            "{}\nOne more line.\n",
            book.read("content/chapters/alpha.md")
        ),
    );
    book.take_written();
    let edited = session
        .render_after(&[book.path("content/chapters/alpha.md")])
        .unwrap_or_else(|_| panic!("builds"));
    assert_eq!(edited.rendered_pages, 1, "only alpha.html");
    assert_eq!(edited.chapters_read, 1, "only alpha.md is read again");
    book.write(
        "content/SUMMARY.md",
        &book
            .read("content/SUMMARY.md")
            .replace("[Beta]", "[Beta, renamed]"),
    );
    let nav = session
        .render_after(&book.take_written())
        .unwrap_or_else(|_| panic!("builds"));
    assert!(
        nav.chapters_read >= 5,
        "a SUMMARY change reads every chapter"
    );
    assert!(
        nav.rendered_pages >= 5,
        "a SUMMARY change refreshes navigation everywhere"
    );
}

/// A book of `n` short chapters in two parts, each with headings, a link to the next one,
/// a task item and a glossary-like term, so it spans several of the build's chapter batches.
fn many_chapters(n: usize) -> TestBook {
    let book = TestBook::from_fixture("minimal");
    let mut summary = String::from("# Summary\n\n[Welcome](welcome.md)\n\n# Part one\n\n");
    for i in 0..n {
        if i == n / 2 {
            summary.push_str("\n# Part two\n\n");
        }
        summary.push_str(&format!("- [Chapter {i}](many/c{i}.md)\n"));
        let next = (i + 1) % n;
        book.write(
            &format!("content/many/c{i}.md"),
            &format!(
                "# Chapter {i}\n\nBody of chapter {i} about visas and rotations, see [the next](c{next}.md#notes).\n\n\
                 ## Notes\n\n- [ ] Ask about call {{#many-task-{i}}}\n\n## Term {i}\n\nMore words, number {i}.\n"
            ),
        );
    }
    let fixture = book.read("content/SUMMARY.md");
    // Keep the fixture's own chapters (and their data) after the generated ones.
    let rest = fixture
        .split_once("[Welcome](welcome.md)\n")
        .map_or("", |(_, rest)| rest);
    book.write("content/SUMMARY.md", &format!("{summary}\n{rest}"));
    book
}

/// `guidebook build` writes pages into its staging directory as they render, keeping none;
/// what lands on disk must be exactly the site a watch session renders in memory.
#[test]
fn a_build_written_as_it_renders_equals_the_site_in_memory() {
    let generated = many_chapters(1300);
    let roots = [
        support::fixtures().join("minimal"),
        support::fixtures().join("hostile"),
        generated.root().to_path_buf(),
    ];
    for root in roots {
        let options = BuildOptions::default();
        let in_memory = outcome(Session::new(&root, options.clone()).render())
            .unwrap_or_else(|e| panic!("{}: {e:#?}", root.display()));
        let dest = tempfile::tempdir().unwrap();
        let site = dest.path().join("site");
        let to = pipeline::WriteTo {
            dest: Some(site.clone()),
            force: false,
        };
        pipeline::build(&root, &to, &options)
            .unwrap_or_else(|f| panic!("{}: {:#?}", root.display(), f.diagnostics));
        // The marker that says guidebook wrote the folder is the one file only the disk has.
        let marker = guidebook::output::guard::MARKER;
        let on_disk: BTreeMap<String, Vec<u8>> = support::snapshot(&site)
            .into_iter()
            .filter(|(p, _)| p.as_os_str() != marker)
            .map(|(p, b)| (p.to_string_lossy().replace('\\', "/"), b))
            .collect();
        assert_eq!(
            on_disk.keys().collect::<Vec<_>>(),
            in_memory.keys().collect::<Vec<_>>(),
            "{}",
            root.display()
        );
        for (path, bytes) in &in_memory {
            assert!(
                on_disk[path] == *bytes,
                "{}: {path} differs between the written build and the render in memory",
                root.display()
            );
        }
        assert!(in_memory.contains_key("print.html") && in_memory.contains_key("search/meta.js"));
    }
}

/// The search index built later (as `serve` does, from the renderings a build hands over)
/// is the one a build makes inline, for a one-off session and a kept one alike.
#[test]
fn a_deferred_search_index_equals_the_inline_one() {
    let generated = many_chapters(300);
    let root = generated.root();
    let inline = outcome(pipeline::render(root, &BuildOptions::default())).unwrap();
    let inline: BTreeMap<&String, &Vec<u8>> = inline
        .iter()
        .filter(|(path, _)| path.starts_with("search/"))
        .collect();
    assert!(inline.len() > 3, "{:?}", inline.keys());
    let deferred = BuildOptions {
        defer_search: true,
        ..BuildOptions::default()
    };
    let one_off = pipeline::render(root, &deferred);
    let kept = Session::new(root, deferred.clone()).render();
    for built in [one_off, kept] {
        let job = built
            .ok()
            .and_then(|b| b.site.search)
            .expect("a search job");
        let (files, _) = job.run();
        let later: BTreeMap<&String, Vec<u8>> = files
            .iter()
            .map(|f| (&f.path, f.contents.bytes().unwrap().into_owned()))
            .collect();
        assert_eq!(
            later.keys().collect::<Vec<_>>(),
            inline.keys().collect::<Vec<_>>()
        );
        for (path, bytes) in &later {
            assert!(
                inline[path] == bytes,
                "{path} differs from the inline index"
            );
        }
    }
}
