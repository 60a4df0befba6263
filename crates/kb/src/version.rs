//! Release numbers and affected ranges with OSV semantics.
//!
//! Releases are written as the product's notes print them: `1.8.2` (2020–2023), and since
//! 1.28 with patch numbers in the hundreds and a build suffix, `1.32.200-gke.104`. A
//! version without a build is the first build of its patch, so `1.30.500` lies below
//! `1.30.500-gke.127`: a range fixed in a re-issued build still holds the patch as typed.
//!
//! A range is `introduced` (inclusive) up to `fixed` (exclusive) or `last_affected`
//! (inclusive), or open-ended. `"0"` as `introduced` means "since the first release".

use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// A release number such as `1.8.2` or `1.32.200-gke.104`. Missing trailing parts compare
/// as zero, so `1.8` and `1.8.0` are equal; a missing build compares below every build.
#[derive(Clone, Debug, Eq)]
pub struct Version {
    parts: Vec<u32>,
    /// The `N` of a `-gke.N` suffix.
    build: Option<u32>,
}

/// How a build is written after the release number.
const BUILD_SUFFIX: &str = "-gke.";

impl Version {
    /// The version that precedes every release, written `0` in ranges.
    pub fn zero() -> Self {
        Version::of(vec![0])
    }

    fn of(parts: Vec<u32>) -> Self {
        Version { parts, build: None }
    }

    /// The build number (`104` of `1.32.200-gke.104`), when the version names one.
    pub fn build(&self) -> Option<u32> {
        self.build
    }

    /// The release line: `1.32` of `1.32.200-gke.104`.
    pub fn line(&self) -> Version {
        Version::of(vec![self.part(0), self.part(1)])
    }

    /// The dotted numbers as written, without the build: `[1, 32, 200]` of `1.32.200-gke.104`.
    pub fn parts(&self) -> &[u32] {
        &self.parts
    }

    /// The first release of the next minor line: `1.8.3` → `1.9.0`.
    pub fn next_minor(&self) -> Version {
        let major = self.parts.first().copied().unwrap_or(0);
        let minor = self.parts.get(1).copied().unwrap_or(0);
        Version::of(vec![major, minor.saturating_add(1), 0])
    }

    /// The next release after this one: `1.8.1` → `1.8.2`, `1.8` → `1.8.1`, and the next
    /// build of a build, `1.30.500-gke.126` → `1.30.500-gke.127`.
    pub fn next_patch(&self) -> Version {
        match self.build {
            Some(build) => Version {
                parts: self.padded().parts,
                build: Some(build.saturating_add(1)),
            },
            None => Version::of(vec![
                self.part(0),
                self.part(1),
                self.part(2).saturating_add(1),
            ]),
        }
    }

    /// The lowest version past `range`, when it ends: its `fixed` version, or the patch after
    /// its `last_affected` one.
    pub fn past(range: &VersionRange) -> Option<Version> {
        match &range.end {
            None => None,
            Some(RangeEnd::Fixed(v)) => Some(v.clone()),
            Some(RangeEnd::LastAffected(v)) => Some(v.next_patch()),
        }
    }

    /// The same version written with three parts: `1.9` → `1.9.0`.
    pub fn padded(&self) -> Version {
        let mut parts = self.parts.clone();
        parts.resize(parts.len().max(3), 0);
        Version {
            parts,
            build: self.build,
        }
    }

    fn part(&self, i: usize) -> u32 {
        self.parts.get(i).copied().unwrap_or(0)
    }
}

/// Why a version string was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionError {
    /// The text that was refused.
    pub input: String,
}

impl fmt::Display for VersionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a version: expected dotted numbers such as 1.8.2 or 1.32.200-gke.104",
            self.input
        )
    }
}

impl std::error::Error for VersionError {}

impl FromStr for Version {
    type Err = VersionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || VersionError {
            input: s.to_string(),
        };
        let (release, build) = match s.split_once(BUILD_SUFFIX) {
            Some((release, build)) => {
                let digits = !build.is_empty() && build.bytes().all(|b| b.is_ascii_digit());
                let build: u32 = build.parse().ok().filter(|_| digits).ok_or_else(err)?;
                (release, Some(build))
            }
            None => (s, None),
        };
        if release.is_empty() {
            return Err(err());
        }
        let parts = release
            .split('.')
            .map(|p| {
                if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                    Err(err())
                } else {
                    p.parse::<u32>().map_err(|_| err())
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        // A build belongs to a whole release number.
        if parts.len() > 4 || (build.is_some() && parts.len() != 3) {
            return Err(err());
        }
        Ok(Version { parts, build })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text: Vec<String> = self.parts.iter().map(u32::to_string).collect();
        f.write_str(&text.join("."))?;
        match self.build {
            Some(build) => write!(f, "{BUILD_SUFFIX}{build}"),
            None => Ok(()),
        }
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        let n = self.parts.len().max(other.parts.len());
        (0..n)
            .map(|i| self.part(i).cmp(&other.part(i)))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
            .then(self.build.cmp(&other.build))
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Serialize for Version {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Where an affected range ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RangeEnd {
    /// The first version that is no longer affected (exclusive).
    Fixed(Version),
    /// The last version known to be affected (inclusive).
    LastAffected(Version),
}

/// One affected range with OSV semantics. Written in TOML and JSON as
/// `{ introduced = "0", fixed = "1.8.2" }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawRange", into = "RawRange")]
pub struct VersionRange {
    /// The first affected version (inclusive); [`Version::zero`] for "since the first release".
    pub introduced: Version,
    /// Where the range ends; `None` when it is open, so every later release is affected too.
    pub end: Option<RangeEnd>,
}

/// The written form of a [`VersionRange`]; unknown keys are refused so a typo such as
/// `fixd` cannot silently widen a range.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRange {
    /// `introduced`: the first affected version (inclusive), `"0"` for since the first release.
    pub introduced: String,
    /// `fixed`: the first version no longer affected (exclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    /// `last_affected`: the last affected version (inclusive); a range has at most one of this
    /// and `fixed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_affected: Option<String>,
}

impl TryFrom<RawRange> for VersionRange {
    type Error = String;

    fn try_from(raw: RawRange) -> Result<Self, Self::Error> {
        let parse = |s: &str| s.parse::<Version>().map_err(|e| e.to_string());
        let introduced = parse(&raw.introduced)?;
        let end = match (raw.fixed, raw.last_affected) {
            (Some(_), Some(_)) => {
                return Err("a range has either `fixed` or `last_affected`, not both".into());
            }
            (Some(f), None) => Some(RangeEnd::Fixed(parse(&f)?)),
            (None, Some(l)) => Some(RangeEnd::LastAffected(parse(&l)?)),
            (None, None) => None,
        };
        match &end {
            Some(RangeEnd::Fixed(f)) if *f <= introduced => Err(format!(
                "range is empty: `fixed` {f} is not above `introduced` {introduced}"
            )),
            Some(RangeEnd::LastAffected(l)) if *l < introduced => Err(format!(
                "range is empty: `last_affected` {l} is below `introduced` {introduced}"
            )),
            _ => Ok(VersionRange { introduced, end }),
        }
    }
}

impl From<VersionRange> for RawRange {
    fn from(range: VersionRange) -> Self {
        let (fixed, last_affected) = match range.end {
            None => (None, None),
            Some(RangeEnd::Fixed(v)) => (Some(v.to_string()), None),
            Some(RangeEnd::LastAffected(v)) => (None, Some(v.to_string())),
        };
        RawRange {
            introduced: range.introduced.to_string(),
            fixed,
            last_affected,
        }
    }
}

impl VersionRange {
    /// Whether `v` lies inside the range.
    pub fn contains(&self, v: &Version) -> bool {
        if *v < self.introduced {
            return false;
        }
        match &self.end {
            None => true,
            Some(RangeEnd::Fixed(f)) => v < f,
            Some(RangeEnd::LastAffected(l)) => v <= l,
        }
    }

    /// Whether some version in `[low, high)` lies inside the range.
    pub fn overlaps(&self, low: &Version, high: &Version) -> bool {
        let starts_before_high = self.introduced < *high;
        let ends_after_low = match &self.end {
            None => true,
            Some(RangeEnd::Fixed(f)) => f > low,
            Some(RangeEnd::LastAffected(l)) => l >= low,
        };
        starts_before_high && ends_after_low
    }
}

impl fmt::Display for VersionRange {
    /// Short human form: `< 1.8.2`, `<= 1.11.1`, `>= 1.7.0, < 1.8.0`, `all versions`,
    /// `>= 1.8.0`, and `1.7.1` for a range of one release.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let from_start = self.introduced == Version::zero();
        match (&self.end, from_start) {
            (None, true) => f.write_str("all versions"),
            (None, false) => write!(f, ">= {}", self.introduced),
            (Some(RangeEnd::Fixed(v)), true) => write!(f, "< {v}"),
            (Some(RangeEnd::LastAffected(v)), true) => write!(f, "<= {v}"),
            (Some(RangeEnd::Fixed(v)), false) => write!(f, ">= {}, < {v}", self.introduced),
            (Some(RangeEnd::LastAffected(v)), false) if *v == self.introduced => write!(f, "{v}"),
            (Some(RangeEnd::LastAffected(v)), false) => {
                write!(f, ">= {}, <= {v}", self.introduced)
            }
        }
    }
}

/// Ranges as people read them, joined by ` | ` (`< 1.8.2 | >= 1.9.0, < 1.9.1`): how every
/// printer and message shows an entry's ranges.
#[derive(Clone, Copy, Debug)]
pub struct RangeList<'a>(pub &'a [VersionRange]);

impl fmt::Display for RangeList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, range) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{range}")?;
        }
        Ok(())
    }
}

/// A version as a user types it on the command line: `1.8.1`, `v1.8.1`, or a whole minor
/// line such as `1.8`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionQuery {
    /// Lowest version meant (inclusive).
    pub low: Version,
    /// Highest version meant (exclusive).
    pub high: Version,
    text: String,
}

/// The forms `--version` accepts, for error messages.
pub const VERSION_QUERY_FORMS: &str =
    "1.8.1, v1.8.1, 1.32.200-gke.104 or 1.8 (the whole 1.8.x line)";

impl FromStr for VersionQuery {
    type Err = VersionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        let bare = trimmed
            .strip_prefix('v')
            .or_else(|| trimmed.strip_prefix('V'))
            .unwrap_or(trimmed);
        let version: Version = bare.parse().map_err(|_| VersionError {
            input: s.to_string(),
        })?;
        // The product's versions have three parts; a fourth is a typo, not a build number.
        if version.parts().len() > 3 {
            return Err(VersionError {
                input: s.to_string(),
            });
        }
        // A release without a build means all of its builds; with one, that build.
        let high = match version.parts().len() {
            1 => Version::of(vec![version.part(0).saturating_add(1)]),
            2 => version.next_minor(),
            _ => version.next_patch(),
        };
        let low = version;
        Ok(VersionQuery {
            text: low.to_string(),
            low,
            high,
        })
    }
}

impl VersionQuery {
    /// Whether going to `target` is an upgrade: it starts above where `self` starts.
    pub fn upgrades_to(&self, target: &VersionQuery) -> bool {
        target.low > self.low
    }

    /// Whether any version the user meant is inside `range`.
    pub fn hits(&self, range: &VersionRange) -> bool {
        range.overlaps(&self.low, &self.high)
    }
}

impl fmt::Display for VersionQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        s.parse().unwrap()
    }

    fn range(introduced: &str, end: Option<RangeEnd>) -> VersionRange {
        VersionRange {
            introduced: v(introduced),
            end,
        }
    }

    #[test]
    fn versions_compare_with_missing_parts_as_zero() {
        assert_eq!(v("1.8"), v("1.8.0"));
        assert!(v("1.10.0") > v("1.9.9"));
        assert!(v("1.8.2") < v("1.8.10"));
    }

    #[test]
    fn builds_are_read_compared_and_printed_as_the_notes_write_them() {
        let build = v("1.32.200-gke.104");
        assert_eq!(build.to_string(), "1.32.200-gke.104");
        assert_eq!(build.build(), Some(104));
        assert_eq!(build.line(), v("1.32"));
        assert!(v("1.30.500") < v("1.30.500-gke.126"));
        assert!(v("1.30.500-gke.126") < v("1.30.500-gke.127"));
        assert!(v("1.30.500-gke.127") < v("1.30.600"));
        assert!(v("1.30.1100-gke.67") > v("1.30.900-gke.57"));
        assert_eq!(v("1.30.500-gke.126").next_patch(), v("1.30.500-gke.127"));
        for bad in [
            "1.32-gke.1",
            "1.32.200-gke.",
            "1.32.200-gke.x",
            "1.32.200-rc.1",
            "-gke.1",
        ] {
            assert!(bad.parse::<Version>().is_err(), "{bad} parsed");
        }
    }

    #[test]
    fn a_release_without_a_build_means_every_build_of_it() {
        let fixed_in_a_reissue = range("1.30.0", Some(RangeEnd::Fixed(v("1.30.500-gke.127"))));
        let patch: VersionQuery = "1.30.500".parse().unwrap();
        assert!(
            patch.hits(&fixed_in_a_reissue),
            "its first build was affected"
        );
        let fixed: VersionQuery = "1.30.500-gke.127".parse().unwrap();
        assert!(!fixed.hits(&fixed_in_a_reissue));
        let line: VersionQuery = "1.30".parse().unwrap();
        assert!(line.hits(&fixed_in_a_reissue));
        assert_eq!(fixed.to_string(), "1.30.500-gke.127");
    }

    #[test]
    fn malformed_versions_are_refused() {
        for bad in [
            "",
            "latest",
            "1.x.y",
            "v1..8",
            "1.8.",
            ".1",
            "1.8.2-rc1",
            "1.2.3.4.5",
        ] {
            assert!(bad.parse::<Version>().is_err(), "{bad} parsed");
        }
    }

    #[test]
    fn fixed_is_exclusive_and_last_affected_inclusive() {
        let before = range("0", Some(RangeEnd::Fixed(v("1.8.2"))));
        assert!(before.contains(&v("1.8.1")));
        assert!(!before.contains(&v("1.8.2")));
        let upto = range("0", Some(RangeEnd::LastAffected(v("1.11.1"))));
        assert!(upto.contains(&v("1.11.1")));
        assert!(!upto.contains(&v("1.11.2")));
    }

    #[test]
    fn range_lists_are_joined_by_a_bar() {
        let ranges = [
            range("0", Some(RangeEnd::Fixed(v("1.8.2")))),
            range("1.9.0", Some(RangeEnd::LastAffected(v("1.9.1")))),
        ];
        assert_eq!(
            RangeList(&ranges).to_string(),
            "< 1.8.2 | >= 1.9.0, <= 1.9.1"
        );
        assert_eq!(RangeList(&[]).to_string(), "");
        let one = range("1.7.1", Some(RangeEnd::LastAffected(v("1.7.1"))));
        assert_eq!(one.to_string(), "1.7.1");
    }

    #[test]
    fn a_minor_line_query_hits_ranges_that_touch_the_line() {
        let q: VersionQuery = "1.8".parse().unwrap();
        assert!(q.hits(&range("0", Some(RangeEnd::Fixed(v("1.8.2"))))));
        assert!(!q.hits(&range("0", Some(RangeEnd::Fixed(v("1.8.0"))))));
        assert!(q.hits(&range("1.8.4", None)));
        assert!(!q.hits(&range("1.9.0", None)));
        let exact: VersionQuery = "v1.8.2".parse().unwrap();
        assert!(!exact.hits(&range("0", Some(RangeEnd::Fixed(v("1.8.2"))))));
        assert!(exact.hits(&range("0", Some(RangeEnd::LastAffected(v("1.8.2"))))));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn version() -> impl Strategy<Value = Version> {
        (1u32..2, 0u32..14, 0u32..8, prop::option::of(0u32..200)).prop_map(|(a, b, c, build)| {
            Version {
                parts: vec![a, b, c],
                build,
            }
        })
    }

    fn range() -> impl Strategy<Value = VersionRange> {
        (version(), prop::option::of(version()), any::<bool>()).prop_map(|(low, end, fixed)| {
            let end = end.filter(|e| if fixed { *e > low } else { *e >= low });
            VersionRange {
                introduced: low,
                end: end.map(|e| {
                    if fixed {
                        RangeEnd::Fixed(e)
                    } else {
                        RangeEnd::LastAffected(e)
                    }
                }),
            }
        })
    }

    proptest! {
        #[test]
        fn an_exact_version_query_hits_exactly_the_ranges_that_contain_it(r in range(), v in version()) {
            let query: VersionQuery = v.to_string().parse().unwrap();
            // A release typed without a build means each of its builds.
            let builds: Vec<Version> = match v.build {
                Some(_) => vec![v.clone()],
                None => (0..200).map(|b| Version { build: Some(b), ..v.clone() }).chain([v.clone()]).collect(),
            };
            prop_assert_eq!(query.hits(&r), builds.iter().any(|b| r.contains(b)));
        }

        #[test]
        fn a_minor_line_hits_a_range_when_one_of_its_patches_is_inside(r in range(), major in 1u32..2, minor in 0u32..14) {
            let query: VersionQuery = format!("{major}.{minor}").parse().unwrap();
            let some_patch = (0..64).any(|p| {
                (0..200).map(Some).chain([None]).any(|build| r.contains(&Version { parts: vec![major, minor, p], build }))
            });
            prop_assert_eq!(query.hits(&r), some_patch);
        }

        #[test]
        fn written_ranges_read_back_unchanged(r in range()) {
            let raw = RawRange::from(r.clone());
            prop_assert_eq!(VersionRange::try_from(raw), Ok(r));
        }
    }
}
