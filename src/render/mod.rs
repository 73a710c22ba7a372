//! Stage 3: [`Book`] → the files of the site. Where they go is the caller's [`Destination`]:
//! kept in memory (serve, watch), written into a staging directory as they render (build;
//! the staging directory replaces the site only when the build succeeds), or dropped
//! (check). Nothing here touches the output directory itself.
//!
//! Order: chapters a batch at a time (Markdown, where block directives pull in questions and
//! worksheets; the page through the theme; its print.html section; its search documents),
//! then every internal link checked against the pages that exist, then the front page, the
//! question bank, worksheets, the reader's own sheet, contents, 404, the search index and
//! the shared scripts and styles.

pub mod blocks;
pub mod cache;
pub mod chapters;
pub mod checklists;
pub mod data_script;
pub mod emit;
pub mod nav;
pub mod page;
pub mod questions;
pub mod tables;
pub mod views;
pub mod worksheets;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::links::{LinkTargets, PageLocation};
use crate::markdown::{self, RenderContext, RenderedChapter};
use crate::model::Book;
use crate::theme::Theme;
use blocks::DataBlocks;
use cache::{Keys, RenderCache};
pub use emit::Destination;
use emit::Emitted;
use page::PageRenderer;
use questions::QuestionViews;
use std::sync::Arc;
use views::{BookView, PrintChapterView};

/// Times the stages of a render, for `GUIDEBOOK_LOG=debug`.
struct Laps {
    last: std::time::Instant,
    report: String,
}

impl Laps {
    fn start() -> Laps {
        Laps {
            last: std::time::Instant::now(),
            report: String::new(),
        }
    }

    fn lap(&mut self, stage: &str) {
        let now = std::time::Instant::now();
        let ms = (now - self.last).as_secs_f64() * 1000.0;
        self.report.push_str(&format!("{stage} {ms:.1} ms"));
        if let Some(peak) = peak_memory_mib() {
            self.report.push_str(&format!(" (peak {peak} MiB)"));
        }
        self.report.push_str(", ");
        self.last = now;
    }
}

/// The process's peak resident memory so far, where the system reports it (Linux).
pub fn peak_memory_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

/// Settings of one build that do not come from book.toml.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Inject the live-reload client (serve mode).
    pub live_reload: bool,
    /// Leave the search index to the caller ([`Site::search`]) instead of building it.
    pub defer_search: bool,
}

/// One file of the built site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Relative to the output root, `/`-separated.
    pub path: String,
    pub contents: Contents,
}

#[derive(Debug, Clone)]
pub enum Contents {
    Bytes(Vec<u8>),
    /// A page kept in the render cache between builds.
    Shared(std::sync::Arc<Vec<u8>>),
    /// Copy this file as it is (content assets such as images).
    Copy(PathBuf),
    /// A page made of parts kept in the render cache (print.html: one part per chapter), so
    /// a rebuild need not copy them into one buffer.
    Joined(Vec<Arc<String>>),
}

impl Contents {
    /// The file's bytes (read from disk for copied assets).
    pub fn bytes(&self) -> std::io::Result<std::borrow::Cow<'_, [u8]>> {
        match self {
            Contents::Bytes(b) => Ok(std::borrow::Cow::Borrowed(b)),
            Contents::Shared(b) => Ok(std::borrow::Cow::Borrowed(b.as_slice())),
            Contents::Copy(path) => std::fs::read(path).map(std::borrow::Cow::Owned),
            Contents::Joined(parts) => Ok(std::borrow::Cow::Owned(
                parts.iter().flat_map(|p| p.as_bytes()).copied().collect(),
            )),
        }
    }
}

pub struct Site {
    pub files: Vec<OutputFile>,
    pub page_count: usize,
    /// Bytes of the search index (0 when search is off or deferred).
    pub search_index_bytes: usize,
    /// The search index still to build, when [`BuildOptions::defer_search`] is set.
    pub search: Option<crate::search::SearchJob>,
}

/// Scripts some pages need beyond the shared ones.
const MY_SHEET_JS: &[&str] = &["guide-data.js", "assets/js/my-sheet.js"];
const COMPARE_JS: &[&str] = &["guide-data.js", "assets/js/compare.js"];
const SAVED_JS: &[&str] = &["guide-data.js", "assets/js/saved.js"];

/// What interactive state the book offers readers.
struct Interactive {
    /// Task-list items with ids: (id, plain text).
    tasks: Vec<(String, String)>,
    /// Checklist id → output path of the first page embedding it.
    checklist_pages: HashMap<String, String>,
    /// Whether the comparison page is built (per-program checklists or compare.yaml).
    compare: bool,
}

impl Interactive {
    fn of(book: &Book, rendered: &[Arc<RenderedChapter>]) -> Interactive {
        let tasks = rendered
            .iter()
            .flat_map(|r| r.tasks.iter().map(|t| (t.id.clone(), t.text.clone())))
            .collect();
        // One pass over the chapters that embed data (only they can hold a checklist).
        let checklist_ids: HashSet<&str> = book
            .data
            .checklists
            .iter()
            .map(|c| c.value.id.as_str())
            .collect();
        let mut checklist_pages = HashMap::new();
        if !checklist_ids.is_empty() {
            for (c, r) in book
                .chapters
                .iter()
                .zip(rendered)
                .filter(|(c, _)| c.uses_data)
            {
                // What the directives rendered, not element ids: a heading may share a slug.
                for id in r
                    .checklists
                    .iter()
                    .filter(|id| checklist_ids.contains(id.as_str()))
                {
                    checklist_pages
                        .entry(id.clone())
                        .or_insert_with(|| c.output_rel.clone());
                }
            }
        }
        let per_program = book
            .data
            .checklists
            .iter()
            .any(|c| c.value.scope == crate::data::checklists::Scope::PerProgram);
        Interactive {
            tasks,
            checklist_pages,
            compare: per_program || book.data.compare.is_some(),
        }
    }

    fn any(&self, has_questions: bool) -> bool {
        has_questions || self.compare || !self.tasks.is_empty() || !self.checklist_pages.is_empty()
    }
}

/// The comparison page's static frame; the reader's programs are filled in by its script.
#[derive(serde::Serialize)]
struct CompareView<'a> {
    intro: String,
    checklists: Vec<(&'a str, &'a str)>,
    compare: Option<&'a crate::data::compare::Compare>,
}

fn compare_view(book: &Book) -> CompareView<'_> {
    CompareView {
        intro: book
            .data
            .compare
            .as_ref()
            .map(|c| c.value.intro.clone())
            .unwrap_or_default(),
        checklists: book
            .data
            .checklists
            .iter()
            .map(|c| &c.value)
            .filter(|c| c.scope == crate::data::checklists::Scope::PerProgram)
            .map(|c| (c.id.as_str(), c.title.as_str()))
            .collect(),
        compare: book.data.compare.as_ref().map(|c| &c.value),
    }
}

pub fn site(
    book: &Book,
    config: &Config,
    theme: &Theme,
    options: &BuildOptions,
    cache: &mut RenderCache,
    destination: Destination<'_>,
) -> Result<(Site, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut out = Emitted::new(destination);
    let mut laps = Laps::start();
    let keys = Keys::new(book, config, theme, options);
    cache.begin(book);
    let chapter_outputs = &*book.chapter_outputs;
    let data_ctx = RenderContext {
        chapter_outputs,
        smart_punctuation: config.smart_punctuation,
        blocks: None,
    };
    let data_blocks = DataBlocks {
        data: &book.data,
        theme,
        ctx: RenderContext {
            blocks: None,
            ..data_ctx
        },
    };
    let ctx = RenderContext {
        chapter_outputs,
        smart_punctuation: config.smart_punctuation,
        blocks: Some(&data_blocks),
    };
    let question_views = QuestionViews {
        data: &book.data,
        ctx: &data_blocks.ctx,
    };

    // Every chapter's cache key, computed once.
    let slots: Vec<cache::Slot<'_>> = book
        .chapters
        .iter()
        .map(|c| (c.output_rel.as_str(), keys.chapter(c)))
        .collect();
    laps.lap("keys");
    let audience_pages = cache.memo("audience pages", keys.global, || {
        questions::audience_pages(&question_views)
    });
    let sheets: Vec<_> = book.data.worksheets.iter().map(|s| &s.value).collect();
    let renderer = PageRenderer {
        theme,
        config,
        book: BookView {
            has_questions: !audience_pages.is_empty(),
            has_worksheets: !sheets.is_empty(),
            ..BookView::new(config)
        },
        live_reload: options.live_reload,
    };
    let parents = chapters::parent_titles(&book.summary);
    // Template errors found while rendering pages in parallel, and those of print.html's frame.
    let page_diags = std::sync::Mutex::new(Diagnostics::default());
    let mut frame_diags = Diagnostics::default();
    let render_page = |view: &views::ChapterView<'_>, path: &str| {
        let mut d = Diagnostics::default();
        let bytes = renderer.page_bytes("chapter.html", path, ("page", view), &[], &mut d);
        if let Ok(mut all) = page_diags.lock() {
            all.extend(d);
        }
        bytes
    };
    let print_section = |c: &crate::model::Chapter| {
        let r = markdown::render(c, &ctx, &PageLocation::Print);
        let view = PrintChapterView {
            id: markdown::print_section_id(&c.output_rel),
            title: &c.title,
            number: c.number.as_deref(),
            has_own_title: r.has_own_title,
            content: r.html,
        };
        let mut d = Diagnostics::default();
        let html = renderer.fragment("partials/print-chapter.html", ("chapter", &view), &mut d);
        if let Ok(mut all) = page_diags.lock() {
            all.extend(d);
        }
        html
    };
    // print.html is rendered around a marker, which the chapters' sections then replace. A
    // theme's print.html that leaves the chapters out is written as it rendered. While the
    // sections are being joined, `print_tail` holds what follows them.
    const MARKER: &str = "\u{0}guidebook:print-chapters\u{0}";
    let print_tail = config
        .print_enabled
        .then(|| {
            let frame = renderer.page(
                "print.html",
                "print.html",
                ("chapters_html", MARKER),
                &[],
                &mut frame_diags,
            );
            let split = match &frame.contents {
                Contents::Bytes(bytes) => std::str::from_utf8(bytes)
                    .ok()
                    .and_then(|html| html.split_once(MARKER))
                    .map(|(head, tail)| (head.to_owned(), tail.to_owned())),
                _ => None,
            };
            match split {
                Some((head, tail)) => {
                    out.begin_joined(&frame.path, Arc::new(head));
                    Some(Arc::new(tail))
                }
                None => {
                    out.push(frame);
                    None
                }
            }
        })
        .flatten();
    let search_now = config.search_enabled && !options.defer_search;
    let mut search_index = search_now.then(crate::search::IndexBuilder::default);

    // Chapters a batch at a time: Markdown, page, print section and search documents. Once a
    // batch is out, a one-off build keeps only what the link check and the search index
    // need, so a large guide never holds all its pages at once.
    const BATCH: usize = 512;
    let mut rendered: Vec<Arc<RenderedChapter>> = Vec::with_capacity(book.chapters.len());
    for start in (0..book.chapters.len()).step_by(BATCH) {
        let end = (start + BATCH).min(book.chapters.len());
        let batch_slots = &slots[start..end];
        let batch = cache.rendered(batch_slots, |j| {
            let c = &book.chapters[start + j];
            markdown::render(c, &ctx, &PageLocation::Page(c.output_rel.clone()))
        });
        let pages = cache.pages(batch_slots, |j| {
            let i = start + j;
            let chapter = &book.chapters[i];
            let view =
                chapters::chapter_view(book, i, chapter, &batch[j], &chapter.output_rel, &parents);
            render_page(&view, &chapter.output_rel)
        });
        out.push_all(
            book.chapters[start..end]
                .iter()
                .zip(pages)
                .filter_map(|(chapter, page)| {
                    Some(OutputFile {
                        path: chapter.output_rel.clone(),
                        contents: Contents::Shared(page?),
                    })
                })
                .collect(),
        );
        if print_tail.is_some() {
            let sections = cache.print(batch_slots, |j| print_section(&book.chapters[start + j]));
            out.extend_joined(sections.into_iter().flatten());
        }
        if let Some(index) = &mut search_index {
            index.add_chapters(&book.chapters[start..end], &batch);
        }
        rendered.extend(cache.settle(batch_slots, batch, search_now));
    }
    if let Some(tail) = print_tail {
        out.end_joined(tail);
    }
    laps.lap("chapters");

    let interactive = Interactive::of(book, &rendered);
    check_all_links(
        LinkCheck {
            book,
            rendered: &rendered,
            audience_pages: &audience_pages,
            sheets: &sheets,
            interactive: &interactive,
            global: keys.global,
            slots: &slots,
        },
        cache,
        &mut diags,
    );
    // Template problems are reported with the link problems, not lost behind them.
    diags.extend(frame_diags);
    if let Ok(mut d) = page_diags.lock() {
        diags.extend(std::mem::take(&mut *d));
    }
    if diags.has_errors() {
        return Err(diags);
    }
    laps.lap("links");
    // The first chapter doubles as the front page unless a chapter already is `index.html`.
    if let Some(first) = book.chapters.first()
        && !chapter_outputs.values().any(|o| o == "index.html")
    {
        let slot = format!("index:{}", first.output_rel);
        let index_slots = [(slot.as_str(), slots[0].1)];
        let r = cache.rendered(&index_slots, |_| {
            markdown::render(first, &ctx, &PageLocation::Page("index.html".into()))
        });
        let page = cache.pages(&index_slots, |_| {
            let view = chapters::chapter_view(book, 0, first, &r[0], "index.html", &parents);
            render_page(&view, "index.html")
        });
        if let Some(Some(page)) = page.into_iter().next() {
            out.push(OutputFile {
                path: "index.html".into(),
                contents: Contents::Shared(page),
            });
        }
    }
    if let Ok(mut d) = page_diags.lock() {
        diags.extend(std::mem::take(&mut *d));
    }
    // Tool pages and navigation depend only on book-wide inputs: a chapter edit that keeps
    // titles, task items and embedded checklists reuses them.
    let has_questions = !audience_pages.is_empty();
    let tools_key = {
        let mut embedded: Vec<_> = interactive.checklist_pages.iter().collect();
        embedded.sort_unstable();
        crate::model::digest(&(keys.global, &interactive.tasks, embedded))
    };
    let (tools, tool_diags) = cache.group("tools", tools_key, || {
        let mut tool_files = Vec::new();
        let mut tool_diags = Diagnostics::default();
        // The question bank: an index and a page per audience.
        if has_questions {
            let links = questions::audience_links(&audience_pages);
            tool_files.push(renderer.page(
                "questions-index.html",
                "questions/index.html",
                ("audiences", &links),
                &[],
                &mut tool_diags,
            ));
            for p in audience_pages.iter() {
                let path = questions::canonical_page_for(p.audience);
                tool_files.push(renderer.page("questions.html", &path, ("bank_page", p), &[], &mut tool_diags));
            }
            tool_files.push(renderer.page(
                "my-sheet.html",
                "my-sheet.html",
                ("sheet", &()),
                MY_SHEET_JS,
                &mut tool_diags,
            ));
        }
        // Interactive features: the comparison page, the reader's saved data, and the manifest
        // of ids and text hashes their scripts read.
        for list in &book.data.checklists {
            if !interactive.checklist_pages.contains_key(&list.value.id) {
                tool_diags.push(Diagnostic::warning(
                    &list.path,
                    format!(
                        "checklist \"{0}\" is not embedded in any chapter, so readers cannot reach it; add `{{{{#checklist {0}}}}}` to a chapter",
                        list.value.id
                    ),
                ));
            }
        }
        if interactive.any(has_questions) {
            tool_files.push(data_script::guide_data(
                book,
                &interactive.tasks,
                &interactive.checklist_pages,
            ));
            tool_files.push(renderer.page(
                "saved.html",
                "saved.html",
                ("saved", &()),
                SAVED_JS,
                &mut tool_diags,
            ));
        }
        if interactive.compare {
            let view = compare_view(book);
            tool_files.push(renderer.page(
                "compare.html",
                "compare.html",
                ("compare", &view),
                COMPARE_JS,
                &mut tool_diags,
            ));
        }
        if !sheets.is_empty() {
            let views: Vec<_> = sheets
                .iter()
                .map(|s| {
                    worksheets::view(
                        s,
                        &question_views,
                        &PageLocation::Page(worksheets::page_path(&s.id)),
                    )
                })
                .collect();
            tool_files.push(renderer.page(
                "worksheets-index.html",
                "worksheets/index.html",
                ("sheets", &views),
                &[],
                &mut tool_diags,
            ));
            for v in &views {
                tool_files.push(renderer.page(
                    "worksheet.html",
                    &worksheets::page_path(&v.id),
                    ("sheet", v),
                    &[],
                    &mut tool_diags,
                ));
            }
        }
        tool_files.push(OutputFile {
            path: "assets/css/paper.css".into(),
            contents: Contents::Bytes(worksheets::paper_css(config, &sheets).into_bytes()),
        });
        (tool_files, tool_diags)
    });
    out.extend(tools);
    diags.extend(tool_diags);
    laps.lap("tools");
    let mut search_index_bytes = 0;
    let mut search = None;
    if let Some(mut index) = search_index {
        index.add_data(book, &interactive.checklist_pages);
        search_index_bytes = index.finish(|f| out.push(f));
        if let Some(warning) = crate::search::budget_warning(
            search_index_bytes,
            config.search_budget_bytes,
            &config.book_toml,
        ) {
            diags.push(warning);
        }
    } else if config.search_enabled {
        search = Some(crate::search::SearchJob {
            book: book.clone(),
            rendered: rendered.clone(),
            checklist_pages: interactive.checklist_pages.clone(),
            budget_bytes: config.search_budget_bytes,
            book_toml: config.book_toml.clone(),
        });
    }
    laps.lap("search");
    // Navigation: the same book-wide inputs (`tools_key` covers which tool pages exist).
    let (nav_files, nav_diags) = cache.group("navigation", tools_key, || {
        let mut nav_files = Vec::new();
        let mut nav_diags = Diagnostics::default();
        let generated = nav::Generated {
            audiences: &audience_pages,
            worksheets: !sheets.is_empty(),
            compare: interactive.compare,
            saved: interactive.any(has_questions),
        };
        let toc = nav::with_generated(nav::tree(&book.summary), &generated);
        nav_files.push(renderer.page(
            "contents.html",
            "contents.html",
            ("toc_html", &nav::contents_html(&toc)),
            &[],
            &mut nav_diags,
        ));
        nav_files.push(renderer.page(
            "404.html",
            "404.html",
            ("site_url", &config.site_url),
            &[],
            &mut nav_diags,
        ));
        nav_files.push(OutputFile {
            path: "toc.js".into(),
            contents: Contents::Bytes(nav::toc_script(&toc).into_bytes()),
        });
        (nav_files, nav_diags)
    });
    out.extend(nav_files);
    diags.extend(nav_diags);
    // Not cached: a stylesheet edit changes assets without touching any page.
    for (rel, bytes) in &theme.assets {
        out.push(OutputFile {
            path: format!("assets/{rel}"),
            contents: Contents::Bytes(bytes.clone()),
        });
    }
    if let Some(url) = &config.site_url {
        let map = sitemap(url, out.paths());
        out.push(map);
    }
    for extra in config.additional_css.iter().chain(&config.additional_js) {
        let path = config.root.join(extra);
        if !path.is_file() {
            diags.push(Diagnostic::error(
                &config.book_toml,
                format!("additional file `{}` does not exist", extra.display()),
            ));
            continue;
        }
        out.push(OutputFile {
            path: extra.to_string_lossy().replace('\\', "/"),
            contents: Contents::Copy(path),
        });
    }
    for asset in &book.assets {
        out.push(OutputFile {
            path: asset.to_string_lossy().replace('\\', "/"),
            contents: Contents::Copy(config.src_dir.join(asset)),
        });
    }
    for path in std::mem::take(&mut out.collisions) {
        diags.push(collision(&path, book, config));
    }
    if let Some(e) = out.error.take() {
        diags.push(Diagnostic::error(&config.build_dir, format!("{e:#}")));
    }
    if diags.has_errors() {
        return Err(diags);
    }
    laps.lap("nav+assets");
    tracing::debug!("render stages: {}", laps.report);
    let page_count = out.paths().filter(|p| p.ends_with(".html")).count();
    Ok((
        Site {
            files: out.files,
            page_count,
            search_index_bytes,
            search,
        },
        diags,
    ))
}

/// Two files of the site made for one `path`: the error names what made each, so the author
/// knows which to rename.
fn collision(path: &str, book: &Book, config: &Config) -> Diagnostic {
    let shown = |p: &std::path::Path| {
        p.strip_prefix(&config.root)
            .unwrap_or(p)
            .display()
            .to_string()
    };
    let mut sources: Vec<(PathBuf, String)> = book
        .chapters
        .iter()
        .filter(|c| c.output_rel == path)
        .map(|c| {
            (
                c.source_path.clone(),
                format!("the chapter {}", shown(&c.source_path)),
            )
        })
        .collect();
    for asset in book.assets.iter().filter(|a| a.to_string_lossy() == path) {
        let file = config.src_dir.join(asset);
        sources.push((file.clone(), format!("the file {}", shown(&file))));
    }
    for extra in config.additional_css.iter().chain(&config.additional_js) {
        if crate::paths::site_relative(extra).as_deref() == Some(path) {
            sources.push((
                config.book_toml.clone(),
                format!("the additional file {}", extra.display()),
            ));
        }
    }
    if sources.len() < 2 {
        sources.push((
            config.book_toml.clone(),
            "a page guidebook makes itself".into(),
        ));
    }
    let names: Vec<&str> = sources.iter().map(|(_, what)| what.as_str()).collect();
    Diagnostic::error(
        &sources[0].0,
        format!(
            "two files of the site would be written to `{path}`: {}; rename one of them",
            names.join(" and ")
        ),
    )
}

/// Checks the links of chapters and of the Markdown inside data files against every page
/// and file the site will have.
/// What the link check reads.
struct LinkCheck<'a> {
    book: &'a Book,
    rendered: &'a [Arc<RenderedChapter>],
    audience_pages: &'a [questions::AudiencePage],
    sheets: &'a [&'a crate::data::worksheets::Worksheet],
    interactive: &'a Interactive,
    /// [`Keys::global`]: covers every page path, the data files and the settings.
    global: u64,
    slots: &'a [cache::Slot<'a>],
}

fn check_all_links(check: LinkCheck<'_>, cache: &mut RenderCache, diags: &mut Diagnostics) {
    let LinkCheck {
        book,
        rendered,
        audience_pages,
        sheets,
        interactive,
        global,
        slots,
    } = check;
    let mut generated: Vec<String> = sheets
        .iter()
        .map(|s| worksheets::page_path(&s.id))
        .collect();
    if !audience_pages.is_empty() {
        generated.extend(["questions/index.html".into(), "my-sheet.html".into()]);
    }
    if !sheets.is_empty() {
        generated.push("worksheets/index.html".into());
    }
    // Generated tool pages are link targets only when this book has them.
    if interactive.compare {
        generated.push("compare.html".into());
    }
    if interactive.any(!audience_pages.is_empty()) {
        generated.push("saved.html".into());
    }
    let files: HashSet<String> = book
        .assets
        .iter()
        .map(|a| a.to_string_lossy().replace('\\', "/"))
        .collect();
    // Every page and anchor in one hash, so unchanged chapters keep their last check.
    let targets = {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let mut h = DefaultHasher::new();
        global.hash(&mut h);
        generated.hash(&mut h);
        rendered.iter().for_each(|r| r.ids_digest.hash(&mut h));
        let mut files: Vec<&String> = files.iter().collect();
        files.sort_unstable();
        files.hash(&mut h);
        h.finish()
    };
    // The map of targets is made only if something is checked. Question pages' anchors
    // come from the data files, which `global` covers.
    let audience_ids = std::sync::OnceLock::new();
    let pages = std::sync::OnceLock::new();
    let pages = || {
        pages.get_or_init(|| {
            let audience_ids: &Vec<(String, Vec<String>)> = audience_ids.get_or_init(|| {
                audience_pages
                    .iter()
                    .map(|p| {
                        let ids = p.banks.iter().flat_map(|b| {
                            std::iter::once(b.id.clone())
                                .chain(b.questions.iter().map(|q| q.id.clone()))
                        });
                        (questions::canonical_page_for(p.audience), ids.collect())
                    })
                    .collect()
            });
            let mut pages: LinkTargets<'_> = book
                .chapters
                .iter()
                .zip(rendered)
                .map(|(c, r)| (c.output_rel.as_str(), r.ids.as_slice()))
                .collect();
            for (page, ids) in audience_ids {
                pages.insert(page, ids);
            }
            for page in &generated {
                pages.insert(page, &[]);
            }
            pages
        })
    };
    let link_problems = cache.links(slots, targets, |i| {
        let mut d = Diagnostics::default();
        markdown::check_links(
            &book.chapters[i],
            &rendered[i].links,
            pages(),
            &files,
            &mut d,
        );
        d
    });
    // Both may come from the cache: placed again in the chapter's current text.
    for ((r, problems), chapter) in rendered.iter().zip(link_problems).zip(&book.chapters) {
        let text_of = |p: &std::path::Path| chapter.source_map.text_of(p);
        diags.extend(r.diagnostics.placed_in(text_of));
        diags.extend(problems.placed_in(text_of));
    }
    check_task_ids(book, rendered, diags);
    // Links in data files: checked again only when the targets (which cover the data) change.
    diags.extend(
        (*cache.memo("data links", targets, || {
            let mut d = Diagnostics::default();
            data_script::check_data_links(book, pages(), &files, &mut d);
            d
        }))
        .clone(),
    );
}

/// Task-list ids share the book-wide id space with the data files.
fn check_task_ids(book: &Book, rendered: &[Arc<RenderedChapter>], diags: &mut Diagnostics) {
    let data = &book.data;
    let mut taken: HashSet<&str> = HashSet::new();
    for b in data.banks.iter().map(|b| &b.value) {
        taken.insert(&b.id);
        taken.extend(b.questions.iter().map(|q| q.id.as_str()));
    }
    for c in data.checklists.iter().map(|c| &c.value) {
        taken.insert(&c.id);
        for g in &c.groups {
            taken.insert(&g.id);
            taken.extend(g.items.iter().map(|i| i.id.as_str()));
        }
    }
    taken.extend(data.worksheets.iter().map(|w| w.value.id.as_str()));
    for (chapter, r) in book.chapters.iter().zip(rendered) {
        for task in &r.tasks {
            if !taken.insert(&task.id) {
                let message = format!(
                    "duplicate id \"{}\": ids must be unique across the book",
                    task.id
                );
                diags.push(
                    chapter
                        .source_map
                        .diagnostic(task.offset, |p| Diagnostic::error(p, message)),
                );
            }
        }
    }
}

fn sitemap<'a>(site_url: &str, paths: impl Iterator<Item = &'a str>) -> OutputFile {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut pages: Vec<&str> = paths
        .filter(|p| p.ends_with(".html") && *p != "404.html" && *p != "print.html")
        .collect();
    pages.sort_unstable();
    for page in pages {
        xml.push_str("  <url><loc>");
        xml.push_str(&markdown::blocks::escape(&format!("{site_url}{page}")));
        xml.push_str("</loc></url>\n");
    }
    xml.push_str("</urlset>\n");
    OutputFile {
        path: "sitemap.xml".into(),
        contents: Contents::Bytes(xml.into_bytes()),
    }
}
