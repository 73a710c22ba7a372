//! mdBook's text directives, expanded into a chapter's text before it is read as Markdown:
//! `{{#include}}` (line ranges and anchors), `{{#rustdoc_include}}` (the rest of the file kept
//! as hidden lines), `{{#playground}}` (a file as a Rust code block), `{{#title}}` (the page's
//! title) and the `\{{#` escape, all as mdBook's `links` preprocessor runs them, inside code
//! blocks too. A source map keeps error positions pointing at the included file.

mod scan;
mod select;
mod target;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::SourceMap;

use super::source::read_text;
use scan::Found;
use select::{RustdocPart, Span};
use target::Wanted;

/// How deep `{{#include}}` may nest before we call it a runaway.
const MAX_INCLUDE_DEPTH: usize = 16;

/// Where include expansion writes: the expanded text, its source map, what was included, and
/// the title a `{{#title}}` set.
pub(super) struct Expansion<'a> {
    pub text: &'a mut String,
    pub map: &'a mut SourceMap,
    pub includes: &'a mut Vec<PathBuf>,
    pub diags: &'a mut Diagnostics,
    pub title: &'a mut Option<String>,
}

/// The mdBook directives expanded here; any other `{{#name}}` is left for the Markdown stage.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Include,
    RustdocInclude,
    Playground,
    Title,
}

impl Kind {
    fn of(name: &str) -> Option<Kind> {
        match name {
            "include" => Some(Kind::Include),
            "rustdoc_include" => Some(Kind::RustdocInclude),
            // `playpen` is the old name mdBook still reads.
            "playground" | "playpen" => Some(Kind::Playground),
            "title" => Some(Kind::Title),
            _ => None,
        }
    }
}

/// One file being expanded, and the directive in it being run.
struct Directive<'a> {
    path: &'a Path,
    text: &'a Arc<str>,
    book_root: &'a Path,
    start: usize,
    kind: Kind,
    name: &'a str,
    argument: &'a str,
}

impl Directive<'_> {
    fn error(&self, message: String) -> Diagnostic {
        Diagnostic::error(self.path, message).at_offset(self.text, self.start)
    }

    fn warning(&self, message: String) -> Diagnostic {
        Diagnostic::warning(self.path, message).at_offset(self.text, self.start)
    }

    /// The directive as written, for messages.
    fn written(&self) -> String {
        format!("{{{{#{} {}}}}}", self.name, self.argument)
    }
}

/// Copies `text[range]` into `x.text`, running each directive. The source map points into the
/// whole `text`, so a ranged include reports its file's real lines.
pub(super) fn expand_includes(
    path: &Path,
    text: &Arc<str>,
    range: std::ops::Range<usize>,
    book_root: &Path,
    stack: &mut Vec<PathBuf>,
    x: &mut Expansion<'_>,
) {
    let mut cursor = range.start;
    let resume = |x: &mut Expansion<'_>, at: usize| {
        x.map
            .push(x.text.len(), path.to_path_buf(), text.clone(), at);
    };
    resume(x, cursor);
    while let Some(found) = scan::next(text, cursor, range.end) {
        match found {
            Found::Escaped { start, end } => {
                x.text.push_str(&text[cursor..start]);
                resume(x, start + 1);
                x.text.push_str(&text[start + 1..end]);
                cursor = end;
            }
            Found::Directive {
                start,
                end,
                name,
                argument,
            } => {
                let Some(kind) = Kind::of(name) else {
                    x.text.push_str(&text[cursor..end]);
                    cursor = end;
                    continue;
                };
                x.text.push_str(&text[cursor..start]);
                let directive = Directive {
                    path,
                    text,
                    book_root,
                    start,
                    kind,
                    name,
                    argument,
                };
                run(&directive, stack, x);
                cursor = end;
                resume(x, cursor);
            }
        }
    }
    x.text.push_str(&text[cursor..range.end]);
}

/// Runs one directive in place, or reports why not.
fn run(d: &Directive<'_>, stack: &mut Vec<PathBuf>, x: &mut Expansion<'_>) {
    if d.kind == Kind::Title {
        *x.title = Some(d.argument.to_owned());
        return;
    }
    let (file, wanted) = match target::parse(d.argument) {
        Ok(parsed) => parsed,
        Err(message) => return x.diags.push(d.error(message)),
    };
    let target = target::resolve(file, d.path, d.book_root);
    if stack.contains(&target) || stack.len() > MAX_INCLUDE_DEPTH {
        return x
            .diags
            .push(d.error(cycle_message(stack, &target, d.book_root)));
    }
    let Some(included) = read_included(d, &target, x.diags) else {
        return;
    };
    if let Some(why) = target::outside_warning(&target, d.book_root) {
        x.diags.push(d.warning(format!("`{}` {why}", d.written())));
    }
    stack.push(target.clone());
    x.includes.push(target.clone());
    // Every line after the first carries what stood before the directive on its line (`> `,
    // a list's indent), as mdBook prefixes them.
    let prefix = x.text.rsplit('\n').next().unwrap_or_default().to_owned();
    if d.kind == Kind::Include && prefix.is_empty() {
        include_in_place(d, &target, &included, &wanted, stack, x);
    } else {
        let made = made_text(d, &included, &wanted, x.diags);
        let made: Arc<str> = Arc::from(with_prefix(&made, &prefix));
        expand_includes(&target, &made, 0..made.len(), d.book_root, stack, x);
    }
    stack.pop();
}

fn read_included(d: &Directive<'_>, target: &Path, diags: &mut Diagnostics) -> Option<Arc<str>> {
    match read_text(target) {
        Ok(text) => Some(Arc::from(text)),
        Err(e) if target.is_file() => {
            diags.push(e);
            None
        }
        // A directory, FIFO or device: at the directive, which is what to fix.
        Err(e) if target.exists() => {
            let why = e.message.trim_start_matches("cannot read: ");
            diags.push(d.error(format!("cannot include `{}`: {why}", d.argument)));
            None
        }
        Err(_) => {
            let message = format!("cannot include `{}`: file not found", d.argument);
            diags.push(d.error(message));
            None
        }
    }
}

/// A plain include at the start of a line, copied straight from the file so positions in it
/// stay exact.
fn include_in_place(
    d: &Directive<'_>,
    target: &Path,
    included: &Arc<str>,
    wanted: &Wanted,
    stack: &mut Vec<PathBuf>,
    x: &mut Expansion<'_>,
) {
    let pieces = wanted_pieces(d, included, wanted, x.diags);
    let count = pieces.len();
    for (i, mut lines) in pieces.into_iter().enumerate() {
        // The included text ends without its last line break, as mdBook joins lines.
        if i + 1 == count {
            lines.end = lines.start + without_last_break(&included[lines.clone()]).len();
        }
        expand_includes(target, included, lines, d.book_root, stack, x);
    }
}

/// The byte ranges of `included` an include takes.
fn wanted_pieces(
    d: &Directive<'_>,
    included: &str,
    wanted: &Wanted,
    diags: &mut Diagnostics,
) -> Vec<std::ops::Range<usize>> {
    match wanted {
        Wanted::Lines(range) => vec![select::select_lines(included, *range)],
        Wanted::Anchor(name) => {
            let pieces = select::anchored_lines(included, name);
            if pieces.is_empty() {
                let message = format!(
                    "`{}` includes nothing: no line with `ANCHOR: {name}` in that file",
                    d.written()
                );
                diags.push(d.warning(message));
            }
            pieces
        }
    }
}

/// The text a directive puts in place of itself when it is not a straight copy.
fn made_text(
    d: &Directive<'_>,
    included: &str,
    wanted: &Wanted,
    diags: &mut Diagnostics,
) -> String {
    match d.kind {
        Kind::RustdocInclude => {
            let part = match wanted {
                Wanted::Lines(range) => RustdocPart::Lines(Span(*range)),
                Wanted::Anchor(name) => RustdocPart::Anchor(name),
            };
            select::rustdoc_lines(included, part)
        }
        Kind::Playground => {
            // `{{#playground file.rs editable}}`: the words after the file become the block's
            // attributes, as in mdBook.
            let attributes: Vec<&str> = d.argument.split_whitespace().skip(1).collect();
            let info = std::iter::once("rust")
                .chain(attributes)
                .collect::<Vec<_>>();
            let body = included.strip_suffix('\n').unwrap_or(included);
            format!("```{}\n{body}\n```\n", info.join(","))
        }
        Kind::Include | Kind::Title => {
            // An include after other text on its line.
            let pieces = wanted_pieces(d, included, wanted, diags);
            let joined: String = pieces.iter().map(|r| &included[r.clone()]).collect();
            without_last_break(&joined).to_owned()
        }
    }
}

fn without_last_break(text: &str) -> &str {
    let text = text.strip_suffix('\n').unwrap_or(text);
    text.strip_suffix('\r').unwrap_or(text)
}

/// `text` with `prefix` after each of its line breaks.
fn with_prefix(text: &str, prefix: &str) -> String {
    if prefix.is_empty() {
        return text.to_owned();
    }
    text.replace('\n', &format!("\n{prefix}"))
}

fn cycle_message(stack: &[PathBuf], target: &Path, book_root: &Path) -> String {
    let shown = |p: &Path| p.strip_prefix(book_root).unwrap_or(p).display().to_string();
    let chain: Vec<String> = stack.iter().map(|p| shown(p)).collect();
    format!("include cycle: {} -> {}", chain.join(" -> "), shown(target))
}
