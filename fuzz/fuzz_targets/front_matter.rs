//! The front matter splitter and parser (src/load/chapter.rs).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    guidebook::fuzzing::front_matter(text);
});
