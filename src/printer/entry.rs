//! One entry in full for a terminal (`show`): its fields, then its Markdown body rendered
//! with headings, lists and code styled.

use super::phrases;
use super::style::{Role, start, styled};
use super::wording::wording;
use crate::report::EntryDetail;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
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
    for (name, value) in phrases::entry_fields(detail, true) {
        styled(out, Role::Label, &format!("{name}: "))?;
        writeln!(out, "{value}")?;
    }
    writeln!(out)?;
    print_markdown(out, detail.body)?;
    print_seen_errors(out, detail, w.seen_in_the_wild)
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
