//! `[output.html.playground]` (or its old spelling `[output.html.playpen]`),
//! `[output.html.code]` and `[rust] edition`: how code blocks are shown and whether they run.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The Rust playground mdBook talks to; a book may name another with `playground.url`.
pub const DEFAULT_PLAYGROUND_URL: &str = "https://play.rust-lang.org/";

/// `[output.html.playground]` as written. Every key is mdBook's except `url`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct PlaygroundSection {
    pub editable: bool,
    pub copyable: Option<bool>,
    /// mdBook copies its editor's scripts; guidebook has no such files. Accepted, unused.
    pub copy_js: Option<bool>,
    /// Line numbers in mdBook's editor; guidebook's editable blocks have none. Accepted, unused.
    pub line_numbers: Option<bool>,
    pub runnable: Option<bool>,
    pub url: Option<String>,
}

/// `[output.html.code]`: `hidelines` maps a language to the prefix that hides a line.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct CodeSection {
    pub hidelines: BTreeMap<String, String>,
}

/// `[rust]`: the edition only matters to the playground (it picks the compiler's edition).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct RustSection {
    pub edition: Option<String>,
}

/// The settings a code block's rendering reads.
#[derive(Debug, Clone)]
pub struct CodeConfig {
    /// Every code block gets a copy button (mdBook's `copyable`, on by default).
    pub copyable: bool,
    /// Language → prefix of its hidden lines (Rust's `# ` rule is built in).
    pub hidelines: BTreeMap<String, String>,
    /// Run buttons, only when the book asks for them: see [`Playground`].
    pub playground: Option<Playground>,
    /// `[rust] edition`, e.g. "2021", sent to the playground.
    pub edition: Option<String>,
}

/// Rust blocks run on a playground. Unlike mdBook, where running is on unless turned off,
/// guidebook's pages reach another host only when book.toml has a playground table that
/// does not say `runnable = false`.
#[derive(Debug, Clone)]
pub struct Playground {
    /// `editable` blocks can be edited before running.
    pub editable: bool,
    /// Where the code is sent: `<url>evaluate.json`, with a trailing slash.
    pub url: String,
}

/// mdBook's defaults without a playground: for renders that have no book.toml at hand.
pub static DEFAULT_CODE: CodeConfig = CodeConfig {
    copyable: true,
    hidelines: BTreeMap::new(),
    playground: None,
    edition: None,
};

impl Default for CodeConfig {
    fn default() -> Self {
        DEFAULT_CODE.clone()
    }
}

impl CodeConfig {
    /// The settings from the raw tables; `playground` wins over `playpen` when both exist.
    pub fn from_raw(
        playground: Option<PlaygroundSection>,
        playpen: Option<PlaygroundSection>,
        code: CodeSection,
        rust: RustSection,
    ) -> CodeConfig {
        let table = playground.or(playpen);
        let copyable = table.as_ref().and_then(|t| t.copyable).unwrap_or(true);
        let playground = table
            .filter(|t| t.runnable != Some(false))
            .map(|t| Playground {
                editable: t.editable,
                url: with_slash(t.url.unwrap_or_else(|| DEFAULT_PLAYGROUND_URL.to_owned())),
            });
        CodeConfig {
            copyable,
            hidelines: code.hidelines,
            playground,
            edition: rust.edition,
        }
    }

    /// The origin pages must be allowed to connect to, when code runs.
    pub fn connect_origin(&self) -> Option<&str> {
        self.playground.as_ref().map(|p| p.url.as_str())
    }
}

fn with_slash(url: String) -> String {
    if url.ends_with('/') {
        url
    } else {
        format!("{url}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(runnable: Option<bool>) -> Option<PlaygroundSection> {
        Some(PlaygroundSection {
            runnable,
            ..PlaygroundSection::default()
        })
    }

    #[test]
    fn code_runs_only_when_the_book_asks() {
        let none = CodeConfig::from_raw(None, None, CodeSection::default(), RustSection::default());
        assert!(none.playground.is_none() && none.copyable);
        let on = CodeConfig::from_raw(
            table(None),
            None,
            CodeSection::default(),
            RustSection::default(),
        );
        assert_eq!(on.connect_origin(), Some(DEFAULT_PLAYGROUND_URL));
        let off = CodeConfig::from_raw(
            None,
            table(Some(false)),
            CodeSection::default(),
            RustSection::default(),
        );
        assert!(off.playground.is_none());
        let old = CodeConfig::from_raw(
            None,
            table(Some(true)),
            CodeSection::default(),
            RustSection::default(),
        );
        assert!(old.playground.is_some(), "playpen is the old spelling");
    }
}
