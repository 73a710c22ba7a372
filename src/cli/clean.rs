//! `guidebook clean`: delete the build directory.

use anyhow::Context as _;

use crate::config::Config;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub root: super::RootArg,
}

pub fn run(args: Args) -> super::Outcome {
    let config = match Config::load(&args.root.root) {
        Ok((config, _)) => config,
        Err(diags) => {
            super::print_diagnostics(&diags, false);
            return Ok(Err(super::Reported));
        }
    };
    let removed =
        crate::output::clean(&config.build_dir).context("cleaning the build directory")?;
    let shown = super::display(&config.build_dir);
    if removed {
        tracing::info!("removed {shown}");
    } else {
        tracing::info!("nothing to clean: {shown} does not exist");
    }
    Ok(Ok(()))
}
