//! Why an entry matched: the one line of it that shares the most with the query, with the
//! shared words marked. Offsets come from the analyzers, which report them in the original
//! text, so highlighting is correct on full-width and multibyte text.

use super::query::{QueryAnalyzer, QueryTerms};
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use shirube_analysis::normalize;
use shirube_analysis::schema::Analyzer;
use shirube_kb::markdown::plain_text;
use shirube_kb::{Entry, Lang};
use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

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
/// kept for the engine's life. Turning Markdown into plain lines, normalising them and
/// analysing them do not depend on the question, and a server or the evaluation shows the
/// same entries again and again; a one-shot `search` prepares only the entries it shows and
/// analyses only the lines and analyzers its question needs, as it did before the cache.
/// What is kept is bounded by the knowledge base: every entry's text a few times over.
pub struct SnippetLines {
    entries: Vec<OnceLock<EntryLines>>,
}

/// The lines of one entry: each document's title and body lines, and the errors it quotes.
struct EntryLines {
    /// Per document, in the entry's order: the title (in `own` only), then the body lines.
    docs: Vec<(Lang, Option<Line>, Vec<Line>)>,
    errors: Vec<Line>,
}

/// An analyzer's tokens of a line: their text and where they are in it.
type Tokens = Vec<(String, Range<usize>)>;

/// One non-empty line, trimmed, with what choosing it needs.
struct Line {
    text: String,
    normalized: String,
    /// The tokens of each analyzer (in [`Analyzer::ALL`] order): their text and where they
    /// are in `text`. Analysed when a question first needs them.
    tokens: [OnceLock<Tokens>; Analyzer::ALL.len()],
}

impl Line {
    fn new(line: &str) -> Option<Line> {
        let text = line.trim();
        (!text.is_empty()).then(|| Line {
            text: text.to_string(),
            normalized: normalize(text).text,
            tokens: Default::default(),
        })
    }

    fn tokens(
        &self,
        query_analyzer: &QueryAnalyzer,
        analyzer: Analyzer,
    ) -> &[(String, Range<usize>)] {
        let slot = Analyzer::ALL
            .iter()
            .position(|a| *a == analyzer)
            .unwrap_or(0);
        self.tokens[slot].get_or_init(|| {
            query_analyzer
                .tokens(analyzer, &self.text)
                .into_iter()
                .map(|token| (token.text, token.offset_from..token.offset_to))
                .collect()
        })
    }
}

impl EntryLines {
    fn of(entry: &Entry) -> EntryLines {
        let lines = |text: &str| text.lines().filter_map(Line::new).collect::<Vec<_>>();
        EntryLines {
            docs: entry
                .docs
                .iter()
                .map(|doc| {
                    let title = Line::new(&doc.title);
                    (doc.lang, title, lines(&plain_text(&doc.body)))
                })
                .collect(),
            errors: entry.known_errors().filter_map(Line::new).collect(),
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

    /// The best line of `entry` (at `index` in the knowledge base) for `terms`: first among
    /// its document in `lang` and its error strings, then among the other languages' bodies.
    /// None when no line shares a term with the question (or `index` is not an entry's).
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
            .get_or_init(|| EntryLines::of(entry));
        let shown = entry.doc(lang).lang;
        let own = lines
            .docs
            .iter()
            .filter(|(lang, ..)| *lang == shown)
            .flat_map(|(_, title, body)| title.iter().chain(body))
            .chain(&lines.errors);
        if let Some(found) = best_line(analyzer, own, wanted) {
            return Some(found);
        }
        let others = lines
            .docs
            .iter()
            .filter(|(lang, ..)| *lang != shown)
            .flat_map(|(_, _, body)| body);
        best_line(analyzer, others, wanted)
    }
}

/// The terms of a question a snippet looks for, per analyzer, and one automaton that finds
/// all of them in a line in one pass: a pasted log brings dozens of terms, and testing each
/// against every line of every hit was most of the time of its snippets.
pub struct Wanted<'t> {
    /// Per analyzer that has any, the terms to highlight.
    by_analyzer: Vec<(Analyzer, HashSet<&'t str>)>,
    /// The distinct texts of all those terms, and the analyzers that want each.
    patterns: Vec<(&'t str, Vec<Analyzer>)>,
    /// Finds `patterns` (by index), overlapping ones included. None when there are none.
    finder: Option<AhoCorasick>,
}

impl<'t> Wanted<'t> {
    pub fn new(terms: &'t QueryTerms) -> Wanted<'t> {
        let by_analyzer: Vec<(Analyzer, HashSet<&str>)> = Analyzer::ALL
            .iter()
            .map(|&a| (a, terms.highlight_set(a)))
            .filter(|(_, set)| !set.is_empty())
            .collect();
        let mut patterns: Vec<(&str, Vec<Analyzer>)> = Vec::new();
        for (analyzer, set) in &by_analyzer {
            let mut texts: Vec<&str> = set.iter().copied().collect();
            texts.sort_unstable();
            for text in texts {
                match patterns.iter_mut().find(|(t, _)| *t == text) {
                    Some((_, analyzers)) => analyzers.push(*analyzer),
                    None => patterns.push((text, vec![*analyzer])),
                }
            }
        }
        // A few lines are searched per question: an NFA builds in a fraction of a DFA's time.
        let finder = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .match_kind(MatchKind::Standard)
            .build(patterns.iter().map(|(text, _)| text))
            .ok()
            .filter(|_| !patterns.is_empty());
        Wanted {
            by_analyzer,
            patterns,
            finder,
        }
    }

    /// The (pattern, analyzer) pairs an analyzer could find in a line whose normalised text
    /// is `normalized`: English stems start a word, identifiers are whole words, Japanese
    /// terms and bigrams occur anywhere.
    fn occurring(&self, normalized: &str) -> Vec<(usize, Analyzer)> {
        let Some(finder) = &self.finder else {
            return Vec::new();
        };
        let mut found: Vec<(usize, Analyzer)> = Vec::new();
        for m in finder.find_overlapping_iter(normalized) {
            let pattern = m.pattern().as_usize();
            for &analyzer in &self.patterns[pattern].1 {
                if !found.contains(&(pattern, analyzer))
                    && at_boundaries(normalized, m.start()..m.end(), analyzer)
                {
                    found.push((pattern, analyzer));
                }
            }
        }
        found
    }
}

/// Whether `analyzer` could have made a token of `normalized[range]`.
fn at_boundaries(normalized: &str, range: Range<usize>, analyzer: Analyzer) -> bool {
    let (start, end) = match analyzer {
        Analyzer::Japanese | Analyzer::Bigram => return true,
        Analyzer::English => (true, false),
        Analyzer::Identifier => (true, true),
    };
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let before = normalized[..range.start].chars().next_back();
    let after = normalized[range.end..].chars().next();
    (!start || !before.is_some_and(is_word)) && (!end || !after.is_some_and(is_word))
}

fn best_line<'l>(
    analyzer: &QueryAnalyzer,
    lines: impl Iterator<Item = &'l Line>,
    wanted: &Wanted,
) -> Option<Snippet> {
    // Analysing a line (Japanese morphology above all) costs far more than substring tests.
    // A term the analyzers find in a line occurs in its normalised text, so the substring
    // score bounds the analysed one: analyse the most promising lines first and stop when no
    // line left can beat the best so far.
    let mut candidates: Vec<(f32, &Line, Vec<Analyzer>)> = lines
        .filter_map(|line| {
            let occurring = wanted.occurring(&line.normalized);
            let bound: f32 = occurring.iter().map(|(_, a)| telling(*a)).sum();
            let mut analyzers: Vec<Analyzer> = occurring.into_iter().map(|(_, a)| a).collect();
            analyzers.sort_unstable();
            analyzers.dedup();
            (bound > 0.0).then_some((bound, line, analyzers))
        })
        .collect();
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut best: Option<(f32, Snippet)> = None;
    for (bound, line, analyzers) in candidates {
        if best.as_ref().is_some_and(|(score, _)| *score >= bound) {
            break;
        }
        let (score, highlights) = score_line(analyzer, line, wanted, &analyzers);
        if score > 0.0 && best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((
                score,
                Snippet {
                    text: line.text.clone(),
                    highlights,
                },
            ));
        }
    }
    best.map(|(_, snippet)| shorten(snippet))
}

/// How many wanted terms the analyzers find in `line` (weighted by [`telling`]), and where.
/// Only `analyzers` are asked: the others have no term in the line's text.
fn score_line(
    query_analyzer: &QueryAnalyzer,
    line: &Line,
    wanted: &Wanted,
    analyzers: &[Analyzer],
) -> (f32, Vec<Range<usize>>) {
    let mut score = 0.0;
    let mut ranges = Vec::new();
    for (analyzer, terms) in &wanted.by_analyzer {
        if !analyzers.contains(analyzer) {
            continue;
        }
        let mut matched = HashSet::new();
        for (text, range) in line.tokens(query_analyzer, *analyzer) {
            if terms.contains(text.as_str()) {
                matched.insert(text.as_str());
                ranges.push(range.clone());
            }
        }
        score += telling(*analyzer) * matched.len() as f32;
    }
    (score, merge(ranges))
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

    /// Whether `analyzer` could find `term` in `normalized`.
    fn occurs(normalized: &str, term: &str, analyzer: Analyzer) -> bool {
        normalized
            .match_indices(term)
            .any(|(at, _)| at_boundaries(normalized, at..at + term.len(), analyzer))
    }

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
