#![no_main]
//! `cargo +nightly fuzz run search`: see `fuzz_targets::search` for what it checks.

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_targets::search(data));
