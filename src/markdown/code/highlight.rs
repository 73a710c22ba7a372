//! Build-time syntax highlighting with giallo: VS Code's TextMate grammars (200+ languages,
//! TOML and shell sessions included, which syntect's defaults lack), the highlighter Zola moved
//! to. It writes classes, never `style` attributes (the pages' CSP forbids those); their
//! colours are in `themes/default/css/highlight.css`, made from two GitHub themes.

use std::sync::OnceLock;

use giallo::{
    DataAttrPosition, HighlightOptions, HtmlRenderer, Registry, RenderOptions, ThemeVariant,
};

pub const LIGHT_THEME: &str = "github-light-default";
pub const DARK_THEME: &str = "github-dark-default";
/// Token classes are `g-l-N` (light theme) and `g-d-N` (dark theme).
pub const CLASS_PREFIX: &str = "g-";

/// Languages shown as plain text without asking the highlighter.
const PLAIN: &[&str] = &["text", "txt", "plain", "plaintext", "none", "output"];

/// The grammars and themes, loaded on the first highlighted block and then shared by every
/// page and thread of the process (loading takes ~65 ms; a build should pay it once, and a
/// book without code not at all). `None` if the embedded data cannot be read.
pub fn registry() -> Option<&'static Registry> {
    static REGISTRY: OnceLock<Option<Registry>> = OnceLock::new();
    REGISTRY
        .get_or_init(|| {
            let mut registry = Registry::builtin().ok()?;
            registry.link_grammars();
            Some(registry)
        })
        .as_ref()
}

/// Starts loading [`registry`] on another thread, once per process, so the load overlaps
/// reading the book instead of holding up the first chapter with code (and every chapter
/// waiting on it). A book without code spends the CPU on an otherwise idle core.
pub fn load_in_background() {
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| {
        std::thread::spawn(|| {
            registry();
        });
    });
}

/// Each line of `code` as highlighted HTML (without its line break), or `None` for a
/// language the highlighter does not know: the caller then escapes the text.
pub fn highlight_lines(language: &str, code: &str) -> Option<Vec<String>> {
    let language = language.to_ascii_lowercase();
    if PLAIN.contains(&language.as_str()) {
        return None;
    }
    let registry = registry()?;
    if !registry.contains_grammar(&language) {
        return None;
    }
    let theme = ThemeVariant::Dual {
        light: LIGHT_THEME,
        dark: DARK_THEME,
    };
    let options = HighlightOptions::new(&language, theme)
        .merge_whitespace(true)
        .merge_same_style_tokens(true);
    let highlighted = registry.highlight(code, &options).ok()?;
    let renderer = HtmlRenderer {
        css_class_prefix: Some(CLASS_PREFIX.to_owned()),
        data_attr_position: DataAttrPosition::None,
        ..HtmlRenderer::default()
    };
    split_lines(&renderer.render(&highlighted, &RenderOptions::default()))
}

/// The lines inside giallo's `<pre ...><code ...>` frame, each one's
/// `<span class="giallo-l">` wrapper and unstyled token spans removed.
fn split_lines(html: &str) -> Option<Vec<String>> {
    let code_start = html.find("<code")?;
    let body_start = code_start + html[code_start..].find('>')? + 1;
    let body_end = html.rfind("</code>")?;
    let body = html.get(body_start..body_end)?;
    if body.is_empty() {
        return Some(Vec::new());
    }
    body.split('\n')
        .map(|line| {
            let inner = line
                .strip_prefix("<span class=\"giallo-l\">")?
                .strip_suffix("</span>")?;
            Some(without_bare_spans(inner))
        })
        .collect()
}

/// The line with fewer elements: `<span>x</span>` → `x` (tokens in the default colour need
/// none), and neighbours of the same classes joined. Token spans do not nest.
fn without_bare_spans(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut open: Option<&str> = None;
    let mut rest = line;
    while !rest.is_empty() {
        let (class, text, after) = next_segment(rest);
        if class != open {
            if open.is_some() {
                out.push_str("</span>");
            }
            if let Some(class) = class {
                out.push_str("<span class=\"");
                out.push_str(class);
                out.push_str("\">");
            }
            open = class;
        }
        out.push_str(text);
        rest = after;
    }
    if open.is_some() {
        out.push_str("</span>");
    }
    out
}

/// The first piece of `line`: its class (`None` for text in the default colour), its text,
/// and what follows.
fn next_segment(line: &str) -> (Option<&str>, &str, &str) {
    if let Some(rest) = line.strip_prefix("<span") {
        let (attrs, body) = rest.split_once('>').unwrap_or(("", rest));
        let class = attrs
            .trim()
            .strip_prefix("class=\"")
            .and_then(|c| c.strip_suffix('"'));
        let (text, after) = body.split_once("</span>").unwrap_or((body, ""));
        return (class, text, after);
    }
    let end = line.find("<span").unwrap_or(line.len());
    (None, &line[..end], &line[end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_is_highlighted_with_classes_line_by_line() {
        let lines = highlight_lines("rust", "fn main() {\n    let s = \"<a>\";\n}\n").unwrap();
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines[0].starts_with("<span class=\"g-l-"), "{}", lines[0]);
        assert!(lines[1].contains("&lt;a&gt;"), "{}", lines[1]);
        assert!(
            lines
                .iter()
                .all(|l| !l.contains("style=") && !l.contains('\n'))
        );
    }

    #[test]
    fn unknown_and_plain_languages_are_not_highlighted() {
        assert_eq!(highlight_lines("no-such-language", "x\n"), None);
        assert_eq!(highlight_lines("text", "x\n"), None);
        for known in [
            "toml", "json", "yaml", "bash", "sh", "console", "c", "python", "js",
        ] {
            assert!(highlight_lines(known, "a = 1\n").is_some(), "{known}");
        }
        for known in ["html", "markdown", "diff", "Rust"] {
            assert!(highlight_lines(known, "a = 1\n").is_some(), "{known}");
        }
    }

    #[test]
    fn bare_spans_are_unwrapped() {
        assert_eq!(
            without_bare_spans(
                "<span>(</span><span class=\"g-l-1\">x</span><span class=\"g-l-1\">y</span><span>)</span>"
            ),
            "(<span class=\"g-l-1\">xy</span>)"
        );
    }
}
