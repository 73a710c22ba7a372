//! The loaded parts put together into a book, with the checks that span chapters.

use std::collections::HashMap;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Book;

use super::memo::Memo;

/// Puts the loaded parts together into a book, with the checks that span chapters.
pub(super) fn assemble(config: &Config, memo: &Memo) -> Result<(Book, Diagnostics), Diagnostics> {
    let summary_path = config.src_dir.join("SUMMARY.md");
    let summary_text = &memo.summary_text;
    let mut diags = memo.summary_diags.clone();
    let mut chapters = Vec::with_capacity(memo.chapters.len());
    let mut output_names: HashMap<&str, usize> = HashMap::new();
    for result in &memo.chapters {
        diags.extend(result.diagnostics.clone());
        let Some(chapter) = &result.chapter else {
            continue;
        };
        if let Some(&line) = output_names.get(chapter.output_rel.as_str()) {
            diags.push(
                Diagnostic::error(
                    &summary_path,
                    format!(
                        "`{}` is listed twice (first on line {line}); a chapter can appear once",
                        chapter.source_rel
                    ),
                )
                .at_indexed(
                    summary_text,
                    &memo.summary_lines,
                    memo.summary_lines.offset_of_line(result.summary_line),
                ),
            );
            continue;
        }
        output_names.insert(&chapter.output_rel, result.summary_line);
        chapters.push(chapter.clone());
    }

    for orphan in &memo.derived.orphans {
        diags.push(Diagnostic::warning(
            orphan,
            "this file is not listed in SUMMARY.md, so it is not part of the book",
        ));
    }

    for unknown in &memo.files.unknown_yaml {
        diags.push(Diagnostic::warning(
            unknown,
            "YAML file ignored: data files are topics.yaml, compare.yaml, or files in questions/, checklists/, worksheets/ or data/",
        ));
    }
    diags.extend(memo.data_diags.clone());

    if diags.has_errors() {
        return Err(diags);
    }
    let book = Book {
        summary: memo.summary.clone(),
        summary_digest: memo.summary_digest,
        chapter_outputs: memo.derived.outputs.clone(),
        chapters,
        data: memo.data.clone(),
        assets: memo.files.assets.clone(),
    };
    Ok((book, diags))
}
