//! The generated tool pages: the question bank (an index and a page per audience), the
//! reader's own sheet, worksheets, the comparison page, the reader's saved data, and the
//! manifest of ids and text hashes their scripts read (`guide-data.js`).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::cache::Cache;
use super::{Render, data_script, questions, worksheets};
use crate::diagnostics::Diagnostics;
use crate::markdown::ChapterFacts;
use crate::markdown::links::PageLocation;
use crate::model::checklists::Scope;
use crate::model::compare::Compare;
use crate::model::{Book, Contents, OutputFile, worksheet_page};

/// Scripts some pages need beyond the shared ones.
const MY_SHEET_JS: &[&str] = &["guide-data.js", "assets/js/my-sheet.js"];
const COMPARE_JS: &[&str] = &["guide-data.js", "assets/js/compare.js"];
const SAVED_JS: &[&str] = &["guide-data.js", "assets/js/saved.js"];

/// What interactive state the book offers readers, from what its chapters rendered.
pub(super) struct Interactive {
    /// Task-list items with ids: (id, plain text).
    pub tasks: Vec<(String, String)>,
    /// Checklist id → output path of the first page embedding it.
    pub checklist_pages: HashMap<String, String>,
    /// Whether the comparison page is built (per-program checklists or compare.yaml).
    pub compare: bool,
}

impl Interactive {
    pub(super) fn of(book: &Book, rendered: &[Arc<ChapterFacts>]) -> Interactive {
        let tasks = rendered
            .iter()
            .flat_map(|r| r.tasks.iter().map(|t| (t.id.clone(), t.text.clone())))
            .collect();
        let per_program = book
            .data
            .checklists
            .iter()
            .any(|c| c.value.scope == Scope::PerProgram);
        Interactive {
            tasks,
            checklist_pages: checklist_pages(book, rendered),
            compare: per_program || book.data.compare.is_some(),
        }
    }
}

/// Checklist id → the first page that embeds it. Only chapters that embed data can hold a
/// checklist; what the directives rendered counts, not element ids (a heading may share a
/// slug).
fn checklist_pages(book: &Book, rendered: &[Arc<ChapterFacts>]) -> HashMap<String, String> {
    let ids: HashSet<&str> = book
        .data
        .checklists
        .iter()
        .map(|c| c.value.id.as_str())
        .collect();
    let mut pages = HashMap::new();
    if ids.is_empty() {
        return pages;
    }
    let embedding = book
        .chapters
        .iter()
        .zip(rendered)
        .filter(|(c, _)| c.uses_data);
    for (c, r) in embedding {
        for id in r.checklists.iter().filter(|id| ids.contains(id.as_str())) {
            pages
                .entry(id.clone())
                .or_insert_with(|| c.output_rel.clone());
        }
    }
    pages
}

/// Which tool pages the site has: the one answer that the pages, the navigation and the link
/// check all read.
#[derive(Clone, Copy)]
pub(super) struct ToolPages {
    pub questions: bool,
    pub worksheets: bool,
    pub compare: bool,
    pub saved: bool,
}

impl ToolPages {
    pub(super) fn of(r: &Render<'_>, interactive: &Interactive) -> ToolPages {
        let questions = !r.audience_pages.is_empty();
        ToolPages {
            questions,
            worksheets: !r.sheets.is_empty(),
            compare: interactive.compare,
            saved: questions
                || interactive.compare
                || !interactive.tasks.is_empty()
                || !interactive.checklist_pages.is_empty(),
        }
    }

    /// The output paths of the generated pages a link may point at (the audience pages,
    /// whose anchors come from the data, are listed by the caller).
    pub(super) fn link_targets(&self, r: &Render<'_>) -> Vec<String> {
        let mut pages: Vec<String> = r.sheets.iter().map(|s| worksheet_page(&s.id)).collect();
        if self.questions {
            pages.extend(["questions/index.html".into(), "my-sheet.html".into()]);
        }
        if self.worksheets {
            pages.push("worksheets/index.html".into());
        }
        if self.compare {
            pages.push("compare.html".into());
        }
        if self.saved {
            pages.push("saved.html".into());
        }
        pages
    }
}

/// The tool pages, made again only when `key` ([`super::keys::Keys::tools`]) changes.
pub(super) fn pages(
    r: &Render<'_>,
    interactive: &Interactive,
    tools: ToolPages,
    key: u64,
    cache: &mut impl Cache,
) -> (Vec<OutputFile>, Diagnostics) {
    cache.group("tools", key, || {
        let mut files = Vec::new();
        let mut diags = Diagnostics::default();
        if tools.questions {
            question_pages(r, &mut files, &mut diags);
        }
        if tools.saved {
            let checklist_pages = &interactive.checklist_pages;
            files.push(data_script::guide_data(
                r.book,
                &interactive.tasks,
                checklist_pages,
            ));
            files.push(page(r, "saved.html", ("saved", &()), SAVED_JS, &mut diags));
        }
        if tools.compare {
            let view = compare_view(r.book);
            files.push(page(
                r,
                "compare.html",
                ("compare", &view),
                COMPARE_JS,
                &mut diags,
            ));
        }
        if tools.worksheets {
            worksheet_pages(r, &mut files, &mut diags);
        }
        files.push(OutputFile {
            path: "assets/css/paper.css".into(),
            contents: Contents::Bytes(
                worksheets::paper_css(r.config, r.sheets, &r.book.data.vocabulary().tools.my_sheet)
                    .into_bytes(),
            ),
        });
        (files, diags)
    })
}

/// A tool page whose template is named like its output path.
fn page<T: serde::Serialize + ?Sized>(
    r: &Render<'_>,
    path: &str,
    value: (&'static str, &T),
    extra_js: &[&str],
    diags: &mut Diagnostics,
) -> OutputFile {
    r.renderer.page(path, path, value, extra_js, diags)
}

/// The question bank's index, a page per audience, and the reader's own sheet.
fn question_pages(r: &Render<'_>, files: &mut Vec<OutputFile>, diags: &mut Diagnostics) {
    let links = questions::audience_links(r.audience_pages);
    let index = ("audiences", &links);
    files.push(r.renderer.page(
        "questions-index.html",
        "questions/index.html",
        index,
        &[],
        diags,
    ));
    for p in r.audience_pages.iter() {
        let path = questions::canonical_page_for(&p.audience);
        files.push(
            r.renderer
                .page("questions.html", &path, ("bank_page", p), &[], diags),
        );
    }
    files.push(page(r, "my-sheet.html", ("sheet", &()), MY_SHEET_JS, diags));
}

/// The worksheets' index and a page per worksheet.
fn worksheet_pages(r: &Render<'_>, files: &mut Vec<OutputFile>, diags: &mut Diagnostics) {
    let views: Vec<_> = r
        .sheets
        .iter()
        .map(|s| {
            let location = PageLocation::Page(worksheet_page(&s.id));
            worksheets::view(s, r.question_views, &location)
        })
        .collect();
    let index = ("sheets", &views);
    files.push(r.renderer.page(
        "worksheets-index.html",
        "worksheets/index.html",
        index,
        &[],
        diags,
    ));
    for v in &views {
        let path = worksheet_page(&v.id);
        files.push(
            r.renderer
                .page("worksheet.html", &path, ("sheet", v), &[], diags),
        );
    }
}

/// The comparison page's static frame; the reader's programs are filled in by its script.
#[derive(serde::Serialize)]
struct CompareView<'a> {
    intro: String,
    checklists: Vec<(&'a str, &'a str)>,
    compare: Option<&'a Compare>,
}

fn compare_view(book: &Book) -> CompareView<'_> {
    let compare = book.data.compare.as_ref().map(|c| &c.value);
    CompareView {
        intro: compare.map(|c| c.intro.clone()).unwrap_or_default(),
        checklists: book
            .data
            .checklists
            .iter()
            .map(|c| &c.value)
            .filter(|c| c.scope == Scope::PerProgram)
            .map(|c| (c.id.as_str(), c.title.as_str()))
            .collect(),
        compare,
    }
}
