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
    for command in ["lint", "import", "build"] {
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
