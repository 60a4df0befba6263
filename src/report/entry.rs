//! An entry as reports show it: in short inside search, check and triage findings, or in
//! full for `show` and `export`.

use serde::Serialize;
use shirube_kb::condition::Conditions;
use shirube_kb::{Entry, KnowledgeBase, Lang, Note, Outside, Upstream, Version, VersionRange};

/// What every report says about an entry it names, in the display language.
#[derive(Clone, Debug, Serialize)]
pub struct EntrySummary<'a> {
    /// Stable id (`ABM-0008`).
    pub id: &'a str,
    /// The title in the display language.
    pub title: &'a str,
    /// The title exactly as in the source page.
    pub source_title: &'a str,
    /// The display language.
    pub lang: Lang,
    /// Component id (`kb/components.toml`).
    pub component: &'a str,
    /// The component's label in the display language.
    #[serde(skip)]
    pub component_label: &'a str,
    /// OSV-style ranges; `null` when the source names no version.
    pub affected: Option<&'a [VersionRange]>,
    /// First fixed release, or `null`.
    pub fixed_in: Option<&'a Version>,
    /// What the source says of releases older than the first range (or the fix): `not
    /// affected`, or `not stated` when it does not say.
    pub older_lines: Outside,
    /// What the source says of releases newer than the last range: `not affected` (or
    /// affected, by an open range), or `not stated`.
    pub newer_lines: Outside,
    /// For issues that hit while upgrading: the versions upgraded to (else empty).
    pub upgrade_to: &'a [VersionRange],
    /// The first workaround step in the display language.
    pub first_step: &'a str,
    /// The knowledge base the entry comes from: `built-in`, or the name of the installed
    /// pack it came in.
    pub kb: &'a str,
}

impl<'a> EntrySummary<'a> {
    /// What the reports say about `entry` in `lang`, or in its primary language when it is
    /// not written in `lang` (`lang` then says which); `kb` gives the component's label.
    pub fn new(entry: &'a Entry, lang: Lang, kb: &'a KnowledgeBase) -> Self {
        let doc = entry.doc(lang);
        EntrySummary {
            id: &entry.id,
            title: &doc.title,
            source_title: &entry.source.title,
            lang: doc.lang,
            component: &entry.component,
            component_label: kb.component_label(&entry.component, lang),
            affected: entry.versions.affected.as_deref(),
            fixed_in: entry.versions.fixed_in.as_ref(),
            older_lines: entry.versions.older_lines,
            newer_lines: entry.versions.newer_lines,
            upgrade_to: &entry.versions.upgrade_to,
            first_step: &doc.first_step,
            kb: entry.pack.as_deref().unwrap_or(shirube_kb::pack::BUILT_IN),
        }
    }
}

/// A component to group findings under, with its label in the display language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ComponentRef<'a> {
    /// Component id (`kb/components.toml`).
    pub id: &'a str,
    /// Its label in the display language; its id when the knowledge base does not know it.
    pub label: &'a str,
}

impl<'a> ComponentRef<'a> {
    /// The components of `kb` in the order of `components.toml`, then any other component
    /// `ids` names (a hand-edited knowledge base may), labelled by its id: grouping by these
    /// loses no entry.
    pub fn groups(
        kb: &'a KnowledgeBase,
        ids: impl IntoIterator<Item = &'a str>,
        lang: Lang,
    ) -> Vec<Self> {
        let mut groups: Vec<ComponentRef> = kb
            .components
            .iter()
            .map(|c| ComponentRef {
                id: &c.id,
                label: c.label(lang),
            })
            .collect();
        for id in ids {
            if !groups.iter().any(|g| g.id == id) {
                groups.push(ComponentRef { id, label: id });
            }
        }
        groups
    }
}

/// `show --json` and each entry of `export --format json`: the whole entry in one language,
/// its summary's fields and the rest.
#[derive(Clone, Debug, Serialize)]
pub struct EntryDetail<'a> {
    /// The fields every report gives an entry, flattened into this one.
    #[serde(flatten)]
    pub summary: EntrySummary<'a>,
    /// Extra words to find the entry by, in any language.
    pub keywords: &'a [String],
    /// Where the entry comes from: its document, category and title, and the release notes
    /// that state it.
    pub source: SourceRef<'a>,
    /// The source sentences the versions were read from.
    pub version_statement: &'a [String],
    /// How ambiguous sentences were read.
    pub version_note: Option<&'a str>,
    /// When the entry applies: clauses over named facts, and the page's sentences they
    /// were read from (both empty when the page states no condition).
    pub conditions: &'a Conditions,
    /// The page's own error lines.
    pub errors: &'a [String],
    /// The upstream project, the words people use for it, and errors seen in the wild.
    pub upstream: &'a Upstream,
    /// The Markdown body in the display language.
    pub body: &'a str,
    /// The languages this entry is written in.
    pub languages: Vec<Lang>,
}

/// Where an entry comes from.
#[derive(Clone, Debug, Serialize)]
pub struct SourceRef<'a> {
    /// The source document's title.
    pub document: &'a str,
    /// The category heading of the page the issue sits under.
    pub category: &'a str,
    /// The title as the source words it (for a retold source, the entry's own title
    /// in the source's language).
    pub title: &'a str,
    /// The entry's primary file, relative to the knowledge base's root.
    pub file: &'a str,
    /// The source's address: the entry's own report, or its document.
    pub url: Option<&'a str>,
    /// The date of the entry's own report.
    pub date: Option<&'a str>,
    /// The release notes that state it (for a page's entry, its later facts), oldest first.
    pub notes: &'a [Note],
}

impl<'a> EntryDetail<'a> {
    /// `entry` in full in `lang`, or in its primary language when it is not written in
    /// `lang`.
    pub fn new(entry: &'a Entry, lang: Lang, kb: &'a KnowledgeBase) -> Self {
        EntryDetail {
            summary: EntrySummary::new(entry, lang, kb),
            keywords: &entry.keywords,
            source: SourceRef {
                document: &entry.source.document,
                category: &entry.source.category,
                title: &entry.source.title,
                file: &entry.source.file,
                url: entry.source.url.as_deref(),
                date: entry.source.date.as_deref(),
                notes: &entry.source.notes,
            },
            version_statement: &entry.versions.statement,
            version_note: entry.versions.note.as_deref(),
            conditions: &entry.conditions,
            errors: &entry.errors,
            upstream: &entry.upstream,
            body: &entry.doc(lang).body,
            languages: entry.docs.iter().map(|d| d.lang).collect(),
        }
    }
}

/// `export`: `{"lang", "entries": [...]}` in JSON; Markdown groups the entries by component.
#[derive(Clone, Debug, Serialize)]
pub struct ExportReport<'a> {
    /// The display language.
    pub lang: Lang,
    /// The entries, each in full, in the order given.
    pub entries: Vec<EntryDetail<'a>>,
    /// The titles of the source documents the entries come from.
    #[serde(skip)]
    pub documents: Vec<&'a str>,
    /// The groups, in order.
    #[serde(skip)]
    pub components: Vec<ComponentRef<'a>>,
}

impl<'a> ExportReport<'a> {
    /// The export of `entries` in `lang`, with the source documents' titles and the
    /// components to group them by, from `kb`.
    pub fn new(entries: &[&'a Entry], lang: Lang, kb: &'a KnowledgeBase) -> Self {
        ExportReport {
            lang,
            entries: entries
                .iter()
                .map(|e| EntryDetail::new(e, lang, kb))
                .collect(),
            documents: kb.sources.iter().map(|s| s.title.as_str()).collect(),
            components: ComponentRef::groups(
                kb,
                entries.iter().map(|e| e.component.as_str()),
                lang,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shirube_kb::{Component, Glossary};

    #[test]
    fn a_component_the_list_does_not_know_still_gets_a_group() {
        let kb = KnowledgeBase {
            entries: Vec::new().into(),
            components: vec![Component {
                id: "os".to_string(),
                ja: "OS".to_string(),
                en: "Operating system".to_string(),
            }],
            sources: Vec::new(),
            glossary: Glossary::default(),
            build_id: String::new(),
            warnings: Vec::new(),
        };
        let groups = ComponentRef::groups(&kb, ["weird", "os", "weird"], Lang::En);
        assert_eq!(
            groups,
            [
                ComponentRef {
                    id: "os",
                    label: "Operating system"
                },
                ComponentRef {
                    id: "weird",
                    label: "weird"
                }
            ]
        );
    }
}
