//! Which known errors a line could show, decided by the build step and read in place by the
//! binary: so that opening a knowledge base costs nothing per known error, and a search
//! masks only the known errors a line names words of.
//!
//! A line shows a known error when it has [`MIN_COVERAGE`] of the error's word weight (see
//! [`Signature::coverage_in`]). So it may lack a few of the error's words, but never all of
//! its *anchors*: its most telling long words (words logs do not print all the time, and
//! of those the ones fewest known errors share), one more than the line may miss. The table maps each anchor to the known errors anchored on it; a
//! line's words are looked up in it, and only the errors found are masked and compared.
//!
//! Laid out as one byte string, read without decoding (every number little-endian `u32`):
//!
//! ```text
//! "SKE1"  errors  anchor-map bytes  postings bytes  rarest bytes
//! errors × (entry, number)      the known errors, in entry order
//! anchor map                    an fst::Map: anchor word → offset in postings
//! postings                      per anchor: count, then that many error ids
//! rarest                        each error's rarest anchor, newline-separated, sorted
//! ```
//!
//! An error id is its place in the `errors` list; `number` is its place among
//! `Entry::known_errors()` of its entry.

use crate::log_messages;
use crate::log_words::is_common;
use crate::signature::Signature;
use shirube_kb::{Error, ErrorKind};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

/// A known error shows at least this share of its words in a line to count as seen there.
pub const MIN_COVERAGE: f32 = 0.75;
/// Known errors with fewer telling words than this are too generic to decide anything.
pub const MIN_TEXT_WORDS: usize = 3;
/// Anchor words shorter than this would be found inside too many unrelated words.
const MIN_ANCHOR_BYTES: usize = 4;
/// A word that more known errors than this share is only an anchor where it is the rarest
/// word of its error: in a large knowledge base, a common word (`pods`) would make every
/// line a candidate for thousands of errors.
const MAX_ANCHOR_SHARING: usize = 64;
/// Knowledge bases with fewer entries than this mask their errors on one thread.
const PARALLEL_ENTRIES: usize = 10_000;

const MAGIC: &[u8; 4] = b"SKE1";
const HEADER_BYTES: usize = 4 + 4 * 4;

/// The table, read in place from its bytes.
pub struct KnownErrorTable<'b> {
    errors: &'b [u8],
    anchors: fst::Map<&'b [u8]>,
    postings: &'b [u8],
    rarest: &'b str,
}

/// A known error of the table: which entry, and which of its known errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KnownError {
    /// The entry, by its index in the knowledge base.
    pub entry: usize,
    /// Which of the entry's known errors, in the order the entry lists them.
    pub number: usize,
}

impl<'b> KnownErrorTable<'b> {
    /// Reads a table the build step wrote. One that is not a table of this build, or is
    /// cut short, is a corrupt knowledge base, and the error says what is wrong.
    pub fn open(bytes: &'b [u8]) -> Result<Self, Error> {
        Self::read(bytes)
            .map_err(|reason| Error::new(reason).with_kind(ErrorKind::CorruptKnowledgeBase))
    }

    fn read(bytes: &'b [u8]) -> Result<Self, String> {
        let truncated = || "the known-error table is truncated".to_string();
        if bytes.get(..4) != Some(MAGIC.as_slice()) {
            return Err("not a known-error table of this version".into());
        }
        let mut lengths = [0usize; 4];
        for (i, length) in lengths.iter_mut().enumerate() {
            *length = read_u32(bytes, 4 + 4 * i).ok_or_else(truncated)? as usize;
        }
        let [errors, anchors, postings, rarest] = lengths;
        let mut at = HEADER_BYTES;
        let mut section = |length: usize| -> Result<&'b [u8], String> {
            let part = bytes.get(at..at.checked_add(length).ok_or_else(truncated)?);
            at += length;
            part.ok_or_else(truncated)
        };
        let errors = section(errors.checked_mul(8).ok_or_else(truncated)?)?;
        let anchors = fst::Map::new(section(anchors)?).map_err(|e| e.to_string())?;
        let postings = section(postings)?;
        let rarest = std::str::from_utf8(section(rarest)?).map_err(|e| e.to_string())?;
        Ok(KnownErrorTable {
            errors,
            anchors,
            postings,
            rarest,
        })
    }

    /// How many known errors the table has.
    pub fn len(&self) -> usize {
        self.errors.len() / 8
    }

    /// Whether the table has no known error at all.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The known error with this id.
    pub fn error(&self, id: usize) -> Option<KnownError> {
        Some(KnownError {
            entry: read_u32(self.errors, 8 * id)? as usize,
            number: read_u32(self.errors, 8 * id + 4)? as usize,
        })
    }

    /// The ids of the known errors of `entry`.
    pub fn of_entry(&self, entry: usize) -> Range<usize> {
        let first = self.partition_point(|e| e < entry);
        let last = self.partition_point(|e| e <= entry);
        first..last
    }

    /// The first id whose entry is not `below` (errors are in entry order).
    fn partition_point(&self, below: impl Fn(usize) -> bool) -> usize {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let middle = (low + high) / 2;
            if self.error(middle).is_some_and(|e| below(e.entry)) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        low
    }

    /// The ids of the known errors anchored on `word` (lower-case, as signatures have it).
    pub fn anchored(&self, word: &str) -> impl Iterator<Item = usize> + '_ {
        let list = self
            .anchors
            .get(word)
            .and_then(|offset| {
                let offset = usize::try_from(offset).ok()?;
                let count = read_u32(self.postings, offset)? as usize;
                self.postings.get(offset + 4..offset + 4 + 4 * count)
            })
            .unwrap_or_default();
        list.chunks_exact(4)
            .map(|id| u32::from_le_bytes([id[0], id[1], id[2], id[3]]) as usize)
    }

    /// The rarest anchor of every known error, each once: what a scan of a whole log looks
    /// for.
    pub fn rarest(&self) -> impl Iterator<Item = &'b str> {
        self.rarest.lines()
    }

    /// The table of `errors_by_entry` (the known errors of each entry, in entry order), as
    /// bytes to write. Errors with fewer than [`MIN_TEXT_WORDS`] telling words are left out.
    pub fn build(errors_by_entry: &[Vec<&str>]) -> Vec<u8> {
        let masked = masked_errors(errors_by_entry);
        let mut sharing: HashMap<&str, usize> = HashMap::new();
        for (_, signature) in &masked {
            for word in signature.text().collect::<HashSet<_>>() {
                *sharing.entry(word).or_default() += 1;
            }
        }
        let mut anchored: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
        let mut rarest: Vec<&str> = Vec::new();
        for (id, (_, signature)) in masked.iter().enumerate() {
            let words = anchor_words(signature, &sharing);
            rarest.extend(words.first());
            for anchor in words {
                anchored.entry(anchor).or_default().push(id as u32);
            }
        }
        rarest.sort_unstable();
        rarest.dedup();

        let mut postings: Vec<u8> = Vec::new();
        let mut map = fst::MapBuilder::memory();
        for (anchor, ids) in &anchored {
            // Sorted and distinct: a BTreeMap's keys.
            let _ = map.insert(anchor, postings.len() as u64);
            push_u32(&mut postings, ids.len());
            for &id in ids {
                push_u32(&mut postings, id as usize);
            }
        }
        let map = map.into_inner().unwrap_or_default();
        let rarest = rarest.join("\n");

        let mut bytes = MAGIC.to_vec();
        for length in [masked.len(), map.len(), postings.len(), rarest.len()] {
            push_u32(&mut bytes, length);
        }
        for (error, _) in &masked {
            push_u32(&mut bytes, error.entry);
            push_u32(&mut bytes, error.number);
        }
        bytes.extend_from_slice(&map);
        bytes.extend_from_slice(&postings);
        bytes.extend_from_slice(rarest.as_bytes());
        bytes
    }
}

fn read_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// Appends `n` as a little-endian `u32`: tables hold fewer than 2³² of anything (a
/// knowledge base of 100,000 entries has a few hundred thousand known errors).
fn push_u32(bytes: &mut Vec<u8>, n: usize) {
    bytes.extend_from_slice(&(n as u32).to_le_bytes());
}

/// Whether a known error decides anything: it has enough telling words.
pub fn is_telling(signature: &Signature) -> bool {
    signature.text_words() >= MIN_TEXT_WORDS
}

/// Whether a line that shows this known error is reason to be sure of its entry: it has
/// enough telling words besides those of a message every log prints
/// ([`crate::log_messages`]). `No route to host` is what any unreachable address gives,
/// whatever entry quotes it: a line that shows it still ranks the entry, and is compared
/// with its error, but the rest of the question must decide.
pub fn is_decisive(signature: &Signature) -> bool {
    let words: Vec<&str> = signature.telling().collect();
    words.len() - log_messages::common_words(&words) >= MIN_TEXT_WORDS
}

/// The messages every log prints ([`crate::log_messages`]) that a known error says, each
/// as its words in lower case. In an error whose other words say where something failed
/// (`curl: (7) Failed to connect to 127.0.0.1 port 443: Connection refused`), the message
/// says what failed: a line that shows the rest with another message in its place
/// (`… port 8080: No route to host`) is another error, however much of the words it shares.
pub fn messages_said(signature: &Signature) -> Vec<Vec<String>> {
    let words: Vec<&str> = signature.telling().collect();
    log_messages::in_words(&words)
        .into_iter()
        .map(|range| words[range].iter().map(ToString::to_string).collect())
        .collect()
}

/// Whether `words` (a line's telling words, lower case) say every message of `messages`
/// ([`messages_said`]), each as a run of words.
pub fn says_all(words: &[&str], messages: &[Vec<String>]) -> bool {
    messages.iter().all(|message| {
        words
            .windows(message.len())
            .any(|run| run == message.as_slice())
    })
}

/// The words a line must contain one of to be compared with `signature`: its long words,
/// those logs do not print all the time first (see [`is_common`]), then the rarest among
/// known errors, then the longer, one more than a line showing it may miss. Words after the
/// first that more than [`MAX_ANCHOR_SHARING`] errors share are left out, and with them
/// that promise. A signature without long words is anchored on its longest word.
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
    // Stable: of words equal in all three, the first in the error.
    words.sort_by_key(|w| (is_common(w), sharing[w], std::cmp::Reverse(w.len())));
    let may_miss = ((1.0 - MIN_COVERAGE) * signature.weight()).floor() as usize;
    words.truncate(may_miss + 1);
    let rarest = words[0];
    words.retain(|w| *w == rarest || sharing[w] <= MAX_ANCHOR_SHARING);
    words
}

/// Every entry's telling known errors, masked, in entry order. A knowledge base of 100,000
/// entries has as many errors to mask, so the work is shared among the cores.
fn masked_errors(errors_by_entry: &[Vec<&str>]) -> Vec<(KnownError, Signature)> {
    let mask = |first: usize, chunk: &[Vec<&str>]| -> Vec<(KnownError, Signature)> {
        chunk
            .iter()
            .enumerate()
            .flat_map(|(i, errors)| {
                errors.iter().enumerate().map(move |(number, error)| {
                    let error_of = KnownError {
                        entry: first + i,
                        number,
                    };
                    (error_of, Signature::of_known_error(error))
                })
            })
            .filter(|(_, signature)| is_telling(signature))
            .collect()
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads == 1 || errors_by_entry.len() < PARALLEL_ENTRIES {
        return mask(0, errors_by_entry);
    }
    let size = errors_by_entry.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = errors_by_entry
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_error_that_is_a_common_message_does_not_decide() {
        let decisive = |error: &str| is_decisive(&Signature::of_known_error(error));
        assert!(!decisive("No route to host"));
        assert!(!decisive("connect: connection refused"));
        assert!(decisive(
            "Failed to create pod sandbox: rp_filter is set to strict"
        ));
        assert!(decisive("nf_conntrack: table full, dropping packet"));
    }

    #[test]
    fn a_line_must_say_the_messages_its_known_error_says() {
        let known = messages_said(&Signature::of_known_error(
            "curl: (7) Failed to connect to 127.0.0.1 port 443: Connection refused",
        ));
        assert_eq!(known, [["connection", "refused"]]);
        let says = |line: &str| {
            let line = Signature::of_line(line);
            says_all(&line.telling().collect::<Vec<_>>(), &known)
        };
        assert!(says(
            "curl: (7) Failed to connect to 10.0.0.9 port 8080: connection refused"
        ));
        assert!(!says(
            "curl: (7) Failed to connect to 10.0.0.9 port 8080: No route to host"
        ));
        assert!(!says(
            "curl: (7) Failed to connect to 10.0.0.9 port 8080: refused connection"
        ));
        assert!(
            messages_said(&Signature::of_known_error("Docker service is not active")).is_empty()
        );
    }

    #[test]
    fn a_table_reads_back_what_was_built() {
        let errors = vec![
            vec!["open /proc/sys/net/netfilter/nf_conntrack_max: permission denied"],
            vec!["too short", "Docker service is not active on this node"],
        ];
        let bytes = KnownErrorTable::build(&errors);
        let table = KnownErrorTable::open(&bytes).unwrap();
        assert_eq!(table.len(), 2, "the two-word error is left out");
        assert_eq!(
            table.error(1),
            Some(KnownError {
                entry: 1,
                number: 1
            })
        );
        assert_eq!(table.of_entry(0), 0..1);
        assert_eq!(table.of_entry(1), 1..2);
        assert_eq!(table.of_entry(2), 2..2);
        assert_eq!(table.anchored("nf_conntrack_max").collect::<Vec<_>>(), [0]);
        assert_eq!(table.anchored("docker").count(), 1);
        assert_eq!(table.anchored("absent").count(), 0);
        assert_eq!(table.rarest().count(), 2);
    }

    #[test]
    fn broken_bytes_are_an_error_not_a_panic() {
        let bytes = KnownErrorTable::build(&[vec!["Docker service is not active here"]]);
        for end in 0..bytes.len() {
            assert!(KnownErrorTable::open(&bytes[..end]).is_err(), "{end}");
        }
        let mut wrong = bytes.clone();
        wrong[0] = b'X';
        assert!(KnownErrorTable::open(&wrong).is_err());
    }
}
