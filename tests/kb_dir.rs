//! `--kb DIR`: a knowledge base that `index-build build` wrote to a directory replaces the
//! embedded one for every command.

use crate::util::run;
use shirube_kb::{Entry, KnowledgeBase, Lang, built};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

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

/// The small knowledge base, built once for all tests (a build takes seconds).
fn small_kb() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let root = tempfile::tempdir().unwrap().keep();
        build_small_kb(&root)
    })
}

/// A copy of the small knowledge base in `into`, to damage.
fn copy_of_small_kb(into: &Path) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    let dir = into.join("built");
    copy(small_kb(), &dir);
    dir
}

/// Every file under `dir` with its length and modification time.
fn listing(dir: &Path) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let meta = entry.metadata().unwrap();
        if meta.is_dir() {
            files.extend(listing(&entry.path()));
        } else {
            files.push((entry.path(), meta.len(), meta.modified().unwrap()));
        }
    }
    files.sort();
    files
}

#[test]
fn every_command_answers_from_the_directory() {
    let dir = small_kb().to_str().unwrap();

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

#[test]
fn a_missing_or_damaged_known_error_table_is_an_error_with_a_hint() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_of_small_kb(tmp.path());
    let table = dir.join("known-errors.bin");
    let pasted = "frobnicator: socket table overflow on quasar reload";
    for (damage, says) in [
        (None, "cannot read"),
        (Some(&b"SKE1\x05"[..]), "the known-error table is truncated"),
        (Some(&b"{}"[..]), "not a known-error table of this version"),
    ] {
        match damage {
            None => fs::remove_file(&table).unwrap(),
            Some(bytes) => fs::write(&table, bytes).unwrap(),
        }
        for command in ["search", "triage"] {
            let out = match command {
                "search" => run(&["--kb", dir.to_str().unwrap(), "search", pasted]),
                _ => run(&["--kb", dir.to_str().unwrap(), "triage", "/dev/null"]),
            };
            assert_eq!(out.code, 2, "{command}");
            let stderr = String::from_utf8(out.stderr).unwrap();
            let lines: Vec<&str> = stderr.lines().collect();
            assert_eq!(lines.len(), 2, "{stderr}");
            assert!(
                lines[0].starts_with("shirube: --kb: ")
                    && lines[0].contains("known-errors.bin")
                    && lines[0].contains(says),
                "{stderr}"
            );
            assert!(
                lines[1].starts_with("hint: --kb takes a directory"),
                "{stderr}"
            );
        }
    }
    // Commands that do not match errors do not need it.
    assert_eq!(run(&["--kb", dir.to_str().unwrap(), "list"]).code, 0);
}

#[test]
fn searching_a_directory_writes_nothing_into_it() {
    // As on a read-only mount or a folder owned by another user: tantivy's lock files were
    // created by the first search; the build's own are gone too.
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_of_small_kb(tmp.path());
    for entry in fs::read_dir(dir.join("index")).unwrap() {
        let path = entry.unwrap().path();
        if path.to_string_lossy().ends_with(".lock") {
            fs::remove_file(path).unwrap();
        }
    }
    let before = listing(&dir);
    let out = run(&[
        "--kb",
        dir.to_str().unwrap(),
        "search",
        "--all",
        "frobnicator sockets leak",
    ]);
    assert_eq!(out.code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(listing(&dir), before);
}

/// Damages the entries file at `path` with `damage` and writes it back as the build step
/// writes one: the damage is in what it says, not in how it is laid out.
fn rewrite_entries(path: &Path, damage: impl FnOnce(&mut KnowledgeBase, &mut Vec<Entry>)) {
    let bytes: &'static [u8] = Box::leak(fs::read(path).unwrap().into_boxed_slice());
    let mut kb = built::decode(bytes, path.display().to_string()).unwrap();
    let mut entries: Vec<Entry> = kb.entries.iter().cloned().collect();
    damage(&mut kb, &mut entries);
    kb.entries = entries.into();
    fs::write(path, built::encode(&kb).unwrap()).unwrap();
}

#[test]
fn an_entries_file_that_breaks_the_contract_is_one_clear_error() {
    type Damage = fn(&mut KnowledgeBase, &mut Vec<Entry>);
    let cases: &[(&str, Damage)] = &[
        ("LAB-00001 has no document", |_, entries| {
            entries[0].docs.clear()
        }),
        ("the id LAB-00001 is used twice", |_, entries| {
            entries.push(entries[0].clone())
        }),
        (
            "LAB-00001 names the component `kernel`, which is not among its components",
            |_, entries| entries[0].component = "kernel".into(),
        ),
        (
            "LAB-00001 has no document in its source's language (ja) first",
            |_, entries| entries[0].source.lang = Lang::Ja,
        ),
    ];
    for (message, damage) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let dir = copy_of_small_kb(tmp.path());
        rewrite_entries(&dir.join("kb.json"), damage);
        // Commands that read every entry refuse the folder; `show` refuses the entry.
        for command in [
            &["list"][..],
            &["export", "--format", "json"],
            &["show", "LAB-1"],
        ] {
            let out = run(&[&["--kb", dir.to_str().unwrap()][..], command].concat());
            assert_eq!(out.code, 2, "{message}: {command:?}");
            let stderr = String::from_utf8(out.stderr).unwrap();
            let lines: Vec<&str> = stderr.lines().collect();
            assert_eq!(lines.len(), 2, "{stderr}");
            assert!(
                lines[0].starts_with("shirube: --kb: ")
                    && lines[0].ends_with(&format!("is not a knowledge base: {message}")),
                "{stderr}"
            );
            assert!(
                lines[1].starts_with("hint: --kb takes a directory"),
                "{stderr}"
            );
        }
    }
}

#[test]
fn an_entry_that_cannot_be_read_is_named_and_never_shown() {
    // A byte changed after the build, inside the one entry: `list` names it, and a search
    // that would show it has nothing to show rather than a broken entry.
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_of_small_kb(tmp.path());
    let path = dir.join("kb.json");
    let mut bytes = fs::read(&path).unwrap();
    let body = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
    bytes[body] = b'[';
    fs::write(&path, &bytes).unwrap();
    let out = run(&["--kb", dir.to_str().unwrap(), "list"]);
    assert_eq!(out.code, 2);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("is not a knowledge base: the entry LAB-00001 cannot be read: "),
        "{stderr}"
    );
    // A search that reaches it says so, as every other command does: "nothing matches"
    // would be a wrong answer from a damaged knowledge base.
    let out = run(&[
        "--kb",
        dir.to_str().unwrap(),
        "search",
        "--all",
        "frobnicator",
    ]);
    assert_eq!(out.code, 2, "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("is not a knowledge base: the entry LAB-00001 cannot be read: "),
        "{stderr}"
    );
}

/// A file of the folder that is a link to a device is refused by its kind, before a byte of
/// it is read: `/dev/zero` would fill memory at the speed of the kernel.
#[test]
fn a_device_behind_a_file_of_the_folder_is_refused() {
    for (file, says) in [
        ("index/meta.json", "a device is not a regular file"),
        ("kb.json", "kb.json is not a file"),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = copy_of_small_kb(tmp.path());
        fs::remove_file(dir.join(file)).unwrap();
        std::os::unix::fs::symlink("/dev/zero", dir.join(file)).unwrap();
        let out = run(&["--kb", dir.to_str().unwrap(), "search", "frobnicator"]);
        assert_eq!(out.code, 2, "{file}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        let first = stderr.lines().next().unwrap();
        assert!(first.starts_with("shirube: --kb: "), "{first}");
        assert!(first.ends_with(says), "{first}");
    }
}

#[test]
fn entries_and_index_of_different_builds_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_of_small_kb(tmp.path());
    rewrite_entries(&dir.join("kb.json"), |kb, _| {
        kb.build_id = "another-build".into()
    });
    let out = run(&["--kb", dir.to_str().unwrap(), "search", "frobnicator"]);
    assert_eq!(out.code, 2);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("shirube: --kb: the entries and the index come from different builds"),
        "{stderr}"
    );
}

#[test]
fn an_entries_file_that_is_a_folder_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir_all(tmp.path().join("kb.json")).unwrap();
    fs::create_dir_all(tmp.path().join("index")).unwrap();
    let out = run(&["--kb", tmp.path().to_str().unwrap(), "list"]);
    assert_eq!(out.code, 2);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr
            .lines()
            .next()
            .unwrap()
            .ends_with("kb.json is not a file"),
        "{stderr}"
    );
}

#[test]
fn a_damaged_index_is_named_in_words() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_of_small_kb(tmp.path());
    fs::remove_file(dir.join("index/meta.json")).unwrap();
    let out = run(&["--kb", dir.to_str().unwrap(), "search", "frobnicator"]);
    assert_eq!(out.code, 2);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr.lines().next().unwrap(),
        "shirube: --kb: the index cannot be opened: meta.json is missing"
    );
}

/// A running `serve` whose `--kb` folder is then rewritten in place (not rebuilt aside and
/// swapped) keeps answering: its files were read, not mapped, so a shrunk file cannot kill
/// it with SIGBUS.
#[test]
fn serve_survives_its_folder_being_rewritten_in_place() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_of_small_kb(tmp.path());
    let server = crate::serve::Server::start(&["--kb", dir.to_str().unwrap()]);
    assert_eq!(server.get("/api/search?q=frobnicator").status, 200);
    let mut files = vec![dir.join("kb.json")];
    for entry in fs::read_dir(dir.join("index")).unwrap() {
        files.push(entry.unwrap().path());
    }
    for file in &files {
        fs::OpenOptions::new()
            .write(true)
            .open(file)
            .unwrap()
            .set_len(0)
            .unwrap();
    }
    let answer = server.get("/api/search?q=frobnicator");
    assert_eq!(
        answer.status,
        200,
        "the server still answers: {}",
        answer.text()
    );
}
