//! Which lines of an included file a directive takes, as mdBook's `take_lines` functions do.

use std::ops::Range;

use super::target::LineRange;

/// The byte ranges of the lines between `ANCHOR: name` and `ANCHOR_END: name`, without the
/// lines of other anchors nested inside (as mdBook takes them). Empty when there is no such
/// anchor.
pub(super) fn anchored_lines(text: &str, name: &str) -> Vec<Range<usize>> {
    let mut pieces: Vec<Range<usize>> = Vec::new();
    let mut inside = false;
    for (range, line) in lines_with_ranges(text) {
        let (start, end) = (marker(line, "ANCHOR:"), marker(line, "ANCHOR_END:"));
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

/// `{{#rustdoc_include}}`: the whole file, with the lines outside the wanted part turned into
/// hidden lines (`# `) and every anchor marker dropped, so the example still compiles.
pub(super) fn rustdoc_lines(text: &str, wanted: RustdocPart<'_>) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut inside = false;
    for (index, (_, line)) in lines_with_ranges(text).enumerate() {
        let line = line.trim_end_matches(['\n', '\r']);
        let shown = match wanted {
            RustdocPart::Lines(range) => range.contains(index + 1),
            RustdocPart::Anchor(name) => {
                let (start, end) = (marker(line, "ANCHOR:"), marker(line, "ANCHOR_END:"));
                if start.is_some() || end.is_some() {
                    inside =
                        inside && end.as_deref() != Some(name) || start.as_deref() == Some(name);
                    continue;
                }
                inside
            }
        };
        if !shown {
            out.push_str("# ");
        }
        out.push_str(line);
        out.push('\n');
    }
    out.pop();
    out
}

/// The part a `{{#rustdoc_include}}` shows.
#[derive(Clone, Copy)]
pub(super) enum RustdocPart<'a> {
    Lines(Span),
    Anchor(&'a str),
}

/// 1-based inclusive line numbers with open ends.
#[derive(Clone, Copy)]
pub(super) struct Span(pub LineRange);

impl Span {
    fn contains(self, line: usize) -> bool {
        let (first, last) = self.0;
        first.is_none_or(|f| line >= f) && last.is_none_or(|l| line <= l)
    }
}

/// The name after `kind` (`ANCHOR:` or `ANCHOR_END:`) on `line`, if it has one.
fn marker(line: &str, kind: &str) -> Option<String> {
    let i = line.find(kind)?;
    let rest = line[i + kind.len()..].trim_start();
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    (end > 0).then(|| rest[..end].to_owned())
}

fn lines_with_ranges(text: &str) -> impl Iterator<Item = (Range<usize>, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |line| {
        let range = offset..offset + line.len();
        offset += line.len();
        (range, line)
    })
}

/// The byte range of lines `first..=last` (1-based; open ends), or the whole text.
pub(super) fn select_lines(text: &str, (first, last): LineRange) -> Range<usize> {
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

    /// mdBook's own cases for `take_rustdoc_include_lines` and `_anchored_lines`.
    #[test]
    fn rustdoc_includes_hide_the_rest() {
        let s = "Lorem\nipsum\ndolor\nsit\namet";
        let lines = |f, l| rustdoc_lines(s, RustdocPart::Lines(Span((f, l))));
        assert_eq!(
            lines(Some(2), Some(3)),
            "# Lorem\nipsum\ndolor\n# sit\n# amet"
        );
        assert_eq!(lines(None, None), s);
        assert_eq!(lines(Some(4), None), "# Lorem\n# ipsum\n# dolor\nsit\namet");
        let s = "Lorem\nipsum\nANCHOR: test\ndolor\nANCHOR: other\nsit\nANCHOR_END: test\namet\nANCHOR_END: other";
        assert_eq!(
            rustdoc_lines(s, RustdocPart::Anchor("test")),
            "# Lorem\n# ipsum\ndolor\nsit\n# amet"
        );
    }
}
