//! Checks across the data files: ids well-formed and unique, topics resolve, bank and
//! checklist ids match their file names, worksheet selections resolve, compare.yaml's figures
//! are consistent.

use std::collections::HashSet;

use super::ids::Registry;
use crate::diagnostics::{Diagnostics, suggestion_suffix};
use crate::model::compare;
use crate::model::spans::{self, Node};
use crate::model::worksheets::Worksheet;
use crate::model::{DataSet, FileRef, Sourced, is_valid_id};

/// Ids are unique across the book; ids are well-formed; topics resolve; bank and checklist ids
/// match their file names; score bands are contiguous. Every place comes from the file's span
/// tree, so the whole check is one pass over each file.
pub fn check(set: &DataSet) -> Diagnostics {
    let mut diags = Diagnostics::default();
    register_ids(set, &mut Registry::default(), &mut diags);
    check_banks(set, &mut diags);
    super::vocabulary::check(set, &mut diags);
    check_checklists(set, &mut diags);
    if let Some(compare) = &set.compare {
        check_compare(compare, &mut diags);
    }
    for table in &set.tables {
        let (file, t, root) = (table.file(), &table.value, &table.spans);
        check_file_stem(&t.id, &file, root.value_start("id"), &mut diags);
        if let Some(problem) = t.problem() {
            let at = root.entry("rows").map_or(0, |e| e.key_start);
            diags.push(file.error(problem, at));
        }
    }
    for sheet in &set.worksheets {
        let (file, w) = (sheet.file(), &sheet.value);
        check_file_stem(&w.id, &file, sheet.spans.value_start("id"), &mut diags);
        // Selections are checked against sound banks only, to avoid a cascade of errors.
        if !set.incomplete && !diags.has_errors() {
            check_worksheet(set, sheet, &mut diags);
        }
    }
    diags
}

/// Puts every id the data files define into `registry`, at its place in its file: banks and
/// their questions, checklists with their groups and items, tables, worksheets. Malformed
/// and taken ids go to `diags`.
pub(super) fn register_ids<'a>(
    set: &'a DataSet,
    registry: &mut Registry<'a>,
    diags: &mut Diagnostics,
) {
    for bank in &set.banks {
        let (file, root) = (bank.file(), &bank.spans);
        let start = root.value_start("id");
        registry.register(&bank.value.id, &file, start, diags);
        let nodes = root.get("questions");
        for (i, q) in bank.value.questions.iter().enumerate() {
            registry.register(&q.id, &file, id_of_item(nodes, i, start), diags);
        }
    }
    for list in &set.checklists {
        let (file, root) = (list.file(), &list.spans);
        let start = root.value_start("id");
        registry.register(&list.value.id, &file, start, diags);
        let groups = root.get("groups");
        for (i, group) in list.value.groups.iter().enumerate() {
            let node = groups.and_then(|g| g.item(i));
            let at = node.map_or(start, |n| n.value_start("id"));
            registry.register(&group.id, &file, at, diags);
            let items = node.and_then(|n| n.get("items"));
            for (j, item) in group.items.iter().enumerate() {
                registry.register(&item.id, &file, id_of_item(items, j, at), diags);
            }
        }
    }
    for table in &set.tables {
        let at = table.spans.value_start("id");
        registry.register(&table.value.id, &table.file(), at, diags);
    }
    for sheet in &set.worksheets {
        let at = sheet.spans.value_start("id");
        registry.register(&sheet.value.id, &sheet.file(), at, diags);
    }
}

/// Where the `id` of item `i` of the YAML list `list` is written (`fallback` when unknown).
fn id_of_item(list: Option<&Node>, i: usize, fallback: usize) -> usize {
    list.and_then(|n| n.item(i))
        .map_or(fallback, |n| n.value_start("id"))
}

/// Bank ids match their file names; every question's topics resolve.
fn check_banks(set: &DataSet, diags: &mut Diagnostics) {
    let topic_ids: HashSet<&str> = set.topics.iter().map(|t| t.id.as_str()).collect();
    let mut topic_names: Vec<&str> = topic_ids.iter().copied().collect();
    topic_names.sort_unstable();
    for bank in &set.banks {
        let (file, b, root) = (bank.file(), &bank.value, &bank.spans);
        let start = root.value_start("id");
        check_file_stem(&b.id, &file, start, diags);
        let nodes = root.get("questions");
        for (i, q) in b.questions.iter().enumerate() {
            let node = nodes.and_then(|n| n.item(i));
            let q_at = node.map_or(start, |n| n.value_start("id"));
            let topic_nodes = node.and_then(|n| n.get("topics"));
            for (j, topic) in q.topics.iter().enumerate() {
                if topic_ids.contains(topic.as_str()) {
                    continue;
                }
                let at = topic_nodes
                    .map(|t| t.item(j).map_or(t.start, |n| n.start))
                    .unwrap_or(q_at);
                let hint = if topic_ids.is_empty() {
                    " (no topics.yaml defines any topics)".to_owned()
                } else {
                    suggestion_suffix(topic, topic_names.iter().copied())
                };
                diags.push(file.error(format!("unknown topic \"{topic}\"{hint}"), at));
            }
        }
    }
}

/// Checklist ids match their file names; score bands are contiguous.
fn check_checklists(set: &DataSet, diags: &mut Diagnostics) {
    for list in &set.checklists {
        let (file, c, root) = (list.file(), &list.value, &list.spans);
        check_file_stem(&c.id, &file, root.value_start("id"), diags);
        if let Some(problem) = c.band_problem() {
            let at = root
                .get("scoring")
                .and_then(|s| s.entry("bands"))
                .map_or(0, |e| e.key_start);
            diags.push(file.error(problem, at));
        }
    }
}

fn check_worksheet(set: &DataSet, sheet: &Sourced<Worksheet>, diags: &mut Diagnostics) {
    let (file, w) = (sheet.file(), &sheet.value);
    let nodes = sheet.spans.get("sections");
    for (i, section) in w.sections.iter().enumerate() {
        let node = nodes.and_then(|n| n.item(i));
        // Each section's own problems point at its title.
        let at = node.map_or(0, |n| n.value_start("title"));
        let error = |message: String| file.error(message, at);
        if section.kinds_given() != 1 {
            diags.push(error(format!(
                "section \"{}\" needs exactly one of `questions`, `ratings`, `fields` or `notes`",
                section.title
            )));
            continue;
        }
        if let Some(selection) = &section.questions
            && let Err(e) = set.select(selection)
        {
            let within = node.and_then(|n| n.get("questions"));
            let offset = e
                .token
                .as_deref()
                .and_then(|t| within.and_then(|n| spans::find_scalar(n, file.text, t)))
                .unwrap_or(at);
            diags.push(file.error(e.message, offset));
        }
        if section.answer_lines.is_some_and(|n| n > 30) || section.notes.is_some_and(|n| n > 60) {
            diags.push(error(
                "at most 30 answer lines and 60 note lines fit on a sheet".to_owned(),
            ));
        }
        if let Some(r) = &section.ratings
            && (r.domains.is_empty() || !(2..=10).contains(&r.scale))
        {
            diags.push(error(
                "ratings need at least one domain and a scale from 2 to 10".to_owned(),
            ));
        }
    }
}

/// Compare ids are local to the file: unique there, and derived figures name real figures.
fn check_compare(compare: &Sourced<compare::Compare>, diags: &mut Diagnostics) {
    let (file, c, root) = (compare.file(), &compare.value, &compare.spans);
    let id_starts = |list: Option<&Node>| -> Vec<usize> {
        list.map_or(Vec::new(), |l| {
            l.items().iter().map(|n| n.value_start("id")).collect()
        })
    };
    let domain_nodes = root.get("ratings").and_then(|r| r.get("domains"));
    let ids = c
        .ratings
        .domains
        .iter()
        .map(|d| d.id.as_str())
        .zip(
            id_starts(domain_nodes)
                .into_iter()
                .chain(std::iter::repeat(0)),
        )
        .chain(
            c.figures.iter().map(|f| f.id.as_str()).zip(
                id_starts(root.get("figures"))
                    .into_iter()
                    .chain(std::iter::repeat(0)),
            ),
        )
        .chain(
            c.derived.iter().map(|d| d.id.as_str()).zip(
                id_starts(root.get("derived"))
                    .into_iter()
                    .chain(std::iter::repeat(0)),
            ),
        );
    let mut seen: HashSet<&str> = HashSet::new();
    for (id, at) in ids {
        if !is_valid_id(id) || !seen.insert(id) {
            diags.push(file.error(
                format!(
                    "id \"{id}\" must be unique here and use lowercase letters, digits and hyphens"
                ),
                at,
            ));
        }
    }
    let numbers: Vec<&str> = c
        .figures
        .iter()
        .filter(|f| f.kind == compare::FigureType::Number)
        .map(|f| f.id.as_str())
        .collect();
    let derived_nodes = root.get("derived");
    for (i, d) in c.derived.iter().enumerate() {
        let node = derived_nodes.and_then(|n| n.item(i));
        for (key, name) in [("numerator", &d.numerator), ("denominator", &d.denominator)] {
            if !numbers.contains(&name.as_str()) {
                let at = node.map_or(0, |n| n.value_start(key));
                diags.push(file.error(
                    format!(
                        "\"{name}\" is not a number figure{}",
                        suggestion_suffix(name, numbers.iter().copied())
                    ),
                    at,
                ));
            }
        }
    }
    if !(2..=10).contains(&c.ratings.scale) {
        let at = root.get("ratings").map_or(0, |r| r.value_start("scale"));
        diags.push(file.error("the rating scale must be from 2 to 10", at));
    }
}

fn check_file_stem(id: &str, file: &FileRef<'_>, offset: usize, diags: &mut Diagnostics) {
    let stem = file
        .path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if stem != id {
        diags.push(file.error(
            format!("id \"{id}\" must match the file name \"{stem}\""),
            offset,
        ));
    }
}

/// A checklist that no chapter embeds cannot be reached by readers. `embedded` maps each
/// embedded checklist's id to a page that shows it.
pub fn unembedded_checklists(
    set: &DataSet,
    embedded: &std::collections::HashMap<String, String>,
) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for list in &set.checklists {
        let id = &list.value.id;
        if !embedded.contains_key(id) {
            diags.push(crate::diagnostics::Diagnostic::warning(
                &list.path,
                format!(
                    "checklist \"{id}\" is not embedded in any chapter, so readers cannot reach it; add `{{{{#checklist {id}}}}}` to a chapter"
                ),
            ));
        }
    }
    diags
}
