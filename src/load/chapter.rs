//! Reading one chapter file: front matter, mdBook's `{{#include}}` family of directives, and the source map that
//! keeps error positions pointing at the right file.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{FrontMatter, SharedText, SourceMap};

use super::includes::{Expansion, expand_includes};

pub struct LoadedChapter {
    pub front_matter: FrontMatter,
    /// Files pulled in by `{{#include}}`, so they are not reported as orphans.
    pub includes: Vec<PathBuf>,
    pub markdown: SharedText,
    pub source_map: SourceMap,
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
    let mut front_matter = split.front_matter;
    let mut markdown = String::with_capacity(text.len() - body_start);
    let mut source_map = SourceMap::default();
    let mut stack = vec![path.to_path_buf()];
    let mut includes = Vec::new();
    let mut title = None;
    let mut out = Expansion {
        text: &mut markdown,
        map: &mut source_map,
        includes: &mut includes,
        diags: &mut diags,
        title: &mut title,
    };
    let whole = body_start..text.len();
    expand_includes(path, &text, whole, book_root, &mut stack, &mut out);
    // `{{#title}}` names the page as front matter's `title` does; front matter wins.
    if front_matter.title.is_none() {
        front_matter.title = title;
    }
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
}
