#![no_main]
//! `cargo +nightly fuzz run triage_scan`: see `fuzz_targets::triage_scan` for what it checks.

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_targets::triage_scan(data));
