#![no_main]
//! `cargo +nightly fuzz run versions`: see `fuzz_targets::versions` for what it checks.

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_targets::versions(data));
