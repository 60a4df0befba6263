//! The entries of a knowledge base, each decoded the first time it is read.
//!
//! A search shows five entries; a knowledge base may hold 100,000. So a built knowledge base
//! ([`crate::built`]) keeps every entry as its own JSON text, found by an offset table, and
//! only the entries a command reads are decoded (and checked). Entries loaded from `kb/` by
//! the build step are decoded already.

use crate::model::Entry;
use std::sync::OnceLock;

/// Every entry of a knowledge base, sorted by id.
#[derive(Debug)]
pub struct Entries {
    /// By position; sorted.
    ids: Vec<String>,
    slots: Box<[Slot]>,
    /// The component ids an entry may name (checked when it is decoded).
    components: Vec<String>,
    /// What the entries were read from, for messages: "kb.json".
    origin: String,
}

#[derive(Debug)]
struct Slot {
    /// The entry's JSON, when it was read from a built knowledge base.
    encoded: Option<&'static [u8]>,
    decoded: OnceLock<Result<Box<Entry>, String>>,
}

impl Entries {
    /// Entries kept encoded: `encoded[i]` is the JSON of the entry with id `ids[i]`. The
    /// ids must be sorted and distinct (the caller checks).
    pub fn encoded(
        ids: Vec<String>,
        encoded: Vec<&'static [u8]>,
        components: Vec<String>,
        origin: String,
    ) -> Entries {
        let slots = encoded
            .into_iter()
            .map(|text| Slot {
                encoded: Some(text),
                decoded: OnceLock::new(),
            })
            .collect();
        Entries {
            ids,
            slots,
            components,
            origin,
        }
    }

    /// How many entries there are, readable or not; decodes none.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are no entries at all.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The ids, sorted, without decoding anything.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// The entry at position `i`; `None` past the end or when it cannot be read (see
    /// [`Entries::problem`]).
    pub fn get(&self, i: usize) -> Option<&Entry> {
        self.decoded(i)?.as_deref().ok()
    }

    /// Why the entry at position `i` cannot be read, in one line naming where it is.
    pub fn problem(&self, i: usize) -> Option<String> {
        let problem = self.decoded(i)?.as_ref().err()?;
        Some(format!(
            "{} is not a knowledge base: {problem}",
            self.origin
        ))
    }

    /// The first entry that cannot be read, by [`Entries::problem`]: decodes them all.
    pub fn first_problem(&self) -> Option<String> {
        (0..self.len()).find_map(|i| self.problem(i))
    }

    fn decoded(&self, i: usize) -> Option<&Result<Box<Entry>, String>> {
        let slot = self.slots.get(i)?;
        Some(slot.decoded.get_or_init(|| {
            let text = slot.encoded.unwrap_or_default();
            let entry: Entry = serde_json::from_slice(text)
                .map_err(|e| format!("the entry {} cannot be read: {e}", self.ids[i]))?;
            if entry.id != self.ids[i] {
                return Err(format!(
                    "the entry of {} is listed as {}",
                    entry.id, self.ids[i]
                ));
            }
            problem_of(&entry, &self.components)?;
            Ok(Box::new(entry))
        }))
    }

    /// The entries that can be read, in id order: all of them once
    /// [`Entries::first_problem`] found none.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            entries: self,
            next: 0,
        }
    }

    /// Where the entry with exactly this id is.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.ids.binary_search_by(|e| e.as_str().cmp(id)).ok()
    }
}

impl From<Vec<Entry>> for Entries {
    /// Entries decoded already (loaded from `kb/`, or made by a test).
    fn from(entries: Vec<Entry>) -> Entries {
        let ids = entries.iter().map(|e| e.id.clone()).collect();
        let slots = entries
            .into_iter()
            .map(|entry| Slot {
                encoded: None,
                decoded: OnceLock::from(Ok(Box::new(entry))),
            })
            .collect();
        Entries {
            ids,
            slots,
            components: Vec::new(),
            origin: String::new(),
        }
    }
}

/// The entries that can be read, decoding each as it is reached.
pub struct Iter<'e> {
    entries: &'e Entries,
    next: usize,
}

impl<'e> Iterator for Iter<'e> {
    type Item = &'e Entry;

    fn next(&mut self) -> Option<&'e Entry> {
        while self.next < self.entries.len() {
            self.next += 1;
            if let Some(entry) = self.entries.get(self.next - 1) {
                return Some(entry);
            }
        }
        None
    }
}

impl<'e> IntoIterator for &'e Entries {
    type Item = &'e Entry;
    type IntoIter = Iter<'e>;

    fn into_iter(self) -> Iter<'e> {
        self.iter()
    }
}

/// What every reader relies on in a decoded entry: its primary document first (in the
/// source's language) and a component the knowledge base lists.
pub(crate) fn problem_of(entry: &Entry, components: &[String]) -> Result<(), String> {
    let Some(primary) = entry.docs.first() else {
        return Err(format!("{} has no document", entry.id));
    };
    if primary.lang != entry.source.lang {
        return Err(format!(
            "{} has no document in its source's language ({}) first",
            entry.id, entry.source.lang
        ));
    }
    if !components.contains(&entry.component) {
        return Err(format!(
            "{} names the component `{}`, which is not among its components",
            entry.id, entry.component
        ));
    }
    Ok(())
}
