//! Scoring a system on a query set: recall at 1 and 3 and MRR per kind and language, of
//! the ranking before abstention (so that they measure ranking, and a change of threshold
//! moves only the confidence figures), how often it abstains on unanswerable questions, and
//! how many right answers abstention withholds.

use crate::{Query, System};
use shirube::Error;
use shirube::search::{DEFAULT_LIMIT, DEFAULT_WEAK};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Scores of one group of answerable queries.
#[derive(Clone, Debug, Default)]
pub struct Group {
    /// How many answerable queries the group holds.
    pub queries: usize,
    /// How many had their answer ranked first.
    pub at1: usize,
    /// How many had their answer ranked among the first three.
    pub at3: usize,
    /// Sum of 1 / rank of each answer ranked (0 when not ranked), for MRR.
    pub reciprocal_ranks: f64,
}

impl Group {
    /// Share of queries whose answer was ranked first.
    pub fn recall_at_1(&self) -> f64 {
        ratio(self.at1 as f64, self.queries)
    }
    /// Share of queries whose answer was ranked among the first three.
    pub fn recall_at_3(&self) -> f64 {
        ratio(self.at3 as f64, self.queries)
    }
    /// Mean reciprocal rank of the answers, within the first [`DEPTH`](crate::DEPTH).
    pub fn mrr(&self) -> f64 {
        ratio(self.reciprocal_ranks, self.queries)
    }
}

fn ratio(x: f64, n: usize) -> f64 {
    if n == 0 { 0.0 } else { x / n as f64 }
}

/// A system's scores over a query set.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// By (kind, lang).
    pub groups: BTreeMap<(String, String), Group>,
    /// Unanswerable queries (negatives) asked.
    pub negatives: usize,
    /// Negatives on which the system showed nothing.
    pub abstained: usize,
    /// Answerable queries whose answer was ranked but then withheld by abstention.
    pub pushed_out: usize,
    /// Queries that have an answer in the knowledge base.
    pub answerable: usize,
    /// Answerable queries whose best candidate was their answer, before abstention.
    pub right_first: usize,
    /// Of those, the ones abstention withheld: the answers it cost.
    pub right_first_withheld: usize,
    /// Answerable queries whose answer a user sees: among the answers shown when the
    /// search is confident, else among the weak candidates shown.
    pub seen_right: usize,
    /// Answerable queries answered confidently with another entry first: a workaround
    /// applied for the wrong issue.
    pub wrong_first_answered: usize,
    /// Negatives that quote an entry's error with another cause, and how many of them were
    /// answered confidently.
    pub near_misses: usize,
    /// Near misses answered confidently anyway.
    pub near_misses_answered: usize,
    /// Misses, for reading: `kind lang expected: query -> shown`.
    pub misses: Vec<String>,
}

impl Report {
    /// The share of negatives the system abstained on.
    pub fn abstention_rate(&self) -> f64 {
        ratio(self.abstained as f64, self.negatives)
    }

    /// The share of answerable queries whose answer was ranked but withheld by abstention.
    pub fn pushed_out_rate(&self) -> f64 {
        ratio(self.pushed_out as f64, self.answerable)
    }

    /// Negatives that share only the area or generic words with an entry.
    pub fn unrelated(&self) -> usize {
        self.negatives - self.near_misses
    }

    /// The share of unrelated negatives answered confidently.
    pub fn unrelated_answered_rate(&self) -> f64 {
        let answered = (self.negatives - self.abstained) - self.near_misses_answered;
        ratio(answered as f64, self.unrelated())
    }

    /// The share of near misses answered confidently.
    pub fn near_misses_answered_rate(&self) -> f64 {
        ratio(self.near_misses_answered as f64, self.near_misses)
    }

    /// The share of right first answers that abstention withheld.
    pub fn withheld_rate(&self) -> f64 {
        ratio(self.right_first_withheld as f64, self.right_first)
    }

    /// Scores of every answerable query, whatever its kind.
    pub fn overall(&self) -> Group {
        let mut total = Group::default();
        for g in self.groups.values() {
            total.queries += g.queries;
            total.at1 += g.at1;
            total.at3 += g.at3;
            total.reciprocal_ranks += g.reciprocal_ranks;
        }
        total
    }

    /// Scores of all queries of `kind`, in every language (`lang = None`) or one.
    pub fn group(&self, kind: &str, lang: Option<&str>) -> Group {
        let mut total = Group::default();
        for ((k, l), g) in &self.groups {
            if k == kind && lang.is_none_or(|wanted| wanted == l) {
                total.queries += g.queries;
                total.at1 += g.at1;
                total.at3 += g.at3;
                total.reciprocal_ranks += g.reciprocal_ranks;
            }
        }
        total
    }
}

/// Runs `system` on every query and scores what it shows and ranks.
pub fn evaluate(system: &dyn System, queries: &[Query]) -> Result<Report, Error> {
    let mut report = Report::default();
    for query in queries {
        let ranked = system.rank(query)?;
        let Some(expected) = &query.expect else {
            report.negatives += 1;
            report.near_misses += usize::from(query.near_miss.is_some());
            if ranked.shown.is_empty() {
                report.abstained += 1;
            } else {
                report.near_misses_answered += usize::from(query.near_miss.is_some());
                report.misses.push(format!(
                    "negative {} (not abstained): {:?} -> {:?}",
                    query.lang, query.text, ranked.shown
                ));
            }
            continue;
        };
        report.answerable += 1;
        let position = ranked.shown.iter().position(|id| id == expected);
        // What `search` prints: up to its limit of answers, or its few weak candidates.
        let seen = match position {
            Some(p) => p < DEFAULT_LIMIT,
            None => {
                ranked.shown.is_empty()
                    && ranked
                        .ranked
                        .iter()
                        .take(DEFAULT_WEAK)
                        .any(|id| id == expected)
            }
        };
        report.seen_right += usize::from(seen);
        report.wrong_first_answered +=
            usize::from(ranked.shown.first().is_some_and(|first| first != expected));
        if ranked.ranked.first() == Some(expected) {
            report.right_first += 1;
            report.right_first_withheld += usize::from(position.is_none());
        }
        if position.is_none() && ranked.ranked.iter().any(|id| id == expected) {
            report.pushed_out += 1;
        }
        let group = report
            .groups
            .entry((query.kind.clone(), query.lang.clone()))
            .or_default();
        group.queries += 1;
        if let Some(p) = ranked.ranked.iter().position(|id| id == expected) {
            group.at1 += usize::from(p == 0);
            group.at3 += usize::from(p < 3);
            group.reciprocal_ranks += 1.0 / (p as f64 + 1.0);
        }
        if position != Some(0) {
            report.misses.push(format!(
                "{} {} {expected} at {}: {:?} -> {:?}",
                query.kind,
                query.lang,
                position.map_or("-".to_string(), |p| (p + 1).to_string()),
                query.text,
                ranked.shown
            ));
        }
    }
    Ok(report)
}

/// The table the harness prints: per kind and language, shirube next to the baseline.
pub fn table(ours: &Report, baseline: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| kind | lang | n | R@1 | R@3 | MRR@10 | baseline R@1 | baseline R@3 | baseline MRR@10 |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---:|---:|---:|---:|---:|");
    let mut rows: Vec<(String, String, Group, Group)> = Vec::new();
    for (kind, lang) in ours.groups.keys() {
        let (a, b) = (
            ours.group(kind, Some(lang)),
            baseline.group(kind, Some(lang)),
        );
        rows.push((kind.clone(), lang.clone(), a, b));
    }
    let kinds: std::collections::BTreeSet<&String> = ours.groups.keys().map(|(k, _)| k).collect();
    for kind in kinds {
        let (a, b) = (ours.group(kind, None), baseline.group(kind, None));
        rows.push((kind.clone(), "all".to_string(), a, b));
    }
    rows.push((
        "all".into(),
        "all".into(),
        ours.overall(),
        baseline.overall(),
    ));
    for (kind, lang, a, b) in rows {
        let _ = writeln!(
            out,
            "| {kind} | {lang} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} |",
            a.queries,
            a.recall_at_1(),
            a.recall_at_3(),
            a.mrr(),
            b.recall_at_1(),
            b.recall_at_3(),
            b.mrr()
        );
    }
    let _ = writeln!(
        out,
        "\nnegatives abstained: shirube {}/{} = {:.3}, baseline {}/{} = {:.3}",
        ours.abstained,
        ours.negatives,
        ours.abstention_rate(),
        baseline.abstained,
        baseline.negatives,
        baseline.abstention_rate()
    );
    let _ = writeln!(
        out,
        "answers pushed out by abstention: {}/{} = {:.3}",
        ours.pushed_out,
        ours.answerable,
        ours.pushed_out_rate()
    );
    let _ = writeln!(
        out,
        "right first answers withheld by abstention: {}/{} = {:.3}",
        ours.right_first_withheld,
        ours.right_first,
        ours.withheld_rate()
    );
    out
}

/// What a user of each set sees, as issue 27 counts it: right first answers given
/// confidently, right answers among what is shown (confident or weak), answerable questions
/// answered confidently with another entry first, and negatives answered confidently,
/// unrelated ones and near misses apart.
pub fn seen_by_user(sets: &[(&str, &Report, &Report)]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| query set | confident right first | right among those shown | confident wrong first | unrelated answered confidently | near misses answered confidently |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|");
    for (name, ours, _) in sets {
        let confident_right_first = ours.right_first - ours.right_first_withheld;
        let _ = writeln!(
            out,
            "| {name} | {}/{} = {:.3} | {}/{} = {:.3} | {}/{} = {:.3} | {}/{} = {:.3} | {}/{} = {:.3} |",
            confident_right_first,
            ours.answerable,
            ratio(confident_right_first as f64, ours.answerable),
            ours.seen_right,
            ours.answerable,
            ratio(ours.seen_right as f64, ours.answerable),
            ours.wrong_first_answered,
            ours.answerable,
            ratio(ours.wrong_first_answered as f64, ours.answerable),
            (ours.negatives - ours.abstained) - ours.near_misses_answered,
            ours.unrelated(),
            ours.unrelated_answered_rate(),
            ours.near_misses_answered,
            ours.near_misses,
            ours.near_misses_answered_rate()
        );
    }
    out
}

/// One line per query set: shirube's overall MRR and recall at 1 next to the baseline's, with
/// withheld answers and abstention.
pub fn summary(sets: &[(&str, &Report, &Report)]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| query set | answerable | MRR@10 | R@1 | baseline MRR@10 | baseline R@1 | right first withheld | negatives | abstained |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (name, ours, baseline) in sets {
        let (a, b) = (ours.overall(), baseline.overall());
        let _ = writeln!(
            out,
            "| {name} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {}/{} = {:.3} | {} | {:.3} |",
            a.queries,
            a.mrr(),
            a.recall_at_1(),
            b.mrr(),
            b.recall_at_1(),
            ours.right_first_withheld,
            ours.right_first,
            ours.withheld_rate(),
            ours.negatives,
            ours.abstention_rate()
        );
    }
    out
}
