//! `{{#include file}}` and its line ranges (mdBook's forms), expanded into the chapter's text
//! with a source map that keeps error positions pointing at the included file.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::SourceMap;

use super::source::read_text;

/// How deep `{{#include}}` may nest before we call it a runaway.
const MAX_INCLUDE_DEPTH: usize = 16;

/// Where include expansion writes: the expanded text, its source map, what was included.
pub(super) struct Expansion<'a> {
    pub text: &'a mut String,
    pub map: &'a mut SourceMap,
    pub includes: &'a mut Vec<PathBuf>,
    pub diags: &'a mut Diagnostics,
}

/// One file being expanded: its path and text, and where the directive being expanded starts.
struct Including<'a> {
    path: &'a Path,
    text: &'a Arc<str>,
    book_root: &'a Path,
}

/// Copies `text[range]` into `out`, replacing each `{{#include path}}` with the file's text.
/// The source map points into the whole `text`, so a ranged include reports its file's real
/// lines.
pub(super) fn expand_includes(
    path: &Path,
    text: &Arc<str>,
    range: std::ops::Range<usize>,
    book_root: &Path,
    stack: &mut Vec<PathBuf>,
    x: &mut Expansion<'_>,
) {
    let file = Including {
        path,
        text,
        book_root,
    };
    let mut cursor = range.start;
    x.map
        .push(x.text.len(), path.to_path_buf(), text.clone(), cursor);
    while let Some(found) = text[cursor..range.end].find("{{#include") {
        let start = cursor + found;
        // `\{{#include ...}}` is an escaped, literal directive.
        if start > 0 && text.as_bytes()[start - 1] == b'\\' {
            x.text.push_str(&text[cursor..start - 1]);
            x.text.push_str("{{");
            cursor = start + 2;
            x.map
                .push(x.text.len(), path.to_path_buf(), text.clone(), cursor);
            continue;
        }
        let Some(close) = text[start..range.end].find("}}") else {
            break;
        };
        let end = start + close + 2;
        x.text.push_str(&text[cursor..start]);
        let argument = text[start + "{{#include".len()..end - 2].trim();
        // `{{#include}}` with no file is prose about the directive (mdBook leaves it too).
        if argument.is_empty() {
            x.text.push_str(&text[start..end]);
            cursor = end;
            continue;
        }
        match resolve_include(argument, path, book_root) {
            Ok((target, wanted)) => include(&file, start, argument, (target, wanted), stack, x),
            Err(message) => x
                .diags
                .push(Diagnostic::error(path, message).at_offset(text, start)),
        }
        cursor = end;
        x.map
            .push(x.text.len(), path.to_path_buf(), text.clone(), cursor);
    }
    x.text.push_str(&text[cursor..range.end]);
}

/// Expands one resolved `{{#include}}` (at `start` in `file`) in place, or reports why not.
fn include(
    file: &Including<'_>,
    start: usize,
    argument: &str,
    (target, wanted): (PathBuf, Wanted),
    stack: &mut Vec<PathBuf>,
    x: &mut Expansion<'_>,
) {
    let at_directive =
        |message: String| Diagnostic::error(file.path, message).at_offset(file.text, start);
    if stack.contains(&target) || stack.len() > MAX_INCLUDE_DEPTH {
        let shown = |p: &Path| {
            p.strip_prefix(file.book_root)
                .unwrap_or(p)
                .display()
                .to_string()
        };
        let chain: Vec<String> = stack.iter().map(|p| shown(p)).collect();
        let message = format!(
            "include cycle: {} -> {}",
            chain.join(" -> "),
            shown(&target)
        );
        x.diags.push(at_directive(message));
        return;
    }
    let included = match read_text(&target) {
        Ok(included) => included,
        Err(d) if target.is_file() => return x.diags.push(d),
        // A directory, FIFO or device: at the directive, which is what to fix.
        Err(d) if target.exists() => {
            let why = d.message.trim_start_matches("cannot read: ");
            return x
                .diags
                .push(at_directive(format!("cannot include `{argument}`: {why}")));
        }
        Err(_) => {
            let message = format!("cannot include `{argument}`: file not found");
            return x.diags.push(at_directive(message));
        }
    };
    let pieces = match &wanted {
        Wanted::Lines(range) => vec![select_lines(&included, *range)],
        Wanted::Anchor(name) => {
            let pieces = anchored_lines(&included, name);
            if pieces.is_empty() {
                let message = format!(
                    "`{{{{#include {argument}}}}}` includes nothing: no line with `ANCHOR: {name}` in that file"
                );
                let warning = Diagnostic::warning(file.path, message).at_offset(file.text, start);
                x.diags.push(warning);
            }
            pieces
        }
    };
    stack.push(target.clone());
    x.includes.push(target.clone());
    let included: Arc<str> = Arc::from(included);
    let count = pieces.len();
    for (i, mut lines) in pieces.into_iter().enumerate() {
        // Selected lines end without their last line break, as mdBook joins them.
        let ranged = lines != (0..included.len());
        if ranged && i + 1 == count && included[lines.clone()].ends_with('\n') {
            lines.end -= 1;
            if included[lines.clone()].ends_with('\r') {
                lines.end -= 1;
            }
        }
        expand_includes(&target, &included, lines, file.book_root, stack, x);
    }
    stack.pop();
}

type LineRange = (Option<usize>, Option<usize>);

/// What part of a file an include takes.
#[derive(Debug, PartialEq)]
enum Wanted {
    /// A line range (1-based, inclusive; open ends), or the whole file.
    Lines(LineRange),
    /// The lines between `ANCHOR: name` and `ANCHOR_END: name`.
    Anchor(String),
}

/// `file.md`, `file.md:3`, `file.md:3:10`, `file.md::10`, `file.md:3:`, `file.rs:name`
/// (mdBook's forms).
fn resolve_include(
    argument: &str,
    including: &Path,
    book_root: &Path,
) -> Result<(PathBuf, Wanted), String> {
    let mut parts = argument.splitn(3, ':');
    let file = parts.next().unwrap_or_default().trim();
    let wanted = wanted_part(argument, parts.next(), parts.next())?;
    let base = including.parent().unwrap_or(book_root);
    let target = crate::util::paths::normalize(&base.join(file));
    let root = crate::util::paths::normalize(book_root);
    let real = target.canonicalize().unwrap_or_else(|_| target.clone());
    let real_root = root.canonicalize().unwrap_or(root.clone());
    if !target.starts_with(&root) || !real.starts_with(&real_root) {
        return Err(format!(
            "`{{{{#include {file}}}}}` points outside the book root; only files inside it can be included"
        ));
    }
    Ok((target, wanted))
}

/// The part after the file name: `:3`, `:3:10`, `::10`, `:3:`, or `:name` (an anchor).
fn wanted_part(argument: &str, first: Option<&str>, last: Option<&str>) -> Result<Wanted, String> {
    let number = |s: Option<&str>| -> Result<Option<usize>, String> {
        match s.map(str::trim) {
            None | Some("") => Ok(None),
            Some(n) => n.parse::<usize>().map(Some).map_err(|_| {
                format!("`{n}` is not a line number in `{{{{#include {argument}}}}}`")
            }),
        }
    };
    let first_text = first.map(str::trim).unwrap_or_default();
    let is_anchor = last.is_none()
        && !first_text.is_empty()
        && first_text.parse::<usize>().is_err()
        && first_text
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if is_anchor {
        return Ok(Wanted::Anchor(first_text.to_owned()));
    }
    let from = number(first)?;
    let to = number(last)?;
    Ok(Wanted::Lines(if last.is_none() {
        (from, from)
    } else {
        (from, to)
    }))
}

/// The byte ranges of the lines between `ANCHOR: name` and `ANCHOR_END: name`, without the
/// lines of other anchors nested inside (as mdBook takes them). Empty when there is no such
/// anchor.
fn anchored_lines(text: &str, name: &str) -> Vec<std::ops::Range<usize>> {
    let marker = |line: &str, kind: &str| {
        line.find(kind).map(|i| {
            let rest = line[i + kind.len()..].trim_start();
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(rest.len());
            rest[..end].to_owned()
        })
    };
    let mut pieces: Vec<std::ops::Range<usize>> = Vec::new();
    let mut inside = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let range = offset..offset + line.len();
        offset += line.len();
        let start = marker(line, "ANCHOR:");
        let end = marker(line, "ANCHOR_END:");
        if !inside {
            inside = start.as_deref() == Some(name);
            continue;
        }
        if end.as_deref() == Some(name) {
            break;
        }
        if start.is_some() || end.is_some() {
            continue;
        }
        match pieces.last_mut() {
            Some(last) if last.end == range.start => last.end = range.end,
            _ => pieces.push(range),
        }
    }
    pieces
}

fn select_lines(text: &str, (first, last): LineRange) -> std::ops::Range<usize> {
    if first.is_none() && last.is_none() {
        return 0..text.len();
    }
    let first = first.unwrap_or(1).max(1);
    let last = last.unwrap_or(usize::MAX);
    // Byte offset where each line starts, and one past the end.
    let mut starts = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .filter(|&s| s < text.len())
        .chain(std::iter::once(text.len()));
    let start = starts.clone().nth(first - 1).unwrap_or(text.len());
    let end = if last < first {
        start
    } else {
        starts.nth(last).unwrap_or(text.len())
    };
    start..end.max(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_select_their_lines_without_nested_markers() {
        let text = "a\n// ANCHOR: all\nb\n// ANCHOR: inner\nc\n// ANCHOR_END: inner\nd\n// ANCHOR_END: all\ne";
        let pick = |name| -> String {
            anchored_lines(text, name)
                .into_iter()
                .map(|r| &text[r])
                .collect()
        };
        assert_eq!(pick("all"), "b\nc\nd\n");
        assert_eq!(pick("inner"), "c\n");
        assert_eq!(pick("missing"), "");
        assert_eq!(
            wanted_part("f.rs:all", Some("all"), None),
            Ok(Wanted::Anchor("all".into()))
        );
        assert_eq!(
            wanted_part("f.rs:3", Some("3"), None),
            Ok(Wanted::Lines((Some(3), Some(3))))
        );
    }

    #[test]
    fn line_ranges_select_lines() {
        let text = "a\nb\nc";
        let pick = |first, last| &text[select_lines(text, (first, last))];
        assert_eq!(pick(Some(2), Some(3)), "b\nc");
        assert_eq!(pick(Some(2), Some(2)), "b\n");
        assert_eq!(pick(None, Some(1)), "a\n");
        assert_eq!(pick(Some(3), None), "c");
        assert_eq!(pick(Some(9), None), "");
        assert_eq!(pick(Some(3), Some(2)), "");
    }
}
