//! The bad-input table: every kind of hostile or careless input we know of, with the exit
//! status and the first line of stderr a user must see. No row may panic, hang or print a
//! raw control character (`run` and `run_with_stdin` fail the test on a panic).

use crate::util::{Output, run, run_with_stdin};
use std::fs;
use std::io::Write;
use std::path::Path;

/// What the first line of stderr must be.
enum Stderr {
    /// Nothing on stderr.
    Empty,
    Is(String),
    StartsWith(String),
}

fn is(line: &str) -> Stderr {
    Stderr::Is(line.to_string())
}

fn starts(prefix: &str) -> Stderr {
    Stderr::StartsWith(prefix.to_string())
}

/// One row: a name, the arguments, stdin, the exit status and stderr's first line.
struct Case {
    name: &'static str,
    args: Vec<String>,
    stdin: Option<Vec<u8>>,
    code: i32,
    stderr: Stderr,
}

fn case(name: &'static str, args: &[&str], code: i32, stderr: Stderr) -> Case {
    Case {
        name,
        args: args.iter().map(|a| a.to_string()).collect(),
        stdin: None,
        code,
        stderr,
    }
}

fn piped(name: &'static str, args: &[&str], stdin: Vec<u8>, code: i32, stderr: Stderr) -> Case {
    Case {
        stdin: Some(stdin),
        ..case(name, args, code, stderr)
    }
}

/// Files the rows read, made in `dir`.
fn make_files(dir: &Path) {
    fs::write(dir.join("empty.log"), "").unwrap();
    let sparse = fs::File::create(dir.join("sparse.log")).unwrap();
    sparse.set_len(64 << 20).unwrap();
    // 256 MB of zeros in a quarter of a megabyte.
    let mut bomb = flate2::write::GzEncoder::new(
        fs::File::create(dir.join("bomb.log.gz")).unwrap(),
        flate2::Compression::best(),
    );
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..256 {
        bomb.write_all(&zeros).unwrap();
    }
    bomb.finish().unwrap();
    fs::write(dir.join("not-gzip.log.gz"), "plain text, not gzip\n").unwrap();
    fs::write(dir.join("not-a.tar"), vec![7u8; 2000]).unwrap();
    fs::write(
        dir.join("binary.log"),
        (0..=255u8).cycle().take(1 << 16).collect::<Vec<_>>(),
    )
    .unwrap();
    fs::write(
        dir.join("not-yaml.yaml"),
        "spec:\n  nodes:\n%{ for n in nodes ~}\n",
    )
    .unwrap();
    fs::write(dir.join("facts.json"), "{\"facts\": ").unwrap();
    fs::write(
        dir.join("bom.json"),
        "\u{feff}{\"facts\": {\"host.os\": \"ubuntu\", \"host.os_version\": \"20.04\"}}",
    )
    .unwrap();
    fs::write(
        dir.join("alias.yaml"),
        "runtime: &rt containerd\nkind: Cluster\nspec:\n  nodeConfig:\n    containerRuntime: *rt\n",
    )
    .unwrap();
    fs::write(
        dir.join("twice.yaml"),
        "kind: Cluster\nspec:\n  nodeConfig:\n    containerRuntime: containerd\n    containerRuntime: docker\n",
    )
    .unwrap();
    fs::write(
        dir.join("list-fact.json"),
        "{\"facts\": {\"host.os\": [1]}}",
    )
    .unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(dir.join("fifo.log"))
        .status()
        .unwrap();
    assert!(status.success());
}

fn check(case: &Case, out: &Output) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let first = stderr.lines().next().unwrap_or("");
    assert_eq!(
        out.code, case.code,
        "{}: exit status; stderr: {stderr}",
        case.name
    );
    match &case.stderr {
        Stderr::Empty => assert_eq!(stderr, "", "{}", case.name),
        Stderr::Is(line) => assert_eq!(first, line, "{}", case.name),
        Stderr::StartsWith(prefix) => {
            assert!(first.starts_with(prefix), "{}: {first}", case.name)
        }
    }
    for bytes in [&out.stdout, &out.stderr] {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text
                .chars()
                .any(|c| (c.is_control() && c != '\n' && c != '\t')
                    || ('\u{80}'..='\u{9f}').contains(&c)),
            "{}: a raw control character reached the output",
            case.name
        );
    }
}

#[test]
fn every_bad_input_gets_its_exit_status_and_message() {
    let dir = tempfile::tempdir().unwrap();
    make_files(dir.path());
    let path = |name: &str| dir.path().join(name).display().to_string();
    let docker = "Docker service is not active";
    let huge_token = "x".repeat(1 << 20);
    let cases = vec![
        // Queries.
        case(
            "empty query",
            &["search", ""],
            2,
            is("shirube: the query is empty"),
        ),
        case(
            "whitespace query",
            &["search", " \t "],
            2,
            is("shirube: the query is empty"),
        ),
        piped(
            "empty stdin",
            &["search", "-"],
            Vec::new(),
            2,
            is("shirube: the query is empty"),
        ),
        piped(
            "NUL bytes",
            &["search", "-"],
            format!("a\0b\0 {docker}").into_bytes(),
            0,
            Stderr::Empty,
        ),
        piped(
            "invalid UTF-8",
            &["search", "-"],
            [&b"\xff\xfe\xc3("[..], docker.as_bytes()].concat(),
            0,
            Stderr::Empty,
        ),
        piped(
            "100 MB on stdin",
            &["search", "-"],
            vec![b'a'; 100 << 20],
            1,
            is("shirube: note: only the first 64 KiB of the query are searched"),
        ),
        piped(
            "a 1 MB token",
            &["search", "-"],
            huge_token.into_bytes(),
            1,
            starts("shirube: note: only the first 64 KiB"),
        ),
        case(
            "right-to-left marks",
            &["search", &format!("\u{200f}\u{202e}{docker}\u{202c}")],
            0,
            Stderr::Empty,
        ),
        case(
            "zero-width characters",
            &["search", "Docker\u{200b} service\u{200c} is not active"],
            0,
            Stderr::Empty,
        ),
        case(
            "emoji",
            &["search", &format!("🔥 {docker} 😱")],
            0,
            Stderr::Empty,
        ),
        case(
            "half-width katakana",
            &["search", "ｽﾅｯﾌﾟｼｮｯﾄ root 以外"],
            0,
            Stderr::Empty,
        ),
        case(
            "control characters",
            &["search", &format!("\x1b[2J\r{docker}\x07")],
            0,
            Stderr::Empty,
        ),
        // Ids.
        case(
            "a path as an id",
            &["show", "../../etc/passwd"],
            1,
            is("shirube: no entry `../../etc/passwd`"),
        ),
        case(
            "an id out of range",
            &["show", "ABM-99999999999999999999"],
            1,
            is("shirube: no entry `ABM-99999999999999999999`"),
        ),
        case(
            "an id with controls",
            &["show", "ABM-\x1b]0;x\x07"],
            1,
            is("shirube: no entry `ABM-\\x1b]0;x\\x07`"),
        ),
        // Options.
        case(
            "unknown component",
            &["list", "--component", "kernel"],
            2,
            is("shirube: unknown component `kernel`"),
        ),
        case(
            "bad language",
            &["search", "--lang", "xx", "x"],
            2,
            starts("shirube: invalid value 'xx' for '--lang <LANG>'"),
        ),
        case(
            "limit 0",
            &["search", "--limit", "0", "x"],
            2,
            starts("shirube: invalid value '0' for '--limit <N>'"),
        ),
        case(
            "four-part version",
            &["check", "--version", "1.8.1.1"],
            2,
            starts("shirube: invalid value '1.8.1.1'"),
        ),
        case(
            "downgrade",
            &["check", "--version", "1.11.2", "--upgrade-to", "1.8.1"],
            2,
            is("shirube: 1.8.1 is not newer than 1.11.2: an upgrade goes to a newer version"),
        ),
        case(
            "unknown subcommand",
            &["serch", "x"],
            2,
            is("shirube: unrecognized subcommand 'serch'"),
        ),
        // Paths and files.
        case(
            "a missing file",
            &["triage", "/nonexistent/x.log"],
            2,
            is("shirube: cannot read /nonexistent/x.log: No such file or directory"),
        ),
        case(
            "a folder as --kb",
            &["--kb", "/etc", "list"],
            2,
            is("shirube: --kb: /etc/kb.json does not exist"),
        ),
        case(
            "an empty log",
            &["triage", &path("empty.log")],
            1,
            Stderr::Empty,
        ),
        case("/dev/null", &["triage", "/dev/null"], 1, Stderr::Empty),
        case(
            "a sparse file",
            &["triage", &path("sparse.log")],
            1,
            Stderr::Empty,
        ),
        case(
            "a gzip bomb",
            &["triage", &path("bomb.log.gz")],
            1,
            Stderr::Empty,
        ),
        case(
            "binary bytes",
            &["triage", &path("binary.log")],
            1,
            Stderr::Empty,
        ),
        // What a file holds decides how it is read, not its name.
        case(
            "a .gz that is not gzip",
            &["triage", &path("not-gzip.log.gz")],
            1,
            Stderr::Empty,
        ),
        case(
            "a .tar that is not tar",
            &["triage", &path("not-a.tar")],
            1,
            Stderr::Empty,
        ),
        case(
            "a config that is not YAML",
            &["check", "--config", &path("not-yaml.yaml")],
            2,
            starts(&format!("shirube: {}:3: not YAML: ", path("not-yaml.yaml"))),
        ),
        case(
            "a missing config",
            &["check", "--config", "/nonexistent.yaml"],
            2,
            is("shirube: /nonexistent.yaml: cannot read: No such file or directory"),
        ),
        case(
            "a facts file cut short",
            &["check", "--host-facts", &path("facts.json")],
            2,
            starts(&format!(
                "shirube: {}:1: not a facts file: ",
                path("facts.json")
            )),
        ),
        case(
            "a config with an alias",
            &["check", "--config", &path("alias.yaml")],
            2,
            is(&format!(
                "shirube: {}:5: an alias (*name) is not followed: write the value out",
                path("alias.yaml")
            )),
        ),
        case(
            "a config with a key given twice",
            &["check", "--config", &path("twice.yaml")],
            2,
            is(&format!(
                "shirube: {}:5: the key `containerRuntime` is given a second time in one mapping: YAML forbids it, and bmctl refuses it",
                path("twice.yaml")
            )),
        ),
        case(
            "a device as the config",
            &["check", "--config", "/dev/zero"],
            2,
            is("shirube: /dev/zero: cannot read: a device is not a regular file"),
        ),
        case(
            "a device as a facts file",
            &["check", "--host-facts", "/dev/zero"],
            2,
            is("shirube: /dev/zero: cannot read: a device is not a regular file"),
        ),
        case(
            "a FIFO as the config",
            &["check", "--config", &path("fifo.log")],
            2,
            is(&format!(
                "shirube: {}: cannot read: a FIFO is not a regular file",
                path("fifo.log")
            )),
        ),
        case(
            "a facts file with a byte-order mark",
            &[
                "check",
                "--version",
                "1.8.1",
                "--host-facts",
                &path("bom.json"),
            ],
            1,
            Stderr::Empty,
        ),
        case(
            "a fact that is neither a value nor {value, from}",
            &["check", "--host-facts", &path("list-fact.json")],
            2,
            is(&format!(
                "shirube: {}:1: not a facts file: a fact is {{\"value\": ..., \"from\": \"...\"}} or a bare true, false or text (at line 1 column 26)",
                path("list-fact.json")
            )),
        ),
        case(
            "doctor on a missing root",
            &["doctor", "--root", "/nonexistent"],
            2,
            is("shirube: --root /nonexistent: not a directory"),
        ),
    ];
    for case in &cases {
        let out = match &case.stdin {
            Some(stdin) => run_with_stdin(
                &case.args.iter().map(String::as_str).collect::<Vec<_>>(),
                stdin,
            ),
            None => run(&case.args.iter().map(String::as_str).collect::<Vec<_>>()),
        };
        check(case, &out);
    }

    // A FIFO is read as the stream it is.
    let fifo = path("fifo.log");
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut pipe = fs::OpenOptions::new().write(true).open(fifo).unwrap();
            let _ = writeln!(pipe, "Docker service is not active");
        })
    };
    let out = run(&["triage", &fifo]);
    writer.join().unwrap();
    check(&case("a FIFO", &[], 0, Stderr::Empty), &out);
}
