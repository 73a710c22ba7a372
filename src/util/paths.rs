//! Paths as the file system sees them: lexical clean-up, symlinks resolved, containment.
//!
//! A leaf module: safety checks (where a site may be written, which files may be copied) and
//! the watcher compare paths through these functions, so `..`, `.` and symlinks cannot make
//! one place look like two.

use std::path::{Component, Path, PathBuf};

/// `path` without `.` and `..` components (a `..` drops the component before it).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` made absolute against the current directory and normalized.
pub fn absolute(path: &Path) -> PathBuf {
    normalize(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// `path` absolute, with every symlink in its existing part resolved. The part that does not
/// exist yet (a build directory before the first build) is appended as written.
pub fn resolve(path: &Path) -> PathBuf {
    let path = absolute(path);
    let mut existing = path.as_path();
    let mut missing = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return missing.iter().rev().fold(real, |p, part| p.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_owned());
                existing = parent;
            }
            _ => return path,
        }
    }
}

/// Whether `inner` is `outer` or lies inside it. Both should be [`resolve`]d.
pub fn is_within(inner: &Path, outer: &Path) -> bool {
    inner.starts_with(outer)
}

/// A relative path with only normal components (no `..`, no root, no prefix), with `/`
/// separators: the form every file of a built site is written under.
pub fn site_relative(path: &Path) -> Option<String> {
    let mut parts = Vec::new();
    for part in path.components() {
        match part {
            Component::Normal(p) => parts.push(p.to_str()?),
            Component::CurDir => {}
            _ => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The bytes of the regular file `path` when it resolves (symlinks included) inside `dir` and
/// holds at most 1 MiB (a favicon, not a way to publish any file).
pub fn read_inside(path: &Path, dir: &Path) -> Option<Vec<u8>> {
    let resolved = resolve(path);
    let meta = std::fs::metadata(&resolved).ok()?;
    let fits = meta.is_file() && meta.len() <= 1024 * 1024;
    (fits && is_within(&resolved, &resolve(dir)))
        .then(|| std::fs::read(&resolved).ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_dots() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
        assert_eq!(normalize(Path::new("a/../../b")), PathBuf::from("b"));
    }

    #[cfg(unix)]
    #[test]
    fn resolves_symlinks_in_the_existing_part() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir(&real).unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let real = real.canonicalize().unwrap();
        assert_eq!(resolve(&link.join("new/site")), real.join("new/site"));
        assert_eq!(resolve(&link.join("../real")), real);
    }

    #[test]
    fn site_relative_paths_stay_inside() {
        assert_eq!(
            site_relative(Path::new("./css/x.css")).as_deref(),
            Some("css/x.css")
        );
        for outside in ["/etc/passwd", "../x.css", "a/../../b", "", "."] {
            assert_eq!(site_relative(Path::new(outside)), None, "{outside}");
        }
    }
}
