//! Matching text against the error strings of the knowledge base, line by line, with
//! variable parts masked (see `shirube_analysis::signature`). A line that shows a known
//! error is the strongest evidence there is: it outranks any full-text match in `search`,
//! and it is what `triage` looks for in whole logs.
//!
//! Masking a line costs far more than reading it, so a literal prefilter comes first: one
//! Aho-Corasick automaton over each known error's most distinctive words (those fewest known
//! errors share), as many as a line may miss and still show it, plus one. Only lines that
//! contain one are masked, and only the errors whose words they contain are compared, first
//! by their words alone, then in order. A scan of a whole log looks for the rarest word of
//! each error only (see [`KnownErrors::any_anchor`]).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use shirube_analysis::signature::Signature;
use shirube_kb::Entry;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// A known error shows at least this share of its words in a line to count as seen there.
const MIN_COVERAGE: f32 = 0.75;
/// Known errors with fewer telling words than this are too generic to decide anything.
const MIN_TEXT_WORDS: usize = 3;
/// Anchor words shorter than this would be found inside too many unrelated words.
const MIN_ANCHOR_BYTES: usize = 4;
/// A word that more known errors than this share is only an anchor where it is the rarest
/// word of its error: in a large knowledge base, a common word (`pods`) would make every
/// line a candidate for thousands of errors.
const MAX_ANCHOR_SHARING: usize = 64;
/// A pasted line with at least this many telling words may also match a longer known error
/// it is a part of.
const MIN_FRAGMENT_WORDS: usize = 4;
/// Knowledge bases with fewer entries than this mask their errors on one thread.
const PARALLEL_ENTRIES: usize = 10_000;
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
    /// The rarest anchor word of each known error: what a scan of a whole log looks for.
    rarest: Vec<String>,
    /// The automaton over `rarest`, built on the first scan: `search` never needs it.
    scan: OnceLock<Option<AhoCorasick>>,
}

impl KnownErrors {
    pub fn new(entries: &[Entry]) -> Self {
        let signatures = masked_errors(entries);
        let mut sharing: HashMap<&str, usize> = HashMap::new();
        for (_, signature) in &signatures {
            for word in signature.text().collect::<HashSet<_>>() {
                *sharing.entry(word).or_default() += 1;
            }
        }
        let mut patterns: HashMap<&str, usize> = HashMap::new();
        let mut anchors: Vec<&str> = Vec::new();
        let mut anchored: Vec<Vec<usize>> = Vec::new();
        let mut rarest: HashSet<&str> = HashSet::new();
        for (index, (_, signature)) in signatures.iter().enumerate() {
            let words = anchor_words(signature, &sharing);
            rarest.extend(words.first());
            for anchor in words {
                let pattern = *patterns.entry(anchor).or_insert_with(|| {
                    anchors.push(anchor);
                    anchored.push(Vec::new());
                    anchors.len() - 1
                });
                anchored[pattern].push(index);
            }
        }
        let mut rarest: Vec<String> = rarest.into_iter().map(str::to_string).collect();
        rarest.sort_unstable();
        // A question is a few lines: building a DFA would cost more than it saves.
        let prefilter = automaton(&anchors, Some(AhoCorasickKind::ContiguousNFA));
        KnownErrors {
            prefilter,
            signatures,
            anchored,
            rarest,
            scan: OnceLock::new(),
        }
    }

    /// Where `bytes` first contains the rarest anchor word of some known error: the cheap
    /// test a scan of a whole log runs on large blocks before looking at single lines. Only
    /// the rarest: a log is mostly lines with the commoner ones (`pods`, `nodes`), and
    /// masking them all made `bench/triage.sh` 15 times slower (38 s instead of 2.5 s for
    /// 1 GB). So `triage` misses a line that shows a known error without its rarest word,
    /// which `search` finds.
    pub fn any_anchor(&self, bytes: &[u8]) -> Option<usize> {
        let scan = self.scan.get_or_init(|| automaton(&self.rarest, None));
        scan.as_ref()?.find(bytes).map(|m| m.start())
    }

    /// The entries whose known errors `line` shows, with the coverage of each.
    pub fn match_line(&self, line: &str) -> Vec<(usize, f32)> {
        let Some(prefilter) = &self.prefilter else {
            return Vec::new();
        };
        let line = crate::search::query::truncate(line, MAX_LINE_BYTES);
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
        let seen_text: HashSet<&str> = seen.text().collect();
        let fragment = seen.text_words() >= MIN_FRAGMENT_WORDS;
        let mut found: Vec<(usize, f32)> = Vec::new();
        for index in candidates {
            let (entry, known) = &self.signatures[index];
            // Aligning words costs a table per pair; most candidates fail on their words.
            let could_match = known.coverage_bound(|w| seen_text.contains(w)) >= MIN_COVERAGE
                || (fragment
                    && seen.coverage_bound(|w| known.text().any(|k| k == w)) >= MIN_COVERAGE);
            if !could_match {
                continue;
            }
            let mut coverage = known.coverage_in(&seen);
            if fragment {
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

    /// [`KnownErrors::match_line`], remembering the answer for lines of the same shape: a
    /// log repeats its errors, and comparing a line costs far more than looking it up.
    pub fn match_line_remembered<'m>(
        &self,
        line: &str,
        memo: &'m mut LineMemo,
    ) -> &'m [(usize, f32)] {
        memo.shape_of(line);
        if !memo.seen.contains_key(&memo.shape) {
            if memo.seen.len() >= LineMemo::CAPACITY {
                memo.seen.clear();
            }
            memo.seen.insert(memo.shape.clone(), self.match_line(line));
        }
        &memo.seen[&memo.shape]
    }

    /// How closely the best of `quoted` resembles one of the known errors of `entry`, from 0
    /// (no words in common, in order) to 1 (one shows a known error whole, or lies whole
    /// inside one); `None` when the entry or `quoted` has no error.
    pub fn resemblance(&self, entry: usize, quoted: &[Signature]) -> Option<f32> {
        // Signatures are in entry order.
        let first = self.signatures.partition_point(|(e, _)| *e < entry);
        let last = self.signatures.partition_point(|(e, _)| *e <= entry);
        self.signatures[first..last]
            .iter()
            .flat_map(|(_, known)| {
                quoted
                    .iter()
                    .map(move |q| known.coverage_in(q).max(q.coverage_in(known)))
            })
            .reduce(f32::max)
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

/// A case-insensitive automaton over `words`, of the given kind or of the one the crate
/// picks (a DFA for few words: the fastest to scan with, the slowest to build).
fn automaton<W: AsRef<[u8]>>(words: &[W], kind: Option<AhoCorasickKind>) -> Option<AhoCorasick> {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .kind(kind)
        .build(words)
        .ok()
}

/// The words a line must contain one of to be compared with `signature`: its rarest long
/// words, rarest first (the longer of equally rare ones), one more than a line showing it
/// may miss. A line shows a known error when it has [`MIN_COVERAGE`] of its word weight, so
/// it may lack that many text words, but never all of these. Words after the first that
/// more than [`MAX_ANCHOR_SHARING`] errors share are left out, and with them that promise.
/// A signature without long words is anchored on its longest word.
fn anchor_words<'s>(signature: &'s Signature, sharing: &HashMap<&str, usize>) -> Vec<&'s str> {
    let mut seen = HashSet::new();
    let mut words: Vec<&str> = signature
        .text()
        .filter(|w| w.len() >= MIN_ANCHOR_BYTES && seen.insert(*w))
        .collect();
    if words.is_empty() {
        return signature
            .text()
            .max_by_key(|w| w.len())
            .into_iter()
            .collect();
    }
    // Stable: of equally rare and long words, the first in the error.
    words.sort_by_key(|w| (sharing[w], std::cmp::Reverse(w.len())));
    let may_miss = ((1.0 - MIN_COVERAGE) * signature.weight()).floor() as usize;
    words.truncate(may_miss + 1);
    let rarest = words[0];
    words.retain(|w| *w == rarest || sharing[w] <= MAX_ANCHOR_SHARING);
    words
}

/// Every entry's known errors, masked, with the index of their entry: those with too few
/// telling words are left out. A knowledge base of 100,000 entries has as many errors to
/// mask before the first search, so the work is shared among the cores.
fn masked_errors(entries: &[Entry]) -> Vec<(usize, Signature)> {
    let mask = |first: usize, chunk: &[Entry]| -> Vec<(usize, Signature)> {
        chunk
            .iter()
            .enumerate()
            .flat_map(|(i, entry)| {
                entry
                    .known_errors()
                    .map(move |error| (first + i, Signature::of_known_error(error)))
            })
            .filter(|(_, signature)| signature.text_words() >= MIN_TEXT_WORDS)
            .collect()
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads == 1 || entries.len() < PARALLEL_ENTRIES {
        return mask(0, entries);
    }
    let size = entries.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = entries
            .chunks(size)
            .enumerate()
            .map(|(n, chunk)| scope.spawn(move || mask(n * size, chunk)))
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// Answers of [`KnownErrors::match_line`] by the shape of a line: the line with every digit
/// made `0`. Two lines of one shape differ only in the values of their digits, which masking
/// turns into the same variable parts and no anchor word contains, so they match alike.
#[derive(Debug, Default)]
pub struct LineMemo {
    seen: HashMap<String, Vec<(usize, f32)>>,
    /// The shape of the line being looked up, in a buffer used again for every line.
    shape: String,
}

impl LineMemo {
    /// Shapes remembered before the memo starts over: a few MB at most.
    const CAPACITY: usize = 16_384;

    fn shape_of(&mut self, line: &str) {
        self.shape.clear();
        self.shape.extend(
            line.chars()
                .map(|c| if c.is_ascii_digit() { '0' } else { c }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::embedded::knowledge_base;

    #[test]
    fn remembered_answers_are_the_answers() {
        let known = KnownErrors::new(&knowledge_base().unwrap().entries);
        let mut memo = LineMemo::default();
        let lines = [
            "F0624 19:05:08.009646       1 server.go:495] open /proc/sys/net/netfilter/nf_conntrack_max: permission denied",
            "F1103 02:11:07.551020       7 server.go:495] open /proc/sys/net/netfilter/nf_conntrack_max: permission denied",
            "[2024-11-03 02:14:10+0000] Error: preflight check failed on 10.200.0.7: Docker service is not active",
            "[2024-11-03 02:14:11+0000] Error: preflight check failed on 10.200.0.8: Docker service is not active",
            "an ordinary line 42",
            "an ordinary line 43",
        ];
        for line in lines {
            let fresh = known.match_line(line);
            assert_eq!(
                known.match_line_remembered(line, &mut memo),
                fresh.as_slice(),
                "{line}"
            );
        }
    }
}
