//! Words that logs of every kind print all the time, whatever went wrong: status and
//! progress words (`successfully`, `waiting`, `complete`), the nouns of any request
//! (`connection`, `operation`). A known error that contains one is not told by it: of the
//! containerd lines a node writes, one in six says `returns successfully`. Rarity among the
//! knowledge base's own errors cannot see that, so a known error is anchored on its other
//! words first (see `known_error_table`).

/// Lower-case words common in system and Kubernetes logs, sorted.
const COMMON: &[&str] = &[
    "already",
    "applied",
    "attempt",
    "cannot",
    "command",
    "complete",
    "completed",
    "connect",
    "connecting",
    "connection",
    "context",
    "could",
    "create",
    "created",
    "creating",
    "delete",
    "deleted",
    "error",
    "errors",
    "event",
    "exist",
    "exists",
    "failed",
    "failure",
    "found",
    "information",
    "invalid",
    "message",
    "operation",
    "ready",
    "request",
    "response",
    "retries",
    "retry",
    "retrying",
    "return",
    "returns",
    "running",
    "setting",
    "specified",
    "started",
    "starting",
    "status",
    "succeeded",
    "success",
    "successfully",
    "timeout",
    "unable",
    "update",
    "updated",
    "updating",
    "value",
    "waiting",
    "warning",
];

/// Whether logs print `word` (lower case) whatever their problem.
pub fn is_common(word: &str) -> bool {
    COMMON.binary_search(&word).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_for_its_binary_search() {
        assert!(COMMON.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn status_words_are_common_and_names_are_not() {
        assert!(is_common("successfully"));
        assert!(is_common("waiting"));
        assert!(!is_common("terminate"));
        assert!(!is_common("nf_conntrack_max"));
    }
}
