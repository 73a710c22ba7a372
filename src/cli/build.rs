//! `guidebook build`: render the book and write the site atomically.

use std::path::PathBuf;

use crate::render::BuildOptions;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub root: super::RootArg,
    /// Write the site here instead of the build directory from book.toml.
    #[arg(short, long, value_name = "DIR")]
    pub dest_dir: Option<PathBuf>,
}

pub fn run(args: Args, quiet: bool) -> super::Outcome {
    match crate::pipeline::build(
        &args.root.root,
        args.dest_dir.as_deref(),
        &BuildOptions::default(),
    ) {
        Ok((built, dest)) => {
            super::print_diagnostics(&built.warnings, quiet);
            if built.site.search_index_bytes > 0 {
                tracing::info!(
                    "search index: {:.1} KB",
                    built.site.search_index_bytes as f64 / 1024.0
                );
            }
            tracing::info!(
                "built {} pages in {} ms into {}; open {}",
                built.site.page_count,
                built.elapsed.as_millis(),
                super::display(&dest),
                super::display(&dest.join("index.html")),
            );
            Ok(Ok(()))
        }
        Err(failed) => Ok(super::report_failure(&failed)),
    }
}
