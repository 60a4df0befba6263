//! `triage`: the known issues a whole log shows, where and how often.

use super::context::ContextReport;
use super::entry::EntrySummary;
use crate::context::Context;
use crate::triage::Tally;
use serde::Serialize;
use shirube_kb::{KnowledgeBase, Lang, VersionQuery};

/// `{"findings": [...], "lines": N, "bytes": N, "errors": [{"input", "message"}]}`.
#[derive(Clone, Debug, Serialize)]
pub struct TriageReport<'a> {
    /// In the order first seen: those the lines show, then the weak ones, then those that
    /// do not apply here (see `context`).
    pub findings: Vec<TriageFinding<'a>>,
    /// Lines read, across all inputs.
    pub lines: u64,
    /// Bytes read (after decompression), across all inputs.
    pub bytes: u64,
    /// Inputs, or archive members, that could not be read.
    pub errors: Vec<InputErrorRef<'a>>,
    /// The display language.
    #[serde(skip)]
    pub lang: Lang,
}

/// One known issue seen in the inputs.
#[derive(Clone, Debug, Serialize)]
pub struct TriageFinding<'a> {
    /// The entry's fields (the README's JSON contract), flattened into the finding.
    #[serde(flatten)]
    pub entry: EntrySummary<'a>,
    /// Lines that showed the issue.
    pub count: u64,
    /// Input of the first line.
    pub file: &'a str,
    /// The 1-based line of `file` the issue first showed on.
    pub first_line: u64,
    /// Input of the last line.
    pub last_file: &'a str,
    /// The 1-based line of `last_file` the issue last showed on.
    pub last_line: u64,
    /// The first of the lines that showed the most of it.
    pub example: &'a str,
    /// How sure the lines make it that the issue is there, 0–1: the most of one of its
    /// known errors a line showed.
    pub confidence: f32,
    /// The lines show too little to be sure: only a part of the known error, or only a
    /// message every log prints ("no route to host"). Not counted as found.
    pub weak: bool,
    /// Whether the issue applies to the cluster the logs come from, as far as the facts
    /// given tell: a log line can show an error whose cause this cluster cannot have.
    pub context: ContextReport,
}

impl TriageFinding<'_> {
    /// Whether the finding counts as a known issue found: shown surely, and not ruled out.
    pub fn counts(&self) -> bool {
        !self.weak && self.context.applies != Some(false)
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct InputErrorRef<'a> {
    pub input: &'a str,
    pub message: &'a str,
}

/// Which findings a triage report keeps.
#[derive(Clone, Debug, Default)]
pub struct TriageFilter {
    /// Issues seen on fewer lines are left out.
    pub min_count: u64,
    /// Only issues that may affect this version.
    pub version: Option<VersionQuery>,
}

impl<'a> TriageReport<'a> {
    /// Whether the logs show a known issue: one they show surely, and that the facts known
    /// do not rule out. What `triage`'s exit status says.
    pub fn found(&self) -> bool {
        self.findings.iter().any(TriageFinding::counts)
    }

    /// The findings of `tally` that `filter` keeps, each judged in `context`.
    pub fn new(
        kb: &'a KnowledgeBase,
        tally: &'a Tally,
        filter: &TriageFilter,
        context: &Context,
        lang: Lang,
    ) -> Self {
        let mut findings: Vec<TriageFinding> = tally
            .findings
            .iter()
            .filter(|f| f.count >= filter.min_count)
            .filter_map(|f| Some((kb.entries.get(f.entry)?, f)))
            .filter(|(entry, _)| {
                filter
                    .version
                    .as_ref()
                    .is_none_or(|v| entry.versions.may_affect(v))
            })
            .map(|(entry, f)| TriageFinding {
                entry: EntrySummary::new(entry, lang, kb),
                count: f.count,
                file: &f.first.file,
                first_line: f.first.line,
                last_file: &f.last.file,
                last_line: f.last.line,
                example: &f.example,
                confidence: f.shown,
                weak: !f.is_sure(),
                context: ContextReport::of(&context.judge(entry)),
            })
            .collect();
        findings.sort_by_key(|f| (f.context.applies == Some(false), f.weak));
        TriageReport {
            findings,
            lines: tally.lines,
            bytes: tally.bytes,
            errors: tally
                .errors
                .iter()
                .map(|e| InputErrorRef {
                    input: &e.input,
                    message: &e.message,
                })
                .collect(),
            lang,
        }
    }
}
