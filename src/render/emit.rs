//! Where a render's files go as they are made: kept in memory, written into a staging
//! directory, or dropped. A one-off build writes each page as soon as it renders, so memory
//! stays flat however large the guide.

use std::sync::Arc;

use anyhow::Context as _;

use crate::model::{Contents, FileSink, OutputFile};

/// Where a render puts its files.
#[derive(Clone, Copy)]
pub enum Destination<'a> {
    /// Kept in memory, in [`Site::files`] (serve, watch, tests).
    Memory,
    /// Written as they are made (into the output stage's staging directory), so a large guide's pages are never
    /// all held at once; [`Site::files`] is left empty.
    Write(&'a dyn FileSink),
    /// Made, counted and dropped: `guidebook check` renders everything and writes nothing.
    Discard,
}

/// The files of a render, as they are made.
pub(super) struct Emitted<'a> {
    destination: Destination<'a>,
    /// Files kept in memory.
    pub(super) files: Vec<OutputFile>,
    /// Paths of the files written or dropped instead (see [`Emitted::paths`]).
    elsewhere: Vec<String>,
    /// The file being assembled from parts (print.html), and where its parts go.
    joined: Option<(String, Joined)>,
    /// The first error writing a file: the build fails, and its staging directory goes.
    pub(super) error: Option<anyhow::Error>,
    /// Every path made so far, to find two files made for one path.
    seen: rustc_hash::FxHashSet<String>,
    /// Paths made twice (a chapter `404.md` and the generated 404 page...), in order.
    pub(super) collisions: Vec<String>,
}

enum Joined {
    Kept(Vec<Arc<String>>),
    File(std::io::BufWriter<std::fs::File>),
    Dropped,
}

impl<'a> Emitted<'a> {
    pub(super) fn new(destination: Destination<'a>) -> Emitted<'a> {
        Emitted {
            destination,
            files: Vec::new(),
            elsewhere: Vec::new(),
            joined: None,
            error: None,
            seen: Default::default(),
            collisions: Vec::new(),
        }
    }

    /// Notes that a file for `path` was made; a second one for the same path is a collision.
    fn claim(&mut self, path: &str) {
        if !self.seen.insert(path.to_owned()) && !self.collisions.iter().any(|c| c == path) {
            self.collisions.push(path.to_owned());
        }
    }

    /// Every file's path, kept, written or dropped (for the sitemap and the page count).
    pub(super) fn paths(&self) -> impl Iterator<Item = &str> {
        let kept = self.files.iter().map(|f| f.path.as_str());
        kept.chain(self.elsewhere.iter().map(String::as_str))
    }

    pub(super) fn push(&mut self, file: OutputFile) {
        self.claim(&file.path);
        match self.destination {
            Destination::Memory => return self.files.push(file),
            Destination::Discard => {}
            Destination::Write(staging) => {
                if self.error.is_none()
                    && let Err(e) = staging.write(&file)
                {
                    self.error = Some(e);
                }
            }
        }
        self.elsewhere.push(file.path);
    }

    /// Pushes `files`, writing them in parallel when they go to disk.
    pub(super) fn push_all(&mut self, files: Vec<OutputFile>) {
        use rayon::prelude::*;
        let Destination::Write(staging) = self.destination else {
            return self.extend(files);
        };
        files.iter().for_each(|f| self.claim(&f.path));
        if self.error.is_none()
            && let Err(e) = files.par_iter().try_for_each(|f| staging.write(f))
        {
            self.error = Some(e);
        }
        self.elsewhere.extend(files.into_iter().map(|f| f.path));
    }

    pub(super) fn extend(&mut self, files: impl IntoIterator<Item = OutputFile>) {
        files.into_iter().for_each(|f| self.push(f));
    }

    /// Starts the file at `path`, made of `head` and the parts that follow.
    pub(super) fn begin_joined(&mut self, path: &str, head: Arc<String>) {
        self.claim(path);
        let joined = match self.destination {
            Destination::Memory => Joined::Kept(Vec::new()),
            Destination::Discard => Joined::Dropped,
            Destination::Write(staging) => {
                let file = staging.path_for(path).and_then(|p| {
                    std::fs::File::create(&p).with_context(|| format!("writing {}", p.display()))
                });
                match file {
                    Ok(f) => Joined::File(std::io::BufWriter::new(f)),
                    Err(e) => {
                        self.error.get_or_insert(e);
                        return;
                    }
                }
            }
        };
        self.joined = Some((path.to_owned(), joined));
        self.extend_joined([head]);
    }

    pub(super) fn extend_joined(&mut self, parts: impl IntoIterator<Item = Arc<String>>) {
        use std::io::Write;
        let Some((path, joined)) = &mut self.joined else {
            return;
        };
        match joined {
            Joined::Kept(kept) => kept.extend(parts),
            Joined::Dropped => {}
            Joined::File(file) => {
                for part in parts {
                    if let Err(e) = file.write_all(part.as_bytes()) {
                        self.error
                            .get_or_insert(anyhow::anyhow!("writing {path}: {e}"));
                        return;
                    }
                }
            }
        }
    }

    /// Ends the joined file with `tail`.
    pub(super) fn end_joined(&mut self, tail: Arc<String>) {
        use std::io::Write;
        self.extend_joined([tail]);
        let Some((path, joined)) = self.joined.take() else {
            return;
        };
        match joined {
            Joined::Kept(parts) => self.files.push(OutputFile {
                path,
                contents: Contents::Joined(parts),
            }),
            Joined::File(mut file) => {
                if let Err(e) = file.flush() {
                    self.error
                        .get_or_insert(anyhow::anyhow!("writing {path}: {e}"));
                }
                self.elsewhere.push(path);
            }
            Joined::Dropped => self.elsewhere.push(path),
        }
    }
}
