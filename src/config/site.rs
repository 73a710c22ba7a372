//! mdBook's `[output.html]` settings that change the site: redirects, the repository and edit
//! links, `cname`, the default colour scheme, sidebar folding, math, and an mdBook `theme/`
//! folder. Read here ([`SiteRaw`]) and resolved into [`SiteSettings`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::de::{DeTable, DeValue};

use crate::diagnostics::{Diagnostic, Diagnostics};

/// The keys as written, flattened into `[output.html]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct SiteRaw {
    pub redirect: BTreeMap<String, String>,
    pub git_repository_url: Option<String>,
    pub git_repository_icon: Option<String>,
    pub edit_url_template: Option<String>,
    pub cname: Option<String>,
    pub default_theme: Option<String>,
    pub preferred_dark_theme: Option<String>,
    pub fold: FoldRaw,
    pub mathjax_support: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct FoldRaw {
    pub enable: bool,
    pub level: u8,
}

/// One `"/old/page.html#fragment" = "new.html"` entry of `[output.html.redirect]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Redirect {
    /// The key as written, to point at it in errors.
    pub key: String,
    /// The old page, relative to the site root (`old/page.html`).
    pub from: String,
    /// `#fragment`, when the key has one.
    pub fragment: Option<String>,
    /// Where to go, as written (relative to the old page, as mdBook writes it).
    pub to: String,
}

/// The colour scheme a page starts with before the reader's system decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColorScheme {
    Light,
    Dark,
}

/// The resolved settings a render reads.
#[derive(Debug, Clone, Default)]
pub struct SiteSettings {
    pub redirects: Vec<Redirect>,
    pub git_repository_url: Option<String>,
    /// The repository link's words, from `git-repository-icon` or the URL's host.
    pub repository_label: String,
    pub edit_url_template: Option<String>,
    /// `book.src` as written (`{path}` in the edit URL starts with it, as in mdBook).
    pub src_written: String,
    pub cname: Option<String>,
    /// `Some` when the book fixes the scheme instead of following the reader's system.
    pub color_scheme: Option<ColorScheme>,
    /// `[output.html.fold]`: sidebar levels open before folding (`None`: never folded).
    pub fold_level: Option<u8>,
    /// `mathjax-support`: `\( \)` and `\[ \]` become MathML at build time.
    pub math: bool,
    /// An mdBook theme folder (`theme/`, or `theme = "dir"` naming one), inside the book.
    pub mdbook_theme_dir: Option<PathBuf>,
}

impl SiteSettings {
    pub(super) fn from_raw(raw: SiteRaw, src_written: String) -> SiteSettings {
        let redirects = raw
            .redirect
            .into_iter()
            .map(|(key, to)| {
                let trimmed = key.strip_prefix('/').unwrap_or(&key);
                let (from, fragment) = match trimmed.split_once('#') {
                    Some((p, f)) => (p.to_owned(), Some(format!("#{f}"))),
                    None => (trimmed.to_owned(), None),
                };
                Redirect {
                    key,
                    from,
                    fragment,
                    to,
                }
            })
            .collect();
        let repository_label = repository_label(
            raw.git_repository_icon.as_deref(),
            raw.git_repository_url.as_deref(),
        );
        SiteSettings {
            redirects,
            git_repository_url: raw.git_repository_url,
            repository_label,
            edit_url_template: raw.edit_url_template,
            src_written,
            cname: raw.cname,
            color_scheme: color_scheme(
                raw.default_theme.as_deref(),
                raw.preferred_dark_theme.as_deref(),
            ),
            fold_level: raw.fold.enable.then_some(raw.fold.level),
            math: raw.mathjax_support,
            mdbook_theme_dir: None,
        }
    }

    /// The edit link of the chapter at `source_rel` (relative to the source folder).
    pub fn edit_url(&self, source_rel: &str) -> Option<String> {
        let template = self.edit_url_template.as_ref()?;
        let path = format!("{}/{source_rel}", self.src_written);
        Some(template.replace("{path}", &path))
    }

    /// Whether any redirect names a fragment (pages then load the fragment map).
    pub fn has_fragment_redirects(&self) -> bool {
        self.redirects.iter().any(|r| r.fragment.is_some())
    }
}

/// mdBook's themes are light (`light`, `rust`) or dark (`coal`, `navy`, `ayu`). guidebook's
/// theme follows the reader's system unless the two settings agree on one side: both light
/// (`default-theme = "rust"`, `preferred-dark-theme = "light"`) keeps it light, a dark
/// `default-theme` makes it dark (mdBook's dark default is dark on a light system too).
fn color_scheme(default: Option<&str>, preferred_dark: Option<&str>) -> Option<ColorScheme> {
    let side = |name: &str| match name {
        "light" | "rust" => Some(ColorScheme::Light),
        "coal" | "navy" | "ayu" => Some(ColorScheme::Dark),
        _ => None,
    };
    match (default.and_then(side), preferred_dark.and_then(side)) {
        (Some(ColorScheme::Dark), _) => Some(ColorScheme::Dark),
        (_, Some(ColorScheme::Light)) => Some(ColorScheme::Light),
        _ => None,
    }
}

fn repository_label(icon: Option<&str>, url: Option<&str>) -> String {
    let hint = format!("{} {}", icon.unwrap_or(""), url.unwrap_or("")).to_lowercase();
    let label = [
        ("github", "GitHub"),
        ("gitlab", "GitLab"),
        ("codeberg", "Codeberg"),
        ("bitbucket", "Bitbucket"),
    ]
    .iter()
    .find(|(word, _)| hint.contains(word))
    .map_or("Git repository", |(_, label)| label);
    label.to_owned()
}

/// Checks the values: theme names mdBook knows, and redirect keys that stay inside the site.
pub(super) fn check(
    settings: &SiteSettings,
    table: &DeTable<'_>,
    path: &Path,
    text: &str,
    diags: &mut Diagnostics,
) {
    for key in ["default-theme", "preferred-dark-theme"] {
        let dotted = format!("output.html.{key}");
        if let Some(value) = super::find_value(table, &dotted)
            && let DeValue::String(name) = value.get_ref()
            && !["light", "rust", "coal", "navy", "ayu"].contains(&name.as_ref())
        {
            // A warning: an mdBook book may name a theme of its own CSS.
            let message = format!(
                "`{dotted}` is `{name}`, not one of mdBook's themes light, rust, coal, navy, \
                 ayu; pages follow the reader's light or dark setting"
            );
            diags.push(Diagnostic::warning(path, message).at_offset(text, value.span().start));
        }
    }
    for r in &settings.redirects {
        if crate::util::paths::site_relative(Path::new(&r.from)).is_none() || r.from.contains('\\')
        {
            let message = format!(
                "redirect `{}` is not a page inside the site: write it as `/old/page.html`, \
                 without `..`",
                r.key
            );
            diags.push(redirect_error(table, path, text, &r.key, message));
        }
    }
}

/// An error at the redirect `key` in `[output.html.redirect]`.
pub(super) fn redirect_error(
    table: &DeTable<'_>,
    path: &Path,
    text: &str,
    key: &str,
    message: String,
) -> Diagnostic {
    let d = Diagnostic::error(path, message);
    let Some(value) = super::find_value(table, "output.html.redirect") else {
        return d;
    };
    let DeValue::Table(redirects) = value.get_ref() else {
        return d;
    };
    match redirects.iter().find(|(k, _)| k.get_ref() == key) {
        Some((k, _)) => d.at_offset(text, k.span().start),
        None => d,
    }
}

/// The mdBook theme folder of the book, if it has one: `theme = "dir"` naming a folder inside
/// the book that is not one of guidebook's `themes/<name>/`, else `theme/` when present.
pub(super) fn mdbook_theme_dir(root: &Path, theme: &str) -> Option<PathBuf> {
    let guidebook_theme = root.join("themes").join(theme);
    if theme != "default" && guidebook_theme.is_dir() {
        return None;
    }
    let rel = if theme == "default" { "theme" } else { theme };
    let rel = crate::util::paths::site_relative(Path::new(rel))?;
    let dir = root.join(rel);
    let inside = crate::util::paths::is_within(
        &crate::util::paths::resolve(&dir),
        &crate::util::paths::resolve(root),
    );
    (inside && dir.is_dir()).then_some(dir)
}
