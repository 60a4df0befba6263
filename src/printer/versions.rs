//! An entry's versions as every printer writes them.

use super::wording::wording;
use crate::report::EntrySummary;
use shirube_kb::{Lang, RangeList, Version, VersionRange};

/// `< 1.8.2`, `>= 1.7.0, < 1.8.0 | ...`, or "versions unspecified" in `lang`.
pub fn affected(ranges: Option<&[VersionRange]>, lang: Lang) -> String {
    match ranges {
        None => wording(lang).unspecified.to_string(),
        Some(ranges) => RangeList(ranges).to_string(),
    }
}

/// The versions being upgraded to, for upgrade-path issues.
pub fn upgrade_to(ranges: &[VersionRange]) -> Option<String> {
    (!ranges.is_empty()).then(|| RangeList(ranges).to_string())
}

/// The fixed-in release, or "not stated".
pub fn fixed_in(fixed: Option<&Version>, lang: Lang) -> String {
    fixed.map_or(wording(lang).not_stated.to_string(), ToString::to_string)
}

/// `affected < 1.8.2 · upgrading to ... · fixed in 1.8.2`: the versions line of a summary.
pub fn line(entry: &EntrySummary, lang: Lang) -> String {
    let w = wording(lang);
    let mut parts = vec![format!("{} {}", w.affected, affected(entry.affected, lang))];
    if let Some(to) = upgrade_to(entry.upgrade_to) {
        parts.push(format!("{} {to}", w.upgrade_to));
    }
    if let Some(fixed) = entry.fixed_in {
        parts.push(format!("{} {fixed}", w.fixed_in));
    }
    parts.join(" · ")
}
