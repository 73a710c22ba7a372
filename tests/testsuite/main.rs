//! The integration tests, one binary with a module per feature (as mdBook's testsuite does), so
//! the library, scraper and headless_chrome are linked once. Each module drives the real
//! `guidebook` binary, a real browser or the library on fixture books from tests/fixtures/;
//! only [`guide`] builds this repository's own guide.
//!
//! One module: `cargo test --test testsuite watch::`. The fuzz regressions need the harness:
//! `cargo test --features fuzzing`.

mod support;

mod browser;
mod build;
mod checklists;
mod cli;
mod code_blocks;
mod csp;
mod errors;
#[cfg(feature = "fuzzing")]
mod fuzz_regressions;
mod guide;
mod incremental;
mod injection;
mod layering;
mod load;
mod mdbook;
mod mdbook_settings;
mod preprocess;
mod questions;
mod safety;
mod scale;
mod search;
mod serve;
mod sheets;
mod state;
mod vocabulary;
mod watch;
