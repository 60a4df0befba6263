//! One entry in full for a terminal (`show`): its fields, then its Markdown body rendered
//! with headings, lists and code styled.

use super::style::{Role, start, styled};
use super::versions;
use super::wording::wording;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use shirube::report::EntryDetail;
use std::io;
use termcolor::WriteColor;

/// The entry's title, fields and body.
pub fn print_entry(out: &mut dyn WriteColor, detail: &EntryDetail) -> io::Result<()> {
    let entry = &detail.summary;
    let lang = entry.lang;
    let w = wording(lang);
    styled(out, Role::Id, entry.id)?;
    write!(out, "  ")?;
    styled(out, Role::Title, entry.title)?;
    writeln!(out, "\n")?;
    let field = |out: &mut dyn WriteColor, name: &str, value: &str| -> io::Result<()> {
        styled(out, Role::Label, &format!("{name}: "))?;
        writeln!(out, "{value}")
    };
    field(
        out,
        w.component,
        &format!("{} ({})", entry.component, entry.component_label),
    )?;
    field(out, w.affected, &versions::affected(entry.affected, lang))?;
    if let Some(to) = versions::upgrade_to(entry.upgrade_to) {
        field(out, w.upgrade_to, &to)?;
    }
    field(out, w.fixed_in, &versions::fixed_in(entry.fixed_in, lang))?;
    for sentence in detail.version_statement {
        field(out, w.statement, sentence)?;
    }
    if let Some(note) = detail.version_note {
        field(out, w.note, note)?;
    }
    let source = &detail.source;
    field(
        out,
        w.source,
        &format!(
            "{} › {} › {}",
            source.document, source.category, source.title
        ),
    )?;
    if let Some(upstream) = upstream_line(detail) {
        field(out, w.upstream, &upstream)?;
    }
    writeln!(out)?;
    print_markdown(out, detail.body)?;
    print_seen_errors(out, detail, w.seen_in_the_wild)
}

/// `Cilium (cilium agent, cilium-agent)`: the upstream component and the other names.
pub fn upstream_line(detail: &EntryDetail) -> Option<String> {
    let upstream = detail.upstream;
    let names = upstream.names.join(", ");
    match (&upstream.component, names.is_empty()) {
        (None, true) => None,
        (Some(component), true) => Some(component.clone()),
        (Some(component), false) => Some(format!("{component} ({names})")),
        (None, false) => Some(names),
    }
}

/// The errors real reports printed for this issue, each with where it was seen, under
/// their own heading after the page's text.
fn print_seen_errors(
    out: &mut dyn WriteColor,
    detail: &EntryDetail,
    heading: &str,
) -> io::Result<()> {
    if detail.upstream.errors.is_empty() {
        return Ok(());
    }
    styled(out, Role::Heading, heading)?;
    writeln!(out, "\n")?;
    for seen in &detail.upstream.errors {
        write!(out, "    ")?;
        styled(out, Role::Code, &seen.error)?;
        writeln!(out)?;
        writeln!(out, "    ({})", seen.source)?;
    }
    Ok(())
}

/// Renders Markdown for a terminal: headings and inline code styled, lists indented, code
/// blocks indented by four spaces.
fn print_markdown(out: &mut dyn WriteColor, markdown: &str) -> io::Result<()> {
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut in_code = false;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Heading { .. }) => start(out, Role::Heading)?,
            Event::End(TagEnd::Heading(_)) => {
                out.reset()?;
                writeln!(out, "\n")?;
            }
            Event::End(TagEnd::Paragraph) => writeln!(out, "\n")?,
            Event::Start(Tag::List(first)) => lists.push(first),
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                let depth = lists.len().saturating_sub(1);
                write!(out, "{}", "  ".repeat(depth))?;
                match lists.last_mut() {
                    Some(Some(n)) => {
                        write!(out, "{n}. ")?;
                        *n += 1;
                    }
                    _ => write!(out, "• ")?,
                }
            }
            Event::End(TagEnd::Item) => writeln!(out)?,
            Event::Start(Tag::CodeBlock(_)) => {
                in_code = true;
                start(out, Role::Code)?;
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                out.reset()?;
                writeln!(out)?;
            }
            Event::Text(text) if in_code => {
                let indent = "    ".repeat(1 + lists.len());
                for line in text.lines() {
                    writeln!(out, "{indent}{line}")?;
                }
            }
            Event::Text(text) => out.write_all(text.as_bytes())?,
            Event::Code(code) => styled(out, Role::Code, &code)?,
            Event::SoftBreak => write!(out, " ")?,
            Event::HardBreak => writeln!(out)?,
            _ => {}
        }
    }
    Ok(())
}
