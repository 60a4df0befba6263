//! How rare a term is, as BM25 sees it: across whole entries, not within one field.
//!
//! tantivy weighs a term by how few documents contain it *in the field searched*. Our fields
//! split one entry into parts of very different sizes, and the short ones mislead: only a
//! few entries quote error strings, so in the error fields everyday log words (`failed`,
//! `changed`, `msg`) look as rare as `mirrorlist`, and a pasted log scores on its
//! boilerplate. Here a term's document frequency is the highest among the fields its
//! analyzer fills, which is how many entries use the word at all (as BM25F counts it).

use foldhash::{HashMap, HashSet};
use shirube_analysis::schema::Analyzer;
use shirube_analysis::{Field, SearchSchema};
use std::cell::RefCell;
use std::hash::Hash;
use std::sync::RwLock;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::{Searcher, Term};

/// Texts a cache of counts holds at most, per key: the counts do not depend on the question,
/// so they are kept across questions for the engine's life, but a server asked arbitrary
/// questions must not grow without bound. Only texts the index has, of at most
/// [`REMEMBERED_BYTES`], are kept (a word nobody wrote is a quick miss in the term
/// dictionary): what is kept is bounded by the index's own vocabulary, however hostile the
/// questions.
const REMEMBERED_TEXTS: usize = 1 << 16;
/// Longer texts are looked up each time.
const REMEMBERED_BYTES: usize = 64;

/// How many documents contain one text in each field, by position in [`Field::ALL`]; 0 in
/// the fields of other analyzers.
type FieldCounts = [u64; Field::ALL.len()];

/// Where `field` is in [`Field::ALL`], and so in [`FieldCounts`].
fn position(field: Field) -> usize {
    Field::ALL.iter().position(|f| *f == field).unwrap_or(0)
}

/// How many entries use a text with these counts, as this module counts them: the most of
/// any one field (the index has one document per entry).
fn in_entries(counts: FieldCounts) -> u64 {
    counts.into_iter().max().unwrap_or(0)
}

/// BM25 statistics of an index, with document frequencies counted per entry, and the counts
/// already looked up. One per engine: every question shares its counts.
pub struct EntryStatistics {
    searcher: Searcher,
    schema: SearchSchema,
    /// The counts of a text in every field of its analyzer, by analyzer and text, looked up
    /// together: a question asks about each of its terms for its cost and its weight in
    /// every field of the analyzer, and the confidence for its frequency among entries.
    counts: RwLock<HashMap<Analyzer, HashMap<String, FieldCounts>>>,
}

impl EntryStatistics {
    /// The statistics of what `searcher` sees. The index never changes under an engine
    /// (it is opened without reloading), so its counts can be kept.
    pub fn new(searcher: Searcher, schema: SearchSchema) -> Self {
        EntryStatistics {
            searcher,
            schema,
            counts: RwLock::default(),
        }
    }

    /// How many entries use `text`, as `analyzer` makes it, in any of its fields.
    pub fn entry_frequency(&self, analyzer: Analyzer, text: &str) -> u64 {
        in_entries(self.counts(analyzer, text))
    }

    /// How many documents contain `text` in each field of `analyzer`.
    fn counts(&self, analyzer: Analyzer, text: &str) -> FieldCounts {
        remembered(&self.counts, analyzer, text, || {
            let mut counts = FieldCounts::default();
            for (count, field) in counts.iter_mut().zip(Field::ALL) {
                if field.analyzer() == analyzer {
                    let term = Term::from_field_text(self.schema.field(field), text);
                    *count = self.searcher.doc_freq(&term).unwrap_or(0);
                }
            }
            counts
        })
    }
}

/// The statistics as one question sees them: the engine's counts, and the texts of the
/// question that no entry uses, remembered for this question alone. Most words of a pasted
/// log are such texts (ids, numbers, names of the user's own objects); ranking, the weights
/// and the confidence each ask about them, and the engine keeps no zeros, since a server
/// would otherwise keep every id it is sent.
pub struct QuestionStatistics<'e> {
    engine: &'e EntryStatistics,
    absent: RefCell<HashMap<Analyzer, HashSet<String>>>,
}

impl<'e> QuestionStatistics<'e> {
    /// The statistics of one question over the engine's counts; the texts it finds absent
    /// are remembered for this question only.
    pub fn new(engine: &'e EntryStatistics) -> Self {
        QuestionStatistics {
            engine,
            absent: RefCell::default(),
        }
    }

    /// The searcher the counts are of.
    pub fn searcher(&self) -> &'e Searcher {
        &self.engine.searcher
    }

    /// How many entries use `text`, as `analyzer` makes it, in any of its fields.
    pub fn entry_frequency(&self, analyzer: Analyzer, text: &str) -> u64 {
        in_entries(self.counts(analyzer, text))
    }

    /// How many documents contain `text` in `field`.
    pub fn field_frequency(&self, field: Field, text: &str) -> u64 {
        self.counts(field.analyzer(), text)[position(field)]
    }

    fn counts(&self, analyzer: Analyzer, text: &str) -> FieldCounts {
        let known_absent = self
            .absent
            .borrow()
            .get(&analyzer)
            .is_some_and(|texts| texts.contains(text));
        if known_absent {
            return FieldCounts::default();
        }
        let counts = self.engine.counts(analyzer, text);
        if counts == FieldCounts::default() {
            let mut absent = self.absent.borrow_mut();
            absent.entry(analyzer).or_default().insert(text.to_string());
        }
        counts
    }
}

impl Bm25StatisticsProvider for QuestionStatistics<'_> {
    fn total_num_tokens(&self, field: tantivy::schema::Field) -> tantivy::Result<u64> {
        self.engine.total_num_tokens(field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        self.engine.total_num_docs()
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        self.engine.doc_freq(term)
    }
}

/// The counts `cache` holds for `key` and `text`, or `count()`, remembered while the cache
/// has room for them and when the index has the text at all: a text is copied only the
/// first time it is counted.
fn remembered<K: Eq + Hash, C: Copy + Default + PartialEq>(
    cache: &RwLock<HashMap<K, HashMap<String, C>>>,
    key: K,
    text: &str,
    count: impl FnOnce() -> C,
) -> C {
    // A poisoned lock only means another thread panicked while inserting a count; the map
    // is still a map of correct counts.
    let known = cache
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .get(&key)
        .and_then(|texts| texts.get(text).copied());
    if let Some(count) = known {
        return count;
    }
    let counted = count();
    if counted != C::default() && text.len() <= REMEMBERED_BYTES {
        let mut cache = cache
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let texts = cache.entry(key).or_default();
        if texts.len() < REMEMBERED_TEXTS {
            texts.insert(text.to_string(), counted);
        }
    }
    counted
}

impl Bm25StatisticsProvider for EntryStatistics {
    fn total_num_tokens(&self, field: tantivy::schema::Field) -> tantivy::Result<u64> {
        self.searcher.total_num_tokens(field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Bm25StatisticsProvider::total_num_docs(&self.searcher)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let analyzer = Field::ALL
            .iter()
            .find(|f| self.schema.field(**f) == term.field())
            .map(|f| f.analyzer());
        let value = term.value();
        let (Some(analyzer), Some(text)) = (analyzer, value.as_str()) else {
            return self.searcher.doc_freq(term);
        };
        Ok(self.entry_frequency(analyzer, text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Engine;

    #[test]
    fn a_question_sees_the_engine_counts_and_remembers_what_is_absent() {
        let engine = Engine::embedded().unwrap();
        let question = QuestionStatistics::new(&engine.statistics);
        let of_fields: Vec<u64> = Field::ALL
            .iter()
            .filter(|f| f.analyzer() == Analyzer::English)
            .map(|f| question.field_frequency(*f, "proxi"))
            .collect();
        let in_entries = question.entry_frequency(Analyzer::English, "proxi");
        assert!(in_entries > 0, "{of_fields:?}");
        assert_eq!(Some(&in_entries), of_fields.iter().max());
        assert_eq!(
            in_entries,
            engine
                .statistics
                .entry_frequency(Analyzer::English, "proxi")
        );

        assert_eq!(question.entry_frequency(Analyzer::English, "zzyzx"), 0);
        assert_eq!(question.field_frequency(Field::BodyEn, "zzyzx"), 0);
        assert!(question.absent.borrow()[&Analyzer::English].contains("zzyzx"));
        assert!(!question.absent.borrow()[&Analyzer::English].contains("proxi"));
    }

    #[test]
    fn only_short_texts_the_index_has_are_remembered() {
        let cache: RwLock<HashMap<Analyzer, HashMap<String, u64>>> = RwLock::default();
        let long = "x".repeat(REMEMBERED_BYTES + 1);
        assert_eq!(remembered(&cache, Analyzer::English, "pod", || 7), 7);
        assert_eq!(remembered(&cache, Analyzer::English, "zzyzx", || 0), 0);
        assert_eq!(remembered(&cache, Analyzer::English, &long, || 3), 3);
        // Remembered: asked again, the count is not recounted.
        assert_eq!(remembered(&cache, Analyzer::English, "pod", || 99), 7);
        let kept: Vec<String> = cache.read().unwrap()[&Analyzer::English]
            .keys()
            .cloned()
            .collect();
        assert_eq!(kept, ["pod"]);
    }
}
