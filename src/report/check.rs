//! `check`: the known issues that apply to a cluster version or an upgrade.

use super::entry::{ComponentRef, EntrySummary};
use serde::Serialize;
use shirube_kb::audit::{self, Applies, Summary};
use shirube_kb::{KnowledgeBase, Lang, Version, VersionQuery};

/// `{"version", "upgrade_to", "findings", "not_stated", "unspecified", "summary"}`.
#[derive(Clone, Debug, Serialize)]
pub struct CheckReport<'a> {
    /// The version checked (`--version`).
    pub version: String,
    /// The upgrade target (`--upgrade-to`); `null` when none was given.
    pub upgrade_to: Option<String>,
    /// In knowledge-base order.
    pub findings: Vec<CheckFinding<'a>>,
    /// Entries whose sources do not say whether the version has them: their stated
    /// versions begin above it, and older releases are not stated. Never "not affected".
    pub not_stated: Vec<EntrySummary<'a>>,
    /// Entries that name no version at all: they may apply and are not listed.
    pub unspecified: usize,
    /// How many findings apply and how many an upgrade fixes: `{"findings", "fixed",
    /// "by"}`, `by` being the upgrade target or, without one, the lowest version that fixes
    /// the most (`null` when no finding names a fix).
    pub summary: Summary,
    /// The display language.
    #[serde(skip)]
    pub lang: Lang,
    /// The components to group the findings by, in order.
    #[serde(skip)]
    pub components: Vec<ComponentRef<'a>>,
}

/// One known issue that applies.
#[derive(Clone, Debug, Serialize)]
pub struct CheckFinding<'a> {
    /// The entry's fields (the README's JSON contract), flattened into the finding.
    #[serde(flatten)]
    pub entry: EntrySummary<'a>,
    /// `at_version` or `on_upgrade`.
    pub applies: Applies,
    /// The lowest version past the issue, when its ranges end.
    pub first_unaffected: Option<Version>,
    /// The release that fixes it on the checked version's own line, when named.
    pub fixed_on_line: Option<Version>,
    /// Whether the upgrade target leaves the issue behind.
    pub fixed_by_target: bool,
}

impl<'a> CheckReport<'a> {
    /// What applies to a cluster at `version`, and to its upgrade to `target`.
    pub fn new(
        kb: &'a KnowledgeBase,
        version: &VersionQuery,
        target: Option<&VersionQuery>,
        lang: Lang,
    ) -> Self {
        let findings = audit::check(&kb.entries, version, target);
        CheckReport {
            version: version.to_string(),
            upgrade_to: target.map(ToString::to_string),
            unspecified: audit::unspecified(&kb.entries),
            not_stated: audit::not_stated(&kb.entries, version)
                .into_iter()
                .map(|entry| EntrySummary::new(entry, lang, kb))
                .collect(),
            summary: audit::summarize(&findings, target),
            lang,
            components: ComponentRef::groups(
                kb,
                findings.iter().map(|f| f.entry.component.as_str()),
                lang,
            ),
            findings: findings
                .iter()
                .map(|f| CheckFinding {
                    entry: EntrySummary::new(f.entry, lang, kb),
                    applies: f.applies,
                    first_unaffected: audit::first_unaffected(f.entry),
                    fixed_on_line: f.fixed_on_line.clone(),
                    fixed_by_target: f.fixed_by_target,
                })
                .collect(),
        }
    }
}
