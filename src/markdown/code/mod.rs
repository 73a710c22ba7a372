//! Code blocks: the info string split into classes as mdBook splits it, hidden lines, build-time
//! highlighting, and the marks `js/code.js` reads to add its buttons (copy on every block,
//! run and edit only on the Rust blocks of a book that enables a playground).

mod hidden;
pub(crate) mod highlight;
#[cfg(test)]
mod highlight_css;

use crate::config::CodeConfig;
use crate::util::html::escape;
use hidden::Line;

/// A fenced block's info string, split as mdBook splits it (`rust,ignore` or `rust ignore`):
/// the first word is the language, the others are classes of their own (`ignore`), which
/// mdBook's scripts and themes read.
struct Info<'a> {
    language: Option<&'a str>,
    classes: Vec<&'a str>,
}

impl<'a> Info<'a> {
    fn parse(info: &'a str) -> Info<'a> {
        let mut words = info
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|w| !w.is_empty());
        Info {
            language: words.next(),
            classes: words.collect(),
        }
    }

    fn has(&self, class: &str) -> bool {
        self.classes.contains(&class)
    }

    /// mdBook's rule: a Rust block runs unless marked `ignore`/`noplayground`/`noplaypen`,
    /// and `mdbook-runnable` makes it run anyway.
    fn runs(&self) -> bool {
        self.language == Some("rust")
            && (!(self.has("ignore") || self.has("noplayground") || self.has("noplaypen"))
                || self.has("mdbook-runnable"))
    }
}

/// The HTML of a code block whose info string is `info` (empty for an indented block).
pub fn render_block(info: &str, code: &str, config: &CodeConfig) -> String {
    let info = Info::parse(info);
    let playground = config.playground.as_ref().filter(|_| info.runs());
    let editable = playground.is_some_and(|p| p.editable) && info.has("editable");
    let wrapped = playground
        .filter(|_| !editable)
        .and_then(|_| hidden::wrap_rust_main(code));
    let code = wrapped.as_deref().unwrap_or(code);
    let lines = split_hidden(&info, code, config);
    let mut html = String::with_capacity(code.len() * 3);
    html.push_str("<pre");
    if let Some(p) = playground {
        html.push_str(" class=\"playground\" data-playground=\"");
        html.push_str(&escape(&p.url));
        html.push('"');
    } else if !config.copyable {
        html.push_str(" class=\"no-copy\"");
    }
    html.push_str("><code");
    let classes = code_classes(&info, playground.is_some(), config);
    if !classes.is_empty() {
        html.push_str(" class=\"");
        html.push_str(&escape(&classes));
        html.push('"');
    }
    html.push('>');
    push_lines(&mut html, info.language, &lines);
    html.push_str("</code></pre>\n");
    html
}

/// `language-rust ignore ...`, plus the edition a playground block compiles with.
fn code_classes(info: &Info<'_>, runs: bool, config: &CodeConfig) -> String {
    let Some(language) = info.language else {
        return String::new();
    };
    let mut classes = format!("language-{language}");
    for class in &info.classes {
        classes.push(' ');
        classes.push_str(class);
    }
    let has_edition = info.classes.iter().any(|c| c.starts_with("edition"));
    if let (true, false, Some(edition)) = (runs, has_edition, &config.edition) {
        classes.push_str(" edition");
        classes.push_str(edition);
    }
    classes
}

/// The lines of the block, hidden ones marked: Rust's own rule, else the language's prefix
/// from a `hidelines=X` class or `[output.html.code.hidelines]`.
fn split_hidden(info: &Info<'_>, code: &str, config: &CodeConfig) -> Vec<Line> {
    let Some(language) = info.language else {
        return hidden::plain_lines(code);
    };
    if language == "rust" {
        return hidden::rust_lines(code);
    }
    let prefix = info
        .classes
        .iter()
        .find_map(|c| c.strip_prefix("hidelines="))
        .or_else(|| config.hidelines.get(language).map(String::as_str));
    match prefix {
        Some(prefix) => hidden::prefix_lines(code, prefix),
        None => hidden::plain_lines(code),
    }
}

/// Each line, highlighted when the language is known, hidden ones in `<span class="boring">`
/// (their line break inside, so a hidden line takes no room).
fn push_lines(html: &mut String, language: Option<&str>, lines: &[Line]) {
    let highlighted = language.and_then(|language| {
        let text: String = lines.iter().flat_map(|l| [l.text.as_str(), "\n"]).collect();
        highlight::highlight_lines(language, &text).filter(|h| h.len() == lines.len())
    });
    for (i, line) in lines.iter().enumerate() {
        if line.hidden {
            html.push_str("<span class=\"boring\">");
        }
        match &highlighted {
            Some(h) => html.push_str(&h[i]),
            None => html.push_str(&escape(&line.text)),
        }
        html.push('\n');
        if line.hidden {
            html.push_str("</span>");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Playground;

    fn playground() -> CodeConfig {
        CodeConfig {
            playground: Some(Playground {
                editable: true,
                url: "https://play.example/".into(),
            }),
            edition: Some("2021".into()),
            ..CodeConfig::default()
        }
    }

    #[test]
    fn info_words_become_classes_and_unknown_languages_stay_text() {
        let html = render_block("mermaid,ignore x", "<b>&\n", &CodeConfig::default());
        assert_eq!(
            html,
            "<pre><code class=\"language-mermaid ignore x\">&lt;b&gt;&amp;\n</code></pre>\n"
        );
        assert_eq!(
            render_block("", "a\n", &CodeConfig::default()),
            "<pre><code>a\n</code></pre>\n"
        );
    }

    #[test]
    fn rust_blocks_run_only_with_a_playground() {
        let off = render_block("rust", "x();\n", &CodeConfig::default());
        assert!(
            off.starts_with("<pre><code class=\"language-rust\">"),
            "{off}"
        );
        assert!(
            !off.contains("boring"),
            "no main added without a playground: {off}"
        );
        let on = render_block("rust", "x();\n", &playground());
        assert!(
            on.starts_with("<pre class=\"playground\" data-playground=\"https://play.example/\"><code class=\"language-rust edition2021\">"),
            "{on}"
        );
        assert_eq!(on.matches("<span class=\"boring\">").count(), 3, "{on}");
        for no_run in ["rust,ignore", "rust noplayground", "rust,noplaypen"] {
            assert!(!render_block(no_run, "x();\n", &playground()).contains("<pre class"));
        }
        let forced = render_block("rust,ignore,mdbook-runnable", "x();\n", &playground());
        assert!(forced.contains("class=\"playground\""));
        let edited = render_block("rust,editable", "x();\n", &playground());
        assert!(
            !edited.contains("boring"),
            "editable blocks are not wrapped: {edited}"
        );
    }

    #[test]
    fn hidden_lines_keep_their_highlighting() {
        let html = render_block(
            "rust",
            "# use std::fmt;\nlet x = 1;\n",
            &CodeConfig::default(),
        );
        assert!(
            html.contains("<span class=\"boring\"><span class=\"g-l-"),
            "{html}"
        );
        assert!(!html.contains("# use"), "{html}");
        let mut config = CodeConfig::default();
        config.hidelines.insert("python".into(), "~".into());
        let py = render_block("python", "~import os\nprint(1)\n", &config);
        assert!(py.contains("<span class=\"boring\">"), "{py}");
        assert!(!py.contains('~'), "{py}");
    }
}
