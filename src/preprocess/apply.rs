//! The preprocessors' answer put back into guidebook's chapters.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{Config, Preprocessor};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::model::{Book, Chapter};

use super::protocol::{Item, chapters};

/// Warns about chapters `p` added or dropped: the pages are those SUMMARY.md lists, so an
/// added chapter is ignored and a dropped one keeps the text it had.
pub(super) fn check_chapters(
    config: &Config,
    p: &Preprocessor,
    sent: &[Item],
    answer: &[Item],
    diags: &mut Diagnostics,
) {
    let keys = |items: &[Item]| -> Vec<String> {
        chapters(items).iter().filter_map(|c| c.key()).collect()
    };
    let before = keys(sent);
    let after = keys(answer);
    let had: HashSet<&str> = before.iter().map(String::as_str).collect();
    let has: HashSet<&str> = after.iter().map(String::as_str).collect();
    let added = after.iter().filter(|k| !had.contains(k.as_str()));
    let dropped = before.iter().filter(|k| !has.contains(k.as_str()));
    for (list, what) in [
        (added.collect::<Vec<_>>(), "added"),
        (dropped.collect(), "dropped"),
    ] {
        for key in list {
            let message = format!(
                "preprocessor `{}` {what} the chapter `{key}`; guidebook's chapters are those \
                 SUMMARY.md lists, so this is ignored",
                p.name
            );
            let d = config.error_at_key(&format!("preprocessor.{}", p.name), message);
            diags.push(Diagnostic {
                severity: Severity::Warning,
                ..d
            });
        }
    }
}

/// `book` with each chapter's text as `items` has it. A chapter whose text changed gets a
/// source map that keeps unchanged lines at their place (see `SourceMap::remap`).
pub(super) fn rewrite(mut book: Book, items: &[Item]) -> Book {
    let answered: HashMap<String, &str> = chapters(items)
        .into_iter()
        .filter_map(|c| Some((c.key()?, c.content.as_str())))
        .collect();
    book.chapters.par_iter_mut().for_each(|chapter| {
        let Some(&text) = answered.get(&chapter.source_rel) else {
            return;
        };
        if text != &*chapter.markdown {
            *chapter = Arc::new(rewritten(chapter, text));
        }
    });
    book
}

fn rewritten(chapter: &Chapter, text: &str) -> Chapter {
    let mut new = Chapter {
        source_map: chapter.source_map.remap(&chapter.markdown, text),
        markdown: text.to_owned().into(),
        uses_data: text.contains("{{#"),
        ..chapter.clone()
    };
    new.digest = new.content_digest();
    new
}
