//! mdBook's `mathjax-support`, at build time: `\( … \)` (inline) and `\[ … \]` (display) in
//! a chapter's text become MathML, which browsers render with no script and no network.
//! mdBook's delimiters, as its readers write them in Markdown (`\\(` and `\\[`, whose escaped
//! backslash leaves `\(` in the text MathJax reads); no `$…$`, which mdBook does not treat as
//! math. A formula that does not parse is a warning and stays as text.

use std::sync::LazyLock;

use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};
use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};
use regex::Regex;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Chapter;

static CONVERTER: LazyLock<Option<LatexToMathML>> =
    LazyLock::new(|| LatexToMathML::new(MathCoreConfig::default()).ok());
/// `\color` writes an inline style, which the pages' policy refuses: dropped here instead.
static STYLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#" style="[^"]*""#).expect("STYLE compiles"));

type Events<'e> = Vec<(Event<'e>, usize)>;

/// `source` with the math in runs of text rendered; code blocks are left alone.
pub(super) fn render<'e>(
    source: Events<'e>,
    chapter: &Chapter,
    diags: &mut Diagnostics,
) -> Events<'e> {
    let mut out = Vec::with_capacity(source.len());
    let mut run: Events<'e> = Vec::new();
    let mut in_code = false;
    for (event, offset) in source {
        match event {
            Event::Text(_) if !in_code => {
                run.push((event, offset));
                continue;
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_) | CodeBlockKind::Indented)) => {
                in_code = true;
            }
            Event::End(TagEnd::CodeBlock) => in_code = false,
            _ => {}
        }
        flush(&mut run, &mut out, chapter, diags);
        out.push((event, offset));
    }
    flush(&mut run, &mut out, chapter, diags);
    out
}

/// One run of adjacent text events: unchanged unless it holds a formula.
fn flush<'e>(
    run: &mut Events<'e>,
    out: &mut Events<'e>,
    chapter: &Chapter,
    diags: &mut Diagnostics,
) {
    let pieces = std::mem::take(run);
    let text: String = pieces
        .iter()
        .filter_map(|(e, _)| match e {
            Event::Text(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    if !text.contains("\\(") && !text.contains("\\[") {
        out.extend(pieces);
        return;
    }
    // Where each piece starts in `text`, to report a formula at its piece's offset.
    let mut starts = Vec::with_capacity(pieces.len());
    let mut at = 0;
    for (e, offset) in &pieces {
        starts.push((at, *offset));
        if let Event::Text(t) = e {
            at += t.len();
        }
    }
    let offset_of = |i: usize| {
        starts
            .iter()
            .rev()
            .find(|(start, _)| *start <= i)
            .map_or(0, |(_, o)| *o)
    };
    for (part, i) in split(&text) {
        let offset = offset_of(i);
        let event = match part {
            Part::Text(t) => Event::Text(t.to_owned().into()),
            Part::Math {
                latex,
                display,
                written,
            } => match convert(latex, display) {
                Ok(mathml) => Event::InlineHtml(mathml.into()),
                Err(message) => {
                    diags.push(chapter.source_map.diagnostic(offset, |p| {
                        Diagnostic::warning(
                            p,
                            format!(
                                "cannot render the formula `{written}`: {message}; left as text"
                            ),
                        )
                    }));
                    Event::Text(written.to_owned().into())
                }
            },
        };
        out.push((event, offset));
    }
}

enum Part<'t> {
    Text(&'t str),
    Math {
        latex: &'t str,
        display: bool,
        written: &'t str,
    },
}

/// `text` cut into plain text and formulas, each with its byte position. An opening
/// delimiter without its closing one is text.
fn split(text: &str) -> Vec<(Part<'_>, usize)> {
    let mut parts = Vec::new();
    let mut rest = 0;
    let mut search = 0;
    while let Some(found) = text[search..].find('\\') {
        let open = search + found;
        let close = match text[open + 1..].chars().next() {
            Some('(') => "\\)",
            Some('[') => "\\]",
            _ => {
                search = open + 1;
                continue;
            }
        };
        let Some(len) = text[open + 2..].find(close) else {
            search = open + 2;
            continue;
        };
        let end = open + 2 + len + 2;
        if open > rest {
            parts.push((Part::Text(&text[rest..open]), rest));
        }
        parts.push((
            Part::Math {
                latex: &text[open + 2..end - 2],
                display: close == "\\]",
                written: &text[open..end],
            },
            open,
        ));
        rest = end;
        search = end;
    }
    if rest < text.len() {
        parts.push((Part::Text(&text[rest..]), rest));
    }
    parts
}

/// The MathML of one formula, or why it cannot be read.
fn convert(latex: &str, display: bool) -> Result<String, String> {
    let converter = CONVERTER
        .as_ref()
        .ok_or_else(|| "the math renderer did not start".to_owned())?;
    let mode = if display {
        MathDisplay::Block
    } else {
        MathDisplay::Inline
    };
    match converter.convert_with_local_state(latex, mode) {
        Ok(result) => Ok(STYLE.replace_all(&result.mathml, "").into_owned()),
        Err(e) => Err(e.error_message().trim_end_matches('.').to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_inline_and_display_math_and_keeps_unclosed_text() {
        let parts = split(r"a \( x^2 \) b \[ y \] c \( open");
        let shown: Vec<String> = parts
            .iter()
            .map(|(p, i)| match p {
                Part::Text(t) => format!("{i}:text:{t}"),
                Part::Math { latex, display, .. } => format!("{i}:math:{display}:{latex}"),
            })
            .collect();
        assert_eq!(
            shown,
            [
                "0:text:a ",
                "2:math:false: x^2 ",
                "11:text: b ",
                "14:math:true: y ",
                "21:text: c \\( open"
            ]
        );
    }

    #[test]
    fn converts_escaping_text_and_dropping_styles() {
        let html = convert(r"\text{<b>} < \color{red}{x}", false).unwrap();
        assert!(html.starts_with("<math>"), "{html}");
        assert!(
            html.contains("&lt;b&gt;") && !html.contains("<b>"),
            "{html}"
        );
        assert!(!html.contains("style="), "{html}");
        assert!(convert(r"\frac{a}{", false).is_err());
    }
}
