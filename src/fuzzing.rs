//! Entry points for the cargo-fuzz targets in `fuzz/` and their regression tests in
//! `tests/fuzz_regressions.rs`. Not part of the supported API.
//!
//! Each entry point runs one parser on text in memory, twice, and checks properties beyond "no
//! panic": the two runs agree, and every diagnostic points inside the text it names. A broken
//! property panics, which is what a fuzzer looks for; the checks live here so the fuzz targets
//! and the regression tests apply exactly the same ones.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diagnostics::Diagnostics;
use crate::load::data::DataKind;
use crate::markdown::links::PageLocation;
use crate::markdown::{self, RenderContext};
use crate::model::{Book, Chapter, SummaryItem};
use crate::render::blocks::DataBlocks;
use crate::theme::Theme;

/// The front matter splitter and parser on a chapter's text.
pub fn front_matter(text: &str) {
    let path = Path::new("chapter.md");
    let run = || {
        let split = crate::load::chapter::front_matter(path, text);
        if let Some(start) = split.body_start {
            assert!(
                start <= text.len() && text.is_char_boundary(start),
                "body start {start} is not a boundary in the text"
            );
        }
        format!("{:?} {:?}", split.body_start, split.front_matter) + &shown(&split.diagnostics)
    };
    let first = run();
    assert_eq!(first, run(), "front matter parsing is not deterministic");
    let split = crate::load::chapter::front_matter(path, text);
    assert_positions_within(&split.diagnostics, &[(path, text)]);
}

/// The SUMMARY.md parser.
pub fn summary(text: &str) {
    let path = Path::new("SUMMARY.md");
    let (items, diags) = crate::load::summary::parse(text, path);
    let (again, diags_again) = crate::load::summary::parse(text, path);
    assert!(items == again, "SUMMARY.md parsing is not deterministic");
    assert_eq!(shown(&diags), shown(&diags_again));
    assert_positions_within(&diags, &[(path, text)]);
    let lines = line_count(text);
    let mut links = Vec::new();
    crate::load::flatten(&items, &mut links);
    for link in links {
        assert!(
            (1..=lines).contains(&link.line),
            "link `{}` on line {} of {lines}",
            link.title,
            link.line
        );
    }
    check_numbers(&items, &[]);
}

/// Numbered chapters count 1, 2, 3... under their parent's number.
fn check_numbers(items: &[SummaryItem], parent: &[u32]) {
    let mut n = 0;
    for item in items {
        if let SummaryItem::Link(link) = item {
            if let Some(number) = &link.number {
                n += 1;
                let (last, prefix) = number
                    .split_last()
                    .expect("a chapter number is never empty");
                assert_eq!(
                    (prefix, *last),
                    (parent, n),
                    "numbering of `{}`",
                    link.title
                );
                check_numbers(&link.children, number);
            } else {
                assert!(
                    link.children.is_empty(),
                    "an unnumbered chapter has children"
                );
            }
        }
    }
}

/// `Directive::parse` on one line of text: every argument offset points at the argument's
/// first byte, so the text from there, without its quotes, reads `key=value` (or `value`).
pub fn directive(text: &str) {
    use crate::markdown::directives::Directive;
    let parsed = Directive::parse(text);
    assert_eq!(parsed, Directive::parse(text), "not deterministic");
    let Some(d) = parsed else { return };
    assert!(!d.name.is_empty() && !d.name.contains(char::is_whitespace));
    for arg in &d.args {
        assert!(
            arg.offset < text.len() && text.is_char_boundary(arg.offset),
            "argument offset {} out of the text",
            arg.offset
        );
        let written = match &arg.key {
            Some(key) => format!("{key}={}", arg.value),
            None => arg.value.clone(),
        };
        let unquoted: String = text[arg.offset..]
            .chars()
            .filter(|&c| c != '"')
            .take(written.chars().count())
            .collect();
        assert_eq!(
            unquoted, written,
            "offset {} is not at the argument",
            arg.offset
        );
    }
}

/// The kinds `yaml_models` chooses from, by its input's first byte (`'0'` is a bank...).
const KINDS: [DataKind; 6] = [
    DataKind::QuestionBank,
    DataKind::Checklist,
    DataKind::Worksheet,
    DataKind::Table,
    DataKind::Topics,
    DataKind::Compare,
];

/// One YAML data file: the first byte picks the model (its value modulo 6, so the ASCII digits
/// `0`-`5` are a question bank, checklist, worksheet, data table, topics and compare), the rest
/// is the file, parsed and cross-checked alone.
pub fn yaml_models(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    data_file(KINDS[usize::from(selector) % KINDS.len()], text);
}

/// One YAML data file of the given kind, parsed into its model and cross-checked alone.
pub fn data_file(kind: DataKind, text: &str) {
    let path = PathBuf::from(match kind {
        DataKind::Topics => "topics.yaml",
        DataKind::Compare => "compare.yaml",
        DataKind::QuestionBank => "questions/bank.yaml",
        DataKind::Checklist => "checklists/list.yaml",
        DataKind::Worksheet => "worksheets/sheet.yaml",
        DataKind::Table => "data/table.yaml",
        DataKind::Vocabulary => "vocabulary.yaml",
    });
    let run = || {
        let (set, mut diags) =
            crate::load::data::from_texts(vec![(path.clone(), kind, text.to_owned())]);
        diags.extend(crate::validate::data::check(&set));
        diags
    };
    let diags = run();
    assert_eq!(
        shown(&diags),
        shown(&run()),
        "data loading is not deterministic"
    );
    assert_positions_within(&diags, &[(&path, text)]);
}

/// A book's config, theme and data, loaded once, to render fuzzed chapters against: so
/// directives meet real banks, checklists and worksheets.
pub struct ChapterHarness {
    config: Config,
    theme: Theme,
    book: Book,
}

impl ChapterHarness {
    /// Loads the book at `root`; panics if it does not load (the harness needs a good book).
    pub fn new(root: &Path) -> ChapterHarness {
        let (config, _) = Config::load(root).expect("harness book.toml");
        let (theme, _) = Theme::load(&config).expect("harness theme");
        let (book, _) = crate::load::book(&config).expect("harness book");
        ChapterHarness {
            config,
            theme,
            book,
        }
    }

    /// `Directive::parse` on each line of `text`, then `text` as a chapter.
    pub fn directives_and_chapter(&self, text: &str) {
        for line in text.lines() {
            directive(line);
        }
        self.chapter(text);
    }

    /// Loads `text` as a new chapter `chapters/fuzz.md` (front matter, includes) and renders
    /// it with the book's data; checks determinism and the diagnostics' positions.
    pub fn chapter(&self, text: &str) {
        let first = self.render(text);
        assert_eq!(
            shown(&first),
            shown(&self.render(text)),
            "not deterministic"
        );
        let path = self.chapter_path();
        let texts: Vec<(&Path, &str)> = vec![(&path, text)];
        assert_positions_within(&first, &texts);
    }

    fn chapter_path(&self) -> PathBuf {
        self.config.src_dir.join("chapters/fuzz.md")
    }

    fn render(&self, text: &str) -> Diagnostics {
        let path = self.chapter_path();
        let (loaded, mut diags) =
            crate::load::chapter::load(&path, &self.config.root, text.to_owned());
        let Some(loaded) = loaded else { return diags };
        let mut chapter = Chapter {
            title: "Fuzz".to_owned(),
            nav_title: "Fuzz".to_owned(),
            title_html: "Fuzz".to_owned(),
            nav_title_html: "Fuzz".to_owned(),
            number: None,
            source_rel: "chapters/fuzz.md".to_owned(),
            source_path: path,
            output_rel: "chapters/fuzz.html".to_owned(),
            front_matter: loaded.front_matter,
            uses_data: loaded.markdown.contains("{{#"),
            markdown: loaded.markdown,
            source_map: loaded.source_map,
            digest: 0,
        };
        chapter.digest = chapter.content_digest();
        let mut outputs: HashMap<String, String> = self
            .book
            .chapters
            .iter()
            .map(|c| (c.source_rel.clone(), c.output_rel.clone()))
            .collect();
        outputs.insert(chapter.source_rel.clone(), chapter.output_rel.clone());
        let blocks = DataBlocks {
            data: &self.book.data,
            theme: &self.theme,
            ctx: RenderContext {
                chapter_outputs: &outputs,
                smart_punctuation: true,
                code: &crate::config::DEFAULT_CODE,
                blocks: None,
                math: false,
            },
        };
        let ctx = RenderContext {
            chapter_outputs: &outputs,
            smart_punctuation: true,
            code: &crate::config::DEFAULT_CODE,
            blocks: Some(&blocks),
            math: false,
        };
        let page = markdown::render(
            &chapter,
            &ctx,
            &PageLocation::Page(chapter.output_rel.clone()),
        );
        let print = markdown::render(&chapter, &ctx, &PageLocation::Print);
        diags.extend(page.facts.diagnostics);
        diags.extend(print.facts.diagnostics);
        diags
    }
}

/// Every diagnostic about one of `texts` points inside it: a line of the text (the empty line
/// after a final `\n` included), a column from 1 to one past the end of that line. Diagnostics about other files (an
/// included snippet) only need positive positions.
pub fn assert_positions_within(diags: &Diagnostics, texts: &[(&Path, &str)]) {
    for d in diags.iter() {
        let Some(p) = d.position else { continue };
        assert!(p.line >= 1 && p.column >= 1, "position 0 in: {d}");
        let Some((_, text)) = texts.iter().find(|(path, _)| *path == d.path) else {
            continue;
        };
        let lines = line_count(text);
        assert!(p.line <= lines, "line {} of {lines} in: {d}", p.line);
        let width = text
            .split('\n')
            .nth(p.line - 1)
            .map_or(0, |l| l.chars().count());
        assert!(
            p.column <= width + 1,
            "column {} of {width} in: {d}",
            p.column
        );
    }
}

/// Lines as an editor shows them, counting the empty line after a final `\n`.
fn line_count(text: &str) -> usize {
    text.split('\n').count()
}

fn shown(diags: &Diagnostics) -> String {
    diags.iter().map(|d| format!("{d}\n")).collect()
}
