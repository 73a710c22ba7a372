//! The theme: Tera templates plus static CSS/JS.
//!
//! The default theme is embedded in the binary, so `guidebook` works from any directory. A book
//! overrides single files by putting them in `<root>/themes/<name>/` (templates under
//! `templates/`, assets under `css/`, `js/`...). Embedded templates are also registered as
//! `default/<name>`, so an override can `{% extends "default/chapter.html" %}` and replace one
//! block instead of copying a whole page.

mod bounds;
mod mdbook;

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use tera::Tera;
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, Position};

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Prefix under which the built-in templates are always reachable.
const BUILTIN_PREFIX: &str = "default/";

pub struct Theme {
    pub tera: Tera,
    /// Static files, relative to the theme root (e.g. `css/base.css`), with their bytes.
    pub assets: Vec<(String, Vec<u8>)>,
    /// Absolute paths of the override directory's files, for error messages.
    pub override_dir: Option<PathBuf>,
    /// Hash of every template: a template edit invalidates every cached page.
    pub fingerprint: u64,
    /// The favicon an mdBook `theme/` folder brings, relative to the site root.
    pub favicon: Option<String>,
}

impl Theme {
    pub fn load(config: &Config) -> Result<(Theme, Diagnostics), Diagnostics> {
        let mut diags = Diagnostics::default();
        let favicon = config
            .site
            .mdbook_theme_dir
            .as_deref()
            .and_then(|dir| mdbook::read(dir, &mut diags));
        let override_dir = config.root.join("themes").join(&config.theme);
        let override_dir = override_dir.is_dir().then_some(override_dir);
        if override_dir.is_none() && config.theme != "default" {
            return Err(Diagnostic::error(
                &config.book_toml,
                format!(
                    "theme \"{}\" not found: expected a directory themes/{}/",
                    config.theme, config.theme
                ),
            )
            .into());
        }

        let mut templates: Vec<(String, String)> = Vec::new();
        let mut assets: Vec<(String, Vec<u8>)> = Vec::new();
        for file in embedded_files(&DEFAULT_THEME) {
            let rel = file.path().to_string_lossy().replace('\\', "/");
            match rel.strip_prefix("templates/") {
                Some(name) => templates.push((
                    format!("{BUILTIN_PREFIX}{name}"),
                    String::from_utf8_lossy(file.contents()).into_owned(),
                )),
                None => assets.push((rel, file.contents().to_vec())),
            }
        }
        if let Some(dir) = &override_dir {
            for (rel, path) in disk_files(dir) {
                let bytes = match std::fs::read(&path) {
                    Ok(b) => b,
                    Err(e) => {
                        diags.push(Diagnostic::error(&path, format!("cannot read: {e}")));
                        continue;
                    }
                };
                match rel.strip_prefix("templates/") {
                    Some(name) => templates.push((
                        name.to_owned(),
                        String::from_utf8_lossy(&bytes).into_owned(),
                    )),
                    None => match assets.iter_mut().find(|(r, _)| *r == rel) {
                        Some(existing) => existing.1 = bytes,
                        None => assets.push((rel, bytes)),
                    },
                }
            }
        }

        // Pages depend on templates only; assets are copied fresh on every build.
        let favicon = favicon.map(|(name, bytes)| {
            assets.push((name.clone(), bytes));
            format!("assets/{name}")
        });
        let fingerprint = crate::util::hash::digest(&(&templates, &favicon));
        let mut tera = Tera::new();
        tera.set_fallback_prefixes([BUILTIN_PREFIX])
            .map_err(|e| Diagnostic::error(&config.book_toml, e.to_string()))?;
        if let Err(e) =
            tera.add_raw_templates(templates.iter().map(|(n, s)| (n.as_str(), s.as_str())))
        {
            diags.push(template_diagnostic(&e, override_dir.as_deref()));
            return Err(diags);
        }
        Ok((
            Theme {
                tera,
                assets,
                override_dir,
                fingerprint,
                favicon,
            },
            diags,
        ))
    }
}

impl Theme {
    /// Renders `template` for the page at `page`, within the bounds of [`bounds`]: a page
    /// over its size limit is an error; a template that runs away stops the build.
    pub fn render(
        &self,
        template: &str,
        context: &tera::Context,
        page: &str,
    ) -> Result<String, tera::Error> {
        let _running = bounds::Running::start(template, self.template_file(template), page);
        let mut out = bounds::CappedPage::default();
        match self.tera.render_to(template, context, &mut out) {
            Err(_) if out.overflowed => Err(tera::Error::message(format!(
                "template `{template}` wrote more than {} MiB for `{page}`; stopped",
                bounds::PAGE_LIMIT >> 20
            ))),
            Err(e) => Err(e),
            Ok(()) => String::from_utf8(out.bytes)
                .map_err(|_| tera::Error::message("template output is not UTF-8")),
        }
    }
}

impl Theme {
    /// Where `template` comes from, as an author would look for it.
    fn template_file(&self, template: &str) -> String {
        match (template.strip_prefix(BUILTIN_PREFIX), &self.override_dir) {
            (None, Some(dir)) => {
                let file = dir.join("templates").join(template);
                let cwd = std::env::current_dir().unwrap_or_default();
                file.strip_prefix(&cwd)
                    .unwrap_or(&file)
                    .display()
                    .to_string()
            }
            (name, _) => format!("<built-in theme>/templates/{}", name.unwrap_or(template)),
        }
    }
}

/// A Tera error as a diagnostic pointing at the template file and position Tera reports.
pub fn template_diagnostic(e: &tera::Error, override_dir: Option<&Path>) -> Diagnostic {
    use std::error::Error as _;
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    // Tera 2 reports "name:line:col" style locations inside its message; keep the message whole
    // and point at the template file it names.
    let template_name = first_template_name(&message);
    let path = match (template_name, override_dir) {
        (Some(name), Some(dir)) if !name.starts_with(BUILTIN_PREFIX) => {
            dir.join("templates").join(name)
        }
        (Some(name), _) => PathBuf::from(format!(
            "<built-in theme>/templates/{}",
            name.trim_start_matches(BUILTIN_PREFIX)
        )),
        (None, _) => PathBuf::from("<theme>"),
    };
    let d = Diagnostic::error(path, format!("template error: {}", message.trim()));
    match first_position(&message) {
        Some(p) => d.at(p, None),
        None => d,
    }
}

fn first_template_name(message: &str) -> Option<&str> {
    message
        .split(|c: char| c.is_whitespace() || c == '\'' || c == '`' || c == '"')
        .find(|w| w.ends_with(".html") || w.contains(".html:"))
        .map(|w| w.split(':').next().unwrap_or(w))
}

fn first_position(message: &str) -> Option<Position> {
    message.split_whitespace().find_map(|w| {
        let mut parts = w.trim_end_matches([',', ')', ']']).rsplitn(3, ':');
        let column = parts.next()?.parse().ok()?;
        let line = parts.next()?.parse().ok()?;
        parts.next().filter(|n| n.ends_with(".html"))?;
        Some(Position { line, column })
    })
}

fn embedded_files(dir: &'static Dir<'static>) -> Vec<&'static include_dir::File<'static>> {
    let mut out = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        out.extend(d.files());
        stack.extend(d.dirs());
    }
    out.sort_by_key(|f| f.path());
    out
}

fn disk_files(dir: &Path) -> Vec<(String, PathBuf)> {
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap_or(e.path())
                .to_string_lossy()
                .replace('\\', "/");
            (rel, e.into_path())
        })
        .collect()
}
