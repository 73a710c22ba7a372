//! `SUMMARY.md` in mdBook's syntax: prefix chapters, `# Part` titles, nested numbered chapters
//! (`- [Title](file.md)`), `---` separators, draft chapters `[Title]()`, suffix chapters.
//!
//! Parsed line by line rather than through a Markdown parser so every problem has an exact
//! line and column, and so a stray paragraph is an error instead of being silently dropped.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{SummaryItem, SummaryLink};

/// One parsed line before nesting is worked out.
enum Line {
    Blank,
    Title(String),
    Separator,
    /// A link; `indent` is `Some(spaces)` for a list item, `None` for a bare prefix/suffix link.
    Link {
        indent: Option<usize>,
        title: String,
        target: Option<PathBuf>,
    },
}

/// How deep numbered chapters may nest (`1.2.3...`). Real books stay under five; the limit
/// keeps the navigation tree, its numbers and everything that walks it small.
pub const MAX_DEPTH: usize = 32;

/// The items of `SUMMARY.md` (at `path`, for diagnostics), chapters numbered, with every problem
/// found. A line that cannot be read is reported and skipped.
pub fn parse(text: &str, path: &Path) -> (Vec<SummaryItem>, Diagnostics) {
    let mut outline = Outline {
        path,
        items: Vec::new(),
        open: Vec::new(),
        seen_heading: false,
        too_deep: false,
        diags: Diagnostics::default(),
    };
    let mut in_comment = false;
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    let mut index = 0;
    while index < lines.len() {
        let at = At {
            line_no: index + 1,
            line: lines[index],
        };
        index += 1;
        if in_comment || at.line.trim_start().starts_with("<!--") {
            in_comment = !at.line.contains("-->");
            continue;
        }
        match parse_line(at.line) {
            Ok(parsed) => outline.add(parsed, at),
            Err(problem) => match continued_title(at.line, &lines[index..]) {
                Some((parsed, used)) => {
                    outline.add(parsed, at);
                    index += used;
                }
                None => outline.error(at, problem.0, problem.1),
            },
        }
    }
    let Outline {
        mut items, diags, ..
    } = outline;
    number_chapters(&mut items, &[]);
    (items, diags)
}

/// The line being read, for items and diagnostics.
#[derive(Clone, Copy)]
struct At<'a> {
    line_no: usize,
    line: &'a str,
}

/// The summary as read so far.
struct Outline<'p> {
    path: &'p Path,
    items: Vec<SummaryItem>,
    /// Indents of the numbered chapters still open, outermost first.
    open: Vec<usize>,
    seen_heading: bool,
    /// Whether the nesting limit was reported (once: every line below would repeat it).
    too_deep: bool,
    diags: Diagnostics,
}

impl Outline<'_> {
    fn add(&mut self, parsed: Line, at: At) {
        match parsed {
            Line::Blank => {}
            Line::Title(title) => {
                // The first heading names the summary itself; later ones start parts.
                if self.seen_heading || !self.items.is_empty() {
                    let title = super::title::inline_title(&title).text;
                    self.items.push(SummaryItem::PartTitle(title));
                    self.open.clear();
                }
                self.seen_heading = true;
            }
            Line::Separator => {
                self.items.push(SummaryItem::Separator);
                self.open.clear();
            }
            Line::Link {
                indent: None,
                title,
                target,
            } => {
                self.open.clear();
                self.items.push(link(title, target, None, at));
            }
            Line::Link {
                indent: Some(indent),
                title,
                target,
            } => self.add_numbered(indent, link(title, target, Some(Vec::new()), at), at),
        }
    }

    /// A list item: a child of the last open chapter indented less than it.
    fn add_numbered(&mut self, indent: usize, chapter: SummaryItem, at: At) {
        while self.open.last().is_some_and(|&open| open >= indent) {
            self.open.pop();
        }
        if self.open.len() >= MAX_DEPTH {
            if !self.too_deep {
                let message = format!("chapters nest more than {MAX_DEPTH} levels deep here");
                self.error(at, indent + 1, message);
            }
            self.too_deep = true;
            return;
        }
        let Some(siblings) = children_at(&mut self.items, self.open.len()) else {
            self.error(
                at,
                indent + 1,
                "nested chapter has no parent chapter above it".to_owned(),
            );
            return;
        };
        siblings.push(chapter);
        self.open.push(indent);
    }

    /// An error at the 1-based byte column `column` of the line.
    fn error(&mut self, at: At, column: usize, message: String) {
        let position = crate::diagnostics::Position {
            line: at.line_no,
            column: char_column(at.line, column),
        };
        self.diags
            .push(Diagnostic::error(self.path, message).at_line(position, at.line));
    }
}

fn link(title: String, source: Option<PathBuf>, number: Option<Vec<u32>>, at: At) -> SummaryItem {
    let title = super::title::inline_title(&title);
    SummaryItem::Link(SummaryLink {
        title: title.text,
        title_html: title.html,
        source,
        number,
        children: Vec::new(),
        line: at.line_no,
    })
}

/// The list that a chapter at nesting `depth` goes into: the top level, or the children of the
/// last numbered chapter at `depth - 1`.
fn children_at(items: &mut Vec<SummaryItem>, depth: usize) -> Option<&mut Vec<SummaryItem>> {
    let mut list = items;
    for _ in 0..depth {
        match list.last_mut() {
            Some(SummaryItem::Link(link)) if link.number.is_some() => list = &mut link.children,
            _ => return None,
        }
    }
    Some(list)
}

fn number_chapters(items: &mut [SummaryItem], parent: &[u32]) {
    let mut n = 0;
    for item in items {
        if let SummaryItem::Link(link) = item
            && link.number.is_some()
        {
            n += 1;
            let mut number = parent.to_vec();
            number.push(n);
            number_chapters(&mut link.children, &number);
            link.number = Some(number);
        }
    }
}

fn parse_line(line: &str) -> Result<Line, (usize, String)> {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    let trimmed = trimmed.trim_end();
    if trimmed.is_empty() {
        return Ok(Line::Blank);
    }
    if let Some(title) = trimmed.strip_prefix('#') {
        // `# Part` starts a part; mdBook skips deeper headings (`## Basics` between lists).
        if title.starts_with('#') {
            return Ok(Line::Blank);
        }
        return Ok(Line::Title(title.trim().to_owned()));
    }
    let first = trimmed.chars().next();
    if trimmed.len() >= 3
        && matches!(first, Some('-' | '*' | '_'))
        && trimmed.chars().all(|c| Some(c) == first)
    {
        return Ok(Line::Separator);
    }
    let (list_indent, rest, rest_col) = match strip_list_marker(trimmed) {
        Some(after) if after.starts_with(' ') => {
            let after = after.trim_start();
            (
                Some(indent),
                after,
                line.len() - after.len() - (line.len() - line.trim_end().len()),
            )
        }
        _ => (None, trimmed, indent),
    };
    let (title, target) = parse_link(rest).map_err(|(col, msg)| (rest_col + col + 1, msg))?;
    Ok(Line::Link {
        indent: list_indent,
        title,
        target,
    })
}

/// A chapter title that runs onto the next lines (`- [Chapter\ntitle](chapter.md)`), read
/// as one line with spaces between, as mdBook reads it; and how many more lines it took.
fn continued_title(first: &str, next: &[&str]) -> Option<(Line, usize)> {
    const MAX_LINES: usize = 4;
    if !first.contains('[') {
        return None;
    }
    let mut joined = first.to_owned();
    for (used, line) in next.iter().take(MAX_LINES).enumerate() {
        if line.trim().is_empty() {
            return None;
        }
        joined.push(' ');
        joined.push_str(line.trim());
        if let Ok(parsed) = parse_line(&joined) {
            return Some((parsed, used + 1));
        }
    }
    None
}

/// The text after a list item's marker: `-`, `*`, `+`, or `1.` / `1)` (mdBook takes any list).
fn strip_list_marker(line: &str) -> Option<&str> {
    if let Some(after) = line.strip_prefix(['-', '*', '+']) {
        return Some(after);
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    (1..=9)
        .contains(&digits)
        .then(|| line[digits..].strip_prefix(['.', ')']))
        .flatten()
}

/// The 1-based character column of the 1-based byte column `byte_column` in `line`: the
/// parser works in bytes, diagnostics count characters.
pub fn char_column(line: &str, byte_column: usize) -> usize {
    crate::diagnostics::Position::of_offset(line, byte_column.saturating_sub(1)).column
}

/// `[Title](path.md)` → title and target (`None` for `()`), or the column of the problem.
fn parse_link(text: &str) -> Result<(String, Option<PathBuf>), (usize, String)> {
    const EXPECTED: &str = "expected a chapter link like `- [Title](chapter.md)`";
    if !text.starts_with('[') {
        return Err((0, EXPECTED.to_owned()));
    }
    let Some(close) = title_end(text) else {
        return Err((0, "unclosed `[` in chapter link".to_owned()));
    };
    let title = text[1..close].replace("\\]", "]").replace("\\[", "[");
    let after = &text[close + 1..];
    let Some(inner) = after.strip_prefix('(') else {
        return Err((close + 1, EXPECTED.to_owned()));
    };
    let Some(end) = inner.find(')') else {
        return Err((close + 1, "unclosed `(` in chapter link".to_owned()));
    };
    // Text after the link (a note, a second link) is not part of the chapter, as in mdBook.
    let target = inner[..end].trim();
    if title.trim().is_empty() {
        return Err((1, "chapter link has an empty title".to_owned()));
    }
    // `<path with spaces.md>` is CommonMark's form for a destination with spaces.
    let target = target
        .strip_prefix('<')
        .and_then(|t| t.strip_suffix('>'))
        .unwrap_or(target);
    let target = (!target.is_empty()).then(|| PathBuf::from(target.replace("%20", " ")));
    Ok((title.trim().to_owned(), target))
}

/// The byte index of the `]` that closes the title opened at `text[0]`: brackets nest
/// (`[#[panic_handler]]`), `\]` is literal, and nothing inside a code span counts.
fn title_end(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut depth, mut i, mut in_code) = (0usize, 0, false);
    while i < bytes.len() {
        match bytes[i] {
            b'`' => in_code = !in_code,
            b'\\' if !in_code => i += 1,
            b'[' if !in_code => depth += 1,
            b']' if !in_code => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// SUMMARY links in reading order.
pub fn flatten<'a>(items: &'a [SummaryItem], out: &mut Vec<&'a SummaryLink>) {
    for item in items {
        if let SummaryItem::Link(link) = item {
            out.push(link);
            flatten(&link.children, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(items: &[SummaryItem], out: &mut Vec<String>) {
        for item in items {
            match item {
                SummaryItem::Link(l) => {
                    let n = l
                        .number
                        .as_ref()
                        .map(|n| n.iter().map(|x| format!("{x}.")).collect::<String>())
                        .unwrap_or_default();
                    out.push(format!("{n}{}", l.title));
                    titles(&l.children, out);
                }
                SummaryItem::PartTitle(t) => out.push(format!("# {t}")),
                SummaryItem::Separator => out.push("---".into()),
            }
        }
    }

    #[test]
    fn parses_mdbook_summary() {
        let text = "# Summary\n\n[Intro](intro.md)\n\n# Part one\n\n- [A](a.md)\n  - [A1](a1.md)\n    - [A1x](a1x.md)\n  - [A2]()\n- [B](b.md)\n\n---\n\n[Suffix](s.md)\n";
        let (items, diags) = parse(text, Path::new("SUMMARY.md"));
        assert!(diags.is_empty(), "{diags:?}");
        let mut out = Vec::new();
        titles(&items, &mut out);
        assert_eq!(
            out,
            [
                "Intro",
                "# Part one",
                "1.A",
                "1.1.A1",
                "1.1.1.A1x",
                "1.2.A2",
                "2.B",
                "---",
                "Suffix"
            ]
        );
    }

    #[test]
    fn titles_nest_brackets_and_render_code_and_text_after_the_link_is_not_the_chapter() {
        let (items, diags) = parse(
            "# Summary\n\n- [#[panic_handler]](p.md)\n- [`a]`](a.md) (note)\n",
            Path::new("SUMMARY.md"),
        );
        assert!(diags.is_empty(), "{:?}", diags.sorted());
        let mut out = Vec::new();
        titles(&items, &mut out);
        assert_eq!(out, ["1.#[panic_handler]", "2.a]"]);
        let SummaryItem::Link(code) = &items[1] else {
            panic!("{items:?}")
        };
        assert_eq!(code.title_html, "<code>a]</code>");
    }

    #[test]
    fn stray_text_is_an_error_with_location() {
        let (_, diags) = parse(
            "# Summary\n\n- [A](a.md)\n- oops\n",
            Path::new("SUMMARY.md"),
        );
        let d: Vec<_> = diags.sorted().iter().map(|d| d.to_string()).collect();
        assert!(
            d[0].starts_with("SUMMARY.md:4:3: error: expected a chapter link"),
            "{d:?}"
        );
    }

    fn outline_of(text: &str) -> Vec<String> {
        let (items, diags) = parse(text, Path::new("SUMMARY.md"));
        assert!(diags.is_empty(), "{:?}", diags.sorted());
        let mut out = Vec::new();
        titles(&items, &mut out);
        out
    }

    fn sources(items: &[SummaryItem], out: &mut Vec<String>) {
        for item in items {
            if let SummaryItem::Link(l) = item {
                out.push(
                    l.source
                        .as_ref()
                        .map_or("()".into(), |s| s.display().to_string()),
                );
                sources(&l.children, out);
            }
        }
    }

    /// The inputs of mdBook's own SUMMARY parser tests (crates/mdbook-summary), read as mdBook
    /// reads them.
    #[test]
    fn reads_what_mdbooks_parser_tests_read() {
        assert_eq!(
            outline_of("# My **Awesome** Summary\n\n# Part\n- [A](a.md)"),
            ["# Part", "1.A"]
        );
        assert_eq!(
            outline_of("[First](./first.md)\n\n---\n\n[Second](./second.md)\n"),
            ["First", "---", "Second"]
        );
        assert_eq!(
            outline_of("- [First](./first.md)\n  - [Nested](./nested.md)\n- [Second](./second.md)"),
            ["1.First", "1.1.Nested", "2.Second"]
        );
        assert_eq!(
            outline_of(
                "- [First](./first.md)\n<!-- this is a comment -->\n- [Second](./second.md)"
            ),
            ["1.First", "2.Second"]
        );
        assert_eq!(
            outline_of(
                "- [First](./first.md)\n- [Second](./second.md)\n# Title 2\n- [Third](./third.md)\n\t- [Fourth](./fourth.md)"
            ),
            ["1.First", "2.Second", "# Title 2", "3.Third", "3.1.Fourth"]
        );
        assert_eq!(
            outline_of("- [First](./first.md)\n\n## Subheading\n\n- [Second](./second.md)\n"),
            ["1.First", "2.Second"]
        );
        assert_eq!(outline_of("- [Empty]()\n"), ["1.Empty"]);
        assert_eq!(
            outline_of(
                "- [First](./first.md)\n---\n- [Second](./second.md)\n---\n- [Third](./third.md)\n"
            ),
            ["1.First", "---", "2.Second", "---", "3.Third"]
        );
        assert_eq!(
            outline_of("- [Chapter\ntitle](./chapter.md)"),
            ["1.Chapter title"]
        );
        assert_eq!(
            outline_of("1. [One](one.md)\n2. [Two](two.md)"),
            ["1.One", "2.Two"]
        );
        let text = "- [test1](./test%20link1.md)\n- [test2](<./test link2.md>)";
        let (items, _) = parse(text, Path::new("SUMMARY.md"));
        let mut found = Vec::new();
        sources(&items, &mut found);
        assert_eq!(found, ["./test link1.md", "./test link2.md"]);
    }

    #[test]
    fn skips_html_comments_as_mdbook_does() {
        let text = "<!--\n# Title - En\n-->\n# Title - Local\n\n<!--\n[Prefix 00-01 - En](ch00-01.md)\n-->\n[Prefix 00-01 - Local](ch00-01.md)\n\n<!--\n## Section Title - En\n-->\n## Section Title - Localized\n\n<!--\n- [Ch 01-00 - En](ch01-00.md)\n    - [Ch 01-01 - En](ch01-01.md)\n-->\n- [Ch 01-00 - Local](ch01-00.md)\n    - [Ch 01-01 - Local](ch01-01.md)\n\n<!--\n[Appendix A - En](appendix-01.md)\n-->`\n[Appendix A - Local](appendix-01.md)\n";
        assert_eq!(
            outline_of(text),
            [
                "Prefix 00-01 - Local",
                "1.Ch 01-00 - Local",
                "1.1.Ch 01-01 - Local",
                "Appendix A - Local"
            ]
        );
    }
}
