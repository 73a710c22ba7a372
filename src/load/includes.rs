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
    (target, wanted): (PathBuf, LineRange),
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
    let lines = select_lines(&included, wanted);
    stack.push(target.clone());
    x.includes.push(target.clone());
    let ranged = lines != (0..included.len());
    let included: Arc<str> = Arc::from(included);
    let ends = lines.end;
    expand_includes(&target, &included, lines, file.book_root, stack, x);
    // A line range is whole lines, the last one ended too.
    if ranged && !included[..ends].ends_with('\n') {
        x.text.push('\n');
    }
    stack.pop();
}

type LineRange = (Option<usize>, Option<usize>);

/// `file.md`, `file.md:3`, `file.md:3:10`, `file.md::10`, `file.md:3:` (mdBook's forms).
fn resolve_include(
    argument: &str,
    including: &Path,
    book_root: &Path,
) -> Result<(PathBuf, LineRange), String> {
    if argument.is_empty() {
        return Err("`{{#include}}` needs a file path".to_owned());
    }
    let mut parts = argument.splitn(3, ':');
    let file = parts.next().unwrap_or_default().trim();
    let parse = |s: Option<&str>| -> Result<Option<usize>, String> {
        match s.map(str::trim) {
            None | Some("") => Ok(None),
            Some(n) => n.parse::<usize>().map(Some).map_err(|_| {
                format!("`{n}` is not a line number in `{{{{#include {argument}}}}}`")
            }),
        }
    };
    let first = parse(parts.next())?;
    let last = parse(parts.next())?;
    let range = if argument.matches(':').count() == 1 {
        (first, first)
    } else {
        (first, last)
    };
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
    Ok((target, range))
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
