//! The knowledge base learns nothing from the evaluation: no error an entry says it saw in
//! the wild, and no entry's own source, comes from a report of the real-world query set,
//! whose halves must measure text the entries were not written from.

use eval::QuerySets;
use std::collections::HashSet;
use std::path::Path;

#[test]
fn no_upstream_error_comes_from_an_evaluated_report() {
    let sets = QuerySets::load().unwrap();
    let evaluated: HashSet<&str> = sets
        .real_tuning
        .iter()
        .chain(&sets.real_heldout)
        .filter_map(|q| q.source.as_deref())
        .collect();
    assert!(evaluated.len() > 100, "the real-world set is loaded");
    let kb = shirube_kb::load_kb(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../kb"))
        .unwrap_or_else(|p| panic!("{p:#?}"));
    let seen: Vec<(&str, &str)> = kb
        .entries
        .iter()
        .flat_map(|e| {
            e.upstream
                .errors
                .iter()
                .map(move |s| (e.id.as_str(), s.source.as_str()))
        })
        .collect();
    assert!(!seen.is_empty(), "entries carry errors seen in the wild");
    let leaked: Vec<_> = seen.iter().filter(|(_, s)| evaluated.contains(s)).collect();
    assert!(leaked.is_empty(), "{leaked:?}");
    // Nor is a report of the query sets the source an entry was written from.
    let written_from: Vec<(&str, &str)> = kb
        .entries
        .iter()
        .filter_map(|e| Some((e.id.as_str(), e.source.url.as_deref()?)))
        .filter(|(_, url)| evaluated.contains(url))
        .collect();
    assert!(written_from.is_empty(), "{written_from:?}");
}
