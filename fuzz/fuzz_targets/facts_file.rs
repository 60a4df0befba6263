#![no_main]
//! `cargo +nightly fuzz run facts_file`: see `fuzz_targets::facts_file` for what it checks.

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_targets::facts_file(data));
