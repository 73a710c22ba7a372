//! Reading one chapter file: front matter, `{{#include}}` expansion, and the source map that
//! keeps error positions pointing at the right file.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::model::{FrontMatter, SharedText, SourceMap};

/// How deep `{{#include}}` may nest before we call it a runaway.
const MAX_INCLUDE_DEPTH: usize = 16;

pub struct LoadedChapter {
    pub front_matter: FrontMatter,
    /// Files pulled in by `{{#include}}`, so they are not reported as orphans.
    pub includes: Vec<PathBuf>,
    pub markdown: SharedText,
    pub source_map: SourceMap,
}

/// The largest source file read (chapter, include, SUMMARY.md, data file). The guide's own
/// chapters are under 30 KB; a file this big is a paste or export gone wrong, and building it
/// would take minutes and write a page and search index no reader could load.
pub const MAX_SOURCE_BYTES: u64 = 8 * MB;
const MB: u64 = 1024 * 1024;

/// Reads a chapter's text: UTF-8, without a byte-order mark, with `\r\n` kept (pulldown-cmark
/// handles it and offsets stay true to the file).
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let cannot_read = |e: std::io::Error| Diagnostic::error(path, format!("cannot read: {e}"));
    // Checked before opening: a FIFO would block the open forever, and a device (a symlink to
    // /dev/zero) would be read until memory runs out.
    let metadata = std::fs::metadata(path).map_err(cannot_read)?;
    if !metadata.is_file() {
        let message = format!("cannot read: {}, not a regular file", file_kind(&metadata));
        return Err(Diagnostic::error(path, message));
    }
    // Checked before reading, so a huge file is never loaded into memory.
    let size = metadata.len();
    if size > MAX_SOURCE_BYTES {
        let what = match path.extension().and_then(|e| e.to_str()) {
            Some("md") => "chapter",
            Some("yaml" | "yml") => "data file",
            _ => "file",
        };
        let message = format!(
            "{what} is {:.1} MB, over the {} MB limit for a source file; split it into smaller files",
            size as f64 / MB as f64,
            MAX_SOURCE_BYTES / MB
        );
        return Err(Diagnostic::error(path, message).at(Position { line: 1, column: 1 }, None));
    }
    let bytes = std::fs::read(path).map_err(cannot_read)?;
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(text)
        }
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
            Err(Diagnostic::error(path, "file is not valid UTF-8")
                .at(Position::of_offset(&valid, offset), None))
        }
    }
}

/// What a file that is not a regular file is, in an author's words.
fn file_kind(metadata: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let kind = metadata.file_type();
    if kind.is_dir() {
        "it is a directory"
    } else if kind.is_fifo() {
        "it is a named pipe (FIFO)"
    } else if kind.is_char_device() || kind.is_block_device() {
        "it is a device"
    } else if kind.is_socket() {
        "it is a socket"
    } else {
        "it is a special file"
    }
}

/// Splits front matter from the body and expands includes.
pub fn load(path: &Path, book_root: &Path, text: String) -> (Option<LoadedChapter>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let text: Arc<str> = Arc::from(text);
    let split = front_matter(path, &text);
    diags.extend(split.diagnostics);
    let Some(body_start) = split.body_start else {
        return (None, diags);
    };
    let front_matter = split.front_matter;
    let mut markdown = String::with_capacity(text.len() - body_start);
    let mut source_map = SourceMap::default();
    let mut stack = vec![path.to_path_buf()];
    let mut includes = Vec::new();
    let mut out = Expansion {
        text: &mut markdown,
        map: &mut source_map,
        includes: &mut includes,
        diags: &mut diags,
    };
    let whole = body_start..text.len();
    expand_includes(path, &text, whole, book_root, &mut stack, &mut out);
    // Nothing was included or unescaped: the body is the file's tail, shared, not copied.
    let markdown = if source_map.segment_count() == 1 && markdown == text[body_start..] {
        SharedText::slice_of(text, body_start)
    } else {
        markdown.into()
    };
    (
        Some(LoadedChapter {
            includes,
            front_matter,
            markdown,
            source_map,
        }),
        diags,
    )
}

/// A chapter's front matter, parsed, and where its body starts.
pub struct FrontMatterSplit {
    /// The defaults when there is no front matter or it has a problem.
    pub front_matter: FrontMatter,
    /// Byte offset of the body; `None` when the front matter is never closed.
    pub body_start: Option<usize>,
    pub diagnostics: Diagnostics,
}

/// Splits off and parses the front matter of the chapter `text` read from `path`.
pub fn front_matter(path: &Path, text: &str) -> FrontMatterSplit {
    let mut split = FrontMatterSplit {
        front_matter: FrontMatter::default(),
        body_start: Some(0),
        diagnostics: Diagnostics::default(),
    };
    match split_front_matter(text) {
        Ok(Some((yaml, yaml_start, body_start))) => {
            split.body_start = Some(body_start);
            match parse_front_matter(yaml, yaml_start, path, text) {
                Ok(fm) => split.front_matter = fm,
                Err(d) => split.diagnostics.push(d),
            }
        }
        Ok(None) => {}
        Err(d) => {
            split.body_start = None;
            split.diagnostics.push(
                Diagnostic {
                    path: path.to_path_buf(),
                    ..d
                }
                .at_offset(text, 0),
            );
        }
    }
    split
}

/// `Ok(Some((yaml, yaml_start, body_start)))` when the file opens with a `---` block.
fn split_front_matter(text: &str) -> Result<Option<(&str, usize, usize)>, Diagnostic> {
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_line_end].trim_end() != "---" {
        return Ok(None);
    }
    let mut offset = first_line_end;
    for line in text[first_line_end..].split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Ok(Some((
                &text[first_line_end..offset],
                first_line_end,
                offset + line.len(),
            )));
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        PathBuf::new(),
        "front matter starts with `---` here but is never closed by another `---` line",
    ))
}

fn parse_front_matter(
    yaml: &str,
    yaml_start: usize,
    path: &Path,
    text: &str,
) -> Result<FrontMatter, Diagnostic> {
    if yaml.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    let fm: FrontMatter = crate::load::data::yaml::from_str(yaml).map_err(|e| {
        let message = crate::load::data::yaml::improve_message(&e.message, FRONT_MATTER_FIELDS);
        Diagnostic::error(path, format!("in front matter: {message}"))
            .at_offset(text, yaml_start + e.offset.unwrap_or(0))
    })?;
    for (value, field) in [
        (&fm.last_reviewed, "last_reviewed"),
        (&fm.review_by, "review_by"),
    ] {
        if let Some(date) = value
            && !is_iso_date(date)
        {
            let offset = text[yaml_start..]
                .find(field)
                .map_or(yaml_start, |i| yaml_start + i);
            return Err(Diagnostic::error(
                path,
                format!("`{field}` must be a date like 2026-11-22, found \"{date}\""),
            )
            .at_offset(text, offset));
        }
    }
    Ok(fm)
}

const FRONT_MATTER_FIELDS: &[&str] = &[
    "title",
    "description",
    "audience",
    "last_reviewed",
    "review_by",
    "keywords",
    "extra",
];

fn is_iso_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 3
        && parts[0].len() == 4
        && parts[1].len() == 2
        && parts[2].len() == 2
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        && matches!(parts[1].parse::<u8>(), Ok(1..=12))
        && matches!(parts[2].parse::<u8>(), Ok(1..=31))
}

/// Where include expansion writes: the expanded text, its source map, what was included.
struct Expansion<'a> {
    text: &'a mut String,
    map: &'a mut SourceMap,
    includes: &'a mut Vec<PathBuf>,
    diags: &'a mut Diagnostics,
}

/// Copies `text[range]` into `out`, replacing each `{{#include path}}` with the file's text.
/// The source map points into the whole `text`, so a ranged include reports its file's real
/// lines.
fn expand_includes(
    path: &Path,
    text: &Arc<str>,
    range: std::ops::Range<usize>,
    book_root: &Path,
    stack: &mut Vec<PathBuf>,
    x: &mut Expansion<'_>,
) {
    let Expansion {
        text: out,
        map,
        includes,
        diags,
    } = x;
    let mut cursor = range.start;
    map.push(out.len(), path.to_path_buf(), text.clone(), cursor);
    while let Some(found) = text[cursor..range.end].find("{{#include") {
        let start = cursor + found;
        // `\{{#include ...}}` is an escaped, literal directive.
        if start > 0 && text.as_bytes()[start - 1] == b'\\' {
            out.push_str(&text[cursor..start - 1]);
            out.push_str("{{");
            cursor = start + 2;
            map.push(out.len(), path.to_path_buf(), text.clone(), cursor);
            continue;
        }
        let Some(close) = text[start..range.end].find("}}") else {
            break;
        };
        let end = start + close + 2;
        out.push_str(&text[cursor..start]);
        let argument = text[start + "{{#include".len()..end - 2].trim();
        match resolve_include(argument, path, book_root) {
            Ok((target, wanted)) => {
                if stack.contains(&target) || stack.len() > MAX_INCLUDE_DEPTH {
                    let shown =
                        |p: &Path| p.strip_prefix(book_root).unwrap_or(p).display().to_string();
                    let chain: Vec<String> = stack.iter().map(|p| shown(p)).collect();
                    diags.push(
                        Diagnostic::error(
                            path,
                            format!(
                                "include cycle: {} -> {}",
                                chain.join(" -> "),
                                shown(&target)
                            ),
                        )
                        .at_offset(text, start),
                    );
                } else {
                    match read_text(&target) {
                        Ok(included) => {
                            let lines = select_lines(&included, wanted);
                            stack.push(target.clone());
                            includes.push(target.clone());
                            let mut inner = Expansion {
                                text: out,
                                map,
                                includes,
                                diags,
                            };
                            let ranged = lines != (0..included.len());
                            let included: Arc<str> = Arc::from(included);
                            let ends = lines.end;
                            expand_includes(
                                &target, &included, lines, book_root, stack, &mut inner,
                            );
                            // A line range is whole lines, the last one ended too.
                            if ranged && !included[..ends].ends_with('\n') {
                                inner.text.push('\n');
                            }
                            stack.pop();
                        }
                        Err(d) if target.is_file() => diags.push(d),
                        // A directory, FIFO or device: at the directive, which is what to fix.
                        Err(d) if target.exists() => diags.push(
                            Diagnostic::error(
                                path,
                                format!(
                                    "cannot include `{argument}`: {}",
                                    d.message.trim_start_matches("cannot read: ")
                                ),
                            )
                            .at_offset(text, start),
                        ),
                        Err(_) => diags.push(
                            Diagnostic::error(
                                path,
                                format!("cannot include `{argument}`: file not found"),
                            )
                            .at_offset(text, start),
                        ),
                    }
                }
            }
            Err(message) => diags.push(Diagnostic::error(path, message).at_offset(text, start)),
        }
        cursor = end;
        map.push(out.len(), path.to_path_buf(), text.clone(), cursor);
    }
    out.push_str(&text[cursor..range.end]);
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
    fn front_matter_is_split_from_the_body() {
        let text = "---\ntitle: T\n---\n# Body\n";
        let (yaml, start, body) = split_front_matter(text).unwrap().unwrap();
        assert_eq!(yaml, "title: T\n");
        assert_eq!(start, 4);
        assert_eq!(&text[body..], "# Body\n");
    }

    #[test]
    fn no_front_matter_without_leading_fence() {
        assert!(split_front_matter("# Hi\n---\n").unwrap().is_none());
        assert!(split_front_matter("---\ntitle: x\n").is_err());
    }

    #[test]
    fn front_matter_error_points_into_the_file() {
        let text = "---\ntitle: T\ntitel: U\n---\nbody\n";
        let err =
            parse_front_matter("title: T\ntitel: U\n", 4, Path::new("c.md"), text).unwrap_err();
        let shown = err.to_string();
        assert!(
            shown.starts_with("c.md:3:1: error: in front matter: unknown field \"titel\""),
            "{shown}"
        );
        assert!(shown.contains("did you mean \"title\""), "{shown}");
    }

    #[test]
    fn dates_are_checked() {
        assert!(is_iso_date("2026-11-22"));
        assert!(!is_iso_date("2026-13-01"));
        assert!(!is_iso_date("22/11/2026"));
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
