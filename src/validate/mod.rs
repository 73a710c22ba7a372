//! Stage between loading and rendering: the checks that span files. One id registry
//! ([`ids`]) for data and task ids, one link checker ([`links`]) for chapters and every
//! Markdown field of the data files, the data files' references ([`data`]) and the
//! guide's words ([`vocabulary`]).
//!
//! Nothing here renders: link checks read the facts the Markdown stage found (each page's ids
//! and links) and the list of pages the site will have.

pub(crate) mod data;
mod ids;
pub(crate) mod links;
mod vocabulary;

use crate::diagnostics::Diagnostics;
use crate::markdown::TaskItem;
use crate::model::Book;

/// Task-list ids share the book-wide id space with the data files: a task id taken by a data
/// id, or by another task, is an error at the task. `tasks[i]` are chapter `i`'s tasks.
pub fn task_ids<'a>(book: &'a Book, tasks: &[&'a [TaskItem]]) -> Diagnostics {
    let mut registry = ids::Registry::default();
    // The data ids' own problems are reported by `validate::data::check`.
    data::register_ids(&book.data, &mut registry, &mut Diagnostics::default());
    let mut diags = Diagnostics::default();
    for (chapter, tasks) in book.chapters.iter().zip(tasks) {
        for task in *tasks {
            registry.register_task(&task.id, &chapter.source_map, task.offset, &mut diags);
        }
    }
    diags
}
