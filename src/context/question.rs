//! The facts a question states about its own cluster: "on Ubuntu 22.04", "kernel 5.15",
//! "SELinux is enforcing", "containerRuntime: docker", "bmctl 1.8.1", "on EKS", each with
//! where it came from: `the question: "Ubuntu 22.04"`. A fact the question names several
//! values of ("we moved the kernel from 5.4.0-89-generic to 5.14.20-051420-lowlatency",
//! "works on Ubuntu, fails on RHEL 8") is not one fact: its values are kept apart, and a
//! condition is decided only when every one of them decides it the same way (see
//! `super::Context`).
//!
//! Another platform ("on EKS", "k3s") rules out only the entries about the product's own
//! code: an upstream's fault happens on every platform (see `super::judge_on`).
//!
//! A kernel an error *requires* ("needs kernel 4.17.0 or newer") is not the host's kernel:
//! ABM-0021's own error says that, and the host's kernel is older.

use regex::Regex;
use shirube_kb::assess::VERSION;
use shirube_kb::condition::{Facts, Found, Value};
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// A pattern compiled once, in ASCII mode (`\\s`, `\\b`, `(?i)` over ASCII; Japanese
/// literals still match): Unicode classes made compiling the patterns cost more than the
/// whole rest of a cold search. The patterns are constants: a bad one is a bug the tests
/// catch.
fn pattern(re: &str) -> Regex {
    regex::RegexBuilder::new(re)
        .unicode(false)
        .build()
        .expect("a constant pattern compiles")
}

/// An OS by the name people write, then an optional version: `Ubuntu 22.04`, `CentOS 8`,
/// `RHEL 8.4`, `Red Hat Enterprise Linux 9`, `Rocky Linux 8`.
static OS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(ubuntu|debian|centos|rhel|red\s*hat\s+enterprise\s+linux|rocky|almalinux|alma\s+linux|oracle\s+linux|sles|suse\s+linux\s+enterprise\s+server|fedora)(?:\s+linux)?(?:\s+server)?[\s-]*v?(\d{1,2}(?:\.\d{1,2})?)?\b",
    )
});

/// `kernel 5.15`, `kernel version 4.15.0`, `カーネル 5.4`.
static KERNEL_NAMED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)(?:\bkernel|カーネル)(?:\s*(?:version|バージョン))?\s*(?:is\s+|は\s*|が\s*|:\s*|=\s*)?v?(\d\.\d{1,2}(?:\.\d{1,3})?)",
    )
});

/// A kernel release as `uname -r` prints it: `5.4.0-91-generic`, `4.18.0-193.el8.x86_64`.
static KERNEL_RELEASE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"\b(\d\.\d{1,2}\.\d{1,3})-\d+(?:\.\d+)*(?:-(?:generic|gcp|aws|azure|lowlatency|kvm|oracle|cloud-amd64|amd64)\b|\.el\d)",
    )
});

/// What makes a kernel version a requirement rather than the host's: before it, or after.
static REQUIRED_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)(?:needs?|requires?|required|minimum|at\s+least|>=?)\s*$"));
static REQUIRED_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)^\s*(?:or\s+(?:newer|later|above|higher)|\+|以上|以降|が必要|required)")
});

static SELINUX: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)selinux\s*(?:is\s+|mode\s*(?:is\s+)?|=\s*|:\s*|が\s*|は\s*|を\s*)?(?:set\s+to\s+)?(enforcing|permissive|disabled)",
    )
});
static SETENFORCE_0: LazyLock<Regex> = LazyLock::new(|| pattern(r"\bsetenforce\s+0\b"));

static CGROUP: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)\bcgroups?\s*-?\s*v([12])\b|(unified\s+cgroup\s+hierarchy)"));

static RUNTIME: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)containerRuntime\s*:\s*(containerd|docker)\b|\b(containerd|docker)\s+(?:as\s+(?:the\s+)?)?(?:container\s+)?runtime\b|\bruntime\s+(?:is\s+|=\s*|:\s*)(containerd|docker)\b|ランタイム(?:は|が|に|を|:|：)?\s*(containerd|docker)\b|\b(containerd|docker)\s*ランタイム",
    )
});

/// A release of the product, named with the product or its tools: `bmctl 1.8.1`, `Anthos
/// clusters on bare metal 1.8.1`, `GDC 1.30.100-gke.96`, `anthosBareMetalVersion: 1.16.0`.
static RELEASE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)(?:\banthos(?:\s+clusters)?(?:\s+on)?(?:\s+bare\s*metal)?|\babm|\bgdc|\bgke\s+on\s+bare\s*metal|\bbare\s*metal|ベアメタル版?\s*anthos\s*クラスタ|\bbmctl|anthosBareMetalVersion\s*:)\s*(?:version\s*|バージョン\s*)?v?(1\.\d{1,2}\.\d{1,4}(?:-gke\.\d+)?)\b",
    )
});

/// Words one of which a question must contain for each kind of fact to be looked for: most
/// questions name none, and a pattern is compiled only the first time its words occur
/// (compiling every pattern cost about two milliseconds of a cold search).
const OS_WORDS: &[&str] = &[
    "ubuntu", "debian", "centos", "rhel", "red hat", "redhat", "rocky", "alma", "oracle", "sles",
    "suse", "fedora",
];
const KERNEL_WORDS: &[&str] = &["kernel", "カーネル"];
const KERNEL_RELEASE_WORDS: &[&str] = &[
    "-generic",
    "-gcp",
    "-aws",
    "-azure",
    "-lowlatency",
    "-kvm",
    "-oracle",
    "-amd64",
    ".el",
];
const SELINUX_WORDS: &[&str] = &["selinux", "setenforce"];
const CGROUP_WORDS: &[&str] = &["cgroup"];
const RUNTIME_WORDS: &[&str] = &["runtime", "ランタイム"];
const RELEASE_WORDS: &[&str] = &["anthos", "abm", "gdc", "bare", "ベアメタル", "bmctl"];
/// Another Kubernetes distribution or managed service than the product, by the name people
/// write: `EKS`, `OpenShift`, `k3s`. `kind` is left out: it is also an English word and a
/// field of every manifest. See [`platform`] for the names inside identifiers. Looked for
/// word by word, not by a pattern: compiling one cost half a millisecond of a search.
const PLATFORM_WORDS: &[&str] = &[
    "eks",
    "aks",
    "gke",
    "openshift",
    "okd",
    "k3s",
    "rke2",
    "microk8s",
    "k0s",
    "talos",
    "minikube",
];

/// How the source of a fact read from the question begins, before its words: what reports
/// print in the reader's language.
pub const FROM_QUESTION: &str = "the question: ";

/// The fact of another platform than the product that a question names (`eks`, `openshift`):
/// an entry about the product's own code does not happen there.
pub const PLATFORM_FACT: &str = "cluster.platform";

/// What a question states about its own cluster.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stated {
    /// The facts it names one value of, each with the words it was read from.
    pub facts: Facts,
    /// What it names several values of, one list of alternatives per kind of fact: each
    /// value once, with the words of the first mention found. An OS's alternatives carry
    /// its version with it, when the mention names one.
    pub several: Vec<Vec<Facts>>,
}

/// Every fact `text` states, each with the words it was read from.
pub fn stated_facts(text: &str) -> Stated {
    let lower = text.to_ascii_lowercase();
    let says = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    let mut facts = Stated::default();
    if says(OS_WORDS) {
        os(text, &mut facts);
    }
    kernel(
        text,
        &mut facts,
        says(KERNEL_WORDS),
        says(KERNEL_RELEASE_WORDS),
    );
    if says(SELINUX_WORDS) {
        record(
            &mut facts,
            "host.selinux",
            SELINUX
                .captures_iter(text)
                .map(|c| (c[1].to_lowercase(), c[0].to_string()))
                .chain(
                    SETENFORCE_0
                        .find_iter(text)
                        .map(|m| ("permissive".to_string(), m.as_str().to_string())),
                ),
            Value::Text,
        );
    }
    if says(CGROUP_WORDS) {
        record(
            &mut facts,
            "host.cgroup_v2",
            CGROUP.captures_iter(text).map(|c| {
                let v2 = c.get(1).is_none_or(|v| v.as_str() == "2");
                (v2, c[0].to_string())
            }),
            Value::Flag,
        );
    }
    if says(RUNTIME_WORDS) {
        record(
            &mut facts,
            "config.runtime",
            RUNTIME.captures_iter(text).map(|c| {
                let name = (1..=5).find_map(|i| c.get(i)).map_or("", |m| m.as_str());
                (name.to_lowercase(), c[0].to_string())
            }),
            Value::Text,
        );
    }
    let named: Vec<(String, String)> = words_at(text)
        .filter(|(_, word)| PLATFORM_WORDS.iter().any(|p| word.eq_ignore_ascii_case(p)))
        .filter_map(|(start, word)| platform(text, start, start + word.len()))
        .collect();
    if !named.is_empty() && !names_the_product(&lower) {
        record(&mut facts, PLATFORM_FACT, named.into_iter(), Value::Text);
    }
    if says(RELEASE_WORDS) {
        record(
            &mut facts,
            VERSION,
            RELEASE
                .captures_iter(text)
                .map(|c| (c[1].to_string(), c[0].to_string())),
            Value::Text,
        );
    }
    facts
}

/// Records `fact` from its mentions: as one fact when every mention names the same value,
/// else as several values, since a question that names two says nothing of which one is
/// this cluster's.
fn record<T: Ord + Clone>(
    facts: &mut Stated,
    fact: &str,
    mentions: impl Iterator<Item = (T, String)>,
    value: impl Fn(T) -> Value,
) {
    let mut seen = BTreeSet::new();
    let values: Vec<Found> = mentions
        .filter(|(v, _)| seen.insert(v.clone()))
        .map(|(v, words)| Found {
            value: value(v),
            from: from_question(&words),
        })
        .collect();
    match <[Found; 1]>::try_from(values) {
        Ok([found]) => {
            facts.facts.insert(fact.to_string(), found);
        }
        Err(values) if !values.is_empty() => {
            let alternatives = values
                .into_iter()
                .map(|found| Facts::from([(fact.to_string(), found)]))
                .collect();
            facts.several.push(alternatives);
        }
        Err(_) => {}
    }
}

/// Where a fact read from the question came from, for every report: its own words.
fn from_question(words: &str) -> String {
    let words: String = words.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("{FROM_QUESTION}\"{words}\"")
}

/// The runs of ASCII letters and digits of `text`, each with where it starts.
fn words_at(text: &str) -> impl Iterator<Item = (usize, &str)> {
    // An ASCII byte is never part of a longer character: the runs are whole characters.
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() && !bytes[at].is_ascii_alphanumeric() {
            at += 1;
        }
        let start = at;
        while at < bytes.len() && bytes[at].is_ascii_alphanumeric() {
            at += 1;
        }
        (start < at).then(|| (start, &text[start..at]))
    })
}

/// Whether `lower` (a question in lower case) names the product: a question that does is
/// about it, whatever other platform it also names ("we moved from EKS to Anthos on bare
/// metal").
fn names_the_product(lower: &str) -> bool {
    let product_words = ["anthos", "bmctl", "gdc", "abm"];
    if words_at(lower).any(|(_, word)| product_words.contains(&word)) {
        return true;
    }
    let spaced = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    [
        "google distributed cloud",
        "gke on bare",
        "gke on-prem",
        "gke on prem",
        "ベアメタル版",
    ]
    .iter()
    .any(|name| spaced.contains(name))
}

/// The platform a name found at `start..end` of `text` says, with the words it was read
/// from; `None` when the name is part of an identifier (`cluster.gke.io`, `gke-connect`,
/// `1.30.500-gke.126`, `eks.amazonaws.com`) or is GKE as the product's own services say it
/// (`GKE Hub`, `GKE Identity Service`, `GKE on Bare Metal`).
fn platform(text: &str, start: usize, end: usize) -> Option<(String, String)> {
    let joined = |c: char| matches!(c, '.' | '-' | '_' | '/' | '@' | '=');
    let before = text[..start].chars().next_back();
    let mut after = text[end..].chars();
    let next = after.next();
    let dotted = next == Some('.') && after.next().is_some_and(|c| c.is_ascii_alphanumeric());
    if before.is_some_and(joined) || next.is_some_and(|c| joined(c) && c != '.') || dotted {
        return None;
    }
    let name = text[start..end].to_ascii_lowercase();
    // The next word, among the next few characters only: a question of one long run of
    // names would otherwise be read to its end once per name.
    let near: String = text[end..].chars().take(24).collect();
    let following = near.split_whitespace().next().unwrap_or("");
    let following = following.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    let products_own = ["hub", "identity", "enterprise", "connect", "fleet", "on"];
    if name == "gke"
        && products_own
            .iter()
            .any(|w| following.eq_ignore_ascii_case(w))
    {
        return None;
    }
    let name = if name == "okd" {
        "openshift".to_string()
    } else {
        name
    };
    Some((name, text[start..end].to_string()))
}

/// `host.os` (as `/etc/os-release` spells its ID) and, when one is named, its version.
fn os(text: &str, facts: &mut Stated) {
    let mentions: Vec<(&'static str, Option<String>, String)> = OS
        .captures_iter(text)
        .map(|c| {
            let name = c[1].to_lowercase();
            let id = match name.split_whitespace().next().unwrap_or("") {
                "red" | "rhel" => "rhel",
                "rocky" => "rocky",
                "alma" | "almalinux" => "almalinux",
                "oracle" => "ol",
                "suse" | "sles" => "sles",
                "ubuntu" => "ubuntu",
                "debian" => "debian",
                "centos" => "centos",
                _ => "fedora",
            };
            (
                id,
                c.get(2).map(|v| v.as_str().to_string()),
                c[0].trim().to_string(),
            )
        })
        .collect();
    let ids: BTreeSet<&str> = mentions.iter().map(|(id, ..)| *id).collect();
    if ids.len() > 1 {
        // Each OS named, with its own version: "works on Ubuntu, fails on RHEL 8" does not
        // say Ubuntu 8.
        let mut seen = BTreeSet::new();
        let alternatives = mentions
            .iter()
            .filter(|(id, version, _)| seen.insert((*id, version.clone())))
            .map(|(id, version, words)| {
                let found = |value: &str| Found {
                    value: Value::Text(value.to_string()),
                    from: from_question(words),
                };
                let mut alternative = Facts::from([("host.os".to_string(), found(id))]);
                if let Some(version) = version {
                    alternative.insert("host.os_version".to_string(), found(version));
                }
                alternative
            })
            .collect();
        facts.several.push(alternatives);
        return;
    }
    record(
        facts,
        "host.os",
        mentions.iter().map(|(id, _, words)| (*id, words.clone())),
        |id| Value::Text(id.to_string()),
    );
    record(
        facts,
        "host.os_version",
        mentions
            .iter()
            .filter_map(|(_, version, words)| Some((version.clone()?, words.clone()))),
        Value::Text,
    );
}

/// `host.kernel`, unless the kernel named is one an error requires; `named` and `release`
/// say whether the question has the words of either form.
fn kernel(text: &str, facts: &mut Stated, named: bool, release: bool) {
    let named = named
        .then(|| KERNEL_NAMED.captures_iter(text))
        .into_iter()
        .flatten()
        .chain(
            release
                .then(|| KERNEL_RELEASE.captures_iter(text))
                .into_iter()
                .flatten(),
        );
    let mentions = named.filter_map(|c| {
        let whole = c.get(0)?;
        let version = c.get(1)?;
        let required = REQUIRED_BEFORE.is_match(&text[..whole.start()])
            || REQUIRED_AFTER.is_match(&text[whole.end()..]);
        (!required).then(|| (padded(version.as_str()), whole.as_str().to_string()))
    });
    record(facts, "host.kernel", mentions, Value::Text);
}

/// A kernel version in three parts, as the host probe reports it: `5.15` is `5.15.0`.
fn padded(version: &str) -> String {
    match version.matches('.').count() {
        1 => format!("{version}.0"),
        _ => version.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The facts named with one value.
    fn stated(text: &str) -> Vec<(String, String)> {
        stated_facts(text)
            .facts
            .into_iter()
            .map(|(fact, found)| (fact, found.value.to_string()))
            .collect()
    }

    /// The alternatives of each kind of fact named with several values, each as its facts
    /// and values with the words of the last.
    fn several(text: &str) -> Vec<Vec<(String, String)>> {
        stated_facts(text)
            .several
            .into_iter()
            .map(|alternatives| {
                alternatives
                    .into_iter()
                    .map(|facts| {
                        let from = facts.values().last().unwrap().from.clone();
                        let values: Vec<String> = facts
                            .iter()
                            .map(|(fact, found)| format!("{fact} = {}", found.value))
                            .collect();
                        (values.join(", "), from)
                    })
                    .collect()
            })
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn an_os_and_its_version() {
        assert_eq!(
            stated("kube-proxy crashes on Ubuntu 22.04 nodes"),
            pairs(&[("host.os", "ubuntu"), ("host.os_version", "22.04")])
        );
        assert_eq!(
            stated("CentOS 8 のノードで yum が失敗する"),
            pairs(&[("host.os", "centos"), ("host.os_version", "8")])
        );
        assert_eq!(
            stated("on Red Hat Enterprise Linux 8.4 with SELinux enforcing"),
            pairs(&[
                ("host.os", "rhel"),
                ("host.os_version", "8.4"),
                ("host.selinux", "enforcing")
            ])
        );
        assert_eq!(stated("works on Ubuntu, fails on RHEL 8"), pairs(&[]));
    }

    #[test]
    fn a_fact_named_with_several_values_keeps_each() {
        let text = "worked on 5.4.0-89-generic; after moving the kernel to 5.14.20-051420-lowlatency, and to kernel 5.4 again, it fails";
        assert_eq!(stated(text), pairs(&[]));
        assert_eq!(
            several(text),
            [[
                (
                    "host.kernel = 5.4.0".to_string(),
                    "the question: \"kernel 5.4\"".to_string()
                ),
                (
                    "host.kernel = 5.14.20".to_string(),
                    "the question: \"5.14.20-051420-lowlatency\"".to_string()
                ),
            ]]
        );
        assert_eq!(
            several("works on Ubuntu, fails on RHEL 8"),
            [[
                (
                    "host.os = ubuntu".to_string(),
                    "the question: \"Ubuntu\"".to_string()
                ),
                (
                    "host.os = rhel, host.os_version = 8".to_string(),
                    "the question: \"RHEL 8\"".to_string()
                ),
            ]]
        );
    }

    #[test]
    fn a_kernel_the_host_runs_and_not_one_an_error_requires() {
        assert_eq!(
            stated("nodes run kernel 5.15"),
            pairs(&[("host.kernel", "5.15.0")])
        );
        assert_eq!(
            stated("uname -r says 4.15.0-1044-gcp"),
            pairs(&[("host.kernel", "4.15.0")])
        );
        assert_eq!(
            stated(
                r#"level=fatal msg="BPF NodePort services needs kernel 4.17.0 or newer." subsys=daemon"#
            ),
            pairs(&[])
        );
        assert_eq!(
            stated("the host has kernel 4.15.0 but BPF NodePort needs kernel 4.17.0 or newer"),
            pairs(&[("host.kernel", "4.15.0")])
        );
    }

    #[test]
    fn runtime_cgroups_and_release() {
        assert_eq!(
            stated("containerRuntime: docker in the cluster config"),
            pairs(&[("config.runtime", "docker")])
        );
        assert_eq!(
            stated("Docker service is not active"),
            pairs(&[]),
            "naming docker is not naming the runtime"
        );
        assert_eq!(
            stated("preflight fails on cgroup v2 machines with bmctl 1.6.1"),
            pairs(&[("host.cgroup_v2", "true"), ("version", "1.6.1")])
        );
        assert_eq!(
            stated("kubelet v1.21.5 and containerd 1.4.3"),
            pairs(&[]),
            "other projects' versions are not the product's release"
        );
    }

    #[test]
    fn another_platform_and_not_the_products_own_names() {
        assert_eq!(
            stated("PLEG is not healthy on our EKS nodes"),
            pairs(&[("cluster.platform", "eks")])
        );
        assert_eq!(
            stated("OKD 4.12 の router が起動しない"),
            pairs(&[("cluster.platform", "openshift")])
        );
        assert_eq!(
            stated_facts("k3s on Hetzner").facts["cluster.platform"].from,
            "the question: \"k3s\""
        );
        // Names inside identifiers, the product's own GKE services, the product named.
        for text in [
            "open .manifests/crd/bases/baremetal.cluster.gke.io_nodepools.yaml",
            "gke-connect-agent restarts all the time",
            "upgrade to 1.30.500-gke.126 fails",
            "GKE Hub membership already exists",
            "GKE on Bare Metal 1.16 on RHEL",
            "we moved from EKS to Anthos clusters on bare metal",
            "what kind of error is this",
        ] {
            let read = stated_facts(text);
            assert!(!read.facts.contains_key(PLATFORM_FACT), "{text}");
            assert!(read.several.is_empty(), "{text}");
        }
        assert_eq!(
            several("fine on minikube, broken on k3s"),
            [[
                (
                    "cluster.platform = minikube".to_string(),
                    "the question: \"minikube\"".to_string()
                ),
                (
                    "cluster.platform = k3s".to_string(),
                    "the question: \"k3s\"".to_string()
                ),
            ]]
        );
    }

    #[test]
    fn each_fact_says_the_words_it_was_read_from() {
        let facts = stated_facts("the nodes run Ubuntu   22.04 LTS").facts;
        assert_eq!(facts["host.os"].from, "the question: \"Ubuntu 22.04\"");
    }
}
