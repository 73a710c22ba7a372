//! `[preprocessor.NAME]` tables: external programs that rewrite the book between loading and
//! rendering, with mdBook's keys. Any other key in such a table belongs to the preprocessor
//! and reaches it through the book.toml copy in its context ([`context_config`]).

use std::collections::BTreeMap;

use serde::Deserialize;

/// `[preprocessor.NAME]` as written: the keys mdBook itself reads. Unknown keys are the
/// preprocessor's own, so serde ignores them.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct PreprocessorSection {
    pub command: Option<String>,
    pub before: Vec<String>,
    pub after: Vec<String>,
    pub renderers: Option<Vec<String>>,
    pub optional: bool,
}

/// One preprocessor a build may run.
#[derive(Debug, Clone, PartialEq)]
pub struct Preprocessor {
    pub name: String,
    /// The command line (`command`, else `mdbook-NAME`), split as a shell would.
    pub command: String,
    /// Whether `command` was written in book.toml (otherwise it is the default name).
    pub command_given: bool,
    /// Names this one runs before / after.
    pub before: Vec<String>,
    pub after: Vec<String>,
    /// `renderers = [...]`: run only for these; `None` asks the program (`supports html`).
    pub renderers: Option<Vec<String>>,
    /// A missing program is a warning, not an error.
    pub optional: bool,
}

/// The preprocessors book.toml names, in name order (the order mdBook breaks ties in).
pub(super) fn resolve(sections: BTreeMap<String, PreprocessorSection>) -> Vec<Preprocessor> {
    sections
        .into_iter()
        .map(|(name, s)| Preprocessor {
            command_given: s.command.is_some(),
            command: s.command.unwrap_or_else(|| format!("mdbook-{name}")),
            before: s.before,
            after: s.after,
            renderers: s.renderers,
            optional: s.optional,
            name,
        })
        .collect()
}

/// The keys of mdBook 0.5's `book`, `build` and `rust` tables. Its config parser refuses any
/// other (it denies unknown fields), so a preprocessor built on it would fail on guidebook's
/// own keys such as `book.id`.
const MDBOOK_TABLE_KEYS: &[(&str, &[&str])] = &[
    (
        "book",
        &[
            "title",
            "authors",
            "description",
            "src",
            "language",
            "text-direction",
        ],
    ),
    (
        "build",
        &[
            "build-dir",
            "create-missing",
            "use-default-preprocessors",
            "extra-watch-dirs",
        ],
    ),
    ("rust", &["edition"]),
];

/// book.toml as JSON, as mdBook puts it in a preprocessor's context: its `book`, `build` and
/// `rust` tables cut to the keys mdBook knows, `output` and `preprocessor` whole, nothing else.
/// TOML has no null, so an absent value stays absent (mdBook 0.4's parser refuses nulls).
pub(super) fn context_config(text: &str) -> serde_json::Value {
    let table: toml::Table = toml::from_str(text).unwrap_or_default();
    let mut out = serde_json::Map::new();
    for (key, value) in table {
        let allowed = MDBOOK_TABLE_KEYS.iter().find(|(k, _)| *k == key);
        let value = match (allowed, value) {
            (Some((_, keys)), toml::Value::Table(inner)) => toml::Value::Table(
                inner
                    .into_iter()
                    .filter(|(k, _)| keys.contains(&k.as_str()))
                    .collect(),
            ),
            (None, value) if key == "output" || key == "preprocessor" => value,
            _ => continue,
        };
        let json = serde_json::to_value(value).unwrap_or(serde_json::Value::Null);
        out.insert(key, json);
    }
    serde_json::Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_config_keeps_what_mdbook_parses() {
        let text = "[book]\ntitle = \"T\"\nid = \"mine\"\nmultilingual = false\n\
                    [vocabulary]\nx = 1\n[preprocessor.note]\ncommand = \"n\"\nmarker = \"!\"\n";
        let json = context_config(text);
        assert_eq!(
            json,
            serde_json::json!({
                "book": {"title": "T"},
                "preprocessor": {"note": {"command": "n", "marker": "!"}}
            })
        );
    }
}
