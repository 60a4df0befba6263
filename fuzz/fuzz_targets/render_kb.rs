#![no_main]
//! `cargo +nightly fuzz run render_kb`: see `fuzz_targets::render_kb` for what it checks.

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_targets::render_kb(data));
