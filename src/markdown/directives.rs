//! Block directives written on a line of their own: `{{#questions bank=residents topic=visa}}`,
//! `{{#checklist malignancy-risk}}`, `{{#worksheet interview-residents}}`.

/// A parsed directive. Offsets are bytes from the start of the directive text (`{{#`).
#[derive(Debug, Clone, PartialEq)]
pub struct Directive {
    pub name: String,
    pub args: Vec<Arg>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    /// `None` for a positional argument.
    pub key: Option<String>,
    pub value: String,
    pub offset: usize,
}

/// Names of the block directives guidebook renders.
pub const BLOCK_DIRECTIVES: &[&str] = &["questions", "checklist", "worksheet", "table", "chart"];

impl Directive {
    /// Parses `{{#name a b=c d="e f"}}` (the whole text must be the directive).
    pub fn parse(text: &str) -> Option<Directive> {
        let inner = text.trim().strip_prefix("{{#")?.strip_suffix("}}")?;
        let lead = text.len() - text.trim_start().len() + 3;
        let name_len = inner.find(char::is_whitespace).unwrap_or(inner.len());
        let name = inner[..name_len].to_owned();
        if name.is_empty() {
            return None;
        }
        let mut args = Vec::new();
        let rest = &inner[name_len..];
        let base = lead + name_len;
        let bytes = rest.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i].is_ascii_whitespace() {
                i += 1;
                continue;
            }
            let start = i;
            let mut key = None;
            let mut value = String::new();
            let mut in_quotes = false;
            while i < bytes.len() && (in_quotes || !bytes[i].is_ascii_whitespace()) {
                let c = rest[i..].chars().next().unwrap_or(' ');
                match c {
                    '"' => in_quotes = !in_quotes,
                    '=' if key.is_none() && !in_quotes => key = Some(std::mem::take(&mut value)),
                    c => value.push(c),
                }
                i += c.len_utf8();
            }
            args.push(Arg {
                key,
                value,
                offset: base + start,
            });
        }
        Some(Directive { name, args })
    }

    /// The first positional argument.
    pub fn positional(&self) -> Option<&Arg> {
        self.args.iter().find(|a| a.key.is_none())
    }

    pub fn get(&self, key: &str) -> Option<&Arg> {
        self.args.iter().find(|a| a.key.as_deref() == Some(key))
    }
}

/// Splits a comma-separated argument value: `topic=visa,workload`.
pub fn list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_positional_and_keyed_arguments() {
        let d = Directive::parse(
            "{{#questions bank=residents topic=visa,workload title=\"Ask them\"}}",
        )
        .unwrap();
        assert_eq!(d.name, "questions");
        assert_eq!(d.get("bank").unwrap().value, "residents");
        assert_eq!(list(&d.get("topic").unwrap().value), ["visa", "workload"]);
        assert_eq!(d.get("title").unwrap().value, "Ask them");
        let text = "{{#questions bank=residents topic=visa,workload title=\"Ask them\"}}";
        assert_eq!(&text[d.get("topic").unwrap().offset..][..5], "topic");
        let c = Directive::parse("{{#checklist malignancy-risk}}").unwrap();
        assert_eq!(c.positional().unwrap().value, "malignancy-risk");
        assert!(Directive::parse("{{#}}").is_none());
        assert!(Directive::parse("text {{#checklist x}}").is_none());
    }
}
