//! Stage 3: [`Book`] → the files of the site. Where they go is the caller's [`Destination`]:
//! kept in memory (serve, watch), written into a staging directory as they render (build;
//! the staging directory replaces the site only when the build succeeds), or dropped
//! (check). Nothing here touches the output directory itself.
//!
//! Order: chapters a batch at a time ([`chapters`]: Markdown, where block directives pull in
//! questions and worksheets; the page through the theme; its [`print`] section; its search
//! documents), then every link and task id checked ([`checks`], through `crate::validate`),
//! then the front page, the [`tools`] pages, the search index, the navigation ([`nav`]) and
//! the copied files ([`assets`]). Every cache key is in [`keys`].

mod assets;
pub(crate) mod blocks;
pub(crate) mod cache;
mod chapters;
mod checklists;
mod checks;
mod data_script;
mod emit;
mod keys;
mod laps;
mod nav;
mod page;
mod print;
mod questions;
mod site_files;
mod tables;
mod tools;
mod views;
mod worksheets;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::config::Config;
use crate::diagnostics::Diagnostics;
use crate::markdown::RenderContext;
use crate::model::Book;
use crate::model::worksheets::Worksheet;
pub use crate::model::{Contents, OutputFile};
use crate::search::{IndexBuilder, SearchJob};
use crate::theme::Theme;
use blocks::DataBlocks;
use cache::{Cache, Slot};
pub use emit::Destination;
use emit::Emitted;
use keys::Keys;
use laps::Laps;
use page::PageRenderer;
use questions::{AudiencePage, QuestionViews};
use tools::{Interactive, ToolPages};
use views::BookView;

/// Settings of one build that do not come from book.toml.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Inject the live-reload client (serve mode).
    pub live_reload: bool,
    /// Leave the search index to the caller ([`Site::search`]) instead of building it.
    pub defer_search: bool,
}

pub struct Site {
    pub files: Vec<OutputFile>,
    pub page_count: usize,
    /// Bytes of the search index (0 when search is off or deferred).
    pub search_index_bytes: usize,
    /// The search index still to build, when [`BuildOptions::defer_search`] is set.
    pub search: Option<crate::search::SearchJob>,
    /// What the book's pages allow beyond the default policy, for `serve`'s header.
    pub allowances: crate::csp::Allowances,
}

/// What every stage of one render reads.
pub(crate) struct Render<'a> {
    book: &'a Book,
    config: &'a Config,
    theme: &'a Theme,
    keys: &'a Keys,
    /// Every chapter's cache slot and key, computed once.
    slots: Vec<Slot<'a>>,
    ctx: RenderContext<'a>,
    question_views: &'a QuestionViews<'a>,
    audience_pages: &'a [AudiencePage],
    sheets: &'a [&'a Worksheet],
    renderer: PageRenderer<'a>,
    parents: HashMap<String, Vec<crate::load::title::InlineTitle>>,
    /// Template problems found while pages render in parallel.
    reported: Mutex<Diagnostics>,
}

impl Render<'_> {
    fn report(&self, diags: Diagnostics) {
        if let Ok(mut all) = self.reported.lock() {
            all.extend(diags);
        }
    }

    fn take_reported(&self) -> Diagnostics {
        self.reported
            .lock()
            .map(|mut d| std::mem::take(&mut *d))
            .unwrap_or_default()
    }
}

pub fn site(
    book: &Book,
    config: &Config,
    theme: &Theme,
    options: &BuildOptions,
    cache: &mut impl Cache,
    destination: Destination<'_>,
) -> Result<(Site, Diagnostics), Diagnostics> {
    let mut laps = Laps::start();
    let keys = Keys::new(book, config, theme, options);
    cache.begin(book);
    // Markdown inside data files renders without block directives.
    let data_blocks = DataBlocks {
        data: &book.data,
        theme,
        ctx: RenderContext {
            chapter_outputs: &book.chapter_outputs,
            smart_punctuation: config.smart_punctuation,
            code: &config.code,
            blocks: None,
            math: config.site.math,
        },
    };
    let question_views = QuestionViews {
        data: &book.data,
        ctx: &data_blocks.ctx,
    };
    let audience_pages = cache.memo("audience pages", keys.global, || {
        questions::audience_pages(&question_views)
    });
    let sheets: Vec<_> = book.data.worksheets.iter().map(|s| &s.value).collect();
    let r = Render {
        book,
        config,
        theme,
        keys: &keys,
        slots: book
            .chapters
            .iter()
            .map(|c| (c.output_rel.as_str(), keys.chapter(c)))
            .collect(),
        ctx: RenderContext {
            chapter_outputs: &book.chapter_outputs,
            smart_punctuation: config.smart_punctuation,
            code: &config.code,
            blocks: Some(&data_blocks),
            math: config.site.math,
        },
        question_views: &question_views,
        audience_pages: &audience_pages,
        sheets: &sheets,
        renderer: PageRenderer {
            theme,
            config,
            book: BookView {
                has_questions: !audience_pages.is_empty(),
                has_worksheets: !sheets.is_empty(),
                site: views::SiteView::new(config, theme.favicon.as_deref()),
                ..BookView::new(config)
            },
            vocabulary: book.data.vocabulary(),
            live_reload: options.live_reload,
        },
        parents: chapters::parent_titles(&book.summary),
        reported: Mutex::default(),
    };
    laps.lap("keys");
    pages(&r, cache, destination, options, laps)
}

/// Every file of the site, stage by stage (see the module's comment for the order).
fn pages(
    r: &Render<'_>,
    cache: &mut impl Cache,
    destination: Destination<'_>,
    options: &BuildOptions,
    mut laps: Laps,
) -> Result<(Site, Diagnostics), Diagnostics> {
    let (book, config, keys) = (r.book, r.config, r.keys);
    let mut out = Emitted::new(destination);
    let mut frame_diags = Diagnostics::default();
    let print = print::Print::begin(r, &mut out, &mut frame_diags);
    let search_now = config.search_enabled && !options.defer_search;
    let mut index = search_now.then(IndexBuilder::default);
    let keep_sections = config.search_enabled && !search_now;
    let rendered = chapters::render_all(
        r,
        cache,
        &mut out,
        print.as_ref(),
        index.as_mut(),
        keep_sections,
    );
    if let Some(print) = print {
        print.end(&mut out);
    }
    laps.lap("chapters");
    let interactive = Interactive::of(book, &rendered.facts);
    let tools = ToolPages::of(r, &interactive);
    let mut diags = checks::links(r, &rendered.facts, &tools, cache);
    // Template problems are reported with the link problems, not lost behind them.
    diags.extend(frame_diags);
    diags.extend(r.take_reported());
    if diags.has_errors() {
        return Err(diags);
    }
    laps.lap("links");
    chapters::front_page(r, cache, &mut out);
    diags.extend(r.take_reported());
    let tools_key = keys.tools(&interactive);
    // Checklists that no chapter embeds.
    let embedded = &interactive.checklist_pages;
    diags.extend(crate::validate::data::unembedded_checklists(
        &book.data, embedded,
    ));
    let (files, d) = tools::pages(r, &interactive, tools, tools_key, cache);
    out.extend(files);
    diags.extend(d);
    laps.lap("tools");
    let (search_index_bytes, search) = search_index(
        r,
        index,
        rendered.sections,
        &interactive,
        &mut out,
        &mut diags,
    );
    laps.lap("search");
    let (files, d) = nav::files(r, tools, tools_key, cache);
    out.extend(files);
    diags.extend(d);
    assets::push(r, &mut out, &mut diags);
    // The book's pages, not the redirect pages.
    let page_count = out.paths().filter(|p| p.ends_with(".html")).count();
    // After the sitemap, which lists the book's pages, not the old paths.
    site_files::push(r, &mut out, &mut diags);
    diags.extend(checks::written(r, &mut out));
    if diags.has_errors() {
        return Err(diags);
    }
    laps.lap("nav+assets");
    laps.finish();
    let site = Site {
        files: out.files,
        page_count,
        search_index_bytes,
        search,
        allowances: config.csp_allowances(),
    };
    Ok((site, diags))
}

/// Finishes the search index built alongside the chapters, or hands the caller the job of
/// building it ([`BuildOptions::defer_search`]). Returns the index's size and the job.
fn search_index(
    r: &Render<'_>,
    index: Option<IndexBuilder>,
    sections: Option<Vec<Arc<Vec<crate::markdown::Section>>>>,
    interactive: &Interactive,
    out: &mut Emitted<'_>,
    diags: &mut Diagnostics,
) -> (usize, Option<SearchJob>) {
    let config = r.config;
    if let Some(mut index) = index {
        index.add_data(r.book, &interactive.checklist_pages);
        let bytes = index.finish(|f| out.push(f));
        let budget = config.search_budget_bytes;
        if let Some(warning) = crate::search::budget_warning(bytes, budget, &config.book_toml) {
            diags.push(warning);
        }
        return (bytes, None);
    }
    let job = sections.map(|sections| SearchJob {
        book: r.book.clone(),
        sections,
        checklist_pages: interactive.checklist_pages.clone(),
        budget_bytes: config.search_budget_bytes,
        book_toml: config.book_toml.clone(),
    });
    (0, job)
}
