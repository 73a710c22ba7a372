//! `guide-data.js`: what the reader's browser needs to know about the guide's questions (and,
//! later, checklists), loaded with a plain `<script>` so it works from `file://`. Each entry
//! carries a hash of its text, so saved state can tell when the guide changed an item.

use crate::util::hash::text_hash;
use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::questions::canonical_page;
use super::{Contents, OutputFile};
use crate::markdown::inline;
use crate::model::Book;
use crate::model::checklists::{Scope, ScoreMethod};

#[derive(Serialize)]
struct GuideData<'a> {
    questions: BTreeMap<&'a str, QuestionEntry<'a>>,
    checklists: BTreeMap<&'a str, ChecklistEntry<'a>>,
    /// Interactive task-list items in chapters: id → text hash.
    tasks: BTreeMap<&'a str, String>,
    compare: Option<&'a crate::model::compare::Compare>,
}

#[derive(Serialize)]
struct ChecklistEntry<'a> {
    title: &'a str,
    scope: &'static str,
    method: &'static str,
    max: u32,
    bands: Vec<BandEntry<'a>>,
    /// Item id → [text hash, weight, plain text].
    items: BTreeMap<&'a str, (String, u32, String)>,
    /// The page that shows the checklist, from the site root.
    page: Option<String>,
}

#[derive(Serialize)]
struct BandEntry<'a> {
    min: u32,
    max: u32,
    label: &'a str,
    level: usize,
}

#[derive(Serialize)]
struct QuestionEntry<'a> {
    /// Plain text.
    t: String,
    /// Hash of the text: changes when an advisor rewords the question.
    h: String,
    /// Audience label, e.g. "Alumni".
    a: &'a str,
    /// Link from the site root to the question's anchor.
    u: String,
}

/// `tasks` are the interactive task items found in chapters; `checklist_pages` maps a
/// checklist id to the first page that embeds it.
pub fn guide_data<'a>(
    book: &'a Book,
    tasks: &'a [(String, String)],
    checklist_pages: &HashMap<String, String>,
) -> OutputFile {
    let questions = question_entries(book);
    let checklists = checklist_entries(book, checklist_pages);
    let tasks = tasks
        .iter()
        .map(|(id, text)| (id.as_str(), text_hash(text.trim())))
        .collect();
    let compare = book.data.compare.as_ref().map(|c| &c.value);
    let json = serde_json::to_string(&GuideData {
        questions,
        checklists,
        tasks,
        compare,
    })
    .unwrap_or_else(|_| "{}".to_owned());
    OutputFile {
        path: "guide-data.js".into(),
        contents: Contents::Bytes(
            format!("window.GUIDEBOOK_DATA = {};\n", json.replace("</", "<\\/")).into_bytes(),
        ),
    }
}

/// Each question's text, hash, audience label and link.
fn question_entries(book: &Book) -> BTreeMap<&str, QuestionEntry<'_>> {
    let mut questions = BTreeMap::new();
    for bank in book.data.banks.iter().map(|b| &b.value) {
        for q in &bank.questions {
            let plain = inline::plain(&q.text);
            questions.insert(
                q.id.as_str(),
                QuestionEntry {
                    h: text_hash(&plain),
                    t: plain,
                    a: book.data.vocabulary().audience_label(bank.audience.slug()),
                    u: format!("{}#{}", canonical_page(&bank.audience), q.id),
                },
            );
        }
    }
    questions
}

/// Each checklist's scoring and items, and the page that embeds it.
fn checklist_entries<'a>(
    book: &'a Book,
    checklist_pages: &HashMap<String, String>,
) -> BTreeMap<&'a str, ChecklistEntry<'a>> {
    let mut checklists = BTreeMap::new();
    for list in book.data.checklists.iter().map(|c| &c.value) {
        let weighted = matches!(
            list.scoring.as_ref().map(|s| s.method),
            Some(ScoreMethod::Weights)
        );
        checklists.insert(
            list.id.as_str(),
            ChecklistEntry {
                title: &list.title,
                scope: match list.scope {
                    Scope::PerProgram => "per-program",
                    Scope::Single => "single",
                },
                method: match &list.scoring {
                    None => "none",
                    Some(_) if weighted => "weights",
                    Some(_) => "count",
                },
                max: list.max_score(),
                bands: list
                    .scoring
                    .iter()
                    .flat_map(|s| s.bands.iter().enumerate())
                    .map(|(level, b)| BandEntry {
                        min: b.min,
                        max: b.max,
                        label: &b.label,
                        level,
                    })
                    .collect(),
                items: list
                    .groups
                    .iter()
                    .flat_map(|g| &g.items)
                    .map(|i| {
                        let plain = inline::plain(&i.text);
                        let weight = if weighted { i.weight.unwrap_or(1) } else { 1 };
                        (i.id.as_str(), (text_hash(&plain), weight, plain))
                    })
                    .collect(),
                page: checklist_pages.get(&list.id).cloned(),
            },
        );
    }
    checklists
}
