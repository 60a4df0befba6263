//! Golden outputs, in the manner of tealdeer: what the binary prints for a few entries,
//! searches, checks, a list and a triage (as text and as JSON), and the pages `serve` renders
//! for a search and an entry, in Japanese and English, compared byte for byte with the
//! files in `tests/golden/`. After a deliberate change to the output, re-bless them with
//! `SHIRUBE_BLESS=1 cargo test --test tests golden`: that run rewrites the files that
//! differ and fails, listing each change, so what changed is read before it is committed.
//! Only the value `1` blesses; CI checks that no run rewrote a golden file.

use crate::serve::Server;
use crate::util::run;
use std::path::Path;

/// `(golden file, arguments, exit status)`.
const CASES: &[(&str, &[&str], i32)] = &[
    ("list.en.txt", &["list", "--lang", "en"], 0),
    (
        "search-docker.en.json",
        &["search", "--json", "Docker service is not active"],
        0,
    ),
    (
        "search-kube-proxy.ja.json",
        &["search", "--json", "kube-proxy が CrashLoopBackOff になる"],
        0,
    ),
    (
        "check-1.8.1.en.json",
        &["check", "--json", "--version", "1.8.1", "--lang", "en"],
        1,
    ),
    (
        "check-1.8.1.ja.json",
        &["check", "--json", "--version", "1.8.1", "--lang", "ja"],
        1,
    ),
    (
        "search-docker.en.txt",
        &["search", "Docker service is not active"],
        0,
    ),
    (
        "search-docker.color.txt",
        &[
            "--color",
            "always",
            "search",
            "Docker service is not active",
        ],
        0,
    ),
    (
        "search-kube-proxy.ja.txt",
        &["search", "kube-proxy が CrashLoopBackOff になる"],
        0,
    ),
    (
        "search-weak.en.txt",
        &[
            "search",
            "Apr 02 06:10:44 bm-w4 chronyd[812]: System clock wrong by 143.618312 seconds, adjustment started",
        ],
        1,
    ),
    (
        "search-excluded.en.txt",
        &[
            "search",
            "--version",
            "1.9.1",
            "F0624 19:05:08.009646 1 server.go:495] open /proc/sys/net/netfilter/nf_conntrack_max: permission denied",
        ],
        1,
    ),
    (
        "show-ABM-0007.ja.txt",
        &["show", "ABM-0007", "--lang", "ja"],
        0,
    ),
    (
        "show-ABM-0007.en.txt",
        &["show", "ABM-0007", "--lang", "en"],
        0,
    ),
    (
        "show-ABM-0021.ja.md",
        &["show", "ABM-0021", "--format", "md", "--lang", "ja"],
        0,
    ),
    (
        "show-ABM-0021.en.md",
        &["show", "ABM-0021", "--format", "md", "--lang", "en"],
        0,
    ),
    (
        "list-networking.ja.txt",
        &["list", "--component", "networking", "--lang", "ja"],
        0,
    ),
    ("check-1.8.1.en.txt", &["check", "--version", "1.8.1"], 1),
    (
        "check-config-admin.en.txt",
        &[
            "check",
            "--config",
            "tests/data/configs/admin-containerd.yaml",
        ],
        1,
    ),
    (
        "check-config-placeholders.ja.txt",
        &[
            "check",
            "--lang",
            "ja",
            "--config",
            "tests/data/configs/hybrid-placeholders.yaml",
        ],
        0,
    ),
    (
        "check-1.7.3-to-1.8.1.ja.txt",
        &[
            "check",
            "--version",
            "1.7.3",
            "--upgrade-to",
            "1.8.1",
            "--lang",
            "ja",
        ],
        1,
    ),
    (
        "triage-sample.en.txt",
        &["triage", "tests/data/create-cluster-sample.log"],
        0,
    ),
    (
        "triage-sample.ja.txt",
        &[
            "triage",
            "--lang",
            "ja",
            "tests/data/create-cluster-sample.log",
        ],
        0,
    ),
];

/// Whether this run rewrites the golden files: only `SHIRUBE_BLESS=1` does. Any other
/// value is refused, so `SHIRUBE_BLESS=0` cannot bless by being set.
fn blessing() -> bool {
    match std::env::var_os("SHIRUBE_BLESS") {
        None => false,
        Some(value) if value == "1" => true,
        Some(value) => panic!(
            "SHIRUBE_BLESS={}: set it to 1 to rewrite tests/golden, or unset it",
            value.to_string_lossy()
        ),
    }
}

#[test]
fn golden_outputs_are_unchanged() {
    let outputs = CASES.iter().map(|(file, args, code)| {
        let out = run(args);
        assert_eq!(
            out.code,
            *code,
            "shirube {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        (*file, out.stdout)
    });
    compare_with_goldens(outputs.collect());
}

/// The pages `serve` renders, in both languages: `(golden file, path)`.
const PAGES: &[(&str, &str)] = &[
    (
        "page-search-docker.en.html",
        "/search?q=Docker%20service%20is%20not%20active&lang=en",
    ),
    (
        "page-search-kube-proxy.ja.html",
        "/search?q=kube-proxy%20%E3%81%8C%20CrashLoopBackOff%20%E3%81%AB%E3%81%AA%E3%82%8B",
    ),
    ("page-entry-ABM-0007.en.html", "/entries/ABM-0007?lang=en"),
    ("page-entry-ABM-0007.ja.html", "/entries/ABM-0007?lang=ja"),
];

#[test]
fn golden_pages_are_unchanged() {
    let server = Server::start(&[]);
    let pages = PAGES.iter().map(|(file, path)| {
        let page = server.get(path);
        assert_eq!(page.status, 200, "{path}");
        (*file, page.body)
    });
    compare_with_goldens(pages.collect());
}

/// Compares each `(file, output)` with `tests/golden/file`; with `SHIRUBE_BLESS=1`,
/// rewrites the files that differ and fails, listing each change.
fn compare_with_goldens(outputs: Vec<(&str, Vec<u8>)>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let bless = blessing();
    let mut changed = Vec::new();
    for (file, output) in outputs {
        let path = dir.join(file);
        let golden = match std::fs::read(&path) {
            Ok(golden) => golden,
            Err(e) if bless && e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => panic!("{}: {e} (SHIRUBE_BLESS=1 writes it)", path.display()),
        };
        if golden != output {
            changed.push(first_difference(file, &golden, &output));
            if bless {
                std::fs::write(&path, &output).unwrap();
            }
        }
    }
    if bless {
        assert!(
            changed.is_empty(),
            "rewrote {} golden file(s); read the changes, then run again without SHIRUBE_BLESS:\n{}",
            changed.len(),
            changed.join("\n")
        );
    }
    assert!(
        changed.is_empty(),
        "output differs from tests/golden (re-bless with SHIRUBE_BLESS=1 if meant):\n{}",
        changed.join("\n")
    );
}

/// `file:line: expected … got …` at the first line that differs.
fn first_difference(file: &str, golden: &[u8], actual: &[u8]) -> String {
    let golden = String::from_utf8_lossy(golden);
    let actual = String::from_utf8_lossy(actual);
    let mut expected_lines = golden.lines();
    let mut actual_lines = actual.lines();
    let mut line = 1;
    loop {
        match (expected_lines.next(), actual_lines.next()) {
            (Some(e), Some(a)) if e == a => line += 1,
            (e, a) => {
                return format!(
                    "{file}:{line}:\n  expected {:?}\n  got      {:?}",
                    e.unwrap_or("<end>"),
                    a.unwrap_or("<end>")
                );
            }
        }
    }
}
