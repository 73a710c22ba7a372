//! `guide-data.js`: what the reader's browser needs to know about the guide's questions (and,
//! later, checklists), loaded with a plain `<script>` so it works from `file://`. Each entry
//! carries a hash of its text, so saved state can tell when the guide changed an item.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use super::questions::canonical_page;
use super::{Contents, OutputFile};
use crate::data::checklists::{Scope, ScoreMethod};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::links::{InternalLink, PageLocation};
use crate::markdown::{RenderContext, inline};
use crate::model::Book;

#[derive(Serialize)]
struct GuideData<'a> {
    questions: BTreeMap<&'a str, QuestionEntry>,
    checklists: BTreeMap<&'a str, ChecklistEntry<'a>>,
    /// Interactive task-list items in chapters: id → text hash.
    tasks: BTreeMap<&'a str, String>,
    compare: Option<&'a crate::data::compare::Compare>,
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
struct QuestionEntry {
    /// Plain text.
    t: String,
    /// Hash of the text: changes when an advisor rewords the question.
    h: String,
    /// Audience label, e.g. "Residents".
    a: &'static str,
    /// Link from the site root to the question's anchor.
    u: String,
}

/// FNV-1a, 32 bits, as 8 hex digits: a short, stable fingerprint (not security).
pub fn text_hash(text: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in text.as_bytes() {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("{h:08x}")
}

/// `tasks` are the interactive task items found in chapters; `checklist_pages` maps a
/// checklist id to the first page that embeds it.
pub fn guide_data<'a>(
    book: &'a Book,
    tasks: &'a [(String, String)],
    checklist_pages: &HashMap<String, String>,
) -> OutputFile {
    let mut questions = BTreeMap::new();
    for bank in book.data.banks.iter().map(|b| &b.value) {
        for q in &bank.questions {
            let plain = inline::plain(&q.text);
            questions.insert(
                q.id.as_str(),
                QuestionEntry {
                    h: text_hash(&plain),
                    t: plain,
                    a: bank.audience.label(),
                    u: format!("{}#{}", canonical_page(bank.audience), q.id),
                },
            );
        }
    }
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

/// Links written inside data files (question texts, worksheet intros) must work too; problems
/// point at the question or worksheet in its YAML file.
pub fn check_data_links(
    book: &Book,
    pages: &crate::markdown::links::LinkTargets<'_>,
    files: &HashSet<String>,
    diags: &mut Diagnostics,
) {
    let ctx = RenderContext {
        chapter_outputs: &book.chapter_outputs,
        smart_punctuation: false,
        blocks: None,
    };
    // Each text is checked where it is written: (text, byte offset in its file).
    let mut check = |source_rel: &str,
                     page: String,
                     texts: Vec<(&str, usize)>,
                     file: &dyn Fn(String, usize) -> Diagnostic| {
        let location = PageLocation::Page(page);
        for (t, at) in texts {
            for link in inline::render(t, source_rel, &ctx, &location).1 {
                if let Some(message) = link_problem(&link, pages, files) {
                    diags.push(file(message, at));
                }
            }
        }
    };
    for bank in &book.data.banks {
        let (b, root) = (&bank.value, &bank.spans);
        let source = format!("questions/{}.yaml", b.id);
        let error = |m: String, at: usize| bank.error_at(m, at);
        let description = (b.description.as_str(), root.value_start("description"));
        check(
            &source,
            canonical_page(b.audience),
            vec![description],
            &error,
        );
        let nodes = root.get("questions");
        for (i, q) in b.questions.iter().enumerate() {
            let node = nodes.and_then(|n| n.item(i));
            let at = |key: &str| node.map_or(0, |n| n.value_start(key));
            let item_at = |key: &str, j: usize| {
                node.and_then(|n| n.get(key))
                    .and_then(|l| l.item(j))
                    .map_or(at(key), |n| n.start)
            };
            let mut texts = vec![(q.text.as_str(), at("text")), (q.why.as_str(), at("why"))];
            for (key, list) in [
                ("good_signs", &q.good_signs),
                ("red_flags", &q.red_flags),
                ("follow_ups", &q.follow_ups),
            ] {
                texts.extend(
                    list.iter()
                        .enumerate()
                        .map(|(j, t)| (t.as_str(), item_at(key, j))),
                );
            }
            check(&source, canonical_page(b.audience), texts, &error);
        }
    }
    for list in &book.data.checklists {
        let (c, root) = (&list.value, &list.spans);
        let source = format!("checklists/{}.yaml", c.id);
        let error = |m: String, at: usize| list.error_at(m, at);
        let mut texts = vec![(c.description.as_str(), root.value_start("description"))];
        let groups = root.get("groups");
        for (i, group) in c.groups.iter().enumerate() {
            let items = groups.and_then(|g| g.item(i)).and_then(|g| g.get("items"));
            for (j, item) in group.items.iter().enumerate() {
                let node = items.and_then(|n| n.item(j));
                let at = |key: &str| node.map_or(0, |n| n.value_start(key));
                texts.push((item.text.as_str(), at("text")));
                if let Some(help) = &item.help {
                    texts.push((help.as_str(), at("help")));
                }
            }
        }
        // Links resolve from the checklist's own file, whatever page embeds it.
        check(&source, "index.html".to_owned(), texts, &error);
    }
    for sheet in &book.data.worksheets {
        let (w, root) = (&sheet.value, &sheet.spans);
        let source = format!("worksheets/{}.yaml", w.id);
        let error = |m: String, at: usize| sheet.error_at(m, at);
        let mut texts = vec![(w.description.as_str(), root.value_start("description"))];
        let sections = root.get("sections");
        for (i, section) in w.sections.iter().enumerate() {
            if let Some(intro) = section.intro.as_deref() {
                let at = sections
                    .and_then(|n| n.item(i))
                    .map_or(0, |n| n.value_start("intro"));
                texts.push((intro, at));
            }
        }
        check(&source, super::worksheets::page_path(&w.id), texts, &error);
    }
}

fn link_problem(
    link: &InternalLink,
    pages: &crate::markdown::links::LinkTargets<'_>,
    files: &HashSet<String>,
) -> Option<String> {
    if link.target.starts_with("../") {
        return Some(format!(
            "broken link `{}`: it points outside the book",
            link.written
        ));
    }
    match pages.get(link.target.as_str()) {
        Some(ids) => match &link.fragment {
            Some(f) if !f.is_empty() && !ids.iter().any(|id| id == f) => Some(format!(
                "broken link `{}`: no anchor `#{f}` in that page",
                link.written
            )),
            _ => None,
        },
        None if files.contains(&link.target) => None,
        None => Some(format!(
            "broken link `{}`: no page or file `{}`",
            link.written, link.target
        )),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn hashes_are_stable() {
        assert_eq!(super::text_hash(""), "811c9dc5");
        assert_eq!(super::text_hash("a"), "e40c292c");
    }
}
