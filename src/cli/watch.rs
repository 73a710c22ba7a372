//! `guidebook watch`: rebuild into the build directory on every save, without a server.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;

use crate::config::Config;
use crate::diagnostics::Diagnostics;
use crate::pipeline::{self, Session, WriteTo};
use crate::render::BuildOptions;
use crate::watch::{self, FileWatcher};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub root: super::RootArg,
    /// Poll for changes instead of using file-system events (network drives, some VMs).
    #[arg(long)]
    pub poll: bool,
    /// Replace the build directory even if it holds files guidebook did not write (never the
    /// book's own files).
    #[arg(long)]
    pub force: bool,
}

/// How long a burst of file events must be quiet before a rebuild: an editor's save is
/// often several events.
pub const DEBOUNCE: Duration = Duration::from_millis(20);

pub fn run(args: Args, quiet: bool) -> super::Outcome {
    let root: PathBuf = args.root.path();
    let to = WriteTo {
        dest: None,
        force: args.force,
    };
    // Refused before anything is built or watched: every rebuild would be refused too.
    if let Err(d) = Config::load(&root)
        .and_then(|(c, _)| pipeline::destination(&c, &to).map_err(Diagnostics::from))
    {
        super::print_diagnostics(&d, quiet);
        return Ok(Err(super::Reported));
    }
    let mut watcher = FileWatcher::start(args.poll, DEBOUNCE).context("watching for changes")?;
    // Watch before the first build, so a save made while it runs is not missed.
    watcher.follow(&root, &[]);
    let mut session = Session::new(&root, BuildOptions::default());
    let write = |result: &Result<pipeline::Built, pipeline::Failed>| match result {
        Ok(built) => {
            super::print_diagnostics(&built.warnings, quiet);
            match pipeline::write(built, &to) {
                Ok(left_behind) => {
                    super::report_left_behind(left_behind.as_deref());
                    true
                }
                Err(failed) => {
                    super::print_diagnostics(&failed.diagnostics, quiet);
                    false
                }
            }
        }
        Err(failed) => {
            super::print_diagnostics(&failed.diagnostics, quiet);
            false
        }
    };
    let first = session.render();
    if write(&first) {
        tracing::info!(
            "built {} pages",
            first.as_ref().map_or(0, |b| b.site.page_count)
        );
    }
    // Now that the build has said what it reads (includes outside the sources...), watch it.
    watcher.follow(&root, &session.files_read());
    tracing::info!(
        "watching {} for changes (press Ctrl+C to stop)",
        super::display(&root)
    );
    let shown_root = root.clone();
    watch::rebuild_loop(&mut session, &mut watcher, |rebuild| {
        let what = watch::describe(&rebuild.changed, &shown_root);
        if write(&rebuild.result) {
            let pages = rebuild.result.as_ref().map_or(0, |b| b.rendered_pages);
            tracing::info!(
                "rebuilt after {what} changed: {pages} pages rendered in {} ms",
                rebuild.elapsed.as_millis()
            );
        } else {
            tracing::error!("rebuild after {what} changed failed; the previous site is untouched");
        }
    });
    Ok(Ok(()))
}
