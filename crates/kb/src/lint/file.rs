//! The rules of one entry file on its own: its name, its header's id and language against
//! the name, and the structure of its Markdown body.

use crate::diagnostic::Diagnostic;
use crate::lang::Lang;
use crate::parse::EntryFile;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

/// An entry file is named `<ID>.<lang>.md` with an id of its folder: the id and the
/// language, or what is wrong with the name of the file diagnostics call `label`.
pub(crate) fn file_name<'n>(
    name: &'n str,
    id_prefix: &str,
    label: &str,
) -> Result<(&'n str, Lang), Diagnostic> {
    let wrong = |message: String| Diagnostic::new(label, 0, message);
    let parts = name
        .strip_suffix(".md")
        .and_then(|stem| stem.rsplit_once('.'));
    let Some((id, lang)) = parts else {
        return Err(wrong(
            "not an entry file: entry files are named <ID>.<lang>.md, e.g. ABM-0007.ja.md".into(),
        ));
    };
    let lang: Lang = lang.parse().map_err(|e| wrong(format!("file name: {e}")))?;
    if !is_id_of(id, id_prefix) {
        return Err(wrong(format!(
            "file name: `{id}` is not an id of this folder (expected {id_prefix}-NNNN, four or more digits)"
        )));
    }
    Ok((id, lang))
}

fn is_id_of(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix)
        .and_then(|rest| rest.strip_prefix('-'))
        .is_some_and(|n| n.len() >= 4 && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The header's id and language are the file name's.
pub(crate) fn header_matches_file_name(file: &EntryFile, name: &str) -> Vec<Diagnostic> {
    let entry = &file.parsed.header.entry;
    let mut problems = Vec::new();
    if entry.id != file.id {
        problems.push(Diagnostic::new(
            &file.label,
            file.parsed.header_line_of("id"),
            format!("id `{}` does not match the file name `{name}`", entry.id),
        ));
    }
    if entry.lang != file.lang.code() {
        problems.push(Diagnostic::new(
            &file.label,
            file.parsed.header_line_of("lang"),
            format!(
                "lang `{}` does not match the file name `{name}`",
                entry.lang
            ),
        ));
    }
    problems
}

/// The body of a file written in `lang`: code fences are closed, there is no second `#`
/// title, and there is exactly one workaround section (every entry says what to do).
pub(crate) fn check_body(file: &str, body: &str, first_line: usize, lang: Lang) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    if let Some(open) = unclosed_fence(body) {
        problems.push(Diagnostic::new(
            file,
            first_line + open,
            "code fence is never closed",
        ));
    }
    let line_of = |offset: usize| first_line + body[..offset].matches('\n').count();
    let mut workaround_lines = Vec::new();
    for (level, start, text) in headings(body) {
        if level == HeadingLevel::H1 {
            problems.push(Diagnostic::new(
                file,
                line_of(start),
                "a second `#` title in the body: use `##` for sections",
            ));
        } else if level == HeadingLevel::H2 && text.trim() == lang.workaround_heading() {
            workaround_lines.push(line_of(start));
        }
    }
    let heading = lang.workaround_heading();
    match workaround_lines.as_slice() {
        [] => problems.push(Diagnostic::new(
            file,
            first_line,
            format!("no `## {heading}` section: every entry says what to do"),
        )),
        [_] => {}
        [_, rest @ ..] => {
            problems.extend(rest.iter().map(|&line| {
                Diagnostic::new(file, line, format!("a second `## {heading}` section"))
            }))
        }
    }
    problems
}

/// The headings of a Markdown body: level, byte offset, text.
fn headings(body: &str) -> Vec<(HeadingLevel, usize, String)> {
    let mut found = Vec::new();
    let mut open: Option<(HeadingLevel, usize, String)> = None;
    for (event, range) in Parser::new(body).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                open = Some((level, range.start, String::new()))
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, text)) = open.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => found.extend(open.take()),
            _ => {}
        }
    }
    found
}

/// The 0-based line (within `body`) of a code fence that is never closed, if any.
fn unclosed_fence(body: &str) -> Option<usize> {
    let mut open: Option<(usize, String)> = None;
    for (i, line) in body.lines().enumerate() {
        let trimmed = line.trim_start();
        let marker: String = trimmed
            .chars()
            .take_while(|&c| c == '`' || c == '~')
            .collect();
        let is_fence =
            marker.len() >= 3 && marker.chars().all(|c| c == marker.as_bytes()[0] as char);
        match &open {
            None if is_fence => open = Some((i, marker)),
            Some((_, m))
                if is_fence && trimmed.trim_end() == marker && marker.starts_with(m.as_str()) =>
            {
                open = None
            }
            _ => {}
        }
    }
    open.map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_files_are_named_by_id_and_language() {
        fn named(name: &str) -> Result<(&str, Lang), String> {
            file_name(name, "ABM", "f").map_err(|d| d.message)
        }
        assert_eq!(named("ABM-0007.ja.md"), Ok(("ABM-0007", Lang::Ja)));
        assert!(
            named("notes.md")
                .unwrap_err()
                .starts_with("not an entry file")
        );
        assert_eq!(
            named("ABM-0007.fr.md").unwrap_err(),
            "file name: unknown language `fr` (expected `ja` or `en`)"
        );
        assert!(
            named("ABM-7.ja.md")
                .unwrap_err()
                .contains("expected ABM-NNNN")
        );
        assert!(named("LAB-0007.ja.md").is_err());
    }

    #[test]
    fn a_body_has_one_workaround_section_and_no_second_title() {
        let messages = |body: &str| -> Vec<String> {
            check_body("f.md", body, 10, Lang::En)
                .iter()
                .map(|d| format!("{}: {}", d.line, d.message))
                .collect()
        };
        assert!(messages("Text.\n\n## Workaround\n\n1. Do.\n").is_empty());
        assert_eq!(
            messages("Text.\n"),
            ["10: no `## Workaround` section: every entry says what to do"]
        );
        assert_eq!(
            messages("# Again\n\n## Workaround\n\n## Workaround\n"),
            [
                "10: a second `#` title in the body: use `##` for sections",
                "14: a second `## Workaround` section"
            ]
        );
        assert_eq!(
            messages("## Workaround\n\n```sh\nls\n"),
            ["12: code fence is never closed"]
        );
    }
}
