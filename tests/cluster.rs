//! `check --config`, `check --host-facts` and `doctor`: which known issues hit one cluster.
//!
//! The expectations for real configuration files are those `../shared/real-configs/SOURCES.md`
//! derives by hand from the page; the project's own fixtures (`tests/data/configs/`) have the
//! same shapes, so the same expectations hold for them on a machine without that folder.

use crate::hardening::{network_calls, traced_calls};
use crate::util::run;
use serde_json::Value;
use std::fs;
use std::path::Path;

fn data(name: &str) -> String {
    format!("{}/tests/data/configs/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// The real configurations, when the shared folder is there.
fn real(name: &str) -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/real-configs")
        .join(name);
    path.exists().then(|| path.display().to_string())
}

/// `check --json` with `args`: the exit code and the report.
fn check(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["check", "--json", "--lang", "en"];
    all.extend_from_slice(args);
    let out = run(&all);
    assert!(
        out.code < 2,
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.code, serde_json::from_slice(&out.stdout).unwrap())
}

/// The numbers of the seed page's entries in `group` (`applies`, `on_upgrade`, `unknown`):
/// the fixtures' expectations (SOURCES.md among them) are written about those.
fn numbers(report: &Value, group: &str) -> Vec<u32> {
    report[group]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["id"].as_str().unwrap().strip_prefix("ABM-"))
        .map(|number| number.parse().unwrap())
        .collect()
}

fn all_listed(report: &Value) -> Vec<u32> {
    let mut all = numbers(report, "applies");
    all.extend(numbers(report, "on_upgrade"));
    all.extend(numbers(report, "unknown"));
    all
}

fn assert_contains(have: &[u32], want: &[u32], what: &str) {
    for n in want {
        assert!(have.contains(n), "{what}: ABM-{n:04} missing from {have:?}");
    }
}

fn assert_absent(have: &[u32], absent: &[u32], what: &str) {
    for n in absent {
        assert!(
            !have.contains(n),
            "{what}: ABM-{n:04} should not be in {have:?}"
        );
    }
}

/// An admin cluster at 1.7.2 on containerd, logged into as a non-root user, bundled load
/// balancer without a node pool of its own (real file 01).
fn expect_admin_containerd(file: &str) {
    let (code, report) = check(&["--config", file]);
    assert_eq!(code, 1, "issues apply: exit 1");
    assert_eq!(report["version"], "1.7.2");
    assert_contains(&numbers(&report, "applies"), &[27, 40, 41, 42], file);
    assert_contains(&numbers(&report, "on_upgrade"), &[18, 22], file);
    assert_contains(&numbers(&report, "unknown"), &[6, 7, 10], file);
    assert_absent(
        &all_listed(&report),
        &[1, 4, 9, 16, 17, 23, 25, 33, 38],
        file,
    );
    // The unknowns say how to learn what they need.
    let abm10 = report["unknown"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "ABM-0010")
        .unwrap();
    assert_eq!(
        abm10["missing"][0]["fact"],
        "host.secure_path_usr_local_bin"
    );
    assert!(
        abm10["missing"][0]["how"]
            .as_str()
            .unwrap()
            .contains("shirube doctor --facts")
    );
    // Facts say where they came from, defaults included.
    assert!(
        report["facts"]["config.runtime"]["from"]
            .as_str()
            .unwrap()
            .ends_with(": spec.nodeConfig.containerRuntime")
    );
    assert_eq!(report["facts"]["config.login_root"]["value"], false);
}

/// A user cluster at 1.7.2 on containerd with the VM runtime (real file 02).
fn expect_user_vm_runtime(file: &str) {
    let (_, report) = check(&["--config", file]);
    assert_contains(
        &numbers(&report, "applies"),
        &[4, 25, 27, 38, 40, 41, 42],
        file,
    );
    assert_contains(&numbers(&report, "on_upgrade"), &[22], file);
    // Whether a user cluster outruns its admin cluster is not in its own file...
    assert_contains(&numbers(&report, "unknown"), &[20], file);
    assert_absent(&all_listed(&report), &[18], file);
    // ...and stated by hand (its admin cluster runs 1.7.2 too), 20 does not apply.
    let dir = tempfile::tempdir().unwrap();
    let facts = dir.path().join("admin.json");
    fs::write(&facts, r#"{"facts": {"config.newer_than_admin": false}}"#).unwrap();
    let (_, report) = check(&["--config", file, "--host-facts", facts.to_str().unwrap()]);
    assert_absent(&all_listed(&report), &[20], file);
}

/// A hybrid cluster whose version is a placeholder, docker by default, manual load balancer
/// (real file 03).
fn expect_hybrid_placeholders(file: &str) {
    let (code, report) = check(&["--config", file]);
    assert_eq!(code, 0, "nothing is known to apply");
    assert_eq!(report["version"], Value::Null);
    assert!(
        report["version_from"]
            .as_str()
            .unwrap()
            .contains("is the placeholder `${")
    );
    assert_eq!(report["facts"]["config.runtime"]["value"], "docker");
    let unknown = numbers(&report, "unknown");
    // Every entry that names versions and is not ruled out by a fact waits for the version,
    // but one of every version (ABM-0035, CentOS 8's end of life) waits for its facts alone.
    assert_contains(&unknown, &[13, 15, 17, 18, 19, 35, 40, 41, 42], file);
    let every_version = serde_json::json!([{ "introduced": "0" }]);
    for finding in report["unknown"].as_array().unwrap() {
        if finding["affected"] == every_version && finding["upgrade_to"] == serde_json::json!([]) {
            assert_eq!(
                finding["missing"][0]["fact"], "host.os",
                "{}",
                finding["id"]
            );
        } else if finding["affected"].is_array() {
            assert_eq!(
                finding["missing"][0]["fact"], "version",
                "{}",
                finding["id"]
            );
        }
    }
    assert_absent(&all_listed(&report), &[1, 10, 22, 23, 27], file);

    // With the version the cluster runs, upgrade-path entries resolve: 1.8.4 as installed
    // is past 17 and 18.
    let (_, report) = check(&["--config", file, "--version", "1.8.4"]);
    assert_absent(&all_listed(&report), &[17, 18, 19], file);
}

/// A file that is not YAML until a template engine renders it: one line naming the file
/// and the line, a hint, exit 2.
fn expect_not_yaml(file: &str) {
    let out = run(&["check", "--config", file]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(
        lines[0].starts_with(&format!("shirube: {file}:")) && lines[0].contains(": not YAML: "),
        "{stderr}"
    );
    assert!(lines[1].starts_with("hint: "), "{stderr}");
}

#[test]
fn own_fixtures_give_the_expected_results() {
    expect_admin_containerd(&data("admin-containerd.yaml"));
    expect_user_vm_runtime(&data("user-vm-runtime.yaml"));
    expect_hybrid_placeholders(&data("hybrid-placeholders.yaml"));
    expect_not_yaml(&data("terraform-template.tpl"));
    expect_not_yaml(&data("envsubst-patch.yaml"));
}

#[test]
fn real_configs_give_the_results_sources_md_lists() {
    let Some(first) = real("01-kenthua-admin-1.7.2.yaml") else {
        eprintln!("../shared/real-configs is not here: the own fixtures stand in");
        return;
    };
    expect_admin_containerd(&first);
    expect_user_vm_runtime(&real("02-kenthua-user1-1.7.2.yaml").unwrap());
    expect_hybrid_placeholders(
        &real("03-anthos-samples-openstack-manual-lb-1.8.4.yaml.tpl").unwrap(),
    );
    for name in [
        "04-anthos-samples-gce-hybrid-1.8.0.tpl",
        "05b-refarch-hybrid-bundled-patch-1.8.4.yaml",
        "05c-refarch-hybrid-manual-lb-patch-1.8.4.yaml",
    ] {
        expect_not_yaml(&real(name).unwrap());
    }
}

#[test]
fn a_file_without_a_cluster_is_refused() {
    let out = run(&["check", "--config", &data("header-only.yaml")]);
    assert_eq!(out.code, 2);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with(&format!(
        "shirube: {}: no `kind: Cluster` document",
        data("header-only.yaml")
    )));
}

#[test]
fn the_config_version_is_the_target_when_the_running_version_is_given() {
    // Upgrading 1.7.1 to the file's 1.7.2: ABM-0023 hits 1.7.1 clusters on containerd
    // being upgraded, and needs the hosts' OS and SELinux mode.
    let (_, report) = check(&[
        "--config",
        &data("admin-containerd.yaml"),
        "--from",
        "1.7.1",
    ]);
    assert_eq!(report["version"], "1.7.1");
    assert_eq!(report["upgrade_to"], "1.7.2");
    assert_contains(&numbers(&report, "unknown"), &[23], "1.7.1 → 1.7.2");
    // Upgrading to 1.8.1 brings 18 and 22 into `applies`, as on_upgrade.
    let (_, report) = check(&[
        "--config",
        &data("admin-containerd.yaml"),
        "--upgrade-to",
        "1.8.1",
    ]);
    let applies = report["applies"].as_array().unwrap();
    let abm18 = applies.iter().find(|f| f["id"] == "ABM-0018").unwrap();
    assert_eq!(abm18["applies"], "on_upgrade");
    assert_eq!(abm18["because"][0]["fact"], "config.cluster_type");
}

/// A fake root filesystem with the files the probes read, in a folder of its own that
/// tests running at the same time do not share.
struct FakeRoot(tempfile::TempDir);

impl FakeRoot {
    fn new(name: &str) -> FakeRoot {
        FakeRoot(
            tempfile::Builder::new()
                .prefix(&format!("shirube-root-{name}-"))
                .tempdir()
                .unwrap(),
        )
    }

    fn dir(&self) -> &Path {
        self.0.path()
    }

    fn file(&self, rel: &str, text: &str) -> &Self {
        let path = self.dir().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
        self
    }

    fn path(&self) -> &str {
        self.dir().to_str().unwrap()
    }

    /// A CentOS 8.2 node: firewalld runs, /tmp is mounted noexec, rp_filter = 2, SELinux
    /// enforcing, kernel 4.18, cgroup v1, sudo's secure_path without /usr/local/bin.
    fn centos8() -> FakeRoot {
        let root = FakeRoot::new("centos8");
        root.file("etc/hostname", "node-centos\n")
            .file(
                "etc/os-release",
                "NAME=\"CentOS Linux\"\nID=\"centos\"\nVERSION_ID=\"8.2\"\n",
            )
            .file("proc/sys/kernel/osrelease", "4.18.0-193.el8.x86_64\n")
            .file("sys/fs/cgroup/cpu/tasks", "")
            .file(
                "proc/mounts",
                "/dev/sda1 / xfs rw,relatime 0 0\ntmpfs /tmp tmpfs rw,nosuid,nodev,noexec 0 0\n",
            )
            .file("proc/sys/net/ipv4/conf/all/rp_filter", "2\n")
            .file("proc/sys/net/ipv4/conf/default/rp_filter", "0\n")
            .file("run/firewalld.pid", "812\n")
            .file("proc/812/comm", "firewalld\n")
            .file("sys/fs/selinux/enforce", "1")
            .file(
                "etc/sudoers",
                "Defaults    secure_path = /sbin:/bin:/usr/sbin:/usr/bin\nroot ALL=(ALL) ALL\n",
            );
        fs::create_dir_all(root.dir().join("sys/class/net/lo")).unwrap();
        root
    }

    /// An Ubuntu 20.04 node with nothing the conditions look for.
    fn ubuntu() -> FakeRoot {
        let root = FakeRoot::new("ubuntu");
        root.file("etc/hostname", "node-ubuntu\n")
            .file("etc/os-release", "ID=ubuntu\nVERSION_ID=\"20.04\"\n")
            .file("proc/sys/kernel/osrelease", "5.4.0-91-generic\n")
            .file("sys/fs/cgroup/cgroup.controllers", "cpu memory\n")
            .file("proc/mounts", "/dev/sda1 / ext4 rw 0 0\n")
            .file("proc/sys/net/ipv4/conf/all/rp_filter", "0\n")
            .file("proc/sys/net/ipv4/conf/default/rp_filter", "0\n")
            .file(
                "etc/sudoers",
                "Defaults secure_path=\"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin\"\n",
            );
        fs::create_dir_all(root.dir().join("sys/class/net/ens192/device")).unwrap();
        std::os::unix::fs::symlink(
            "../../../../bus/pci/drivers/vmxnet3",
            root.dir().join("sys/class/net/ens192/device/driver"),
        )
        .unwrap();
        root
    }
}

#[test]
fn doctor_reads_a_fake_root_and_lists_what_applies_to_that_host() {
    let root = FakeRoot::centos8();
    let out = run(&[
        "doctor",
        "--json",
        "--root",
        root.path(),
        "--version",
        "1.8.1",
    ]);
    assert_eq!(out.code, 1, "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let facts = &report["nodes"][0]["facts"];
    assert_eq!(report["nodes"][0]["name"], "node-centos");
    assert_eq!(facts["host.os"]["value"], "centos");
    assert_eq!(facts["host.os_version"]["value"], "8.2");
    assert_eq!(facts["host.kernel"]["value"], "4.18.0");
    assert_eq!(facts["host.tmp_noexec"]["value"], true);
    assert_eq!(facts["host.rp_filter_strict"]["value"], true);
    assert_eq!(facts["host.firewalld_active"]["value"], true);
    assert_eq!(facts["host.selinux"]["value"], "enforcing");
    assert_eq!(facts["host.cgroup_v2"]["value"], false);
    assert_eq!(facts["host.secure_path_usr_local_bin"]["value"], false);
    // noexec /tmp, firewalld on CentOS, rp_filter, CentOS 8, RHEL/CentOS endpoints,
    // SELinux on CentOS before 8.3.
    assert_contains(
        &numbers(&report, "applies"),
        &[5, 30, 32, 35, 36, 39],
        "centos8",
    );
    assert_absent(&numbers(&report, "applies"), &[2, 7, 11, 21], "centos8");
    // Never run on an Ubuntu host: 7 needs Ubuntu 20.04.
    let ubuntu = FakeRoot::ubuntu();
    let out = run(&[
        "doctor",
        "--json",
        "--root",
        ubuntu.path(),
        "--version",
        "1.8.1",
    ]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_contains(&numbers(&report, "applies"), &[7, 11], "ubuntu");
    assert_absent(
        &numbers(&report, "applies"),
        &[5, 30, 32, 35, 36, 39],
        "ubuntu",
    );
}

/// Without a version, an entry of every version still applies where its conditions hold:
/// CentOS 8's end of life (ABM-0035) on a CentOS 8 root, never "needs facts: version".
#[test]
fn doctor_without_a_version_lists_what_hits_every_version() {
    let root = FakeRoot::centos8();
    let out = run(&["doctor", "--json", "--root", root.path()]);
    assert_eq!(out.code, 1, "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_contains(&numbers(&report, "applies"), &[35], "centos8, no version");
    assert_absent(&numbers(&report, "unknown"), &[35], "centos8, no version");
}

#[test]
fn facts_from_the_nodes_decide_on_the_jump_host() {
    let centos = FakeRoot::centos8();
    let ubuntu = FakeRoot::ubuntu();
    let dir = FakeRoot::new("jump");
    let mut files = Vec::new();
    for (root, name) in [(&centos, "centos.json"), (&ubuntu, "ubuntu.json")] {
        let out = run(&["doctor", "--facts", "--root", root.path()]);
        assert_eq!(out.code, 0);
        let path = dir.dir().join(name);
        fs::write(&path, &out.stdout).unwrap();
        files.push(path.display().to_string());
    }
    let mut args = vec![
        "--config".to_string(),
        data("admin-containerd.yaml"),
        "--host-facts".to_string(),
    ];
    args.extend(files.iter().cloned());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, report) = check(&args);
    assert_eq!(code, 1);
    let applies = report["applies"].as_array().unwrap();
    let find = |id: &str| applies.iter().find(|f| f["id"] == id);
    // containerd, not root, and the CentOS node's secure_path lacks /usr/local/bin.
    assert_eq!(
        find("ABM-0010").unwrap()["nodes"],
        serde_json::json!(["node-centos"])
    );
    assert_eq!(
        find("ABM-0007").unwrap()["nodes"],
        serde_json::json!(["node-ubuntu"])
    );
    assert_eq!(
        find("ABM-0030").unwrap()["nodes"],
        serde_json::json!(["node-centos"])
    );
    // Every host fact was given: only config facts nobody can read from a file remain.
    for finding in report["unknown"].as_array().unwrap() {
        for missing in finding["missing"].as_array().unwrap() {
            assert!(
                !missing["fact"].as_str().unwrap().starts_with("host."),
                "{finding}"
            );
        }
    }
}

#[test]
fn a_broken_facts_file_is_one_clear_error() {
    let dir = FakeRoot::new("badfacts");
    dir.file("node.json", "{\"facts\": {\"host.selinux\": \"on\"}}");
    let path = dir.dir().join("node.json").display().to_string();
    let out = run(&["check", "--host-facts", &path]);
    assert_eq!(out.code, 2);
    assert_eq!(
        String::from_utf8(out.stderr)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
        format!("shirube: {path}: `host.selinux` is one of enforcing, permissive, disabled")
    );
}

#[test]
fn doctor_runs_here_reads_only_and_opens_no_socket() {
    let out = run(&["doctor", "--facts"]);
    assert_eq!(out.code, 0);
    let facts: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        facts["facts"]["host.kernel"]["value"].is_string(),
        "{facts}"
    );

    // No network call, no file opened for writing, nothing created, renamed or removed.
    let Some(calls) = traced_calls(&["doctor"], b"") else {
        return;
    };
    assert_eq!(network_calls(&calls), Vec::<&str>::new());
    for line in calls.lines() {
        let writes = ["O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC"]
            .iter()
            .any(|flag| line.contains(flag));
        let changes = ["unlink", "rename", "mkdir", "creat(", "truncate("]
            .iter()
            .any(|call| line.contains(call));
        assert!(!writes && !changes, "doctor must only read: {line}");
    }
}

/// `doctor --root DIR` of a root whose links point out of it, at this host's secrets and
/// its own OS: every path stays inside DIR, as it would for a process chrooted there.
#[test]
fn doctor_root_never_reads_outside_its_root() {
    let outside = FakeRoot::new("outside");
    outside
        .file("shadow", "root:SECRET-HASH:19000:0:99999:7:::\n")
        .file("os-release", "ID=fedora\nVERSION_ID=39\n");
    let root = FakeRoot::new("links-out");
    let secret = outside.dir().join("shadow");
    fs::create_dir_all(root.dir().join("etc")).unwrap();
    // An absolute link starts again at DIR, where no such file is: the name is unknown.
    std::os::unix::fs::symlink(&secret, root.dir().join("etc/hostname")).unwrap();
    // `..` stops at DIR: this names DIR/os-release, which is not there.
    let climb = format!("{}/os-release", "../".repeat(40));
    std::os::unix::fs::symlink(&climb, root.dir().join("etc/os-release")).unwrap();
    // A link to /proc re-rooted is itself: a loop, so the kernel is unknown.
    std::os::unix::fs::symlink("/proc", root.dir().join("proc")).unwrap();
    // An absolute link inside the root, as distributions ship them, is followed in it.
    root.file(
        "usr/lib/sudoers",
        "Defaults secure_path=/usr/local/bin:/usr/bin\n",
    );
    std::os::unix::fs::symlink("/usr/lib/sudoers", root.dir().join("etc/sudoers")).unwrap();

    let out = run(&["doctor", "--facts", "--root", root.path()]);
    assert_eq!(out.code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.contains("SECRET"), "{stdout}");
    let facts: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(facts["host"], Value::Null, "{stdout}");
    assert_eq!(
        facts["unknown"]["host.os"],
        "cannot read /etc/os-release: no such file or directory"
    );
    assert_eq!(
        facts["unknown"]["host.kernel"],
        "cannot read /proc/sys/kernel/osrelease: too many levels of symbolic links"
    );
    assert_eq!(
        facts["facts"]["host.secure_path_usr_local_bin"]["value"],
        true
    );
    assert_eq!(
        facts["facts"]["host.secure_path_usr_local_bin"]["from"],
        "/etc/sudoers: secure_path=/usr/local/bin:/usr/bin"
    );
}

/// A FIFO or a device behind a name a probe reads is not a file: no hang, no flood, the
/// fact unknown with the reason; a host name is one short line.
#[test]
fn doctor_root_reads_only_regular_files_and_short_host_names() {
    let root = FakeRoot::new("special");
    root.file(
        "etc/hostname",
        &format!("{}\nsecond line\n", "n".repeat(300)),
    );
    fs::create_dir_all(root.dir().join("proc/sys/kernel")).unwrap();
    let fifo = root.dir().join("proc/sys/kernel/osrelease");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    std::os::unix::fs::symlink("/dev/zero", root.dir().join("etc/os-release")).unwrap();

    let out = run(&["doctor", "--facts", "--root", root.path()]);
    assert_eq!(out.code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    let facts: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        facts["host"],
        Value::Null,
        "a 300-byte first line is no host name"
    );
    assert_eq!(
        facts["unknown"]["host.kernel"],
        "cannot read /proc/sys/kernel/osrelease: it is a FIFO, not a file"
    );
    assert_eq!(
        facts["unknown"]["host.os"],
        "cannot read /etc/os-release: no such file or directory"
    );
}

/// As a user who may not read a file, a probe leaves the fact unknown with the reason; it
/// never reports `false` for what it could not look at.
#[test]
fn doctor_says_unknown_where_it_may_not_look() {
    let root = FakeRoot::new("private");
    root.file("etc/os-release", "ID=ubuntu\nVERSION_ID=\"22.04\"\n")
        .file("etc/sudoers", "Defaults secure_path=/usr/bin\n")
        .file(
            "etc/sudoers.d/ops",
            "Defaults secure_path=/usr/local/bin:/usr/bin\n",
        )
        .file("run/docker.pid", "4242\n");
    fs::create_dir_all(root.dir().join("proc/4242")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    let mode = |rel: &str, mode: u32| {
        fs::set_permissions(root.dir().join(rel), fs::Permissions::from_mode(mode)).unwrap()
    };
    // Readable by anyone but the folders and files only root may open.
    for rel in ["", "etc", "run", "proc", "proc/4242"] {
        mode(rel, 0o755);
    }
    mode("etc/os-release", 0o644);
    mode("etc/sudoers", 0o644);
    mode("etc/sudoers.d", 0o700);
    mode("run/docker.pid", 0o600);

    let mut command = crate::util::shirube();
    command.args(["doctor", "--facts", "--root", root.path()]);
    let as_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n");
    let mut command = if as_root {
        // Drop to nobody for this run, so the permissions mean what they say.
        let mut dropped = std::process::Command::new("setpriv");
        dropped
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(command.get_program())
            .args(command.get_args());
        dropped
    } else {
        command
    };
    let out = crate::util::OutputChecked::output_checked(&mut command);
    assert_eq!(out.code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    let facts: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(facts["facts"]["host.os"]["value"], "ubuntu");
    assert_eq!(
        facts["unknown"]["host.secure_path_usr_local_bin"],
        "cannot read /etc/sudoers.d: permission denied"
    );
    assert_eq!(
        facts["unknown"]["host.docker_active"],
        "cannot read /run/docker.pid: permission denied"
    );
}
