//! Versions of the seed page's entries, read by us from the page (and from the release
//! notes its entries cite for later facts) and written down here, against what the
//! knowledge base says and what `list`, `search` and `check` do with it. The entries retold
//! from the release notes are checked in `release_notes.rs`.

use crate::util::run;
use serde_json::Value;

/// `(introduced, fixed, last_affected)`.
type Range = (&'static str, Option<&'static str>, Option<&'static str>);

/// One entry's versions: id, affected ranges, upgrade targets, fixed-in.
type Row = (
    &'static str,
    &'static [Range],
    &'static [Range],
    Option<&'static str>,
);

/// Every seed entry that states versions. Seed entries not listed state no version.
const TABLE: &[Row] = &[
    // Multi-NIC with a proxy: the 1.11.0 notes list the fix.
    (
        "ABM-0001",
        &[("0", Some("1.11.0"), None)],
        &[],
        Some("1.11.0"),
    ),
    // cgroup v2: unsupported until the 1.15.0 notes make it generally available.
    (
        "ABM-0002",
        &[("1.6.0", Some("1.15.0"), None)],
        &[],
        Some("1.15.0"),
    ),
    // /tmp noexec: the 1.10.0 notes stop running provisioning binaries from /tmp.
    (
        "ABM-0005",
        &[("0", Some("1.10.0"), None)],
        &[],
        Some("1.10.0"),
    ),
    (
        "ABM-0007",
        &[("0", Some("1.8.2"), None)],
        &[],
        Some("1.8.2"),
    ),
    (
        "ABM-0009",
        &[("0", Some("1.8.2"), None)],
        &[],
        Some("1.8.2"),
    ),
    // crictl not found: the 1.9.0 notes list the fix (1.8.2 only mended PATH).
    (
        "ABM-0010",
        &[("0", Some("1.9.0"), None)],
        &[],
        Some("1.9.0"),
    ),
    // PLEG flapping: the 1.9.0 notes list the fix.
    (
        "ABM-0012",
        &[("0", Some("1.9.0"), None)],
        &[],
        Some("1.9.0"),
    ),
    (
        "ABM-0013",
        &[("0", Some("1.11.0"), None)],
        &[],
        Some("1.11.0"),
    ),
    // A broken last-applied configuration: the 1.11.2 notes list the fix.
    (
        "ABM-0014",
        &[("0", Some("1.11.2"), None)],
        &[],
        Some("1.11.2"),
    ),
    (
        "ABM-0015",
        &[("1.8.0", Some("1.9.0"), None)],
        &[("1.9.0", Some("1.10.0"), None)],
        None,
    ),
    (
        "ABM-0017",
        &[("1.7.0", Some("1.8.0"), None)],
        &[("1.8.0", Some("1.9.0"), None)],
        None,
    ),
    (
        "ABM-0018",
        &[("1.7.0", Some("1.8.0"), None)],
        &[("1.8.0", None, Some("1.8.1"))],
        Some("1.8.2"),
    ),
    (
        "ABM-0019",
        &[("0", Some("1.8.4"), None)],
        &[("1.8.3", None, Some("1.8.4"))],
        None,
    ),
    (
        "ABM-0021",
        &[("0", Some("1.8.3"), None)],
        // The 1.8.3 notes: the 4.17 kernel requirement came with 1.8.0.
        &[("1.8.0", Some("1.8.3"), None)],
        Some("1.8.3"),
    ),
    (
        "ABM-0022",
        &[("1.7.0", Some("1.8.0"), None)],
        &[("1.8.0", Some("1.9.0"), None)],
        None,
    ),
    ("ABM-0023", &[("1.7.1", None, Some("1.7.1"))], &[], None),
    (
        "ABM-0025",
        &[("0", None, Some("1.11.1"))],
        &[],
        Some("1.11.2"),
    ),
    ("ABM-0035", &[("0", None, None)], &[], None),
    // Node pool specs: the 1.7.2 notes add a webhook that refuses direct edits.
    (
        "ABM-0037",
        &[("0", Some("1.7.2"), None)],
        &[],
        Some("1.7.2"),
    ),
    (
        "ABM-0040",
        &[("0", None, Some("1.8.1"))],
        &[],
        Some("1.8.2"),
    ),
    (
        "ABM-0041",
        &[("0", Some("1.8.2"), None)],
        &[],
        Some("1.8.2"),
    ),
    (
        "ABM-0042",
        &[("0", Some("1.9.0"), None)],
        &[],
        Some("1.9.0"),
    ),
];

fn ranges_json(ranges: &[Range]) -> Value {
    Value::Array(
        ranges
            .iter()
            .map(|(introduced, fixed, last)| {
                let mut range = serde_json::json!({ "introduced": introduced });
                if let Some(f) = fixed {
                    range["fixed"] = Value::from(*f);
                }
                if let Some(l) = last {
                    range["last_affected"] = Value::from(*l);
                }
                range
            })
            .collect(),
    )
}

fn parts(v: &str) -> Vec<u32> {
    let mut p: Vec<u32> = v.split('.').map(|x| x.parse().unwrap()).collect();
    p.resize(3, 0);
    p
}

/// The table's own reading of "is `v` in this range", written independently of the crate.
fn in_range(v: &[u32], (introduced, fixed, last): &Range) -> bool {
    parts(introduced).as_slice() <= v
        && fixed.is_none_or(|f| v < parts(f).as_slice())
        && last.is_none_or(|l| v <= parts(l).as_slice())
}

fn export() -> Vec<Value> {
    let out = run(&["export", "--format", "json"]);
    let value: Value = serde_json::from_slice(&out.stdout).unwrap();
    value["entries"].as_array().unwrap().clone()
}

#[test]
fn every_entry_states_the_versions_we_read_on_the_page() {
    for entry in export() {
        let id = entry["id"].as_str().unwrap();
        if !id.starts_with("ABM-") {
            continue;
        }
        match TABLE.iter().find(|(t, ..)| *t == id) {
            Some((_, affected, upgrade_to, fixed_in)) => {
                assert_eq!(entry["affected"], ranges_json(affected), "{id} affected");
                assert_eq!(
                    entry["upgrade_to"],
                    ranges_json(upgrade_to),
                    "{id} upgrade_to"
                );
                assert_eq!(
                    entry["fixed_in"],
                    fixed_in.map_or(Value::Null, Value::from),
                    "{id} fixed_in"
                );
            }
            None => {
                assert_eq!(
                    entry["affected"],
                    Value::Null,
                    "{id} states versions the table lacks"
                );
                assert_eq!(entry["fixed_in"], Value::Null, "{id}");
            }
        }
    }
}

fn ids(value: &Value, key: &str) -> Vec<String> {
    value[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

/// Real release numbers 1.6.0 … 1.12.x.
fn sweep() -> Vec<String> {
    (6..=12)
        .flat_map(|minor| (0..=4).map(move |patch| format!("1.{minor}.{patch}")))
        .collect()
}

/// Whether `id` is an entry of the seed page, which this file's table covers.
fn seed(id: &str) -> bool {
    id.starts_with("ABM-")
}

#[test]
fn list_and_search_keep_exactly_the_entries_whose_ranges_hold_the_version() {
    let all: Vec<String> = ids(
        &serde_json::from_slice(&run(&["list", "--json"]).exits(0).stdout).unwrap(),
        "results",
    )
    .into_iter()
    .filter(|id| seed(id))
    .collect();
    for version in sweep() {
        let v = parts(&version);
        let expected: Vec<String> = all
            .iter()
            .filter(|id| match TABLE.iter().find(|(t, ..)| t == id) {
                Some((_, affected, ..)) => affected.iter().any(|r| in_range(&v, r)),
                None => true,
            })
            .cloned()
            .collect();
        let listed: Vec<String> = ids(
            &serde_json::from_slice(
                &run(&["list", "--json", "--version", &version])
                    .exits(0)
                    .stdout,
            )
            .unwrap(),
            "results",
        )
        .into_iter()
        .filter(|id| seed(id))
        .collect();
        assert_eq!(listed, expected, "list --version {version}");

        let out = run(&[
            "search",
            "--json",
            "--all",
            "--limit",
            "100",
            "--version",
            &version,
            "cluster upgrade node",
        ]);
        let searched = serde_json::from_slice::<Value>(&out.stdout).unwrap();
        assert_eq!(
            out.code,
            if searched["confident"] == true { 0 } else { 1 },
            "search --version {version}"
        );
        let seed_results: Vec<String> = ids(&searched, "results")
            .into_iter()
            .filter(|id| seed(id))
            .collect();
        // Every version of the sweep has seed entries about upgrades: an empty list would
        // pass the check below without checking anything.
        assert!(
            !seed_results.is_empty(),
            "search --version {version}: no seed entry"
        );
        for id in seed_results {
            assert!(
                expected.contains(&id),
                "search --version {version} returned {id}"
            );
        }
    }
}

#[test]
fn a_minor_line_keeps_what_any_of_its_releases_would() {
    let line = ids(
        &serde_json::from_slice(&run(&["list", "--json", "--version", "1.8"]).exits(0).stdout)
            .unwrap(),
        "results",
    );
    let mut union: Vec<String> = Vec::new();
    for patch in 0..=9 {
        let version = format!("1.8.{patch}");
        for id in ids(
            &serde_json::from_slice(
                &run(&["list", "--json", "--version", &version])
                    .exits(0)
                    .stdout,
            )
            .unwrap(),
            "results",
        ) {
            if !union.contains(&id) {
                union.push(id);
            }
        }
    }
    union.sort();
    assert_eq!(line, union);
}

#[test]
fn check_lists_what_applies_and_what_the_upgrade_fixes() {
    let out = run(&["check", "--json", "--version", "1.8.1"]);
    assert_eq!(out.code, 1, "issues apply: exit 1 like cargo-audit");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let v = parts("1.8.1");
    let expected: Vec<&str> = TABLE
        .iter()
        .filter(|(_, affected, upgrade_to, _)| {
            upgrade_to.is_empty() && affected.iter().any(|r| in_range(&v, r))
        })
        .map(|(id, ..)| *id)
        .collect();
    let mut found: Vec<String> = ids(&report, "findings")
        .into_iter()
        .filter(|id| seed(id))
        .collect();
    found.sort();
    assert_eq!(found, expected);
    let unversioned = export()
        .iter()
        .filter(|e| e["affected"].is_null() && e["fixed_in"].is_null())
        .count();
    assert_eq!(report["unspecified"], unversioned);

    let upgrade: Value = serde_json::from_slice(
        &run(&[
            "check",
            "--json",
            "--version",
            "1.7.3",
            "--upgrade-to",
            "1.8.1",
        ])
        .exits(1)
        .stdout,
    )
    .unwrap();
    let on_upgrade: Vec<&str> = upgrade["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["applies"] == "on_upgrade")
        .map(|f| f["id"].as_str().unwrap())
        .filter(|id| id.starts_with("ABM-"))
        .collect();
    assert_eq!(on_upgrade, ["ABM-0017", "ABM-0018", "ABM-0021", "ABM-0022"]);

    let fixed: Value = serde_json::from_slice(
        &run(&[
            "check",
            "--json",
            "--version",
            "1.8.1",
            "--upgrade-to",
            "1.8.2",
        ])
        .exits(1)
        .stdout,
    )
    .unwrap();
    let fixed_ids: Vec<&str> = fixed["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["fixed_by_target"] == true)
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(fixed["summary"]["fixed"], fixed_ids.len());
    let seed_fixed: Vec<&str> = fixed_ids
        .iter()
        .copied()
        .filter(|id| id.starts_with("ABM-"))
        .collect();
    assert_eq!(seed_fixed, ["ABM-0007", "ABM-0009", "ABM-0040", "ABM-0041"]);
    // The release notes' 1.8.2 fixes are counted too: the OpenStack annotation and the
    // ARP table of HA upgrades.
    assert!(fixed_ids.contains(&"GDC-0313") && fixed_ids.contains(&"GDC-0314"));
}

#[test]
fn check_refuses_bad_versions_with_the_accepted_forms() {
    for bad in ["latest", "1.x.y", "", "v1..8", "1.8.", "one"] {
        let out = run(&["check", "--version", bad]);
        assert_eq!(out.code, 2, "{bad:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.contains("use 1.8.1, v1.8.1, 1.32.200-gke.104 or 1.8"),
            "{bad:?}: {stderr}"
        );
    }
}

/// The versions `version_text` reads from an entry's own prose, as the table writes them.
fn extracted(entry: &shirube_kb::Entry) -> (Value, Value, Value) {
    let (prose, _) = shirube_kb::markdown::prose_and_code(&entry.primary().body);
    let found = shirube_kb::version_text::extract(&prose);
    let to_json = |ranges: &[shirube_kb::VersionRange]| serde_json::to_value(ranges).unwrap();
    (
        found.affected.as_deref().map_or(Value::Null, to_json),
        to_json(&found.upgrade_to),
        found
            .fixed_in
            .map_or(Value::Null, |v| Value::from(v.to_string())),
    )
}

#[test]
fn versions_read_from_the_prose_agree_with_the_table() {
    let kb =
        shirube_kb::load_kb(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("kb")).unwrap();
    let mut disagreements = Vec::new();
    // The page's own prose states what the table holds, except where later release notes
    // (the entry's `notes`) add facts the page does not have.
    let page_only = kb
        .entries
        .iter()
        .filter(|e| e.id.starts_with("ABM-") && e.source.notes.is_empty());
    for entry in page_only {
        let (affected, upgrade_to, fixed_in) = extracted(entry);
        let expected = match TABLE.iter().find(|(id, ..)| *id == entry.id) {
            Some((_, a, u, f)) => (
                ranges_json(a),
                ranges_json(u),
                f.map_or(Value::Null, Value::from),
            ),
            None => (Value::Null, Value::Array(Vec::new()), Value::Null),
        };
        if (affected.clone(), upgrade_to.clone(), fixed_in.clone()) != expected {
            disagreements.push(format!(
                "{}: read {affected} {upgrade_to} {fixed_in}, table {expected:?}",
                entry.id
            ));
        }
    }
    // (ABM-0010 and ABM-0021, where the page's prose was ambiguous, now carry the release
    // notes' facts and are not read here.)
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
