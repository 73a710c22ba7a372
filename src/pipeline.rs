//! A build is the stages in a row: config → load → preprocess → render → (optionally) write.
//!
//! [`Session`] keeps the render cache between builds, so watch mode re-renders only pages whose
//! inputs changed; a one-off build uses a fresh session.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::DataSet;
use crate::output::{Staging, guard};
use crate::render::cache::{Cache, KeptCache, OneOffCache};
use crate::render::{self, BuildOptions, Destination, Site};
use crate::theme::Theme;

/// A site rendered in memory, with the warnings met on the way.
pub struct Built {
    pub config: Config,
    pub site: Site,
    pub warnings: Diagnostics,
    pub elapsed: Duration,
    /// Pages rendered in this build (the rest came from the session's cache).
    pub rendered_pages: usize,
    /// Chapter files read in this build (the rest were reused from the last one).
    pub chapters_read: usize,
}

/// A build that produced errors.
#[derive(Debug)]
pub struct Failed {
    pub diagnostics: Diagnostics,
    /// The book root, so paths can be shown relative to it.
    pub root: PathBuf,
}

/// What a session keeps of its renders.
enum Caching {
    /// Repeated builds (watch, serve): each reuses what did not change.
    Kept(KeptCache),
    /// One build: nothing is kept, so memory stays flat however large the guide.
    OneOff(OneOffCache),
}

/// Repeated builds of one book, reusing what did not change.
pub struct Session {
    pub root: PathBuf,
    pub options: BuildOptions,
    cache: Caching,
    loads: crate::load::LoadMemo,
    /// The cross-file data checks of the last load's data files: a watch session re-runs them
    /// only when the load read the data files again (a new `DataSet`).
    data_checked: Option<(Arc<DataSet>, Diagnostics)>,
}

impl Session {
    /// A session for repeated builds (watch, serve): it keeps what each build rendered.
    pub fn new(root: &Path, options: BuildOptions) -> Session {
        Session {
            root: crate::util::paths::absolute(root),
            options,
            cache: Caching::Kept(KeptCache::default()),
            loads: crate::load::LoadMemo::default(),
            data_checked: None,
        }
    }

    /// A session for one build, which keeps nothing it will not need again.
    pub fn one_off(root: &Path, options: BuildOptions) -> Session {
        Session {
            cache: Caching::OneOff(OneOffCache::default()),
            ..Session::new(root, options)
        }
    }

    /// Every file the last build read, wherever it lives (the watcher watches these).
    pub fn files_read(&self) -> Vec<PathBuf> {
        self.loads.files_read()
    }

    /// Loads, validates and renders the book without writing anything, reading every file.
    pub fn render(&mut self) -> Result<Built, Failed> {
        self.render_with(None, Destination::Memory)
    }

    /// Like [`Session::render`], after the watcher saw `changed` (absolute paths): when those
    /// are chapters or data files read by the last build, only they are read again.
    pub fn render_after(&mut self, changed: &[PathBuf]) -> Result<Built, Failed> {
        self.render_with(Some(changed), Destination::Memory)
    }

    /// Renders the book and drops the files: the errors and warnings are what is wanted.
    pub fn check(&mut self) -> Result<Built, Failed> {
        self.render_with(None, Destination::Discard)
    }

    /// Renders the book straight into `staging`, leaving [`Site::files`] empty.
    pub fn render_into(&mut self, staging: &Staging) -> Result<Built, Failed> {
        self.render_with(None, Destination::Write(staging))
    }

    /// Loads the book and checks its data files against each other (`crate::validate`);
    /// those checks run when the load failed elsewhere too, so one run shows every problem.
    fn load(
        &mut self,
        config: &Config,
        changed: Option<&[PathBuf]>,
    ) -> Result<(crate::model::Book, Diagnostics), Diagnostics> {
        crate::markdown::load_highlighter_in_background();
        let loaded = crate::load::book_with(config, &mut self.loads, changed);
        let checked = self.check_data();
        match loaded {
            Ok((book, mut diags)) => {
                let failed = checked.has_errors();
                diags.extend(checked);
                if failed {
                    Err(diags)
                } else {
                    Ok((book, diags))
                }
            }
            Err(mut diags) => {
                diags.extend(checked);
                Err(diags)
            }
        }
    }

    /// `validate::data::check` over the last load's data files, reused while they are the same.
    fn check_data(&mut self) -> Diagnostics {
        let Some(data) = self.loads.data() else {
            return Diagnostics::default();
        };
        match &self.data_checked {
            Some((checked, diags)) if Arc::ptr_eq(checked, data) => diags.clone(),
            _ => {
                let diags = crate::validate::data::check(data);
                self.data_checked = Some((data.clone(), diags.clone()));
                diags
            }
        }
    }

    fn render_with(
        &mut self,
        changed: Option<&[PathBuf]>,
        destination: Destination<'_>,
    ) -> Result<Built, Failed> {
        let started = Instant::now();
        let root = self.root.clone();
        let mut warnings = Diagnostics::default();
        let fail = |diags: Diagnostics, warnings: &Diagnostics, root: &Path| {
            let mut all = warnings.clone();
            all.extend(diags);
            Failed {
                diagnostics: all,
                root: root.to_path_buf(),
            }
        };
        let (config, w) = Config::load(&root).map_err(|d| fail(d, &warnings, &root))?;
        warnings.extend(w);
        let root = config.root.clone();
        let (theme, w) = match Theme::load(&config) {
            Ok(loaded) => loaded,
            // The book's own problems too, so one run shows everything.
            Err(mut diags) => {
                match self.load(&config, changed) {
                    Ok((_, w)) => warnings.extend(w),
                    Err(more) => diags.extend(more),
                }
                return Err(fail(diags, &warnings, &root));
            }
        };
        warnings.extend(w);
        let loaded = Instant::now();
        let (book, w) = self
            .load(&config, changed)
            .map_err(|d| fail(d, &warnings, &root))?;
        warnings.extend(w);
        let (book, w) =
            crate::preprocess::run(&config, book).map_err(|d| fail(d, &warnings, &root))?;
        warnings.extend(w);
        let rendering = Instant::now();
        tracing::debug!(
            "loaded (peak {} MiB)",
            crate::util::memory::peak_memory_mib().unwrap_or(0)
        );
        let options = &self.options;
        let rendered = match &mut self.cache {
            Caching::Kept(cache) => {
                render::site(&book, &config, &theme, options, cache, destination)
            }
            Caching::OneOff(cache) => {
                render::site(&book, &config, &theme, options, cache, destination)
            }
        };
        let (site, w) = rendered.map_err(|d| fail(d, &warnings, &root))?;
        warnings.extend(w);
        tracing::debug!(
            "config+theme {} ms, load {} ms, render {} ms",
            (loaded - started).as_millis(),
            (rendering - loaded).as_millis(),
            rendering.elapsed().as_millis()
        );
        Ok(Built {
            config,
            site,
            warnings,
            elapsed: started.elapsed(),
            rendered_pages: match &self.cache {
                Caching::Kept(cache) => cache.rendered_pages(),
                Caching::OneOff(cache) => cache.rendered_pages(),
            },
            chapters_read: self.loads.chapters_read,
        })
    }
}

/// Loads, validates and renders the book at `root` without writing anything.
pub fn render(root: &Path, options: &BuildOptions) -> Result<Built, Failed> {
    Session::one_off(root, options.clone()).render()
}

/// Renders the book at `root` for its errors and warnings, keeping no file. A build directory
/// `build` would refuse is reported too: one that holds the book's own files is an error, one
/// that holds someone else's a warning (`build --force` may replace it).
pub fn check(root: &Path, options: &BuildOptions) -> Result<Built, Failed> {
    let root = crate::util::paths::absolute(root);
    // A build directory that is the sources would also skew the render: report it alone.
    if let Ok((config, warnings)) = Config::load(&root) {
        let forced = WriteTo {
            dest: None,
            force: true,
        };
        if let Err(d) = destination(&config, &forced) {
            let mut diagnostics = warnings;
            diagnostics.push(d);
            return Err(Failed { diagnostics, root });
        }
    }
    let mut built = Session::one_off(&root, options.clone()).check()?;
    if let Err(d) = destination(&built.config, &WriteTo::default()) {
        built.warnings.push(Diagnostic {
            severity: crate::diagnostics::Severity::Warning,
            ..d
        });
    }
    Ok(built)
}

/// Where a build writes, and whether it may replace a folder guidebook did not write.
#[derive(Debug, Clone, Default)]
pub struct WriteTo {
    /// `-d DIR`; `None` is the build directory from book.toml.
    pub dest: Option<PathBuf>,
    /// `--force`: replace a non-empty folder that is not a guidebook build.
    pub force: bool,
}

/// A site written to disk.
pub struct Written {
    pub built: Built,
    pub dest: PathBuf,
    /// The previous site, moved aside and not deleted.
    pub left_behind: Option<PathBuf>,
}

/// Renders and writes the site. Pages are written into a staging directory as they render,
/// which replaces the destination only when the build succeeds; a destination that holds the
/// book's own files (or, without `force`, anyone else's) is refused before anything is made.
pub fn build(root: &Path, to: &WriteTo, options: &BuildOptions) -> Result<Written, Failed> {
    let root = crate::util::paths::absolute(root);
    let failed = |diagnostics: Diagnostics| Failed {
        diagnostics,
        root: root.clone(),
    };
    // book.toml is read again by the build; this first read only finds where it goes.
    let (config, _) = Config::load(&root).map_err(failed)?;
    let dest = destination(&config, to).map_err(|d| failed(d.into()))?;
    let cannot_write = |e: anyhow::Error, warnings: Diagnostics| {
        let mut diagnostics = warnings;
        diagnostics.push(Diagnostic::error(&dest, format!("{e:#}")));
        failed(diagnostics)
    };
    let staging = Staging::beside(&dest).map_err(|e| cannot_write(e, Diagnostics::default()))?;
    let built = Session::one_off(&root, options.clone()).render_into(&staging)?;
    let committed = staging
        .commit()
        .map_err(|e| cannot_write(e, built.warnings.clone()))?;
    Ok(Written {
        built,
        dest,
        left_behind: committed.left_behind,
    })
}

/// The destination for `to`, once [`guard::check`] allows it.
pub fn destination(config: &Config, to: &WriteTo) -> Result<PathBuf, Diagnostic> {
    let dest = match &to.dest {
        Some(d) => crate::util::paths::absolute(d),
        None => config.build_dir.clone(),
    };
    guard::check(&dest, config, guard::Intent::Build, to.force).map_err(|refusal| {
        match &to.dest {
            Some(_) => Diagnostic::error(&dest, refusal.message),
            None => config.error_at_key("build.build-dir", refusal.message),
        }
    })?;
    Ok(dest)
}

/// Writes a rendered site atomically to its configured build directory (watch mode).
pub fn write(built: &Built, to: &WriteTo) -> Result<Option<PathBuf>, Failed> {
    let failed = |d: Diagnostic| {
        let mut diagnostics = built.warnings.clone();
        diagnostics.push(d);
        Failed {
            diagnostics,
            root: built.config.root.clone(),
        }
    };
    let dest = destination(&built.config, to).map_err(failed)?;
    crate::output::write_atomically(&built.site.files, &dest)
        .map(|c| c.left_behind)
        .map_err(|e| failed(Diagnostic::error(&dest, format!("{e:#}"))))
}
