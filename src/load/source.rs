//! Reading a source file (chapter, include, SUMMARY.md, data file) safely: regular files only,
//! a size limit, UTF-8 without a byte-order mark.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Position};

/// The largest source file read (chapter, include, SUMMARY.md, data file). The guide's own
/// chapters are under 30 KB; a file this big is a paste or export gone wrong, and building it
/// would take minutes and write a page and search index no reader could load.
pub const MAX_SOURCE_BYTES: u64 = 8 * MB;
const MB: u64 = 1024 * 1024;

/// Reads a chapter's text: UTF-8, without a byte-order mark, with `\r\n` kept (pulldown-cmark
/// handles it and offsets stay true to the file).
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let cannot_read = |e: std::io::Error| Diagnostic::error(path, format!("cannot read: {e}"));
    // Checked before opening: a FIFO would block the open forever, and a device (a symlink to
    // /dev/zero) would be read until memory runs out.
    let metadata = std::fs::metadata(path).map_err(cannot_read)?;
    if !metadata.is_file() {
        let message = format!("cannot read: {}, not a regular file", file_kind(&metadata));
        return Err(Diagnostic::error(path, message));
    }
    // Checked before reading, so a huge file is never loaded into memory.
    let size = metadata.len();
    if size > MAX_SOURCE_BYTES {
        let what = match path.extension().and_then(|e| e.to_str()) {
            Some("md") => "chapter",
            Some("yaml" | "yml") => "data file",
            _ => "file",
        };
        let message = format!(
            "{what} is {:.1} MB, over the {} MB limit for a source file; split it into smaller files",
            size as f64 / MB as f64,
            MAX_SOURCE_BYTES / MB
        );
        return Err(Diagnostic::error(path, message).at(Position { line: 1, column: 1 }, None));
    }
    let bytes = std::fs::read(path).map_err(cannot_read)?;
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(text)
        }
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
            Err(Diagnostic::error(path, "file is not valid UTF-8")
                .at(Position::of_offset(&valid, offset), None))
        }
    }
}

/// What a file that is not a regular file is, in an author's words.
fn file_kind(metadata: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let kind = metadata.file_type();
    if kind.is_dir() {
        "it is a directory"
    } else if kind.is_fifo() {
        "it is a named pipe (FIFO)"
    } else if kind.is_char_device() || kind.is_block_device() {
        "it is a device"
    } else if kind.is_socket() {
        "it is a socket"
    } else {
        "it is a special file"
    }
}
