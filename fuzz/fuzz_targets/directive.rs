//! `Directive::parse` on each line, then the whole input as a chapter: front matter,
//! `{{#include}}`, Markdown and block directives rendered against the minimal test book's data.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use guidebook::fuzzing::ChapterHarness;
use libfuzzer_sys::fuzz_target;

fn harness() -> &'static ChapterHarness {
    static HARNESS: OnceLock<ChapterHarness> = OnceLock::new();
    HARNESS.get_or_init(|| {
        let book = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/minimal");
        ChapterHarness::new(&book)
    })
}

fuzz_target!(|text: &str| {
    harness().directives_and_chapter(text);
});
