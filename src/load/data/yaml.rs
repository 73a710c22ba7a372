//! The one place YAML is parsed into values, so the YAML crate can be swapped in one file
//! (`spans.rs` reads the same text again only for where each value is).
//!
//! We use `serde_norway`, the maintained continuation of the archived `serde_yaml`: same API,
//! same libyaml-based parser (so error positions are exact), and still receiving fixes.

use serde::de::DeserializeOwned;

use crate::diagnostics::{Position, did_you_mean};

#[derive(Debug, Clone)]
pub struct YamlError {
    pub message: String,
    /// Byte offset of the problem in the text.
    pub offset: Option<usize>,
    pub position: Option<Position>,
}

/// Parses `text`. Positions in errors are 1-based lines and columns within `text`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_norway::from_str(text).map_err(|e| {
        // From libyaml's byte index, not its line: it also breaks lines at a lone `\r` (and
        // U+2028...), which editors and our diagnostics do not.
        let offset = e.location().map(|l| l.index().min(text.len()));
        let position = offset.map(|o| Position::of_offset(text, o));
        let mut message = e.to_string();
        // The crate appends " at line L column C"; we show the position ourselves.
        if let Some(i) = message.find(" at line ") {
            message.truncate(i);
        }
        // serde_norway stops at 128 nested collections rather than overflow the stack.
        if message == "recursion limit exceeded" {
            message = "nested more than 128 levels deep here".to_owned();
        }
        YamlError {
            message,
            offset,
            position,
        }
    })
}

/// Rewrites serde's "unknown field `x`, expected one of `a`, `b`" as
/// `unknown field "x", did you mean "a"?` when one candidate is a likely typo; `extra` are
/// candidate names for messages that do not list them.
pub fn improve_message(message: &str, extra: &[&str]) -> String {
    // libyaml's words for a key indented unlike its siblings.
    if message.starts_with("mapping values are not allowed in this context") {
        return format!(
            "{message} (check the indentation: each key of an item must line up with the keys above it)"
        );
    }
    let Some(rest) = message.split("unknown field `").nth(1) else {
        return message.to_owned();
    };
    let Some((field, tail)) = rest.split_once('`') else {
        return message.to_owned();
    };
    let prefix = &message[..message.find("unknown field `").unwrap_or(0)];
    let mut expected: Vec<&str> = tail.split('`').skip(1).step_by(2).collect();
    if expected.is_empty() {
        expected = extra.to_vec();
    }
    match did_you_mean(field, expected.iter().copied()) {
        Some(best) => format!("{prefix}unknown field \"{field}\", did you mean \"{best}\"?"),
        None => format!(
            "{prefix}unknown field \"{field}\"; allowed fields: {}",
            expected.join(", ")
        ),
    }
}

/// serde reports a duplicate key at the start of its mapping; point at the second occurrence
/// of the key instead, which is the line to fix.
pub fn refine_position(text: &str, message: &str, position: Option<Position>) -> Option<Position> {
    let Some(key) = message
        .split("duplicate field `")
        .nth(1)
        .and_then(|r| r.split('`').next())
    else {
        return position;
    };
    let from_line = position.map_or(1, |p| p.line);
    let mut seen: Option<usize> = None;
    for (i, line) in text.lines().enumerate().skip(from_line - 1) {
        let body = line.trim_start().trim_start_matches("- ");
        let indent = line.len() - body.len();
        if body.strip_prefix(key).is_some_and(|r| r.starts_with(':')) {
            match seen {
                Some(first_indent) if first_indent == indent => {
                    return Some(Position {
                        line: i + 1,
                        column: indent + 1,
                    });
                }
                None => seen = Some(indent),
                _ => {}
            }
        }
    }
    position
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Q {
        id: String,
        follow_ups: Vec<String>,
    }

    #[test]
    fn unknown_field_has_position_and_suggestion() {
        let text = "id: a\nfollw_ups: []\n";
        let e = from_str::<Q>(text).unwrap_err();
        assert_eq!(e.position, Some(Position { line: 2, column: 1 }));
        assert_eq!(
            improve_message(&e.message, &[]),
            "unknown field \"follw_ups\", did you mean \"follow_ups\"?"
        );
    }

    #[test]
    fn syntax_errors_have_positions() {
        let e = from_str::<Q>("id: a\n\tfollow_ups: []\n").unwrap_err();
        assert_eq!(e.position.map(|p| p.line), Some(2));
    }
}
