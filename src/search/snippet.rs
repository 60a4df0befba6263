//! Why an entry matched: the one line of it that shares the most with the query, with the
//! shared words marked. Offsets come from the analyzers, which report them in the original
//! text, so highlighting is correct on full-width and multibyte text.

use super::query::{QueryAnalyzer, QueryTerms};
use shirube_analysis::normalize;
use shirube_analysis::schema::Analyzer;
use shirube_kb::markdown::plain_text;
use shirube_kb::{Entry, Lang};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Snippets longer than this many characters are cut around their first highlight.
const MAX_CHARS: usize = 160;

/// One line of an entry with the byte ranges to highlight.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    /// Sorted, non-overlapping byte ranges into `text`.
    pub highlights: Vec<Range<usize>>,
}

impl Snippet {
    /// A whole line, all of it highlighted: a pasted line that showed a known error.
    pub fn whole_line(line: &str) -> Snippet {
        shorten(Snippet {
            text: line.to_string(),
            highlights: std::iter::once(0..line.len()).collect(),
        })
    }
}

/// How telling a shared term of each analyzer is when choosing the line.
fn telling(analyzer: Analyzer) -> f32 {
    match analyzer {
        Analyzer::Identifier => 3.0,
        Analyzer::Japanese => 1.5,
        Analyzer::English => 1.0,
        Analyzer::Bigram => 0.5,
    }
}

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
struct Lines {
    lines: Vec<String>,
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

    fn normalized(&self) -> &[String] {
        self.normalized
            .get_or_init(|| self.lines.iter().map(|l| normalize(l).text).collect())
    }

    fn postings(&self, query_analyzer: &QueryAnalyzer, analyzer: Analyzer) -> &Postings {
        let slot = Analyzer::ALL
            .iter()
            .position(|a| *a == analyzer)
            .unwrap_or(0);
        self.postings[slot].get_or_init(|| {
            let mut postings = Postings::new();
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

/// The terms of a question a snippet looks for, per analyzer that has any.
pub struct Wanted<'t> {
    by_analyzer: Vec<(Analyzer, HashSet<&'t str>)>,
}

impl<'t> Wanted<'t> {
    pub fn new(terms: &'t QueryTerms) -> Wanted<'t> {
        Wanted {
            by_analyzer: Analyzer::ALL
                .iter()
                .map(|&a| (a, terms.highlight_set(a)))
                .filter(|(_, set)| !set.is_empty())
                .collect(),
        }
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
        best_by_bounds(analyzer, &groups, wanted)
    };
    best.map(|(text, ranges)| {
        shorten(Snippet {
            text: text.to_string(),
            highlights: merge(ranges),
        })
    })
}

/// A line chosen, and the byte ranges of it to highlight (unsorted, maybe overlapping).
type Chosen<'l> = Option<(&'l str, Vec<Range<usize>>)>;

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

/// Analysing a line (Japanese morphology above all) costs far more than substring tests. A
/// term the analyzers find in a line occurs in its normalised text, so the substring score
/// bounds the analysed one: analyse the most promising lines first and stop when no line
/// left can equal the best so far.
fn best_by_bounds<'l>(
    analyzer: &QueryAnalyzer,
    groups: &[(&'l Lines, usize)],
    wanted: &Wanted,
) -> Chosen<'l> {
    // (bound, place among all the lines, text, normalised text)
    let mut candidates: Vec<(f32, usize, &str, &str)> = groups
        .iter()
        .flat_map(|(lines, first)| lines.lines.iter().zip(lines.normalized()).skip(*first))
        .enumerate()
        .filter_map(|(place, (text, normalized))| {
            let bound = substring_score(normalized, wanted);
            (bound > 0.0).then_some((bound, place, text.as_str(), normalized.as_str()))
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

/// Whether `analyzer` could find `term` in a line whose normalised text is `normalized`:
/// English stems start a word, identifiers are whole words, Japanese terms and bigrams occur
/// anywhere.
fn occurs(normalized: &str, term: &str, analyzer: Analyzer) -> bool {
    let (start, end) = match analyzer {
        Analyzer::Japanese | Analyzer::Bigram => return normalized.contains(term),
        Analyzer::English => (true, false),
        Analyzer::Identifier => (true, true),
    };
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    normalized.match_indices(term).any(|(at, _)| {
        let before = normalized[..at].chars().next_back();
        let after = normalized[at + term.len()..].chars().next();
        (!start || !before.is_some_and(is_word)) && (!end || !after.is_some_and(is_word))
    })
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
        let mut matched = HashSet::new();
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

/// Sorts and merges overlapping or touching ranges.
fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// Cuts a long line to about [`MAX_CHARS`] characters around its first highlight, marking the
/// cuts with `…`, and moves the highlights along.
fn shorten(snippet: Snippet) -> Snippet {
    let text = &snippet.text;
    if text.chars().count() <= MAX_CHARS {
        return snippet;
    }
    let focus = snippet.highlights.first().map_or(0, |r| r.start);
    let before = text[..focus].chars().count();
    let start_char = before.saturating_sub(MAX_CHARS / 4);
    let start = text.char_indices().nth(start_char).map_or(0, |(i, _)| i);
    let end = text[start..]
        .char_indices()
        .nth(MAX_CHARS)
        .map_or(text.len(), |(i, _)| start + i);
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if end < text.len() { "…" } else { "" };
    let shift = prefix.len();
    let highlights = snippet
        .highlights
        .iter()
        .filter(|r| r.start >= start && r.end <= end)
        .map(|r| r.start - start + shift..r.end - start + shift)
        .collect();
    Snippet {
        text: format!("{prefix}{}{suffix}", &text[start..end]),
        highlights,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_stems_start_words_and_identifiers_are_whole_words() {
        assert!(occurs("permission denied", "permiss", Analyzer::English));
        assert!(!occurs("the network is down", "work", Analyzer::English));
        assert!(occurs("open /proc/sys/net", "net", Analyzer::Identifier));
        assert!(!occurs("the network", "net", Analyzer::Identifier));
        assert!(occurs("ノードの証明書", "証明", Analyzer::Bigram));
    }

    #[test]
    fn ranges_merge_when_they_touch() {
        assert_eq!(merge(vec![5..8, 0..2, 1..3, 8..9]), vec![0..3, 5..9]);
    }

    #[test]
    fn long_lines_are_cut_around_the_first_highlight_on_char_boundaries() {
        let text = format!("{}証明書{}", "あ".repeat(300), "い".repeat(300));
        let start = text.find('証').unwrap();
        let cut = shorten(Snippet {
            text: text.clone(),
            highlights: std::iter::once(start..start + "証明書".len()).collect(),
        });
        let h = &cut.highlights[0];
        assert_eq!(&cut.text[h.clone()], "証明書");
        assert!(cut.text.starts_with('…') && cut.text.ends_with('…'));
    }
}
