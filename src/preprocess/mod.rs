//! Stage 1½: the book's external preprocessors (`[preprocessor.NAME]` in book.toml), run with
//! mdBook's protocol between loading and rendering. A book without any pays nothing.
//!
//! Each build runs them again (a watch rebuild too): their answer may depend on anything, so
//! nothing of it is reused. Their answers chain: each reads the book the previous one wrote.
//! guidebook keeps the chapters SUMMARY.md lists: a preprocessor may rewrite their text, but
//! a chapter it adds or drops is reported and ignored.

mod apply;
mod command;
mod order;
mod protocol;

use crate::config::{Config, Preprocessor};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Book;

use command::Failure;
use protocol::Item;

/// The only renderer guidebook has.
const RENDERER: &str = "html";

/// Runs the book's preprocessors over `book`. Returns the book as they left it, with warnings,
/// or the error that stopped them.
pub fn run(config: &Config, book: Book) -> Result<(Book, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::default();
    if config.preprocessors.is_empty() {
        return Ok((book, diags));
    }
    let order = order::running_order(config, &mut diags).map_err(|d| with(&diags, d))?;
    let json_config = config.preprocessor_config.clone().unwrap_or_default();
    let mut items = protocol::items_of(&book);
    let mut ran = false;
    for p in order {
        if !should_run(config, p, &mut diags).map_err(|d| with(&diags, d))? {
            continue;
        }
        let started = std::time::Instant::now();
        let input = protocol::input(&config.root, &json_config, RENDERER, &items);
        let answer = match command::run(&p.command, &config.root, input, &p.name) {
            Ok(finished) => answer(config, p, finished, &items),
            Err(Failure::NotFound) if p.optional => {
                diags.push(missing(config, p));
                continue;
            }
            Err(failure) => Err(failed_to_start(config, p, failure)),
        }
        .map_err(|d| with(&diags, d))?;
        tracing::debug!(
            "preprocessor `{}`: {} ms",
            p.name,
            started.elapsed().as_millis()
        );
        apply::check_chapters(config, p, &items, &answer, &mut diags);
        items = answer;
        ran = true;
    }
    if !ran {
        return Ok((book, diags));
    }
    let started = std::time::Instant::now();
    let book = apply::rewrite(book, &items);
    tracing::debug!(
        "preprocessed text applied: {} ms",
        started.elapsed().as_millis()
    );
    Ok((book, diags))
}

/// Whether `p` runs for the html renderer: its `renderers` list when it has one, else its
/// answer to `supports html`. A missing optional program is a warning and does not run.
fn should_run(
    config: &Config,
    p: &Preprocessor,
    diags: &mut Diagnostics,
) -> Result<bool, Diagnostic> {
    if let Some(renderers) = &p.renderers {
        return Ok(renderers.iter().any(|r| r == RENDERER));
    }
    let started = std::time::Instant::now();
    let supported = command::supports(&p.command, &config.root, RENDERER);
    tracing::debug!(
        "`{} supports {RENDERER}`: {} ms",
        p.name,
        started.elapsed().as_millis()
    );
    match supported {
        Ok(yes) => {
            if !yes {
                tracing::debug!("preprocessor `{}` does not support {RENDERER}", p.name);
            }
            Ok(yes)
        }
        Err(Failure::NotFound) if p.optional => {
            diags.push(missing(config, p));
            Ok(false)
        }
        Err(failure) => Err(failed_to_start(config, p, failure)),
    }
}

/// The book a finished run printed, or the error it made.
fn answer(
    config: &Config,
    p: &Preprocessor,
    finished: command::Finished,
    sent: &[Item],
) -> Result<Vec<Item>, Diagnostic> {
    if !finished.status.success() {
        let how = match finished.status.code() {
            Some(code) => format!("exited with status {code}"),
            None => "was stopped by a signal".to_owned(),
        };
        return Err(with_tail(
            error_at(
                config,
                p,
                format!("preprocessor `{}` (`{}`) {how}", p.name, p.command),
            ),
            config,
            &finished.stderr_tail,
        ));
    }
    protocol::output(&finished.stdout, sent).map_err(|why| {
        let why = if finished.stdout.iter().all(u8::is_ascii_whitespace) {
            "it printed nothing on stdout".to_owned()
        } else {
            why
        };
        let message = format!(
            "preprocessor `{}` (`{}`) did not print a book in mdBook's JSON form: {why}",
            p.name, p.command
        );
        let d = with_start(error_at(config, p, message), config, &finished.stdout);
        with_tail(d, config, &finished.stderr_tail)
    })
}

/// The error for a program that could not be started, with how to install a missing one.
fn failed_to_start(config: &Config, p: &Preprocessor, failure: Failure) -> Diagnostic {
    let message = match failure {
        Failure::NotFound => format!(
            "preprocessor `{}`: the command `{}` was not found; {}, or set `optional = true` in \
             [preprocessor.{}] to build without it",
            p.name,
            p.command,
            install_hint(p),
            p.name
        ),
        Failure::Other(why) => format!("preprocessor `{}` (`{}`): {why}", p.name, p.command),
    };
    error_at(config, p, message)
}

fn install_hint(p: &Preprocessor) -> String {
    let program = shlex::split(&p.command)
        .and_then(|w| w.into_iter().next())
        .unwrap_or_default();
    if program.starts_with("mdbook-") && !program.contains('/') {
        format!("install it (e.g. `cargo install {program}`)")
    } else {
        format!("check that `{program}` is installed and on PATH")
    }
}

fn missing(config: &Config, p: &Preprocessor) -> Diagnostic {
    let message = format!(
        "preprocessor `{}` is not installed (the command `{}` was not found); it is optional, so \
         the book is built without it",
        p.name, p.command
    );
    Diagnostic {
        severity: crate::diagnostics::Severity::Warning,
        ..error_at(config, p, message)
    }
}

/// An error at the `[preprocessor.NAME]` table of book.toml.
fn error_at(config: &Config, p: &Preprocessor, message: String) -> Diagnostic {
    config.error_at_key(&format!("preprocessor.{}", p.name), message)
}

fn with_tail(d: Diagnostic, config: &Config, tail: &[String]) -> Diagnostic {
    if tail.is_empty() {
        return d;
    }
    let shown: Vec<String> = tail.iter().map(|l| format!("  {l}")).collect();
    let message = format!("its stderr ended with:\n{}", shown.join("\n"));
    d.with_note(&config.book_toml, None, message)
}

/// The first lines of what a preprocessor printed instead of a book.
fn with_start(d: Diagnostic, config: &Config, stdout: &[u8]) -> Diagnostic {
    let text = String::from_utf8_lossy(&stdout[..stdout.len().min(400)]).into_owned();
    let lines: Vec<String> = text.lines().take(3).map(|l| format!("  {l}")).collect();
    if lines.iter().all(|l| l.trim().is_empty()) {
        return d;
    }
    let message = format!("its stdout began with:\n{}", lines.join("\n"));
    d.with_note(&config.book_toml, None, message)
}

/// The warnings so far and the error that ended the run.
fn with(diags: &Diagnostics, error: Diagnostic) -> Diagnostics {
    let mut all = diags.clone();
    all.push(error);
    all
}
