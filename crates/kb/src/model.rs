//! The validated knowledge base: what the index is built from and what the binary shows.
//!
//! These types are produced by [`crate::load_kb`] only after every check passed, and are
//! serialised to JSON at build time so the binary can show entries without parsing Markdown.
//! The knowledge base that holds them is [`crate::KnowledgeBase`].

use crate::condition::Conditions;
use crate::lang::Lang;
use crate::version::{Version, VersionQuery, VersionRange};
use serde::{Deserialize, Serialize};

/// A source document folder's `source.toml`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceDocument {
    /// The page title, which every entry's `source.document` repeats.
    pub title: String,
    /// The page's language: every entry's primary file is written in it.
    pub lang: Lang,
    /// Prefix of the ids of this folder's entries, e.g. `ABM`.
    pub id_prefix: String,
    /// The page's category headings in page order (the dump lost heading levels), or the
    /// headings its notes sit under.
    pub categories: Vec<String>,
    /// Whether the entries quote the page (its own text, as the seed page's Japanese) or
    /// retell it in their own words (release notes: facts carry over, sentences never).
    #[serde(default)]
    pub text: SourceText,
    /// The document's address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The terms the document is published under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence: Option<String>,
    /// Folder name under `kb/`; filled in on load.
    #[serde(default, skip)]
    pub folder: String,
}

/// How a folder's entries relate to their source's text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceText {
    /// The primary files are the page's own text; their `statement`s quote it.
    #[default]
    Verbatim,
    /// Every file is written in our own words from the source's facts.
    Retold,
}

/// One known issue, in every language it is written in.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Entry {
    /// Stable id such as `ABM-0007`.
    pub id: String,
    /// One id of `kb/components.toml`.
    pub component: String,
    /// Extra search words from the header, in any language.
    pub keywords: Vec<String>,
    /// Where it comes from: its document, category and title, and its release notes.
    pub source: Source,
    /// Which releases it affects; the default (no version named) when the header has no
    /// `[versions]`.
    pub versions: Versions,
    /// Error messages and log lines exactly as the source shows them.
    pub errors: Vec<String>,
    /// The upstream project behind the entry, the words people use for it, and its errors
    /// as real reports printed them: apart from the page's own words.
    pub upstream: Upstream,
    /// When it applies, over facts of a cluster's configuration and hosts; empty when the
    /// page states no condition.
    pub conditions: Conditions,
    /// The primary document first, then translations.
    pub docs: Vec<Document>,
    /// The knowledge pack the entry came in (`index-build pack` names it); none for the
    /// knowledge base built into the binary or a `--kb` folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pack: Option<String>,
}

/// What the entry is called upstream, in the words people use (like RustSec's
/// `references`, kept apart from the page's text).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Upstream {
    /// The upstream project the entry's component is built on (`Cilium` for anetd).
    pub component: Option<String>,
    /// Other words people use for it (`cilium agent`, `kind cluster`).
    pub names: Vec<String>,
    /// Where the component's upstream is documented.
    pub source: Option<String>,
    /// Error lines seen in the wild for this issue, each with where it was seen.
    pub errors: Vec<SeenError>,
}

impl Upstream {
    /// Whether it gives nothing to search by: no component, no names and no seen errors (a
    /// `source` alone counts as empty).
    pub fn is_empty(&self) -> bool {
        self.component.is_none() && self.names.is_empty() && self.errors.is_empty()
    }

    /// The component and the names, the words a question may use for the entry.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.component.iter().chain(&self.names).map(String::as_str)
    }
}

/// An error line as a real report printed it, and where.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SeenError {
    /// The error line, verbatim, as the report printed it.
    pub error: String,
    /// The address of the report.
    pub source: String,
}

impl Entry {
    /// A bare entry for unit tests.
    #[cfg(test)]
    pub(crate) fn for_tests(id: &str) -> Entry {
        Entry {
            id: id.to_string(),
            component: "os".to_string(),
            keywords: Vec::new(),
            source: Source {
                document: String::new(),
                category: String::new(),
                title: String::new(),
                lang: Lang::Ja,
                file: String::new(),
                url: None,
                date: None,
                notes: Vec::new(),
            },
            versions: Versions::default(),
            errors: Vec::new(),
            upstream: Upstream::default(),
            conditions: Conditions::default(),
            docs: Vec::new(),
            pack: None,
        }
    }

    /// The entry's titles, one per language.
    pub fn titles(&self) -> impl Iterator<Item = &str> {
        self.docs.iter().map(|d| d.title.as_str())
    }

    /// Every error line the entry knows: the page's own, then those seen in the wild.
    pub fn known_errors(&self) -> impl Iterator<Item = &str> {
        self.errors
            .iter()
            .map(String::as_str)
            .chain(self.upstream.errors.iter().map(|e| e.error.as_str()))
    }
}

/// Where an entry comes from.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Source {
    /// The source document's title, as its `source.toml` names it.
    pub document: String,
    /// The category heading of the page the issue sits under, one of `source.toml`'s.
    pub category: String,
    /// The title as the page words it, or, for a retold source, the entry's own
    /// title in the source's language.
    pub title: String,
    /// The source's language, and so the primary document's.
    pub lang: Lang,
    /// Path of the primary file, relative to the knowledge-base root.
    pub file: String,
    /// The address of the source: the entry's own (a report), else its document's.
    pub url: Option<String>,
    /// The date of the entry's own source, when it has one (a report).
    pub date: Option<String>,
    /// The release notes that state the issue (or, for a page's entry, its later facts),
    /// oldest first.
    pub notes: Vec<Note>,
}

/// A release note about an entry: the release, the note's date, and its address when it
/// is not the entry's source document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// The release the note is about.
    pub release: Version,
    /// YYYY-MM-DD.
    pub date: String,
    /// The note's address; `None` when it is the entry's source document.
    pub url: Option<String>,
}

/// Which releases an entry affects. `affected == None` means the text names no version.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Versions {
    /// The affected ranges, with OSV semantics; `None` when the text names no version, never
    /// read as "all versions".
    pub affected: Option<Vec<VersionRange>>,
    /// The first release that fixes the issue (the lowest, when several release lines have a
    /// fix); `None` when the text names none.
    pub fixed_in: Option<Version>,
    /// For issues that hit while upgrading: the versions being upgraded to.
    pub upgrade_to: Vec<VersionRange>,
    /// The sentences the ranges were read from.
    pub statement: Vec<String>,
    /// Why the ranges read the sentences this way, where they are ambiguous.
    pub note: Option<String>,
    /// What the source says of releases older than the first affected range.
    pub older_lines: Outside,
    /// What the source says of releases newer than the last affected range: a known issue
    /// stated with one release, and never fixed in the notes, says nothing of later ones.
    pub newer_lines: Outside,
}

/// What a source says of the releases outside an entry's affected ranges: older than the
/// first (or than its fix, when no range is stated), or newer than the last. Release notes
/// name the patches that fix an issue, and seldom when it began; a known issue they state
/// with one release they seldom close. Those releases are then "not stated", never "not
/// affected" and never "all versions".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outside {
    /// They are not affected (`"not affected"`, the default): the ranges say it all.
    #[default]
    #[serde(rename = "not affected")]
    NotAffected,
    /// The source does not say whether they are affected (`"not stated"`): `check` shows
    /// them as "not stated", never as not affected.
    #[serde(rename = "not stated")]
    NotStated,
}

impl Versions {
    /// Whether an entry with these versions applies to a cluster at `query`. Entries that
    /// name no version are kept: the user must not lose them to a filter.
    pub fn may_affect(&self, query: &VersionQuery) -> bool {
        if self.unstated_at(query) {
            return true;
        }
        match (&self.affected, &self.fixed_in) {
            (Some(ranges), _) => ranges.iter().any(|r| query.hits(r)),
            // A fix without ranges: the releases before it are not stated, those from it on
            // have the fix.
            (None, Some(fixed)) => query.low < *fixed,
            (None, None) => true,
        }
    }

    /// Whether every version has it: a range from `0` without an end, and no upgrade
    /// path it depends on. Such an entry needs no version to apply.
    pub fn affects_every_version(&self) -> bool {
        self.upgrade_to.is_empty()
            && self.affected.as_ref().is_some_and(|ranges| {
                ranges
                    .iter()
                    .any(|r| r.end.is_none() && r.introduced == Version::zero())
            })
    }

    /// Where the versions the source speaks of begin: the lowest `introduced` of the
    /// affected ranges or, without ranges, the fix.
    pub fn stated_from(&self) -> Option<&Version> {
        match &self.affected {
            Some(ranges) => ranges.iter().map(|r| &r.introduced).min(),
            None => self.fixed_in.as_ref(),
        }
    }

    /// Where the versions the source speaks of end: past the last affected range, when
    /// every range ends.
    pub fn stated_to(&self) -> Option<Version> {
        let ranges = self.affected.as_ref()?;
        let ends: Option<Vec<Version>> = ranges.iter().map(Version::past).collect();
        ends?.into_iter().max()
    }

    /// Whether the source leaves every version of `query` unstated: they lie below where
    /// its versions begin, and it does not say whether older releases had the issue; or
    /// above where they end, and it does not say whether newer ones do.
    pub fn unstated_at(&self, query: &VersionQuery) -> bool {
        let older = self.older_lines == Outside::NotStated
            && self.stated_from().is_some_and(|from| query.high <= *from);
        let newer = self.newer_lines == Outside::NotStated
            && self.stated_to().is_some_and(|to| query.low >= to);
        older || newer
    }
}

/// One language's rendering of an entry.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Document {
    /// The language it is written in.
    pub lang: Lang,
    /// The `# Title` line as plain text, without its inline Markdown.
    pub title: String,
    /// Markdown body after the title line.
    pub body: String,
    /// The first paragraph or list item of the workaround section, as plain text.
    pub first_step: String,
    /// Path of the file, relative to the knowledge-base root.
    pub file: String,
}

impl Entry {
    /// The document in `lang`, or the primary one when the entry lacks that language.
    pub fn doc(&self, lang: Lang) -> &Document {
        self.docs
            .iter()
            .find(|d| d.lang == lang)
            .unwrap_or(&self.docs[0])
    }

    /// The primary document: the one in the source's language, always first.
    pub fn primary(&self) -> &Document {
        &self.docs[0]
    }
}

/// A component id with its label in each language.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Component {
    /// The id entries name in `entry.component`: a table name of `components.toml`.
    pub id: String,
    /// Its label in Japanese.
    pub ja: String,
    /// Its label in English.
    pub en: String,
}

impl Component {
    /// Its label in `lang`, as `export` prints it.
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }
}
