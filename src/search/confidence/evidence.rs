//! Evidence readers: what a candidate document shares with the query, in idf-weighted
//! term mass, read from the index's postings.

use crate::search::query::QueryTerms;
use crate::search::statistics::QuestionStatistics;
use shirube_analysis::names::{NAME_ANALYZERS, NameTerms};
use shirube_analysis::schema::Analyzer;
use shirube_analysis::{Field, SearchSchema};
use std::collections::BTreeMap;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocSet, Searcher, TERMINATED, Term};

/// How much each analyzer's terms count. Bigrams are left out: they are many per Japanese
/// word, half of them span word boundaries, and the morphological terms already carry the
/// words.
fn analyzer_weight(analyzer: Analyzer) -> f32 {
    match analyzer {
        Analyzer::Bigram => 0.0,
        Analyzer::Japanese | Analyzer::English | Analyzer::Identifier => 1.0,
    }
}

/// What the document at `address` shares with a query, in idf-weighted term mass.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Evidence {
    /// Mass of the query's terms that the document contains.
    pub matched: f32,
    /// Mass of the query's terms that some document contains.
    pub known: f32,
    /// Mass of all the query's terms.
    pub total: f32,
    /// Of the mass the document contains, what words of messages every log prints carry
    /// ([`shirube_analysis::log_messages`]).
    pub common: f32,
}

impl Evidence {
    /// The share of the query's term mass the document contains, 0–1; 0 when the query has
    /// no terms.
    pub fn coverage(&self) -> f32 {
        if self.total == 0.0 {
            0.0
        } else {
            self.matched / self.total
        }
    }

    /// The share of the matched mass that words of messages every log prints carry, 0–1;
    /// 0 when nothing matched.
    pub fn common_share(&self) -> f32 {
        if self.matched == 0.0 {
            0.0
        } else {
            self.common / self.matched
        }
    }

    /// The share of the query's term mass that some document contains, 0–1: how much of the
    /// question the knowledge base knows at all; 0 when the query has no terms.
    pub fn known_share(&self) -> f32 {
        if self.total == 0.0 {
            0.0
        } else {
            self.known / self.total
        }
    }
}

/// The idf-weighted mass of the query's own terms for each document of `addresses`: all,
/// known to the index, and in that document. A term the user wrote in glossary words counts
/// as in the document when the document has one of its equivalents (`crate::search::query::Translation`).
/// Frequencies come from the query's `statistics` (looked up once for ranking and for
/// this), and each posting list is read once for all the documents, in document order.
pub fn evidence(
    searcher: &Searcher,
    schema: &SearchSchema,
    statistics: &QuestionStatistics,
    addresses: &[DocAddress],
    terms: &QueryTerms,
) -> Vec<Evidence> {
    let documents = searcher.num_docs() as f32;
    // Documents by segment and id: a posting list is read forward only.
    let mut order: Vec<usize> = (0..addresses.len()).collect();
    order.sort_by_key(|&i| (addresses[i].segment_ord, addresses[i].doc_id));
    let contains = |analyzer: Analyzer, text: &str| -> Vec<bool> {
        if statistics.entry_frequency(analyzer, text) == 0 {
            return vec![false; addresses.len()];
        }
        let in_fields: Vec<Term> = Field::ALL
            .iter()
            .filter(|f| f.analyzer() == analyzer)
            .map(|f| Term::from_field_text(schema.field(*f), text))
            .collect();
        containing(searcher, &in_fields, addresses, &order)
    };
    let translated = translated(terms, statistics, &contains, addresses.len());
    let mut evidence = vec![Evidence::default(); addresses.len()];
    // Terms that carry no weight need no look-up: bigrams are most of a Japanese query's.
    for (analyzer, own) in terms.own.iter().filter(|(a, _)| analyzer_weight(**a) > 0.0) {
        // Terms with digits are timestamps, addresses, ids and versions: they change between
        // occurrences and say nothing about which issue this is.
        for text in own
            .iter()
            .filter(|t| !t.bytes().any(|b| b.is_ascii_digit()))
        {
            let frequency = statistics.entry_frequency(*analyzer, text);
            let df = frequency as f32;
            let weight =
                (1.0 + (documents - df + 0.5) / (df + 0.5)).ln() * analyzer_weight(*analyzer);
            let in_documents = contains(*analyzer, text);
            let by_translation = translated.get(&(*analyzer, text.as_str()));
            let common = terms.is_common(*analyzer, text);
            for (i, evidence) in evidence.iter_mut().enumerate() {
                let translation = by_translation.is_some_and(|t| t[i]);
                evidence.total += weight;
                if frequency > 0 || by_translation.is_some() {
                    evidence.known += weight;
                }
                if in_documents[i] || translation {
                    evidence.matched += weight;
                    if common {
                        evidence.common += weight;
                    }
                }
            }
        }
    }
    evidence
}

/// The share of an entry's title, in idf-weighted term mass, that the query says: the better
/// of its titles in each language (`names`, analysed at build time). A question answered by
/// an entry talks about what the entry is about, whatever else it says. Terms with digits
/// are left out, as for coverage.
pub fn title_coverage(
    names: &NameTerms,
    terms: &QueryTerms,
    statistics: &QuestionStatistics,
    documents: f32,
) -> f32 {
    let mut best = 0.0f32;
    for title in &names.titles {
        let (mut said, mut total) = (0.0f32, 0.0f32);
        for word in title {
            if word.term.bytes().any(|b| b.is_ascii_digit()) {
                continue;
            }
            let df = statistics.entry_frequency(word.analyzer, &word.term) as f32;
            let weight = (1.0 + (documents - df + 0.5) / (df + 0.5)).ln();
            total += weight;
            if terms.mentions(word.analyzer, &word.term) {
                said += weight;
            }
        }
        if total > 0.0 {
            best = best.max(said / total);
        }
    }
    best
}

/// Whether the user names the entry's upstream: one of its upstream names (`names`, analysed
/// at build time) is in the question's own words, all its terms by one analyzer. People
/// describe a problem in the words of the project they see (`cilium-agent`, `kind`,
/// `fluent-bit`), and a question about another project that shares the error's words does
/// not. Glossary additions do not count: they are ours.
pub fn names_upstream(names: &NameTerms, terms: &QueryTerms) -> bool {
    names.upstream.iter().any(|name| {
        NAME_ANALYZERS.iter().any(|&analyzer| {
            let mut words = name.iter().filter(|w| w.analyzer == analyzer).peekable();
            words.peek().is_some() && words.all(|w| terms.says(analyzer, &w.term))
        })
    })
}

/// For each of the user's terms that the glossary translated into terms the index knows,
/// which of the documents contain one of those translations.
fn translated<'t>(
    terms: &'t QueryTerms,
    statistics: &QuestionStatistics,
    contains: &dyn Fn(Analyzer, &str) -> Vec<bool>,
    documents: usize,
) -> BTreeMap<(Analyzer, &'t str), Vec<bool>> {
    let mut translated: BTreeMap<(Analyzer, &str), Vec<bool>> = BTreeMap::new();
    for translation in &terms.translations {
        let mut answered: Option<Vec<bool>> = None;
        let known = translation
            .added
            .iter()
            .filter(|(a, t)| analyzer_weight(*a) > 0.0 && statistics.entry_frequency(*a, t) > 0);
        for (analyzer, text) in known {
            let answered = answered.get_or_insert_with(|| vec![false; documents]);
            for (a, f) in answered.iter_mut().zip(contains(*analyzer, text)) {
                *a |= f;
            }
        }
        let Some(answered) = answered else { continue };
        for (analyzer, text) in &translation.own {
            let entry = translated
                .entry((*analyzer, text.as_str()))
                .or_insert_with(|| vec![false; documents]);
            for (e, a) in entry.iter_mut().zip(&answered) {
                *e |= a;
            }
        }
    }
    translated
}

/// For each of `addresses`, whether its document contains one of `terms`; `order` lists the
/// addresses by segment and document id.
fn containing(
    searcher: &Searcher,
    terms: &[Term],
    addresses: &[DocAddress],
    order: &[usize],
) -> Vec<bool> {
    let mut contains = vec![false; addresses.len()];
    for term in terms {
        let mut postings = None;
        let mut postings_segment = None;
        for &i in order {
            let DocAddress {
                segment_ord,
                doc_id,
            } = addresses[i];
            if postings_segment != Some(segment_ord) {
                postings_segment = Some(segment_ord);
                postings = searcher
                    .segment_reader(segment_ord)
                    .inverted_index(term.field())
                    .ok()
                    .and_then(|index| index.read_postings(term, IndexRecordOption::Basic).ok())
                    .flatten();
            }
            let Some(postings) = postings.as_mut() else {
                continue;
            };
            // A posting list starts at its first document.
            let current = postings.doc();
            let found = current == doc_id
                || (current < doc_id && current != TERMINATED && postings.seek(doc_id) == doc_id);
            contains[i] |= found;
        }
    }
    contains
}

#[cfg(test)]
mod tests {
    use super::*;

    fn english(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    /// An entry whose upstream goes by `cilium agent`, analysed as English words only.
    fn cilium() -> NameTerms {
        NameTerms::analyze([], ["cilium agent"], |analyzer, text| {
            if analyzer == Analyzer::English {
                text.split_whitespace().map(str::to_string).collect()
            } else {
                Vec::new()
            }
        })
    }

    #[test]
    fn a_name_counts_when_the_user_wrote_all_its_words() {
        let mut terms = QueryTerms::default();
        terms
            .own
            .insert(Analyzer::English, english(&["agent", "crash", "cilium"]));
        assert!(names_upstream(&cilium(), &terms));

        terms
            .own
            .insert(Analyzer::English, english(&["cilium", "crash"]));
        assert!(!names_upstream(&cilium(), &terms));
    }

    #[test]
    fn a_name_the_glossary_added_is_not_the_users() {
        let mut terms = QueryTerms::default();
        terms.own.insert(Analyzer::English, english(&["cilium"]));
        terms.added.insert(Analyzer::English, english(&["agent"]));
        assert!(!names_upstream(&cilium(), &terms));
    }
}
