//! Stage 1: disk → [`Book`]. Reads SUMMARY.md, every chapter it lists, the YAML data files and
//! the other files to copy, and reports every problem it finds rather than the first.

mod assemble;
pub(crate) mod chapter;
pub(crate) mod data;
mod files;
mod includes;
mod listed;
mod memo;
pub(crate) mod source;
pub(crate) mod summary;
pub(crate) mod title;

use std::path::PathBuf;

use crate::config::Config;
use crate::diagnostics::Diagnostics;
use crate::model::Book;

pub use memo::LoadMemo;
pub use summary::flatten;

/// Loads the book described by `config`. Warnings are returned with the book; any error means
/// no book.
pub fn book(config: &Config) -> Result<(Book, Diagnostics), Diagnostics> {
    book_with(config, &mut LoadMemo::default(), None)
}

/// Loads the book, reusing what `memo` holds from the last load for files not in `changed`.
pub fn book_with(
    config: &Config,
    memo: &mut LoadMemo,
    changed: Option<&[PathBuf]>,
) -> Result<(Book, Diagnostics), Diagnostics> {
    let loaded = memo.refresh(config, changed)?;
    assemble::assemble(config, loaded)
}
