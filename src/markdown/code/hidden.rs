//! Hidden lines, as mdBook hides them: in Rust, a line whose first non-blank is `# ` (or a
//! lone `#`) is hidden and `##` stands for a literal `#`; other languages hide the lines that
//! start with the prefix `[output.html.code.hidelines]` (or a `hidelines=X` class) gives them.

/// One line of a code block, without its line break and hiding marker.
#[derive(Debug, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub hidden: bool,
}

/// Rust's rule: `# x` and `#` hide, `##x` shows `#x`, `#[` and `#!` are attributes, shown.
pub fn rust_lines(code: &str) -> Vec<Line> {
    code.lines().map(rust_line).collect()
}

fn rust_line(line: &str) -> Line {
    let rest = line.trim_start();
    let indent = &line[..line.len() - rest.len()];
    let shown = |text: String| Line {
        text,
        hidden: false,
    };
    let Some(after) = rest.strip_prefix('#') else {
        return shown(line.to_owned());
    };
    if after.starts_with('#') {
        return shown(format!("{indent}{after}"));
    }
    match after.strip_prefix(' ') {
        Some(text) => Line {
            text: format!("{indent}{text}"),
            hidden: true,
        },
        None if after.is_empty() => Line {
            text: indent.to_owned(),
            hidden: true,
        },
        None => shown(line.to_owned()),
    }
}

/// A line is hidden when its first non-blank text is `prefix`, which is removed.
pub fn prefix_lines(code: &str, prefix: &str) -> Vec<Line> {
    code.lines()
        .map(|line| {
            let rest = line.trim_start();
            match rest.strip_prefix(prefix) {
                Some(text) if !prefix.is_empty() => Line {
                    text: format!("{}{text}", &line[..line.len() - rest.len()]),
                    hidden: true,
                },
                _ => Line {
                    text: line.to_owned(),
                    hidden: false,
                },
            }
        })
        .collect()
}

/// Lines shown as written.
pub fn plain_lines(code: &str) -> Vec<Line> {
    prefix_lines(code, "")
}

/// A runnable Rust example without `fn main` is wrapped in a hidden one, as mdBook and
/// rustdoc do, so the playground can compile it; its inner attributes stay in front.
pub fn wrap_rust_main(code: &str) -> Option<String> {
    if code.contains("fn main") || code.contains("quick_main!") {
        return None;
    }
    let (attrs, body) = split_inner_attributes(code);
    let newline = if body.is_empty() || body.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    Some(format!(
        "# #![allow(unused)]\n{attrs}# fn main() {{\n{body}{newline}# }}\n"
    ))
}

/// The leading `#![...]` lines (and blank lines between them), and the rest.
fn split_inner_attributes(code: &str) -> (&str, &str) {
    let mut end = 0;
    let mut attrs_end = 0;
    for line in code.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with("#![") {
            end += line.len();
            attrs_end = end;
        } else if trimmed.is_empty() {
            end += line.len();
        } else {
            break;
        }
    }
    code.split_at(attrs_end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hidden(lines: &[Line]) -> Vec<(&str, bool)> {
        lines.iter().map(|l| (l.text.as_str(), l.hidden)).collect()
    }

    #[test]
    fn rust_hides_hash_space_and_lone_hash() {
        let lines =
            rust_lines("let s = 1;\n # bar\n#\n ## kept\n#[derive(Debug)]\n#![no_std]\n#x;\n");
        assert_eq!(
            hidden(&lines),
            [
                ("let s = 1;", false),
                (" bar", true),
                ("", true),
                (" # kept", false),
                ("#[derive(Debug)]", false),
                ("#![no_std]", false),
                ("#x;", false),
            ]
        );
    }

    #[test]
    fn other_languages_hide_their_prefix() {
        let lines = prefix_lines("~hidden\n  ~ indented\nshown ~\n", "~");
        assert_eq!(
            hidden(&lines),
            [("hidden", true), ("   indented", true), ("shown ~", false)]
        );
    }

    #[test]
    fn main_is_added_after_inner_attributes() {
        assert_eq!(wrap_rust_main("fn main() {}\n"), None);
        assert_eq!(
            wrap_rust_main("#![allow(dead_code)]\nx();\n").unwrap(),
            "# #![allow(unused)]\n#![allow(dead_code)]\n# fn main() {\nx();\n# }\n"
        );
        assert_eq!(
            wrap_rust_main("x()").unwrap(),
            "# #![allow(unused)]\n# fn main() {\nx()\n# }\n"
        );
    }
}
