//! Every bad value of a data file, not only the first, in an author's words.
//!
//! serde stops at the first problem. When a file fails, we deserialize its value tree again,
//! each time without the part that failed (the bad key, or when a required field is missing or
//! wrong, the whole list item), until it passes. Each problem is placed through the file's span
//! tree and reworded: the field, its valid values, a "did you mean".

use serde::de::DeserializeOwned;
use serde_norway::Value;

/// One step of a path into the value tree (serde_path_to_error's, comparable).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Seq { index: usize },
    Map { key: String },
    Other,
}

impl From<&serde_path_to_error::Segment> for Segment {
    fn from(s: &serde_path_to_error::Segment) -> Self {
        match s {
            serde_path_to_error::Segment::Seq { index } => Segment::Seq { index: *index },
            serde_path_to_error::Segment::Map { key } => Segment::Map { key: key.clone() },
            _ => Segment::Other,
        }
    }
}

use super::spans::Node;
use crate::diagnostics::suggestion_suffix;

/// Stop after this many problems in one file: the rest are likely the same mistake.
const MAX_PROBLEMS: usize = 50;

/// A problem found in a data file: what to say and the byte offset to point at.
pub struct Problem {
    pub message: String,
    pub offset: usize,
}

/// Every problem that stops `value` (the parsed `text`) from being a `T`.
pub fn problems<T: DeserializeOwned>(mut value: Value, text: &str, root: &Node) -> Vec<Problem> {
    let mut removed = Removed::default();
    let mut found = Vec::new();
    while found.len() < MAX_PROBLEMS {
        let Err(e) = serde_path_to_error::deserialize::<_, T>(&value) else {
            break;
        };
        let mut path: Vec<Segment> = e.path().iter().map(Segment::from).collect();
        let message = e.inner().to_string();
        // An unknown key's path ends at the key; the problem is the mapping's.
        if let Some(rest) = message.strip_prefix("unknown field `")
            && let Some(Segment::Map { key }) = path.last()
            && rest.starts_with(&format!("{key}`"))
        {
            path.pop();
        }
        let original = removed.original(&path);
        let (problem, cut) = describe(&message, &original, text, root);
        // A required field we cut is reported as missing next: that is our doing, not the
        // author's, so it is not reported.
        if !removed.explains(&original, &message) {
            found.push(problem);
        }
        if !cut.apply(&mut value, &path, &original, &mut removed) {
            break;
        }
    }
    found
}

/// What to take out of the value tree so the next attempt gets further.
enum Cut {
    /// The key `name` of the mapping at the path.
    Key(String),
    /// The list item the path is in.
    Item,
    /// The bad value, replaced by a valid stand-in so the rest of its item is still checked.
    Replace(Value),
}

impl Cut {
    /// Applies the cut; false when nothing could be cut (the problem is at the top level).
    fn apply(
        self,
        value: &mut Value,
        path: &[Segment],
        original: &[Segment],
        removed: &mut Removed,
    ) -> bool {
        match self {
            Cut::Replace(stand_in) => match at_mut(value, path) {
                Some(bad) => {
                    *bad = stand_in;
                    true
                }
                None => false,
            },
            Cut::Key(name) => {
                // The path is the mapping's (unknown key) or the bad value's own.
                let (path, original) = match path.last() {
                    Some(Segment::Map { key }) if *key == name => {
                        (&path[..path.len() - 1], &original[..original.len() - 1])
                    }
                    _ => (path, original),
                };
                let Some(Value::Mapping(map)) = at_mut(value, path) else {
                    return false;
                };
                removed.keys.push((original.to_vec(), name.clone()));
                map.remove(name.as_str()).is_some()
            }
            Cut::Item => {
                let Some(last_seq) = path.iter().rposition(|s| matches!(s, Segment::Seq { .. }))
                else {
                    return false;
                };
                let Segment::Seq { index } = path[last_seq] else {
                    return false;
                };
                let Some(Value::Sequence(items)) = at_mut(value, &path[..last_seq]) else {
                    return false;
                };
                if index >= items.len() {
                    return false;
                }
                items.remove(index);
                let Segment::Seq {
                    index: original_index,
                } = original[last_seq]
                else {
                    return false;
                };
                removed
                    .items
                    .push((original[..last_seq].to_vec(), original_index));
                true
            }
        }
    }
}

/// What earlier attempts took out, to map paths back to the file and to know our own cascades.
#[derive(Default)]
struct Removed {
    keys: Vec<(Vec<Segment>, String)>,
    /// (path of the list, original index of the item taken out).
    items: Vec<(Vec<Segment>, usize)>,
}

impl Removed {
    /// `path` in the current (cut) tree as a path in the file.
    fn original(&self, path: &[Segment]) -> Vec<Segment> {
        let mut out: Vec<Segment> = Vec::with_capacity(path.len());
        for segment in path {
            let segment = match segment {
                Segment::Seq { index } => {
                    let mut gone: Vec<usize> = self
                        .items
                        .iter()
                        .filter(|(list, _)| *list == out)
                        .map(|(_, i)| *i)
                        .collect();
                    gone.sort_unstable();
                    let mut original = *index;
                    for g in gone {
                        if g <= original {
                            original += 1;
                        }
                    }
                    Segment::Seq { index: original }
                }
                other => other.clone(),
            };
            out.push(segment);
        }
        out
    }

    fn explains(&self, path: &[Segment], message: &str) -> bool {
        self.keys
            .iter()
            .any(|(at, key)| at == path && message.starts_with(&format!("missing field `{key}`")))
    }
}

fn at_mut<'v>(value: &'v mut Value, path: &[Segment]) -> Option<&'v mut Value> {
    let mut here = value;
    for segment in path {
        here = match (segment, here) {
            (Segment::Seq { index }, Value::Sequence(items)) => items.get_mut(*index)?,
            (Segment::Map { key }, Value::Mapping(map)) => map.get_mut(key.as_str())?,
            (Segment::Other, v) => v,
            _ => return None,
        };
    }
    Some(here)
}

fn node_at<'n>(root: &'n Node, path: &[Segment]) -> Option<&'n Node> {
    let mut here = root;
    for segment in path {
        here = match segment {
            Segment::Seq { index } => here.item(*index)?,
            Segment::Map { key } => here.get(key)?,
            _ => here,
        };
    }
    Some(here)
}

/// `questions[3].priority`, or `` for the top level.
fn shown(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            _ => {}
        }
    }
    out
}

/// The problem in an author's words, where it is, and what to cut to go on.
fn describe(message: &str, path: &[Segment], text: &str, root: &Node) -> (Problem, Cut) {
    let node = node_at(root, path);
    let start = node.map_or(0, |n| n.start);
    // The field the bad value belongs to, and where that field is.
    let field_at = path.iter().rposition(|s| matches!(s, Segment::Map { .. }));
    let field = match field_at.map(|i| &path[i]) {
        Some(Segment::Map { key }) => key.clone(),
        _ => String::new(),
    };
    let place = shown(path);
    let prefixed = |m: String| {
        if place.is_empty() {
            m
        } else {
            format!("{place}: {m}")
        }
    };
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let name = rest.split('`').next().unwrap_or_default().to_owned();
        let at = node
            .and_then(|n| n.entry(&name))
            .map_or(start, |e| e.key_start);
        let words = super::yaml::improve_message(message, &[]);
        return (problem(prefixed(words), at), Cut::Key(name));
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or_default();
        let words = format!("missing field \"{name}\": every item here needs one");
        return (problem(prefixed(words), start), Cut::Item);
    }
    let written = scalar_text(text, start);
    let (words, stand_in) = if let Some(rest) = message.strip_prefix("unknown variant `") {
        let valid: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
        let stand_in = valid.first().map(|v| Value::String((*v).to_owned()));
        (bad_choice(&field, &written, &valid), stand_in)
    } else if message.contains("untagged enum AppliesTo") {
        let words = format!(
            "{field} should be a reader group (all, or one the vocabulary declares) or a list of them, not {}",
            found_words(&written)
        );
        (words, Some(Value::String("all".to_owned())))
    } else if let Some(rest) = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
    {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let words = format!(
            "{field} should be {}, not {}",
            kind_words(expected),
            found_words(found)
        );
        (words, stand_in_for(expected))
    } else {
        (message.to_owned(), None)
    };
    let place = shown(&path[..field_at.unwrap_or(0)]);
    let words = if place.is_empty() {
        words
    } else {
        format!("{place}: {words}")
    };
    let cut = stand_in.map_or(Cut::Key(field), Cut::Replace);
    (problem(words, start), cut)
}

/// A valid value of the kind serde expected, to stand in for a bad one.
fn stand_in_for(expected: &str) -> Option<Value> {
    Some(match kind_words(expected) {
        "text" => Value::String(String::new()),
        "a whole number" => Value::Number(0.into()),
        "a list" => Value::Sequence(Vec::new()),
        "true or false" => Value::Bool(false),
        _ => return None,
    })
}

fn problem(message: String, offset: usize) -> Problem {
    Problem { message, offset }
}

/// `"urgent" is not a valid priority, did you mean "high"? (valid values: ...)`
fn bad_choice(field: &str, written: &str, valid: &[&str]) -> String {
    let hint = suggestion_suffix(written, valid.iter().copied());
    format!(
        "\"{written}\" is not a valid {field}{hint} (valid values: {})",
        valid.join(", ")
    )
}

/// serde's name of what a field takes, as an author would say it.
fn kind_words(expected: &str) -> &str {
    match expected {
        "a string" => "text",
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number",
        "a sequence" => "a list",
        "a boolean" => "true or false",
        e if e.starts_with("struct ") || e.starts_with("a map") => "a set of fields",
        e if e.contains("enum") => "one of its valid values",
        e => e,
    }
}

/// serde's name of what was found, as an author would say it.
fn found_words(found: &str) -> String {
    match found {
        "sequence" => "a list".to_owned(),
        "map" => "a set of fields".to_owned(),
        "unit value" | "null" => "empty".to_owned(),
        f => f
            .strip_prefix("string ")
            .or_else(|| f.strip_prefix("integer "))
            .or_else(|| f.strip_prefix("boolean "))
            .or_else(|| f.strip_prefix("floating point "))
            .map_or_else(|| f.to_owned(), |v| v.trim_matches('`').to_owned()),
    }
}

/// The scalar written at `start`: quoted, or up to the end of its token.
fn scalar_text(text: &str, start: usize) -> String {
    let rest = text.get(start..).unwrap_or_default();
    if let Some(quoted) = rest.strip_prefix(['"', '\'']) {
        return quoted
            .split(['"', '\'', '\n'])
            .next()
            .unwrap_or_default()
            .to_owned();
    }
    rest.split([',', ']', '}', '\n', '#'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::questions::QuestionBank;

    fn problems_of(text: &str) -> Vec<(String, usize)> {
        let value = serde_norway::from_str(text).unwrap();
        let root = super::super::spans::parse(text).unwrap();
        problems::<QuestionBank>(value, text, &root)
            .into_iter()
            .map(|p| {
                (
                    p.message,
                    crate::diagnostics::Position::of_offset(text, p.offset).line,
                )
            })
            .collect()
    }

    #[test]
    fn every_bad_value_is_reported_once_at_its_own_line() {
        let text = "id: b\ntitle: T\naudience: alumni\nquestions:\n  - id: a\n    text: no why\n  - { id: c, text: t, why: w, priority: 3 }\n  - id: d\n    text: t\n    why: [w]\n    topics: visa\n";
        assert_eq!(
            problems_of(text),
            [
                (
                    "questions[0]: missing field \"why\": every item here needs one".to_owned(),
                    5
                ),
                (
                    "questions[1]: priority should be one of its valid values, not 3".to_owned(),
                    7
                ),
                (
                    "questions[2]: why should be text, not a list".to_owned(),
                    10
                ),
                (
                    "questions[2]: topics should be a list, not \"visa\"".to_owned(),
                    11
                ),
            ]
        );
    }
}
