//! An entry's lines, prepared once and kept, and the choice of the best one for a question.

use super::bounds::best_by_bounds;
use super::{Chosen, Snippet, Wanted, merge, occurs, shorten, telling};
use crate::search::query::QueryAnalyzer;
use foldhash::HashMap;
use shirube_analysis::normalize;
use shirube_analysis::schema::Analyzer;
use shirube_kb::markdown::plain_text;
use shirube_kb::{Entry, Lang};
use std::ops::Range;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The lines snippets are cut from, per entry, prepared the first time an entry is shown and
/// kept for the engine's life: turning Markdown into plain lines and analysing them do not
/// depend on the question.
///
/// Two ways to choose a line, by how often the entry is shown. The first time, substring
/// tests bound each line's score and only the most promising lines are analysed: a one-shot
/// `search` pays for little more than the lines it looks at. From the second time on (a
/// server, the evaluation), each group of lines is analysed once per analyzer into a small
/// inverted index from token to the lines that have it, and choosing a line costs a lookup
/// per question term. Both give the same score to every line. What is kept is bounded by the
/// knowledge base: every entry's text a few times over.
pub struct SnippetLines {
    /// Boxed: a slot not yet filled costs a pointer, not the size of the lines.
    entries: Vec<OnceLock<Box<EntryLines>>>,
}

/// The lines of one entry: each document's title and body lines, and the errors it quotes.
struct EntryLines {
    /// Times the entry was shown before: from the second, lines are chosen by postings.
    shown: AtomicUsize,
    /// Per document, in the entry's order: its title (when it has one) then its body lines.
    docs: Vec<(Lang, Lines)>,
    errors: Lines,
}

/// Where an analyzer's tokens are in a group of lines: by token text, the lines that have
/// it and the token's byte range in each.
type Postings = HashMap<String, Vec<(usize, Range<usize>)>>;

/// A group of non-empty, trimmed lines, and per analyzer (in [`Analyzer::ALL`] order) where
/// its tokens are, analysed when a question first needs them.
pub(super) struct Lines {
    pub(super) lines: Vec<String>,
    /// The first line is the document's title, which only the document's own language shows.
    titled: bool,
    /// The lines' normalised text, made when a question first looks at the group.
    normalized: OnceLock<Vec<String>>,
    postings: [OnceLock<Postings>; Analyzer::ALL.len()],
}

impl Lines {
    fn new(title: Option<&str>, lines: impl Iterator<Item = String>) -> Lines {
        let title = title.map(str::trim).filter(|t| !t.is_empty());
        let lines: Vec<String> = title
            .map(str::to_string)
            .into_iter()
            .chain(lines.filter_map(|l| {
                let l = l.trim();
                (!l.is_empty()).then(|| l.to_string())
            }))
            .collect();
        Lines {
            lines,
            titled: title.is_some(),
            normalized: OnceLock::new(),
            postings: Default::default(),
        }
    }

    pub(super) fn normalized(&self) -> &[String] {
        self.normalized
            .get_or_init(|| self.lines.iter().map(|l| normalize(l).text).collect())
    }

    fn postings(&self, query_analyzer: &QueryAnalyzer, analyzer: Analyzer) -> &Postings {
        let slot = Analyzer::ALL
            .iter()
            .position(|a| *a == analyzer)
            .unwrap_or(0);
        self.postings[slot].get_or_init(|| {
            let mut postings = Postings::default();
            for (line, text) in self.lines.iter().enumerate() {
                for token in query_analyzer.tokens(analyzer, text) {
                    postings
                        .entry(token.text)
                        .or_default()
                        .push((line, token.offset_from..token.offset_to));
                }
            }
            postings
        })
    }

    /// Each line's score for `wanted` (the wanted terms the analyzers find in it, weighted by
    /// [`telling`]) and its ranges to highlight; lines before `first` are left out.
    fn scores(
        &self,
        query_analyzer: &QueryAnalyzer,
        wanted: &Wanted,
        first: usize,
    ) -> Vec<(f32, Vec<Range<usize>>)> {
        let normalized = self.normalized();
        let mut scores = vec![(0.0, Vec::new()); self.lines.len()];
        for (analyzer, terms) in &wanted.by_analyzer {
            let postings = self.postings(query_analyzer, *analyzer);
            for term in terms {
                let Some(found) = postings.get(*term) else {
                    continue;
                };
                // (line, whether the term counts there): postings are in line order.
                let mut judged: Option<(usize, bool)> = None;
                for (line, range) in found.iter().filter(|(line, _)| *line >= first) {
                    if judged.is_none_or(|(judged, _)| judged != *line) {
                        let counts = occurs(&normalized[*line], term, *analyzer);
                        if counts {
                            scores[*line].0 += telling(*analyzer);
                        }
                        judged = Some((*line, counts));
                    }
                    if judged.is_some_and(|(_, counts)| counts) {
                        scores[*line].1.push(range.clone());
                    }
                }
            }
        }
        scores
    }
}

impl EntryLines {
    fn of(entry: &Entry) -> EntryLines {
        EntryLines {
            shown: AtomicUsize::new(0),
            docs: entry
                .docs
                .iter()
                .map(|doc| {
                    let body = plain_text(&doc.body);
                    let lines = Lines::new(Some(&doc.title), body.lines().map(str::to_string));
                    (doc.lang, lines)
                })
                .collect(),
            errors: Lines::new(None, entry.known_errors().map(str::to_string)),
        }
    }
}

impl SnippetLines {
    /// Room for the lines of `entries` entries, none prepared yet.
    pub fn new(entries: usize) -> SnippetLines {
        SnippetLines {
            entries: (0..entries).map(|_| OnceLock::new()).collect(),
        }
    }

    /// The best line of `entry` (at `index` in the knowledge base) for `wanted`: first among
    /// its document in `lang` and its error strings, then among the other languages' bodies;
    /// the first of equally good lines. None when no line shares a term with the question
    /// (or `index` is not an entry's).
    pub fn best(
        &self,
        analyzer: &QueryAnalyzer,
        index: usize,
        entry: &Entry,
        lang: Lang,
        wanted: &Wanted,
    ) -> Option<Snippet> {
        let lines = self
            .entries
            .get(index)?
            .get_or_init(|| Box::new(EntryLines::of(entry)));
        let indexed = lines.shown.fetch_add(1, Ordering::Relaxed) > 0;
        let shown = entry.doc(lang).lang;
        let own = lines
            .docs
            .iter()
            .filter(|(lang, _)| *lang == shown)
            .map(|(_, lines)| (lines, 0))
            .chain(std::iter::once((&lines.errors, 0)));
        if let Some(found) = best_line(analyzer, own, wanted, indexed) {
            return Some(found);
        }
        let others = lines
            .docs
            .iter()
            .filter(|(lang, _)| *lang != shown)
            .map(|(_, lines)| (lines, usize::from(lines.titled)));
        best_line(analyzer, others, wanted, indexed)
    }
}

/// The best-scoring line among `groups` (each with the first line it may choose), the first
/// of equally good ones, with its highlights: by the groups' postings when `indexed`, else
/// by analysing the lines that substring tests find promising. Both choose the same line.
fn best_line<'l>(
    analyzer: &QueryAnalyzer,
    groups: impl Iterator<Item = (&'l Lines, usize)>,
    wanted: &Wanted,
    indexed: bool,
) -> Option<Snippet> {
    let groups: Vec<(&Lines, usize)> = groups.collect();
    let best = if indexed {
        best_by_postings(analyzer, &groups, wanted)
    } else {
        let lines = groups.iter().flat_map(|(lines, first)| {
            lines
                .lines
                .iter()
                .zip(lines.normalized())
                .skip(*first)
                .map(|(text, normalized)| (text.as_str(), normalized.as_str()))
        });
        best_by_bounds(analyzer, lines, wanted)
    };
    best.map(|(text, ranges)| {
        shorten(Snippet {
            text: text.to_string(),
            highlights: merge(ranges),
        })
    })
}

fn best_by_postings<'l>(
    analyzer: &QueryAnalyzer,
    groups: &[(&'l Lines, usize)],
    wanted: &Wanted,
) -> Chosen<'l> {
    let mut best: Option<(f32, &str, Vec<Range<usize>>)> = None;
    for (lines, first) in groups {
        let scores = lines.scores(analyzer, wanted, *first);
        for (text, (score, ranges)) in lines.lines.iter().zip(scores) {
            if score > 0.0 && best.as_ref().is_none_or(|(s, ..)| score > *s) {
                best = Some((score, text, ranges));
            }
        }
    }
    best.map(|(_, text, ranges)| (text, ranges))
}
