//! Starting a preprocessor's program as mdBook does: the command line split into words (no
//! shell), a program path with a folder taken from the book root, the book root as the
//! working directory, no variables added to the environment.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// After this long a preprocessor still running gets a warning in the log (guidebook waits
/// for it all the same, as mdBook does: a first `cargo run` may compile for minutes).
const SLOW: Duration = Duration::from_secs(30);

/// Lines of a failed preprocessor's stderr repeated in the error.
const STDERR_TAIL: usize = 10;

/// Why a program could not be used.
pub(super) enum Failure {
    /// The program does not exist.
    NotFound,
    /// Anything else, said in a sentence.
    Other(String),
}

/// What a finished run left.
pub(super) struct Finished {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    /// Its last lines, already shown on guidebook's stderr as they came.
    pub stderr_tail: Vec<String>,
}

/// The command `line` ready to start in `root`.
fn command(line: &str, root: &Path) -> Result<Command, Failure> {
    let words = shlex::split(line).ok_or_else(|| {
        Failure::Other(format!(
            "cannot split `{line}` into words (a quote is not closed)"
        ))
    })?;
    let Some((program, args)) = words.split_first() else {
        return Err(Failure::Other("the command is empty".to_owned()));
    };
    let program = PathBuf::from(program);
    // A bare name is looked up on PATH; a path with a folder is relative to the book root.
    let program = if program.components().count() == 1 {
        program
    } else {
        root.join(program)
    };
    let mut cmd = Command::new(program);
    cmd.args(args).current_dir(root);
    Ok(cmd)
}

fn spawn_failure(e: std::io::Error) -> Failure {
    match e.kind() {
        std::io::ErrorKind::NotFound => Failure::NotFound,
        _ => Failure::Other(format!("cannot start it: {e}")),
    }
}

/// `LINE supports RENDERER`: whether the program says it works for that renderer (exit 0).
/// What it prints goes to guidebook's stderr, keeping stdout for guidebook's own output.
pub(super) fn supports(line: &str, root: &Path, renderer: &str) -> Result<bool, Failure> {
    let status = command(line, root)?
        .args(["supports", renderer])
        .stdin(Stdio::null())
        .stdout(std::io::stderr())
        .stderr(Stdio::inherit())
        .status()
        .map_err(spawn_failure)?;
    Ok(status.success())
}

/// Runs `line` with `input` on its stdin; its stderr is passed through line by line.
pub(super) fn run(
    line: &str,
    root: &Path,
    input: Vec<u8>,
    name: &str,
) -> Result<Finished, Failure> {
    let mut child = command(line, root)?
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(spawn_failure)?;
    let (Some(mut stdin), Some(mut stdout), Some(stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        return Err(Failure::Other("its pipes could not be opened".to_owned()));
    };
    // Each pipe on its own thread, so a program that writes before it has read all of its
    // input cannot block on a full pipe.
    let writer = std::thread::spawn(move || {
        // A program that stops reading early (it needs only the context) is not an error.
        let _ = stdin.write_all(&input);
    });
    let tail = std::thread::spawn(move || pass_through(stderr));
    let (sender, received) = mpsc::channel();
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let read = stdout.read_to_end(&mut bytes).map(|_| bytes);
        let _ = sender.send(read);
    });
    let stdout = match received.recv_timeout(SLOW) {
        Ok(read) => read,
        Err(_) => {
            tracing::warn!(
                "preprocessor `{name}` (`{line}`) has been running for {} s; still waiting for it",
                SLOW.as_secs()
            );
            received
                .recv()
                .map_err(|_| Failure::Other("its output was lost".to_owned()))?
        }
    }
    .map_err(|e| Failure::Other(format!("cannot read its output: {e}")))?;
    let status = child
        .wait()
        .map_err(|e| Failure::Other(format!("cannot wait for it: {e}")))?;
    let _ = writer.join();
    let stderr_tail = tail.join().unwrap_or_default();
    Ok(Finished {
        status,
        stdout,
        stderr_tail,
    })
}

/// Copies the program's stderr to ours as it comes, keeping its last lines.
fn pass_through(stderr: impl Read) -> Vec<String> {
    let mut tail = std::collections::VecDeque::with_capacity(STDERR_TAIL + 1);
    let mut ours = std::io::stderr();
    for line in BufReader::new(stderr).split(b'\n') {
        let Ok(line) = line else { break };
        let _ = ours.write_all(&line);
        let _ = ours.write_all(b"\n");
        tail.push_back(String::from_utf8_lossy(&line).trim_end().to_owned());
        if tail.len() > STDERR_TAIL {
            tail.pop_front();
        }
    }
    tail.into()
}
