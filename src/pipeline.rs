//! A build is the stages in a row: config → load → render → (optionally) write.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::diagnostics::Diagnostics;
use crate::render::{BuildOptions, Site};
use crate::theme::Theme;

/// A site rendered in memory, with the warnings met on the way.
pub struct Built {
    pub config: Config,
    pub site: Site,
    pub warnings: Diagnostics,
    pub elapsed: Duration,
}

/// Loads, validates and renders the book at `root` without writing anything.
pub fn render(root: &Path, options: &BuildOptions) -> Result<Built, Failed> {
    let started = Instant::now();
    let mut warnings = Diagnostics::default();
    let fail = |diags: Diagnostics, warnings: &Diagnostics, root: &Path| {
        let mut all = warnings.clone();
        all.extend(diags);
        Failed {
            diagnostics: all,
            root: root.to_path_buf(),
        }
    };
    let (config, w) = Config::load(root).map_err(|d| fail(d, &warnings, root))?;
    warnings.extend(w);
    let root = config.root.clone();
    let (theme, w) = Theme::load(&config).map_err(|d| fail(d, &warnings, &root))?;
    warnings.extend(w);
    let (book, w) = crate::load::book(&config).map_err(|d| fail(d, &warnings, &root))?;
    warnings.extend(w);
    let (site, w) = crate::render::site(&book, &config, &theme, options)
        .map_err(|d| fail(d, &warnings, &root))?;
    warnings.extend(w);
    Ok(Built {
        config,
        site,
        warnings,
        elapsed: started.elapsed(),
    })
}

/// Renders and writes the site to `dest` (default: the configured build directory).
pub fn build(
    root: &Path,
    dest: Option<&Path>,
    options: &BuildOptions,
) -> Result<(Built, PathBuf), Failed> {
    let built = render(root, options)?;
    let dest = match dest {
        Some(d) => std::path::absolute(d).unwrap_or_else(|_| d.to_path_buf()),
        None => built.config.build_dir.clone(),
    };
    if let Err(e) = crate::output::write_atomically(&built.site.files, &dest) {
        let mut diagnostics = built.warnings.clone();
        diagnostics.push(crate::diagnostics::Diagnostic::error(
            &dest,
            format!("{e:#}"),
        ));
        return Err(Failed {
            diagnostics,
            root: built.config.root.clone(),
        });
    }
    Ok((built, dest))
}

/// A build that produced errors.
#[derive(Debug)]
pub struct Failed {
    pub diagnostics: Diagnostics,
    /// The book root, so paths can be shown relative to it.
    pub root: PathBuf,
}
