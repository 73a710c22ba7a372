//! `guidebook watch`: rebuild into the build directory on every save, without a server.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;

use crate::pipeline::{self, Session};
use crate::render::BuildOptions;
use crate::watch::{self, FileWatcher};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub root: super::RootArg,
    /// Poll for changes instead of using file-system events (network drives, some VMs).
    #[arg(long)]
    pub poll: bool,
}

pub fn run(args: Args, quiet: bool) -> super::Outcome {
    let root: PathBuf = args.root.root;
    // Watch before the first build, so a save made while it runs is not missed.
    let watcher = FileWatcher::start(&root, args.poll, Duration::from_millis(10))
        .context("watching for changes")?;
    let mut session = Session::new(&root, BuildOptions::default());
    let write = |result: &Result<pipeline::Built, pipeline::Failed>| match result {
        Ok(built) => {
            super::print_diagnostics(&built.warnings, quiet);
            match pipeline::write(built, &built.config.build_dir) {
                Ok(()) => true,
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
    tracing::info!(
        "watching {} for changes (press Ctrl+C to stop)",
        super::display(&root)
    );
    let shown_root = std::path::absolute(&root).unwrap_or(root.clone());
    watch::rebuild_loop(&mut session, &watcher, |rebuild| {
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
