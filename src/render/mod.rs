//! Stage 3: [`Book`] → the files of the site, in memory. Nothing here touches the output
//! directory, so `guidebook check` can run the whole pipeline and write nothing.

pub mod nav;
pub mod views;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use tera::Context;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::links::{PageLocation, relative_to, root_prefix};
use crate::markdown::{self, RenderContext, RenderedChapter};
use crate::model::{Book, Chapter, SummaryItem};
use crate::theme::{Theme, template_diagnostic};
use views::{AssetsView, BookView, ChapterView, PageLink, PrintChapterView};

/// Settings of one build that do not come from book.toml.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Inject the live-reload client (serve mode).
    pub live_reload: bool,
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
    /// Copy this file as it is (content assets such as images).
    Copy(PathBuf),
}

pub struct Site {
    pub files: Vec<OutputFile>,
    pub page_count: usize,
}

/// The theme's stylesheets and scripts, in the order pages load them.
const THEME_CSS: &[&str] = &[
    "css/variables.css",
    "css/base.css",
    "css/layout.css",
    "css/content.css",
];
const THEME_PRINT_CSS: &str = "css/print.css";
const THEME_JS: &[&str] = &["js/nav.js"];

pub fn site(
    book: &Book,
    config: &Config,
    theme: &Theme,
    options: &BuildOptions,
) -> Result<(Site, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::default();
    let chapter_outputs: HashMap<String, String> = book
        .chapters
        .iter()
        .map(|c| (c.source_rel.clone(), c.output_rel.clone()))
        .collect();
    let ctx = RenderContext {
        chapter_outputs: &chapter_outputs,
        smart_punctuation: config.smart_punctuation,
    };

    let rendered: Vec<RenderedChapter> = book
        .chapters
        .iter()
        .map(|c| markdown::render(c, &ctx, &PageLocation::Page(c.output_rel.clone())))
        .collect();

    check_all_links(book, &rendered, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }

    let renderer = PageRenderer {
        theme,
        config,
        book: BookView::new(config),
        live_reload: options.live_reload,
    };
    let parents = parent_titles(&book.summary);
    let mut files = Vec::with_capacity(book.chapters.len() + book.assets.len() + 16);
    for (i, (chapter, r)) in book.chapters.iter().zip(&rendered).enumerate() {
        let page = chapter_view(book, i, chapter, r, &chapter.output_rel, &parents);
        files.push(renderer.page(
            "chapter.html",
            &chapter.output_rel,
            "page",
            &page,
            &mut diags,
        ));
    }
    // The first chapter doubles as the front page unless a chapter already is `index.html`.
    if let Some(first) = book.chapters.first()
        && !chapter_outputs.values().any(|o| o == "index.html")
    {
        let r = markdown::render(first, &ctx, &PageLocation::Page("index.html".into()));
        let page = chapter_view(book, 0, first, &r, "index.html", &parents);
        files.push(renderer.page("chapter.html", "index.html", "page", &page, &mut diags));
    }
    if config.print_enabled {
        let chapters: Vec<PrintChapterView<'_>> = book
            .chapters
            .iter()
            .map(|c| {
                let r = markdown::render(c, &ctx, &PageLocation::Print);
                PrintChapterView {
                    id: markdown::print_section_id(&c.output_rel),
                    title: &c.title,
                    number: c.number.as_deref(),
                    has_own_title: r.has_own_title,
                    content: r.html,
                }
            })
            .collect();
        files.push(renderer.page(
            "print.html",
            "print.html",
            "chapters",
            &chapters,
            &mut diags,
        ));
    }
    let toc = nav::tree(&book.summary);
    files.push(renderer.page(
        "contents.html",
        "contents.html",
        "toc_html",
        &nav::contents_html(&toc),
        &mut diags,
    ));
    files.push(renderer.page(
        "404.html",
        "404.html",
        "site_url",
        &config.site_url,
        &mut diags,
    ));
    files.push(OutputFile {
        path: "toc.js".into(),
        contents: Contents::Bytes(nav::toc_script(&toc).into_bytes()),
    });
    if let Some(url) = &config.site_url {
        files.push(sitemap(url, book));
    }
    for (rel, bytes) in &theme.assets {
        if !rel.starts_with("templates/") {
            files.push(OutputFile {
                path: format!("assets/{rel}"),
                contents: Contents::Bytes(bytes.clone()),
            });
        }
    }
    for extra in config.additional_css.iter().chain(&config.additional_js) {
        let path = config.root.join(extra);
        if !path.is_file() {
            diags.push(Diagnostic::error(
                &config.book_toml,
                format!("additional file `{}` does not exist", extra.display()),
            ));
        }
        files.push(OutputFile {
            path: extra.to_string_lossy().replace('\\', "/"),
            contents: Contents::Copy(path),
        });
    }
    for asset in &book.assets {
        files.push(OutputFile {
            path: asset.to_string_lossy().replace('\\', "/"),
            contents: Contents::Copy(config.src_dir.join(asset)),
        });
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let page_count = files.iter().filter(|f| f.path.ends_with(".html")).count();
    Ok((Site { files, page_count }, diags))
}

fn check_all_links(book: &Book, rendered: &[RenderedChapter], diags: &mut Diagnostics) {
    let pages: HashMap<String, Vec<String>> = book
        .chapters
        .iter()
        .zip(rendered)
        .map(|(c, r)| (c.output_rel.clone(), r.ids.clone()))
        .collect();
    let files: HashSet<String> = book
        .assets
        .iter()
        .map(|a| a.to_string_lossy().replace('\\', "/"))
        .collect();
    for (chapter, r) in book.chapters.iter().zip(rendered) {
        diags.extend(r.diagnostics.clone());
        markdown::check_links(chapter, &r.links, &pages, &files, diags);
    }
}

fn chapter_view<'a>(
    book: &'a Book,
    index: usize,
    chapter: &'a Chapter,
    rendered: &'a RenderedChapter,
    page_path: &'a str,
    parents: &HashMap<String, Vec<String>>,
) -> ChapterView<'a> {
    let link = |c: &Chapter| PageLink {
        title: c.nav_title.clone(),
        href: relative_to(page_path, &c.output_rel),
    };
    let fm = &chapter.front_matter;
    ChapterView {
        title: &chapter.title,
        number: chapter.number.as_deref(),
        description: fm.description.as_deref(),
        audience: fm
            .audience
            .iter()
            .map(|a| views::audience_label(a))
            .collect(),
        last_reviewed: fm.last_reviewed.as_deref(),
        review_by: fm.review_by.as_deref(),
        keywords: &fm.keywords,
        path: page_path,
        content: &rendered.html,
        outline: rendered.headings.iter().filter(|h| h.level == 2).collect(),
        prev: index.checked_sub(1).map(|i| link(&book.chapters[i])),
        next: book.chapters.get(index + 1).map(link),
        has_own_title: rendered.has_own_title,
        breadcrumbs: parents
            .get(&chapter.source_rel)
            .cloned()
            .unwrap_or_default(),
    }
}

/// Chapter source path → titles of its ancestors in SUMMARY.md.
fn parent_titles(items: &[SummaryItem]) -> HashMap<String, Vec<String>> {
    fn walk(
        items: &[SummaryItem],
        trail: &mut Vec<String>,
        out: &mut HashMap<String, Vec<String>>,
    ) {
        for item in items {
            if let SummaryItem::Link(link) = item {
                if let Some(source) = &link.source {
                    let rel = crate::load::chapter::normalize(source)
                        .to_string_lossy()
                        .replace('\\', "/");
                    out.insert(rel, trail.clone());
                }
                trail.push(link.title.clone());
                walk(&link.children, trail, out);
                trail.pop();
            }
        }
    }
    let mut out = HashMap::new();
    walk(items, &mut Vec::new(), &mut out);
    out
}

struct PageRenderer<'a> {
    theme: &'a Theme,
    config: &'a Config,
    book: BookView<'a>,
    live_reload: bool,
}

impl PageRenderer<'_> {
    /// Renders `template` for the page at `path`, with `value` under `key`.
    fn page<T: serde::Serialize + ?Sized>(
        &self,
        template: &str,
        path: &str,
        key: &'static str,
        value: &T,
        diags: &mut Diagnostics,
    ) -> OutputFile {
        let root = root_prefix(path);
        let mut css: Vec<String> = THEME_CSS
            .iter()
            .map(|c| format!("{root}assets/{c}"))
            .collect();
        css.extend(
            self.config
                .additional_css
                .iter()
                .map(|c| format!("{root}{}", c.to_string_lossy())),
        );
        let mut js: Vec<String> = vec![format!("{root}toc.js")];
        js.extend(THEME_JS.iter().map(|j| format!("{root}assets/{j}")));
        js.extend(
            self.config
                .additional_js
                .iter()
                .map(|j| format!("{root}{}", j.to_string_lossy())),
        );
        let assets = AssetsView {
            root: root.clone(),
            css,
            js,
        };
        let mut context = Context::new();
        context.insert("book", &self.book);
        context.insert("assets", &assets);
        context.insert("print_css", &format!("{root}assets/{THEME_PRINT_CSS}"));
        context.insert("current_path", path);
        context.insert("live_reload", &self.live_reload);
        context.insert(key, value);
        let html = match self.theme.tera.render(template, &context) {
            Ok(html) => html,
            Err(e) => {
                diags.push(template_diagnostic(&e, self.theme.override_dir.as_deref()));
                String::new()
            }
        };
        OutputFile {
            path: path.to_owned(),
            contents: Contents::Bytes(html.into_bytes()),
        }
    }
}

fn sitemap(site_url: &str, book: &Book) -> OutputFile {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut pages: Vec<&str> = vec!["index.html"];
    pages.extend(
        book.chapters
            .iter()
            .map(|c| c.output_rel.as_str())
            .filter(|p| *p != "index.html"),
    );
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
