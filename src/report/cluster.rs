//! `check --config` and `doctor`: the known issues that hit one cluster, from its version,
//! its configuration's facts and its nodes' facts — what applies and why, what would hit an
//! upgrade, what needs facts nobody gave (and how to get them), and how many are ruled out.

use super::entry::EntrySummary;
use crate::facts::{NodeFacts, how_to_learn};
use serde::Serialize;
use shirube_kb::assess::{self, Assessment, Node, VERSION, Verdict};
use shirube_kb::audit::Applies;
use shirube_kb::condition::{Facts, Found};
use shirube_kb::{KnowledgeBase, Lang, VersionQuery};

/// What is checked: the cluster's version, where it came from, and an upgrade target.
#[derive(Clone, Debug)]
pub struct Subject {
    /// The version the cluster runs: `--version`, else the configuration's; `None` when
    /// unknown.
    pub version: Option<VersionQuery>,
    /// `cluster.yaml:20: spec.anthosBareMetalVersion`, `--version`, or why it is unknown.
    pub version_from: String,
    /// The version it is upgraded to, when an upgrade is checked: `--upgrade-to`, else the
    /// configuration's version when `--version` names another.
    pub upgrade_to: Option<VersionQuery>,
    /// The configuration file's facts (empty without one).
    pub config: Facts,
    /// Whether a configuration file was read.
    pub have_config: bool,
    /// Configuration facts left unknown, and why (a placeholder).
    pub unresolved: Vec<(String, String)>,
    /// Each node's facts (host facts files, or the probed host).
    pub nodes: Vec<NodeFacts>,
}

/// `{"version", "version_from", "upgrade_to", "applies", "on_upgrade", "unknown",
/// "not_applicable", "unstated", "not_stated", "facts", "nodes"}`.
#[derive(Clone, Debug, Serialize)]
pub struct ClusterReport<'a> {
    /// The cluster's version; `null` when unknown (`version_from` says why).
    pub version: Option<String>,
    /// Where the version came from (`cluster.yaml:20: spec.anthosBareMetalVersion`,
    /// `--version`), or why it is unknown.
    pub version_from: String,
    /// The version it is upgraded to; `null` when no upgrade is checked.
    pub upgrade_to: Option<String>,
    /// Versions and conditions hold.
    pub applies: Vec<ClusterFinding<'a>>,
    /// Would hit an upgrade to the versions each names (no `--upgrade-to` was given).
    pub on_upgrade: Vec<ClusterFinding<'a>>,
    /// Nothing rules these out, and facts are missing.
    pub unknown: Vec<UnknownFinding<'a>>,
    /// Ruled out by a version or a fact.
    pub not_applicable: usize,
    /// State neither versions nor conditions: nothing to check them against.
    pub unstated: usize,
    /// Their sources do not say whether the cluster's version has them.
    pub not_stated: usize,
    /// The configuration's facts, each with where it came from.
    pub facts: &'a Facts,
    /// Each node's facts, and those its probes could not tell.
    pub nodes: &'a [NodeFacts],
    /// The display language.
    #[serde(skip)]
    pub lang: Lang,
}

/// One issue that applies, or would hit an upgrade.
#[derive(Clone, Debug, Serialize)]
pub struct ClusterFinding<'a> {
    /// The entry's fields (the README's JSON contract), flattened into the finding.
    #[serde(flatten)]
    pub entry: EntrySummary<'a>,
    /// `at_version` or `on_upgrade` (for `applies`).
    pub applies: Option<Applies>,
    /// The nodes where the conditions hold (empty when the entry has none, or no node was
    /// given).
    pub nodes: Vec<String>,
    /// The facts that made it apply, as found on the first of those nodes.
    pub because: Vec<FactUse>,
}

/// A fact a finding rests on.
#[derive(Clone, Debug, Serialize)]
pub struct FactUse {
    /// The fact's name (`host.kernel`, `config.runtime`).
    pub fact: String,
    /// Its value and where it came from, flattened: `value` and `from`.
    #[serde(flatten)]
    pub found: Found,
}

/// An issue that may apply: the facts that would decide.
#[derive(Clone, Debug, Serialize)]
pub struct UnknownFinding<'a> {
    /// The entry's fields (the README's JSON contract), flattened into the finding.
    #[serde(flatten)]
    pub entry: EntrySummary<'a>,
    /// The facts that would decide, each with how to learn it.
    pub missing: Vec<Missing>,
}

/// A fact that would decide whether an issue applies, and how to learn it.
#[derive(Clone, Debug, Serialize)]
pub struct Missing {
    /// The fact's name, or `version` when the cluster's version is unknown.
    pub fact: String,
    /// How to learn it.
    pub how: String,
}

impl<'a> ClusterReport<'a> {
    /// Every entry of `kb` judged for the cluster `subject` describes, in `lang`: each
    /// node's facts over the configuration's (the configuration's alone when no node was
    /// given).
    pub fn new(kb: &'a KnowledgeBase, subject: &'a Subject, lang: Lang) -> Self {
        let nodes: Vec<Node> = if subject.nodes.is_empty() {
            vec![Node {
                name: String::new(),
                facts: subject.config.clone(),
            }]
        } else {
            subject
                .nodes
                .iter()
                .map(|node| {
                    let mut merged = subject.config.clone();
                    merged.extend(node.facts.iter().map(|(k, v)| (k.clone(), v.clone())));
                    Node {
                        name: node.name.clone(),
                        facts: merged,
                    }
                })
                .collect()
        };
        let assessments = assess::assess(
            &kb.entries,
            subject.version.as_ref(),
            subject.upgrade_to.as_ref(),
            &nodes,
        );
        let mut report = ClusterReport {
            version: subject.version.as_ref().map(ToString::to_string),
            version_from: subject.version_from.clone(),
            upgrade_to: subject.upgrade_to.as_ref().map(ToString::to_string),
            applies: Vec::new(),
            on_upgrade: Vec::new(),
            unknown: Vec::new(),
            not_applicable: 0,
            unstated: 0,
            not_stated: 0,
            facts: &subject.config,
            nodes: &subject.nodes,
            lang,
        };
        for Assessment { entry, verdict } in assessments {
            let summary = EntrySummary::new(entry, lang, kb);
            let finding = |applies, holds_on: Vec<String>| {
                let node = holds_on
                    .first()
                    .and_then(|name| nodes.iter().find(|n| &n.name == name))
                    .unwrap_or(&nodes[0]);
                ClusterFinding {
                    entry: summary.clone(),
                    applies,
                    because: entry
                        .conditions
                        .facts()
                        .into_iter()
                        .filter_map(|fact| {
                            let found = node.facts.get(&fact)?.clone();
                            Some(FactUse { fact, found })
                        })
                        .collect(),
                    nodes: holds_on.into_iter().filter(|n| !n.is_empty()).collect(),
                }
            };
            match verdict {
                Verdict::Applies { applies, nodes } => {
                    report.applies.push(finding(Some(applies), nodes));
                }
                Verdict::UpgradeRisk { nodes } => report.on_upgrade.push(finding(None, nodes)),
                Verdict::Unknown { missing } => report.unknown.push(UnknownFinding {
                    entry: summary,
                    missing: missing
                        .into_iter()
                        .map(|fact| Missing {
                            how: subject.how_to_learn(&fact),
                            fact,
                        })
                        .collect(),
                }),
                Verdict::NotApplicable => report.not_applicable += 1,
                Verdict::Unstated => report.unstated += 1,
                Verdict::NotStated => report.not_stated += 1,
            }
        }
        report
    }
}

impl Subject {
    fn how_to_learn(&self, fact: &str) -> String {
        if fact == VERSION {
            return format!(
                "{}: pass --version with the version the cluster runs",
                self.version_from
            );
        }
        match self.unresolved.iter().find(|(name, _)| name == fact) {
            Some((_, why)) => {
                format!("{why}: fill it in, or state {fact} in a facts file (--host-facts)")
            }
            None => how_to_learn(fact, self.have_config),
        }
    }
}
