//! Triage of whole logs: every line of every input is matched against the known errors of
//! all entries, and each known issue found is reported with how often and where it showed.
//!
//! Inputs are streamed in large blocks, in constant memory. A block is first searched for
//! the known errors' anchor words (one Aho-Corasick pass, as fast as a literal grep); only the
//! lines around a hit are decoded (lossily: logs carry invalid bytes), stripped of CR and
//! ANSI colour, and compared with the known errors' masked signatures. A line longer than
//! `MAX_LINE_BYTES` is judged on its first part. What an input is — gzip, a tar archive
//! (`bmctl check cluster --snapshot` writes `.tar.gz`), plain lines — and which files a
//! folder holds is `inputs`' business. An input that cannot be read is recorded and the
//! others are still read.

mod inputs;

pub use inputs::{Links, MAX_DEPTH, MAX_EXTENSION_BYTES, scan_input, scan_paths};

use crate::known_errors::{KnownErrors, LineMatch, LineMemo, MAX_LINE_BYTES};
use crate::search::confidence::Model;
use shirube_analysis::signature::strip_ansi;
use std::collections::HashMap;
use std::io::{self, Read};

/// Bytes read from an input at a time.
const BLOCK: usize = 1024 * 1024;
/// Characters of a matching line kept as the example.
const EXAMPLE_CHARS: usize = 400;

/// A line of an input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The input's name: its path, `-` for stdin, or for an archive member the archive's
    /// name, a colon and the member's path.
    pub file: String,
    /// 1-based.
    pub line: u64,
}

/// One known issue seen in the inputs.
#[derive(Clone, Debug)]
pub struct Finding {
    /// Index of the entry in the knowledge base.
    pub entry: usize,
    /// Lines that showed it.
    pub count: u64,
    /// Where it first showed.
    pub first: Location,
    /// Where it last showed.
    pub last: Location,
    /// The first of the lines that showed the most of it, as it was (decoded, CR and colour
    /// codes removed).
    pub example: String,
    /// The most of one of the entry's known errors a line showed (`LineMatch::shown`):
    /// little when the lines show only a fragment of it, or only a message every log
    /// prints, which is too little to be sure the issue is there.
    pub shown: f32,
}

impl Finding {
    /// Whether its lines showed enough of a known error to be sure the issue is there: the
    /// rule by which `search` answers a pasted line that shows one, so that a log line means
    /// the same to both.
    pub fn is_sure(&self) -> bool {
        Model::FITTED.decide(Some(self.shown)).answered
    }
}

/// Everything seen so far, across inputs.
#[derive(Debug, Default)]
pub struct Tally {
    /// In the order first seen.
    pub findings: Vec<Finding>,
    by_entry: HashMap<usize, usize>,
    /// Lines read, across all inputs.
    pub lines: u64,
    /// Bytes read (after decompression), across all inputs.
    pub bytes: u64,
    /// Inputs (or parts of them) that could not be read, in order.
    pub errors: Vec<InputError>,
}

/// An input that could not be read, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// The input's name, as [`Location::file`] gives it, or a folder that could not be
    /// listed.
    pub input: String,
    /// Why it could not be read.
    pub message: String,
}

impl Tally {
    /// Counts a line of `file` that showed an entry's known error (`found`); only the first
    /// such line is kept whole (nothing is allocated for the others unless the file changes).
    fn record(&mut self, found: &LineMatch, file: &str, line: u64, text: &str) {
        match self.by_entry.get(&found.entry) {
            Some(&i) => {
                let finding = &mut self.findings[i];
                finding.count += 1;
                if found.shown > finding.shown {
                    // A line that shows more of the error is the better example: a whole
                    // error after a cut one, say.
                    finding.shown = found.shown;
                    finding.example = example(text);
                }
                finding.last.line = line;
                if finding.last.file != file {
                    finding.last.file = file.to_string();
                }
            }
            None => {
                self.by_entry.insert(found.entry, self.findings.len());
                let at = Location {
                    file: file.to_string(),
                    line,
                };
                self.findings.push(Finding {
                    entry: found.entry,
                    count: 1,
                    first: at.clone(),
                    last: at,
                    example: example(text),
                    shown: found.shown,
                });
            }
        }
    }
}

/// `line` as a finding's example: without colour codes, trimmed, at most [`EXAMPLE_CHARS`].
fn example(line: &str) -> String {
    strip_ansi(line)
        .trim()
        .chars()
        .take(EXAMPLE_CHARS)
        .collect()
}

/// Streams `reader` (named `file` in locations) through the known errors into `tally`.
pub fn scan(
    known: &KnownErrors,
    mut reader: impl Read,
    file: &str,
    tally: &mut Tally,
) -> io::Result<()> {
    let mut block: Vec<u8> = Vec::with_capacity(BLOCK + MAX_LINE_BYTES);
    // What lines of each shape matched: a log that repeats an error is read fast.
    let mut memo = LineMemo::default();
    // Lines of this input so far: locations are per input.
    let mut lines: u64 = 0;
    // Bytes of a line longer than a block are skipped up to its end.
    let mut skipping_long_line = false;
    loop {
        let carried = block.len();
        block.resize(carried + BLOCK, 0);
        let read = read_full(&mut reader, &mut block[carried..])?;
        block.truncate(carried + read);
        tally.bytes += read as u64;
        let at_end = read == 0;
        if at_end && block.is_empty() {
            // An overlong last line without a newline still counts.
            tally.lines += lines + u64::from(skipping_long_line);
            return Ok(());
        }
        // Process up to the last complete line; carry the rest to the next block.
        let complete = if at_end {
            block.len()
        } else {
            match memchr::memrchr(b'\n', &block) {
                Some(i) => i + 1,
                None if block.len() >= MAX_LINE_BYTES => block.len(),
                None => continue,
            }
        };
        let mut lines_here = &block[..complete];
        if skipping_long_line {
            // The rest of an overlong line: not a new line, not judged again.
            match memchr::memchr(b'\n', lines_here) {
                Some(i) => {
                    lines_here = &lines_here[i + 1..];
                    skipping_long_line = false;
                    lines += 1;
                }
                None => {
                    lines_here = &[];
                    if at_end {
                        // The overlong line is the last, without a newline: it still counts.
                        lines += 1;
                    }
                }
            }
        }
        lines += scan_lines(known, &mut memo, lines_here, file, lines, tally);
        let ends_in_newline = lines_here.last() == Some(&b'\n');
        if !lines_here.is_empty() && !ends_in_newline && !at_end {
            // A line longer than a block: judged on what we have, the rest skipped.
            skipping_long_line = true;
        } else if at_end && !lines_here.is_empty() && !ends_in_newline {
            lines += 1;
        }
        block.drain(..complete);
        if at_end {
            tally.lines += lines;
            return Ok(());
        }
    }
}

/// Reads until `buffer` is full or the input ends.
fn read_full(reader: &mut impl Read, buffer: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Judges the lines of `bytes` (which follow line `before` of `file`) that contain an anchor
/// word; returns how many lines `bytes` ends.
fn scan_lines(
    known: &KnownErrors,
    memo: &mut LineMemo,
    bytes: &[u8],
    file: &str,
    before: u64,
    tally: &mut Tally,
) -> u64 {
    let first_line = before + 1;
    let mut counted_to = 0;
    let mut newlines_before = 0u64;
    let mut position = 0;
    while let Some(offset) = known.any_anchor(&bytes[position..]) {
        let hit = position + offset;
        let start = memchr::memrchr(b'\n', &bytes[..hit]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &bytes[hit..]).map_or(bytes.len(), |i| hit + i);
        newlines_before += memchr::memchr_iter(b'\n', &bytes[counted_to..start]).count() as u64;
        counted_to = start;
        let raw = &bytes[start..end.min(start + MAX_LINE_BYTES)];
        let text = String::from_utf8_lossy(raw);
        let text = text.trim_end_matches('\r');
        for found in known.match_line_remembered(text, memo) {
            tally.record(found, file, first_line + newlines_before, text);
        }
        position = end + 1;
        if position >= bytes.len() {
            break;
        }
    }
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::embedded::{knowledge_base, known_errors};

    fn triage(text: &[u8]) -> Tally {
        let known = known_errors().unwrap();
        let mut tally = Tally::default();
        scan(&known, text, "t.log", &mut tally).unwrap();
        tally
    }

    #[test]
    fn lines_are_counted_with_or_without_a_final_newline() {
        assert_eq!(triage(b"a\nb\nc").lines, 3);
        assert_eq!(triage(b"a\nb\nc\n").lines, 3);
        assert_eq!(triage(b"").lines, 0);
    }

    #[test]
    fn a_known_error_is_found_at_its_line_through_crlf_and_colour() {
        let log = b"ok\r\nok\r\n\x1b[31mE1103 08:12:44.120931 2231 server.go:495] open /proc/sys/net/netfilter/nf_conntrack_max: permission denied\x1b[0m\r\nok\r\n";
        let tally = triage(log);
        assert_eq!(tally.findings.len(), 1);
        let finding = &tally.findings[0];
        assert_eq!(
            knowledge_base().unwrap().entries.ids()[finding.entry],
            "ABM-0007"
        );
        assert_eq!(finding.first.line, 3);
        assert!(!finding.example.contains('\u{1b}'));
    }

    #[test]
    fn an_overlong_last_line_without_a_newline_is_counted() {
        for tail in [3 * BLOCK, 3 * BLOCK + 10] {
            let mut text = b"first\n".to_vec();
            text.extend(std::iter::repeat_n(b'x', tail));
            assert_eq!(triage(&text).lines, 2, "{tail}");
        }
        assert_eq!(triage(&vec![0; 3 * BLOCK]).lines, 1);
    }

    #[test]
    fn an_overlong_line_does_not_shift_line_numbers() {
        let mut log = b"ok\n".to_vec();
        log.extend(std::iter::repeat_n(b'x', 3 * BLOCK));
        log.extend_from_slice(b"\nDocker service is not active\n");
        let tally = triage(&log);
        assert_eq!(tally.lines, 3);
        assert_eq!(tally.findings[0].first.line, 3);
    }
}
