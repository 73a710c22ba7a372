//! The command line: one module per command, each with its `Args` and `run`.

mod build;
mod check;
mod clean;
mod init;
mod serve;
mod watch;

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::diagnostics::Diagnostics;
use crate::pipeline::Failed;

/// guidebook builds advising guides: Markdown chapters, YAML question banks and checklists,
/// turned into a website that works online and offline.
#[derive(Debug, Parser)]
#[command(name = "guidebook", version, about, long_about = None)]
#[command(
    after_help = "Start with `guidebook init my-guide`, then `guidebook build my-guide`.\n\
Each command takes the book's root folder (the one with book.toml); it defaults to the current folder."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Print more detail (repeat for even more).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the build directory (book/ unless book.toml says otherwise).
    Build(build::Args),
    /// Check the book for errors (bad YAML, broken links...) without writing anything.
    Check(check::Args),
    /// Create a new book with a sample chapter and question bank.
    Init(init::Args),
    /// Delete the build directory.
    Clean(clean::Args),
    /// Preview the guide: build, serve on http://127.0.0.1:3000, rebuild and reload on save.
    Serve(serve::Args),
    /// Rebuild into the build directory whenever a file changes (no server).
    Watch(watch::Args),
}

/// A command failed and has already told the user why; the process should exit with 1.
#[derive(Debug)]
pub struct Reported;

/// What each command's `run` returns: `Err` for unexpected failures (I/O...), `Ok(Err)` for
/// problems in the book that were already printed.
pub type Outcome = anyhow::Result<Result<(), Reported>>;

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<(), Reported> {
    let result = match cli.command {
        Command::Build(args) => build::run(args, cli.quiet),
        Command::Check(args) => check::run(args, cli.quiet),
        Command::Init(args) => init::run(args),
        Command::Clean(args) => clean::run(args),
        Command::Serve(args) => serve::run(args, cli.quiet),
        Command::Watch(args) => watch::run(args, cli.quiet),
    };
    result.map_err(|e| {
        eprintln!("error: {e:#}");
        Reported
    })?
}

/// Prints diagnostics compiler-style, paths relative to the current directory when possible.
pub fn print_diagnostics(diags: &Diagnostics, quiet: bool) {
    let cwd = std::env::current_dir().unwrap_or_default();
    for d in diags.clone().sorted() {
        if quiet && !d.is_error() {
            continue;
        }
        eprintln!("{}\n", d.display_relative_to(&cwd));
    }
}

/// Prints a failed build's diagnostics and a summary line.
pub fn report_failure(failed: &Failed) -> Result<(), Reported> {
    print_diagnostics(&failed.diagnostics, false);
    let n = failed.diagnostics.error_count();
    eprintln!(
        "error: build failed with {n} error{}; nothing was written",
        if n == 1 { "" } else { "s" }
    );
    Err(Reported)
}

/// Says where a previous site was left when it could not be deleted after the swap.
pub fn report_left_behind(left: Option<&Path>) {
    if let Some(old) = left {
        let old = display(old);
        tracing::warn!(
            "the new site is in place, but the previous one could not be deleted: remove {old} yourself"
        );
    }
}

/// The book root argument shared by commands.
#[derive(Debug, clap::Args)]
pub struct RootArg {
    /// The book's root folder, containing book.toml.
    #[arg(default_value = ".")]
    root: PathBuf,
}

impl RootArg {
    /// The root, absolute and without `.` or `..`: made so once, here, so every stage and the
    /// watcher compare the same paths.
    pub fn path(&self) -> PathBuf {
        crate::util::paths::absolute(&self.root)
    }
}

pub(crate) fn display(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        super::Cli::command().debug_assert();
    }
}
