//! The one link checker: every internal link of a chapter and of every Markdown field of the
//! data files, against the pages (with their ids) and files the site will have.

use std::collections::HashSet;

use crate::diagnostics::{Diagnostic, Diagnostics, suggestion_suffix};
use crate::markdown::links::{InternalLink, LinkTargets, PageLocation};
use crate::markdown::{RenderContext, inline};
use crate::model::{Book, Chapter, question_page, worksheet_page};

/// What a link may point at.
pub struct Targets<'a> {
    /// Every page's output path with the ids on it.
    pub pages: &'a LinkTargets<'a>,
    /// Files copied as they are (images, downloads), `/`-separated.
    pub files: &'a HashSet<String>,
}

/// The problems of a chapter's links, placed in the chapter's source.
pub fn chapter(chapter: &Chapter, links: &[InternalLink], targets: &Targets<'_>) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for link in links {
        if let Some(message) = problem(link, targets) {
            let error = |p| Diagnostic::error(p, message);
            diags.push(chapter.source_map.diagnostic(link.offset, error));
        }
    }
    diags
}

/// Why `link` is broken, if it is.
fn problem(link: &InternalLink, targets: &Targets<'_>) -> Option<String> {
    let written = &link.written;
    match targets.pages.get(link.target.as_str()) {
        Some(ids) => match &link.fragment {
            Some(f) if !f.is_empty() && !ids.iter().any(|id| id == f) => Some(format!(
                "broken link `{written}`: no heading or anchor `#{f}` in that page{}",
                suggestion_suffix(f, ids.iter().map(String::as_str))
            )),
            _ => None,
        },
        None if link.is_chapter => Some(format!(
            "broken link `{written}`: no chapter `{}` in SUMMARY.md",
            link.target.replace(".html", ".md")
        )),
        None if targets.files.contains(&link.target) => None,
        None => Some(format!(
            "broken link `{written}`: no file `{}` in the book{}",
            link.target,
            md_typo_hint(&link.target, targets)
        )),
    }
}

/// mdBook turns any path with `.md` in it into `.html`, dropping what follows (`x.mdr` links
/// to `x.html`), so a typo there works under mdBook. Name the chapter it reached.
fn md_typo_hint(target: &str, targets: &Targets<'_>) -> String {
    let Some((stem, _)) = target.rsplit_once(".md") else {
        return String::new();
    };
    let page = format!("{stem}.html");
    if targets.pages.get(page.as_str()).is_some() {
        format!(" (did you mean `{stem}.md`? mdBook reads `.md` followed by anything as `.md`)")
    } else {
        String::new()
    }
}

/// Links written inside data files (question texts, checklist items, worksheet intros) must
/// work too; problems point at the value in its YAML file. Each text's links resolve from the
/// data file, on the page that shows it.
pub fn data(book: &Book, targets: &Targets<'_>) -> Diagnostics {
    let mut links = DataLinks {
        ctx: RenderContext {
            chapter_outputs: &book.chapter_outputs,
            smart_punctuation: false,
            code: &crate::config::DEFAULT_CODE,
            blocks: None,
            math: false,
        },
        targets,
        diags: Diagnostics::default(),
    };
    bank_links(book, &mut links);
    checklist_links(book, &mut links);
    worksheet_links(book, &mut links);
    links.diags
}

struct DataLinks<'a> {
    ctx: RenderContext<'a>,
    targets: &'a Targets<'a>,
    diags: Diagnostics,
}

impl DataLinks<'_> {
    /// Checks `texts` (each with its byte offset in the data file at `source_rel`) as shown
    /// on `page`; `error` makes a diagnostic at an offset of that file.
    fn check(
        &mut self,
        source_rel: &str,
        page: String,
        texts: Vec<(&str, usize)>,
        error: &dyn Fn(String, usize) -> Diagnostic,
    ) {
        let location = PageLocation::Page(page);
        for (t, at) in texts {
            for link in inline::render(t, source_rel, &self.ctx, &location).1 {
                if let Some(message) = problem(&link, self.targets) {
                    self.diags.push(error(message, at));
                }
            }
        }
    }
}

fn bank_links(book: &Book, links: &mut DataLinks<'_>) {
    for bank in &book.data.banks {
        let (b, root) = (&bank.value, &bank.spans);
        let source = format!("questions/{}.yaml", b.id);
        let error = |m: String, at: usize| bank.error_at(m, at);
        let description = (b.description.as_str(), root.value_start("description"));
        links.check(
            &source,
            question_page(b.audience.slug()),
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
            links.check(&source, question_page(b.audience.slug()), texts, &error);
        }
    }
}

fn checklist_links(book: &Book, links: &mut DataLinks<'_>) {
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
        links.check(&source, "index.html".to_owned(), texts, &error);
    }
}

fn worksheet_links(book: &Book, links: &mut DataLinks<'_>) {
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
        links.check(&source, worksheet_page(&w.id), texts, &error);
    }
}
