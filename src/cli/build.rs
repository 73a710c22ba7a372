//! `guidebook build`: render the book and write the site atomically.

use std::path::PathBuf;

use crate::pipeline::WriteTo;
use crate::render::BuildOptions;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub root: super::RootArg,
    /// Write the site here instead of the build directory from book.toml.
    #[arg(short, long, value_name = "DIR")]
    pub dest_dir: Option<PathBuf>,
    /// Replace the destination even if it holds files guidebook did not write (never the
    /// book's own files).
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: Args, quiet: bool) -> super::Outcome {
    let to = WriteTo {
        dest: args.dest_dir,
        force: args.force,
    };
    match crate::pipeline::build(&args.root.path(), &to, &BuildOptions::default()) {
        Ok(written) => {
            let built = &written.built;
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
                super::display(&written.dest),
                super::display(&written.dest.join("index.html")),
            );
            super::report_left_behind(written.left_behind.as_deref());
            Ok(Ok(()))
        }
        Err(failed) => Ok(super::report_failure(&failed)),
    }
}
