//! Markdown output that renders well on GitHub: one entry (`show --format md`) or a whole
//! export grouped by component with a table of contents (`export --format md`).

use super::phrases;
use super::wording::wording;
use crate::report::{EntryDetail, ExportReport};
use std::fmt::Write;

/// One entry, its title at heading `level` and its own sections one level below.
pub fn entry(detail: &EntryDetail, level: usize) -> String {
    let entry = &detail.summary;
    let lang = entry.lang;
    let w = wording(lang);
    let mut md = String::new();
    let _ = writeln!(
        md,
        "{} {}: {}\n",
        "#".repeat(level),
        entry.id,
        escape(entry.title)
    );
    let mut rows = phrases::entry_fields(detail, false);
    // The component id as code, as the header names it.
    rows[0].1 = format!("`{}` ({})", entry.component, entry.component_label);
    md.push_str("| | |\n|---|---|\n");
    for (name, value) in rows {
        let _ = writeln!(md, "| {name} | {} |", value.replace('|', "\\|"));
    }
    md.push('\n');
    md.push_str(&shift_headings(detail.body, level.saturating_sub(1)));
    md.push('\n');
    if !detail.upstream.errors.is_empty() {
        let heading = "#".repeat((level + 1).min(6));
        let _ = writeln!(md, "{heading} {}\n", w.seen_in_the_wild);
        for seen in &detail.upstream.errors {
            let error = seen.error.replace('`', "'");
            let _ = writeln!(md, "- `{error}` ([source]({}))", seen.source);
        }
        md.push('\n');
    }
    md
}

/// Every entry of the report, grouped by component in the report's order, with a table of
/// contents.
pub fn export(report: &ExportReport) -> String {
    let w = wording(report.lang);
    let mut md = String::new();
    let _ = writeln!(
        md,
        "# {}: {}\n",
        w.export_title,
        report.documents.join(", ")
    );
    let _ = writeln!(
        md,
        "{} {} · shirube {}\n",
        report.entries.len(),
        w.entries,
        env!("CARGO_PKG_VERSION")
    );
    let groups: Vec<(&str, Vec<&EntryDetail>)> = report
        .components
        .iter()
        .map(|c| {
            let group = report
                .entries
                .iter()
                .filter(|e| e.summary.component == c.id)
                .collect::<Vec<_>>();
            (c.label, group)
        })
        .filter(|(_, group)| !group.is_empty())
        .collect();
    for (label, group) in &groups {
        let _ = writeln!(
            md,
            "- [{label}](#{}) ({})",
            github_anchor(label),
            group.len()
        );
    }
    md.push('\n');
    for (label, group) in &groups {
        let _ = writeln!(md, "## {label}\n");
        for e in group {
            md.push_str(&entry(e, 3));
        }
    }
    md
}

/// Plain text made safe inside Markdown: characters with a meaning there are escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Moves every ATX heading outside code fences down by `by` levels (at most to `######`).
fn shift_headings(markdown: &str, by: usize) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut in_fence = false;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        }
        let hashes = line.bytes().take_while(|&b| b == b'#').count();
        if !in_fence && by > 0 && hashes > 0 && line[hashes..].starts_with(' ') {
            let level = (hashes + by).min(6);
            let _ = writeln!(out, "{}{}", "#".repeat(level), &line[hashes..]);
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens.
fn github_anchor(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_move_down_outside_code() {
        let md = "## 回避策\n\n```shell\n# a comment\n```\n";
        assert_eq!(
            shift_headings(md, 2),
            "#### 回避策\n\n```shell\n# a comment\n```\n"
        );
    }

    #[test]
    fn escaped_titles_parse_back_to_themselves() {
        assert_eq!(escape("a_b *c* `d`"), "a\\_b \\*c\\* \\`d\\`");
    }

    #[test]
    fn anchors_follow_github() {
        assert_eq!(
            github_anchor("Container runtime (containerd / Docker / runc)"),
            "container-runtime-containerd--docker--runc"
        );
        assert_eq!(github_anchor("リセット / 削除"), "リセット--削除");
    }
}
