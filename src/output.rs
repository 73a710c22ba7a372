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
    let parent = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "book".into());
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.tmp-"))
        .tempdir_in(parent)
        .with_context(|| format!("creating a temporary directory in {}", parent.display()))?;
    write_all(files, staging.path())?;

    // Swap: move the old site aside, move the new one in, then delete the old one.
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let had_old = dest.exists();
    if had_old {
        fs::rename(dest, &old)
            .with_context(|| format!("moving the previous site {} aside", dest.display()))?;
    }
    let staged: PathBuf = staging.keep();
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

fn write_all(files: &[OutputFile], root: &Path) -> Result<()> {
    let mut made_dirs = std::collections::HashSet::new();
    for file in files {
        let path = root.join(&file.path);
        if let Some(dir) = path.parent()
            && made_dirs.insert(dir.to_path_buf())
        {
            fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        match &file.contents {
            Contents::Shared(bytes) => {
                fs::write(&path, bytes.as_slice())
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            Contents::Joined(parts) => {
                let mut f = std::io::BufWriter::new(
                    fs::File::create(&path)
                        .with_context(|| format!("writing {}", path.display()))?,
                );
                for part in parts {
                    f.write_all(part.as_bytes())
                        .with_context(|| format!("writing {}", path.display()))?;
                }
                f.flush()
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            Contents::Bytes(bytes) => {
                let mut f = fs::File::create(&path)
                    .with_context(|| format!("writing {}", path.display()))?;
                f.write_all(bytes)
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            Contents::Copy(source) => {
                fs::copy(source, &path).with_context(|| {
                    format!("copying {} to {}", source.display(), path.display())
                })?;
            }
        }
    }
    Ok(())
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
