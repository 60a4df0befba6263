//! Matching text against the error strings of the knowledge base, line by line, with
//! variable parts masked (see `shirube_analysis::signature`). A line that shows a known
//! error is the strongest evidence there is: it outranks any full-text match in `search`,
//! and it is what `triage` looks for in whole logs.
//!
//! Which known errors a line could show is decided by the build step
//! ([`KnownErrorTable`]): each known error is anchored on its most distinctive words, and
//! only the errors a line has anchor words of are masked and compared, first by their words
//! alone, then in order. Opening costs nothing per known error, so a knowledge base of
//! 100,000 entries opens as fast as one of 42. A scan of a whole log looks for the rarest
//! word of each error only (see [`KnownErrors::any_anchor`]).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use foldhash::{HashMap, HashSet};
use shirube_analysis::known_error_table::{
    KnownErrorTable, MIN_COVERAGE, is_decisive, is_telling, messages_said, says_all,
};
use shirube_analysis::signature::Signature;
use shirube_kb::Error;
use shirube_kb::entries::Entries;
use std::sync::OnceLock;

/// A pasted line with at least this many telling words may also match a longer known error
/// it is a part of.
const MIN_FRAGMENT_WORDS: usize = 4;
/// A line in which a known error accounts for less than this share of the words is
/// another program's message that quotes the error (an operator's JSON log that embeds a
/// Kubernetes API error, say): it ranks the entry, and the confidence it gives falls in
/// proportion, so that the rest of the question decides.
const MIN_EXPLAINED: f32 = 0.3;
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
    /// How much of the known error the line shows, 0–1: what a match is worth as
    /// confidence (see [`LineMatch::shown`]).
    pub shown: f32,
}

/// An entry one of whose known errors a line shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LineMatch {
    /// The entry, by index.
    pub entry: usize,
    /// How much of the known error the line shows or, for a line that is a fragment of a
    /// longer known error, how much of the line the error explains: what ranks.
    pub coverage: f32,
    /// How much of the known error the line shows. A fragment ("error setting label on mount source"
    /// of a 40-word SELinux error) is a reason to rank the entry, and little reason to be
    /// sure of it: most of the error is not there, and a fragment is what every other
    /// problem that ends in the same words prints too. Less when the error is a small part
    /// of the line ([`MIN_EXPLAINED`]); 0 for a known error that is little more than a
    /// message every log prints (`is_decisive`), and 0 when the line does not say the
    /// messages every log prints that the error says (`messages_said`): those say what
    /// failed, and the rest only where.
    pub shown: f32,
}

/// A known error, masked, whether a line that shows it decides (`is_decisive`), and the
/// messages every log prints that it says (`messages_said`): all fixed, so worked out once.
struct Masked {
    signature: Signature,
    decisive: bool,
    messages: Vec<Vec<String>>,
}

/// The known errors of a knowledge base: its table, and each error masked the first time a
/// line could show it.
pub struct KnownErrors {
    entries: &'static Entries,
    table: KnownErrorTable<'static>,
    /// By error id; `None` when the table names an error its entry does not have (a table
    /// of another build), which then matches nothing.
    masked: Box<[OnceLock<Option<Masked>>]>,
    /// The automaton over the rarest anchors, built on the first scan: `search` never
    /// needs it.
    scan: OnceLock<Option<AhoCorasick>>,
}

impl KnownErrors {
    /// The known errors of `entries`, with the table the build step wrote for them.
    pub fn open(entries: &'static Entries, table: &'static [u8]) -> Result<Self, Error> {
        let table = KnownErrorTable::open(table)?;
        Ok(KnownErrors {
            entries,
            masked: (0..table.len()).map(|_| OnceLock::new()).collect(),
            table,
            scan: OnceLock::new(),
        })
    }

    /// Known error `id`, masked.
    fn masked(&self, id: usize) -> Option<&Masked> {
        self.masked
            .get(id)?
            .get_or_init(|| {
                let error = self.table.error(id)?;
                let text = self
                    .entries
                    .get(error.entry)?
                    .known_errors()
                    .nth(error.number)?;
                let signature = Signature::of_known_error(text);
                is_telling(&signature).then(|| Masked {
                    decisive: is_decisive(&signature),
                    messages: messages_said(&signature),
                    signature,
                })
            })
            .as_ref()
    }

    /// Where `bytes` first contains the rarest anchor word of some known error: the cheap
    /// test a scan of a whole log runs on large blocks before looking at single lines. Only
    /// the rarest: a log is mostly lines with the commoner ones (`pods`, `nodes`), and
    /// masking them all made `bench/triage.sh` 15 times slower (38 s instead of 2.5 s for
    /// 1 GB). So `triage` misses a line that shows a known error without its rarest word,
    /// which `search` finds.
    pub fn any_anchor(&self, bytes: &[u8]) -> Option<usize> {
        let scan = self.scan.get_or_init(|| {
            let rarest: Vec<&str> = self.table.rarest().collect();
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(rarest)
                .ok()
        });
        scan.as_ref()?.find(bytes).map(|m| m.start())
    }

    /// The entries whose known errors `line` shows, with the coverage of each.
    pub fn match_line(&self, line: &str) -> Vec<LineMatch> {
        if self.table.is_empty() {
            return Vec::new();
        }
        let line = crate::search::query::truncate(line, MAX_LINE_BYTES);
        let seen = Signature::of_line(line);
        let seen_text: HashSet<&str> = seen.text().collect();
        let mut candidates: Vec<usize> = seen_text
            .iter()
            .flat_map(|word| self.table.anchored(word))
            .collect();
        if candidates.is_empty() {
            return Vec::new();
        }
        candidates.sort_unstable();
        candidates.dedup();
        let seen_words: Vec<&str> = seen.telling().collect();
        let fragment = seen_words.len() >= MIN_FRAGMENT_WORDS;
        let mut found: Vec<LineMatch> = Vec::new();
        for id in candidates {
            let (Some(error), Some(masked)) = (self.table.error(id), self.masked(id)) else {
                continue;
            };
            let known = &masked.signature;
            // Aligning words costs a table per pair; most candidates fail on their words.
            let could_match = known.coverage_bound(|w| seen_text.contains(w)) >= MIN_COVERAGE
                || (fragment
                    && seen.coverage_bound(|w| known.text().any(|k| k == w)) >= MIN_COVERAGE);
            if !could_match {
                continue;
            }
            let showing = known.coverage_in(&seen);
            if showing < MIN_COVERAGE && !fragment {
                continue;
            }
            // How much of the line the error accounts for.
            let explained = seen.coverage_in(known);
            let mut coverage = showing;
            if fragment {
                coverage = coverage.max(explained);
            }
            if coverage < MIN_COVERAGE {
                continue;
            }
            let shown = if masked.decisive && says_all(&seen_words, &masked.messages) {
                showing * (explained / MIN_EXPLAINED).min(1.0)
            } else {
                0.0
            };
            match found.iter_mut().find(|m| m.entry == error.entry) {
                Some(best) => {
                    best.coverage = best.coverage.max(coverage);
                    best.shown = best.shown.max(shown);
                }
                None => found.push(LineMatch {
                    entry: error.entry,
                    coverage,
                    shown,
                }),
            }
        }
        found
    }

    /// [`KnownErrors::match_line`], remembering the answer for lines of the same shape: a
    /// log repeats its errors, and comparing a line costs far more than looking it up.
    pub fn match_line_remembered<'m>(&self, line: &str, memo: &'m mut LineMemo) -> &'m [LineMatch] {
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
        let mut best: Option<f32> = None;
        let mut known_errors = self
            .table
            .of_entry(entry)
            .filter_map(|id| self.masked(id).map(|m| &m.signature))
            .peekable();
        if quoted.is_empty() || known_errors.peek().is_none() {
            return None;
        }
        let quoted_words: Vec<HashSet<&str>> = quoted.iter().map(|q| q.text().collect()).collect();
        for known in known_errors {
            for (q, q_words) in quoted.iter().zip(&quoted_words) {
                // Aligning costs a table per pair: a pair whose words alone cannot beat
                // the best so far is not aligned.
                let common: Vec<&str> = known.text().filter(|w| q_words.contains(w)).collect();
                let in_common = |w: &str| common.contains(&w);
                let bound = known
                    .coverage_bound(in_common)
                    .max(q.coverage_bound(in_common));
                if best.is_some_and(|b| bound <= b) {
                    continue;
                }
                let resemblance = known.coverage_in(q).max(q.coverage_in(known));
                best = Some(best.map_or(resemblance, |b| b.max(resemblance)));
            }
        }
        best
    }

    /// The entries whose known errors `text` shows, by entry index, with the best line.
    pub fn find(&self, text: &str) -> HashMap<usize, KnownErrorMatch> {
        let mut found: HashMap<usize, KnownErrorMatch> = HashMap::default();
        for line in text.lines().take(MAX_LINES) {
            for LineMatch {
                entry,
                coverage,
                shown,
            } in self.match_line(line)
            {
                if found
                    .get(&entry)
                    .is_none_or(|best| coverage > best.coverage)
                {
                    found.insert(
                        entry,
                        KnownErrorMatch {
                            line: line.trim().to_string(),
                            coverage,
                            shown,
                        },
                    );
                }
            }
        }
        found
    }
}

/// Answers of [`KnownErrors::match_line`] by the shape of a line: the line with every digit
/// made `0`. Two lines of one shape differ only in the values of their digits, which masking
/// turns into the same variable parts and no anchor word contains, so they match alike.
#[derive(Debug, Default)]
pub struct LineMemo {
    seen: HashMap<String, Vec<LineMatch>>,
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
    use crate::store::embedded::known_errors;

    /// A pasted line that is a fragment of a long known error ranks its entry, but is
    /// worth as confidence only the share of the error it shows; words of the error that
    /// are far apart in it are no fragment of it.
    #[test]
    fn a_fragment_ranks_and_shows_little() {
        let known = known_errors().unwrap();
        let kb = crate::store::embedded::knowledge_base().unwrap();
        let selinux = kb.entries.position("ABM-0039").unwrap();
        let found = known.match_line("kubelet: error setting label on mount source");
        let fragment = found.iter().find(|m| m.entry == selinux).unwrap();
        assert!(fragment.coverage >= 0.75, "{fragment:?}");
        assert!(fragment.shown < 0.3, "{fragment:?}");
        let scattered = known.match_line("Output: mount: permission denied");
        assert!(
            scattered.iter().all(|m| m.entry != selinux),
            "{scattered:?}"
        );
        let whole = known.match_line("error setting label on mount source '/var/lib/kubelet/pods/6d9466f7-d818-4658-b27c-3474bfd48c79/volumes/kubernetes.io~secret/localpv-token-bpw5x': failed to set file label on /var/lib/kubelet/pods/6d9466f7-d818-4658-b27c-3474bfd48c79/volumes/kubernetes.io~secret/localpv-token-bpw5x: permission denied");
        let whole = whole.iter().find(|m| m.entry == selinux).unwrap();
        assert_eq!(whole.shown, 1.0);
    }

    /// A known error quoted inside another program's long message ranks its entry, and
    /// gives less confidence than the same error on a line of its own.
    #[test]
    fn an_error_inside_a_long_message_of_another_program_shows_less() {
        let known = known_errors().unwrap();
        let kb = crate::store::embedded::knowledge_base().unwrap();
        let upgrade = kb.entries.position("ABM-0014").unwrap();
        let error = r#"deployments.apps "gateway" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update"#;
        let alone = known.match_line(error);
        let alone = alone.iter().find(|m| m.entry == upgrade).unwrap();
        assert_eq!(alone.shown, 1.0);
        let quoted = format!(
            r#"{{"level":"error","msg":"Failed to reconcile WidgetCluster","controller":"widget","controllerGroup":"widgets.example.com","controllerKind":"WidgetCluster","namespace":"widgets","name":"main","error":"reconciling Widget Gateway: multi-step execution failed with collected errors: Gateway Deployment: updating resource: {}","stacktrace":"example.com/widget-operator/internal/controller.(*WidgetReconciler).Reconcile"}}"#,
            error.replace('"', "\\\"")
        );
        let inside = known.match_line(&quoted);
        let inside = inside.iter().find(|m| m.entry == upgrade).unwrap();
        assert!(inside.shown < 1.0, "{inside:?}");
    }

    /// A line that shows a known error's words with another failure in place of the
    /// message every log prints that the error says ranks the entry and decides nothing.
    #[test]
    fn a_line_with_another_failure_in_place_of_the_errors_message_shows_nothing() {
        let known = known_errors().unwrap();
        let kb = crate::store::embedded::knowledge_base().unwrap();
        let health = kb.entries.position("ABM-0017").unwrap();
        let shown = |line: &str| {
            let found = known.match_line(line);
            let m = found.iter().find(|m| m.entry == health).copied();
            m.unwrap_or_else(|| panic!("{line}: {found:?}")).shown
        };
        assert_eq!(
            shown("curl: (7) Failed to connect to 10.50.116.80 port 443: Connection refused"),
            1.0
        );
        assert_eq!(
            shown("curl: (7) Failed to connect to 10.200.0.61 port 8080: No route to host"),
            0.0
        );
    }

    #[test]
    fn remembered_answers_are_the_answers() {
        let known = known_errors().unwrap();
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
