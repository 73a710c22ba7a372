//! The guide's words come from its `vocabulary.yaml`: the sample book `guidebook init` writes
//! (a study-abroad guide) builds with the same binary as the IR guide and its chrome shows
//! none of the IR guide's words; undeclared audiences and a malformed vocabulary fail at their
//! file:line:col.

use std::path::Path;

use crate::support::{self, TestBook, fixtures, run_in};

/// Words of the IR guide that must not appear in another guide's pages.
const IR_WORDS: &[&str] = &[
    "IMG",
    "interview",
    "program director",
    "program-director",
    "radiolog",
    "us-img",
    "resident",
    "coordinator",
    "Match",
    "ir-faculty",
];

/// `guidebook init` into a fresh directory, then `guidebook build` there.
fn sample_book() -> (TestBook, std::path::PathBuf) {
    let dir = TestBook::empty();
    run_in(dir.root(), &["init", "abroad", "--title", "Study abroad"]).assert_success();
    let root = dir.root().join("abroad");
    let run = run_in(&root, &["build"]);
    run.assert_success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    (dir, root)
}

/// Every generated file a reader sees: the pages, the navigation and data scripts, the
/// generated print styles (the theme's own scripts and styles are the same for every guide).
fn generated_files(site: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(site) {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(site)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let theme_file = rel.starts_with("assets/") && rel != "assets/css/paper.css";
        if !entry.file_type().is_file() || theme_file {
            continue;
        }
        if let Ok(text) = std::fs::read_to_string(entry.path()) {
            files.push((rel, text));
        }
    }
    files
}

#[test]
fn a_guide_in_another_field_shows_none_of_the_ir_guides_words() {
    let (_dir, root) = sample_book();
    let site = root.join("book");
    let files = generated_files(&site);
    assert!(files.iter().any(|(rel, _)| rel == "questions/advisor.html"));
    let mut found = Vec::new();
    for (rel, text) in &files {
        let lower = text.to_lowercase();
        for word in IR_WORDS {
            let hit = if word.chars().all(|c| c.is_uppercase()) || *word == "Match" {
                text.contains(word)
            } else {
                lower.contains(&word.to_lowercase())
            };
            if hit {
                found.push(format!("{rel}: {word}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "IR words in another guide:\n{}",
        found.join("\n")
    );
    assert!(support::broken_links(&site).is_empty());
}

/// The generated chrome that carries the vocabulary's words, reviewed as a whole.
#[test]
fn the_sample_guides_tools_speak_its_own_words() {
    let (_dir, root) = sample_book();
    let read = |rel: &str| std::fs::read_to_string(root.join("book").join(rel)).unwrap();
    let outer = |rel: &str, css: &str| {
        let doc = support::parse(&read(rel));
        support::select(&doc, css)
            .iter()
            .map(|e| e.html())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let toc = read("toc.js");
    let tools = toc
        .split("{\"kind\":\"part\"")
        .nth(2)
        .map(|t| format!("{{\"kind\":\"part\"{t}"))
        .unwrap_or(toc.clone());
    let chrome = [
        ("toc.js, the tools part".to_owned(), tools),
        (
            "questions/index.html main".to_owned(),
            outer("questions/index.html", "main"),
        ),
        (
            "questions/advisor.html filters and first question's tags".to_owned(),
            outer(
                "questions/advisor.html",
                "form.question-filters, .question-meta",
            ),
        ),
        (
            "my-sheet.html h1 and print box".to_owned(),
            outer("my-sheet.html", "h1, .my-sheet-print"),
        ),
        (
            "welcome.html audience".to_owned(),
            outer("welcome.html", ".chapter-meta"),
        ),
        (
            "worksheets/first-call.html header".to_owned(),
            outer("worksheets/first-call.html", ".header-fields"),
        ),
        (
            "assets/css/paper.css, the reader's sheet".to_owned(),
            read("assets/css/paper.css")
                .lines()
                .skip_while(|l| !l.starts_with("@page my-sheet"))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    ];
    let shown = chrome
        .iter()
        .map(|(what, text)| format!("== {what}\n{text}\n"))
        .collect::<String>();
    insta::assert_snapshot!(shown);
}

/// `guidebook build` of the minimal book with `bad/<case>` over it: exit 1 and this stderr.
fn fails_with(case: &str, expected: &str) {
    let book = TestBook::from_fixture("minimal");
    book.overlay(&format!("bad/{case}"));
    assert!(fixtures().join("bad").join(case).is_dir());
    let run = book.run(&["build"]);
    assert_eq!(run.code, 1, "{case}: {}", run.stderr);
    assert_eq!(run.stderr, expected, "{case}: whole stderr");
}

#[test]
fn an_undeclared_audience_or_reader_group_is_an_error_at_its_value() {
    fails_with(
        "vocabulary-undeclared",
        concat!(
            "content/questions/advisors.yaml:3:11: error: unknown audience \"advisor\" (valid: program-director, ir-faculty, residents, coordinator, alumni); declare it under `audiences` in vocabulary.yaml\n",
            "  |\n",
            "3 | audience: advisor\n",
            "  |           ^\n",
            "\n",
            "content/questions/advisors.yaml:8:26: error: unknown reader group \"exchange\" (valid: all, us-img, non-us-img); declare it under `reader_groups.groups` in vocabulary.yaml\n",
            "  |\n",
            "8 |     applies_to: [us-img, exchange]\n",
            "  |                          ^\n",
            "\n",
            "content/questions/advisors.yaml:12:17: error: unknown reader group \"returning\" (valid: all, us-img, non-us-img); declare it under `reader_groups.groups` in vocabulary.yaml\n",
            "   |\n",
            "12 |     applies_to: returning\n",
            "   |                 ^\n",
            "\n",
            "error: build failed with 3 errors; nothing was written\n",
        ),
    );
}

#[test]
fn a_malformed_vocabulary_is_reported_at_every_bad_value() {
    fails_with(
        "vocabulary-malformed",
        concat!(
            "content/vocabulary.yaml:5:5: error: audiences[0]: unknown field \"colour\"; allowed fields: id, label, heading\n",
            "  |\n",
            "5 |     colour: blue\n",
            "  |     ^\n",
            "\n",
            "content/vocabulary.yaml:7:11: error: reader_groups: groups should be a list, not \"us-img\"\n",
            "  |\n",
            "7 |   groups: us-img\n",
            "  |           ^\n",
            "\n",
            "content/vocabulary.yaml:9:3: error: tools: unknown field \"heding\", did you mean \"heading\"?\n",
            "  |\n",
            "9 |   heding: Your tools\n",
            "  |   ^\n",
            "\n",
            "error: build failed with 3 errors; nothing was written\n",
        ),
    );
}

#[test]
fn vocabulary_ids_are_well_formed_unique_and_not_all() {
    fails_with(
        "vocabulary-reserved-id",
        concat!(
            "content/vocabulary.yaml:8:9: error: \"residents\" is declared twice\n",
            "  |\n",
            "8 |   - id: residents\n",
            "  |         ^\n",
            "\n",
            "content/vocabulary.yaml:11:9: error: invalid id \"Alumni\": use lowercase letters, digits and hyphens\n",
            "   |\n",
            "11 |   - id: Alumni\n",
            "   |         ^\n",
            "\n",
            "content/vocabulary.yaml:16:11: error: \"all\" is reserved for every reader; give the group another id\n",
            "   |\n",
            "16 |     - id: all\n",
            "   |           ^\n",
            "\n",
            "error: build failed with 3 errors; nothing was written\n",
        ),
    );
}
