//! What a hostile user or a careless operator does, and what shirube must do then: no hang,
//! no panic, no raw control character on the terminal, nothing lost, an exit status that
//! tells the truth. Each test reproduces one way it once went wrong.

use crate::util::{OutputChecked, run, run_with_stdin, shirube};
use std::fs;
use std::process::Stdio;

/// Fails, showing the output, when it holds a byte a terminal would act on rather than show.
fn assert_shows_no_raw_controls(output: &[u8]) {
    assert_eq!(
        raw_controls(output),
        b"",
        "{}",
        String::from_utf8_lossy(output)
    );
}

/// The bytes a terminal would act on rather than show.
fn raw_controls(bytes: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    text.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t') || ('\u{80}'..='\u{9f}').contains(&c)
        })
        .map(|c| c as u8)
        .collect()
}

#[test]
fn a_pasted_line_cannot_drive_the_terminal() {
    let hostile =
        "\x1b]52;c;ZXZpbA==\x07Docker service is not active\rFAKE: all clear\x08\u{9b}2J\n";
    let out = run_with_stdin(&["search", "-"], hostile.as_bytes());
    assert_eq!(out.code, 0);
    assert_shows_no_raw_controls(&out.stdout);
    let shown = String::from_utf8(out.stdout).unwrap();
    assert!(shown.contains("\\x1b]52;c;"), "{shown}");
    // JSON keeps the text exact (escaped by JSON itself).
    let out = run_with_stdin(&["search", "--json", "-"], hostile.as_bytes());
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        value["results"][0]["matched_line"]
            .as_str()
            .unwrap()
            .contains('\x1b')
    );
}

#[test]
fn a_log_line_and_a_file_name_cannot_drive_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("node\x1b[2J.log");
    fs::write(
        &log,
        "\u{9b}31m\r[x] Docker service is not active\x08\x08\n",
    )
    .unwrap();
    let out = run(&["triage", log.to_str().unwrap()]);
    assert_eq!(out.code, 0);
    assert_shows_no_raw_controls(&out.stdout);
    // An error naming such a file is escaped on stderr too.
    let missing = dir.path().join("gone\x1b]0;owned\x07.log");
    let out = run(&["triage", missing.to_str().unwrap()]);
    assert_eq!(out.code, 2);
    assert_shows_no_raw_controls(&out.stderr);
}

#[test]
fn a_directory_symlink_loop_ends() {
    let dir = tempfile::tempdir().unwrap();
    let inner = dir.path().join("loop/a");
    fs::create_dir_all(&inner).unwrap();
    std::os::unix::fs::symlink("..", inner.join("up")).unwrap();
    fs::write(inner.join("x.log"), "Docker service is not active\n").unwrap();
    let out = run(&[
        "triage",
        "--json",
        dir.path().join("loop").to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0);
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["findings"][0]["count"], 1, "the file is read once");
}

#[test]
fn an_unreadable_input_is_named_and_the_others_are_still_read() {
    let dir = tempfile::tempdir().unwrap();
    let truncated = dir.path().join("old.log.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &vec![b'x'; 100_000]).unwrap();
    let bytes = gz.finish().unwrap();
    fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let good = dir.path().join("new.log");
    fs::write(&good, "Docker service is not active\n").unwrap();
    let out = run(&[
        "triage",
        truncated.to_str().unwrap(),
        good.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 2, "like grep: something was not read");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("ABM-0008  "));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with(&format!("shirube: cannot read {}: ", truncated.display())));
}

#[test]
fn an_overlong_last_line_is_counted() {
    let dir = tempfile::tempdir().unwrap();
    let sparse = dir.path().join("sparse.log");
    let file = fs::File::create(&sparse).unwrap();
    file.set_len(3 << 20).unwrap();
    let out = run(&["triage", "--json", sparse.to_str().unwrap()]);
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["lines"], 1);
    assert_eq!(value["bytes"], 3 << 20);
}

/// `shirube ARGS` with its stdout a pipe nobody reads.
fn with_closed_stdout(args: &[&str]) -> i32 {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    shirube()
        .args(args)
        .stdout(writer)
        .stderr(Stdio::piped())
        .output_checked()
        .code
}

#[test]
fn a_reader_that_goes_away_keeps_the_exit_status() {
    // Like `shirube check ... | head -1` under pipefail: the status is still the check's.
    assert_eq!(with_closed_stdout(&["check", "--version", "1.8.1"]), 1);
    assert_eq!(
        with_closed_stdout(&["check", "--version", "1.8.1", "--json"]),
        1
    );
    assert_eq!(
        with_closed_stdout(&["search", "Docker service is not active"]),
        0
    );
    assert_eq!(with_closed_stdout(&["search", "zzqx unrelated words"]), 1);
    for shell in ["bash", "zsh", "fish"] {
        assert_eq!(with_closed_stdout(&["completions", shell]), 0, "{shell}");
    }
    assert_eq!(with_closed_stdout(&["man"]), 0);
}

#[test]
fn a_full_disk_is_one_line_and_no_panic() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    for args in [
        &["list"][..],
        &["completions", "fish"],
        &["export", "--format", "json"],
        &["search", "--json", "Docker service is not active"],
    ] {
        let full = fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = shirube().args(args).stdout(full).output_checked();
        assert_eq!(out.code, 2, "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.starts_with("shirube: cannot write the output: "),
            "{args:?}: {stderr}"
        );
    }
    // A stderr that cannot be written loses the message, not the run.
    let long_query = "x".repeat(100_000);
    for (args, code) in [
        // An empty query is an error; the others are answers: no match, no such entry.
        (&["search", ""][..], 2),
        (&["search", long_query.as_str()], 1),
        (&["show", "ABM-9999"], 1),
    ] {
        let full = fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = shirube().args(args).stderr(full).output_checked();
        assert_eq!(out.code, code, "{args:?}");
    }
}

#[test]
fn export_to_a_file_replaces_it_whole_and_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("known-issues.md");
    fs::write(&target, "old").unwrap();
    fs::set_permissions(&target, fs::Permissions::from_mode(0o600)).unwrap();
    let out = run(&["export", "--format", "md", "-o", target.to_str().unwrap()]);
    assert_eq!(out.code, 0);
    assert!(fs::read_to_string(&target).unwrap().starts_with("# "));
    let mode = fs::metadata(&target).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "a private file stays private");
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
    // A folder that does not exist: an error, nothing created.
    let out = run(&[
        "export",
        "--format",
        "md",
        "-o",
        dir.path().join("no/such.md").to_str().unwrap(),
    ]);
    assert_eq!(out.code, 2);
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// `-o LINK` replaces the file the link names and leaves the link a link, as `sort -o`
/// does; a dangling link gets its file created.
#[test]
fn export_through_a_symlink_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.md");
    fs::write(&real, "old").unwrap();
    let link = dir.path().join("link.md");
    std::os::unix::fs::symlink("real.md", &link).unwrap();
    let out = run(&["export", "--format", "md", "-o", link.to_str().unwrap()]);
    assert_eq!(out.code, 0);
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(fs::read_to_string(&real).unwrap().starts_with("# "));
    let dangling = dir.path().join("dangling.md");
    std::os::unix::fs::symlink("made.md", &dangling).unwrap();
    let out = run(&["export", "--format", "md", "-o", dangling.to_str().unwrap()]);
    assert_eq!(out.code, 0);
    assert!(
        fs::symlink_metadata(&dangling)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        fs::read_to_string(dir.path().join("made.md"))
            .unwrap()
            .starts_with("# ")
    );
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        4,
        "no temporary file left"
    );
}

/// Everything a non-blocking FIFO gives until `done` is set and it is empty.
fn drain(mut fifo: fs::File, done: &std::sync::atomic::AtomicBool) -> Vec<u8> {
    use std::io::Read;
    let mut read = Vec::new();
    let mut buffer = [0; 65536];
    loop {
        match fifo.read(&mut buffer) {
            Ok(n) if n > 0 => read.extend_from_slice(&buffer[..n]),
            // Nothing now: no writer yet, or one that has not written more.
            _ if done.load(std::sync::atomic::Ordering::SeqCst) => return read,
            _ => std::thread::sleep(std::time::Duration::from_millis(5)),
        }
    }
}

/// `-o` onto something that is not a regular file — a FIFO, a device, a link to this
/// process's stdout — writes into it and leaves it what it was.
#[test]
fn export_into_a_fifo_a_device_or_stdout_writes_through() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    // The read end is opened first, without blocking, so a shirube that replaced the FIFO
    // instead of writing into it fails this test instead of hanging it.
    let reading = {
        use std::os::unix::fs::OpenOptionsExt;
        fs::OpenOptions::new()
            .read(true)
            .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
            .open(&fifo)
            .unwrap()
    };
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let done = done.clone();
        std::thread::spawn(move || drain(reading, &done))
    };
    let out = run(&["export", "--format", "json", "-o", fifo.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let read = reader.join().unwrap();
    assert!(read.starts_with(b"{"), "the export went through the FIFO");
    assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());

    // A link to this process's stdout, as /dev/stdout is.
    let stdout_link = dir.path().join("stdout");
    std::os::unix::fs::symlink("/proc/self/fd/1", &stdout_link).unwrap();
    let out = run(&[
        "export",
        "--format",
        "json",
        "-o",
        stdout_link.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.starts_with(b"{"), "written to stdout");
    assert!(
        fs::symlink_metadata(&stdout_link)
            .unwrap()
            .file_type()
            .is_symlink()
    );

    // A device node of its own (only root may make one): the null device stays one.
    let null = dir.path().join("null");
    let made = std::process::Command::new("mknod")
        .arg(&null)
        .args(["c", "1", "3"])
        .status()
        .unwrap()
        .success();
    if made {
        let out = run(&["export", "--format", "md", "-o", null.to_str().unwrap()]);
        assert_eq!(out.code, 0);
        assert!(fs::metadata(&null).unwrap().file_type().is_char_device());
    }
}

#[test]
fn versions_that_cannot_be_meant_are_refused() {
    for (args, first_line) in [
        (
            &["check", "--version", "1.8.1.1"][..],
            "shirube: invalid value '1.8.1.1' for '--version <V>': `1.8.1.1` is not a version; use 1.8.1, v1.8.1, 1.32.200-gke.104 or 1.8 (the whole 1.8.x line)",
        ),
        (
            &["check", "--version", "1.11.2", "--upgrade-to", "1.8.1"],
            "shirube: 1.8.1 is not newer than 1.11.2: an upgrade goes to a newer version",
        ),
    ] {
        let out = run(args);
        assert_eq!(out.code, 2);
        let stderr = String::from_utf8(out.stderr).unwrap();
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 2, "{stderr}");
        assert_eq!(lines[0], first_line);
        assert!(lines[1].starts_with("hint: "));
    }
}

#[test]
fn usage_errors_are_one_line_and_a_hint() {
    for (args, first_line) in [
        (
            &["serch", "x"][..],
            "shirube: unrecognized subcommand 'serch'",
        ),
        (
            &["search"],
            "shirube: the following required arguments were not provided: <QUERY>...",
        ),
        (
            &["list", "--bogus"],
            "shirube: unexpected argument '--bogus' found",
        ),
    ] {
        let out = run(args);
        assert_eq!(out.code, 2, "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 2, "{stderr}");
        assert_eq!(lines[0], first_line);
        assert!(lines[1].starts_with("hint: "), "{stderr}");
    }
}

#[test]
fn json_is_byte_identical_across_runs() {
    // A query whose scores sum over several analyzers and glossary translations.
    let query = "Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox 証明書 期限切れ upgrade";
    let first = run(&["search", "--json", "--all", query]).exits(1).stdout;
    for _ in 0..15 {
        assert_eq!(
            run(&["search", "--json", "--all", query]).exits(1).stdout,
            first
        );
    }
}

/// The network and file-system calls `shirube ARGS` makes, as strace reports them; `None`
/// when strace cannot run here (CI installs it and sets SHIRUBE_STRACE_TEST).
pub fn traced_calls(args: &[&str], stdin: &[u8]) -> Option<String> {
    let mut command = std::process::Command::new("strace");
    command
        .args(["-f", "-qq", "-e", "signal=none", "-e"])
        .arg("trace=%network,open,openat,creat,unlink,unlinkat,rename,renameat,renameat2,mkdir,mkdirat,truncate")
        .arg(env!("CARGO_BIN_EXE_shirube"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let Ok(mut child) = command.spawn() else {
        assert!(
            std::env::var_os("SHIRUBE_STRACE_TEST").is_none(),
            "SHIRUBE_STRACE_TEST is set but strace does not run"
        );
        eprintln!("strace is not installed: the system-call check is skipped");
        return None;
    };
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    let calls = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(calls.contains("openat("), "strace saw no calls: {calls}");
    Some(calls)
}

/// The lines of `calls` that touch the network.
pub fn network_calls(calls: &str) -> Vec<&str> {
    calls
        .lines()
        .filter(|line| {
            [
                "socket(", "connect(", "bind(", "listen(", "sendto(", "accept",
            ]
            .iter()
            .any(|call| line.contains(call))
        })
        .collect()
}

#[test]
fn no_command_touches_the_network() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("x.log");
    fs::write(&log, "Docker service is not active\n").unwrap();
    let export = dir.path().join("out.md");
    let runs: [(&[&str], &[u8]); 6] = [
        (&["search", "Docker service is not active"], b""),
        (
            &["search", "-"],
            "kube-proxy が CrashLoopBackOff になる".as_bytes(),
        ),
        (&["triage", log.to_str().unwrap(), "-"], b"x\n"),
        (&["check", "--version", "1.8.1"], b""),
        (
            &["export", "--format", "md", "-o", export.to_str().unwrap()],
            b"",
        ),
        (&["show", "ABM-0007"], b""),
    ];
    for (args, stdin) in runs {
        let Some(calls) = traced_calls(args, stdin) else {
            return;
        };
        assert_eq!(network_calls(&calls), Vec::<&str>::new(), "{args:?}");
    }
}

/// JSON escapes every control character, DEL and the C1 controls included (U+009B is a
/// terminal's CSI): `--json` piped to a terminal cannot drive it either.
#[test]
fn json_escapes_every_control_character() {
    let hostile = "Docker service is not active\u{9b}2J\u{7f}\u{85}";
    for args in [
        &["search", "--json", "-"][..],
        &["triage", "--json", "-"][..],
    ] {
        let out = run_with_stdin(args, hostile.as_bytes());
        assert_eq!(out.code, 0, "{args:?}");
        assert_shows_no_raw_controls(&out.stdout);
        let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let shown = value["results"][0]["matched_line"]
            .as_str()
            .or(value["findings"][0]["example"].as_str())
            .unwrap();
        assert!(
            shown.contains('\u{9b}'),
            "the text itself is kept: {shown:?}"
        );
    }
}
