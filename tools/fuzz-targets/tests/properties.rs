//! Every fuzz target as a property test on stable: a few hundred inputs per `cargo test`,
//! random bytes and random text, so what the long fuzzing runs established keeps holding.
//! `PROPTEST_CASES=100000 cargo test -p fuzz-targets --release` runs them longer.

use proptest::collection::vec;
use proptest::prelude::*;

/// Random bytes, or random text (which reaches further into parsers than bytes do).
fn input() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        vec(any::<u8>(), 0..4096),
        any::<String>().prop_map(String::into_bytes),
        // Text shaped like what the targets read: log lines, versions, headers.
        vec(
            prop_oneof![
                Just("F0624 19:05:08.009646 1 server.go:495] "),
                Just("Docker service is not active"),
                Just("1.8.1 "),
                Just("\n"),
                Just("```toml\n[entry]\nid = \"FZ-0001\"\n"),
                Just("\x1b[31m"),
                Just("証明書の更新が失敗する"),
                Just("${VAR}"),
                Just("{\"facts\": {\"host.os\": "),
                Just("{\"value\": \"centos\", \"from\": \"x\"}}}"),
            ],
            0..24
        )
        .prop_map(|parts| parts.concat().into_bytes()),
    ]
}

fn run(name: &str, data: &[u8]) {
    let (_, target) = fuzz_targets::TARGETS
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap();
    target(data);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn triage_scan(data in input()) { run("triage_scan", &data) }

    #[test]
    fn render_kb(data in vec(any::<u8>(), 0..8192)) { run("render_kb", &data) }

    #[test]
    fn versions(data in input()) { run("versions", &data) }

    #[test]
    fn search(data in input()) { run("search", &data) }

    #[test]
    fn normalize(data in input()) { run("normalize", &data) }

    #[test]
    fn kb_file(data in input()) { run("kb_file", &data) }

    #[test]
    fn triage_archive(data in vec(any::<u8>(), 0..8192)) { run("triage_archive", &data) }

    #[test]
    fn facts_file(data in input()) { run("facts_file", &data) }
}

#[test]
fn every_target_has_a_property_test_and_a_fuzz_target() {
    let tests = include_str!("properties.rs");
    let fuzz_manifest = include_str!("../../../fuzz/Cargo.toml");
    for (name, _) in fuzz_targets::TARGETS {
        assert!(
            tests.contains(&format!("fn {name}(data in")),
            "{name} has no property test"
        );
        assert!(
            fuzz_manifest.contains(&format!("name = \"{name}\"")),
            "{name} is not in fuzz/"
        );
    }
}

/// Inputs libFuzzer found to break a target, kept so they never break it again.
#[test]
fn inputs_the_fuzzer_found_stay_fixed() {
    // A tar header whose name holds a line break: the tar crate's message quoted it, and
    // triage's error for the archive was two lines.
    run(
        "triage_archive",
        &[
            0x26, 0x00, 0x10, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        ],
    );
    // A facts file with an unknown key holding a line break, quoted by serde's message.
    run(
        "facts_file",
        b"{\" =a u\\n agged ]num Statededed&G {\"\xfd48{",
    );
}
