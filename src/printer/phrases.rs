//! The sentences and fields every printer writes the same way, whatever it writes them
//! into (a terminal, Markdown, HTML): built once here from a report and the wording.

use super::versions;
use super::wording::{CheckTotals, ExcludedWords, TriageTotals, wording};
use crate::report::{
    CheckFinding, CheckReport, EntryDetail, Excluded, TriageFinding, TriageReport,
};
use shirube_kb::Lang;
use shirube_kb::audit::Applies;

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
    if let Some(to) = versions::upgrade_to(entry.upgrade_to) {
        rows.push((w.upgrade_to, to));
    }
    rows.push((w.fixed_in, versions::fixed_in(entry.fixed_in, lang)));
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
    rows.push((
        w.source,
        format!(
            "{} › {} › {}",
            source.document, source.category, source.title
        ),
    ));
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

/// `ABM-0007 matches this, but it was fixed in 1.8.2 and 1.9.1 is not affected`.
pub fn excluded(excluded: &Excluded, version: Option<&str>, lang: Lang) -> String {
    let entry = &excluded.entry;
    (wording(lang).excluded)(&ExcludedWords {
        id: entry.id,
        fixed_in: entry.fixed_in.map(ToString::to_string).as_deref(),
        affected: &versions::affected(entry.affected, lang),
        version: version.unwrap_or_default(),
    })
}

/// `affected < 1.8.2 · fixed in 1.8.2 · hits the upgrade itself`: a check finding's
/// versions and what leaves it behind.
pub fn check_meta(finding: &CheckFinding, lang: Lang) -> String {
    let w = wording(lang);
    let entry = &finding.entry;
    let fixed = match (entry.fixed_in, &finding.first_unaffected) {
        (Some(fixed), _) => format!("{} {fixed}", w.fixed_in),
        (None, Some(first)) => format!("{} {first}", w.first_unaffected),
        (None, None) => format!("{} {}", w.fixed_in, w.not_stated),
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
    (wording(report.lang).triage_summary)(&TriageTotals {
        findings: report.findings.len(),
        lines: report.lines,
        bytes: report.bytes,
    })
}
