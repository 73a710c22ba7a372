//! What an include names: the file, relative to the including file's folder, and the part of
//! it wanted. Files may lie outside the book, as in mdBook (its own guide includes examples
//! from the repository), but one outside the repository that holds the book gets a warning:
//! it would be published with the book.

use std::path::{Path, PathBuf};

/// A line range (1-based, inclusive; open ends).
pub(super) type LineRange = (Option<usize>, Option<usize>);

/// What part of a file an include takes.
#[derive(Debug, PartialEq)]
pub(super) enum Wanted {
    /// A line range, or the whole file.
    Lines(LineRange),
    /// The lines between `ANCHOR: name` and `ANCHOR_END: name`.
    Anchor(String),
}

/// `file.md`, `file.md:3`, `file.md:3:10`, `file.md::10`, `file.md:3:`, `file.rs:name`
/// (mdBook's forms): the file and the part wanted. Anything after the first space is ignored,
/// as mdBook ignores it.
pub(super) fn parse(argument: &str) -> Result<(&str, Wanted), String> {
    let spec = argument.split_whitespace().next().unwrap_or_default();
    let (file, part) = spec.split_once(':').unwrap_or((spec, ""));
    let mut parts = part.splitn(2, ':');
    let (first, last) = (parts.next().unwrap_or_default(), parts.next());
    let is_anchor = !first.is_empty() && first.parse::<usize>().is_err();
    if is_anchor {
        return Ok((file, Wanted::Anchor(first.to_owned())));
    }
    let number = |s: &str| -> Result<Option<usize>, String> {
        match s.trim() {
            "" => Ok(None),
            n => n.parse::<usize>().map(Some).map_err(|_| {
                format!("`{n}` is not a line number in `{{{{#include {argument}}}}}`")
            }),
        }
    };
    let from = number(first)?;
    let range = match last {
        None => (from, from),
        Some(last) => (from, number(last)?),
    };
    Ok((file, Wanted::Lines(range)))
}

/// The included file's path: `file` relative to the folder of `including`.
pub(super) fn resolve(file: &str, including: &Path, book_root: &Path) -> PathBuf {
    let base = including.parent().unwrap_or(book_root);
    crate::util::paths::normalize(&base.join(file))
}

/// Why including `target` deserves a warning: it lies outside the repository that holds the
/// book (or, when the book is in none, outside the book's folder). Symlinks are followed.
pub(super) fn outside_warning(target: &Path, book_root: &Path) -> Option<String> {
    let real = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let (target, root) = (real(target), real(book_root));
    if target.starts_with(&root) {
        return None;
    }
    match repository_of(&root) {
        Some(repository) if target.starts_with(&repository) => None,
        Some(repository) => Some(format!(
            "includes {}, outside the repository that holds this book ({}); it will be published with the book",
            target.display(),
            repository.display()
        )),
        None => Some(format!(
            "includes {}, outside the book's folder; it will be published with the book",
            target.display()
        )),
    }
}

/// The nearest folder at or above `dir` with a `.git` (a folder, or a file in a worktree).
fn repository_of(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_mdbooks_forms() {
        let wanted = |a| parse(a).map(|(_, w)| w);
        assert_eq!(wanted("f.rs"), Ok(Wanted::Lines((None, None))));
        assert_eq!(wanted("f.rs:3"), Ok(Wanted::Lines((Some(3), Some(3)))));
        assert_eq!(wanted("f.rs:3:10"), Ok(Wanted::Lines((Some(3), Some(10)))));
        assert_eq!(wanted("f.rs::10"), Ok(Wanted::Lines((None, Some(10)))));
        assert_eq!(wanted("f.rs:3:"), Ok(Wanted::Lines((Some(3), None))));
        assert_eq!(wanted("f.rs:all"), Ok(Wanted::Anchor("all".into())));
        assert_eq!(wanted("f.rs:a.b extra"), Ok(Wanted::Anchor("a.b".into())));
        assert!(wanted("f.rs:3:x").is_err());
        assert_eq!(parse("dir/f.rs:2 editable").map(|(f, _)| f), Ok("dir/f.rs"));
    }
}
