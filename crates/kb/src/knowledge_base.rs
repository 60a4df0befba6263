//! The knowledge base: its entries, components, sources and glossary. An entry is found by
//! its id in one way only: [`KnowledgeBase::position`] (exact) or [`KnowledgeBase::find`]
//! (as a user types it).

use crate::Error;
use crate::entries::Entries;
use crate::glossary::Glossary;
use crate::lang::Lang;
use crate::model::{Component, Entry, SourceDocument};

/// Everything the build step needs from `kb/`; also what the binary embeds (see
/// [`crate::built`] for how it is stored).
#[derive(Debug)]
pub struct KnowledgeBase {
    /// Sorted by id.
    pub entries: Entries,
    /// In the order of `components.toml`.
    pub components: Vec<Component>,
    /// The source documents, one per `kb/` folder (its `source.toml`), in folder-name order.
    pub sources: Vec<SourceDocument>,
    /// Groups of terms that mean the same, and loanwords (`kb/glossary.toml`), for
    /// cross-lingual search.
    pub glossary: Glossary,
    /// Which build wrote this knowledge base and its index (both carry it), so a reader
    /// can tell a folder rebuilt while it was opening it. Empty before a build.
    pub build_id: String,
    /// Things worth a look that do not stop the build: a header whose versions differ from
    /// what its prose states (the header wins).
    pub warnings: Vec<crate::Diagnostic>,
}

impl KnowledgeBase {
    /// Where the entry with exactly this id is in [`KnowledgeBase::entries`].
    pub fn position(&self, id: &str) -> Option<usize> {
        self.entries.position(id)
    }

    /// The entry a user means by `id`, forgiving case, spaces and leading zeros (`abm-7` is
    /// `ABM-0007`).
    pub fn find(&self, id: &str) -> Option<&Entry> {
        self.entries.get(self.find_position(id)?)
    }

    /// Where the entry a user means by `id` is, as [`KnowledgeBase::find`] reads it, without
    /// decoding it.
    pub fn find_position(&self, id: &str) -> Option<usize> {
        let wanted = id.trim().to_ascii_uppercase();
        if let Some(i) = self.position(&wanted) {
            return Some(i);
        }
        let (prefix, number) = wanted.rsplit_once('-')?;
        let number: u32 = number.parse().ok()?;
        self.entries.ids().iter().position(|id| {
            id.rsplit_once('-')
                .is_some_and(|(p, n)| p == prefix && n.parse::<u32>().ok() == Some(number))
        })
    }

    /// Whether a knowledge base read from a file keeps what every reader relies on:
    /// entries sorted by unique ids (they are found by binary search), each with its primary
    /// document first (in the source's language) and a component `components` lists. The
    /// error names the first entry that does not. Decodes every entry: commands that read
    /// only a few rely on [`KnowledgeBase::validate_ids`] and check each entry they read.
    pub fn validate(&self) -> Result<(), Error> {
        self.validate_ids()?;
        if let Some(problem) = self.entries.first_problem() {
            return Err(Error::invalid(problem));
        }
        // Entries loaded decoded (from `kb/`, or made by a fuzzer) were not checked as they
        // were read: check them here.
        let components: Vec<String> = self.components.iter().map(|c| c.id.clone()).collect();
        self.entries
            .iter()
            .try_for_each(|entry| crate::entries::problem_of(entry, &components))
            .map_err(Error::invalid)
    }

    /// Whether the ids are sorted and unique, without decoding any entry.
    pub fn validate_ids(&self) -> Result<(), Error> {
        let ids = self.entries.ids();
        match ids.windows(2).find(|w| w[0] >= w[1]) {
            None => Ok(()),
            Some(pair) if pair[0] == pair[1] => {
                Err(Error::invalid(format!("the id {} is used twice", pair[0])))
            }
            Some(pair) => Err(Error::invalid(format!(
                "its entries are not sorted by id ({} before {})",
                pair[0], pair[1]
            ))),
        }
    }

    /// The component with this id.
    pub fn component(&self, id: &str) -> Option<&Component> {
        self.components.iter().find(|c| c.id == id)
    }

    /// The label of the component `id` in `lang`, or the id itself when it is unknown.
    pub fn component_label<'a>(&'a self, id: &'a str, lang: Lang) -> &'a str {
        self.component(id).map_or(id, |c| c.label(lang))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb(ids: &[&str]) -> KnowledgeBase {
        KnowledgeBase {
            entries: ids
                .iter()
                .map(|id| Entry::for_tests(id))
                .collect::<Vec<_>>()
                .into(),
            components: Vec::new(),
            sources: Vec::new(),
            glossary: Glossary::default(),
            build_id: String::new(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn entries_given_decoded_are_checked_too() {
        // Entries a fuzzer or the build step hands over decoded were never read from a
        // file, so nothing checked them on the way in.
        assert_eq!(
            kb(&["ABM-0001"]).validate(),
            Err(Error::invalid("ABM-0001 has no document"))
        );
        assert_eq!(
            kb(&["ABM-0002", "ABM-0001"]).validate(),
            Err(Error::invalid(
                "its entries are not sorted by id (ABM-0002 before ABM-0001)"
            ))
        );
    }

    #[test]
    fn ids_are_found_exactly_or_as_a_user_types_them() {
        let kb = kb(&["ABM-0007", "ABM-0042", "LAB-00001"]);
        assert_eq!(kb.position("ABM-0042"), Some(1));
        assert_eq!(kb.position("abm-0042"), None);
        let found = |id: &str| kb.find(id).map(|e| e.id.as_str());
        assert_eq!(found(" abm-7 "), Some("ABM-0007"));
        assert_eq!(found("ABM-42"), Some("ABM-0042"));
        assert_eq!(found("lab-1"), Some("LAB-00001"));
        assert_eq!(found("ABM-8"), None);
        assert_eq!(found("ABM"), None);
    }
}
