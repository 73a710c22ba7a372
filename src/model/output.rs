//! The files of a built site, as the render stage makes them and the output stage writes them.

use std::path::PathBuf;
use std::sync::Arc;

/// One file of the built site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Relative to the output root, `/`-separated.
    pub path: String,
    pub contents: Contents,
}

#[derive(Debug, Clone)]
pub enum Contents {
    Bytes(Vec<u8>),
    /// A page kept in the render cache between builds.
    Shared(Arc<Vec<u8>>),
    /// Copy this file as it is (content assets such as images).
    Copy(PathBuf),
    /// A page made of parts kept in the render cache (print.html: one part per chapter), so
    /// a rebuild need not copy them into one buffer.
    Joined(Vec<Arc<String>>),
}

impl Contents {
    /// The file's bytes (read from disk for copied assets).
    pub fn bytes(&self) -> std::io::Result<std::borrow::Cow<'_, [u8]>> {
        match self {
            Contents::Bytes(b) => Ok(std::borrow::Cow::Borrowed(b)),
            Contents::Shared(b) => Ok(std::borrow::Cow::Borrowed(b.as_slice())),
            Contents::Copy(path) => std::fs::read(path).map(std::borrow::Cow::Owned),
            Contents::Joined(parts) => Ok(std::borrow::Cow::Owned(
                parts.iter().flat_map(|p| p.as_bytes()).copied().collect(),
            )),
        }
    }
}

/// Where the render stage writes files as it makes them (the output stage's staging
/// directory), so a large site is never held in memory whole. Defined here, below both
/// stages, so rendering need not know how or where files are written.
pub trait FileSink: Sync {
    /// Writes one whole file.
    fn write(&self, file: &OutputFile) -> anyhow::Result<()>;
    /// Where the file for `rel` goes, its folders made, to be written in parts.
    fn path_for(&self, rel: &str) -> anyhow::Result<PathBuf>;
}

/// `chapters/a.md` → `chapters/a.html`; `README.md` and `index.md` become `index.html`.
pub fn output_path_for(source_rel: &str) -> String {
    let stem = source_rel.strip_suffix(".md").unwrap_or(source_rel);
    let (dir, name) = stem.rsplit_once('/').map_or(("", stem), |(d, n)| (d, n));
    let name = if name.eq_ignore_ascii_case("readme") {
        "index"
    } else {
        name
    };
    if dir.is_empty() {
        format!("{name}.html")
    } else {
        format!("{dir}/{name}.html")
    }
}

/// The page of the question bank for an audience.
pub fn question_page(audience: &str) -> String {
    format!("questions/{audience}.html")
}

/// A worksheet's own page.
pub fn worksheet_page(id: &str) -> String {
    format!("worksheets/{id}.html")
}
