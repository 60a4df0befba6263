#![no_main]
//! `cargo +nightly fuzz run normalize`: see `fuzz_targets::normalize` for what it checks.

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_targets::normalize(data));
