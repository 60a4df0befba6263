//! Where the facts the entries' conditions test come from: a cluster configuration file
//! ([`config`]), the host itself ([`host`], `shirube doctor`), and facts files — what
//! `doctor --facts` prints on each node, carried to the jump host for `check --host-facts`
//! (the air-gapped way).

pub mod config;
pub mod host;
mod root;
mod yaml;

use serde::{Deserialize, Serialize};
use shirube_kb::Error;
use shirube_kb::condition::{self, Facts, Found, Value};
use shirube_kb::error::io_reason;
use std::collections::BTreeMap;
use std::path::Path;

/// What a facts file is, for the hint of every error about one.
const HINT: &str = "a facts file is what `shirube doctor --facts` prints";

/// A facts file, at most: what `doctor --facts` writes is a few kilobytes.
const MAX_FACTS_FILE: u64 = 1 << 20;

/// serde's message for a JSON error, in the words of a facts file: a fact that is neither
/// `{"value", "from"}` nor a bare value fails every form of [`Stated`], which serde calls
/// "did not match any variant of untagged enum".
fn plain(error: &serde_json::Error) -> String {
    let message = shirube_kb::error::one_line(&error.to_string());
    if message.contains("untagged enum Stated") {
        let at = message.rsplit_once(" at line ").map_or("", |(_, at)| at);
        format!(
            "a fact is {{\"value\": ..., \"from\": \"...\"}} or a bare true, false or text (at line {at})"
        )
    } else {
        message
    }
}

/// A facts file: `{"host": "node1", "facts": {"host.os": {"value": "centos", "from":
/// "/etc/os-release: ID=centos"}}, "unknown": {"host.selinux": "why"}}`. A fact written by
/// hand may be a bare value: `"config.newer_than_admin": false`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactsFile {
    /// The host's name, when the file gives one; without it, the file's own name stands for
    /// the node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// The facts told, by name (`host.os`), each with where it came from or as a bare
    /// value.
    pub facts: BTreeMap<String, Stated>,
    /// Facts the probes could not tell, and why.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub unknown: BTreeMap<String, String>,
}

/// One node's facts, from a facts file or the probes, and the facts it could not tell.
#[derive(Clone, Debug, Serialize)]
pub struct NodeFacts {
    /// The host's name, or the facts file's.
    pub name: String,
    /// The facts told, by name, each with where it came from (a facts file's name first).
    pub facts: Facts,
    /// Facts the probes could not tell, and why.
    pub unknown: BTreeMap<String, String>,
}

/// A fact as a facts file states it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Stated {
    /// A value and where it came from: `{"value": "centos", "from": "/etc/os-release:
    /// ID=centos"}`.
    Found(Found),
    /// A bare value, as a fact written by hand may be: where it came from is the file
    /// itself.
    Bare(Value),
}

impl FactsFile {
    /// The facts file of what the probes found on a host: what `doctor --facts` prints.
    pub fn from_host(found: host::HostFacts) -> Self {
        FactsFile {
            host: found.host,
            facts: found
                .facts
                .into_iter()
                .map(|(name, found)| (name, Stated::Found(found)))
                .collect(),
            unknown: found.unknown.into_iter().collect(),
        }
    }

    /// Reads a facts file, checking every fact's name and value; the facts' `from` says the
    /// file (and the host) they came from.
    pub fn read(path: &Path) -> Result<NodeFacts, Error> {
        let label = path.display().to_string();
        let bytes = shirube_kb::file::read_bounded(path, MAX_FACTS_FILE).map_err(|e| {
            Error::new(format!("{label}: cannot read: {}", io_reason(&e))).with_hint(HINT)
        })?;
        FactsFile::parse(&label, &bytes)
    }

    /// The facts of the facts file `bytes`, which `label` names in messages and in each
    /// fact's `from`.
    pub fn parse(label: &str, bytes: &[u8]) -> Result<NodeFacts, Error> {
        let label = label.to_string();
        let hint = HINT;
        // A byte-order mark is what an editor on another system may put first: not JSON,
        // but not worth refusing the file for.
        let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        let file: FactsFile = serde_json::from_slice(bytes).map_err(|e| {
            Error::new(format!(
                "{label}:{}: not a facts file: {}",
                e.line(),
                plain(&e)
            ))
            .with_hint(hint)
        })?;
        let name = file.host.clone().unwrap_or_else(|| label.clone());
        let mut facts = Facts::new();
        for (fact, stated) in file.facts {
            let found = match stated {
                Stated::Found(found) => Found {
                    from: format!("{label}: {}", found.from),
                    value: found.value,
                },
                Stated::Bare(value) => Found {
                    value,
                    from: label.clone(),
                },
            };
            condition::check_value(&fact, &found.value).map_err(|message| {
                Error::new(format!(
                    "{label}: {}",
                    shirube_kb::error::one_line(&message.to_string())
                ))
                .with_hint(hint)
            })?;
            facts.insert(fact, found);
        }
        Ok(NodeFacts {
            name,
            facts,
            unknown: file.unknown,
        })
    }
}

/// How to learn a missing fact, for the report's "needs facts".
pub fn how_to_learn(fact: &str, have_config: bool) -> String {
    if fact.starts_with("host.") {
        return "run `shirube doctor --facts > NODE.json` on each node, then pass --host-facts NODE.json".to_string();
    }
    let about = condition::fact(fact).map_or("", |f| f.about);
    if have_config {
        format!("{about}: state it in a facts file passed with --host-facts")
    } else {
        format!("{about}: pass --config with the cluster's configuration file")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_files_are_checked_fact_by_fact() {
        let dir = std::env::temp_dir().join(format!("shirube-facts-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("node1.json");
        std::fs::write(
            &good,
            r#"{"host": "node1", "facts": {"host.os": {"value": "centos", "from": "/etc/os-release: ID=centos"}, "config.newer_than_admin": false}}"#,
        )
        .unwrap();
        let NodeFacts { name, facts, .. } = FactsFile::read(&good).unwrap();
        assert_eq!(name, "node1");
        assert_eq!(facts["host.os"].value, Value::Text("centos".into()));
        assert!(
            facts["host.os"]
                .from
                .ends_with("node1.json: /etc/os-release: ID=centos")
        );
        assert_eq!(facts["config.newer_than_admin"].value, Value::Flag(false));

        let bad = dir.join("bad.json");
        std::fs::write(&bad, r#"{"facts": {"host.os": "windows"}}"#).unwrap();
        let error = FactsFile::read(&bad).unwrap_err().to_string();
        assert!(error.ends_with("bad.json: `host.os` is one of ubuntu, rhel, centos, rocky, almalinux, ol, debian, sles, fedora, other"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
