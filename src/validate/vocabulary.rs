//! The guide's words against its data: `vocabulary.yaml`'s ids well-formed and unique, and every
//! bank's audience and every question's reader groups declared there.

use std::collections::HashSet;

use crate::diagnostics::Diagnostics;
use crate::model::questions::QuestionBank;
use crate::model::vocabulary::{ALL_READERS, Vocabulary};
use crate::model::{DataSet, Sourced, is_valid_id};

/// Every problem of the vocabulary itself, then every undeclared audience or reader group.
pub(super) fn check(set: &DataSet, diags: &mut Diagnostics) {
    if let Some(file) = &set.vocabulary_file {
        check_declarations(file, diags);
    }
    // A file that failed to parse may be the vocabulary itself: checking the banks against the
    // defaults would only repeat that error once per bank.
    if set.incomplete {
        return;
    }
    let vocabulary = set.vocabulary();
    for bank in &set.banks {
        check_bank(bank, vocabulary, diags);
    }
}

/// Ids are well-formed and unique in their list; no group takes the reserved `all`.
fn check_declarations(file: &Sourced<Vocabulary>, diags: &mut Diagnostics) {
    let (text, v, root) = (file.file(), &file.value, &file.spans);
    let audiences = root.get("audiences");
    let at = |i: usize| {
        audiences
            .and_then(|n| n.item(i))
            .map(|n| n.value_start("id"))
    };
    let ids = v.audiences.iter().map(|a| a.id.as_str());
    for (i, problem) in id_problems(ids, false) {
        diags.push(text.error(problem, at(i).unwrap_or(0)));
    }
    let groups = root.get("reader_groups").and_then(|n| n.get("groups"));
    let at = |i: usize| groups.and_then(|n| n.item(i)).map(|n| n.value_start("id"));
    let ids = v.reader_groups.groups.iter().map(|g| g.id.as_str());
    for (i, problem) in id_problems(ids, true) {
        diags.push(text.error(problem, at(i).unwrap_or(0)));
    }
}

/// The index and problem of each bad id in a list.
fn id_problems<'a>(ids: impl Iterator<Item = &'a str>, groups: bool) -> Vec<(usize, String)> {
    let mut seen = HashSet::new();
    let mut problems = Vec::new();
    for (i, id) in ids.enumerate() {
        if !is_valid_id(id) {
            problems.push((
                i,
                format!("invalid id \"{id}\": use lowercase letters, digits and hyphens"),
            ));
        } else if groups && id == ALL_READERS {
            problems.push((
                i,
                format!(
                    "\"{ALL_READERS}\" is reserved for every reader; give the group another id"
                ),
            ));
        } else if !seen.insert(id) {
            problems.push((i, format!("\"{id}\" is declared twice")));
        }
    }
    problems
}

/// The bank's audience and each question's reader groups are declared.
fn check_bank(bank: &Sourced<QuestionBank>, vocabulary: &Vocabulary, diags: &mut Diagnostics) {
    let (file, b, root) = (bank.file(), &bank.value, &bank.spans);
    if vocabulary.audience(b.audience.slug()).is_none() {
        let at = root.value_start("audience");
        diags.push(file.error(vocabulary.unknown_audience(b.audience.slug()), at));
    }
    let nodes = root.get("questions");
    for (i, q) in b.questions.iter().enumerate() {
        let node = nodes
            .and_then(|n| n.item(i))
            .and_then(|n| n.get("applies_to"));
        for (j, group) in q.applies_to.list().iter().enumerate() {
            if group.is_all() || vocabulary.group(group.slug()).is_some() {
                continue;
            }
            let at = node.map_or(0, |n| n.item(j).map_or(n.start, |item| item.start));
            diags.push(file.error(vocabulary.unknown_group(group.slug()), at));
        }
    }
}
