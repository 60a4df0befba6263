//! Splitting one entry file into its TOML header, title line and Markdown body.
//!
//! Only the shape of the file is checked here; what the values mean is checked in
//! [`crate::load`], which sees all files of an entry together.

use crate::diagnostic::Diagnostic;
use crate::lang::Lang;
use crate::model::Outside;
use crate::version::VersionRange;
use serde::Deserialize;

/// The header exactly as written. Unknown keys are errors at every level.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHeader {
    /// `[entry]`: the id and language, and in the primary file the component and keywords.
    pub entry: RawEntry,
    /// `[source]`: where the entry comes from; only the primary file has it.
    pub source: Option<RawSource>,
    /// `[versions]`: which releases the issue affects; left out when the text names no version.
    pub versions: Option<RawVersions>,
    /// `[symptoms]`: the error lines as the page shows them.
    pub symptoms: Option<RawSymptoms>,
    /// `[upstream]`: the upstream project, the words people use for it, and errors seen in
    /// reports.
    pub upstream: Option<RawUpstream>,
    /// `[conditions]`: when the issue applies, over facts of the cluster and its hosts.
    pub conditions: Option<RawConditions>,
}

/// The `[conditions]` table: when the issue applies (see [`crate::condition`]).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConditions {
    /// `when`: clauses that must all hold, each one or more tests joined by `||`.
    pub when: Vec<String>,
    /// `statement`: the sentences of the entry's text the clauses were read from, verbatim.
    #[serde(default)]
    pub statement: Vec<String>,
}

/// The `[entry]` table, which every file has.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEntry {
    /// `id`: the entry's stable id (`ABM-0007`); it must match the file name.
    pub id: String,
    /// `lang`: the file's language code (`ja`, `en`); it must match the file name.
    pub lang: String,
    /// `component`: one id of `kb/components.toml`; required in the primary file, refused in a
    /// translation.
    pub component: Option<String>,
    /// `keywords`: extra words to find the entry by, in any language; primary file only.
    pub keywords: Option<Vec<String>>,
}

/// The `[source]` table, which makes a file the primary one: where the entry comes from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    /// `document`: the source document's title, as its `source.toml` names it.
    pub document: String,
    /// `category`: the page's category heading the issue sits under, one of `source.toml`'s.
    pub category: String,
    /// The issue's title as a quoted page words it; a retold source's entries have none.
    pub title: Option<String>,
    /// The address of this entry's own source (a report), when not the folder's.
    pub url: Option<String>,
    /// The date of this entry's own source (YYYY-MM-DD).
    pub date: Option<String>,
    /// The release notes that state the issue, or the later facts of a page's entry.
    #[serde(default)]
    pub notes: Vec<RawNote>,
}

/// A release note: the release it is about and its date, and its address when it is not
/// the folder's source document.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNote {
    /// `release`: the release the note is about (`1.8.2`); the lint checks it is a version.
    pub release: String,
    /// `date`: the note's date, YYYY-MM-DD.
    pub date: String,
    /// `url`: the note's address, when it is not the folder's source document (a quoted page's
    /// notes always name one).
    pub url: Option<String>,
}

/// The `[versions]` table: which releases the issue affects, as read from the text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawVersions {
    /// `affected`: the affected ranges, with OSV semantics; left out (never empty) when the text
    /// names no version.
    pub affected: Option<Vec<VersionRange>>,
    /// `fixed_in`: the first release that fixes the issue, the lowest when several release lines
    /// have a fix; the lint checks it is a version.
    pub fixed_in: Option<String>,
    /// `upgrade_to`: for issues that hit while upgrading, the versions upgraded to; `affected`
    /// then holds those upgraded from.
    #[serde(default)]
    pub upgrade_to: Vec<VersionRange>,
    /// `statement`: the page's sentences the ranges were read from, verbatim; a retold source's
    /// entries have none.
    #[serde(default)]
    pub statement: Vec<String>,
    /// Why the header reads the prose the way it does, where the prose is ambiguous.
    pub note: Option<String>,
    /// What the source says about releases older than the first affected range.
    pub older_lines: Option<Outside>,
    /// What the source says about releases newer than the last affected range.
    pub newer_lines: Option<Outside>,
}

/// The `[symptoms]` table: what the issue prints.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSymptoms {
    /// `errors`: error messages and log lines exactly as the page shows them, one line each.
    pub errors: Vec<String>,
}

/// The `[upstream]` table: the upstream project behind the entry, kept apart from the page's
/// text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUpstream {
    /// `component`: the upstream project the entry's component is built on (`kind`, `Cilium`).
    pub component: Option<String>,
    /// `names`: other words people use for it (`kind cluster`); none may be empty.
    #[serde(default)]
    pub names: Vec<String>,
    /// Where the component's upstream is documented.
    pub source: Option<String>,
    /// `[[upstream.errors]]`: error lines as real public reports printed them for this issue.
    #[serde(default)]
    pub errors: Vec<RawSeenError>,
}

/// One `[[upstream.errors]]` item: an error line and the report it was seen in.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSeenError {
    /// `error`: the line, verbatim, as the report printed it; a single line.
    pub error: String,
    /// `source`: the report's address (`https://…`).
    pub source: String,
}

/// A file split into its parts, with the line numbers needed for later diagnostics.
#[derive(Debug)]
pub struct ParsedFile {
    /// The header, deserialised; only its shape is checked here.
    pub header: RawHeader,
    /// The header's TOML text, to locate keys for diagnostics.
    pub header_text: String,
    /// 1-based line of the first TOML line.
    pub header_first_line: usize,
    /// The title after `# `, trimmed; never empty.
    pub title: String,
    /// 1-based line of the `# Title` line.
    pub title_line: usize,
    /// Every line after the title line, as written.
    pub body: String,
    /// 1-based line of the first body line.
    pub body_first_line: usize,
}

impl ParsedFile {
    /// The line of the first header line containing `needle`, or the header's first line.
    pub fn header_line_of(&self, needle: &str) -> usize {
        self.header_text
            .lines()
            .position(|l| l.contains(needle))
            .map_or(self.header_first_line, |i| self.header_first_line + i)
    }
}

/// Splits `text` (the content of `file`) into header, title and body.
pub fn parse_file(file: &str, text: &str) -> Result<ParsedFile, Vec<Diagnostic>> {
    let lines: Vec<&str> = text.lines().collect();
    let at = |line: usize, msg: String| vec![Diagnostic::new(file, line, msg)];

    let Some(open) = lines.iter().position(|l| !l.trim().is_empty()) else {
        return Err(at(1, "file is empty: expected a ```toml header".into()));
    };
    if lines[open].trim_end() != "```toml" {
        return Err(at(
            open + 1,
            "expected the ```toml header fence as the first line".into(),
        ));
    }
    let Some(close) = lines[open + 1..]
        .iter()
        .position(|l| l.trim_end() == "```")
        .map(|i| open + 1 + i)
    else {
        return Err(at(open + 1, "the ```toml header is never closed".into()));
    };
    let header_text = lines[open + 1..close].join("\n");
    let header_first_line = open + 2;
    let header: RawHeader = toml::from_str(&header_text).map_err(|e| {
        let line = e
            .span()
            .map_or(0, |s| header_text[..s.start].matches('\n').count());
        let message = e.message().trim().replace('\n', " ");
        at(header_first_line + line, format!("header: {message}"))
    })?;

    let Some(title_idx) = lines[close + 1..]
        .iter()
        .position(|l| !l.trim().is_empty())
        .map(|i| close + 1 + i)
    else {
        return Err(at(
            close + 1,
            "expected a `# Title` line after the header".into(),
        ));
    };
    let Some(title) = lines[title_idx].strip_prefix("# ") else {
        return Err(at(
            title_idx + 1,
            "expected a `# Title` line right after the header".into(),
        ));
    };
    let title = title.trim().to_string();
    if title.is_empty() {
        return Err(at(title_idx + 1, "the title is empty".into()));
    }
    let body = lines[title_idx + 1..].join("\n");
    Ok(ParsedFile {
        header,
        header_text,
        header_first_line,
        title,
        title_line: title_idx + 1,
        body,
        body_first_line: title_idx + 2,
    })
}

/// One entry file, parsed, with its names.
pub(crate) struct EntryFile {
    /// How diagnostics name it (`kb/anthos-bm/ABM-0007.ja.md`).
    pub label: String,
    /// Its path relative to the knowledge-base root.
    pub rel: String,
    /// The id and language its name says.
    pub id: String,
    pub lang: Lang,
    pub parsed: ParsedFile,
}

impl EntryFile {
    /// The `[source]` table, which only a primary file has.
    pub fn source(&self) -> Option<&RawSource> {
        self.parsed.header.source.as_ref()
    }

    pub fn versions(&self) -> Option<&RawVersions> {
        self.parsed.header.versions.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str =
        "```toml\n[entry]\nid = \"ABM-0001\"\nlang = \"en\"\n```\n\n# A title\n\nBody.\n";

    #[test]
    fn a_well_formed_file_splits_into_parts() {
        let parsed = parse_file("x.md", GOOD).unwrap();
        assert_eq!(parsed.header.entry.id, "ABM-0001");
        assert_eq!(parsed.title, "A title");
        assert_eq!(parsed.title_line, 7);
        assert!(parsed.body.contains("Body."));
    }

    #[test]
    fn an_unknown_header_key_is_reported_at_its_line() {
        let text = GOOD.replace("lang = \"en\"", "lang = \"en\"\ncomponnt = \"os\"");
        let err = parse_file("x.md", &text).unwrap_err();
        assert_eq!(err[0].line, 5, "{}", err[0]);
        assert!(err[0].message.contains("componnt"), "{}", err[0]);
    }

    #[test]
    fn a_missing_title_is_reported() {
        let text = GOOD.replace("# A title", "A title");
        let err = parse_file("x.md", &text).unwrap_err();
        assert_eq!(
            err[0].to_string(),
            "x.md:7: expected a `# Title` line right after the header"
        );
    }

    #[test]
    fn an_unclosed_header_is_reported() {
        let err = parse_file("x.md", "```toml\n[entry]\n").unwrap_err();
        assert_eq!(err[0].line, 1);
    }
}
