//! `--kb DIR`: a knowledge base that `index-build build` wrote to a directory replaces the
//! embedded one for every command.

use crate::util::run;
use std::fs;
use std::path::Path;

/// A one-entry knowledge base, unlike anything embedded, built as `index-build build` does.
fn build_small_kb(root: &Path) -> std::path::PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let kb = root.join("kb");
    let folder = kb.join("lab");
    fs::create_dir_all(&folder).unwrap();
    for shared in ["components.toml", "glossary.toml"] {
        fs::copy(repo.join("kb").join(shared), kb.join(shared)).unwrap();
    }
    fs::write(
        folder.join("source.toml"),
        "title = \"Lab notes\"\nlang = \"en\"\nid_prefix = \"LAB\"\ncategories = [\"General\"]\n",
    )
    .unwrap();
    fs::write(
        folder.join("LAB-00001.en.md"),
        r#"```toml
[entry]
id = "LAB-00001"
lang = "en"
component = "networking"

[source]
document = "Lab notes"
category = "General"
title = "Frobnicator sockets leak after a quasar restart"

[symptoms]
errors = ["E0101 00:00:00.000001 1 frob.go:12] frobnicator: socket table overflow on quasar reload"]
```

# Frobnicator sockets leak after a quasar restart

Each quasar restart leaves frobnicator sockets open until the table overflows.

## Workaround

1. Restart the frobnicator after the quasar.
"#,
    )
    .unwrap();
    let out = root.join("out");
    shirube_index_build::build_all(&kb, &repo.join("assets/ipadic"), &out)
        .unwrap_or_else(|e| panic!("the small knowledge base builds: {e}"));
    out
}

#[test]
fn every_command_answers_from_the_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = build_small_kb(tmp.path());
    let dir = dir.to_str().unwrap();

    // The confidence model was fitted on the embedded knowledge base's score scale; on a
    // one-entry index a prose match is a weak candidate, shown with --all.
    let found = run(&["--kb", dir, "search", "--all", "frobnicator sockets leak"]);
    assert_eq!(found.code, 0, "{}", String::from_utf8_lossy(&found.stderr));
    assert!(String::from_utf8_lossy(&found.stdout).starts_with("LAB-00001  "));

    let pasted =
        "E1127 09:14:02.123456 7 frob.go:12] frobnicator: socket table overflow on quasar reload";
    let out = run(&["--kb", dir, "search", "--json", pasted]);
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["results"][0]["id"], "LAB-00001");
    assert_eq!(value["results"][0]["matched_line"], pasted);

    let listed = run(&["--kb", dir, "list"]);
    assert_eq!(String::from_utf8_lossy(&listed.stdout).lines().count(), 1);
    // The embedded entries are not in it.
    assert_eq!(run(&["--kb", dir, "show", "ABM-0007"]).code, 1);
    assert_eq!(
        run(&["--kb", dir, "search", "Docker service is not active"]).code,
        1
    );
}

#[test]
fn a_directory_that_was_not_built_is_an_error_with_a_hint() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(&["--kb", tmp.path().to_str().unwrap(), "list"]);
    assert_eq!(out.code, 2);
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines[0].starts_with("shirube: --kb: ") && lines[0].ends_with("kb.json does not exist"),
        "{stderr}"
    );
    assert_eq!(
        lines[1],
        "hint: --kb takes a directory written by `index-build build KB_DIR OUT_DIR` of this version: build it again"
    );
}

#[test]
fn a_damaged_entries_file_is_an_error_with_a_hint() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("index")).unwrap();
    for damage in [&b"{\"entries\": [\xff\xfe"[..], &b"{\"entries\": ["[..]] {
        std::fs::write(tmp.path().join("kb.json"), damage).unwrap();
        let out = run(&["--kb", tmp.path().to_str().unwrap(), "list"]);
        assert_eq!(out.code, 2);
        let stderr = String::from_utf8(out.stderr).unwrap();
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 2, "{stderr}");
        assert!(
            lines[0].starts_with("shirube: --kb: ") && lines[0].contains("is not a knowledge base"),
            "{stderr}"
        );
        assert!(
            lines[1].starts_with("hint: --kb takes a directory"),
            "{stderr}"
        );
    }
}
