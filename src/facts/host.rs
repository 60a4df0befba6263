//! `shirube doctor`'s probes: the host facts the conditions use, read from the files the
//! kernel and the distribution keep them in. Every probe only reads — `/etc/os-release`,
//! `/proc`, `/sys`, sudoers, the pid files and cgroups systemd leaves — never runs a
//! program, never opens a socket, and is bounded in time; one that cannot tell leaves its
//! fact unknown and says why. All paths are read under a root, so a copied or fake root
//! (`--root DIR`) is probed exactly as `/` is.

use shirube_kb::condition::{self, Facts, Found, Value};
use shirube_kb::error::io_reason;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// How long one probe may take before its fact is unknown (a hung NFS `/etc`, a stuck
/// `/proc` file).
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// No file a probe reads is larger than this; more is not what the probe expects.
const MAX_READ: u64 = 1 << 20;

/// What the probes found on one host.
#[derive(Clone, Debug, Default)]
pub struct HostFacts {
    /// The host's name (`/etc/hostname`), when it has one.
    pub host: Option<String>,
    pub facts: Facts,
    /// Facts no probe could tell, and why.
    pub unknown: Vec<(String, String)>,
}

/// What one probe concludes about its facts.
type Probed = Vec<(&'static str, Result<Found, String>)>;

type Probe = fn(&Root) -> Probed;

/// Every probe, with the facts it tells.
const PROBES: &[(&[&str], Probe)] = &[
    (&["host.os", "host.os_version"], os_release),
    (&["host.kernel"], kernel),
    (&["host.cgroup_v2"], cgroup_v2),
    (&["host.tmp_noexec"], tmp_noexec),
    (&["host.rp_filter_strict"], rp_filter),
    (&["host.docker_installed", "host.docker_active"], docker),
    (&["host.firewalld_active"], firewalld),
    (&["host.selinux"], selinux),
    (&["host.secure_path_usr_local_bin"], secure_path),
    (&["host.nic_vmxnet3"], nic_vmxnet3),
    (&["host.adc_credentials"], adc_credentials),
];

/// Probes the host under `root` (`/` for this one).
pub fn probe(root: &Path) -> HostFacts {
    let root = Root(root.to_path_buf());
    let mut found = HostFacts {
        host: root
            .read("etc/hostname")
            .ok()
            .map(|h| h.trim().to_string())
            .filter(|h| !h.is_empty()),
        ..HostFacts::default()
    };
    for (facts, probe) in PROBES {
        for (fact, result) in bounded(facts, *probe, &root) {
            match result {
                Ok(value) => {
                    found.facts.insert(fact.to_string(), value);
                }
                Err(why) => found.unknown.push((fact.to_string(), why)),
            }
        }
    }
    found
}

/// Runs `probe` on a thread of its own and gives up after [`PROBE_TIMEOUT`]: the thread
/// may stay blocked in a read, but the answer does not wait for it.
fn bounded(facts: &'static [&'static str], probe: Probe, root: &Root) -> Probed {
    let (send, receive) = mpsc::channel();
    let root_copy = root.clone();
    thread::spawn(move || {
        let _ = send.send(probe(&root_copy));
    });
    receive.recv_timeout(PROBE_TIMEOUT).unwrap_or_else(|_| {
        let why = format!("the probe took longer than {}s", PROBE_TIMEOUT.as_secs());
        facts.iter().map(|fact| (*fact, Err(why.clone()))).collect()
    })
}

/// The root the probes read under.
#[derive(Clone, Debug)]
struct Root(PathBuf);

impl Root {
    fn path(&self, rel: &str) -> PathBuf {
        self.0.join(rel)
    }

    /// Where a fact came from: the path as it is on the probed host.
    fn shown(rel: &str) -> String {
        format!("/{rel}")
    }

    /// A small text file, read whole (at most [`MAX_READ`] bytes).
    fn read(&self, rel: &str) -> Result<String, String> {
        let file = fs::File::open(self.path(rel))
            .map_err(|e| format!("cannot read {}: {}", Root::shown(rel), reason(&e)))?;
        let mut text = String::new();
        file.take(MAX_READ)
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot read {}: {}", Root::shown(rel), reason(&e)))?;
        Ok(text)
    }

    fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }
}

/// An io error as the reason a fact is unknown: `permission denied`.
fn reason(error: &std::io::Error) -> String {
    io_reason(error).to_lowercase()
}

fn flag(value: bool, from: impl Into<String>) -> Result<Found, String> {
    Ok(Found {
        value: Value::Flag(value),
        from: from.into(),
    })
}

fn text(value: impl Into<String>, from: impl Into<String>) -> Result<Found, String> {
    Ok(Found {
        value: Value::Text(value.into()),
        from: from.into(),
    })
}

/// The leading `1.2.3` of a version such as `5.4.0-91-generic` or `8.5.2111`.
fn numeric_prefix(text: &str) -> Option<String> {
    let end = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let prefix = text[..end].trim_end_matches('.');
    let parts = prefix.split('.').count();
    (!prefix.is_empty() && parts <= 4 && !prefix.contains("..")).then(|| prefix.to_string())
}

fn os_release(root: &Root) -> Probed {
    let rel = "etc/os-release";
    let fields = root.read(rel).map(|text| {
        text.lines()
            .filter_map(|line| line.split_once('='))
            .map(|(k, v)| {
                (
                    k.trim().to_string(),
                    v.trim().trim_matches(['"', '\'']).to_string(),
                )
            })
            .collect::<Vec<_>>()
    });
    let get = |key: &str| -> Result<String, String> {
        let fields = fields.as_ref().map_err(Clone::clone)?;
        fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| format!("{} has no {key}", Root::shown(rel)))
    };
    let os = get("ID").map(|id| {
        let known = condition::OS.iter().any(|os| *os == id && *os != "other");
        let word = if known {
            id.clone()
        } else {
            "other".to_string()
        };
        (word, id)
    });
    let version = get("VERSION_ID").and_then(|v| {
        numeric_prefix(&v)
            .ok_or_else(|| format!("{} VERSION_ID `{v}` is not a version", Root::shown(rel)))
    });
    vec![
        (
            "host.os",
            os.and_then(|(word, id)| text(word, format!("{}: ID={id}", Root::shown(rel)))),
        ),
        (
            "host.os_version",
            version.and_then(|v| text(v.clone(), format!("{}: VERSION_ID={v}", Root::shown(rel)))),
        ),
    ]
}

fn kernel(root: &Root) -> Probed {
    let rel = "proc/sys/kernel/osrelease";
    let result = root.read(rel).and_then(|release| {
        let release = release.trim();
        let version = numeric_prefix(release)
            .ok_or_else(|| format!("{} `{release}` is not a version", Root::shown(rel)))?;
        text(version, format!("{}: {release}", Root::shown(rel)))
    });
    vec![("host.kernel", result)]
}

fn cgroup_v2(root: &Root) -> Probed {
    let result = if !root.exists("sys/fs/cgroup") {
        Err("/sys/fs/cgroup does not exist".to_string())
    } else {
        let v2 = root.exists("sys/fs/cgroup/cgroup.controllers");
        flag(
            v2,
            if v2 {
                "/sys/fs/cgroup/cgroup.controllers exists"
            } else {
                "/sys/fs/cgroup has no cgroup.controllers (cgroup v1)"
            },
        )
    };
    vec![("host.cgroup_v2", result)]
}

fn tmp_noexec(root: &Root) -> Probed {
    let result = root.read("proc/mounts").and_then(|mounts| {
        // The last mount on /tmp is the one in effect.
        let tmp = mounts.lines().rev().find_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            (fields.get(1) == Some(&"/tmp")).then(|| fields.get(3).copied().unwrap_or(""))
        });
        match tmp {
            Some(options) => {
                let noexec = options.split(',').any(|o| o == "noexec");
                flag(noexec, format!("/proc/mounts: /tmp {options}"))
            }
            None => flag(false, "/proc/mounts: /tmp is not mounted on its own"),
        }
    });
    vec![("host.tmp_noexec", result)]
}

fn rp_filter(root: &Root) -> Probed {
    let mut strict = Vec::new();
    let mut errors = Vec::new();
    for scope in ["all", "default"] {
        let rel = format!("proc/sys/net/ipv4/conf/{scope}/rp_filter");
        match root.read(&rel) {
            Ok(value) if matches!(value.trim(), "1" | "2") => {
                strict.push(format!(
                    "net.ipv4.conf.{scope}.rp_filter = {}",
                    value.trim()
                ));
            }
            Ok(_) => {}
            Err(why) => errors.push(why),
        }
    }
    let result = match (strict.first(), errors.first()) {
        (Some(setting), _) => flag(true, setting.clone()),
        (None, Some(why)) => Err(why.clone()),
        (None, None) => flag(false, "net.ipv4.conf.all and .default.rp_filter are 0"),
    };
    vec![("host.rp_filter_strict", result)]
}

/// Whether the service with this pid file runs: the pid file names a live process, or
/// systemd keeps a cgroup for the unit.
fn service_runs(root: &Root, pid_files: &[&str], unit: &str) -> Option<String> {
    for rel in pid_files {
        if let Ok(pid) = root.read(rel) {
            let pid = pid.trim();
            if !pid.is_empty()
                && pid.bytes().all(|b| b.is_ascii_digit())
                && root.exists(&format!("proc/{pid}"))
            {
                return Some(format!("{}: pid {pid} runs", Root::shown(rel)));
            }
        }
    }
    for rel in [
        format!("sys/fs/cgroup/system.slice/{unit}/cgroup.procs"),
        format!("sys/fs/cgroup/systemd/system.slice/{unit}/cgroup.procs"),
    ] {
        if root.read(&rel).is_ok_and(|procs| !procs.trim().is_empty()) {
            return Some(format!("{}: has processes", Root::shown(&rel)));
        }
    }
    None
}

fn docker(root: &Root) -> Probed {
    let binary = ["usr/bin/docker", "usr/local/bin/docker", "bin/docker"]
        .into_iter()
        .find(|rel| root.exists(rel));
    let installed = match binary {
        Some(rel) => flag(true, format!("{} exists", Root::shown(rel))),
        None => flag(false, "no docker in /usr/bin, /usr/local/bin or /bin"),
    };
    let active = match service_runs(
        root,
        &["run/docker.pid", "var/run/docker.pid"],
        "docker.service",
    ) {
        Some(from) => flag(true, from),
        None => flag(
            false,
            "no live /run/docker.pid and no docker.service cgroup",
        ),
    };
    vec![
        ("host.docker_installed", installed),
        ("host.docker_active", active),
    ]
}

fn firewalld(root: &Root) -> Probed {
    let active = match service_runs(
        root,
        &["run/firewalld.pid", "var/run/firewalld.pid"],
        "firewalld.service",
    ) {
        Some(from) => flag(true, from),
        None => flag(
            false,
            "no live /run/firewalld.pid and no firewalld.service cgroup",
        ),
    };
    vec![("host.firewalld_active", active)]
}

fn selinux(root: &Root) -> Probed {
    let result = match root.read("sys/fs/selinux/enforce") {
        Ok(mode) => match mode.trim() {
            "1" => text("enforcing", "/sys/fs/selinux/enforce = 1"),
            "0" => text("permissive", "/sys/fs/selinux/enforce = 0"),
            other => Err(format!("/sys/fs/selinux/enforce holds `{other}`")),
        },
        Err(_) if root.exists("sys/fs") && !root.exists("sys/fs/selinux/enforce") => {
            text("disabled", "/sys/fs/selinux is not mounted")
        }
        Err(why) => Err(why),
    };
    vec![("host.selinux", result)]
}

/// sudo's `secure_path`: the last `Defaults secure_path=` in /etc/sudoers and the files of
/// /etc/sudoers.d (in name order, as sudo reads them); without one, sudo keeps the caller's
/// PATH.
fn secure_path(root: &Root) -> Probed {
    let mut files = vec!["etc/sudoers".to_string()];
    if let Ok(dir) = fs::read_dir(root.path("etc/sudoers.d")) {
        let mut names: Vec<String> = dir
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            // sudo skips names with a dot or ending in ~.
            .filter(|n| !n.contains('.') && !n.ends_with('~'))
            .collect();
        names.sort();
        files.extend(names.into_iter().map(|n| format!("etc/sudoers.d/{n}")));
    }
    let mut last: Option<(String, String)> = None;
    for rel in &files {
        let text = match root.read(rel) {
            Ok(text) => text,
            Err(why) if rel == "etc/sudoers" => {
                return vec![("host.secure_path_usr_local_bin", Err(why))];
            }
            Err(_) => continue,
        };
        for line in text.lines() {
            let line = line.trim();
            let Some(rest) = line.strip_prefix("Defaults") else {
                continue;
            };
            let rest = rest.trim_start();
            if let Some(value) = rest.strip_prefix("secure_path") {
                let value = value
                    .trim_start()
                    .trim_start_matches('=')
                    .trim()
                    .trim_matches('"');
                last = Some((value.to_string(), Root::shown(rel)));
            }
        }
    }
    let result = match last {
        Some((path, file)) => {
            let has = path
                .split(':')
                .any(|dir| dir.trim_end_matches('/') == "/usr/local/bin");
            flag(has, format!("{file}: secure_path={path}"))
        }
        None => flag(
            true,
            "no secure_path in sudoers: sudo keeps the caller's PATH",
        ),
    };
    vec![("host.secure_path_usr_local_bin", result)]
}

fn nic_vmxnet3(root: &Root) -> Probed {
    let result = match fs::read_dir(root.path("sys/class/net")) {
        Err(e) => Err(format!("cannot read /sys/class/net: {}", reason(&e))),
        Ok(dir) => {
            let mut names: Vec<String> = dir
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            let vmxnet3 = names.iter().find(|name| {
                fs::read_link(root.path(&format!("sys/class/net/{name}/device/driver")))
                    .is_ok_and(|target| target.file_name().is_some_and(|f| f == "vmxnet3"))
            });
            match vmxnet3 {
                Some(name) => flag(
                    true,
                    format!("/sys/class/net/{name}/device/driver is vmxnet3"),
                ),
                None => flag(
                    false,
                    format!(
                        "no vmxnet3 among {} interfaces in /sys/class/net",
                        names.len()
                    ),
                ),
            }
        }
    };
    vec![("host.nic_vmxnet3", result)]
}

/// Application default credentials: `GOOGLE_APPLICATION_CREDENTIALS` (on this host only:
/// a copied root has no environment) or gcloud's file in root's or a user's home.
fn adc_credentials(root: &Root) -> Probed {
    let file = ".config/gcloud/application_default_credentials.json";
    if root.0 == Path::new("/")
        && let Some(path) =
            std::env::var_os("GOOGLE_APPLICATION_CREDENTIALS").filter(|p| !p.is_empty())
    {
        return vec![(
            "host.adc_credentials",
            flag(
                true,
                format!(
                    "GOOGLE_APPLICATION_CREDENTIALS={}",
                    Path::new(&path).display()
                ),
            ),
        )];
    }
    let mut homes = vec!["root".to_string()];
    if let Ok(dir) = fs::read_dir(root.path("home")) {
        let mut users: Vec<String> = dir
            .filter_map(|e| e.ok())
            .map(|e| format!("home/{}", e.file_name().to_string_lossy()))
            .collect();
        users.sort();
        homes.extend(users);
    }
    let found = homes
        .iter()
        .map(|home| format!("{home}/{file}"))
        .find(|rel| root.exists(rel));
    let result = match found {
        Some(rel) => flag(true, format!("{} exists", Root::shown(&rel))),
        None => flag(
            false,
            format!("no GOOGLE_APPLICATION_CREDENTIALS and no ~/{file}"),
        ),
    };
    vec![("host.adc_credentials", result)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fact_a_probe_tells_is_a_host_fact_of_the_catalogue() {
        for (facts, _) in PROBES {
            for fact in *facts {
                assert!(shirube_kb::condition::fact(fact).is_some(), "{fact}");
            }
        }
        let told: Vec<&str> = PROBES
            .iter()
            .flat_map(|(facts, _)| facts.iter().copied())
            .collect();
        for def in shirube_kb::condition::FACTS
            .iter()
            .filter(|f| f.name.starts_with("host."))
        {
            assert!(told.contains(&def.name), "no probe tells {}", def.name);
        }
    }

    #[test]
    fn versions_are_read_from_their_numeric_prefix() {
        assert_eq!(numeric_prefix("5.4.0-91-generic").as_deref(), Some("5.4.0"));
        assert_eq!(
            numeric_prefix("4.18.0-348.el8.x86_64").as_deref(),
            Some("4.18.0")
        );
        assert_eq!(numeric_prefix("20.04").as_deref(), Some("20.04"));
        assert_eq!(numeric_prefix("rolling"), None);
    }
}
