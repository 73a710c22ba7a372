//! Stage 1: disk → [`Book`]. Reads SUMMARY.md, every chapter it lists, the YAML data files and
//! the other files to copy, and reports every problem it finds rather than the first.

mod assemble;
pub(crate) mod chapter;
pub(crate) mod data;
mod files;
mod includes;
mod memo;
pub(crate) mod source;
pub(crate) mod summary;

use crate::config::Config;
use crate::diagnostics::Diagnostics;
use crate::model::{Book, SummaryItem, SummaryLink};

pub use memo::{LoadMemo, book_with};

/// Loads the book described by `config`. Warnings are returned with the book; any error means
/// no book.
pub fn book(config: &Config) -> Result<(Book, Diagnostics), Diagnostics> {
    book_with(config, &mut LoadMemo::default(), None)
}

/// SUMMARY links in reading order.
pub fn flatten<'a>(items: &'a [SummaryItem], out: &mut Vec<&'a SummaryLink>) {
    for item in items {
        if let SummaryItem::Link(link) = item {
            out.push(link);
            flatten(&link.children, out);
        }
    }
}
