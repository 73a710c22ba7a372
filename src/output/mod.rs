//! Stage 4: writing the site. The new site is written into a temporary directory beside the
//! destination and swapped in only when complete, so a failed build (or a crash mid-write)
//! leaves the previous site untouched and a server never serves a half-written site.
//!
//! [`guard`] decides whether a destination may be replaced at all; a staging directory is
//! removed on every way out (a failed build, an error, Ctrl-C), and one left by a killed build
//! is removed by the next.

pub mod guard;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::model::{Contents, FileSink, OutputFile};
use crate::util::cleanup;

/// Writes `files` as the complete contents of `dest`, replacing whatever was there.
pub fn write_atomically(files: &[OutputFile], dest: &Path) -> Result<Committed> {
    let staging = Staging::beside(dest)?;
    for file in files {
        staging.write(file)?;
    }
    staging.commit()
}

/// The directory a site lives in, and its name there: its staging and old copies go beside
/// it, named after it.
fn parent_and_name(dest: &Path) -> (&Path, String) {
    let parent = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "book".into());
    (parent, name)
}

/// A new site being written beside its destination. Dropped without [`Staging::commit`] (a
/// failed build), it is deleted and the previous site stays as it was.
pub struct Staging {
    dir: tempfile::TempDir,
    dest: PathBuf,
    /// On the Ctrl-C list while it lives (a dropped TempDir deletes itself).
    _interrupt: cleanup::Registered,
    /// Directories already created, so each page costs one `create_dir_all` at most.
    made_dirs: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

impl Staging {
    /// Creates an empty staging directory in `dest`'s parent (same file system, so the swap
    /// is a rename), marked as guidebook's and removed on Ctrl-C.
    pub fn beside(dest: &Path) -> Result<Staging> {
        let (parent, name) = parent_and_name(dest);
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        remove_abandoned(parent, &name);
        cleanup::install();
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.tmp-{}-", std::process::id()))
            .tempdir_in(parent)
            .with_context(|| format!("creating a temporary directory in {}", parent.display()))?;
        let marker = dir.path().join(guard::MARKER);
        fs::write(&marker, guard::MARKER_TEXT)
            .with_context(|| format!("writing {}", marker.display()))?;
        Ok(Staging {
            _interrupt: cleanup::Registered::new(dir.path()),
            dir,
            dest: dest.to_path_buf(),
            made_dirs: Default::default(),
        })
    }

    /// Where `rel` goes in the staging directory, its parent directory created.
    pub fn path_for(&self, rel: &str) -> Result<PathBuf> {
        // Output paths come from chapter names and book.toml: never let one escape the site.
        let rel = crate::util::paths::site_relative(Path::new(rel))
            .filter(|r| r != guard::MARKER)
            .with_context(|| format!("`{rel}` is not a path inside the site"))?;
        let path = self.dir.path().join(rel);
        if let Some(dir) = path.parent() {
            // Marked made only once it exists: another thread may be writing into it already.
            if !self.made_dirs.lock().is_ok_and(|made| made.contains(dir)) {
                fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
                if let Ok(mut m) = self.made_dirs.lock() {
                    m.insert(dir.to_path_buf());
                }
            }
        }
        Ok(path)
    }

    /// Writes one file of the site.
    pub fn write(&self, file: &OutputFile) -> Result<()> {
        let path = self.path_for(&file.path)?;
        let written = match &file.contents {
            Contents::Shared(bytes) => fs::write(&path, bytes.as_slice()),
            Contents::Bytes(bytes) => fs::write(&path, bytes),
            Contents::Joined(parts) => (|| {
                let mut f = std::io::BufWriter::new(fs::File::create(&path)?);
                for part in parts {
                    f.write_all(part.as_bytes())?;
                }
                f.flush()
            })(),
            Contents::Copy(source) => {
                return fs::copy(source, &path).map(drop).with_context(|| {
                    format!("copying {} to {}", source.display(), path.display())
                });
            }
        };
        written.with_context(|| format!("writing {}", path.display()))
    }

    /// Swaps the staged site in: moves the old site aside, the new one in, then deletes the
    /// old one. A previous site that cannot be deleted afterwards is not an error (the new
    /// site is in place): its path comes back so the caller can say so.
    pub fn commit(self) -> Result<Committed> {
        let dest = &self.dest;
        let (parent, name) = parent_and_name(dest);
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        let had_old = fs::symlink_metadata(dest).is_ok();
        if had_old {
            fs::rename(dest, &old)
                .with_context(|| format!("moving the previous site {} aside", dest.display()))?;
        }
        let staged: PathBuf = self.dir.keep();
        if let Err(e) = fs::rename(&staged, dest) {
            if had_old {
                let _ = fs::rename(&old, dest);
            }
            let _ = fs::remove_dir_all(&staged);
            return Err(e).with_context(|| format!("moving the new site into {}", dest.display()));
        }
        let mut committed = Committed { left_behind: None };
        if had_old && fs::remove_dir_all(&old).is_err() {
            committed.left_behind = Some(old.clone());
        }
        Ok(committed)
    }
}

impl FileSink for Staging {
    fn write(&self, file: &OutputFile) -> Result<()> {
        Staging::write(self, file)
    }

    fn path_for(&self, rel: &str) -> Result<PathBuf> {
        Staging::path_for(self, rel)
    }
}

/// A site swapped in.
#[derive(Debug)]
pub struct Committed {
    /// The previous site, moved aside but not deleted (e.g. a file in it is read-only).
    pub left_behind: Option<PathBuf>,
}

/// Deletes staging and old-site directories beside the site that a killed build left: those
/// named for a process that no longer runs and marked as guidebook's.
fn remove_abandoned(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.tmp-"), format!(".{name}.old-")];
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = prefixes
            .iter()
            .find_map(|p| file_name.strip_prefix(p.as_str()))
        else {
            continue;
        };
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        let path = entry.path();
        let abandoned = pid.is_some_and(|pid| !process_is_running(pid));
        if abandoned && guard::is_replaceable(&path) {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

/// Whether a process with this id runs. Where that cannot be known, it is assumed to.
fn process_is_running(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

/// Removes the output directory (and any staging leftovers beside it). The caller has
/// checked with [`guard::check`] that it may.
pub fn clean(dest: &Path) -> Result<bool> {
    let existed = fs::symlink_metadata(dest).is_ok();
    if existed {
        fs::remove_dir_all(dest).with_context(|| format!("removing {}", dest.display()))?;
    }
    let (parent, name) = parent_and_name(dest);
    remove_abandoned(parent, &name);
    Ok(existed)
}
