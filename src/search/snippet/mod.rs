//! Why an entry matched: the one line of it that shares the most with the query, with the
//! shared words marked. Offsets come from the analyzers, which report them in the original
//! text, so highlighting is correct on full-width and multibyte text.
//!
//! Choosing the line is the costly part, and has two ways (see [`SnippetLines`]): by bounded
//! analysis of promising lines (`bounds.rs`) the first time an entry is shown, by a
//! per-entry inverted index (`lines.rs`) from then on. Both count a term in a line by the
//! same rule (`occurs`).

mod bounds;
mod lines;

pub use lines::SnippetLines;

use super::query::QueryTerms;
use foldhash::HashSet;
use shirube_analysis::schema::Analyzer;
use std::ops::Range;

/// Snippets longer than this many characters are cut around their first highlight.
const MAX_CHARS: usize = 160;

/// A line chosen, and the byte ranges of it to highlight (unsorted, maybe overlapping).
type Chosen<'l> = Option<(&'l str, Vec<Range<usize>>)>;

/// One line of an entry with the byte ranges to highlight.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippet {
    /// The line; a long one is cut around its first highlight, the cuts marked with `…`.
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

/// The terms of a question a snippet looks for, per analyzer that has any.
pub struct Wanted<'t> {
    by_analyzer: Vec<(Analyzer, HashSet<&'t str>)>,
}

impl<'t> Wanted<'t> {
    /// The terms of `terms` a snippet marks, the user's own and the glossary's, for each
    /// analyzer that has any.
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
