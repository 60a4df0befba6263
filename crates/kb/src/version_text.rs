//! Reading version statements out of prose, in Japanese and English, into OSV ranges.
//!
//! Known-issue pages say which releases are hit in sentences: 「1.8.2 より前」, 「1.11.1 以前」,
//! 「1.10 以前で発生し、1.11 以降では修正」, 「1.7.x から 1.8.y にアップグレード」, "before 1.8.2",
//! "fixed in 1.9.0". The importer fills a draft's `[versions]` from them, and the lint
//! compares a curated header with them. Versions of other software in the same sentences
//! (Kubernetes 1.18, Ubuntu 20.04, kernel 4.17.0) are not the product's and are skipped.

use crate::model::Versions;
use crate::version::{RangeEnd, Version, VersionRange};

/// Words that, shortly before a version, say it belongs to other software.
const OTHER_SOFTWARE: [&str; 12] = [
    "kubernetes",
    "ubuntu",
    "kernel",
    "カーネル",
    "docker",
    "rhel",
    "centos",
    "runc",
    "systemd",
    "linux",
    "rhel ",
    "containerd",
];

/// A version mentioned in a sentence.
#[derive(Clone, Debug)]
struct Mention {
    version: Version,
    /// `1.8`, `1.8.x` or `1.8.y`: the whole minor line.
    line: bool,
    /// Byte range in the sentence.
    start: usize,
    end: usize,
}

impl Mention {
    /// The versions the mention covers.
    fn range(&self) -> VersionRange {
        if self.line {
            VersionRange {
                introduced: self.version.padded(),
                end: Some(RangeEnd::Fixed(self.version.next_minor())),
            }
        } else {
            VersionRange {
                introduced: self.version.clone(),
                end: Some(RangeEnd::LastAffected(self.version.clone())),
            }
        }
    }
}

/// What one mention says.
#[derive(Clone, Debug)]
enum Claim {
    Range(VersionRange),
    FixedIn(Version),
    /// An upgrade from one range to another.
    Upgrade {
        from: VersionRange,
        to: VersionRange,
    },
    /// An upgrade to a range, from versions the text does not name.
    UpgradeTo(VersionRange),
}

fn sentences(text: &str) -> Vec<&str> {
    text.split_inclusive(['。', '\n'])
        .flat_map(|s| s.split_inclusive(". "))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

fn mentions(sentence: &str) -> Vec<Mention> {
    let bytes = sentence.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        // An ASCII digit is never inside a multibyte character, so slicing at it is safe.
        let starts_here = bytes[i].is_ascii_digit()
            && !sentence[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '-' | '_'));
        if !starts_here {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < bytes.len()
            && (bytes[end].is_ascii_digit()
                || bytes[end] == b'.'
                || bytes[end] == b'x'
                || bytes[end] == b'y')
        {
            end += 1;
        }
        let token = sentence[i..end].trim_end_matches('.');
        let token_end = i + token.len();
        let follows = sentence[token_end..].chars().next();
        let glued =
            follows.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '_'));
        if let Some(mention) = parse_mention(token, i, token_end).filter(|_| !glued) {
            let window_start = sentence[..i]
                .char_indices()
                .rev()
                .nth(16)
                .map_or(0, |(at, _)| at);
            let context = sentence[window_start..i].to_lowercase();
            if !OTHER_SOFTWARE.iter().any(|w| context.contains(w)) {
                found.push(mention);
            }
        }
        i = end.max(i + 1);
    }
    found
}

fn parse_mention(token: &str, start: usize, end: usize) -> Option<Mention> {
    let (numbers, line) = match token
        .strip_suffix(".x")
        .or_else(|| token.strip_suffix(".y"))
    {
        Some(rest) => (rest, true),
        None => (token, false),
    };
    let version: Version = numbers.parse().ok()?;
    let parts = version.parts();
    // Product releases are 1.x or 1.x.y here; 20.04, 4.17.0 and 247.2 are other software.
    if !(2..=3).contains(&parts.len()) || parts[0] == 0 || parts[0] >= 4 {
        return None;
    }
    Some(Mention {
        line: line || parts.len() == 2,
        version,
        start,
        end,
    })
}

/// The text right after a mention, without leading spaces.
fn after<'s>(sentence: &'s str, mention: &Mention) -> &'s str {
    sentence[mention.end..].trim_start()
}

fn claims(sentence: &str) -> Vec<Claim> {
    let lower = sentence.to_lowercase();
    // An example illustrates a rule with made-up numbers; it states nothing about releases.
    if ["たとえば", "例えば", "for example", "e.g."]
        .iter()
        .any(|w| lower.starts_with(w))
    {
        return Vec::new();
    }
    let found = mentions(sentence);
    let mut claims = Vec::new();
    let mut used_as_target = vec![false; found.len()];
    for (i, m) in found.iter().enumerate() {
        if used_as_target[i] {
            continue;
        }
        let rest = after(sentence, m);
        let rest_lower = rest.to_lowercase();
        let before_lower = sentence[..m.start].to_lowercase();
        // Targets: the next mention, and one more joined by または/と/or.
        let targets = |from: usize| -> Option<(VersionRange, usize)> {
            let first = found.get(from)?;
            let joined = found.get(from + 1).filter(|second| {
                let between = &sentence[first.end..second.start];
                ["または", "と", " or ", " and "]
                    .iter()
                    .any(|j| between.contains(j))
                    && between.chars().count() < 8
            });
            let last = joined.unwrap_or(first);
            let to = VersionRange {
                introduced: first.version.padded(),
                end: Some(if last.line {
                    RangeEnd::Fixed(last.version.next_minor())
                } else {
                    RangeEnd::LastAffected(last.version.clone())
                }),
            };
            Some((to, if joined.is_some() { from + 1 } else { from }))
        };
        let upgrade_after = |at: usize| {
            let rest = &sentence[at..];
            rest.contains("アップグレード") || rest.to_lowercase().contains("upgrad")
        };
        let from_to = rest.starts_with("から")
            || rest.starts_with("クラスタを")
            || (rest_lower.starts_with("to ") && before_lower.trim_end().ends_with("from"));
        if from_to
            && upgrade_after(m.end)
            && let Some((to, last)) = targets(i + 1)
        {
            for flag in used_as_target.iter_mut().take(last + 1).skip(i + 1) {
                *flag = true;
            }
            claims.push(Claim::Upgrade {
                from: m.range(),
                to,
            });
            continue;
        }
        let to_single = rest.starts_with("へ")
            || rest.starts_with("に")
            || rest.starts_with("または")
            || (before_lower.trim_end().ends_with("to") && !before_lower.contains("from"));
        if to_single
            && upgrade_after(m.end)
            && !rest.starts_with("以降")
            && let Some((to, last)) = targets(i)
        {
            for flag in used_as_target.iter_mut().take(last + 1).skip(i) {
                *flag = true;
            }
            claims.push(Claim::UpgradeTo(to));
            continue;
        }
        let fixed_here = (rest.starts_with("以降") || rest.starts_with("で"))
            && rest.chars().take(12).collect::<String>().contains("修正")
            || rest.starts_with("以降では")
            || before_lower.trim_end().ends_with("fixed in")
            || rest_lower.starts_with("and later");
        if fixed_here {
            claims.push(Claim::FixedIn(m.version.padded()));
            continue;
        }
        let zero = Version::zero();
        if rest.starts_with("より前")
            || ["before", "prior to", "earlier than"]
                .iter()
                .any(|w| before_lower.trim_end().ends_with(w))
        {
            claims.push(Claim::Range(VersionRange {
                introduced: zero,
                end: Some(RangeEnd::Fixed(m.version.padded())),
            }));
            continue;
        }
        if rest.starts_with("以前")
            || rest_lower.starts_with("and earlier")
            || rest_lower.starts_with("or earlier")
        {
            let end = if m.line {
                RangeEnd::Fixed(m.version.next_minor())
            } else {
                RangeEnd::LastAffected(m.version.clone())
            };
            claims.push(Claim::Range(VersionRange {
                introduced: zero,
                end: Some(end),
            }));
            continue;
        }
        let cluster = rest.starts_with("クラスタ") || rest_lower.starts_with("cluster");
        let incompatible = rest.starts_with("と互換性")
            || rest.starts_with("との互換性")
            || before_lower.contains("compatible with");
        // "create a new 1.8.0 cluster" recommends a version; it does not name an affected one.
        let recommends = sentence.contains("作成") || lower.contains("create a new");
        if (cluster && !recommends) || incompatible {
            claims.push(Claim::Range(m.range()));
        }
    }
    if sentence.contains("すべてのバージョン") || lower.contains("all versions") {
        claims.push(Claim::Range(VersionRange {
            introduced: Version::zero(),
            end: None,
        }));
    }
    claims
}

/// Reads the version statements of `text` (an entry's prose), in the form of an entry's
/// `[versions]` (without a note: that is a human's word).
pub fn extract(text: &str) -> Versions {
    let mut ranges: Vec<VersionRange> = Vec::new();
    let mut fixed_in: Option<Version> = None;
    let mut upgrades: Vec<(VersionRange, VersionRange)> = Vec::new();
    let mut targets: Vec<VersionRange> = Vec::new();
    let mut statement = Vec::new();
    for sentence in sentences(text) {
        let found = claims(sentence);
        if found.is_empty() {
            continue;
        }
        statement.push(sentence.to_string());
        for claim in found {
            match claim {
                Claim::Range(r) => push_unique(&mut ranges, r),
                Claim::FixedIn(v) => {
                    fixed_in.get_or_insert(v);
                }
                Claim::Upgrade { from, to } => upgrades.push((from, to)),
                Claim::UpgradeTo(to) => push_unique(&mut targets, to),
            }
        }
    }
    let mut extracted = Versions {
        fixed_in,
        statement,
        ..Versions::default()
    };
    if !upgrades.is_empty() {
        // A named from-to upgrade says it all; a bare target elsewhere repeats it.
        let mut from = Vec::new();
        for (f, to) in upgrades {
            push_unique(&mut from, f);
            push_unique(&mut extracted.upgrade_to, to);
        }
        extracted.affected = Some(from);
    } else if !targets.is_empty() {
        // Upgrading *to* T from an unnamed version: the versions below T's end.
        let below = match ranges.is_empty() {
            true => targets.iter().filter_map(range_end).max().map(|end| {
                vec![VersionRange {
                    introduced: Version::zero(),
                    end: Some(RangeEnd::Fixed(end)),
                }]
            }),
            false => Some(ranges.clone()),
        };
        extracted.upgrade_to = targets;
        extracted.affected = below;
    } else if !ranges.is_empty() {
        extracted.affected = Some(ranges);
    } else if let Some(fixed) = &extracted.fixed_in {
        extracted.affected = Some(vec![VersionRange {
            introduced: Version::zero(),
            end: Some(RangeEnd::Fixed(fixed.clone())),
        }]);
    }
    extracted
}

/// The version a range's end names (`fixed` or `last_affected`).
fn range_end(range: &VersionRange) -> Option<Version> {
    match &range.end {
        Some(RangeEnd::Fixed(v) | RangeEnd::LastAffected(v)) => Some(v.clone()),
        None => None,
    }
}

fn push_unique(ranges: &mut Vec<VersionRange>, range: VersionRange) {
    if !ranges.contains(&range) {
        ranges.push(range);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges(text: &str) -> Vec<String> {
        extract(text)
            .affected
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn japanese_statements_become_ranges() {
        assert_eq!(
            ranges("バージョン 1.8.2 より前のクラスタでは失敗します。"),
            ["< 1.8.2"]
        );
        assert_eq!(
            ranges("バージョン 1.11.1 以前のクラスタに適用されます。"),
            ["<= 1.11.1"]
        );
        assert_eq!(
            ranges("1.10 以前で発生し、バージョン 1.11 以降では修正されています。"),
            ["< 1.11.0"]
        );
        assert_eq!(
            extract("1.10 以前で発生し、バージョン 1.11 以降では修正されています。")
                .fixed_in
                .unwrap()
                .to_string(),
            "1.11.0"
        );
        assert_eq!(
            ranges(
                "ベアメタル版 Anthos クラスタ 1.6 と互換性がありません。Kubernetes 1.18 では未対応です。"
            ),
            [">= 1.6.0, < 1.7.0"]
        );
        assert_eq!(ranges("すべてのバージョンに影響します。"), ["all versions"]);
    }

    #[test]
    fn upgrade_paths_carry_both_ranges() {
        let e = extract(
            "バージョン 1.7.x からバージョン 1.8.0 または 1.8.1 へのアップグレードが失敗することがあります。リリース 1.8.2 で修正されます。",
        );
        assert_eq!(e.affected.unwrap()[0].to_string(), ">= 1.7.0, < 1.8.0");
        assert_eq!(e.upgrade_to[0].to_string(), ">= 1.8.0, <= 1.8.1");
        assert_eq!(e.fixed_in.unwrap().to_string(), "1.8.2");
    }

    #[test]
    fn english_statements_become_ranges() {
        assert_eq!(ranges("Clusters before 1.8.2 are affected."), ["< 1.8.2"]);
        assert_eq!(
            ranges("Versions 1.11.1 and earlier are affected."),
            ["<= 1.11.1"]
        );
        assert_eq!(
            extract("This is fixed in 1.9.0.")
                .fixed_in
                .unwrap()
                .to_string(),
            "1.9.0"
        );
    }

    #[test]
    fn other_software_and_paths_are_not_product_versions() {
        assert_eq!(extract("Linux カーネル バージョン 4.17.0 以降が必要です。Ubuntu 20.04 では読み取り専用です。").affected, None);
        assert_eq!(
            extract("failed to get CRD file .manifests/1.9.0/cluster-operator").affected,
            None
        );
        assert_eq!(
            extract("新しい 1.8.0 クラスタを作成することをおすすめします。").affected,
            None
        );
        assert_eq!(extract("たとえば、ユーザー クラスタをバージョン 1.6.4 にアップグレードすることはできません。").affected, None);
    }
}
