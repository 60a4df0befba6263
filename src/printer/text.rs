//! Terminal output of the reports that list entries: search results, the entry list,
//! `check` and `triage`.

use super::phrases;
use super::style::{Role, styled};
use super::versions;
use super::wording::{ClusterTotals, wording};
use crate::report::{
    CheckReport, ClusterFinding, ClusterReport, ContextReport, EntrySummary, SearchReport,
    SearchResult, TriageReport,
};
use shirube_kb::Lang;
use std::io;
use termcolor::WriteColor;

/// Ranked search results: id and title, component and versions, the matching line with the
/// matched words highlighted, and the first workaround step. Weak candidates are dimmed and
/// say so. An entry the version filter excluded is named first.
pub fn print_results(out: &mut dyn WriteColor, report: &SearchReport) -> io::Result<()> {
    let w = wording(report.lang);
    for excluded in &report.excluded {
        let sentence = phrases::excluded(excluded, report.version.as_deref(), report.lang);
        styled(out, Role::Label, &sentence)?;
        writeln!(out)?;
        writeln!(out, "  {}", excluded.entry.title)?;
        if !report.results.is_empty() {
            writeln!(out)?;
        }
    }
    for (i, result) in report.results.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let entry = &result.entry;
        let weak = result.weak == Some(true);
        print_heading(out, entry, report.lang, weak)?;
        print_context(out, result.context.as_ref(), report.lang)?;
        if let Some(snippet) = result.snippet {
            write!(out, "  ")?;
            print_highlighted(out, snippet, result)?;
            writeln!(out)?;
        }
        print_first_step(out, entry.first_step, w.workaround)?;
    }
    Ok(())
}

/// Whether a result applies here, in one line, when the facts known decide.
fn print_context(
    out: &mut dyn WriteColor,
    context: Option<&ContextReport>,
    lang: Lang,
) -> io::Result<()> {
    if let Some(line) = context.and_then(|c| phrases::context_line(c, lang)) {
        write!(out, "  ")?;
        styled(out, Role::Label, &line)?;
        writeln!(out)?;
    }
    Ok(())
}

/// How a listed entry opens: `ID  Title`, then its component and versions; a weak
/// candidate is dimmed and marked.
fn print_heading(
    out: &mut dyn WriteColor,
    entry: &EntrySummary,
    lang: Lang,
    weak: bool,
) -> io::Result<()> {
    let (title, suffix) = if weak {
        (Role::Weak, wording(lang).weak)
    } else {
        (Role::Title, "")
    };
    styled(out, Role::Id, entry.id)?;
    write!(out, "  ")?;
    styled(out, title, entry.title)?;
    writeln!(out)?;
    write!(out, "  ")?;
    let meta = format!(
        "{} · {}{}{suffix}",
        entry.component,
        versions::line(entry, lang),
        phrases::origin(entry, lang)
    );
    styled(out, Role::Meta, &meta)?;
    writeln!(out)
}

/// `snippet` with the ranges the result marks highlighted.
fn print_highlighted(
    out: &mut dyn WriteColor,
    snippet: &str,
    result: &SearchResult,
) -> io::Result<()> {
    let mut at = 0;
    for range in result.highlights {
        out.write_all(&snippet.as_bytes()[at..range.start])?;
        styled(out, Role::Highlight, &snippet[range.clone()])?;
        at = range.end;
    }
    out.write_all(&snippet.as_bytes()[at..])
}

/// `  workaround: <step>`, when the entry has a step.
fn print_first_step(out: &mut dyn WriteColor, step: &str, label: &str) -> io::Result<()> {
    if step.is_empty() {
        return Ok(());
    }
    write!(out, "  ")?;
    styled(out, Role::Label, &format!("{label}:"))?;
    writeln!(out, " {step}")
}

/// One line per entry: id, component, affected versions, title.
pub fn print_list(out: &mut dyn WriteColor, report: &SearchReport) -> io::Result<()> {
    let entries: Vec<_> = report.results.iter().map(|r| &r.entry).collect();
    let component_width = entries.iter().map(|e| e.component.len()).max().unwrap_or(0);
    let affected: Vec<String> = entries
        .iter()
        .map(|e| versions::affected(e.affected, report.lang))
        .collect();
    let affected_width = affected
        .iter()
        .map(|v| v.chars().count())
        .max()
        .unwrap_or(0);
    for (entry, affected) in entries.iter().zip(&affected) {
        styled(out, Role::Id, entry.id)?;
        write!(out, "  ")?;
        styled(
            out,
            Role::Meta,
            &format!("{:component_width$}", entry.component),
        )?;
        let pad = affected_width - affected.chars().count();
        writeln!(out, "  {affected}{}  {}", " ".repeat(pad), entry.title)?;
    }
    Ok(())
}

/// `check`: the issues that apply, grouped by component, with what fixes each, then the
/// summary line.
/// How many of the issues whose sources do not say whether the version has them `check`
/// lists without `--all`: for an old version, release notes of the years after it name a
/// hundred.
pub const NOT_STATED_SHOWN: usize = 10;

/// `check --version`: the issues that apply, by component; then at most `not_stated_shown`
/// of those the sources say nothing of for this version; then the counts.
pub fn print_check(
    out: &mut dyn WriteColor,
    report: &CheckReport,
    not_stated_shown: usize,
) -> io::Result<()> {
    let lang = report.lang;
    for component in &report.components {
        let mut group = report
            .findings
            .iter()
            .filter(|f| f.entry.component == component.id)
            .peekable();
        if group.peek().is_none() {
            continue;
        }
        styled(
            out,
            Role::Heading,
            &format!("{} ({})", component.label, component.id),
        )?;
        writeln!(out)?;
        for finding in group {
            let entry = &finding.entry;
            write!(out, "  ")?;
            styled(out, Role::Id, entry.id)?;
            writeln!(out, "  {}", entry.title)?;
            let meta = format!("    {}", phrases::check_meta(finding, lang));
            styled(out, Role::Meta, &meta)?;
            writeln!(out)?;
        }
    }
    if !report.not_stated.is_empty() {
        if !report.findings.is_empty() {
            writeln!(out)?;
        }
        let heading = (wording(lang).check_not_stated)(&report.version);
        styled(
            out,
            Role::Heading,
            &format!("{heading} ({})", report.not_stated.len()),
        )?;
        writeln!(out)?;
        for entry in report.not_stated.iter().take(not_stated_shown) {
            write!(out, "  ")?;
            styled(out, Role::Id, entry.id)?;
            writeln!(out, "  {}", entry.title)?;
            styled(
                out,
                Role::Meta,
                &format!("    {}", phrases::not_stated_meta(entry, lang)),
            )?;
            writeln!(out)?;
        }
        let more = report.not_stated.len().saturating_sub(not_stated_shown);
        if more > 0 {
            styled(out, Role::Meta, &(wording(lang).more_not_stated)(more))?;
            writeln!(out)?;
        }
    }
    let line = phrases::check_summary(report);
    if !report.findings.is_empty() || !report.not_stated.is_empty() {
        writeln!(out)?;
    }
    styled(out, Role::Label, &line)?;
    writeln!(out)
}

/// How much of a cluster report to print.
#[derive(Clone, Copy, Debug)]
pub struct ClusterDetail {
    /// Each node's facts first (`doctor`).
    pub facts: bool,
    /// List the issues that need facts one by one (`check`), or only count them (`doctor`,
    /// where they need the configuration nobody gave).
    pub unknown: bool,
}

/// `check --config` and `doctor`: the version checked, the issues that apply with the facts
/// they rest on and the first step, those an upgrade would bring, those that need facts and
/// how to get them, then the counts.
pub fn print_cluster(
    out: &mut dyn WriteColor,
    report: &ClusterReport,
    detail: ClusterDetail,
) -> io::Result<()> {
    let lang = report.lang;
    let w = wording(lang);
    let words = w.cluster;
    if detail.facts {
        for node in report.nodes {
            styled(out, Role::Heading, &(words.host_facts)(&node.name))?;
            writeln!(out)?;
            for (name, found) in &node.facts {
                writeln!(out, "  {name} = {}  ({})", found.value, found.from)?;
            }
            for (name, why) in &node.unknown {
                writeln!(out, "  {name} = {}  ({why})", words.unknown_fact)?;
            }
        }
        writeln!(out)?;
    }
    let checked = match (&report.version, &report.upgrade_to) {
        (Some(version), Some(target)) => Some(format!("{version} → {target}")),
        (version, _) => version.clone(),
    };
    let version = (words.version)(checked.as_deref(), &report.version_from);
    styled(out, Role::Label, &version)?;
    writeln!(out)?;
    for (heading, findings) in [
        (words.applies, &report.applies),
        (words.on_upgrade, &report.on_upgrade),
    ] {
        if findings.is_empty() {
            continue;
        }
        writeln!(out)?;
        styled(
            out,
            Role::Heading,
            &format!("{heading} ({})", findings.len()),
        )?;
        writeln!(out)?;
        for finding in findings {
            print_cluster_finding(out, finding, lang)?;
        }
    }
    if detail.unknown && !report.unknown.is_empty() {
        writeln!(out)?;
        let heading = format!("{} ({})", words.unknown, report.unknown.len());
        styled(out, Role::Heading, &heading)?;
        writeln!(out)?;
        for finding in &report.unknown {
            print_heading(out, &finding.entry, lang, false)?;
            // Facts learnt the same way share a line.
            for group in finding.missing.chunk_by(|a, b| a.how == b.how) {
                let facts: Vec<&str> = group.iter().map(|m| m.fact.as_str()).collect();
                write!(out, "  ")?;
                styled(
                    out,
                    Role::Label,
                    &format!("{} {}:", words.needs, facts.join(", ")),
                )?;
                writeln!(out, " {}", group[0].how)?;
            }
        }
    }
    writeln!(out)?;
    let totals = ClusterTotals {
        applies: report.applies.len(),
        on_upgrade: report.on_upgrade.len(),
        unknown: report.unknown.len(),
        not_applicable: report.not_applicable,
        unstated: report.unstated,
        not_stated: report.not_stated,
    };
    styled(out, Role::Label, &(words.totals)(&totals))?;
    writeln!(out)?;
    if !detail.unknown && !report.unknown.is_empty() {
        writeln!(out, "{}", (words.need_config)(report.unknown.len()))?;
    }
    Ok(())
}

fn print_cluster_finding(
    out: &mut dyn WriteColor,
    finding: &ClusterFinding,
    lang: Lang,
) -> io::Result<()> {
    let w = wording(lang);
    print_heading(out, &finding.entry, lang, false)?;
    if !finding.nodes.is_empty() {
        write!(out, "  ")?;
        styled(out, Role::Label, &format!("{}:", w.cluster.nodes))?;
        writeln!(out, " {}", finding.nodes.join(", "))?;
    }
    for fact in &finding.because {
        write!(out, "  ")?;
        styled(out, Role::Label, &format!("{}:", w.cluster.because))?;
        writeln!(
            out,
            " {} = {} ({})",
            fact.fact, fact.found.value, fact.found.from
        )?;
    }
    print_first_step(out, finding.entry.first_step, w.workaround)
}

/// `triage`: each known issue found, where and how often, the first line that showed it,
/// and what to do; then what was read.
pub fn print_triage(out: &mut dyn WriteColor, report: &TriageReport) -> io::Result<()> {
    let lang = report.lang;
    let w = wording(lang);
    for finding in &report.findings {
        let entry = &finding.entry;
        print_heading(out, entry, lang, finding.weak)?;
        writeln!(out, "  {}", phrases::triage_seen(finding, lang))?;
        print_context(out, Some(&finding.context), lang)?;
        write!(out, "  ")?;
        styled(out, Role::Highlight, finding.example)?;
        writeln!(out)?;
        print_first_step(out, entry.first_step, w.workaround)?;
        writeln!(out)?;
    }
    let summary = phrases::triage_summary(report);
    styled(out, Role::Label, &summary)?;
    writeln!(out)
}
