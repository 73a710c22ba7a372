//! Stage 4: writing the site. The new site is written into a temporary directory beside the
//! destination and swapped in only when complete, so a failed build (or a crash mid-write)
//! leaves the previous site untouched and a server never serves a half-written site.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::render::{Contents, OutputFile};

/// Writes `files` as the complete contents of `dest`, replacing whatever was there.
pub fn write_atomically(files: &[OutputFile], dest: &Path) -> Result<()> {
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
    /// Directories already created, so each page costs one `create_dir_all` at most.
    made_dirs: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

impl Staging {
    /// Creates an empty staging directory in `dest`'s parent (same file system, so the swap
    /// is a rename).
    pub fn beside(dest: &Path) -> Result<Staging> {
        let (parent, name) = parent_and_name(dest);
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.tmp-"))
            .tempdir_in(parent)
            .with_context(|| format!("creating a temporary directory in {}", parent.display()))?;
        Ok(Staging {
            dir,
            dest: dest.to_path_buf(),
            made_dirs: Default::default(),
        })
    }

    /// Where `rel` goes in the staging directory, its parent directory created.
    pub fn path_for(&self, rel: &str) -> Result<PathBuf> {
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
    /// old one.
    pub fn commit(self) -> Result<()> {
        let dest = &self.dest;
        let (parent, name) = parent_and_name(dest);
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        let had_old = dest.exists();
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
        if had_old {
            fs::remove_dir_all(&old)
                .with_context(|| format!("removing the previous site {}", old.display()))?;
        }
        Ok(())
    }
}

/// Removes the output directory (and any staging leftovers beside it).
pub fn clean(dest: &Path) -> Result<bool> {
    let existed = dest.exists();
    if existed {
        fs::remove_dir_all(dest).with_context(|| format!("removing {}", dest.display()))?;
    }
    if let (Some(parent), Some(name)) = (dest.parent(), dest.file_name()) {
        let name = name.to_string_lossy();
        if let Ok(entries) = fs::read_dir(parent) {
            for entry in entries.flatten() {
                let n = entry.file_name().to_string_lossy().into_owned();
                if n.starts_with(&format!(".{name}.tmp-"))
                    || n.starts_with(&format!(".{name}.old-"))
                {
                    let _ = fs::remove_dir_all(entry.path());
                }
            }
        }
    }
    Ok(existed)
}
