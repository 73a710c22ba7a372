//! `guidebook clean`: delete the build directory, only if guidebook wrote it.

use anyhow::Context as _;

use crate::config::Config;
use crate::output::guard;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub root: super::RootArg,
    /// Delete the build directory even if it holds files guidebook did not write (never the
    /// book's own files).
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: Args) -> super::Outcome {
    let config = match Config::load(&args.root.path()) {
        Ok((config, _)) => config,
        Err(diags) => {
            super::print_diagnostics(&diags, false);
            return Ok(Err(super::Reported));
        }
    };
    let dest = &config.build_dir;
    if let Err(refusal) = guard::check(dest, &config, guard::Intent::Clean, args.force) {
        let d = config.error_at_key("build.build-dir", refusal.message);
        super::print_diagnostics(&crate::diagnostics::Diagnostics::from(d), false);
        eprintln!("error: nothing was deleted");
        return Ok(Err(super::Reported));
    }
    let removed = crate::output::clean(dest).context("cleaning the build directory")?;
    let shown = super::display(dest);
    if removed {
        tracing::info!("removed {shown}");
    } else {
        tracing::info!("nothing to clean: {shown} does not exist");
    }
    Ok(Ok(()))
}
