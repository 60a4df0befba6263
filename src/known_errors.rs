//! Matching pasted text against the error strings of the knowledge base, line by line, with
//! variable parts masked (see `shirube_analysis::signature`). A line that shows a known
//! error is the strongest evidence there is: it outranks any full-text match.

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
/// Lines of a paste looked at, at most.
const MAX_LINES: usize = 2000;

/// The best line of a paste for one entry.
#[derive(Clone, Debug, PartialEq)]
pub struct KnownErrorMatch {
    /// The pasted line, as it was.
    pub line: String,
    /// How much of the known error the line shows (or of the line the error explains), 0–1.
    pub coverage: f32,
}

/// The masked error strings of every entry.
pub struct KnownErrors {
    /// `(entry index, lowercase anchor word, signature)`.
    signatures: Vec<(usize, String, Signature)>,
}

impl KnownErrors {
    pub fn new(entries: &[Entry]) -> Self {
        let mut signatures = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            for error in &entry.errors {
                let signature = Signature::of_known_error(error);
                if signature.text_words() < MIN_TEXT_WORDS {
                    continue;
                }
                if let Some(anchor) = signature.anchor().map(str::to_string) {
                    signatures.push((i, anchor, signature));
                }
            }
        }
        KnownErrors { signatures }
    }

    /// The entries whose known errors `text` shows, by entry index, with the best line.
    pub fn find(&self, text: &str) -> HashMap<usize, KnownErrorMatch> {
        let mut found: HashMap<usize, KnownErrorMatch> = HashMap::new();
        for line in text.lines().take(MAX_LINES) {
            let lower = line.to_lowercase();
            let mut seen: Option<Signature> = None;
            for (entry, anchor, known) in &self.signatures {
                if !lower.contains(anchor.as_str()) {
                    continue;
                }
                let seen = seen.get_or_insert_with(|| Signature::of_line(line));
                let mut coverage = known.coverage_in(seen);
                if seen.text_words() >= MIN_FRAGMENT_WORDS {
                    coverage = coverage.max(seen.coverage_in(known));
                }
                if coverage >= MIN_COVERAGE
                    && found.get(entry).is_none_or(|best| coverage > best.coverage)
                {
                    found.insert(
                        *entry,
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
