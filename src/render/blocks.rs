//! Block directives in chapters, rendered from the book's data through the theme's partials.

use tera::Context;

use super::questions::{QuestionViews, selection_from};
use super::worksheets;
use crate::markdown::directives::Directive;
use crate::markdown::links::{PageLocation, relative_to};
use crate::markdown::{BlockError, BlockPlace, BlockRenderer, RenderContext, RenderedBlock};
use crate::model::DataSet;
use crate::theme::Theme;

pub struct DataBlocks<'a> {
    pub data: &'a DataSet,
    pub theme: &'a Theme,
    /// Context for Markdown inside data (no nested directives).
    pub ctx: RenderContext<'a>,
}

impl DataBlocks<'_> {
    fn render(&self, template: &str, context: &Context) -> Result<String, BlockError> {
        self.theme
            .render(template, context, template)
            .map_err(|e| BlockError {
                message: crate::theme::template_diagnostic(&e, self.theme.override_dir.as_deref())
                    .message,
                offset: 0,
            })
    }

    fn questions(
        &self,
        d: &Directive,
        place: &BlockPlace<'_>,
    ) -> Result<RenderedBlock, BlockError> {
        let selection = selection_from(d)?;
        let picked = self.data.select(&selection).map_err(|e| BlockError {
            offset: e
                .token
                .as_deref()
                .and_then(|t| {
                    d.args
                        .iter()
                        .find(|a| a.value.split(',').any(|v| v.trim() == t))
                })
                .map_or(0, |a| a.offset),
            message: e.message,
        })?;
        let views = QuestionViews {
            data: self.data,
            ctx: &self.ctx,
        };
        let questions: Vec<_> = picked
            .into_iter()
            .map(|(bank, q)| views.view(bank, q, place.location, place.id_prefix))
            .collect();
        let ids = questions.iter().map(|q| q.anchor.clone()).collect();
        let mut context = Context::new();
        context.insert("questions", &questions);
        context.insert("heading_level", &place.heading_level);
        context.insert(
            "expanded",
            &d.get("expanded").is_some_and(|a| a.value != "false"),
        );
        context.insert("title", &d.get("title").map(|a| a.value.as_str()));
        Ok(RenderedBlock {
            html: self.render("partials/question-list.html", &context)?,
            ids,
        })
    }

    fn worksheet(
        &self,
        d: &Directive,
        place: &BlockPlace<'_>,
    ) -> Result<RenderedBlock, BlockError> {
        let sheet = lookup(
            d,
            "worksheet",
            "sheet-id",
            self.data
                .worksheets
                .iter()
                .map(|s| (s.value.id.as_str(), &s.value)),
        )?;
        let views = QuestionViews {
            data: self.data,
            ctx: &self.ctx,
        };
        let view = worksheets::view(sheet, &views, place.location);
        let page = match place.location {
            PageLocation::Page(p) => p.as_str(),
            PageLocation::Print => "print.html",
        };
        let mut context = Context::new();
        context.insert("sheet", &view);
        context.insert(
            "href",
            &relative_to(page, &worksheets::page_path(&sheet.id)),
        );
        Ok(RenderedBlock {
            html: self.render("partials/worksheet-card.html", &context)?,
            ids: Vec::new(),
        })
    }
}

impl DataBlocks<'_> {
    fn checklist(
        &self,
        d: &Directive,
        place: &BlockPlace<'_>,
    ) -> Result<RenderedBlock, BlockError> {
        let list = lookup(
            d,
            "checklist",
            "malignancy-risk",
            self.data
                .checklists
                .iter()
                .map(|c| (c.value.id.as_str(), &c.value)),
        )?;
        let view = super::checklists::view(list, &self.ctx, place.location, place.id_prefix);
        let mut ids = vec![view.anchor.clone()];
        ids.extend(
            view.groups
                .iter()
                .flat_map(|g| g.items.iter().map(|i| i.input_id.clone())),
        );
        let mut context = Context::new();
        context.insert("checklist", &view);
        context.insert("heading_level", &place.heading_level);
        context.insert("compare_href", &compare_href(place.location));
        Ok(RenderedBlock {
            html: self.render("partials/checklist.html", &context)?,
            ids,
        })
    }
}

/// The item a `{{#kind id}}` directive names, or an error at the id with a suggestion.
fn lookup<'a, T>(
    d: &Directive,
    kind: &str,
    example: &str,
    items: impl Iterator<Item = (&'a str, &'a T)> + Clone,
) -> Result<&'a T, BlockError> {
    let Some(arg) = d.positional() else {
        return Err(BlockError {
            message: format!("`{{{{#{kind}}}}}` needs an id, e.g. `{{{{#{kind} {example}}}}}`"),
            offset: 0,
        });
    };
    match items.clone().find(|(id, _)| *id == arg.value) {
        Some((_, item)) => Ok(item),
        None => Err(BlockError {
            message: format!(
                "unknown {kind} \"{}\"{}",
                arg.value,
                crate::diagnostics::suggestion_suffix(&arg.value, items.map(|(id, _)| id))
            ),
            offset: arg.offset,
        }),
    }
}

/// Link from the page to the comparison page.
fn compare_href(location: &PageLocation) -> String {
    match location {
        PageLocation::Page(p) => relative_to(p, "compare.html"),
        PageLocation::Print => "compare.html".to_owned(),
    }
}

impl BlockRenderer for DataBlocks<'_> {
    fn render_block(
        &self,
        d: &Directive,
        place: &BlockPlace<'_>,
    ) -> Result<RenderedBlock, BlockError> {
        match d.name.as_str() {
            "questions" => self.questions(d, place),
            "worksheet" => self.worksheet(d, place),
            "checklist" => self.checklist(d, place),
            "table" | "chart" => {
                let table = lookup(
                    d,
                    &d.name,
                    "case-volume-targets",
                    self.data
                        .tables
                        .iter()
                        .map(|t| (t.value.id.as_str(), &t.value)),
                )?;
                let anchor = format!("{}{}-{}", place.id_prefix, table.id, d.name);
                let html = if d.name == "table" {
                    super::tables::table_html(table, &anchor)
                } else {
                    super::tables::chart_svg(table, &anchor)
                };
                Ok(RenderedBlock {
                    html,
                    ids: vec![anchor],
                })
            }
            other => Err(BlockError {
                message: format!("`{{{{#{other}}}}}` is not supported yet"),
                offset: 0,
            }),
        }
    }
}
