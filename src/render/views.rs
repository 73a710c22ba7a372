//! What templates see. Templates get only these view types, never the source model, so the
//! template API stays small and stable.

use serde::Serialize;

use crate::config::Config;
use crate::markdown::Heading;

#[derive(Debug, Serialize)]
pub struct BookView<'a> {
    /// Namespace for readers' saved state.
    pub id: &'a str,
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub language: &'a str,
    pub authors: &'a [String],
    pub print_enabled: bool,
    /// Whether the generated question bank and worksheet pages exist (templates link to them).
    pub has_questions: bool,
    pub has_worksheets: bool,
    pub search: bool,
    /// The Content-Security-Policy for the page's `<meta>`.
    pub csp: String,
    /// mdBook's settings that change every page (see [`SiteView`]).
    pub site: SiteView<'a>,
}

/// What mdBook's `[output.html]` settings put on pages.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    /// `light` or `dark` when the book fixes the colour scheme (`default-theme`).
    pub color_scheme: Option<crate::config::ColorScheme>,
    /// `[output.html.fold]`: the sidebar folds below `fold_level` levels.
    pub fold: bool,
    pub fold_level: u8,
    /// `git-repository-url` and the words of its link (chapter pages show it).
    pub repository_url: Option<&'a str>,
    pub repository_label: &'a str,
    /// The favicon from an mdBook `theme/` folder, relative to the site root.
    pub favicon: Option<&'a str>,
}

impl<'a> SiteView<'a> {
    pub fn new(config: &'a Config, favicon: Option<&'a str>) -> Self {
        let site = &config.site;
        SiteView {
            color_scheme: site.color_scheme,
            fold: site.fold_level.is_some(),
            fold_level: site.fold_level.unwrap_or(0),
            repository_url: site.git_repository_url.as_deref(),
            repository_label: &site.repository_label,
            favicon,
        }
    }
}

impl<'a> BookView<'a> {
    pub fn new(config: &'a Config) -> Self {
        BookView {
            id: &config.guide_id,
            title: &config.title,
            description: config.description.as_deref(),
            language: &config.language,
            authors: &config.authors,
            print_enabled: config.print_enabled,
            has_questions: false,
            has_worksheets: false,
            search: config.search_enabled,
            csp: crate::csp::meta_policy_for(config.site_url.as_deref(), &config.csp_allowances()),
            site: SiteView::new(config, None),
        }
    }
}

/// Links from a page to the site's shared files, already made relative to that page.
#[derive(Debug, Serialize)]
pub struct AssetsView {
    /// `../` back to the site root (empty at the root).
    pub root: String,
    pub css: Vec<String>,
    pub print_css: Vec<String>,
    pub js: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct PageLink {
    pub title: String,
    pub title_html: String,
    pub href: String,
}

#[derive(Debug, Serialize)]
pub struct ChapterView<'a> {
    pub title: &'a str,
    /// The title's inline Markdown as HTML (code as `<code>`), escaped.
    pub title_html: &'a str,
    pub number: Option<&'a str>,
    pub description: Option<&'a str>,
    pub audience: Vec<String>,
    pub last_reviewed: Option<&'a str>,
    pub review_by: Option<&'a str>,
    pub keywords: &'a [String],
    /// Output path, relative to the site root.
    pub path: &'a str,
    /// The rendered Markdown (ours, so templates mark it `safe`).
    pub content: &'a str,
    /// `##` and `###` headings, for the on-page outline.
    pub outline: Vec<&'a Heading>,
    pub prev: Option<PageLink>,
    pub next: Option<PageLink>,
    /// The Markdown has its own `# Title`; the template should not repeat it.
    pub has_own_title: bool,
    /// Titles of the parent chapters, outermost first, as text and as HTML.
    pub breadcrumbs: Vec<String>,
    pub breadcrumbs_html: Vec<String>,
    /// `edit-url-template` with this chapter's path.
    pub edit_url: Option<String>,
}

/// A page that sends the reader to where an old page moved (`[output.html.redirect]`).
#[derive(Debug, Serialize)]
pub struct RedirectView<'a> {
    pub to: &'a str,
    /// `#fragment` → target, as JSON, for `redirect.js`.
    pub fragments: String,
}

/// One chapter on `print.html`.
#[derive(Debug, Serialize)]
pub struct PrintChapterView<'a> {
    pub id: String,
    pub title: &'a str,
    pub title_html: &'a str,
    pub number: Option<&'a str>,
    pub content: String,
    pub has_own_title: bool,
}

/// Human wording for an audience tag in front matter: the reader group's phrase, else the tag.
pub fn audience_label(tag: &str, vocabulary: &crate::model::vocabulary::Vocabulary) -> String {
    vocabulary.group_phrase(tag).to_owned()
}
