//! `search` and `list`: `{"query": ..., "results": [...]}`.

use super::context::ContextReport;
use super::entry::EntrySummary;
use crate::search::{Hit, Ranking};
use serde::Serialize;
use shirube_kb::{Entry, KnowledgeBase, Lang, VersionQuery};
use std::ops::Range;

/// A list of entries: the hits of a search, or the entries `list` shows.
#[derive(Clone, Debug, Serialize)]
pub struct SearchReport<'a> {
    /// The query text; `null` for `list`.
    pub query: Option<&'a str>,
    /// Whether the results answer the query; when not, they are weak candidates. `true`
    /// for `list`.
    pub confident: bool,
    /// The entries: for `search`, the hits shown, best first; for `list`, the entries it
    /// lists.
    pub results: Vec<SearchResult<'a>>,
    /// The entries that answer the query best but that `--version` excludes (at most one).
    pub excluded: Vec<Excluded<'a>>,
    /// The display language.
    #[serde(skip)]
    pub lang: Lang,
    /// The version the search was narrowed to.
    #[serde(skip)]
    pub version: Option<String>,
    /// Candidates withheld because none was confident (`--all` shows them).
    #[serde(skip)]
    pub withheld: usize,
}

/// An entry that answers the query but not for the version asked about.
#[derive(Clone, Debug, Serialize)]
pub struct Excluded<'a> {
    /// The entry's fields (the README's JSON contract), flattened into this one.
    #[serde(flatten)]
    pub entry: EntrySummary<'a>,
    /// How sure the search is that this entry answers the query, 0–1.
    pub confidence: f32,
    /// The version asked about is at or past the entry's fix. An entry can be excluded
    /// below its fix too: ABM-0018 hits upgrades *from* 1.7.x and is fixed in 1.8.2, so
    /// 1.8.1 is neither affected nor past the fix.
    #[serde(skip)]
    pub past_fix: bool,
}

/// One entry of a result list.
#[derive(Clone, Debug, Serialize)]
pub struct SearchResult<'a> {
    /// The entry's fields (the README's JSON contract), flattened into the result.
    #[serde(flatten)]
    pub entry: EntrySummary<'a>,
    /// Relevance for `search`; `null` for `list`.
    pub score: Option<f32>,
    /// The line that matched, for `search`; `null` for `list`.
    pub snippet: Option<&'a str>,
    /// How sure the search is that this entry answers the query, 0–1; `null` for `list`.
    pub confidence: Option<f32>,
    /// A candidate shown although no candidate reached the confidence threshold; `null`
    /// for `list`.
    pub weak: Option<bool>,
    /// The pasted line that showed one of the entry's known errors.
    pub matched_line: Option<&'a str>,
    /// Whether the entry applies to the cluster asked from, as far as the facts known
    /// (given, or stated by the question) tell; `null` for `list`.
    pub context: Option<ContextReport>,
    /// Byte ranges of `snippet` to highlight.
    #[serde(skip)]
    pub highlights: &'a [Range<usize>],
}

impl<'a> SearchReport<'a> {
    /// The hits `ranking` shows for `query`, narrowed to `version`.
    pub fn of_search(
        query: &'a str,
        version: Option<&VersionQuery>,
        ranking: &'a Ranking<'a>,
        kb: &'a KnowledgeBase,
    ) -> Self {
        SearchReport {
            query: Some(query),
            confident: ranking.decision.answered,
            results: ranking
                .shown
                .iter()
                .map(|hit| SearchResult::of_hit(hit, ranking.lang, kb))
                .collect(),
            excluded: ranking
                .excluded
                .iter()
                .map(|hit| Excluded {
                    entry: EntrySummary::new(hit.entry, ranking.lang, kb),
                    confidence: hit.confidence,
                    past_fix: match (version, &hit.entry.versions.fixed_in) {
                        (Some(asked), Some(fixed)) => asked.low >= *fixed,
                        _ => false,
                    },
                })
                .collect(),
            lang: ranking.lang,
            version: version.map(ToString::to_string),
            withheld: ranking.withheld.len(),
        }
    }

    /// `entries` as `list` shows them.
    pub fn of_list(entries: &[&'a Entry], lang: Lang, kb: &'a KnowledgeBase) -> Self {
        SearchReport {
            query: None,
            confident: true,
            results: entries
                .iter()
                .map(|entry| SearchResult {
                    entry: EntrySummary::new(entry, lang, kb),
                    score: None,
                    snippet: None,
                    confidence: None,
                    weak: None,
                    matched_line: None,
                    context: None,
                    highlights: &[],
                })
                .collect(),
            excluded: Vec::new(),
            lang,
            version: None,
            withheld: 0,
        }
    }
}

impl<'a> SearchResult<'a> {
    fn of_hit(hit: &'a Hit<'a>, lang: Lang, kb: &'a KnowledgeBase) -> Self {
        SearchResult {
            entry: EntrySummary::new(hit.entry, lang, kb),
            score: Some(hit.score),
            snippet: hit.snippet.as_ref().map(|s| s.text.as_str()),
            confidence: Some(hit.confidence),
            weak: Some(hit.weak),
            matched_line: hit.known_error.as_ref().map(|k| k.line.as_str()),
            context: Some(ContextReport::of(&hit.context)),
            highlights: hit.snippet.as_ref().map_or(&[], |s| &s.highlights),
        }
    }
}
