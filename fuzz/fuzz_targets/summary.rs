//! The SUMMARY.md parser (src/load/summary.rs).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    guidebook::fuzzing::summary(text);
});
