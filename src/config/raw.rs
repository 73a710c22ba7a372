//! `book.toml` as serde reads it, before paths are resolved and defaults filled in.

use std::path::PathBuf;

use serde::Deserialize;

/// `book.toml` as written. Unknown keys were already reported by `keys::check_keys`, so serde
/// ignores them here instead of failing on the first.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct BookToml {
    pub book: BookSection,
    pub build: BuildSection,
    pub output: OutputSection,
    pub preprocessor: std::collections::BTreeMap<String, super::preprocessors::PreprocessorSection>,
    pub rust: super::code::RustSection,
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
    pub broken_links: BrokenLinks,
    pub print: PrintSection,
    pub search: SearchSection,
    /// mdBook's settings that change the site (`site.rs`).
    #[serde(flatten)]
    pub site: super::site::SiteRaw,
    pub playground: Option<super::code::PlaygroundSection>,
    pub playpen: Option<super::code::PlaygroundSection>,
    pub code: super::code::CodeSection,
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

/// What a broken internal link does to the build.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BrokenLinks {
    /// The build fails, naming each one.
    #[default]
    Error,
    /// Each one is a warning and the site is written (a book with known broken links).
    Warn,
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
