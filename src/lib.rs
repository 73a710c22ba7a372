//! guidebook: a static site generator for advising guides.
//!
//! Layers, each importing only those below it ([`util`], [`diagnostics`], [`model`] at the
//! bottom): [`config`] (book.toml) → [`load`] (SUMMARY.md, chapters, YAML data files) →
//! [`preprocess`] (the book's external preprocessors) → [`markdown`] (chapter HTML and its
//! facts) → [`validate`] (ids, links, references) → [`render`] (pages via the [`theme`], with
//! [`search`]) → [`output`] (atomic write).
//! [`pipeline`] runs them in a row; [`watch`] and [`serve`] rerun it; [`cli`] is the command line.

pub mod cli;
pub mod config;
pub mod csp;
pub mod diagnostics;
/// Entry points for the fuzz targets; not a supported API.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod preprocess;
pub mod render;
pub mod search;
pub mod serve;
pub mod theme;
pub mod util;
pub mod validate;
pub mod watch;
