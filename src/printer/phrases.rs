//! The sentences and fields every printer writes the same way, whatever it writes them
//! into (a terminal, Markdown, HTML): built once here from a report and the wording.

use super::versions;
use super::wording::{CheckTotals, ExcludedWords, TriageTotals, wording};
use crate::report::{
    CheckFinding, CheckReport, ContextReport, EntryDetail, EntrySummary, Excluded, TriageFinding,
    TriageReport,
};
use shirube_kb::audit::Applies;
use shirube_kb::{Lang, Outside, RangeList};

/// ` · pack NAME` for an entry that came in a pack; nothing for a built-in one.
pub fn origin(entry: &EntrySummary, lang: Lang) -> String {
    if entry.kb == shirube_kb::pack::BUILT_IN {
        String::new()
    } else {
        format!(" · {} {}", wording(lang).pack, entry.kb)
    }
}

/// The fields of an entry in full, name and value: component, versions, the page's
/// sentences they were read from (with `statements`), the source and the upstream names.
pub fn entry_fields(detail: &EntryDetail, statements: bool) -> Vec<(&'static str, String)> {
    let entry = &detail.summary;
    let lang = entry.lang;
    let w = wording(lang);
    let mut rows = vec![
        (
            w.component,
            format!("{} ({})", entry.component, entry.component_label),
        ),
        (w.affected, versions::affected(entry.affected, lang)),
    ];
    if entry.kb != shirube_kb::pack::BUILT_IN {
        rows.insert(0, (w.pack, entry.kb.to_string()));
    }
    if let Some(to) = versions::upgrade_to(entry.upgrade_to) {
        rows.push((w.upgrade_to, to));
    }
    rows.push((w.fixed_in, versions::fixed_in(entry.fixed_in, lang)));
    if entry.older_lines == Outside::NotStated {
        rows.push((w.older_releases, w.not_stated.to_string()));
    }
    if entry.newer_lines == Outside::NotStated {
        rows.push((w.newer_releases, w.not_stated.to_string()));
    }
    if statements {
        for sentence in detail.version_statement {
            rows.push((w.statement, sentence.clone()));
        }
        if let Some(note) = detail.version_note {
            rows.push((w.note, note.to_string()));
        }
    }
    if !detail.conditions.is_empty() {
        rows.push((w.cluster.conditions, detail.conditions.when.join(" · ")));
        if statements {
            for sentence in &detail.conditions.statement {
                rows.push((w.statement, sentence.clone()));
            }
        }
    }
    let source = &detail.source;
    // A retold entry's source title is its own title: not said twice.
    let place = if source.title == entry.title {
        format!("{} › {}", source.document, source.category)
    } else {
        format!(
            "{} › {} › {}",
            source.document, source.category, source.title
        )
    };
    rows.push((w.source, place));
    if let Some(date) = source.date {
        rows.push((w.date, date.to_string()));
    }
    if !source.notes.is_empty() {
        let notes: Vec<String> = source
            .notes
            .iter()
            .map(|note| match &note.url {
                Some(url) => format!("{} ({}, {url})", note.release, note.date),
                None => format!("{} ({})", note.release, note.date),
            })
            .collect();
        rows.push((w.notes, notes.join(", ")));
    }
    if let Some(url) = source.url {
        rows.push((w.address, url.to_string()));
    }
    if let Some(upstream) = upstream_line(detail) {
        rows.push((w.upstream, upstream));
    }
    rows
}

/// `Cilium (cilium agent, cilium-agent)`: the upstream component and the other names.
fn upstream_line(detail: &EntryDetail) -> Option<String> {
    let upstream = detail.upstream;
    let names = upstream.names.join(", ");
    match (&upstream.component, names.is_empty()) {
        (None, true) => None,
        (Some(component), true) => Some(component.clone()),
        (Some(component), false) => Some(format!("{component} ({names})")),
        (None, false) => Some(names),
    }
}

/// `ABM-0007 matches this, but it was fixed in 1.8.2 and 1.9.1 is not affected`, or, for a
/// version before the fix, that it is not among the affected versions.
pub fn excluded(excluded: &Excluded, version: Option<&str>, lang: Lang) -> String {
    let entry = &excluded.entry;
    (wording(lang).excluded)(&ExcludedWords {
        id: entry.id,
        fixed_in: entry
            .fixed_in
            .filter(|_| excluded.past_fix)
            .map(ToString::to_string)
            .as_deref(),
        affected: &versions::affected(entry.affected, lang),
        version: version.unwrap_or_default(),
    })
}

/// `does not apply here: host.kernel = 5.15.0 (from the question: "kernel 5.15")`: what
/// the facts known say of a search result, when they decide.
pub fn context_line(context: &ContextReport, lang: Lang) -> Option<String> {
    let w = wording(lang);
    let label = match context.applies? {
        true => w.applies_here,
        false => w.not_here,
    };
    let facts: Vec<String> = context
        .because
        .iter()
        .map(|used| {
            let from = &used.found.from;
            let from = match from.strip_prefix(crate::context::FROM_QUESTION) {
                Some(words) => format!("{} {words}", w.the_question),
                None => from.clone(),
            };
            format!(
                "{} = {} ({} {from})",
                used.fact, used.found.value, w.fact_from
            )
        })
        .collect();
    Some(format!("{label}: {}", facts.join("; ")))
}

/// `affected < 1.8.2 · fixed in 1.8.2 · hits the upgrade itself`: a check finding's
/// versions and what leaves it behind.
pub fn check_meta(finding: &CheckFinding, lang: Lang) -> String {
    let w = wording(lang);
    let entry = &finding.entry;
    // The fix on the checked version's own line first: that is the patch to go to.
    let fixed = match (
        &finding.fixed_on_line,
        entry.fixed_in,
        &finding.first_unaffected,
    ) {
        (Some(fixed), _, _) | (None, Some(fixed), _) => format!("{} {fixed}", w.fixed_in),
        (None, None, Some(first)) => format!("{} {first}", w.first_unaffected),
        (None, None, None) => format!("{} {}", w.fixed_in, w.not_stated),
    };
    let on_upgrade = match finding.applies {
        Applies::OnUpgrade => w.on_upgrade,
        Applies::AtVersion => "",
    };
    format!(
        "{} {} · {fixed}{on_upgrade}",
        w.affected,
        versions::affected(entry.affected, lang)
    )
}

/// What `check` says of an entry whose source does not say whether the version has it:
/// where its stated versions begin, and its fix.
pub fn not_stated_meta(entry: &EntrySummary, lang: Lang) -> String {
    let w = wording(lang);
    let mut meta = match (entry.affected, entry.fixed_in) {
        (Some(ranges), _) => format!("{} {}", w.stated_for, RangeList(ranges)),
        (None, Some(fixed)) => format!("{} {fixed}", w.stated_from),
        (None, None) => String::new(),
    };
    if let Some(fixed) = entry.fixed_in {
        meta += &format!(" · {} {fixed}", w.fixed_in);
    }
    meta
}

/// `check`'s closing line.
pub fn check_summary(report: &CheckReport) -> String {
    let w = wording(report.lang);
    let checked = match &report.upgrade_to {
        Some(target) => format!("{} → {target}", report.version),
        None => report.version.clone(),
    };
    let summary = &report.summary;
    let totals = CheckTotals {
        checked: &checked,
        findings: summary.findings,
        unspecified: report.unspecified,
        not_stated: report.not_stated.len(),
        fixed: summary.fixed,
    };
    let mut line = (w.check_applies)(&totals);
    if let Some(by) = &summary.by {
        line += &(w.check_fixes)(&totals, by);
    }
    line
}

/// `seen on 3 lines (a.log:12 … b.log:40)`.
pub fn triage_seen(finding: &TriageFinding, lang: Lang) -> String {
    let place = if finding.count == 1 {
        format!("{}:{}", finding.file, finding.first_line)
    } else {
        format!(
            "{}:{} … {}:{}",
            finding.file, finding.first_line, finding.last_file, finding.last_line
        )
    };
    (wording(lang).seen_on)(finding.count, &place)
}

/// `triage`'s closing line.
pub fn triage_summary(report: &TriageReport) -> String {
    let weak = report.findings.iter().filter(|f| f.weak).count();
    (wording(report.lang).triage_summary)(&TriageTotals {
        findings: report.findings.len() - weak,
        weak,
        lines: report.lines,
        bytes: report.bytes,
    })
}
