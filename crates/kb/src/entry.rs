//! The validated entry model: what the index is built from and what the binary shows.
//!
//! These types are produced by [`crate::load_kb`] only after every check passed, and are
//! serialised to JSON at build time so the binary can show entries without parsing Markdown.

use crate::lang::Lang;
use crate::version::{Version, VersionQuery, VersionRange};
use serde::{Deserialize, Serialize};

/// One known issue, in every language it is written in.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Entry {
    /// Stable id such as `ABM-0007`.
    pub id: String,
    /// One id of `kb/components.toml`.
    pub component: String,
    /// Extra search words from the header, in any language.
    pub keywords: Vec<String>,
    pub source: Source,
    pub versions: Versions,
    /// Error messages and log lines exactly as the source shows them.
    pub errors: Vec<String>,
    /// The primary document first, then translations.
    pub docs: Vec<Document>,
}

/// Where an entry comes from, exactly as the source page words it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Source {
    pub document: String,
    pub category: String,
    pub title: String,
    pub lang: Lang,
    /// Path of the primary file, relative to the knowledge-base root.
    pub file: String,
}

/// Which releases an entry affects. `affected == None` means the text names no version.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Versions {
    pub affected: Option<Vec<VersionRange>>,
    pub fixed_in: Option<Version>,
    /// For issues that hit while upgrading: the versions being upgraded to.
    pub upgrade_to: Vec<VersionRange>,
    /// The sentences the ranges were read from.
    pub statement: Vec<String>,
    /// Why the ranges read the sentences this way, where they are ambiguous.
    pub note: Option<String>,
}

impl Versions {
    /// Whether an entry with these versions applies to a cluster at `query`. Entries that
    /// name no version are kept: the user must not lose them to a filter.
    pub fn may_affect(&self, query: &VersionQuery) -> bool {
        match &self.affected {
            None => true,
            Some(ranges) => ranges.iter().any(|r| query.hits(r)),
        }
    }
}

/// One language's rendering of an entry.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Document {
    pub lang: Lang,
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

    pub fn primary(&self) -> &Document {
        &self.docs[0]
    }
}

/// A component id with its label in each language.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Component {
    pub id: String,
    pub ja: String,
    pub en: String,
}

impl Component {
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }
}
