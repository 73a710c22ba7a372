//! guidebook: a static site generator for advising guides.
//!
//! The pipeline, one module per stage: [`config`] (book.toml) → [`load`] (SUMMARY.md, chapters,
//! YAML [`data`]) → [`markdown`] (chapter HTML) → [`render`] (pages via the [`theme`]) →
//! [`output`] (atomic write). [`pipeline`] runs them in a row; [`cli`] is the command line.

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
pub mod render;
pub mod search;
pub mod serve;
pub mod theme;
pub mod util;
pub mod validate;
pub mod watch;
