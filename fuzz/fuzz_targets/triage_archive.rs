#![no_main]
//! `cargo +nightly fuzz run triage_archive`: see `fuzz_targets::triage_archive` for what it checks.

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_targets::triage_archive(data));
