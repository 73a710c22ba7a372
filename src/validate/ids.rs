//! The book-wide id registry: data ids (banks, questions, checklists, groups, items,
//! worksheets) and the task-list ids of chapters share one space, since readers' saved state
//! is keyed by them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics, LineIndex, Position};
use crate::model::{FileRef, SourceMap, is_valid_id};

/// Where an id was first defined, for "first used here" notes. A data file's site borrows
/// its text, so no position is computed unless the id is taken twice.
enum IdSite<'a> {
    Data {
        path: &'a Path,
        text: &'a str,
        lines: &'a LineIndex,
        offset: usize,
    },
    Chapter {
        source_map: &'a SourceMap,
        offset: usize,
    },
}

impl IdSite<'_> {
    /// The "first used here" note's file and position.
    fn place(&self) -> (PathBuf, Option<Position>) {
        match *self {
            IdSite::Data {
                path,
                text,
                lines,
                offset,
            } => (path.to_path_buf(), Some(lines.position(text, offset))),
            IdSite::Chapter { source_map, offset } => {
                let at = source_map.diagnostic(offset, |p| Diagnostic::error(p, String::new()));
                (at.path, at.position)
            }
        }
    }
}

/// Each id's first site.
#[derive(Default)]
pub struct Registry<'a> {
    sites: HashMap<&'a str, IdSite<'a>>,
}

impl<'a> Registry<'a> {
    /// Records `id`, found at `offset` of a data file; reports it when malformed or taken.
    pub fn register(
        &mut self,
        id: &'a str,
        file: &FileRef<'a>,
        offset: usize,
        diags: &mut Diagnostics,
    ) {
        if !is_valid_id(id) {
            diags.push(file.error(
                format!("id \"{id}\" must use only lowercase letters, digits and hyphens"),
                offset,
            ));
        }
        let site = IdSite::Data {
            path: file.path,
            text: file.text,
            lines: file.lines,
            offset,
        };
        self.claim(id, site, || file.error(duplicate(id), offset), diags);
    }

    /// Records a task-list id of a chapter (the Markdown stage made it well-formed) at
    /// byte `offset` of the chapter's expanded text.
    pub fn register_task(
        &mut self,
        id: &'a str,
        source_map: &'a SourceMap,
        offset: usize,
        diags: &mut Diagnostics,
    ) {
        let site = IdSite::Chapter { source_map, offset };
        let error = || source_map.diagnostic(offset, |p| Diagnostic::error(p, duplicate(id)));
        self.claim(id, site, error, diags);
    }

    fn claim(
        &mut self,
        id: &'a str,
        site: IdSite<'a>,
        error: impl FnOnce() -> Diagnostic,
        diags: &mut Diagnostics,
    ) {
        match self.sites.get(id) {
            Some(first) => {
                let (path, at) = first.place();
                let note = format!("\"{id}\" is first used here");
                diags.push(error().with_note(path, at, note));
            }
            None => {
                self.sites.insert(id, site);
            }
        }
    }
}

fn duplicate(id: &str) -> String {
    format!("duplicate id \"{id}\": ids must be unique across the book")
}
