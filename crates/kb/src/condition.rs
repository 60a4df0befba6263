//! When an entry applies, as data: conditions over named facts of a cluster's configuration
//! and of its hosts, evaluated three ways — applies, does not apply, or unknown because a
//! fact is missing (Red Hat Insights' "skipped: facts missing").
//!
//! An entry's header lists clauses that must all hold; a clause is tests joined by `||`:
//!
//! ```toml
//! [conditions]
//! when = ["config.runtime == containerd", "config.proxy", "config.multiple_nics"]
//! statement = ["containerd を使用し、… プロキシ …"]
//! ```
//!
//! A test is a flag (`config.proxy`, `!config.proxy`) or a comparison of a fact with a value
//! (`host.os == centos`, `host.kernel < 4.17`). The facts are named in [`FACTS`]; the lint
//! checks names and values against it.

use crate::Error;
use crate::version::Version;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// What kind of value a fact has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// True or false.
    Flag,
    /// One of these words.
    Choice(&'static [&'static str]),
    /// A dotted version (`4.17`, `20.04`).
    Version,
}

/// A fact the conditions may test.
#[derive(Clone, Copy, Debug)]
pub struct FactDef {
    /// The name clauses test it by: `config.` or `host.`, then the fact (`host.kernel`).
    pub name: &'static str,
    /// The values it takes, which decide the tests a clause may make of it.
    pub kind: Kind,
    /// What it means, and where it comes from.
    pub about: &'static str,
}

/// The values of `host.os`: the `ID`s of `/etc/os-release` the conditions name, and
/// `other`.
pub const OS: &[&str] = &[
    "ubuntu",
    "rhel",
    "centos",
    "rocky",
    "almalinux",
    "ol",
    "debian",
    "sles",
    "fedora",
    "other",
];

/// Every fact, configuration (`config.`) and host (`host.`).
pub const FACTS: &[FactDef] = &[
    FactDef {
        name: "config.cluster_type",
        kind: Kind::Choice(&["admin", "user", "hybrid", "standalone"]),
        about: "spec.type of the Cluster",
    },
    FactDef {
        name: "config.runtime",
        kind: Kind::Choice(&["containerd", "docker"]),
        about: "spec.nodeConfig.containerRuntime (docker when absent)",
    },
    FactDef {
        name: "config.lb_mode",
        kind: Kind::Choice(&["bundled", "manual"]),
        about: "spec.loadBalancer.mode",
    },
    FactDef {
        name: "config.lb_node_pool",
        kind: Kind::Flag,
        about: "the load balancer has a node pool of its own (spec.loadBalancer.nodePoolSpec)",
    },
    FactDef {
        name: "config.proxy",
        kind: Kind::Flag,
        about: "spec.proxy.url is set",
    },
    FactDef {
        name: "config.multiple_nics",
        kind: Kind::Flag,
        about: "spec.clusterNetwork.multipleNetworkInterfaces is true",
    },
    FactDef {
        name: "config.login_root",
        kind: Kind::Flag,
        about: "nodes are reached as root (spec.nodeAccess.loginUser is root or absent)",
    },
    FactDef {
        name: "config.vm_runtime",
        kind: Kind::Flag,
        about: "the VM runtime is enabled (spec.kubevirt or spec.vmRuntime)",
    },
    FactDef {
        name: "config.registry_mirrors",
        kind: Kind::Flag,
        about: "registry mirrors are configured (registryMirrors)",
    },
    FactDef {
        name: "config.audit_logging",
        kind: Kind::Flag,
        about: "Cloud Audit Logging is on (unless clusterOperations.disableCloudAuditLogging)",
    },
    FactDef {
        name: "config.operations_global",
        kind: Kind::Flag,
        about: "spec.clusterOperations.location is global",
    },
    FactDef {
        name: "config.maintenance_blocks",
        kind: Kind::Flag,
        about: "spec.maintenanceBlocks is set",
    },
    FactDef {
        name: "config.newer_than_admin",
        kind: Kind::Flag,
        about: "a user cluster's version, or its upgrade target, was released after its admin cluster's version (check cannot see the admin cluster: state it in a facts file)",
    },
    FactDef {
        name: "config.nodes_in_kind_cidr",
        kind: Kind::Flag,
        about: "a node address lies in the bootstrap (kind) cluster's 192.168.122.0/24 or 10.96.0.0/27",
    },
    FactDef {
        name: "host.os",
        kind: Kind::Choice(OS),
        about: "ID of /etc/os-release",
    },
    FactDef {
        name: "host.os_version",
        kind: Kind::Version,
        about: "VERSION_ID of /etc/os-release",
    },
    FactDef {
        name: "host.kernel",
        kind: Kind::Version,
        about: "the running kernel (/proc/sys/kernel/osrelease)",
    },
    FactDef {
        name: "host.cgroup_v2",
        kind: Kind::Flag,
        about: "the unified cgroup hierarchy is mounted (/sys/fs/cgroup/cgroup.controllers)",
    },
    FactDef {
        name: "host.tmp_noexec",
        kind: Kind::Flag,
        about: "/tmp is mounted noexec (/proc/mounts)",
    },
    FactDef {
        name: "host.rp_filter_strict",
        kind: Kind::Flag,
        about: "net.ipv4.conf.all or .default.rp_filter is 1 or 2",
    },
    FactDef {
        name: "host.docker_installed",
        kind: Kind::Flag,
        about: "a docker binary is installed",
    },
    FactDef {
        name: "host.docker_active",
        kind: Kind::Flag,
        about: "the docker service runs (its pid file or socket)",
    },
    FactDef {
        name: "host.firewalld_active",
        kind: Kind::Flag,
        about: "firewalld runs (its pid file or run directory)",
    },
    FactDef {
        name: "host.selinux",
        kind: Kind::Choice(&["enforcing", "permissive", "disabled"]),
        about: "the SELinux mode (/sys/fs/selinux/enforce)",
    },
    FactDef {
        name: "host.secure_path_usr_local_bin",
        kind: Kind::Flag,
        about: "sudo's secure_path (or its default) holds /usr/local/bin (/etc/sudoers, /etc/sudoers.d)",
    },
    FactDef {
        name: "host.adc_credentials",
        kind: Kind::Flag,
        about: "application default credentials are set up (GOOGLE_APPLICATION_CREDENTIALS, or gcloud's application_default_credentials.json)",
    },
    FactDef {
        name: "host.nic_vmxnet3",
        kind: Kind::Flag,
        about: "a network interface uses the vmxnet3 driver (/sys/class/net)",
    },
];

/// The definition of the fact `name`.
pub fn fact(name: &str) -> Option<&'static FactDef> {
    FACTS.iter().find(|f| f.name == name)
}

/// Whether `value` is a value of the fact `name`: what a facts file may state.
pub fn check_value(name: &str, value: &Value) -> Result<(), Error> {
    let Some(def) = fact(name) else {
        return Err(Error::invalid(format!(
            "unknown fact `{name}` (the facts are listed in kb/EXAMPLE.md)"
        )));
    };
    match (def.kind, value) {
        (Kind::Flag, Value::Flag(_)) => Ok(()),
        (Kind::Flag, _) => Err(Error::invalid(format!("`{name}` is true or false"))),
        (Kind::Choice(choices), Value::Text(t)) if choices.contains(&t.as_str()) => Ok(()),
        (Kind::Choice(choices), _) => Err(Error::invalid(format!(
            "`{name}` is one of {}",
            choices.join(", ")
        ))),
        (Kind::Version, Value::Text(t)) if t.parse::<Version>().is_ok() => Ok(()),
        (Kind::Version, _) => Err(Error::invalid(format!(
            "`{name}` is a version such as 4.17"
        ))),
    }
}

/// A fact's value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    /// The value of a flag fact: `true` or `false`.
    Flag(bool),
    /// The word of a choice fact or the version of a version fact, as written (`ubuntu`,
    /// `20.04`).
    Text(String),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Flag(b) => write!(f, "{b}"),
            Value::Text(t) => f.write_str(t),
        }
    }
}

/// A fact as it was found: its value, and where it came from (`cluster.yaml: spec.type`,
/// `/etc/os-release`, `default: absent means docker`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    /// The fact's value; one of the wrong kind makes a test of it unknown.
    pub value: Value,
    /// Where the value came from, for reports: a file and field, a path, or the default used.
    pub from: String,
}

/// The facts known, by name; a fact not in it is unknown.
pub type Facts = BTreeMap<String, Found>;

/// How a test compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Is,
    IsNot,
    Below,
    AtLeast,
}

/// One test of a fact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Test {
    /// The name of the fact it tests (`host.kernel`).
    pub fact: String,
    op: Op,
    /// `None` for a flag test.
    value: Option<String>,
}

/// Tests joined by `||`: holds when one does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clause {
    /// The tests, in the order written; the clause holds when one of them does.
    pub tests: Vec<Test>,
    /// As written.
    pub text: String,
}

/// What a condition says about a cluster or host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Truth {
    /// It holds on the facts given.
    True,
    /// It does not hold: the facts it needs are known and rule it out.
    False,
    /// These facts are missing.
    Unknown(Vec<String>),
}

impl Clause {
    /// Reads `a || b || ...`; the error says what is wrong with it.
    pub fn parse(text: &str) -> Result<Clause, Error> {
        let tests = text
            .split("||")
            .map(|t| Test::parse(t.trim()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(Error::invalid)?;
        Ok(Clause {
            tests,
            text: text.trim().to_string(),
        })
    }

    fn evaluate(&self, facts: &Facts) -> Truth {
        let mut missing = Vec::new();
        for test in &self.tests {
            match test.evaluate(facts) {
                Truth::True => return Truth::True,
                Truth::False => {}
                Truth::Unknown(names) => missing.extend(names),
            }
        }
        if missing.is_empty() {
            Truth::False
        } else {
            Truth::Unknown(missing)
        }
    }
}

impl Test {
    fn parse(text: &str) -> Result<Test, String> {
        if let Some(flag) = text.strip_prefix('!') {
            return Test::checked(flag.trim(), Op::IsNot, None);
        }
        for (symbol, op) in [
            ("==", Op::Is),
            ("!=", Op::IsNot),
            (">=", Op::AtLeast),
            ("<", Op::Below),
        ] {
            if let Some((fact, value)) = text.split_once(symbol) {
                return Test::checked(fact.trim(), op, Some(value.trim().to_string()));
            }
        }
        Test::checked(text, Op::Is, None)
    }

    /// A test of a known fact with a value of its kind.
    fn checked(fact_name: &str, op: Op, value: Option<String>) -> Result<Test, String> {
        let Some(def) = fact(fact_name) else {
            return Err(format!(
                "unknown fact `{fact_name}` (the facts are listed in kb/EXAMPLE.md)"
            ));
        };
        match (def.kind, &value, op) {
            (Kind::Flag, None, Op::Is | Op::IsNot) => {}
            (Kind::Flag, _, _) => {
                return Err(format!(
                    "`{fact_name}` is true or false: test it as `{fact_name}` or `!{fact_name}`"
                ));
            }
            (Kind::Choice(choices), Some(v), Op::Is | Op::IsNot)
                if choices.contains(&v.as_str()) => {}
            (Kind::Choice(choices), _, _) => {
                return Err(format!(
                    "`{fact_name}` is one of {}: compare it with == or !=",
                    choices.join(", ")
                ));
            }
            (Kind::Version, Some(v), _) if v.parse::<Version>().is_ok() => {}
            (Kind::Version, _, _) => {
                return Err(format!(
                    "`{fact_name}` is a version: compare it with <, >=, == or != and a version such as 4.17"
                ));
            }
        }
        Ok(Test {
            fact: fact_name.to_string(),
            op,
            value,
        })
    }

    fn evaluate(&self, facts: &Facts) -> Truth {
        let Some(found) = facts.get(&self.fact) else {
            return Truth::Unknown(vec![self.fact.clone()]);
        };
        let holds = match (&found.value, &self.value) {
            (Value::Flag(b), None) => *b == (self.op == Op::Is),
            (Value::Text(text), Some(wanted)) => match fact(&self.fact).map(|d| d.kind) {
                Some(Kind::Version) => {
                    let (Ok(have), Ok(want)) = (text.parse::<Version>(), wanted.parse::<Version>())
                    else {
                        return Truth::Unknown(vec![self.fact.clone()]);
                    };
                    match self.op {
                        Op::Is => have == want,
                        Op::IsNot => have != want,
                        Op::Below => have < want,
                        Op::AtLeast => have >= want,
                    }
                }
                _ => (text == wanted) == (self.op == Op::Is),
            },
            // A value of the wrong kind is as good as none.
            _ => return Truth::Unknown(vec![self.fact.clone()]),
        };
        if holds { Truth::True } else { Truth::False }
    }
}

/// When an entry applies: clauses that must all hold, and the page's sentences they were
/// read from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conditions {
    /// The clauses as written (`config.runtime == containerd`).
    pub when: Vec<String>,
    /// The sentences of the entry's text the clauses were read from, verbatim, so a reader can
    /// check them.
    pub statement: Vec<String>,
}

impl Conditions {
    /// Whether the entry states no condition: it then holds wherever the entry's versions do.
    pub fn is_empty(&self) -> bool {
        self.when.is_empty()
    }

    /// What the conditions say given `facts`: false as soon as one clause is false, else
    /// unknown while a fact is missing.
    pub fn evaluate(&self, facts: &Facts) -> Truth {
        let mut missing = Vec::new();
        for text in &self.when {
            // The lint refused clauses that do not parse.
            let Ok(clause) = Clause::parse(text) else {
                continue;
            };
            match clause.evaluate(facts) {
                Truth::False => return Truth::False,
                Truth::True => {}
                Truth::Unknown(names) => missing.extend(names),
            }
        }
        missing.sort();
        missing.dedup();
        if missing.is_empty() {
            Truth::True
        } else {
            Truth::Unknown(missing)
        }
    }

    /// The facts the clauses read.
    pub fn facts(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .when
            .iter()
            .filter_map(|text| Clause::parse(text).ok())
            .flat_map(|c| c.tests.into_iter().map(|t| t.fact))
            .collect();
        names.sort();
        names.dedup();
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(pairs: &[(&str, Value)]) -> Facts {
        pairs
            .iter()
            .map(|(name, value)| {
                (
                    name.to_string(),
                    Found {
                        value: value.clone(),
                        from: "test".to_string(),
                    },
                )
            })
            .collect()
    }

    fn when(clauses: &[&str]) -> Conditions {
        Conditions {
            when: clauses.iter().map(|c| c.to_string()).collect(),
            statement: Vec::new(),
        }
    }

    #[test]
    fn all_clauses_must_hold_and_a_missing_fact_is_unknown() {
        let c = when(&[
            "config.runtime == containerd",
            "config.proxy",
            "config.multiple_nics",
        ]);
        let text = |t: &str| Value::Text(t.to_string());
        let known = facts(&[
            ("config.runtime", text("containerd")),
            ("config.proxy", Value::Flag(true)),
            ("config.multiple_nics", Value::Flag(true)),
        ]);
        assert_eq!(c.evaluate(&known), Truth::True);
        let no_proxy = facts(&[
            ("config.runtime", text("containerd")),
            ("config.proxy", Value::Flag(false)),
        ]);
        assert_eq!(
            c.evaluate(&no_proxy),
            Truth::False,
            "one false clause decides"
        );
        let partial = facts(&[("config.runtime", text("containerd"))]);
        assert_eq!(
            c.evaluate(&partial),
            Truth::Unknown(vec!["config.multiple_nics".into(), "config.proxy".into()])
        );
    }

    #[test]
    fn alternatives_and_versions() {
        let c = when(&["host.os == rhel || host.os == centos", "host.kernel < 4.17"]);
        let text = |t: &str| Value::Text(t.to_string());
        assert_eq!(
            c.evaluate(&facts(&[
                ("host.os", text("centos")),
                ("host.kernel", text("4.15.0"))
            ])),
            Truth::True
        );
        assert_eq!(
            c.evaluate(&facts(&[
                ("host.os", text("centos")),
                ("host.kernel", text("5.4"))
            ])),
            Truth::False
        );
        assert_eq!(
            c.evaluate(&facts(&[("host.os", text("ubuntu"))])),
            Truth::False,
            "false whatever the kernel"
        );
    }

    #[test]
    fn every_fact_is_documented_for_entry_writers() {
        let example = include_str!("../../../kb/EXAMPLE.md");
        for fact in FACTS {
            assert!(
                example.contains(&format!("| `{}` |", fact.name)),
                "{} is not in kb/EXAMPLE.md",
                fact.name
            );
        }
    }

    #[test]
    fn clauses_name_known_facts_with_values_of_their_kind() {
        assert!(Clause::parse("config.proxy").is_ok());
        assert!(Clause::parse("!config.login_root").is_ok());
        assert!(
            Clause::parse("config.prox")
                .unwrap_err()
                .to_string()
                .contains("unknown fact `config.prox`")
        );
        assert!(
            Clause::parse("config.proxy == yes")
                .unwrap_err()
                .to_string()
                .contains("true or false")
        );
        assert!(
            Clause::parse("config.runtime == cri-o")
                .unwrap_err()
                .to_string()
                .contains("containerd, docker")
        );
        assert!(
            Clause::parse("host.kernel < four")
                .unwrap_err()
                .to_string()
                .contains("a version")
        );
    }
}
