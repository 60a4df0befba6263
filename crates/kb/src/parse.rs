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
    pub entry: RawEntry,
    pub source: Option<RawSource>,
    pub versions: Option<RawVersions>,
    pub symptoms: Option<RawSymptoms>,
    pub upstream: Option<RawUpstream>,
    pub conditions: Option<RawConditions>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConditions {
    pub when: Vec<String>,
    #[serde(default)]
    pub statement: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEntry {
    pub id: String,
    pub lang: String,
    pub component: Option<String>,
    pub keywords: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub document: String,
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
    pub release: String,
    pub date: String,
    pub url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawVersions {
    pub affected: Option<Vec<VersionRange>>,
    pub fixed_in: Option<String>,
    #[serde(default)]
    pub upgrade_to: Vec<VersionRange>,
    #[serde(default)]
    pub statement: Vec<String>,
    /// Why the header reads the prose the way it does, where the prose is ambiguous.
    pub note: Option<String>,
    /// What the source says about releases older than the first affected range.
    pub older_lines: Option<Outside>,
    /// What the source says about releases newer than the last affected range.
    pub newer_lines: Option<Outside>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSymptoms {
    pub errors: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUpstream {
    pub component: Option<String>,
    #[serde(default)]
    pub names: Vec<String>,
    /// Where the component's upstream is documented.
    pub source: Option<String>,
    #[serde(default)]
    pub errors: Vec<RawSeenError>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSeenError {
    pub error: String,
    pub source: String,
}

/// A file split into its parts, with the line numbers needed for later diagnostics.
#[derive(Debug)]
pub struct ParsedFile {
    pub header: RawHeader,
    /// The header's TOML text, to locate keys for diagnostics.
    pub header_text: String,
    /// 1-based line of the first TOML line.
    pub header_first_line: usize,
    pub title: String,
    pub title_line: usize,
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
