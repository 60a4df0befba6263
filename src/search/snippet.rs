//! Why an entry matched: the one line of it that shares the most with the query, with the
//! shared words marked. Offsets come from the analyzers, which report them in the original
//! text, so highlighting is correct on full-width and multibyte text.

use super::query::{QueryAnalyzer, QueryTerms};
use shirube_analysis::normalize;
use shirube_analysis::schema::Analyzer;
use shirube_kb::markdown::plain_text;
use shirube_kb::{Entry, Lang};
use std::collections::HashSet;
use std::ops::Range;

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

/// The best line of `entry` for `terms`: first among the document in `lang` and the error
/// strings, then among the other languages.
pub fn best_snippet(
    analyzer: &QueryAnalyzer,
    entry: &Entry,
    lang: Lang,
    terms: &QueryTerms,
) -> Option<Snippet> {
    let shown = entry.doc(lang);
    let body = plain_text(&shown.body);
    let own_lines = std::iter::once(shown.title.clone())
        .chain(body.lines().map(str::to_string))
        .chain(entry.known_errors().map(str::to_string));
    if let Some(found) = best_line(analyzer, own_lines, terms) {
        return Some(found);
    }
    let other_lines = entry
        .docs
        .iter()
        .filter(|d| d.lang != shown.lang)
        .flat_map(|d| {
            plain_text(&d.body)
                .lines()
                .map(str::to_string)
                .collect::<Vec<_>>()
        });
    best_line(analyzer, other_lines, terms)
}

/// The terms to highlight, per analyzer that has any.
type Wanted<'t> = Vec<(Analyzer, HashSet<&'t str>)>;

fn best_line(
    analyzer: &QueryAnalyzer,
    lines: impl Iterator<Item = String>,
    terms: &QueryTerms,
) -> Option<Snippet> {
    let wanted: Wanted = Analyzer::ALL
        .iter()
        .map(|&a| (a, terms.highlight_set(a)))
        .filter(|(_, set)| !set.is_empty())
        .collect();
    // Analysing a line (Japanese morphology above all) costs far more than substring tests.
    // A term the analyzers find in a line occurs in its normalised text, so the substring
    // score bounds the analysed one: analyse the most promising lines first and stop when no
    // line left can beat the best so far.
    let mut candidates: Vec<(f32, String, String)> = lines
        .filter_map(|line| {
            let line = line.trim();
            let normalized = normalize(line).text;
            let bound = substring_score(&normalized, &wanted);
            (bound > 0.0).then(|| (bound, line.to_string(), normalized))
        })
        .collect();
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut best: Option<(f32, Snippet)> = None;
    for (bound, line, normalized) in candidates {
        if best.as_ref().is_some_and(|(score, _)| *score >= bound) {
            break;
        }
        let (score, highlights) = score_line(analyzer, &line, &normalized, &wanted);
        if score > 0.0 && best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((
                score,
                Snippet {
                    text: line,
                    highlights,
                },
            ));
        }
    }
    best.map(|(_, snippet)| shorten(snippet))
}

/// What [`score_line`] would give `normalized` if every wanted term it contains were found
/// by the analyzers.
fn substring_score(normalized: &str, wanted: &Wanted) -> f32 {
    wanted
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
/// `normalized` is the line's normalised text.
fn score_line(
    query_analyzer: &QueryAnalyzer,
    line: &str,
    normalized: &str,
    wanted: &Wanted,
) -> (f32, Vec<Range<usize>>) {
    let mut score = 0.0;
    let mut ranges = Vec::new();
    for (analyzer, terms) in wanted {
        // An analyzer none of whose terms occur in the line cannot find one there.
        if !terms.iter().any(|t| occurs(normalized, t, *analyzer)) {
            continue;
        }
        let mut matched = HashSet::new();
        for token in query_analyzer.tokens(*analyzer, line) {
            if terms.contains(token.text.as_str()) {
                matched.insert(token.text.clone());
                ranges.push(token.offset_from..token.offset_to);
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
