//! The JSON a preprocessor reads and writes, as mdBook's crates define it: `[context, book]` on
//! its stdin, the book on its stdout.
//!
//! mdBook 0.5 calls the book's list `items`; 0.4 called it `sections` and required a
//! `__non_exhaustive: null` beside it. Both are sent, so preprocessors built on either read
//! the book; the answer may use either.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::{Book, Chapter, SummaryItem, SummaryLink};

/// The mdBook version guidebook speaks the protocol of (`mdbook_version` in the context).
pub(super) const MDBOOK_VERSION: &str = "0.5.4";

/// An entry of the book, as mdBook's `BookItem` (serde's externally tagged enum).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) enum Item {
    Chapter(ChapterJson),
    Separator,
    PartTitle(String),
}

/// mdBook's `Chapter`. A draft chapter has no `path`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub(super) struct ChapterJson {
    pub name: String,
    pub content: String,
    pub number: Option<Vec<u32>>,
    pub sub_items: Vec<Item>,
    pub path: Option<PathBuf>,
    pub source_path: Option<PathBuf>,
    pub parent_names: Vec<String>,
}

impl ChapterJson {
    /// The source path that identifies the chapter, `/`-separated.
    pub fn key(&self) -> Option<String> {
        let path = self.source_path.as_ref().or(self.path.as_ref())?;
        Some(path.to_string_lossy().replace('\\', "/"))
    }
}

#[derive(Serialize)]
struct Context<'a> {
    root: &'a Path,
    config: &'a serde_json::Value,
    renderer: &'a str,
    mdbook_version: &'a str,
}

#[derive(Serialize)]
struct BookOut<'a> {
    items: &'a [Item],
    sections: &'a [Item],
    __non_exhaustive: (),
}

/// What a preprocessor printed: either list, or both (a script that edits its input in place).
#[derive(Deserialize)]
struct BookIn {
    items: Option<Vec<Item>>,
    sections: Option<Vec<Item>>,
}

/// The bytes for a preprocessor's stdin.
pub(super) fn input(
    root: &Path,
    config: &serde_json::Value,
    renderer: &str,
    items: &[Item],
) -> Vec<u8> {
    let context = Context {
        root,
        config,
        renderer,
        mdbook_version: MDBOOK_VERSION,
    };
    let book = BookOut {
        items,
        sections: items,
        __non_exhaustive: (),
    };
    serde_json::to_vec(&(context, book)).unwrap_or_default()
}

/// Reads a preprocessor's answer. When it has both lists, the one it changed is its answer.
pub(super) fn output(stdout: &[u8], sent: &[Item]) -> Result<Vec<Item>, String> {
    let book: BookIn = serde_json::from_slice(stdout).map_err(|e| e.to_string())?;
    match (book.items, book.sections) {
        (Some(items), Some(sections)) if items == sent => Ok(sections),
        (Some(items), _) | (None, Some(items)) => Ok(items),
        (None, None) => Err("the book has neither `items` nor `sections`".to_owned()),
    }
}

/// guidebook's book as mdBook's items: the SUMMARY.md tree with each chapter's text.
pub(super) fn items_of(book: &Book) -> Vec<Item> {
    let chapters: std::collections::HashMap<&str, &Chapter> = book
        .chapters
        .iter()
        .map(|c| (c.source_rel.as_str(), c.as_ref()))
        .collect();
    convert(&book.summary, &[], &chapters)
}

fn convert(
    summary: &[SummaryItem],
    parents: &[String],
    chapters: &std::collections::HashMap<&str, &Chapter>,
) -> Vec<Item> {
    summary
        .iter()
        .map(|item| match item {
            SummaryItem::Link(link) => Item::Chapter(chapter_json(link, parents, chapters)),
            SummaryItem::PartTitle(title) => Item::PartTitle(title.clone()),
            SummaryItem::Separator => Item::Separator,
        })
        .collect()
}

fn chapter_json(
    link: &SummaryLink,
    parents: &[String],
    chapters: &std::collections::HashMap<&str, &Chapter>,
) -> ChapterJson {
    let key = link
        .source
        .as_ref()
        .map(|p| p.to_string_lossy().replace('\\', "/"));
    let chapter = key.as_deref().and_then(|k| chapters.get(k));
    let mut inner = parents.to_vec();
    inner.push(link.title.clone());
    ChapterJson {
        name: link.title.clone(),
        content: chapter.map(|c| c.markdown.to_string()).unwrap_or_default(),
        number: link.number.clone(),
        sub_items: convert(&link.children, &inner, chapters),
        path: key.as_ref().map(PathBuf::from),
        source_path: key.map(PathBuf::from),
        parent_names: parents.to_vec(),
    }
}

/// Every chapter in `items`, depth first, in reading order.
pub(super) fn chapters(items: &[Item]) -> Vec<&ChapterJson> {
    let mut out = Vec::new();
    collect(items, &mut out);
    out
}

fn collect<'a>(items: &'a [Item], out: &mut Vec<&'a ChapterJson>) {
    for item in items {
        if let Item::Chapter(c) = item {
            out.push(c);
            collect(&c.sub_items, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(content: &str) -> Vec<Item> {
        vec![Item::Chapter(ChapterJson {
            name: "A".into(),
            content: content.into(),
            path: Some("a.md".into()),
            source_path: Some("a.md".into()),
            ..ChapterJson::default()
        })]
    }

    #[test]
    fn input_has_both_lists_and_the_marker_mdbook_0_4_needs() {
        let bytes = input(Path::new("/b"), &serde_json::json!({}), "html", &one("x"));
        let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(json[0]["renderer"], "html");
        assert_eq!(json[0]["mdbook_version"], MDBOOK_VERSION);
        assert_eq!(json[1]["items"], json[1]["sections"]);
        assert!(json[1]["__non_exhaustive"].is_null());
        assert_eq!(json[1]["items"][0]["Chapter"]["content"], "x");
        assert_eq!(
            json[1]["items"][0]["Chapter"]["number"],
            serde_json::Value::Null
        );
    }

    #[test]
    fn output_takes_the_list_that_changed() {
        let sent = one("x");
        let both = |items: &[Item], sections: &[Item]| {
            serde_json::to_vec(&serde_json::json!({"items": items, "sections": sections})).unwrap()
        };
        let changed = one("y");
        assert_eq!(output(&both(&sent, &changed), &sent).unwrap(), changed);
        assert_eq!(output(&both(&changed, &sent), &sent).unwrap(), changed);
        let old = serde_json::to_vec(&serde_json::json!({"sections": changed})).unwrap();
        assert_eq!(output(&old, &sent).unwrap(), changed);
        assert!(output(b"{}", &sent).is_err());
    }
}
