//! `guidebook check`: the whole pipeline in memory; nothing is written.

use crate::render::BuildOptions;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub root: super::RootArg,
}

pub fn run(args: Args, quiet: bool) -> super::Outcome {
    match crate::pipeline::check(&args.root.path(), &BuildOptions::default()) {
        Ok(built) => {
            super::print_diagnostics(&built.warnings, quiet);
            tracing::info!(
                "checked {} pages in {} ms: no errors",
                built.site.page_count,
                built.elapsed.as_millis()
            );
            Ok(Ok(()))
        }
        Err(failed) => {
            super::print_diagnostics(&failed.diagnostics, false);
            let n = failed.diagnostics.error_count();
            eprintln!(
                "error: check found {n} error{}",
                if n == 1 { "" } else { "s" }
            );
            Ok(Err(super::Reported))
        }
    }
}
