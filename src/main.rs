use clap::Parser;
use tracing_subscriber::EnvFilter;

fn main() -> std::process::ExitCode {
    let cli = match guidebook::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and --version are successes; a mistyped command line is a user error (1).
            let _ = e.print();
            return std::process::ExitCode::from(if e.use_stderr() { 1 } else { 0 });
        }
    };
    let default_level = match (cli.quiet, cli.verbose) {
        (true, _) => "error",
        (false, 0) => "info",
        (false, 1) => "debug",
        (false, _) => "trace",
    };
    let filter =
        EnvFilter::try_from_env("GUIDEBOOK_LOG").unwrap_or_else(|_| EnvFilter::new(default_level));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_level(false)
        .without_time()
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    match guidebook::cli::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(guidebook::cli::Reported) => std::process::ExitCode::from(1),
    }
}
