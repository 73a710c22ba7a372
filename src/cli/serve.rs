//! `guidebook serve`: build, serve on 127.0.0.1, rebuild on every save and reload the browser.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use anyhow::Context as _;

use crate::pipeline::{Failed, Session};
use crate::render::BuildOptions;
use crate::serve::{self, BuildEvent, Snapshot};
use crate::watch::{self, FileWatcher, Rebuild};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub root: super::RootArg,
    /// Port to listen on (0 picks a free one).
    #[arg(short, long, default_value_t = 3000)]
    pub port: u16,
    /// Address to listen on. Keep the default unless you mean to share the preview.
    #[arg(short = 'n', long, default_value = "127.0.0.1")]
    pub hostname: IpAddr,
    /// Open the guide in your web browser.
    #[arg(long)]
    pub open: bool,
    /// Poll for changes instead of using file-system events (network drives, some VMs).
    #[arg(long)]
    pub poll: bool,
}

/// The browser-facing form of a failed build.
pub fn error_event(id: u64, failed: &Failed, has_good_build: bool) -> BuildEvent {
    BuildEvent {
        id,
        ok: false,
        css_only: false,
        has_good_build,
        errors: failed
            .diagnostics
            .clone()
            .sorted()
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.display_relative_to(&failed.root))
            .collect(),
    }
}

pub fn run(args: Args, quiet: bool) -> super::Outcome {
    let root: PathBuf = args.root.path();
    // Watch before the first build, so a save made while it runs is not missed.
    let mut watcher =
        FileWatcher::start(args.poll, super::watch::DEBOUNCE).context("watching for changes")?;
    watcher.follow(&root, &[]);
    // Pages are published as soon as they are rendered; the search index follows.
    let mut session = Session::new(
        &root,
        BuildOptions {
            live_reload: true,
            defer_search: true,
        },
    );
    let search_worker = serve::SearchWorker::start();
    let (first, event) = first_build(&mut session, &search_worker, quiet);
    let has_good_build = first.is_some();
    // Now that the build has said what it reads (includes outside the sources...), watch it.
    watcher.follow(&root, &session.files_read());
    let (addr, publisher) =
        serve::start(SocketAddr::new(args.hostname, args.port), first, event)
            .with_context(|| format!("starting the server on {}:{}", args.hostname, args.port))?;
    let url = format!("http://{addr}/");
    tracing::info!("serving at {url} (press Ctrl+C to stop)");
    if args.open {
        open_browser(&url);
    }
    if watcher.polling {
        tracing::info!("watching for changes by polling");
    }
    let mut preview = Preview {
        publisher,
        search_worker,
        has_good_build,
        quiet,
    };
    watch::rebuild_loop(&mut session, &mut watcher, |rebuild| {
        let what = watch::describe(&rebuild.changed, &root);
        preview.rebuilt(rebuild, &what);
    });
    Ok(Ok(()))
}

/// Runs the first build: the snapshot to serve (`None` if it failed) and what browsers are told.
fn first_build(
    session: &mut Session,
    search_worker: &serve::SearchWorker,
    quiet: bool,
) -> (Option<Snapshot>, BuildEvent) {
    match session.render() {
        Ok(built) => {
            super::print_diagnostics(&built.warnings, quiet);
            tracing::info!(
                "built {} pages in {} ms",
                built.site.page_count,
                built.elapsed.as_millis()
            );
            (
                Some(Snapshot::from_site(built.site, search_worker)),
                good_event(1, false),
            )
        }
        Err(failed) => {
            super::print_diagnostics(&failed.diagnostics, quiet);
            tracing::error!(
                "the first build failed with {}; until a save makes the book build, every page \
                 of the preview shows the errors",
                errors(failed.diagnostics.error_count())
            );
            (None, error_event(1, &failed, false))
        }
    }
}

/// What the rebuild loop publishes to.
struct Preview {
    publisher: serve::Publisher,
    search_worker: serve::SearchWorker,
    has_good_build: bool,
    quiet: bool,
}

impl Preview {
    /// Serves a good rebuild, or tells browsers about a failed one (the last good build
    /// stays). `what` names the changed files.
    fn rebuilt(&mut self, rebuild: Rebuild, what: &str) {
        match rebuild.result {
            Ok(built) => {
                super::print_diagnostics(&built.warnings, self.quiet);
                let pages = built.rendered_pages;
                self.publisher.publish(
                    Snapshot::from_site(built.site, &self.search_worker),
                    good_event(rebuild.id, rebuild.css_only),
                );
                self.has_good_build = true;
                tracing::info!(
                    "rebuilt after {what} changed: {pages} pages rendered in {} ms",
                    rebuild.elapsed.as_millis()
                );
            }
            Err(failed) => {
                super::print_diagnostics(&failed.diagnostics, self.quiet);
                let event = error_event(rebuild.id, &failed, self.has_good_build);
                self.publisher.fail(event);
                let serving = if self.has_good_build {
                    "still serving the last good build"
                } else {
                    "no build has succeeded yet, so every page shows the errors"
                };
                tracing::error!(
                    "rebuild after {what} changed failed with {}; {serving}",
                    errors(failed.diagnostics.error_count())
                );
            }
        }
    }
}

/// The browser-facing form of a good build.
fn good_event(id: u64, css_only: bool) -> BuildEvent {
    BuildEvent {
        id,
        ok: true,
        css_only,
        has_good_build: true,
        errors: Vec::new(),
    }
}

fn errors(count: usize) -> String {
    match count {
        1 => "1 error".to_owned(),
        n => format!("{n} errors"),
    }
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        tracing::warn!("could not open a browser ({e}); open {url} yourself");
    }
}
