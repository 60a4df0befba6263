//! Matching text against the error strings of the knowledge base, line by line, with
//! variable parts masked (see `shirube_analysis::signature`). A line that shows a known
//! error is the strongest evidence there is: it outranks any full-text match in `search`,
//! and it is what `triage` looks for in whole logs.
//!
//! Masking a line costs far more than reading it, so a literal prefilter comes first: one
//! Aho-Corasick automaton over each known error's most distinctive word. Only lines that
//! contain one are masked and compared, and only with the errors whose word they contain.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use shirube_analysis::signature::Signature;
use shirube_kb::Entry;
use std::collections::HashMap;

/// A known error shows at least this share of its words in a line to count as seen there.
const MIN_COVERAGE: f32 = 0.75;
/// Known errors with fewer telling words than this are too generic to decide anything.
const MIN_TEXT_WORDS: usize = 3;
/// A pasted line with at least this many telling words may also match a longer known error
/// it is a part of.
const MIN_FRAGMENT_WORDS: usize = 4;
/// Lines of a paste looked at by `search`, at most.
const MAX_LINES: usize = 2000;
/// Lines longer than this are compared on their first this many bytes only.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// The best line of a text for one entry.
#[derive(Clone, Debug, PartialEq)]
pub struct KnownErrorMatch {
    /// The line, as it was.
    pub line: String,
    /// How much of the known error the line shows (or of the line the error explains), 0–1.
    pub coverage: f32,
}

/// The masked error strings of every entry, with their prefilter.
pub struct KnownErrors {
    /// `(entry index, signature)`.
    signatures: Vec<(usize, Signature)>,
    /// One pattern per distinct anchor word.
    prefilter: Option<AhoCorasick>,
    /// For each prefilter pattern, the signatures anchored on it.
    anchored: Vec<Vec<usize>>,
}

impl KnownErrors {
    pub fn new(entries: &[Entry]) -> Self {
        let mut signatures = Vec::new();
        let mut anchors: Vec<String> = Vec::new();
        let mut anchored: Vec<Vec<usize>> = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            for error in &entry.errors {
                let signature = Signature::of_known_error(error);
                if signature.text_words() < MIN_TEXT_WORDS {
                    continue;
                }
                let Some(anchor) = signature.anchor().map(str::to_string) else {
                    continue;
                };
                let pattern = anchors
                    .iter()
                    .position(|a| *a == anchor)
                    .unwrap_or_else(|| {
                        anchors.push(anchor);
                        anchored.push(Vec::new());
                        anchors.len() - 1
                    });
                anchored[pattern].push(signatures.len());
                signatures.push((i, signature));
            }
        }
        let prefilter = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&anchors)
            .ok();
        KnownErrors {
            signatures,
            prefilter,
            anchored,
        }
    }

    /// Whether `bytes` contains any anchor word at all: the cheap test a log scan runs on
    /// large blocks before looking at single lines.
    pub fn any_anchor(&self, bytes: &[u8]) -> Option<usize> {
        self.prefilter.as_ref()?.find(bytes).map(|m| m.start())
    }

    /// The entries whose known errors `line` shows, with the coverage of each.
    pub fn match_line(&self, line: &str) -> Vec<(usize, f32)> {
        let Some(prefilter) = &self.prefilter else {
            return Vec::new();
        };
        let line = crate::query::truncate(line, MAX_LINE_BYTES);
        let mut candidates: Vec<usize> = prefilter
            .find_overlapping_iter(line.as_bytes())
            .flat_map(|m| self.anchored[m.pattern().as_usize()].iter().copied())
            .collect();
        if candidates.is_empty() {
            return Vec::new();
        }
        candidates.sort_unstable();
        candidates.dedup();
        let seen = Signature::of_line(line);
        let mut found: Vec<(usize, f32)> = Vec::new();
        for index in candidates {
            let (entry, known) = &self.signatures[index];
            let mut coverage = known.coverage_in(&seen);
            if seen.text_words() >= MIN_FRAGMENT_WORDS {
                coverage = coverage.max(seen.coverage_in(known));
            }
            if coverage < MIN_COVERAGE {
                continue;
            }
            match found.iter_mut().find(|(e, _)| e == entry) {
                Some((_, best)) => *best = best.max(coverage),
                None => found.push((*entry, coverage)),
            }
        }
        found
    }

    /// The entries whose known errors `text` shows, by entry index, with the best line.
    pub fn find(&self, text: &str) -> HashMap<usize, KnownErrorMatch> {
        let mut found: HashMap<usize, KnownErrorMatch> = HashMap::new();
        for line in text.lines().take(MAX_LINES) {
            for (entry, coverage) in self.match_line(line) {
                if found
                    .get(&entry)
                    .is_none_or(|best| coverage > best.coverage)
                {
                    found.insert(
                        entry,
                        KnownErrorMatch {
                            line: line.trim().to_string(),
                            coverage,
                        },
                    );
                }
            }
        }
        found
    }
}
