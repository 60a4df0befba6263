//! Which known issues apply to a cluster at one version, or to its upgrade to another, and
//! which of them an upgrade fixes: `shirube check`, in the manner of cargo-audit.

use crate::model::Entry;
use crate::version::{Version, VersionQuery};
use serde::Serialize;

/// Why an entry applies; `at_version` or `on_upgrade` in JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Applies {
    /// The cluster's version is inside an affected range.
    AtVersion,
    /// The issue hits upgrades from the cluster's version to the target version, or the
    /// target version has it and the cluster's does not.
    OnUpgrade,
}

/// One entry that applies, and whether the upgrade target fixes it.
#[derive(Clone, Debug)]
pub struct Finding<'kb> {
    /// The entry that applies, borrowed from the knowledge base.
    pub entry: &'kb Entry,
    /// Why it applies: at the cluster's version, or on the upgrade to the target.
    pub applies: Applies,
    /// The target version (or, without one, the entry's fixed-in version) no longer has it.
    pub fixed_by_target: bool,
    /// The release that fixes it on the checked version's own line (the end of the range
    /// the version is in), when the source names one.
    pub fixed_on_line: Option<Version>,
}

/// How an entry's versions meet a cluster's version and its upgrade target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VersionFit {
    /// The entry names no version.
    Unstated,
    /// The version lies below where the entry's versions begin, and its source does not say
    /// whether older releases had the issue.
    NotStated,
    /// The entry applies, at the cluster's version or on the upgrade to the target.
    Applies(Applies),
    /// An upgrade-path issue the cluster's version is exposed to, should it be upgraded to
    /// the versions the entry names (no target was given).
    UpgradeRisk,
    /// The entry does not apply: the version (and the target) lie outside its ranges, or
    /// the version already has its fix.
    Outside,
}

/// How `entry`'s versions meet a cluster at `version` upgrading to `target`.
pub fn version_fit(
    entry: &Entry,
    version: &VersionQuery,
    target: Option<&VersionQuery>,
) -> VersionFit {
    if entry.versions.unstated_at(version) {
        return VersionFit::NotStated;
    }
    let Some(affected) = &entry.versions.affected else {
        // A fix without ranges (the first release of a line): from it on, the fix holds.
        return match &entry.versions.fixed_in {
            Some(fixed) if version.low >= *fixed => VersionFit::Outside,
            _ => VersionFit::Unstated,
        };
    };
    let at_version = affected.iter().any(|r| version.hits(r));
    let upgrade_path = !entry.versions.upgrade_to.is_empty();
    match (upgrade_path, target) {
        (false, _) if at_version => VersionFit::Applies(Applies::AtVersion),
        // The target has an issue the cluster does not have yet: the upgrade brings it.
        (false, Some(target)) if affected.iter().any(|r| target.hits(r)) => {
            VersionFit::Applies(Applies::OnUpgrade)
        }
        (true, Some(target))
            if at_version && entry.versions.upgrade_to.iter().any(|r| target.hits(r)) =>
        {
            VersionFit::Applies(Applies::OnUpgrade)
        }
        (true, None) if at_version => VersionFit::UpgradeRisk,
        _ => VersionFit::Outside,
    }
}

/// Every entry with stated versions that applies at `version` (and, with `target`, to the
/// upgrade from `version` to `target`), in knowledge-base order.
pub fn check<'kb>(
    entries: impl IntoIterator<Item = &'kb Entry>,
    version: &VersionQuery,
    target: Option<&VersionQuery>,
) -> Vec<Finding<'kb>> {
    entries
        .into_iter()
        .filter_map(|entry| {
            let VersionFit::Applies(applies) = version_fit(entry, version, target) else {
                return None;
            };
            Some(Finding {
                entry,
                applies,
                fixed_by_target: fixed_by_target(entry, applies, target),
                fixed_on_line: fixed_on_line(entry, version),
            })
        })
        .collect()
}

/// The entries whose source does not say whether `version` has them (see
/// [`VersionFit::NotStated`]), in knowledge-base order: never "not affected", never "all
/// versions".
pub fn not_stated<'kb>(
    entries: impl IntoIterator<Item = &'kb Entry>,
    version: &VersionQuery,
) -> Vec<&'kb Entry> {
    entries
        .into_iter()
        .filter(|entry| entry.versions.unstated_at(version))
        .collect()
}

/// The end of the affected range `version` is in: the fix on its own release line.
pub fn fixed_on_line(entry: &Entry, version: &VersionQuery) -> Option<Version> {
    entry
        .versions
        .affected
        .as_ref()?
        .iter()
        .filter(|range| version.hits(range))
        .find_map(Version::past)
}

/// Whether upgrading to `target` leaves an issue that applies at the cluster's version behind.
fn fixed_by_target(entry: &Entry, applies: Applies, target: Option<&VersionQuery>) -> bool {
    match (applies, target, &entry.versions.affected) {
        (Applies::AtVersion, Some(target), Some(affected)) => {
            !affected.iter().any(|r| target.hits(r))
        }
        _ => false,
    }
}

/// "upgrading to `by` fixes `fixed` of these `findings`": with a target, what the target
/// fixes; without one, the lowest version that leaves the most findings behind (the highest
/// of their fixes, each the fix on the checked version's own line where the source names
/// one, so a patch of the same line is named before a later line) and how many it leaves
/// behind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// How many entries apply.
    pub findings: usize,
    /// How many of them upgrading to `by` leaves behind.
    pub fixed: usize,
    /// The version to upgrade to: the target when one was given, else the lowest that leaves
    /// the most findings behind; `None` when no finding names a fix.
    pub by: Option<String>,
}

/// The [`Summary`] of `findings`: what an upgrade to `target` fixes or, without a target,
/// which version fixes the most of them.
pub fn summarize(findings: &[Finding], target: Option<&VersionQuery>) -> Summary {
    if let Some(target) = target {
        return Summary {
            findings: findings.len(),
            fixed: findings.iter().filter(|f| f.fixed_by_target).count(),
            by: Some(target.to_string()),
        };
    }
    let ends: Vec<Version> = findings
        .iter()
        .filter_map(|f| {
            f.fixed_on_line
                .clone()
                .or_else(|| first_unaffected(f.entry))
        })
        .collect();
    let best = ends.iter().max();
    Summary {
        findings: findings.len(),
        fixed: best.map_or(0, |b| ends.iter().filter(|e| *e <= b).count()),
        by: best.map(ToString::to_string),
    }
}

/// How many entries name no version at all: they may apply, and `check` cannot tell.
pub fn unspecified<'kb>(entries: impl IntoIterator<Item = &'kb Entry>) -> usize {
    entries
        .into_iter()
        .filter(|e| e.versions.stated_from().is_none())
        .count()
}

/// The lowest version past every affected range of `entry`: where to upgrade to leave the
/// issue behind. `None` when a range is open-ended, and for upgrade-path issues (their
/// ranges are the versions upgraded from, not a fix).
pub fn first_unaffected(entry: &Entry) -> Option<Version> {
    if !entry.versions.upgrade_to.is_empty() {
        return entry.versions.fixed_in.clone();
    }
    let ranges = entry.versions.affected.as_ref()?;
    let mut highest: Option<Version> = None;
    for range in ranges {
        let end = Version::past(range)?;
        if highest.as_ref().is_none_or(|h| end > *h) {
            highest = Some(end);
        }
    }
    match (&entry.versions.fixed_in, highest) {
        (Some(fixed), Some(end)) => Some(if *fixed > end { fixed.clone() } else { end }),
        (_, end) => end,
    }
}
