//! `book.toml`: the raw file ([`BookToml`]) and the validated settings a build uses ([`Config`]).
//!
//! Keys are mdBook's where the two overlap, so an mdBook book builds unchanged. Keys that mdBook
//! defines but guidebook does not implement get one warning each; keys neither defines are
//! errors with a "did you mean" suggestion.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;
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
    "output.html.print.",
    "output.html.print.enable",
    "output.html.print.page-break",
    "output.html.print.paper-size",
    "output.html.search.",
    "output.html.search.enable",
    "output.html.search.size-budget-kb",
];

/// Keys mdBook defines that guidebook accepts and ignores. `*` stands for any one key.
const MDBOOK_ONLY_KEYS: &[&str] = &[
    "book.text-direction",
    "book.multilingual",
    "build.create-missing",
    "build.use-default-preprocessors",
    "build.extra-watch-dirs",
    "rust",
    "preprocessor.*",
    "output.*",
    "output.html.default-theme",
    "output.html.preferred-dark-theme",
    "output.html.curly-quotes",
    "output.html.mathjax-support",
    "output.html.no-section-label",
    "output.html.git-repository-url",
    "output.html.git-repository-icon",
    "output.html.edit-url-template",
    "output.html.input-404",
    "output.html.cname",
    "output.html.live-reload-endpoint",
    "output.html.hash-files",
    "output.html.sidebar-header-nav",
    "output.html.copy-fonts",
    "output.html.fold",
    "output.html.playground",
    "output.html.code",
    "output.html.search.*",
    "output.html.redirect",
];

/// `book.toml` as written. Unknown keys were already reported by [`check_keys`], so serde
/// ignores them here instead of failing on the first.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct BookToml {
    pub book: BookSection,
    pub build: BuildSection,
    pub output: OutputSection,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct BookSection {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub description: Option<String>,
    pub language: Option<String>,
    pub src: Option<PathBuf>,
    /// Stable id of the guide: namespaces readers' saved data in their browser.
    pub id: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct BuildSection {
    pub build_dir: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct OutputSection {
    pub html: HtmlSection,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct HtmlSection {
    pub theme: Option<String>,
    pub site_url: Option<String>,
    pub additional_css: Vec<PathBuf>,
    pub additional_js: Vec<PathBuf>,
    pub smart_punctuation: Option<bool>,
    pub print: PrintSection,
    pub search: SearchSection,
}

#[derive(Debug, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct SearchSection {
    pub enable: bool,
    /// Warn when the search index grows past this many kilobytes.
    pub size_budget_kb: u64,
}

impl Default for SearchSection {
    fn default() -> Self {
        SearchSection {
            enable: true,
            size_budget_kb: 1024,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct PrintSection {
    pub enable: bool,
    pub page_break: bool,
    pub paper_size: PaperSize,
}

/// Paper for printed pages and worksheets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PaperSize {
    #[default]
    Letter,
    A4,
}

impl PaperSize {
    /// The CSS `@page { size }` value.
    pub fn css(self) -> &'static str {
        match self {
            PaperSize::Letter => "letter",
            PaperSize::A4 => "A4",
        }
    }
}

impl Default for PrintSection {
    fn default() -> Self {
        PrintSection {
            enable: true,
            page_break: true,
            paper_size: PaperSize::Letter,
        }
    }
}

/// Validated settings with absolute paths.
#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    pub book_toml: PathBuf,
    pub src_dir: PathBuf,
    pub build_dir: PathBuf,
    pub title: String,
    pub authors: Vec<String>,
    pub description: Option<String>,
    pub language: String,
    /// Name of the theme: files in `<root>/themes/<name>/` override the built-in default.
    pub theme: String,
    /// Absolute URL the site is published at, with a trailing slash.
    pub site_url: Option<String>,
    /// Extra stylesheets and scripts, relative to the book root.
    pub additional_css: Vec<PathBuf>,
    pub additional_js: Vec<PathBuf>,
    pub smart_punctuation: bool,
    pub print_enabled: bool,
    pub print_page_break: bool,
    pub paper_size: PaperSize,
    pub search_enabled: bool,
    pub search_budget_bytes: u64,
    /// Namespace for readers' saved state (`[book] id`, else a slug of the title).
    pub guide_id: String,
}

impl Config {
    /// Reads `<root>/book.toml` (all defaults when the file is absent, as mdBook allows).
    /// Returns the config with any warnings, or every problem found.
    pub fn load(root: &Path) -> Result<(Config, Diagnostics), Diagnostics> {
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        // Without `.` and `..`, as chapter paths are before they are checked against the
        // source directory: otherwise `guidebook build ../guide` finds every chapter outside.
        let root = crate::util::paths::normalize(&root);
        let path = root.join("book.toml");
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(Diagnostic::error(&path, format!("cannot read: {e}")).into()),
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let mut diags = Diagnostics::default();
        match DeTable::parse(text) {
            Ok(table) => {
                check_keys(table.get_ref(), "", &path, text, &mut diags);
                check_guide_id(table.get_ref(), &path, text, &mut diags);
            }
            Err(e) => diags.push(toml_error(&path, text, &e)),
        }
        if diags.has_errors() {
            return Err(diags);
        }
        let raw: BookToml = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(e) => return Err(toml_error(&path, text, &e).into()),
        };
        let config = Config::from_raw(root, path, raw);
        if let Ok(table) = DeTable::parse(text) {
            check_paths(&config, table.get_ref(), text, &mut diags);
        }
        if diags.has_errors() {
            return Err(diags);
        }
        Ok((config, diags))
    }

    /// An error about the setting `dotted` (e.g. `build.build-dir`), at its line in book.toml
    /// when it is written there.
    pub fn error_at_key(&self, dotted: &str, message: impl Into<String>) -> Diagnostic {
        let d = Diagnostic::error(&self.book_toml, message);
        let Ok(text) = std::fs::read_to_string(&self.book_toml) else {
            return d;
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let Ok(table) = DeTable::parse(text) else {
            return d;
        };
        match find_value(table.get_ref(), dotted) {
            Some(value) => d.at_offset(text, value.span().start),
            None => d,
        }
    }

    fn from_raw(root: PathBuf, book_toml: PathBuf, raw: BookToml) -> Config {
        let src = raw.book.src.unwrap_or_else(|| PathBuf::from("src"));
        let build_dir = raw.build.build_dir.unwrap_or_else(|| PathBuf::from("book"));
        let html = raw.output.html;
        let title = raw
            .book
            .title
            .unwrap_or_else(|| "Untitled guide".to_owned());
        let guide_id = raw
            .book
            .id
            .unwrap_or_else(|| crate::util::slug::slugify(&title));
        Config {
            src_dir: root.join(src),
            build_dir: root.join(build_dir),
            title,
            guide_id,
            authors: raw.book.authors,
            description: raw.book.description,
            language: raw.book.language.unwrap_or_else(|| "en".to_owned()),
            theme: html.theme.unwrap_or_else(|| "default".to_owned()),
            site_url: html
                .site_url
                .map(|u| if u.ends_with('/') { u } else { format!("{u}/") }),
            additional_css: html.additional_css,
            additional_js: html.additional_js,
            smart_punctuation: html.smart_punctuation.unwrap_or(true),
            print_enabled: html.print.enable,
            print_page_break: html.print.page_break,
            paper_size: html.print.paper_size,
            search_enabled: html.search.enable,
            search_budget_bytes: html.search.size_budget_kb * 1024,
            root,
            book_toml,
        }
    }
}

/// The value of the setting `dotted` in a parsed book.toml.
fn find_value<'a, 'i>(table: &'a DeTable<'i>, dotted: &str) -> Option<&'a Spanned<DeValue<'i>>> {
    let (first, rest) = match dotted.split_once('.') {
        Some((first, rest)) => (first, Some(rest)),
        None => (dotted, None),
    };
    let (_, value) = table.iter().find(|(k, _)| k.get_ref() == first)?;
    match (rest, value.get_ref()) {
        (None, _) => Some(value),
        (Some(rest), DeValue::Table(inner)) => find_value(inner, rest),
        _ => None,
    }
}

/// Paths from book.toml that a build reads or copies must stay inside the book root, symlinks
/// included: otherwise `additional-css = ["/etc/x.css"]` would publish (or, written back,
/// overwrite) a file anywhere, and `theme = "/any/dir"` would publish a whole folder.
fn check_paths(config: &Config, table: &DeTable<'_>, text: &str, diags: &mut Diagnostics) {
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

fn toml_error(path: &Path, text: &str, e: &toml::de::Error) -> Diagnostic {
    let message = e.message().trim().to_owned();
    let d = Diagnostic::error(path, message);
    match e.span() {
        Some(span) => d.at_offset(text, span.start),
        None => d,
    }
}

/// `[book] id` names the guide's keys in the reader's browser (`guidebook/<id>/...`, shared by
/// every guide opened from disk): letters, digits and hyphens only, so it can never contain the
/// `/` that ends it and no guide's keys start with another's.
fn check_guide_id(table: &DeTable<'_>, path: &Path, text: &str, diags: &mut Diagnostics) {
    let Some(DeValue::Table(book)) = entry(table, "book").map(|v| v.get_ref()) else {
        return;
    };
    let Some(id) = entry(book, "id") else {
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

fn entry<'a, 'i>(table: &'a DeTable<'i>, name: &str) -> Option<&'a toml::Spanned<DeValue<'i>>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref() == name)
        .map(|(_, v)| v)
}

/// Walks the parsed table and reports keys guidebook does not know.
fn check_keys(table: &DeTable<'_>, prefix: &str, path: &Path, text: &str, diags: &mut Diagnostics) {
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
        } else if GUIDEBOOK_KEYS.contains(&dotted.as_str()) {
            continue;
        } else if MDBOOK_ONLY_KEYS.contains(&format!("{dotted}.*").as_str())
            && let DeValue::Table(inner) = value.get_ref()
        {
            // e.g. `[preprocessor.katex]`: one warning per preprocessor.
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
            "[rust]\nedition = \"2021\"\n[preprocessor.katex]\n[output.linkcheck]\n[output.html.playground]\nrunnable = true\n",
        );
        assert_eq!(d.len(), 4, "{d:?}");
        assert!(
            d.iter()
                .all(|l| l.contains("warning: ") && l.contains("mdBook setting"))
        );
    }
}
