//! `book.toml`: the raw file ([`BookToml`]) and the validated settings a build uses ([`Config`]).
//!
//! Keys are mdBook's where the two overlap, so an mdBook book builds unchanged. Keys that mdBook
//! defines but guidebook does not implement get one warning each; keys neither defines are
//! errors with a "did you mean" suggestion.
//!
//! Loading goes: parse, check the keys (`keys`), read the raw file (`raw`), resolve it into a
//! [`Config`], check the values that name files and ids (`values`).

mod code;
mod keys;
mod preprocessors;
mod raw;
mod site;
mod values;

use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostics::{Diagnostic, Diagnostics};
pub use code::{CodeConfig, DEFAULT_CODE, DEFAULT_PLAYGROUND_URL, Playground};
pub use preprocessors::Preprocessor;
pub use raw::{
    BookSection, BookToml, BrokenLinks, BuildSection, HtmlSection, OutputSection, PaperSize,
    PrintSection, SearchSection,
};
pub use site::{ColorScheme, Redirect, SiteSettings};

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
    /// `[output.html] broken-links`: "error" (the default) or "warn".
    pub broken_links: BrokenLinks,
    pub print_enabled: bool,
    pub print_page_break: bool,
    pub paper_size: PaperSize,
    pub search_enabled: bool,
    pub search_budget_bytes: u64,
    /// Namespace for readers' saved state (`[book] id`, else a slug of the title).
    pub guide_id: String,
    /// mdBook's redirects, repository and edit links, cname, colour scheme, fold, math.
    pub site: SiteSettings,
    /// `[preprocessor.NAME]` tables, by name; empty for most books.
    pub preprocessors: Vec<Preprocessor>,
    /// book.toml as JSON for the preprocessors' context; `None` when there are none.
    pub preprocessor_config: Option<std::sync::Arc<serde_json::Value>>,
    /// Code blocks: copy buttons, hidden lines, the playground.
    pub code: CodeConfig,
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
                keys::check_keys(table.get_ref(), "", &path, text, &mut diags);
                values::check_guide_id(table.get_ref(), &path, text, &mut diags);
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
        let mut config = Config::from_raw(root, path, raw);
        config.site.mdbook_theme_dir = site::mdbook_theme_dir(&config.root, &config.theme);
        if config.site.mdbook_theme_dir.is_some() {
            // `theme = "dir"` in mdBook's sense: guidebook's own theme renders the pages.
            config.theme = "default".to_owned();
        }
        if !config.preprocessors.is_empty() {
            let json = preprocessors::context_config(text);
            config.preprocessor_config = Some(std::sync::Arc::new(json));
        }
        if let Ok(table) = DeTable::parse(text) {
            values::check_paths(&config, table.get_ref(), text, &mut diags);
            site::check(
                &config.site,
                table.get_ref(),
                &config.book_toml,
                text,
                &mut diags,
            );
        }
        if diags.has_errors() {
            return Err(diags);
        }
        Ok((config, diags))
    }

    /// What this book's pages allow beyond the default Content-Security-Policy: its
    /// playground's origin, and inline styles when it adds scripts of its own.
    pub fn csp_allowances(&self) -> crate::csp::Allowances {
        crate::csp::Allowances {
            connect: self.code.connect_origin().map(str::to_owned),
            inline_styles: !self.additional_js.is_empty(),
        }
    }

    /// An error at the redirect `key` of `[output.html.redirect]` in book.toml.
    pub fn error_at_redirect(&self, key: &str, message: String) -> Diagnostic {
        let text = std::fs::read_to_string(&self.book_toml).unwrap_or_default();
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        match DeTable::parse(text) {
            Ok(table) => site::redirect_error(table.get_ref(), &self.book_toml, text, key, message),
            Err(_) => Diagnostic::error(&self.book_toml, message),
        }
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
        let src_written = src.to_string_lossy().trim_end_matches('/').to_owned();
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
            broken_links: html.broken_links,
            print_enabled: html.print.enable,
            print_page_break: html.print.page_break,
            paper_size: html.print.paper_size,
            search_enabled: html.search.enable,
            search_budget_bytes: html.search.size_budget_kb * 1024,
            site: SiteSettings::from_raw(html.site, src_written),
            preprocessors: preprocessors::resolve(raw.preprocessor),
            preprocessor_config: None,
            code: CodeConfig::from_raw(html.playground, html.playpen, html.code, raw.rust),
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

fn toml_error(path: &Path, text: &str, e: &toml::de::Error) -> Diagnostic {
    let message = e.message().trim().to_owned();
    let d = Diagnostic::error(path, message);
    match e.span() {
        Some(span) => d.at_offset(text, span.start),
        None => d,
    }
}
