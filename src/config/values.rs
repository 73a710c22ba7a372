//! Checks on the values of settings that name files and ids, pointing at their line in
//! book.toml.

use std::path::Path;

use toml::de::{DeTable, DeValue};

use super::{Config, find_value};
use crate::diagnostics::{Diagnostic, Diagnostics};

/// `[book] id` names the guide's keys in the reader's browser (`guidebook/<id>/...`, shared by
/// every guide opened from disk): letters, digits and hyphens only, so it can never contain the
/// `/` that ends it and no guide's keys start with another's.
pub(super) fn check_guide_id(
    table: &DeTable<'_>,
    path: &Path,
    text: &str,
    diags: &mut Diagnostics,
) {
    let Some(id) = find_value(table, "book.id") else {
        return;
    };
    let valid = matches!(id.get_ref(), DeValue::String(s)
        if !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '-'));
    if !valid {
        diags.push(
            Diagnostic::error(
                path,
                "`book.id` may contain only letters, digits and hyphens (it names readers' saved data)",
            )
            .at_offset(text, id.span().start),
        );
    }
}

/// Paths from book.toml that a build reads or copies must stay inside the book root, symlinks
/// included: otherwise `additional-css = ["/etc/x.css"]` would publish (or, written back,
/// overwrite) a file anywhere, and `theme = "/any/dir"` would publish a whole folder.
pub(super) fn check_paths(
    config: &Config,
    table: &DeTable<'_>,
    text: &str,
    diags: &mut Diagnostics,
) {
    let root = crate::util::paths::resolve(&config.root);
    let at = |dotted: &str, index: Option<usize>| {
        let value = find_value(table, dotted)?;
        match (index, value.get_ref()) {
            (Some(i), DeValue::Array(items)) => items.get(i).map(|v| v.span().start),
            _ => Some(value.span().start),
        }
    };
    let mut refuse = |dotted: &str, index: Option<usize>, message: String| {
        let d = Diagnostic::error(&config.book_toml, message);
        diags.push(match at(dotted, index) {
            Some(offset) => d.at_offset(text, offset),
            None => d,
        });
    };
    let inside = |p: &Path| crate::util::paths::is_within(&crate::util::paths::resolve(p), &root);
    for (key, files) in [
        ("output.html.additional-css", &config.additional_css),
        ("output.html.additional-js", &config.additional_js),
    ] {
        for (i, file) in files.iter().enumerate() {
            let relative = crate::util::paths::site_relative(file).is_some();
            if !relative || !inside(&config.root.join(file)) {
                let message = format!(
                    "`{}` is outside the book: additional files must be relative paths inside \
                     the book's folder (copy the file into it)",
                    file.display()
                );
                refuse(key, Some(i), message);
            }
        }
    }
    let theme = &config.theme;
    let plain =
        crate::util::paths::site_relative(Path::new(theme)).is_some_and(|t| !t.contains('/'));
    if !plain || !inside(&config.root.join("themes").join(theme)) {
        let message = format!(
            "theme `{theme}` is not a theme name: it names a folder under themes/ in the book \
             (e.g. `theme = \"mine\"` for themes/mine/)"
        );
        refuse("output.html.theme", None, message);
    }
    if !inside(&config.src_dir) {
        let message = format!(
            "the source folder {} is outside the book's folder; keep the chapters inside it",
            config.src_dir.display()
        );
        refuse("book.src", None, message);
    }
}
