//! The files under the source directory, sorted by kind.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::data::DataKind;

/// Files under the source directory, sorted by kind.
#[derive(Clone)]
pub(super) struct SourceFiles {
    pub(super) markdown: Vec<PathBuf>,
    pub(super) data: Vec<(PathBuf, DataKind)>,
    /// YAML files in no known place (not topics.yaml, questions/ or checklists/).
    pub(super) unknown_yaml: Vec<PathBuf>,
    /// Relative to the source directory.
    pub(super) assets: Vec<PathBuf>,
}

impl SourceFiles {
    pub(super) fn scan(src_dir: &Path, build_dir: &Path) -> SourceFiles {
        let mut files = SourceFiles {
            markdown: Vec::new(),
            data: Vec::new(),
            unknown_yaml: Vec::new(),
            assets: Vec::new(),
        };
        let walker = WalkDir::new(src_dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !is_hidden(e.file_name()) && e.path() != build_dir);
        for entry in walker.filter_map(Result::ok) {
            let kind = entry.file_type();
            if kind.is_dir() {
                continue;
            }
            // A FIFO or device (or a symlink to one) named like a data file is kept, for
            // reading to refuse with an error; symlinks to regular files stay skipped.
            let special =
                !kind.is_file() && std::fs::metadata(entry.path()).map_or(true, |m| !m.is_file());
            if !kind.is_file() && !special {
                continue;
            }
            let path = entry.into_path();
            let rel = path
                .strip_prefix(src_dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            if rel == "SUMMARY.md" {
                continue;
            }
            if special {
                if let Some(kind) = DataKind::of(&rel) {
                    files.data.push((path, kind));
                }
                continue;
            }
            if rel.ends_with(".md") {
                files.markdown.push(path);
            } else if let Some(kind) = DataKind::of(&rel) {
                files.data.push((path, kind));
            } else if rel.ends_with(".yaml") || rel.ends_with(".yml") {
                files.unknown_yaml.push(path);
            } else {
                files.assets.push(PathBuf::from(rel));
            }
        }
        files
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    (name.starts_with('.') && name != ".") || name.ends_with('~') || name.ends_with(".swp")
}
