//! `shirube doctor`'s probes: the host facts the conditions use, read from the files the
//! kernel and the distribution keep them in. Every probe only reads — `/etc/os-release`,
//! `/proc`, `/sys`, sudoers, the pid files and cgroups systemd leaves — never runs a
//! program, never opens a socket, and is bounded in time; one that cannot tell leaves its
//! fact unknown and says why. All paths are read under a root, so a copied or fake root
//! (`--root DIR`) is probed exactly as `/` is.

use super::root::Root;
use shirube_kb::condition::{self, Facts, Found, Value};
use std::path::Path;
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
    /// The facts the probes could tell, by name (`host.kernel`), each with what it was read
    /// from.
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

/// A host name, at most (RFC 1035's longest domain name).
const MAX_HOST_NAME: usize = 253;

/// Probes the host under `root` (`/` for this one).
pub fn probe(root: &Path) -> HostFacts {
    let root = match Root::open(root) {
        Ok(root) => root,
        Err(why) => {
            let unknown = PROBES
                .iter()
                .flat_map(|(facts, _)| facts.iter())
                .map(|fact| (fact.to_string(), why.clone()))
                .collect();
            return HostFacts {
                unknown,
                ..HostFacts::default()
            };
        }
    };
    let mut found = HostFacts::default();
    if let Some((_, Ok(Found { value, .. }))) = bounded(&["host"], host_name, &root).pop() {
        found.host = Some(value.to_string());
    }
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

/// The first line of `/etc/hostname`, when it is a plausible host name.
fn host_name(root: &Root) -> Probed {
    let name = root
        .read("etc/hostname", MAX_HOST_NAME as u64 + 1)
        .and_then(|text| {
            let name = text.lines().next().unwrap_or("").trim();
            if name.is_empty() || name.len() > MAX_HOST_NAME || name.chars().any(char::is_control) {
                return Err("/etc/hostname holds no host name".to_string());
            }
            Ok(Found {
                value: Value::Text(name.to_string()),
                from: "/etc/hostname".to_string(),
            })
        });
    vec![("host", name)]
}

/// A small text file under the root, read whole (at most [`MAX_READ`] bytes).
fn read(root: &Root, rel: &str) -> Result<String, String> {
    root.read(rel, MAX_READ)
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
    let fields = read(root, rel).map(|text| {
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
    let result = read(root, rel).and_then(|release| {
        let release = release.trim();
        let version = numeric_prefix(release)
            .ok_or_else(|| format!("{} `{release}` is not a version", Root::shown(rel)))?;
        text(version, format!("{}: {release}", Root::shown(rel)))
    });
    vec![("host.kernel", result)]
}

fn cgroup_v2(root: &Root) -> Probed {
    let result = (|| {
        if !root.exists("sys/fs/cgroup")? {
            return Err("/sys/fs/cgroup does not exist".to_string());
        }
        let v2 = root.exists("sys/fs/cgroup/cgroup.controllers")?;
        flag(
            v2,
            if v2 {
                "/sys/fs/cgroup/cgroup.controllers exists"
            } else {
                "/sys/fs/cgroup has no cgroup.controllers (cgroup v1)"
            },
        )
    })();
    vec![("host.cgroup_v2", result)]
}

fn tmp_noexec(root: &Root) -> Probed {
    let result = read(root, "proc/mounts").and_then(|mounts| {
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
        match read(root, &rel) {
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

/// The file `rel` when it is there: `None` when it is not, an error when it is but cannot
/// be read (which leaves a fact unknown rather than false).
fn read_if_there(root: &Root, rel: &str) -> Result<Option<String>, String> {
    if root.exists(rel)? {
        read(root, rel).map(Some)
    } else {
        Ok(None)
    }
}

/// Whether the service with this pid file runs: the pid file names a live process, or
/// systemd keeps a cgroup for the unit. `None`: neither shows it running.
fn service_runs(root: &Root, pid_files: &[&str], unit: &str) -> Result<Option<String>, String> {
    for rel in pid_files {
        if let Some(pid) = read_if_there(root, rel)? {
            let pid = pid.trim();
            if !pid.is_empty()
                && pid.bytes().all(|b| b.is_ascii_digit())
                && root.exists(&format!("proc/{pid}"))?
            {
                return Ok(Some(format!("{}: pid {pid} runs", Root::shown(rel))));
            }
        }
    }
    for rel in [
        format!("sys/fs/cgroup/system.slice/{unit}/cgroup.procs"),
        format!("sys/fs/cgroup/systemd/system.slice/{unit}/cgroup.procs"),
    ] {
        if read_if_there(root, &rel)?.is_some_and(|procs| !procs.trim().is_empty()) {
            return Ok(Some(format!("{}: has processes", Root::shown(&rel))));
        }
    }
    Ok(None)
}

/// The first of `paths` that is there; an error when one before it cannot be looked at.
fn first_existing<'a>(root: &Root, paths: &[&'a str]) -> Result<Option<&'a str>, String> {
    for rel in paths {
        if root.exists(rel)? {
            return Ok(Some(rel));
        }
    }
    Ok(None)
}

fn docker(root: &Root) -> Probed {
    let installed = first_existing(
        root,
        &["usr/bin/docker", "usr/local/bin/docker", "bin/docker"],
    )
    .and_then(|binary| match binary {
        Some(rel) => flag(true, format!("{} exists", Root::shown(rel))),
        None => flag(false, "no docker in /usr/bin, /usr/local/bin or /bin"),
    });
    let active = service_runs(
        root,
        &["run/docker.pid", "var/run/docker.pid"],
        "docker.service",
    )
    .and_then(|runs| match runs {
        Some(from) => flag(true, from),
        None => flag(
            false,
            "no live /run/docker.pid and no docker.service cgroup",
        ),
    });
    vec![
        ("host.docker_installed", installed),
        ("host.docker_active", active),
    ]
}

fn firewalld(root: &Root) -> Probed {
    let active = service_runs(
        root,
        &["run/firewalld.pid", "var/run/firewalld.pid"],
        "firewalld.service",
    )
    .and_then(|runs| match runs {
        Some(from) => flag(true, from),
        None => flag(
            false,
            "no live /run/firewalld.pid and no firewalld.service cgroup",
        ),
    });
    vec![("host.firewalld_active", active)]
}

fn selinux(root: &Root) -> Probed {
    let result = match read(root, "sys/fs/selinux/enforce") {
        Ok(mode) => match mode.trim() {
            "1" => text("enforcing", "/sys/fs/selinux/enforce = 1"),
            "0" => text("permissive", "/sys/fs/selinux/enforce = 0"),
            other => Err(format!("/sys/fs/selinux/enforce holds `{other}`")),
        },
        Err(why) => match (root.exists("sys/fs"), root.exists("sys/fs/selinux/enforce")) {
            (Ok(true), Ok(false)) => text("disabled", "/sys/fs/selinux is not mounted"),
            _ => Err(why),
        },
    };
    vec![("host.selinux", result)]
}

/// sudo's `secure_path`: the last `Defaults secure_path=` in /etc/sudoers and the files of
/// /etc/sudoers.d (in name order, as sudo reads them); without one, sudo keeps the caller's
/// PATH.
fn secure_path(root: &Root) -> Probed {
    let result = last_secure_path(root).and_then(|last| match last {
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
    });
    vec![("host.secure_path_usr_local_bin", result)]
}

/// The last `secure_path` sudo reads, and the file it is in. A file sudo would read that
/// cannot be read leaves it unknown: it may be the one that sets it.
fn last_secure_path(root: &Root) -> Result<Option<(String, String)>, String> {
    let mut files = vec!["etc/sudoers".to_string()];
    if root.exists("etc/sudoers.d")? {
        let names = root.list("etc/sudoers.d")?;
        // sudo skips names with a dot or ending in ~.
        files.extend(
            names
                .into_iter()
                .filter(|n| !n.contains('.') && !n.ends_with('~'))
                .map(|n| format!("etc/sudoers.d/{n}")),
        );
    }
    let mut last: Option<(String, String)> = None;
    for rel in &files {
        let text = read(root, rel)?;
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
    Ok(last)
}

fn nic_vmxnet3(root: &Root) -> Probed {
    let result = match root.list("sys/class/net") {
        Err(why) => Err(why),
        Ok(names) => {
            // Virtual interfaces (lo, bridges) have no device, so no driver link.
            let vmxnet3 = names.iter().find(|name| {
                root.read_link(&format!("sys/class/net/{name}/device/driver"))
                    .is_ok_and(|target| target.rsplit('/').next() == Some("vmxnet3"))
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
    if root.is_this_host()
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
    let result = adc_file(root, file).and_then(|found| match found {
        Some(rel) => flag(true, format!("{} exists", Root::shown(&rel))),
        None => flag(
            false,
            format!("no GOOGLE_APPLICATION_CREDENTIALS and no ~/{file}"),
        ),
    });
    vec![("host.adc_credentials", result)]
}

/// gcloud's credentials `file` in root's home or a user's, when one has it. A home that
/// cannot be looked into leaves it unknown.
fn adc_file(root: &Root, file: &str) -> Result<Option<String>, String> {
    let mut homes = vec!["root".to_string()];
    if root.exists("home")? {
        homes.extend(
            root.list("home")?
                .into_iter()
                .map(|user| format!("home/{user}")),
        );
    }
    for home in homes {
        let rel = format!("{home}/{file}");
        if root.exists(&rel)? {
            return Ok(Some(rel));
        }
    }
    Ok(None)
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
