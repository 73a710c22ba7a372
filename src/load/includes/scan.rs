//! Finding mdBook's `{{#name argument}}` directives and `\{{#…}}` escapes in a chapter's text,
//! with the same pattern mdBook's `links` preprocessor matches.

/// What was found, with byte offsets into the scanned text.
#[derive(Debug, PartialEq)]
pub(super) enum Found<'a> {
    /// `\{{#…}}`: the backslash at `start`, the escape running to the last `}}` of its line
    /// (`end`, exclusive), as mdBook takes it.
    Escaped { start: usize, end: usize },
    /// `{{#name argument}}` (whitespace allowed after `{{`, required after the name).
    Directive {
        start: usize,
        end: usize,
        name: &'a str,
        argument: &'a str,
    },
}

/// The first directive or escape in `text[from..limit]`.
pub(super) fn next(text: &str, from: usize, limit: usize) -> Option<Found<'_>> {
    let mut at = from;
    while let Some(found) = text[at..limit].find("{{") {
        let open = at + found;
        if let Some(escaped) = escape_at(text, from, open, limit) {
            return Some(escaped);
        }
        if let Some(directive) = directive_at(text, open, limit) {
            return Some(directive);
        }
        at = open + 1;
    }
    None
}

/// `\{{#…}}` with its backslash just before `open`.
fn escape_at(text: &str, from: usize, open: usize, limit: usize) -> Option<Found<'_>> {
    if open == from || text.as_bytes()[open - 1] != b'\\' || !text[open + 2..].starts_with('#') {
        return None;
    }
    let line_end = text[open..limit].find('\n').map_or(limit, |i| open + i);
    let close = text[open..line_end].rfind("}}")?;
    Some(Found::Escaped {
        start: open - 1,
        end: open + close + 2,
    })
}

/// `{{ #name argument }}` starting at `open`: the name is `[A-Za-z0-9_]+`, the argument
/// anything but `}`.
fn directive_at(text: &str, open: usize, limit: usize) -> Option<Found<'_>> {
    let rest = &text[open + 2..limit];
    let after_space = rest.trim_start();
    let hash = open + 2 + (rest.len() - after_space.len());
    let body = after_space.strip_prefix('#')?;
    let name_len = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(body.len());
    let after_name = &body[name_len..];
    if name_len == 0 || !after_name.starts_with(char::is_whitespace) {
        return None;
    }
    let brace = after_name.find('}')?;
    if !after_name[brace..].starts_with("}}") || after_name[..brace].trim().is_empty() {
        return None;
    }
    let argument_start = hash + 1 + name_len;
    Some(Found::Directive {
        start: open,
        end: argument_start + brace + 2,
        name: &body[..name_len],
        argument: after_name[..brace].trim(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(text: &str) -> Option<Found<'_>> {
        next(text, 0, text.len())
    }

    #[test]
    fn directives_match_as_in_mdbook() {
        assert_eq!(
            first("a {{ #include  file.rs:2 }} b"),
            Some(Found::Directive {
                start: 2,
                end: 27,
                name: "include",
                argument: "file.rs:2"
            })
        );
        assert_eq!(first("{{#include}}"), None);
        assert_eq!(first("{{#include file}"), None);
        assert_eq!(first("{{ include file}}"), None);
        assert_eq!(
            first("x \\{{#include a}} and {{#include b}}\nnext"),
            Some(Found::Escaped { start: 2, end: 36 })
        );
        assert_eq!(
            first("{{#title A title}}"),
            Some(Found::Directive {
                start: 0,
                end: 18,
                name: "title",
                argument: "A title"
            })
        );
    }
}
