//! `index-build`'s command line: what an author sees when they get it wrong, and the lint
//! of the repository's own knowledge base.

use std::process::Command;

/// `index-build ARGS` run from the repository's root: exit code, stdout, stderr.
fn index_build(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_index-build"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .expect("index-build runs");
    (
        out.status.code().expect("index-build exits, not killed"),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn a_usage_error_is_one_line_and_a_hint() {
    for (args, message, hint) in [
        (
            &["frob"][..],
            "index-build: unrecognized subcommand 'frob'\n",
            "hint: usage: index-build <COMMAND> (more with --help)\n",
        ),
        (
            &["build"],
            "index-build: the following required arguments were not provided: <DIR>...\n",
            "hint: usage: index-build build <DIR>... (more with --help)\n",
        ),
        (
            &["build", "a", "b", "c"],
            "index-build: unexpected value 'c' for '<DIR>...' found; no more were expected\n",
            "hint: usage: index-build build <DIR>... (more with --help)\n",
        ),
    ] {
        let (code, stdout, stderr) = index_build(args);
        assert_eq!(code, 2, "{args:?}");
        assert_eq!(stdout, "");
        assert_eq!(stderr, format!("{message}{hint}"), "{args:?}");
    }
}

#[test]
fn help_teaches_every_command() {
    let (code, stdout, _) = index_build(&["--help"]);
    assert_eq!(code, 0);
    for command in ["lint", "import", "build", "keygen", "pack"] {
        assert!(stdout.contains(&format!("\n  {command} ")), "{stdout}");
    }
    assert!(stdout.contains("Exit status: 0 success, 1 problems found"));
}

#[test]
fn the_repository_knowledge_base_lints_clean() {
    let (code, stdout, stderr) = index_build(&["lint"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.starts_with("kb: ") && stdout.ends_with(" files, no problems\n"),
        "{stdout}"
    );
}

#[test]
fn keygen_writes_a_key_pair_once_and_pack_signs_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    let keys_arg = keys.to_str().unwrap();
    let (code, stdout, stderr) = index_build(&["keygen", "--out", keys_arg]);
    assert_eq!(code, 0, "{stderr}");
    let id = stdout
        .lines()
        .next()
        .unwrap()
        .strip_prefix("key ")
        .unwrap()
        .to_string();
    assert_eq!(id.len(), 16);
    let secret = keys.join("shirube-kb.key");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&secret).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "the secret key is its owner's alone");
    let public = std::fs::read_to_string(keys.join("shirube-kb.pub")).unwrap();
    assert_eq!(
        public.lines().next().unwrap(),
        format!("untrusted comment: minisign public key: {id}")
    );

    // A key is never overwritten: packs signed with it would lose their author.
    let (code, stdout, stderr) = index_build(&["keygen", "--out", keys_arg]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        format!(
            "index-build: {} already exists\nhint: keep the key you have, or choose another --out folder\n",
            secret.display()
        )
    );

    let pack = dir.path().join("acme-site.kbpack");
    let (code, stdout, stderr) = index_build(&[
        "pack",
        "tests/data/site-kb",
        "--key",
        secret.to_str().unwrap(),
        "-o",
        pack.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let bytes = std::fs::metadata(&pack).unwrap().len();
    assert_eq!(
        stdout,
        format!(
            "packed 1 entries as {} ({bytes} bytes), signed by key {id}\nsignature: {}.minisig\n",
            pack.display(),
            pack.display()
        )
    );

    // A name that cannot travel as a file name, and a folder with problems.
    let (code, _, stderr) = index_build(&[
        "pack",
        "tests/data/site-kb",
        "--key",
        secret.to_str().unwrap(),
        "-o",
        "Site Notes.kbpack",
    ]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "index-build: Site Notes.kbpack: a pack is written as NAME.kbpack, NAME of a-z, 0-9 and -\n"
    );
    let broken = dir.path().join("broken");
    std::fs::create_dir_all(&broken).unwrap();
    let (code, stdout, stderr) = index_build(&[
        "pack",
        broken.to_str().unwrap(),
        "--key",
        secret.to_str().unwrap(),
        "-o",
        dir.path().join("broken.kbpack").to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.contains("components.toml"), "{stdout}");
    assert!(!dir.path().join("broken.kbpack").exists());
}
