//! The error text a question quotes: what a program printed, as opposed to the user's own
//! words. A question that quotes an error different from every error an entry quotes is
//! about something else, however many words the two share (`permission denied`,
//! `connection refused`): see [`super`].

use shirube_analysis::signature::{Signature, has_log_header};

/// Quoted text with fewer English words than this is a name or a value, not a message.
const MIN_WORDS: usize = 3;

/// The masked error text of a one-line question: the line when a program wrote it (a log
/// header, a chain of `cause: cause:`, `key=value` fields), and whatever the user put in
/// quotes (`"..."`, `“...”`, `「...」`). A paste of several lines quotes nothing here: it is
/// an excerpt of a log, and the error an entry quotes may simply lie outside what was
/// copied, while a single quoted error is the one the user sees.
pub fn quoted_errors(text: &str) -> Vec<Signature> {
    let line = text.trim();
    if line.contains('\n') {
        return Vec::new();
    }
    let mut quoted = Vec::new();
    if written_by_a_program(line) {
        quoted.push(Signature::of_line(line));
    }
    quoted.extend(quoted_spans(line).into_iter().map(Signature::of_line));
    quoted.retain(|s| s.text().filter(|w| w.is_ascii()).count() >= MIN_WORDS);
    quoted
}

fn written_by_a_program(line: &str) -> bool {
    has_log_header(line)
        || line.matches(": ").count() >= 2
        || line.split_whitespace().filter(|w| w.contains('=')).count() >= 2
}

/// The spans of `line` between matching quotes.
fn quoted_spans(line: &str) -> Vec<&str> {
    let mut spans: Vec<&str> = line.split('"').skip(1).step_by(2).collect();
    for (open, close) in [('“', '”'), ('「', '」')] {
        let mut rest = line;
        while let Some(start) = rest.find(open) {
            let inner = &rest[start + open.len_utf8()..];
            let Some(end) = inner.find(close) else { break };
            spans.push(&inner[..end]);
            rest = &inner[end + close.len_utf8()..];
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        quoted_errors(text)
            .iter()
            .map(|s| s.text().collect::<Vec<_>>().join(" "))
            .collect()
    }

    #[test]
    fn prose_quotes_nothing() {
        assert!(words("pods on one node cannot reach the API: they time out").is_empty());
    }

    #[test]
    fn quoted_messages_are_quoted_errors() {
        assert_eq!(
            words(r#"kubectl logs fails with "failed to create watcher: too many files""#),
            ["failed to create watcher too many files"]
        );
        assert_eq!(
            words("ログに「chunk validation failed, data corrupted」と出る"),
            ["chunk validation failed data corrupted"]
        );
    }

    #[test]
    fn a_log_line_is_a_quoted_error() {
        assert_eq!(
            words("E0312 10:02:11.331904 1 proxier.go:1612] Failed to execute iptables-restore"),
            ["failed to execute iptables restore"]
        );
    }

    #[test]
    fn a_paste_of_several_lines_quotes_nothing() {
        assert!(
            words("E0312 10:02:11.331904 1 a.go:1] first failure: here: now\nnext: one: two")
                .is_empty()
        );
    }

    #[test]
    fn a_short_quote_is_a_name_not_an_error() {
        assert!(words(r#"the "prod-admin" context is missing"#).is_empty());
    }
}
