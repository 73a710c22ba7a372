//! Inputs on which a fuzz target (fuzz/) once panicked or broke a property, fed back through
//! the same entry points (`guidebook::fuzzing`), so each fix stays fixed. The inputs live in
//! tests/fixtures/fuzz/<target>/, one file each, named after the bug.

use std::path::PathBuf;

use crate::support::fixtures;
use guidebook::fuzzing;

/// The saved inputs of one target, with their file names.
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = fixtures().join("fuzz").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no saved inputs in {}", dir.display());
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

/// Runs `check` on each input, naming the input if it panics.
fn each(target: &str, check: impl Fn(&[u8])) {
    for (name, bytes) in inputs(target) {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&bytes)));
        assert!(result.is_ok(), "{target}/{name} fails again");
    }
}

/// The text a `|text: &str|` fuzz target sees: libfuzzer-sys takes the input's longest valid
/// UTF-8 prefix (arbitrary's `&str`), so a saved input may end in stray bytes.
fn text(bytes: &[u8]) -> &str {
    match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap(),
    }
}

/// summary/byte-column-after-multibyte-title.md: a bad link after a multi-byte title got its
/// column in bytes, past the end of the line.
#[test]
fn summary() {
    each("summary", |bytes| fuzzing::summary(text(bytes)));
}

/// front_matter/yaml-lone-carriage-returns.md: libyaml starts a line at a lone `\r`, so its
/// line numbers ran past the end of the file.
#[test]
fn front_matter() {
    each("front_matter", |bytes| fuzzing::front_matter(text(bytes)));
}

/// directive/quoted-key.md: a key written in quotes (`"bank"=x`) starts at its quote; the
/// check of argument offsets now allows for quotes.
#[test]
fn directive() {
    let harness = fuzzing::ChapterHarness::new(&fixtures().join("minimal"));
    each("directive", |bytes| {
        harness.directives_and_chapter(text(bytes))
    });
}

/// yaml_models/lone-carriage-returns.yaml: written by hand after the front_matter finding, as
/// data files go through the same YAML error positions.
#[test]
fn yaml_models() {
    each("yaml_models", fuzzing::yaml_models);
}
