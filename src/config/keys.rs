//! Which keys book.toml may hold: guidebook's own, mdBook's that are accepted and ignored
//! (one warning each), and anything else (an error with a "did you mean" suggestion).

use std::path::Path;

use toml::de::{DeTable, DeValue};

use crate::diagnostics::{Diagnostic, Diagnostics, suggestion_suffix};

/// Keys guidebook reads. A key ending in `.` is a table whose own keys are checked in turn.
const GUIDEBOOK_KEYS: &[&str] = &[
    "book.",
    "book.title",
    "book.authors",
    "book.description",
    "book.language",
    "book.src",
    "book.id",
    "build.",
    "build.build-dir",
    "output.",
    "output.html.",
    "output.html.theme",
    "output.html.site-url",
    "output.html.additional-css",
    "output.html.additional-js",
    "output.html.smart-punctuation",
    "output.html.broken-links",
    "output.html.print.",
    "output.html.print.enable",
    "output.html.print.page-break",
    "output.html.print.paper-size",
    "output.html.search.",
    "output.html.search.enable",
    "output.html.search.size-budget-kb",
    // mdBook's settings that change the site (config/site.rs).
    "output.html.redirect",
    "output.html.git-repository-url",
    "output.html.git-repository-icon",
    "output.html.edit-url-template",
    "output.html.cname",
    "output.html.default-theme",
    "output.html.preferred-dark-theme",
    "output.html.fold.",
    "output.html.fold.enable",
    "output.html.fold.level",
    "output.html.mathjax-support",
    // Any `[preprocessor.NAME]` table: its keys are mdBook's and the preprocessor's own.
    "preprocessor.",
    "preprocessor.*",
    "output.html.playground.",
    "output.html.playground.editable",
    "output.html.playground.copyable",
    "output.html.playground.copy-js",
    "output.html.playground.line-numbers",
    "output.html.playground.runnable",
    "output.html.playground.url",
    "output.html.playpen.",
    "output.html.playpen.editable",
    "output.html.playpen.copyable",
    "output.html.playpen.copy-js",
    "output.html.playpen.line-numbers",
    "output.html.playpen.runnable",
    "output.html.playpen.url",
    "output.html.code.",
    "output.html.code.hidelines",
    "rust.",
    "rust.edition",
];

/// Keys mdBook defines that guidebook accepts and ignores. `*` stands for any one key.
const MDBOOK_ONLY_KEYS: &[&str] = &[
    "book.text-direction",
    "book.multilingual",
    "build.create-missing",
    "build.use-default-preprocessors",
    "build.extra-watch-dirs",
    "output.*",
    "output.html.curly-quotes",
    "output.html.no-section-label",
    "output.html.input-404",
    "output.html.live-reload-endpoint",
    "output.html.hash-files",
    "output.html.sidebar-header-nav",
    "output.html.copy-fonts",
    "output.html.search.*",
];

/// Walks the parsed table and reports keys guidebook does not know.
pub(super) fn check_keys(
    table: &DeTable<'_>,
    prefix: &str,
    path: &Path,
    text: &str,
    diags: &mut Diagnostics,
) {
    for (key, value) in table.iter() {
        let dotted = format!("{prefix}{}", key.get_ref());
        let at = key.span().start;
        if GUIDEBOOK_KEYS.contains(&format!("{dotted}.").as_str()) {
            if let DeValue::Table(inner) = value.get_ref() {
                check_keys(inner, &format!("{dotted}."), path, text, diags);
            } else {
                diags.push(
                    Diagnostic::error(path, format!("`{dotted}` must be a table"))
                        .at_offset(text, at),
                );
            }
        } else if GUIDEBOOK_KEYS.contains(&dotted.as_str())
            || GUIDEBOOK_KEYS.contains(&format!("{prefix}*").as_str())
        {
            continue;
        } else if MDBOOK_ONLY_KEYS.contains(&format!("{dotted}.*").as_str())
            && let DeValue::Table(inner) = value.get_ref()
        {
            // e.g. `[output.linkcheck]`: one warning per renderer.
            check_keys(inner, &format!("{dotted}."), path, text, diags);
        } else if is_mdbook_only(&dotted) {
            diags.push(
                Diagnostic::warning(
                    path,
                    format!(
                        "`{dotted}` is an mdBook setting that guidebook does not support; ignored"
                    ),
                )
                .at_offset(text, at),
            );
        } else {
            let siblings = known_children(prefix);
            let message = format!(
                "unknown key `{dotted}`{}",
                suggestion_suffix(key.get_ref(), siblings.iter().copied())
            );
            diags.push(Diagnostic::error(path, message).at_offset(text, at));
        }
    }
}

fn is_mdbook_only(dotted: &str) -> bool {
    MDBOOK_ONLY_KEYS
        .iter()
        .any(|pattern| match pattern.strip_suffix('*') {
            Some(table) => {
                dotted.strip_prefix(table).is_some_and(|rest| !rest.contains('.'))
                // `output.*` means other renderers, not our own `output.html`.
                && dotted != "output.html"
            }
            None => dotted == *pattern,
        })
}

/// Names of the keys directly inside the table at `prefix` (e.g. `"output.html."`).
fn known_children(prefix: &str) -> Vec<&'static str> {
    GUIDEBOOK_KEYS
        .iter()
        .chain(MDBOOK_ONLY_KEYS)
        .filter_map(|k| k.strip_prefix(prefix))
        .map(|rest| rest.trim_end_matches('.'))
        .filter(|rest| !rest.is_empty() && !rest.contains('.') && *rest != "*")
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diags_for(toml_text: &str) -> Vec<String> {
        let table = DeTable::parse(toml_text).unwrap();
        let mut diags = Diagnostics::default();
        check_keys(
            table.get_ref(),
            "",
            Path::new("book.toml"),
            toml_text,
            &mut diags,
        );
        diags
            .sorted()
            .iter()
            .map(|d| d.to_string().lines().next().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn known_keys_pass() {
        let text = "[book]\ntitle = \"x\"\nsrc = \"content\"\n[output.html]\nsite-url = \"/\"\n[output.html.print]\nenable = true\n";
        assert!(diags_for(text).is_empty());
    }

    #[test]
    fn unknown_key_is_an_error_with_suggestion() {
        let d = diags_for("[book]\ntitel = \"x\"\n");
        assert_eq!(
            d,
            ["book.toml:2:1: error: unknown key `book.titel`, did you mean \"title\"?"]
        );
    }

    #[test]
    fn mdbook_keys_warn_once_each() {
        let d = diags_for(
            "[book]\nmultilingual = false\n[preprocessor.katex]\n[output.linkcheck]\n[output.html]\nhash-files = true\n",
        );
        assert_eq!(d.len(), 3, "{d:?}");
        assert!(
            d.iter()
                .all(|l| l.contains("warning: ") && l.contains("mdBook setting"))
        );
    }
}
