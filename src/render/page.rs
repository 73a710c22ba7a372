//! Rendering one page through the theme: the shared context every template gets (book, assets,
//! paths relative to the page) plus the page's own value.

use tera::Context;

use super::views::{AssetsView, BookView};
use super::{Contents, OutputFile};
use crate::config::Config;
use crate::diagnostics::Diagnostics;
use crate::markdown::links::root_prefix;
use crate::theme::{Theme, template_diagnostic};

/// The theme's stylesheets and scripts, in the order pages load them.
const THEME_CSS: &[&str] = &[
    "css/variables.css",
    "css/base.css",
    "css/layout.css",
    "css/content.css",
    "css/questions.css",
    "css/worksheet.css",
    "css/checklists.css",
    "css/search.css",
    "css/highlight.css",
    "css/code.css",
];
/// Loaded with `media="print"`.
const THEME_PRINT_CSS: &[&str] = &["css/print.css", "css/paper.css"];
/// Scripts every page loads (deferred, in this order).
const THEME_JS: &[&str] = &[
    "js/dom.js",
    "js/store.js",
    "js/nav.js",
    "js/questions.js",
    "js/checklists.js",
    "js/search.js",
    "js/code.js",
];

pub struct PageRenderer<'a> {
    pub theme: &'a Theme,
    pub config: &'a Config,
    pub book: BookView<'a>,
    /// The guide's own words, `vocabulary` in every template.
    pub vocabulary: &'a crate::model::vocabulary::Vocabulary,
    pub live_reload: bool,
}

impl PageRenderer<'_> {
    /// Renders `template` for the page at `path`, with `value` under `key`; `extra_js` are
    /// more scripts (relative to the site root) this page needs.
    pub fn page<T: serde::Serialize + ?Sized>(
        &self,
        template: &str,
        path: &str,
        (key, value): (&'static str, &T),
        extra_js: &[&str],
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
        let print_css: Vec<String> = THEME_PRINT_CSS
            .iter()
            .map(|c| format!("{root}assets/{c}"))
            .collect();
        let mut js: Vec<String> = vec![format!("{root}toc.js")];
        js.extend(THEME_JS.iter().map(|j| format!("{root}assets/{j}")));
        js.extend(extra_js.iter().map(|j| format!("{root}{j}")));
        if self.config.site.has_fragment_redirects() {
            use super::site_files::{FRAGMENT_MAP, REDIRECT_JS};
            js.extend([
                format!("{root}{FRAGMENT_MAP}"),
                format!("{root}{REDIRECT_JS}"),
            ]);
        }
        if self.live_reload {
            js.push(format!("{root}assets/js/livereload.js"));
        }
        js.extend(
            self.config
                .additional_js
                .iter()
                .map(|j| format!("{root}{}", j.to_string_lossy())),
        );
        let assets = AssetsView {
            root,
            css,
            print_css,
            js,
        };
        let mut context = Context::new();
        context.insert("book", &self.book);
        context.insert("vocabulary", self.vocabulary);
        context.insert("assets", &assets);
        context.insert("current_path", path);
        context.insert("live_reload", &self.live_reload);
        context.insert(key, value);
        let html = match self.theme.render(template, &context, path) {
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

    /// Renders a partial template on its own (no page frame); `None` if it failed.
    pub fn fragment<T: serde::Serialize + ?Sized>(
        &self,
        template: &str,
        (key, value): (&'static str, &T),
        diags: &mut Diagnostics,
    ) -> Option<String> {
        let mut context = Context::new();
        context.insert("book", &self.book);
        context.insert("vocabulary", self.vocabulary);
        context.insert(key, value);
        match self.theme.render(template, &context, template) {
            Ok(html) => Some(html),
            Err(e) => {
                diags.push(template_diagnostic(&e, self.theme.override_dir.as_deref()));
                None
            }
        }
    }

    /// Like [`page`](Self::page), but the bytes alone, or `None` if the template failed
    /// (the failure is in `diags`).
    pub fn page_bytes<T: serde::Serialize + ?Sized>(
        &self,
        template: &str,
        path: &str,
        value: (&'static str, &T),
        extra_js: &[&str],
        diags: &mut Diagnostics,
    ) -> Option<Vec<u8>> {
        let errors = diags.error_count();
        let file = self.page(template, path, value, extra_js, diags);
        match file.contents {
            Contents::Bytes(bytes) if diags.error_count() == errors => Some(bytes),
            _ => None,
        }
    }
}
