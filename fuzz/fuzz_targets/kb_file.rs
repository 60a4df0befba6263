#![no_main]
//! `cargo +nightly fuzz run kb_file`: see `fuzz_targets::kb_file` for what it checks.

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_targets::kb_file(data));
