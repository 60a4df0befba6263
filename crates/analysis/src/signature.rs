//! Error signatures: a log line with its variable parts masked, so that a pasted line matches
//! the known error it is an occurrence of, whatever its timestamp, node, IP or pod id.
//!
//! A line is split into words on anything that is not a letter, digit or `_`, lower-cased,
//! and every word that carries a digit (timestamps, IPs, ports, counts, hashes, UUIDs,
//! versions, durations) becomes one `#` marker; runs of markers collapse into one. What is
//! left are the words that say what happened. In the knowledge base's own error strings,
//! placeholders written in capitals (`NODE_NAME`, `{RESOURCE_NAME}`) match any one word.
//!
//! Prefixes carry no meaning and are dropped before masking: klog/glog headers
//! (`F0624 19:05:08.009646 1 server.go:495]`), syslog/journald headers
//! (`Nov 03 08:12:44 node-3 kubelet[2231]:`) and ANSI colour codes.

/// One masked word.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Word {
    /// A word that says what happened.
    Text(String),
    /// The name of a field, `pid` in `pid=42`: the same in every line of its format (audit
    /// records, logfmt), so it says what kind of line this is, not what happened.
    Key(String),
    /// A variable part: a number, id, address or time.
    Variable,
    /// A placeholder of the knowledge base that stands for any one word.
    Any,
}

impl Word {
    /// How much the word counts in a coverage: variable parts count half, since they are
    /// what changes between occurrences, and field names a quarter: two audit records share
    /// all of theirs whatever they report.
    fn weight(&self) -> f32 {
        match self {
            Word::Text(_) => 1.0,
            Word::Variable | Word::Any => 0.5,
            Word::Key(_) => 0.25,
        }
    }

    /// The word, when it is one (text or a field name).
    fn as_text(&self) -> Option<&str> {
        match self {
            Word::Text(t) | Word::Key(t) => Some(t),
            Word::Variable | Word::Any => None,
        }
    }
}

/// A masked line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    /// The line's words in order, masked.
    pub words: Vec<Word>,
}

impl Signature {
    /// Masks a line of a log or a pasted error.
    pub fn of_line(line: &str) -> Signature {
        Signature::mask(strip_prefix(&strip_ansi(line)), false)
    }

    /// Masks an error string of the knowledge base, where capitalised placeholders stand for
    /// any word.
    pub fn of_known_error(error: &str) -> Signature {
        Signature::mask(strip_prefix(error), true)
    }

    fn mask(line: &str, placeholders: bool) -> Signature {
        let mut words = Vec::new();
        let mut at = 0;
        for raw in line.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
            let end = at + raw.len();
            let names_a_field = line[end..].starts_with('=');
            at = end + line[end..].chars().next().map_or(0, char::len_utf8);
            if raw.is_empty() {
                continue;
            }
            let word = if placeholders && is_placeholder(raw) {
                Word::Any
            } else if raw.chars().any(|c| c.is_ascii_digit()) || is_hex_id(raw) {
                Word::Variable
            } else if names_a_field {
                Word::Key(raw.to_lowercase())
            } else {
                Word::Text(raw.to_lowercase())
            };
            if word == Word::Variable && words.last() == Some(&Word::Variable) {
                continue;
            }
            words.push(word);
        }
        Signature { words }
    }

    /// The words that say what happened, lower-cased (no field names).
    pub fn telling(&self) -> impl Iterator<Item = &str> {
        self.words.iter().filter_map(|w| match w {
            Word::Text(t) => Some(t.as_str()),
            _ => None,
        })
    }

    /// The number of words that say what happened.
    pub fn text_words(&self) -> usize {
        self.telling().count()
    }

    /// The words, lower-cased: those that say what happened and field names.
    pub fn text(&self) -> impl Iterator<Item = &str> {
        self.words.iter().filter_map(Word::as_text)
    }

    /// The weight of all the words, as [`Signature::coverage_in`] counts them.
    pub fn weight(&self) -> f32 {
        self.words.iter().map(Word::weight).sum()
    }

    /// An upper bound of [`Signature::coverage_in`] that needs no alignment: the share of
    /// this signature's words that occur anywhere in a line, for which `in_line` says
    /// whether a text word does, counting every variable part as found.
    pub fn coverage_bound(&self, in_line: impl Fn(&str) -> bool) -> f32 {
        let (found, total) = self.words.iter().fold((0.0, 0.0), |(found, total), w| {
            let present = w.as_text().is_none_or(&in_line);
            let weight = w.weight();
            (found + if present { weight } else { 0.0 }, total + weight)
        });
        if total == 0.0 { 0.0 } else { found / total }
    }

    /// How much of this known signature `line` shows, from 0 to 1: the share of this
    /// signature's words found in `line` in the same order (`Any` matches any word and
    /// `Variable` a variable part; variable parts count half: they are what changes between
    /// occurrences), less [`GAP_PENALTY`] for each word of the line inside the match that
    /// is not part of it. An error occurs in a log as one run of words: "Docker service is
    /// not active" is not shown by a paragraph that says docker in one sentence and "is not
    /// healthy, last seen active" in another. A placeholder may stand for several words.
    pub fn coverage_in(&self, line: &Signature) -> f32 {
        let total = self.weight();
        if total == 0.0 {
            return 0.0;
        }
        let seen = &line.words;
        // previous[j]: the best score of an alignment of the known words so far that has
        // used the line up to its word j; a match may start and end at any word of the line.
        let mut previous = vec![0.0f32; seen.len() + 1];
        let mut current = vec![0.0f32; seen.len() + 1];
        for k in &self.words {
            let gap = if *k == Word::Any { 0.0 } else { GAP_PENALTY };
            current[0] = previous[0];
            for (j, s) in seen.iter().enumerate() {
                let matched = match (k, s) {
                    (Word::Any, _) => true,
                    (Word::Variable, Word::Variable) => true,
                    _ => k.as_text().is_some_and(|a| s.as_text() == Some(a)),
                };
                let skip_known = previous[j + 1];
                let skip_seen = current[j] - gap;
                let take = if matched {
                    previous[j] + k.weight()
                } else {
                    0.0
                };
                current[j + 1] = skip_known.max(skip_seen).max(take);
            }
            std::mem::swap(&mut previous, &mut current);
        }
        previous.iter().fold(0.0f32, |best, score| best.max(*score)) / total
    }
}

/// What a word of a line inside a match, that is not part of the known error, costs: a
/// quarter of a word, so a few inserted words (a quoted name, a path split in two) leave a
/// match whole and a sentence between two of its words does not.
pub const GAP_PENALTY: f32 = 0.25;

/// `NODE_NAME`, `{RESOURCE_NAME}`, `ANETD_XYZ`: capitals with an underscore.
fn is_placeholder(word: &str) -> bool {
    word.contains('_')
        && word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
}

/// Hex ids without digits are rare, but `deadbeef`-like hashes of 8+ characters exist.
fn is_hex_id(word: &str) -> bool {
    word.len() >= 12 && word.chars().all(|c| c.is_ascii_hexdigit())
}

/// Removes ANSI escape sequences (`ESC [ ... letter`): colour codes in terminal logs.
pub fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.peek() == Some(&'[') {
                chars.next();
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// Whether `line` opens with a klog/glog or syslog/journald header: a program wrote it.
pub fn has_log_header(line: &str) -> bool {
    strip_prefix(line).len() < line.trim_start().len()
}

/// Drops a klog/glog or syslog/journald header.
fn strip_prefix(line: &str) -> &str {
    let trimmed = line.trim_start();
    if let Some(rest) = klog_body(trimmed) {
        return rest;
    }
    if let Some(rest) = syslog_body(trimmed) {
        return rest;
    }
    trimmed
}

/// `I0624 19:05:08.009646       1 server.go:495] message` → `message`.
fn klog_body(line: &str) -> Option<&str> {
    let mut chars = line.chars();
    let level = chars.next()?;
    if !matches!(level, 'I' | 'W' | 'E' | 'F') {
        return None;
    }
    let date: String = line[1..].chars().take(4).collect();
    if date.len() != 4 || !date.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let close = line.find("] ")?;
    // The header is short; a `] ` far away belongs to the message.
    (close < 80).then(|| &line[close + 2..])
}

/// `Nov 03 08:12:44 node-3 kubelet[2231]: message` → `message`.
fn syslog_body(line: &str) -> Option<&str> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    if !MONTHS.iter().any(|m| line.starts_with(m)) {
        return None;
    }
    let mut fields = line.splitn(5, ' ').filter(|f| !f.is_empty());
    let _month = fields.next()?;
    let day = fields.next()?;
    let time = fields.next()?;
    if !day.bytes().all(|b| b.is_ascii_digit()) || time.matches(':').count() != 2 {
        return None;
    }
    let colon = line.find(": ")?;
    (colon < 100).then(|| &line[colon + 2..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(words: &[&str]) -> Vec<Word> {
        words
            .iter()
            .map(|w| match *w {
                "#" => Word::Variable,
                "*" => Word::Any,
                t => Word::Text(t.to_string()),
            })
            .collect()
    }

    #[test]
    fn variable_parts_are_masked_and_prefixes_dropped() {
        let line = "F0624 19:05:08.009646       1 server.go:495] open /proc/sys/net/netfilter/nf_conntrack_max: permission denied";
        assert_eq!(
            Signature::of_line(line).words,
            text(&[
                "open",
                "proc",
                "sys",
                "net",
                "netfilter",
                "nf_conntrack_max",
                "permission",
                "denied"
            ])
        );
        let journald = "Nov 03 08:12:44 node-3 kubelet[2231]: dial tcp 172.26.0.1:443: i/o timeout";
        assert_eq!(
            Signature::of_line(journald).words,
            text(&["dial", "tcp", "#", "i", "o", "timeout"])
        );
    }

    #[test]
    fn another_occurrence_of_a_known_error_covers_it_fully() {
        let known = Signature::of_known_error(
            "F0624 19:05:08.009646       1 server.go:495] open /proc/sys/net/netfilter/nf_conntrack_max: permission denied",
        );
        let seen = Signature::of_line(
            "\u{1b}[31mF1103 08:12:44.120931    2231 server.go:512] open /proc/sys/net/netfilter/nf_conntrack_max: permission denied\u{1b}[0m",
        );
        assert_eq!(known.coverage_in(&seen), 1.0);
    }

    #[test]
    fn words_of_an_error_scattered_over_a_paragraph_do_not_show_it() {
        let known = Signature::of_known_error("Docker service is not active");
        let whole = Signature::of_line("[2024-03-02 10:13:02+0000] - Docker service is not active");
        assert_eq!(known.coverage_in(&whole), 1.0);
        let quoted = Signature::of_line("preflight: \"Docker\" service on node-1 is not active");
        assert!(
            known.coverage_in(&quoted) > 0.8,
            "{}",
            known.coverage_in(&quoted)
        );
        let scattered = Signature::of_line(
            "every docker command against it hangs, and the condition says PLEG is not healthy, last seen active 3m ago",
        );
        assert!(
            known.coverage_in(&scattered) < 0.5,
            "{}",
            known.coverage_in(&scattered)
        );
    }

    #[test]
    fn placeholders_match_any_word() {
        let known = Signature::of_known_error("kubectl delete pods -n kube-system ANETD_XYZ");
        let seen = Signature::of_line("kubectl delete pods -n kube-system anetd-x7k2p");
        assert!(known.coverage_in(&seen) > 0.9);
    }

    #[test]
    fn a_different_error_covers_little() {
        let known = Signature::of_known_error("/bin/sh: /tmp/disks_check.sh: Permission denied");
        let seen =
            Signature::of_line("open /proc/sys/net/netfilter/nf_conntrack_max: permission denied");
        assert!(
            known.coverage_in(&seen) < 0.4,
            "{}",
            known.coverage_in(&seen)
        );
    }
}
