//! Problems found in a book, each tied to a file and (when known) a line and column.
//!
//! Every stage reports into a [`Diagnostics`] list instead of stopping at the first problem, so
//! an author sees everything wrong with the book in one run, compiler-style.

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// A 1-based line and column in a source file. Columns count characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` in `text`.
    pub fn of_offset(text: &str, offset: usize) -> Self {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Position { line, column }
    }
}

/// Where each line of a text starts, so positions cost a binary search instead of a scan from
/// the start (a file with thousands of problems stays linear).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// The position of byte `offset` in `text`, the text this index was built from.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let line_start = self.starts[line - 1];
        let column = text[line_start..offset].chars().count() + 1;
        Position { line, column }
    }

    /// The byte offset where line `number` (1-based) starts.
    pub fn offset_of_line(&self, number: usize) -> usize {
        let last = self.starts.len() - 1;
        self.starts[number.saturating_sub(1).min(last)]
    }

    /// Line `number` (1-based) of `text`, without its line break.
    pub fn line<'t>(&self, text: &'t str, number: usize) -> Option<&'t str> {
        let start = *self.starts.get(number.checked_sub(1)?)?;
        let end = self
            .starts
            .get(number)
            .map_or(text.len(), |&e| e.saturating_sub(1));
        Some(text[start..end.max(start)].trim_end_matches('\r'))
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Absolute path of the file the problem is in.
    pub path: PathBuf,
    pub position: Option<Position>,
    /// Byte offset of `position` in the file, when known: cached diagnostics are placed again
    /// from it against the file's current text ([`Diagnostics::placed_in`]).
    pub offset: Option<usize>,
    pub message: String,
    /// The offending source line, for the snippet under the message.
    pub source_line: Option<String>,
    /// Other places that explain this one (e.g. where a duplicate id was first used).
    pub notes: Vec<Note>,
}

/// A related place shown after a diagnostic as `path:line:col: note: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub path: PathBuf,
    pub position: Option<Position>,
    pub message: String,
}

impl Diagnostic {
    pub fn error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            position: None,
            offset: None,
            message: message.into(),
            source_line: None,
            notes: Vec::new(),
        }
    }

    pub fn warning(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    /// Attach a position, and the source line it points into when `source` is given.
    pub fn at(mut self, position: Position, source: Option<&str>) -> Self {
        self.position = Some(position);
        self.source_line = source
            .and_then(|s| s.lines().nth(position.line - 1))
            .map(|l| l.trim_end_matches('\r').to_owned());
        self
    }

    /// Attach a position and the text of the line it is on (already at hand: no search).
    pub fn at_line(mut self, position: Position, line: &str) -> Self {
        self.position = Some(position);
        self.source_line = Some(line.trim_end_matches('\r').to_owned());
        self
    }

    pub fn with_note(
        mut self,
        path: impl Into<PathBuf>,
        position: Option<Position>,
        message: impl Into<String>,
    ) -> Self {
        self.notes.push(Note {
            path: path.into(),
            position,
            message: message.into(),
        });
        self
    }

    /// Attach the position of byte `offset` in `source`.
    pub fn at_offset(self, source: &str, offset: usize) -> Self {
        let mut d = self.at(Position::of_offset(source, offset), Some(source));
        d.offset = Some(offset);
        d
    }

    /// Attach the position of byte `offset` in `source`, found through its line index.
    pub fn at_indexed(mut self, source: &str, lines: &LineIndex, offset: usize) -> Self {
        let position = lines.position(source, offset);
        self.position = Some(position);
        self.offset = Some(offset);
        self.source_line = lines.line(source, position.line).map(str::to_owned);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col: error: message` with the path shown relative to `base` when inside it,
    /// followed by the source line and a caret under the column.
    pub fn display_relative_to(&self, base: &Path) -> String {
        let shown = match self.path.strip_prefix(base) {
            // The base itself (e.g. `build -d .`).
            Ok(rel) if rel.as_os_str().is_empty() => Path::new("."),
            Ok(rel) => rel,
            Err(_) => &self.path,
        };
        let mut out = String::new();
        let _ = write!(out, "{}", shown.display());
        if let Some(p) = self.position {
            let _ = write!(out, ":{}:{}", p.line, p.column);
        }
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = write!(out, ": {label}: {}", self.message);
        if let (Some(p), Some(line)) = (self.position, &self.source_line) {
            let gutter = p.line.to_string();
            let pad = " ".repeat(gutter.len());
            let caret_indent: String = line
                .chars()
                .take(p.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let _ = write!(out, "\n{pad} |\n{gutter} | {line}\n{pad} | {caret_indent}^");
        }
        for note in &self.notes {
            let shown = note.path.strip_prefix(base).unwrap_or(&note.path);
            let _ = write!(out, "\n{}", shown.display());
            if let Some(p) = note.position {
                let _ = write!(out, ":{}:{}", p.line, p.column);
            }
            let _ = write!(out, ": note: {}", note.message);
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_relative_to(Path::new("")))
    }
}

/// Every problem found in one build.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Distinct errors: the same template error on many pages is printed, and counted, once.
    pub fn error_count(&self) -> usize {
        self.clone()
            .sorted()
            .iter()
            .filter(|d| d.is_error())
            .count()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Every diagnostic turned into a warning (a check the book asked to only warn about).
    pub fn into_warnings(mut self) -> Diagnostics {
        for d in &mut self.items {
            d.severity = Severity::Warning;
        }
        self
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// These diagnostics with line and column worked out again from their byte offsets in the
    /// current text of their files (`text_of`): a rendering reused from the cache may have been
    /// made when lines above its text were broken differently (a same-length edit).
    pub fn placed_in<'t>(&self, text_of: impl Fn(&Path) -> Option<&'t str>) -> Diagnostics {
        let items = self
            .items
            .iter()
            .map(|d| match (d.offset, text_of(&d.path)) {
                (Some(offset), Some(text)) => Diagnostic {
                    notes: d.notes.clone(),
                    ..d.clone().at_offset(text, offset)
                },
                _ => d.clone(),
            })
            .collect();
        Diagnostics { items }
    }

    /// Sorted by file, then position, so output is stable from run to run.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items
            .sort_by(|a, b| (&a.path, a.position).cmp(&(&b.path, b.position)));
        self.items.dedup();
        self.items
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics { items: vec![d] }
    }
}

/// The closest of `candidates` to `word`, if any is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// `, did you mean "x"?` or nothing.
pub fn suggestion_suffix<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    did_you_mean(word, candidates)
        .map(|s| format!(", did you mean \"{s}\"?"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let text = "ab\ncdé\nfg";
        assert_eq!(
            Position::of_offset(text, 0),
            Position { line: 1, column: 1 }
        );
        assert_eq!(
            Position::of_offset(text, 3),
            Position { line: 2, column: 1 }
        );
        let f = text.find('f').unwrap();
        assert_eq!(
            Position::of_offset(text, f),
            Position { line: 3, column: 1 }
        );
        let e = text.find('é').unwrap() + 2; // just after the two-byte é
        assert_eq!(
            Position::of_offset(text, e),
            Position { line: 2, column: 4 }
        );
    }

    #[test]
    fn the_line_index_agrees_with_a_scan() {
        let text = "ab\ncdé\r\n\nfg";
        let lines = LineIndex::new(text);
        for offset in 0..=text.len() {
            assert_eq!(
                lines.position(text, offset),
                Position::of_offset(text, offset)
            );
        }
        assert_eq!(lines.line(text, 2), Some("cdé"));
        assert_eq!(lines.line(text, 3), Some(""));
        assert_eq!(lines.line(text, 4), Some("fg"));
        assert_eq!(lines.line(text, 5), None);
    }

    #[test]
    fn cached_diagnostics_are_placed_in_the_current_text() {
        let old = "title: a b\n---\nbad\n";
        let new = "title: a\nb\n---\nbad\n"; // same length, one more line
        let offset = old.find("bad").unwrap();
        let cached: Diagnostics = Diagnostic::error("/c.md", "oops")
            .at_offset(old, offset)
            .into();
        let placed = cached.placed_in(|_| Some(new));
        let d = placed.iter().next().unwrap();
        assert_eq!(d.position, Some(Position { line: 4, column: 1 }));
        assert_eq!(d.source_line.as_deref(), Some("bad"));
    }

    #[test]
    fn display_has_location_and_caret() {
        let src = "a: 1\n  follw_ups: x\n";
        let d = Diagnostic::error("/b/content/q.yaml", "unknown field")
            .at(Position { line: 2, column: 3 }, Some(src));
        let shown = d.display_relative_to(Path::new("/b"));
        assert!(
            shown.starts_with("content/q.yaml:2:3: error: unknown field"),
            "{shown}"
        );
        assert!(shown.ends_with("  |   ^"), "{shown}");
    }

    #[test]
    fn suggestions_only_for_near_misses() {
        assert_eq!(
            did_you_mean("follw_ups", ["follow_ups", "why"]),
            Some("follow_ups")
        );
        assert_eq!(did_you_mean("zzz", ["follow_ups", "why"]), None);
    }
}
