//! Terminal output: search results, the entry list, and one entry in full.

use super::{affected_text, component_label, labels, upgrade_text};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use shirube::report::{CheckFinding, CheckReport, EntrySummary, TriageReport};
use shirube_kb::{Entry, KnowledgeBase, Lang};
use std::io;
use termcolor::{Color, ColorSpec, WriteColor};

/// The styles, as data: a printer asks for a role, never for a colour.
fn style(role: Role) -> ColorSpec {
    let mut spec = ColorSpec::new();
    match role {
        Role::Id => spec.set_fg(Some(Color::Magenta)).set_bold(true),
        Role::Title => spec.set_bold(true),
        Role::Meta => spec.set_fg(Some(Color::Cyan)),
        Role::Highlight => spec.set_fg(Some(Color::Red)).set_bold(true),
        Role::Label => spec.set_fg(Some(Color::Green)).set_bold(true),
        Role::Code => spec.set_fg(Some(Color::Yellow)),
        Role::Heading => spec.set_fg(Some(Color::Blue)).set_bold(true),
    };
    spec
}

#[derive(Clone, Copy)]
enum Role {
    Id,
    Title,
    Meta,
    Highlight,
    Label,
    Code,
    Heading,
}

fn styled(out: &mut dyn WriteColor, role: Role, text: &str) -> io::Result<()> {
    out.set_color(&style(role))?;
    out.write_all(text.as_bytes())?;
    out.reset()
}

fn versions_line(entry: &Entry, lang: Lang) -> String {
    let l = labels(lang);
    let mut parts = vec![format!("{} {}", l.affected, affected_text(entry, lang))];
    if let Some(to) = upgrade_text(entry) {
        parts.push(format!("{} {to}", l.upgrade_to));
    }
    if let Some(fixed) = &entry.versions.fixed_in {
        parts.push(format!("{} {fixed}", l.fixed_in));
    }
    parts.join(" · ")
}

/// Ranked search results: id and title, component and versions, the matching line with the
/// matched words highlighted, and the first workaround step.
pub fn print_results(
    out: &mut dyn WriteColor,
    results: &[EntrySummary],
    lang: Lang,
    kb: &KnowledgeBase,
) -> io::Result<()> {
    let l = labels(lang);
    for (i, result) in results.iter().enumerate() {
        let Some(entry) = kb.entries.iter().find(|e| e.id == result.id) else {
            continue;
        };
        if i > 0 {
            writeln!(out)?;
        }
        styled(out, Role::Id, result.id)?;
        write!(out, "  ")?;
        styled(out, Role::Title, result.title)?;
        writeln!(out)?;
        write!(out, "  ")?;
        let weak = if result.weak == Some(true) {
            l.weak
        } else {
            ""
        };
        let meta = format!(
            "{} · {}{weak}",
            result.component,
            versions_line(entry, lang)
        );
        styled(out, Role::Meta, &meta)?;
        writeln!(out)?;
        if let Some(snippet) = result.highlights {
            write!(out, "  ")?;
            let mut at = 0;
            for range in &snippet.highlights {
                out.write_all(&snippet.text.as_bytes()[at..range.start])?;
                styled(out, Role::Highlight, &snippet.text[range.clone()])?;
                at = range.end;
            }
            writeln!(out, "{}", &snippet.text[at..])?;
        }
        if !result.first_step.is_empty() {
            write!(out, "  ")?;
            styled(out, Role::Label, &format!("{}:", l.workaround))?;
            writeln!(out, " {}", result.first_step)?;
        }
    }
    Ok(())
}

/// One line per entry: id, component, affected versions, title.
pub fn print_list(out: &mut dyn WriteColor, entries: &[&Entry], lang: Lang) -> io::Result<()> {
    let component_width = entries.iter().map(|e| e.component.len()).max().unwrap_or(0);
    let versions: Vec<String> = entries.iter().map(|e| affected_text(e, lang)).collect();
    let versions_width = versions
        .iter()
        .map(|v| v.chars().count())
        .max()
        .unwrap_or(0);
    for (entry, affected) in entries.iter().zip(&versions) {
        styled(out, Role::Id, &entry.id)?;
        write!(out, "  ")?;
        styled(
            out,
            Role::Meta,
            &format!("{:component_width$}", entry.component),
        )?;
        let pad = versions_width - affected.chars().count();
        writeln!(
            out,
            "  {affected}{}  {}",
            " ".repeat(pad),
            entry.doc(lang).title
        )?;
    }
    Ok(())
}

/// One entry in full, its Markdown body rendered for a terminal.
pub fn print_entry(
    out: &mut dyn WriteColor,
    entry: &Entry,
    lang: Lang,
    kb: &KnowledgeBase,
) -> io::Result<()> {
    let l = labels(lang);
    let doc = entry.doc(lang);
    styled(out, Role::Id, &entry.id)?;
    write!(out, "  ")?;
    styled(out, Role::Title, &doc.title)?;
    writeln!(out, "\n")?;
    let field = |out: &mut dyn WriteColor, name: &str, value: &str| -> io::Result<()> {
        styled(out, Role::Label, &format!("{name}: "))?;
        writeln!(out, "{value}")
    };
    field(
        out,
        l.component,
        &format!(
            "{} ({})",
            entry.component,
            component_label(kb, &entry.component, lang)
        ),
    )?;
    field(out, l.affected, &affected_text(entry, lang))?;
    if let Some(to) = upgrade_text(entry) {
        field(out, l.upgrade_to, &to)?;
    }
    let fixed = entry
        .versions
        .fixed_in
        .as_ref()
        .map_or(l.not_stated.to_string(), ToString::to_string);
    field(out, l.fixed_in, &fixed)?;
    for sentence in &entry.versions.statement {
        field(out, l.statement, sentence)?;
    }
    if let Some(note) = &entry.versions.note {
        field(out, l.note, note)?;
    }
    field(
        out,
        l.source,
        &format!(
            "{} › {} › {}",
            entry.source.document, entry.source.category, entry.source.title
        ),
    )?;
    writeln!(out)?;
    print_markdown(out, &doc.body)
}

/// Renders Markdown for a terminal: headings and inline code styled, lists indented, code
/// blocks indented by four spaces.
fn print_markdown(out: &mut dyn WriteColor, markdown: &str) -> io::Result<()> {
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut in_code = false;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Heading { .. }) => out.set_color(&style(Role::Heading))?,
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
                out.set_color(&style(Role::Code))?;
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

/// `check`: the issues that apply, grouped by component, with what fixes each, then the
/// summary line.
pub fn print_check(
    out: &mut dyn WriteColor,
    report: &CheckReport,
    lang: Lang,
    kb: &KnowledgeBase,
) -> io::Result<()> {
    let l = labels(lang);
    let target = report
        .upgrade_to
        .as_deref()
        .map_or(String::new(), |t| format!(" → {t}"));
    for component in &kb.components {
        let group: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.entry.component == component.id)
            .collect();
        if group.is_empty() {
            continue;
        }
        styled(
            out,
            Role::Heading,
            &format!("{} ({})", component.label(lang), component.id),
        )?;
        writeln!(out)?;
        for finding in group {
            write!(out, "  ")?;
            styled(out, Role::Id, finding.entry.id)?;
            write!(out, "  {}", finding.entry.title)?;
            writeln!(out)?;
            let fixed = match (finding.entry.fixed_in, &finding.first_unaffected) {
                (Some(fixed), _) => format!("{} {fixed}", l.fixed_in),
                (None, Some(first)) => format!("{} {first}", l.first_unaffected),
                (None, None) => format!("{} {}", l.fixed_in, l.not_stated),
            };
            let on_upgrade = if finding.applies == "on_upgrade" {
                l.on_upgrade
            } else {
                ""
            };
            let meta = format!(
                "    {} {} · {fixed}{on_upgrade}",
                l.affected,
                affected_ranges(finding)
            );
            styled(out, Role::Meta, &meta)?;
            writeln!(out)?;
        }
    }
    let summary = &report.summary;
    let line = match (lang, &summary.by) {
        (Lang::Ja, Some(by)) => format!(
            "{}{target}: 既知の問題 {} 件 (バージョン記載なし {} 件を除く)。{by} へのアップグレードで {} 件が解消します",
            report.version, summary.findings, report.unspecified, summary.fixed
        ),
        (Lang::Ja, None) => format!(
            "{}{target}: 既知の問題 {} 件 (バージョン記載なし {} 件を除く)",
            report.version, summary.findings, report.unspecified
        ),
        (Lang::En, Some(by)) => format!(
            "{}{target}: {} known issue(s) apply ({} more name no versions); upgrading to {by} fixes {} of these {}",
            report.version, summary.findings, report.unspecified, summary.fixed, summary.findings
        ),
        (Lang::En, None) => format!(
            "{}{target}: {} known issue(s) apply ({} more name no versions)",
            report.version, summary.findings, report.unspecified
        ),
    };
    if !report.findings.is_empty() {
        writeln!(out)?;
    }
    styled(out, Role::Label, &line)?;
    writeln!(out)
}

fn affected_ranges(finding: &CheckFinding) -> String {
    finding
        .entry
        .affected
        .map(|ranges| {
            ranges
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .unwrap_or_default()
}

/// `triage`: each known issue found, where and how often, the first line that showed it,
/// and what to do; then what was read.
pub fn print_triage(
    out: &mut dyn WriteColor,
    report: &TriageReport,
    lang: Lang,
    kb: &KnowledgeBase,
) -> io::Result<()> {
    let l = labels(lang);
    for finding in &report.findings {
        let Some(entry) = kb.entries.iter().find(|e| e.id == finding.id) else {
            continue;
        };
        styled(out, Role::Id, finding.id)?;
        write!(out, "  ")?;
        styled(out, Role::Title, finding.title)?;
        writeln!(out)?;
        write!(out, "  ")?;
        styled(
            out,
            Role::Meta,
            &format!("{} · {}", finding.component, versions_line(entry, lang)),
        )?;
        writeln!(out)?;
        let place = if finding.count == 1 {
            format!("{}:{}", finding.file, finding.first_line)
        } else {
            format!(
                "{}:{} … {}:{}",
                finding.file, finding.first_line, finding.last_file, finding.last_line
            )
        };
        let seen = match (lang, finding.count) {
            (Lang::Ja, n) => format!("{n} 行 ({place})"),
            (Lang::En, 1) => format!("seen on 1 line ({place})"),
            (Lang::En, n) => format!("seen on {n} lines ({place})"),
        };
        writeln!(out, "  {seen}")?;
        write!(out, "  ")?;
        styled(out, Role::Highlight, finding.example)?;
        writeln!(out)?;
        if !finding.first_step.is_empty() {
            write!(out, "  ")?;
            styled(out, Role::Label, &format!("{}:", l.workaround))?;
            writeln!(out, " {}", finding.first_step)?;
        }
        writeln!(out)?;
    }
    let summary = match lang {
        Lang::Ja => format!(
            "既知の問題 {} 件 ({} 行, {} バイトを読みました)",
            report.findings.len(),
            report.lines,
            report.bytes
        ),
        Lang::En => format!(
            "{} known issue(s) in {} lines ({} bytes)",
            report.findings.len(),
            report.lines,
            report.bytes
        ),
    };
    styled(out, Role::Label, &summary)?;
    writeln!(out)
}
