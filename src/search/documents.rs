//! What the index is made of: one document per chapter section, question, embedded
//! checklist item and glossary term.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use super::{Document, Kind, Section};
use crate::markdown::inline;
use crate::model::{Book, Chapter, question_page};

/// Characters of body text kept for the result snippet.
pub(super) const SNIPPET_CHARS: usize = 220;

/// Documents of `chapters`, from each one's rendered sections.
pub(super) fn chapter_documents<'a>(
    chapters: &'a [Arc<Chapter>],
    sections: &'a [Arc<Vec<Section>>],
) -> Vec<Document<'a>> {
    let mut docs = Vec::new();
    for (chapter, sections) in chapters.iter().zip(sections) {
        let glossary = chapter
            .source_rel
            .rsplit('/')
            .next()
            .is_some_and(|f| f.starts_with("glossary"));
        for s in sections.iter() {
            let is_term = glossary && !s.heading.is_empty() && s.heading.chars().count() <= 40;
            docs.push(Document {
                kind: if is_term {
                    Kind::Glossary
                } else {
                    Kind::Chapter
                },
                title: if s.heading.is_empty() {
                    Cow::Borrowed(chapter.title.as_str())
                } else {
                    Cow::Borrowed(s.heading.as_str())
                },
                context: Cow::Borrowed(chapter.title.as_str()),
                url: if s.anchor.is_empty() {
                    chapter.output_rel.clone()
                } else {
                    format!("{}#{}", chapter.output_rel, s.anchor)
                },
                body: Cow::Borrowed(s.text.as_str()),
            });
        }
    }
    docs
}

/// Documents of the data files: questions, and the items of checklists embedded in a page.
pub(super) fn data_documents<'a>(
    book: &'a Book,
    checklist_pages: &HashMap<String, String>,
) -> Vec<Document<'a>> {
    let mut docs = Vec::new();
    let vocabulary = book.data.vocabulary();
    for bank in book.data.banks.iter().map(|b| &b.value) {
        for q in &bank.questions {
            let mut body = inline::plain(&q.why);
            for extra in q.good_signs.iter().chain(&q.red_flags).chain(&q.follow_ups) {
                body.push(' ');
                body.push_str(&inline::plain(extra));
            }
            docs.push(Document {
                kind: Kind::Question,
                title: inline::plain(&q.text).into(),
                context: format!(
                    "{} · {}",
                    vocabulary.audience_heading(bank.audience.slug()),
                    bank.title
                )
                .into(),
                url: format!("{}#{}", question_page(bank.audience.slug()), q.id),
                body: body.into(),
            });
        }
    }
    for list in book.data.checklists.iter().map(|c| &c.value) {
        let Some(page) = checklist_pages.get(&list.id) else {
            continue;
        };
        for item in list.groups.iter().flat_map(|g| &g.items) {
            docs.push(Document {
                kind: Kind::Checklist,
                title: inline::plain(&item.text).into(),
                context: list.title.as_str().into(),
                url: format!("{page}#{}", item.id),
                body: item
                    .help
                    .as_deref()
                    .map(inline::plain)
                    .unwrap_or_default()
                    .into(),
            });
        }
    }
    docs
}

/// The start of `body`, whitespace folded, at most `SNIPPET_CHARS` characters (reads no
/// further than it needs: bodies can be long).
pub(super) fn snippet(body: &str) -> String {
    let mut s = String::with_capacity(SNIPPET_CHARS + 4);
    let mut chars = 0;
    for word in body.split_whitespace() {
        if !s.is_empty() {
            s.push(' ');
            chars += 1;
        }
        for c in word.chars() {
            if chars == SNIPPET_CHARS {
                s.push('…');
                return s;
            }
            s.push(c);
            chars += 1;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_fold_whitespace_and_stop_at_the_limit() {
        assert_eq!(snippet("a  b\n c"), "a b c");
        let long = "word ".repeat(100);
        let s = snippet(&long);
        assert_eq!(s.chars().count(), SNIPPET_CHARS + 1);
        assert!(s.ends_with('…'));
    }
}
