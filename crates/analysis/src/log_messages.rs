//! Messages that programs print whatever went wrong: `permission denied`, `OOMKilled`,
//! `connection refused`, `no route to host`. A question that shares only such a message
//! with an entry shares what thousands of unrelated failures print, however few of our
//! entries happen to contain it: how distinctive a fragment is among our entries is not how
//! distinctive it is in the world's logs. So a line that shows a known error which is
//! little more than one of these ranks its entry but does not make it certain
//! ([`crate::known_error_table::is_decisive`]): the rest of the question decides.
//!
//! The list names messages by where they come from, written from the standards and
//! sources that define them, never from our entries. [`crate::log_words`] lists single
//! words logs print all the time; this lists whole messages. Both are compared as words
//! the way [`crate::signature`] splits a line: runs of letters, digits and `_`, lower-cased.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

/// The C library's error strings (`strerror`, as glibc spells them) that system calls
/// fail with, and the lower-case forms Go's `syscall` package prints.
const C_LIBRARY: &[&str] = &[
    "operation not permitted",
    "no such file or directory",
    "no such process",
    "interrupted system call",
    "input/output error",
    "no such device or address",
    "argument list too long",
    "exec format error",
    "bad file descriptor",
    "resource temporarily unavailable",
    "cannot allocate memory",
    "permission denied",
    "device or resource busy",
    "file exists",
    "invalid cross-device link",
    "no such device",
    "not a directory",
    "is a directory",
    "invalid argument",
    "too many open files",
    "text file busy",
    "no space left on device",
    "read-only file system",
    "broken pipe",
    "file name too long",
    "function not implemented",
    "directory not empty",
    "too many levels of symbolic links",
    "operation not supported",
    "address already in use",
    "cannot assign requested address",
    "network is down",
    "network is unreachable",
    "connection reset by peer",
    "no buffer space available",
    "transport endpoint is not connected",
    "connection timed out",
    "connection refused",
    "no route to host",
    "stale file handle",
    "disk quota exceeded",
    "protocol not supported",
    "address family not supported by protocol",
];

/// What Go's standard library, shells and the kernel print for failures of any cause. Go's
/// `net` package names the operation before the failure (`dial tcp 10.0.0.2:6443: i/o
/// timeout`), and `crypto/x509` and `crypto/tls` say why any certificate was refused.
const RUNTIMES: &[&str] = &[
    "context deadline exceeded",
    "context canceled",
    "i/o timeout",
    "no such host",
    "dial tcp",
    "dial udp",
    "read tcp",
    "write tcp",
    "net/http: tls handshake timeout",
    "tls handshake timeout",
    "net/http: request canceled",
    "x509: certificate signed by unknown authority",
    "x509: certificate has expired or is not yet valid",
    "tls: bad certificate",
    "tls: failed to verify certificate",
    "unexpected eof",
    "use of closed network connection",
    "exit status",
    "signal: killed",
    "executable file not found in $path",
    "command not found",
    "segmentation fault",
    "core dumped",
    "out of memory",
    "timed out",
    "timeout",
];

/// HTTP's reason phrases for the failures every API client reports.
const HTTP: &[&str] = &[
    "bad request",
    "unauthorized",
    "forbidden",
    "not found",
    "method not allowed",
    "conflict",
    "too many requests",
    "internal server error",
    "bad gateway",
    "service unavailable",
    "gateway timeout",
];

/// Kubernetes' pod phases, container states and event reasons, which `kubectl get` and
/// `kubectl describe` show for any failing workload.
const KUBERNETES: &[&str] = &[
    "crashloopbackoff",
    "imagepullbackoff",
    "errimagepull",
    "oomkilled",
    "evicted",
    "containercreating",
    "createcontainererror",
    "createcontainerconfigerror",
    "runcontainererror",
    "podinitializing",
    "pending",
    "terminating",
    "notready",
    "back-off restarting failed container",
    "failedscheduling",
    "failedmount",
    "failedattachvolume",
    "failedcreatepodsandbox",
    "failedkillpod",
    "unhealthy",
    "backoff",
    "nodenotready",
    "liveness probe failed",
    "readiness probe failed",
    "the server could not find the requested resource",
    "unable to connect to the server",
    "did you specify the right host or port",
];

/// Every message as its words, by its first word, the longest first.
static BY_FIRST_WORD: LazyLock<HashMap<&'static str, Vec<Vec<&'static str>>>> =
    LazyLock::new(|| {
        let mut by_first: HashMap<&str, Vec<Vec<&str>>> = HashMap::new();
        for message in C_LIBRARY
            .iter()
            .chain(RUNTIMES)
            .chain(HTTP)
            .chain(KUBERNETES)
        {
            let words: Vec<&str> = split(message).collect();
            by_first.entry(words[0]).or_default().push(words);
        }
        for messages in by_first.values_mut() {
            messages.sort_by_key(|m| std::cmp::Reverse(m.len()));
        }
        by_first
    });

/// The words of `text`, as [`crate::signature`] splits a line.
fn split(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

/// The common messages `text` says, as they are written there.
pub fn find(text: &str) -> Vec<&str> {
    let words: Vec<&str> = split(text).collect();
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    in_words(&lower)
        .into_iter()
        .map(|range| {
            let (first, last) = (words[range.start], words[range.end - 1]);
            let start = first.as_ptr() as usize - text.as_ptr() as usize;
            let end = last.as_ptr() as usize - text.as_ptr() as usize + last.len();
            &text[start..end]
        })
        .collect()
}

/// Where common messages are in `words` (lower case), as ranges of word positions: at each
/// position the longest message that starts there, none overlapping.
pub fn in_words<S: AsRef<str>>(words: &[S]) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut at = 0;
    while at < words.len() {
        let message = BY_FIRST_WORD.get(words[at].as_ref()).and_then(|messages| {
            messages.iter().find(|m| {
                words.len() - at >= m.len()
                    && m.iter().zip(&words[at..]).all(|(a, b)| *a == b.as_ref())
            })
        });
        match message {
            Some(message) => {
                found.push(at..at + message.len());
                at += message.len();
            }
            None => at += 1,
        }
    }
    found
}

/// How many of `words` (lower case) belong to a common message.
pub fn common_words<S: AsRef<str>>(words: &[S]) -> usize {
    in_words(words).iter().map(ExactSizeIterator::len).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        split(text).map(str::to_lowercase).collect()
    }

    #[test]
    fn finds_whole_messages_in_any_case() {
        let line = words("open /run/x.sock: Permission denied; pod OOMKilled");
        assert_eq!(in_words(&line), [4..6, 7..8]);
        let line = words("dial tcp 10.0.0.1:443: connect: no route to host");
        assert_eq!(in_words(&line), [0..2, 8..12]);
        assert_eq!(common_words(&words("read tcp: i/o timeout")), 5);
    }

    #[test]
    fn a_message_inside_a_longer_word_is_not_the_message() {
        assert_eq!(
            common_words(&words("timeouts pendingPods unhealthyThreshold")),
            0
        );
    }

    #[test]
    fn finds_messages_as_written() {
        assert_eq!(
            find("dial tcp: connect: No route to host; pod OOMKilled"),
            ["dial tcp", "No route to host", "OOMKilled"]
        );
    }

    #[test]
    fn the_longest_message_wins() {
        assert_eq!(find("504 Gateway Timeout"), ["Gateway Timeout"]);
    }

    #[test]
    fn every_message_has_words_in_lower_case() {
        // Lines are lower-cased before they are compared: a capital here would never match.
        for message in C_LIBRARY
            .iter()
            .chain(RUNTIMES)
            .chain(HTTP)
            .chain(KUBERNETES)
        {
            assert!(split(message).next().is_some(), "{message:?}");
            assert_eq!(*message, message.to_lowercase(), "{message:?}");
        }
    }

    #[test]
    fn counts_the_words_of_messages() {
        assert_eq!(common_words(&["no", "route", "to", "host"]), 4);
        assert_eq!(common_words(&["rp_filter", "drops", "the", "packets"]), 0);
        assert_eq!(
            common_words(&["nf_conntrack", "table", "full", "timeout"]),
            1
        );
    }
}
