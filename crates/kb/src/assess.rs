//! Which known issues hit *this* cluster: an entry's versions against the cluster's, and its
//! conditions against the facts of its configuration and of each of its nodes. Three answers,
//! as Red Hat Insights gives them: applies, does not apply, or unknown because facts are
//! missing — never a guess.

use crate::audit::{Applies, VersionFit, version_fit};
use crate::condition::{Facts, Truth};
use crate::model::Entry;
use crate::version::VersionQuery;

/// The name a missing cluster version goes by among missing facts.
pub const VERSION: &str = "version";

/// The facts of one node (a host facts file), with the configuration's facts merged in; or,
/// without host facts, the configuration's facts alone under the configuration's name.
#[derive(Clone, Debug)]
pub struct Node {
    /// How reports name it: the facts file or the host name.
    pub name: String,
    /// Its facts by name; a fact it lacks makes a condition that tests it unknown, not false.
    pub facts: Facts,
}

/// What `check --config` says about one entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Its versions and its conditions hold, on these nodes.
    Applies {
        /// Whether the cluster's version has it or the upgrade to the target brings it.
        applies: Applies,
        /// The names of the nodes whose facts meet its conditions (every node when it has none).
        nodes: Vec<String>,
    },
    /// It would hit an upgrade to the versions the entry names, on these nodes.
    UpgradeRisk {
        /// The names of the nodes whose facts meet its conditions (every node when it has none).
        nodes: Vec<String>,
    },
    /// Nothing rules it out, and these facts (or the cluster `version`) are missing.
    Unknown {
        /// The names of the missing facts, sorted, with [`VERSION`] first when the cluster's
        /// version is unknown.
        missing: Vec<String>,
    },
    /// A version or a fact rules it out.
    NotApplicable,
    /// Its source does not say whether the cluster's version has it (see
    /// [`VersionFit::NotStated`]); its conditions do not rule it out.
    NotStated,
    /// It states neither versions nor conditions: nothing to check it against.
    Unstated,
}

/// One entry and its verdict.
#[derive(Clone, Debug)]
pub struct Assessment<'kb> {
    /// The entry, borrowed from the knowledge base.
    pub entry: &'kb Entry,
    /// What `check --config` says about it.
    pub verdict: Verdict,
}

/// The verdict on every entry, in knowledge-base order, for a cluster at `version` (`None`
/// when unknown) upgrading to `target`, with `nodes` (at least one).
pub fn assess<'kb>(
    entries: impl IntoIterator<Item = &'kb Entry>,
    version: Option<&VersionQuery>,
    target: Option<&VersionQuery>,
    nodes: &[Node],
) -> Vec<Assessment<'kb>> {
    entries
        .into_iter()
        .map(|entry| Assessment {
            entry,
            verdict: verdict(entry, version, target, nodes),
        })
        .collect()
}

fn verdict(
    entry: &Entry,
    version: Option<&VersionQuery>,
    target: Option<&VersionQuery>,
    nodes: &[Node],
) -> Verdict {
    let fit = match version {
        Some(version) => Some(version_fit(entry, version, target)),
        None if entry.versions.stated_from().is_none() => Some(VersionFit::Unstated),
        None if entry.versions.affects_every_version() => {
            Some(VersionFit::Applies(Applies::AtVersion))
        }
        None => None,
    };
    if fit == Some(VersionFit::Outside) {
        return Verdict::NotApplicable;
    }
    if fit == Some(VersionFit::Unstated) && entry.conditions.is_empty() {
        return Verdict::Unstated;
    }
    let (holds_on, mut missing) = conditions_across(entry, nodes);
    if holds_on.is_empty() && missing.is_empty() {
        return Verdict::NotApplicable;
    }
    if fit == Some(VersionFit::NotStated) {
        return Verdict::NotStated;
    }
    if fit.is_none() {
        missing.insert(0, VERSION.to_string());
    }
    if holds_on.is_empty() || fit.is_none() {
        return Verdict::Unknown { missing };
    }
    match fit {
        Some(VersionFit::UpgradeRisk) => Verdict::UpgradeRisk { nodes: holds_on },
        Some(VersionFit::Applies(applies)) => Verdict::Applies {
            applies,
            nodes: holds_on,
        },
        _ => Verdict::Applies {
            applies: Applies::AtVersion,
            nodes: holds_on,
        },
    }
}

/// The nodes where `entry`'s conditions hold and, when they hold on none, the facts that
/// would decide (empty when they are false everywhere).
fn conditions_across(entry: &Entry, nodes: &[Node]) -> (Vec<String>, Vec<String>) {
    let mut holds_on = Vec::new();
    let mut missing = Vec::new();
    for node in nodes {
        match entry.conditions.evaluate(&node.facts) {
            Truth::True => holds_on.push(node.name.clone()),
            Truth::False => {}
            Truth::Unknown(names) => missing.extend(names),
        }
    }
    if !holds_on.is_empty() {
        missing.clear();
    }
    missing.sort();
    missing.dedup();
    (holds_on, missing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::condition::{Conditions, Found, Value};
    use crate::model::Entry;
    use crate::version::{RangeEnd, VersionRange};

    fn entry(affected: Option<&str>, when: &[&str]) -> Entry {
        let mut entry = Entry::for_tests("ABM-0001");
        entry.versions.affected = affected.map(|fixed| {
            vec![VersionRange {
                introduced: "0".parse().unwrap(),
                end: Some(RangeEnd::Fixed(fixed.parse().unwrap())),
            }]
        });
        entry.conditions = Conditions {
            when: when.iter().map(|w| w.to_string()).collect(),
            statement: vec!["…".to_string()],
        };
        entry
    }

    fn node(name: &str, facts: &[(&str, bool)]) -> Node {
        Node {
            name: name.to_string(),
            facts: facts
                .iter()
                .map(|(fact, value)| {
                    let found = Found {
                        value: Value::Flag(*value),
                        from: "test".to_string(),
                    };
                    (fact.to_string(), found)
                })
                .collect(),
        }
    }

    fn one(entry: &Entry, version: Option<&str>, nodes: &[Node]) -> Verdict {
        let version = version.map(|v| v.parse::<VersionQuery>().unwrap());
        assess(std::slice::from_ref(entry), version.as_ref(), None, nodes)
            .remove(0)
            .verdict
    }

    /// ABM-0035 (CentOS 8's end of life) hits every version: on a CentOS node it applies
    /// whatever the cluster runs, and needs no version to say so.
    #[test]
    fn an_entry_of_every_version_needs_no_version() {
        let mut e = entry(None, &["host.tmp_noexec"]);
        e.versions.affected = Some(vec![VersionRange {
            introduced: "0".parse().unwrap(),
            end: None,
        }]);
        let noexec = node("a.json", &[("host.tmp_noexec", true)]);
        assert_eq!(
            one(&e, None, std::slice::from_ref(&noexec)),
            Verdict::Applies {
                applies: Applies::AtVersion,
                nodes: vec!["a.json".into()]
            }
        );
        assert_eq!(
            one(&e, None, &[node("a.json", &[])]),
            Verdict::Unknown {
                missing: vec!["host.tmp_noexec".into()]
            }
        );
    }

    #[test]
    fn versions_and_conditions_must_both_hold() {
        let e = entry(Some("1.8.2"), &["host.tmp_noexec"]);
        let noexec = node("a.json", &[("host.tmp_noexec", true)]);
        assert_eq!(
            one(&e, Some("1.8.1"), std::slice::from_ref(&noexec)),
            Verdict::Applies {
                applies: Applies::AtVersion,
                nodes: vec!["a.json".into()]
            }
        );
        assert_eq!(one(&e, Some("1.8.2"), &[noexec]), Verdict::NotApplicable);
        assert_eq!(
            one(
                &e,
                Some("1.8.1"),
                &[node("a.json", &[("host.tmp_noexec", false)])]
            ),
            Verdict::NotApplicable
        );
    }

    #[test]
    fn one_node_where_it_holds_is_enough_and_unknown_names_what_is_missing() {
        let e = entry(None, &["host.tmp_noexec"]);
        let nodes = [node("a", &[("host.tmp_noexec", false)]), node("b", &[])];
        assert_eq!(
            one(&e, Some("1.8.1"), &nodes),
            Verdict::Unknown {
                missing: vec!["host.tmp_noexec".into()]
            }
        );
        let nodes = [node("a", &[("host.tmp_noexec", true)]), node("b", &[])];
        assert!(matches!(one(&e, None, &nodes), Verdict::Applies { nodes, .. } if nodes == ["a"]));
    }

    #[test]
    fn an_unknown_version_leaves_version_gated_entries_unknown() {
        let gated = entry(Some("1.8.2"), &[]);
        assert_eq!(
            one(&gated, None, &[node("c", &[])]),
            Verdict::Unknown {
                missing: vec![VERSION.into()]
            }
        );
        let ruled_out = entry(Some("1.8.2"), &["host.tmp_noexec"]);
        assert_eq!(
            one(
                &ruled_out,
                None,
                &[node("c", &[("host.tmp_noexec", false)])]
            ),
            Verdict::NotApplicable,
            "a false condition decides whatever the version"
        );
        assert_eq!(
            one(&entry(None, &[]), None, &[node("c", &[])]),
            Verdict::Unstated
        );
    }
}
