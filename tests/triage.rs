//! `shirube triage` on generated logs: benign noise with known error lines, their variable
//! parts changed, at known positions.

use crate::util::{OutputChecked, ids, run, run_with_stdin, shirube};
use serde_json::Value;
use std::io::Write;

/// A small deterministic generator, so every run writes the same log.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// One ordinary line of a node's logs: kubelet, containerd, systemd, bmctl.
    fn line(&mut self) -> String {
        let n = self.next();
        let (h, m, s, us) = (n % 24, n / 24 % 60, n / 1440 % 60, n % 1_000_000);
        let pod = format!("web-{:x}-{:05x}", n % 0xffff_ffff, n % 0xfffff);
        match n % 8 {
            0 => format!(
                "I1103 {h:02}:{m:02}:{s:02}.{us:06}    2231 kubelet.go:1820] \"SyncLoop (PLEG): event for pod\" pod=\"prod/{pod}\" event=ContainerStarted"
            ),
            1 => format!(
                "Nov 03 {h:02}:{m:02}:{s:02} node-{} containerd[811]: time=\"2024-11-03T{h:02}:{m:02}:{s:02}Z\" level=info msg=\"StartContainer for \\\"{n:x}\\\" returns successfully\"",
                n % 9
            ),
            2 => format!(
                "Nov 03 {h:02}:{m:02}:{s:02} node-{} systemd[1]: Started Session {} of user root.",
                n % 9,
                n % 5000
            ),
            3 => format!(
                "I1103 {h:02}:{m:02}:{s:02}.{us:06}    2231 kubelet_getters.go:182] \"Pod status updated\" pod=\"kube-system/{pod}\" status=Running"
            ),
            4 => format!(
                "[2024-11-03 {h:02}:{m:02}:{s:02}+0000] Waiting for cluster kubeconfig to become ready OK"
            ),
            5 => format!(
                "I1103 {h:02}:{m:02}:{s:02}.{us:06}    2231 prober.go:117] \"Probe succeeded\" probeType=\"Readiness\" pod=\"prod/{pod}\""
            ),
            6 => format!(
                "Nov 03 {h:02}:{m:02}:{s:02} node-{} kernel: IPv4: martian source 10.{}.{}.{} from 10.0.0.1, on dev eth0",
                n % 9,
                n % 255,
                n / 7 % 255,
                n / 11 % 255
            ),
            _ => format!(
                "time=\"2024-11-03T{h:02}:{m:02}:{s:02}Z\" level=info msg=\"ImageCreate event name:\\\"gcr.io/app/{pod}:v{}\\\"\"",
                n % 40
            ),
        }
    }
}

/// Known errors as they would appear in another cluster: other times, hosts, ids, counts.
const PLANTED: &[(&str, &str)] = &[
    (
        "ABM-0007",
        "F1103 02:11:07.551020       1 server.go:495] open /proc/sys/net/netfilter/nf_conntrack_max: permission denied",
    ),
    (
        "ABM-0012",
        "Nov 03 02:13:44 node-4 kubelet[2231]: E1103 02:13:44.120931 2231 kubelet.go:2040] skipping pod synchronization - PLEG is not healthy: pleg was last seen active 4m12.443129s ago",
    ),
    (
        "ABM-0008",
        "[2024-11-03 02:14:10+0000] Error: preflight check failed on 10.200.0.7: Docker service is not active",
    ),
    (
        "ABM-0042",
        "[2024/11/03 02:15:01] [error] [input:storage_backlog:storage_backlog.3] chunk validation failed, data might be corrupted. Found 0 valid records, failed content starts right after byte 0.",
    ),
    (
        "ABM-0013",
        "Error updating cluster resources.: failed to get CRD file .manifests/1.10.2/cluster-operator/base/crd/bases/baremetal.cluster.gke.io_clusters.yaml: open .manifests/1.10.2/cluster-operator/base/crd/bases/baremetal.cluster.gke.io_clusters.yaml: no such file or directory",
    ),
];

/// Writes `lines` noise lines with `PLANTED` lines at the given 1-based line numbers.
fn write_log(path: &std::path::Path, lines: u64, plants: &[(u64, usize)]) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut noise = Noise(0x9e37_79b9_7f4a_7c15);
    for number in 1..=lines {
        match plants.iter().find(|(at, _)| *at == number) {
            Some((_, which)) => writeln!(out, "{}", PLANTED[*which].1).unwrap(),
            None => writeln!(out, "{}", noise.line()).unwrap(),
        }
    }
}

fn json(stdout: &[u8]) -> Value {
    serde_json::from_slice(stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(stdout)))
}

#[test]
fn a_100_mb_log_shows_exactly_the_planted_issues_at_their_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("create-cluster.log");
    let lines = 1_000_000;
    let plants = [
        (123_457, 0),
        (400_001, 1),
        (400_002, 2),
        (777_777, 1),
        (888_888, 3),
        (999_999, 4),
    ];
    write_log(&path, lines, &plants);
    assert!(
        std::fs::metadata(&path).unwrap().len() >= 100_000_000,
        "the log is at least 100 MB"
    );

    let out = run(&["triage", "--json", path.to_str().unwrap()]);
    assert_eq!(out.code, 0);
    let report = json(&out.stdout);
    assert_eq!(report["lines"], lines);
    let found: Vec<(String, u64, u64, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let n = |k: &str| f[k].as_u64().unwrap();
            (
                f["id"].as_str().unwrap().to_string(),
                n("count"),
                n("first_line"),
                n("last_line"),
            )
        })
        .collect();
    let expected = [
        ("ABM-0007", 1, 123_457, 123_457),
        ("ABM-0012", 2, 400_001, 777_777),
        ("ABM-0008", 1, 400_002, 400_002),
        ("ABM-0042", 1, 888_888, 888_888),
        ("ABM-0013", 1, 999_999, 999_999),
    ]
    .map(|(id, c, f, l)| (id.to_string(), c, f, l));
    assert_eq!(found, expected);
    assert_eq!(report["findings"][0]["example"], PLANTED[0].1);
}

#[test]
fn benign_noise_alone_finds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kubelet.log");
    write_log(&path, 50_000, &[]);
    let out = run(&["triage", path.to_str().unwrap()]);
    assert_eq!(out.code, 1, "{}", String::from_utf8_lossy(&out.stdout));
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("0 known issue(s) in 50000 lines")
    );
}

#[test]
fn gzip_directories_and_stdin_are_read_through() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("snapshot/nodes/node-4");
    std::fs::create_dir_all(&nested).unwrap();
    let plain = nested.join("kubelet.log");
    write_log(&plain, 2_000, &[(1_500, 1)]);
    let gz = dir.path().join("snapshot/bmctl.log.gz");
    let mut encoder = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::fast(),
    );
    encoder
        .write_all(format!("x\n{}\n", PLANTED[2].1).as_bytes())
        .unwrap();
    encoder.finish().unwrap();

    let report = json(
        &run(&["triage", "--json", dir.path().to_str().unwrap()])
            .exits(0)
            .stdout,
    );
    let places: Vec<(String, String, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let file = f["file"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string();
            (
                f["id"].as_str().unwrap().to_string(),
                file,
                f["first_line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            ("ABM-0008".to_string(), "bmctl.log.gz".to_string(), 2),
            ("ABM-0012".to_string(), "kubelet.log".to_string(), 1_500)
        ]
    );

    let piped = run_with_stdin(&["triage", "--json", "-"], PLANTED[0].1.as_bytes());
    assert_eq!(json(&piped.stdout)["findings"][0]["file"], "-");
}

/// A `bmctl check cluster --snapshot`-shaped archive: node logs, one of them gzip, under a
/// snapshot folder.
fn snapshot_archive(path: &std::path::Path) {
    let encoder = flate2::write::GzEncoder::new(
        std::fs::File::create(path).unwrap(),
        flate2::Compression::fast(),
    );
    let mut archive = tar::Builder::new(encoder);
    let mut add = |name: &str, bytes: &[u8]| {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        archive.append_data(&mut header, name, bytes).unwrap();
    };
    add(
        "snapshot-20240302/nodes/10.200.0.3/journalctl-kubelet.log",
        format!("a\nb\n{}\n", PLANTED[1].1).as_bytes(),
    );
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(format!("{}\n", PLANTED[2].1).as_bytes())
        .unwrap();
    add(
        "snapshot-20240302/bmctl/preflight.log.gz",
        &gz.finish().unwrap(),
    );
    archive.into_inner().unwrap().finish().unwrap();
}

#[test]
fn snapshot_archives_are_read_member_by_member() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("snapshot.tar.gz");
    snapshot_archive(&archive);
    let name = archive.to_str().unwrap();
    let out = run(&["triage", "--json", name]);
    assert_eq!(out.code, 0);
    let report = json(&out.stdout);
    let places: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}:{}",
                f["id"].as_str().unwrap(),
                f["file"].as_str().unwrap(),
                f["first_line"]
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            format!("ABM-0012 {name}:snapshot-20240302/nodes/10.200.0.3/journalctl-kubelet.log:3"),
            format!("ABM-0008 {name}:snapshot-20240302/bmctl/preflight.log.gz:1"),
        ]
    );
}

#[test]
fn a_corrupt_archive_is_an_error_for_that_input_only() {
    let dir = tempfile::tempdir().unwrap();
    let corrupt = dir.path().join("broken.tgz");
    std::fs::write(&corrupt, b"\x1f\x8b\x08\x00 not really gzip").unwrap();
    let log = dir.path().join("kubelet.log");
    std::fs::write(&log, format!("{}\n", PLANTED[1].1)).unwrap();
    let out = run(&[
        "triage",
        "--json",
        corrupt.to_str().unwrap(),
        log.to_str().unwrap(),
    ]);
    assert_eq!(
        out.code, 2,
        "grep's convention: something could not be read"
    );
    let report = json(&out.stdout);
    assert_eq!(
        report["findings"][0]["id"], "ABM-0012",
        "the other input is still read"
    );
    assert_eq!(report["errors"][0]["input"], corrupt.to_str().unwrap());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(&format!("shirube: cannot read {}: ", corrupt.display())),
        "{stderr}"
    );
}

#[test]
fn messy_input_never_crashes() {
    let mut messy = Vec::new();
    messy.extend_from_slice(b"\xff\xfe\x00binary\x00\r\n");
    messy.extend(std::iter::repeat_n(b'a', 5 * 1024 * 1024));
    messy.extend_from_slice(b"\r\n\x1b[31m");
    messy.extend_from_slice(PLANTED[1].1.as_bytes());
    messy.extend_from_slice(b"\x1b[0m\r\n");
    let out = run_with_stdin(&["triage", "--json", "-"], &messy);
    let report = json(&out.stdout);
    assert_eq!(report["lines"], 3);
    assert_eq!(report["findings"][0]["id"], "ABM-0012");
    assert_eq!(report["findings"][0]["first_line"], 3);

    let missing = shirube()
        .args(["triage", "/nonexistent.log"])
        .output_checked();
    assert_eq!(missing.code, 2);
    assert!(
        String::from_utf8_lossy(&missing.stderr)
            .starts_with("shirube: cannot read /nonexistent.log")
    );
}

#[test]
fn lines_that_show_too_little_of_an_error_are_weak_and_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kubelet.log");
    let mut log = std::fs::File::create(&path).unwrap();
    let mut noise = Noise(7);
    for _ in 0..100 {
        writeln!(log, "{}", noise.line()).unwrap();
    }
    // ABM-0029's known error is "No route to host", a message every log prints: here a
    // kubelet that cannot reach its API server, another problem.
    writeln!(log, "E1103 02:11:07.551020    2231 reflector.go:138] failed to list *v1.Node: Get \"https://10.200.0.2:6443/api/v1/nodes\": dial tcp 10.200.0.2:6443: connect: no route to host").unwrap();
    // The first words of ABM-0042's error, cut: too little of it to be sure.
    writeln!(log, "[2024/11/03 02:15:01] [error] [input:storage_backlog:storage_backlog.3] chunk validation failed, data might").unwrap();
    let p = path.to_str().unwrap();

    let out = run(&["triage", "--json", p]);
    assert_eq!(out.code, 1, "nothing is surely found");
    let report = json(&out.stdout);
    assert_eq!(ids(&report, "findings"), ["ABM-0029", "ABM-0042"]);
    for finding in report["findings"].as_array().unwrap() {
        assert_eq!(finding["weak"], true, "{finding}");
        assert!(finding["confidence"].as_f64().unwrap() < 0.5, "{finding}");
    }

    let text = String::from_utf8(run(&["triage", p]).stdout).unwrap();
    assert!(
        text.starts_with("ABM-0029  ")
            && text.contains("affected versions unspecified · weak match\n"),
        "{text}"
    );
    let bytes = std::fs::metadata(&path).unwrap().len();
    assert!(
        text.ends_with(&format!(
            "0 known issue(s) and 2 weak match(es) in 102 lines ({bytes} bytes)\n"
        )),
        "{text}"
    );

    // ABM-0042's whole error, later: the issue is found, from its first line, with the
    // whole error as the example; the weak one comes after it.
    writeln!(log, "{}", PLANTED[3].1).unwrap();
    let out = run(&["triage", "--json", p]);
    assert_eq!(out.code, 0);
    let report = json(&out.stdout);
    assert_eq!(ids(&report, "findings"), ["ABM-0042", "ABM-0029"]);
    let fluent = &report["findings"][0];
    assert_eq!(fluent["weak"], false);
    assert_eq!(fluent["confidence"], 1.0);
    assert_eq!(fluent["first_line"], 102);
    assert_eq!(fluent["last_line"], 103);
    assert_eq!(fluent["example"], PLANTED[3].1);
}

#[test]
fn filters_narrow_the_findings() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.log");
    write_log(&path, 1_000, &[(10, 0), (20, 1), (30, 1)]);
    let p = path.to_str().unwrap();
    // The findings, once the exit code says the same: 0 when there are some, 1 when none.
    let found = |args: &[&str]| -> Vec<String> {
        let out = run(&[&["triage", "--json"], args, &[p]].concat());
        let findings = ids(&json(&out.stdout), "findings");
        assert_eq!(out.code, i32::from(findings.is_empty()), "{args:?}");
        findings
    };
    assert_eq!(found(&[]), ["ABM-0007", "ABM-0012"]);
    assert_eq!(found(&["--min-count", "2"]), ["ABM-0012"]);
    assert_eq!(
        found(&["--version", "1.8.2"]),
        ["ABM-0012"],
        "ABM-0007 is fixed in 1.8.2, ABM-0012 only in 1.9.0"
    );
    assert_eq!(found(&["--version", "1.9.0"]), Vec::<String>::new());
}

#[test]
fn the_readme_sample_bmctl_log_shows_its_two_preflight_failures() {
    let out = run(&["triage", "tests/data/create-cluster-sample.log"]);
    assert_eq!(out.code, 0);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("ABM-0008  "), "{text}");
    assert!(
        text.contains("seen on 1 line (tests/data/create-cluster-sample.log:10)"),
        "{text}"
    );
    assert!(text.contains("ABM-0005  "));
    assert!(
        text.ends_with("2 known issue(s) in 14 lines (1139 bytes)\n"),
        "{text}"
    );
}

/// A tar header block: `name`, type `kind` (`L` a GNU long name, `x` PAX records, `0` a
/// file) and a declared `size`.
fn tar_header(name: &str, kind: u8, size: u64) -> Vec<u8> {
    let mut header = tar::Header::new_gnu();
    header.set_path(name).unwrap();
    header.set_entry_type(tar::EntryType::new(kind));
    header.set_size(size);
    header.set_mode(0o644);
    header.set_cksum();
    header.as_bytes().to_vec()
}

/// `shirube ARGS` with its address space limited to 1 GiB, as a small VM would have it.
fn run_in_one_gib(args: &[&str]) -> crate::util::Output {
    let mut command = std::process::Command::new("sh");
    command
        .arg("-c")
        .arg("ulimit -v 1048576 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_shirube"))
        .args(args);
    crate::util::OutputChecked::output_checked(&mut command)
}

/// An archive whose long-name or PAX header declares 3 GiB (here: a sparse file, a few
/// blocks on disk) is refused as soon as the header passes 64 KiB, in constant memory.
#[test]
fn a_tar_bomb_of_extension_headers_is_refused_in_constant_memory() {
    for kind in [b'L', b'x'] {
        let dir = tempfile::tempdir().unwrap();
        let bomb = dir.path().join("snapshot.tar");
        let mut file = std::fs::File::create(&bomb).unwrap();
        let declared: u64 = 3 << 30;
        file.write_all(&tar_header("././@LongLink", kind, declared))
            .unwrap();
        file.set_len(512 + declared + 1024).unwrap();
        let log = dir.path().join("node.log");
        std::fs::write(&log, format!("{}\n", PLANTED[2].1)).unwrap();
        let out = run_in_one_gib(&[
            "triage",
            "--json",
            bomb.to_str().unwrap(),
            log.to_str().unwrap(),
        ]);
        assert_eq!(out.code, 2, "{}", String::from_utf8_lossy(&out.stderr));
        let report = json(&out.stdout);
        assert_eq!(
            report["findings"][0]["id"], "ABM-0008",
            "the log is still read"
        );
        assert_eq!(report["errors"][0]["input"], bomb.to_str().unwrap());
        assert_eq!(
            report["errors"][0]["message"],
            "an extension header (long name or PAX records) over 64 KiB: not a log archive"
        );
    }
}

/// A long name and PAX path name the member, and a `.tgz` inside a `.tar` (the way a
/// support bundle wraps node snapshots) is read as the archive it is.
#[test]
fn long_names_and_archives_inside_archives_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let inner = dir.path().join("inner.tgz");
    snapshot_archive(&inner);
    let outer = dir.path().join("bundle.tar");
    let mut bytes = Vec::new();
    let long = format!("bundle/{}/node.log", "n".repeat(150));
    let content = format!("{}\n", PLANTED[1].1);
    bytes.extend(tar_header("././@LongLink", b'L', long.len() as u64 + 1));
    let mut name = long.clone().into_bytes();
    name.push(0);
    name.resize(name.len().div_ceil(512) * 512, 0);
    bytes.extend(name);
    bytes.extend(tar_header("bundle/short", b'0', content.len() as u64));
    let mut data = content.into_bytes();
    data.resize(512, 0);
    bytes.extend(data);
    let inner_bytes = std::fs::read(&inner).unwrap();
    bytes.extend(tar_header(
        "bundle/node-1.tgz",
        b'0',
        inner_bytes.len() as u64,
    ));
    let padded = inner_bytes.len().div_ceil(512) * 512;
    let mut inner_bytes = inner_bytes;
    inner_bytes.resize(padded, 0);
    bytes.extend(inner_bytes);
    bytes.extend([0; 1024]);
    std::fs::write(&outer, bytes).unwrap();

    let name = outer.to_str().unwrap();
    let out = run(&["triage", "--json", name]);
    assert_eq!(out.code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    let files: Vec<String> = json(&out.stdout)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["id"].as_str().unwrap(),
                f["file"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        files,
        [
            format!("ABM-0012 {name}:{long}"),
            format!("ABM-0008 {name}:bundle/node-1.tgz:snapshot-20240302/bmctl/preflight.log.gz"),
        ]
    );
}

/// Gzip and tar are told by their bytes, so a compressed log piped in is read through.
#[test]
fn a_compressed_log_on_stdin_is_read_through() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(format!("x\n{}\n", PLANTED[2].1).as_bytes())
        .unwrap();
    let out = run_with_stdin(&["triage", "--json", "-"], &gz.finish().unwrap());
    assert_eq!(out.code, 0);
    let report = json(&out.stdout);
    assert_eq!(report["findings"][0]["id"], "ABM-0008");
    assert_eq!(report["findings"][0]["first_line"], 2);
}

/// Links inside a folder are not followed unless asked (`-L`), as rg does: a link to `/`
/// must not read the whole machine.
#[test]
fn links_inside_a_folder_are_followed_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    std::fs::write(logs.join("node.log"), "ok\n").unwrap();
    std::os::unix::fs::symlink("/", logs.join("everything")).unwrap();
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("b.log"), format!("{}\n", PLANTED[2].1)).unwrap();
    std::os::unix::fs::symlink(&elsewhere, logs.join("more")).unwrap();

    let out = run(&["triage", "--json", logs.to_str().unwrap()]);
    assert_eq!(out.code, 1);
    assert_eq!(json(&out.stdout)["lines"], 1, "node.log alone");

    std::fs::remove_file(logs.join("everything")).unwrap();
    let out = run(&["triage", "--json", "-L", logs.to_str().unwrap()]);
    assert_eq!(out.code, 0);
    let report = json(&out.stdout);
    assert_eq!(report["lines"], 2);
    assert_eq!(report["findings"][0]["id"], "ABM-0008");
}
