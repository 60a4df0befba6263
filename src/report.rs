//! What the commands report, as serialisable types: these are the JSON contract documented
//! in the README, and the text and Markdown printers render the same values.

use crate::engine::Hit;
use crate::snippet::Snippet;
use serde::Serialize;
use shirube_kb::audit::{Applies, Finding};
use shirube_kb::{Entry, Lang, Version, VersionRange};

/// `search --json` and `list --json`: `{"query": ..., "results": [...]}`.
#[derive(Debug, Serialize)]
pub struct ResultsReport<'a> {
    /// The query text; `null` for `list`.
    pub query: Option<&'a str>,
    pub results: Vec<EntrySummary<'a>>,
}

/// One entry in a result list.
#[derive(Debug, Serialize)]
pub struct EntrySummary<'a> {
    pub id: &'a str,
    /// The title in the display language.
    pub title: &'a str,
    /// The title exactly as in the source page.
    pub source_title: &'a str,
    /// The display language.
    pub lang: Lang,
    pub component: &'a str,
    /// OSV-style ranges; `null` when the source names no version.
    pub affected: Option<&'a [VersionRange]>,
    pub fixed_in: Option<&'a Version>,
    /// Relevance for `search`; `null` for `list`.
    pub score: Option<f32>,
    /// The line that matched, for `search`; `null` for `list`.
    pub snippet: Option<String>,
    /// The first workaround step in the display language.
    pub first_step: &'a str,
    /// How sure the search is that this entry answers the query, 0–1; `null` for `list`.
    pub confidence: Option<f32>,
    /// A candidate below the confidence threshold (shown only with `--all`); `null` for
    /// `list`.
    pub weak: Option<bool>,
    /// The pasted line that showed one of the entry's known errors.
    pub matched_line: Option<&'a str>,
    #[serde(skip)]
    pub highlights: Option<&'a Snippet>,
}

impl<'a> EntrySummary<'a> {
    pub fn of_entry(entry: &'a Entry, lang: Lang) -> Self {
        let doc = entry.doc(lang);
        EntrySummary {
            id: &entry.id,
            title: &doc.title,
            source_title: &entry.source.title,
            lang: doc.lang,
            component: &entry.component,
            affected: entry.versions.affected.as_deref(),
            fixed_in: entry.versions.fixed_in.as_ref(),
            score: None,
            snippet: None,
            first_step: &doc.first_step,
            confidence: None,
            weak: None,
            matched_line: None,
            highlights: None,
        }
    }

    pub fn of_hit(hit: &'a Hit<'a>, lang: Lang) -> Self {
        EntrySummary {
            score: Some(hit.score),
            confidence: Some(hit.confidence),
            weak: Some(hit.weak),
            matched_line: hit.known_error.as_ref().map(|k| k.line.as_str()),
            snippet: hit.snippet.as_ref().map(|s| s.text.clone()),
            highlights: hit.snippet.as_ref(),
            ..EntrySummary::of_entry(hit.entry, lang)
        }
    }
}

/// `show --format json` and each entry of `export --format json`: the whole entry in one
/// language.
#[derive(Debug, Serialize)]
pub struct EntryDetail<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub source_title: &'a str,
    pub lang: Lang,
    pub component: &'a str,
    pub keywords: &'a [String],
    pub source: SourceRef<'a>,
    pub affected: Option<&'a [VersionRange]>,
    pub fixed_in: Option<&'a Version>,
    pub upgrade_to: &'a [VersionRange],
    /// The source sentences the versions were read from.
    pub version_statement: &'a [String],
    /// How ambiguous sentences were read.
    pub version_note: Option<&'a str>,
    pub errors: &'a [String],
    pub first_step: &'a str,
    /// The Markdown body in the display language.
    pub body: &'a str,
    /// The languages this entry is written in.
    pub languages: Vec<Lang>,
}

#[derive(Debug, Serialize)]
pub struct SourceRef<'a> {
    pub document: &'a str,
    pub category: &'a str,
    pub title: &'a str,
    pub file: &'a str,
}

impl<'a> EntryDetail<'a> {
    pub fn new(entry: &'a Entry, lang: Lang) -> Self {
        let doc = entry.doc(lang);
        EntryDetail {
            id: &entry.id,
            title: &doc.title,
            source_title: &entry.source.title,
            lang: doc.lang,
            component: &entry.component,
            keywords: &entry.keywords,
            source: SourceRef {
                document: &entry.source.document,
                category: &entry.source.category,
                title: &entry.source.title,
                file: &entry.source.file,
            },
            affected: entry.versions.affected.as_deref(),
            fixed_in: entry.versions.fixed_in.as_ref(),
            upgrade_to: &entry.versions.upgrade_to,
            version_statement: &entry.versions.statement,
            version_note: entry.versions.note.as_deref(),
            errors: &entry.errors,
            first_step: &doc.first_step,
            body: &doc.body,
            languages: entry.docs.iter().map(|d| d.lang).collect(),
        }
    }
}

/// `export --format json`.
#[derive(Debug, Serialize)]
pub struct ExportReport<'a> {
    pub lang: Lang,
    pub entries: Vec<EntryDetail<'a>>,
}

/// `check --json`: the known issues that apply to a cluster version or an upgrade.
#[derive(Debug, Serialize)]
pub struct CheckReport<'a> {
    pub version: String,
    pub upgrade_to: Option<String>,
    pub findings: Vec<CheckFinding<'a>>,
    /// Entries that name no version at all: they may apply and are not listed.
    pub unspecified: usize,
    pub summary: CheckSummary,
}

#[derive(Debug, Serialize)]
pub struct CheckFinding<'a> {
    #[serde(flatten)]
    pub entry: EntrySummary<'a>,
    /// `at_version` or `on_upgrade`.
    pub applies: &'static str,
    pub upgrade_to_ranges: &'a [VersionRange],
    /// The lowest version past the issue, when its ranges end.
    pub first_unaffected: Option<Version>,
    /// Whether the upgrade target leaves the issue behind.
    pub fixed_by_target: bool,
}

/// "upgrading to `by` fixes `fixed` of these `findings`".
#[derive(Debug, Serialize)]
pub struct CheckSummary {
    pub findings: usize,
    pub fixed: usize,
    pub by: Option<String>,
}

impl<'a> CheckFinding<'a> {
    pub fn new(finding: &Finding<'a>, lang: Lang) -> Self {
        CheckFinding {
            entry: EntrySummary::of_entry(finding.entry, lang),
            applies: match finding.applies {
                Applies::AtVersion => "at_version",
                Applies::OnUpgrade => "on_upgrade",
            },
            upgrade_to_ranges: &finding.entry.versions.upgrade_to,
            first_unaffected: shirube_kb::audit::first_unaffected(finding.entry),
            fixed_by_target: finding.fixed_by_target,
        }
    }
}

/// `triage --json`: `{"findings": [...], "lines": N, "bytes": N}`.
#[derive(Debug, Serialize)]
pub struct TriageReport<'a> {
    pub findings: Vec<TriageFinding<'a>>,
    /// Lines read, across all inputs.
    pub lines: u64,
    /// Bytes read (after decompression), across all inputs.
    pub bytes: u64,
}

#[derive(Debug, Serialize)]
pub struct TriageFinding<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub source_title: &'a str,
    pub component: &'a str,
    pub affected: Option<&'a [VersionRange]>,
    pub fixed_in: Option<&'a Version>,
    /// Lines that showed the issue.
    pub count: u64,
    /// Input of the first line.
    pub file: &'a str,
    pub first_line: u64,
    /// Input of the last line.
    pub last_file: &'a str,
    pub last_line: u64,
    /// The first line that showed it.
    pub example: &'a str,
    pub first_step: &'a str,
}

impl<'a> TriageFinding<'a> {
    pub fn new(entry: &'a Entry, finding: &'a crate::triage::Finding, lang: Lang) -> Self {
        let doc = entry.doc(lang);
        TriageFinding {
            id: &entry.id,
            title: &doc.title,
            source_title: &entry.source.title,
            component: &entry.component,
            affected: entry.versions.affected.as_deref(),
            fixed_in: entry.versions.fixed_in.as_ref(),
            count: finding.count,
            file: &finding.first.file,
            first_line: finding.first.line,
            last_file: &finding.last.file,
            last_line: finding.last.line,
            example: &finding.example,
            first_step: &doc.first_step,
        }
    }
}
