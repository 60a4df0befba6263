//! Structured log lines, reduced to what they say.
//!
//! Pasted lines often wrap the message in a structure: Ansible's
//! `fatal: [10.0.3.21]: FAILED! => {"changed": false, "msg": "…", "rc": 1}` (bmctl runs its
//! checks with Ansible, so many failures reach the user this way), or one JSON object per
//! line. The envelope — keys, `changed`, `rc`, timestamps, levels — is the same whatever went
//! wrong, and an entry that happens to quote another envelope would match it better than the
//! entry about the message. For full-text search such a line is reduced to the text values
//! of its object; known-error matching still reads the line as pasted.

use serde_json::Value;
use std::borrow::Cow;

/// Keys whose values are bookkeeping, not what happened.
const BOOKKEEPING_KEYS: [&str; 16] = [
    "changed",
    "rc",
    "attempts",
    "delta",
    "start",
    "end",
    "failed",
    "skipped",
    "ts",
    "time",
    "timestamp",
    "level",
    "severity",
    "caller",
    "stdout_lines",
    "stderr_lines",
];

/// `text` with every line that holds a JSON object replaced by that object's text values
/// (and what precedes the object, unless it is Ansible's `… FAILED! =>` envelope).
/// Borrowed unchanged when no line does.
pub fn message_text(text: &str) -> Cow<'_, str> {
    if !text.contains('{') {
        return Cow::Borrowed(text);
    }
    let mut changed = false;
    let lines: Vec<Cow<str>> = text
        .lines()
        .map(|line| match line_message(line) {
            Some(message) => {
                changed = true;
                Cow::Owned(message)
            }
            None => Cow::Borrowed(line),
        })
        .collect();
    if changed {
        Cow::Owned(lines.join("\n"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The message of one line that holds a JSON object, if it does.
fn line_message(line: &str) -> Option<String> {
    let start = line.find('{')?;
    let end = line.rfind('}')?;
    if end < start {
        return None;
    }
    let object = serde_json::from_str::<Value>(&line[start..=end]).ok()?;
    if !object.is_object() {
        return None;
    }
    let mut words = Vec::new();
    let before = line[..start].trim_end();
    if !before.ends_with("=>") {
        words.push(before.to_string());
    }
    collect_text(&object, &mut words);
    let after = line[end + 1..].trim();
    if !after.is_empty() {
        words.push(after.to_string());
    }
    Some(words.join(" "))
}

/// The strings of `value`, depth first, leaving out the values of bookkeeping keys.
fn collect_text(value: &Value, words: &mut Vec<String>) {
    match value {
        Value::String(s) => words.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|item| collect_text(item, words)),
        Value::Object(fields) => fields
            .iter()
            .filter(|(key, _)| !BOOKKEEPING_KEYS.contains(&key.as_str()))
            .for_each(|(_, value)| collect_text(value, words)),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ansible_failure_is_reduced_to_its_message() {
        let line = r#"fatal: [10.0.3.21]: FAILED! => {"changed": false, "msg": "No URLs in mirrorlist", "rc": 1, "results": []}"#;
        assert_eq!(message_text(line), "No URLs in mirrorlist");
    }

    #[test]
    fn a_json_log_line_keeps_its_prefix_and_text_values() {
        let line = r#"I1112 main.go:128] {"level":"error","ts":"2021-11-12T17:19:28Z","msg":"watch error","err":"i/o timeout"}"#;
        // In key order: the words count, not their order.
        assert_eq!(
            message_text(line),
            "I1112 main.go:128] i/o timeout watch error"
        );
    }

    #[test]
    fn lines_without_a_json_object_are_left_alone() {
        let text = "kubectl get pods {broken\nplain line";
        assert!(matches!(message_text(text), Cow::Borrowed(_)));
        assert_eq!(message_text("a {\"x\": 1} b\nplain"), "a b\nplain");
    }
}
