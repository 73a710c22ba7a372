//! Every YAML data model loader (src/data): the first byte picks the kind, the rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    guidebook::fuzzing::yaml_models(data);
});
