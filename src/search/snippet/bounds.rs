//! Choosing a line the first time an entry is shown: analyse only the lines that substring
//! tests find promising.

use super::{Chosen, Wanted, occurs, telling};
use crate::search::query::QueryAnalyzer;
use foldhash::HashSet;
use std::ops::Range;

/// Analysing a line (Japanese morphology above all) costs far more than substring tests. A
/// term the analyzers find in a line occurs in its normalised text, so the substring score
/// bounds the analysed one: analyse the most promising lines first and stop when no line
/// left can equal the best so far.
/// `lines` are each line's text and normalised text, in the order a tie goes to the first.
pub(super) fn best_by_bounds<'l>(
    analyzer: &QueryAnalyzer,
    lines: impl Iterator<Item = (&'l str, &'l str)>,
    wanted: &Wanted,
) -> Chosen<'l> {
    // (bound, place among all the lines, text, normalised text)
    let mut candidates: Vec<(f32, usize, &str, &str)> = lines
        .enumerate()
        .filter_map(|(place, (text, normalized))| {
            let bound = substring_score(normalized, wanted);
            (bound > 0.0).then_some((bound, place, text, normalized))
        })
        .collect();
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut best: Option<(f32, usize, &str, Vec<Range<usize>>)> = None;
    for (bound, place, text, normalized) in candidates {
        if best.as_ref().is_some_and(|(score, ..)| *score > bound) {
            break;
        }
        // At best this line ties with the one chosen, which comes first.
        if best
            .as_ref()
            .is_some_and(|(score, p, ..)| *score == bound && *p < place)
        {
            continue;
        }
        let (score, ranges) = score_line(analyzer, text, normalized, wanted);
        let better = best
            .as_ref()
            .is_none_or(|(s, p, ..)| score > *s || (score == *s && place < *p));
        if score > 0.0 && better {
            best = Some((score, place, text, ranges));
        }
    }
    best.map(|(_, _, text, ranges)| (text, ranges))
}

/// What [`score_line`] would give a line whose normalised text is `normalized` if every
/// wanted term it contains were found by the analyzers.
fn substring_score(normalized: &str, wanted: &Wanted) -> f32 {
    wanted
        .by_analyzer
        .iter()
        .map(|(analyzer, terms)| {
            let found = terms
                .iter()
                .filter(|t| occurs(normalized, t, *analyzer))
                .count();
            telling(*analyzer) * found as f32
        })
        .sum()
}

/// How many wanted terms the analyzers find in `line` (weighted by [`telling`]), and where.
/// A term counts only where [`occurs`] finds it in the line's text (`normalized`) too: an
/// identifier split out of a longer word does not, and this keeps the substring score an
/// upper bound of this one.
fn score_line(
    query_analyzer: &QueryAnalyzer,
    line: &str,
    normalized: &str,
    wanted: &Wanted,
) -> (f32, Vec<Range<usize>>) {
    let mut score = 0.0;
    let mut ranges = Vec::new();
    for (analyzer, terms) in &wanted.by_analyzer {
        let occurring: HashSet<&str> = terms
            .iter()
            .copied()
            .filter(|t| occurs(normalized, t, *analyzer))
            .collect();
        if occurring.is_empty() {
            continue;
        }
        let mut matched = HashSet::default();
        for token in query_analyzer.tokens(*analyzer, line) {
            if occurring.contains(token.text.as_str()) {
                ranges.push(token.offset_from..token.offset_to);
                matched.insert(token.text);
            }
        }
        score += telling(*analyzer) * matched.len() as f32;
    }
    (score, ranges)
}
