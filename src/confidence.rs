//! How sure shirube is that an entry answers a query, from 0 to 1, so that a question the
//! knowledge base cannot answer gets "no known issue matches" instead of the least bad entry.
//!
//! BM25 scores alone are not comparable across queries, so the confidence is a logistic model
//! over seven features: the *coverage* (the share of the query's own terms, each weighted by
//! its inverse document frequency, that the entry contains), the share the knowledge base
//! knows at all (a word it has never seen, like `ImagePullBackOff`, weighs the most and is
//! matched by nothing, which is what makes a question unanswerable), the full-text score,
//! how far the entry leads the next one, how many product names the question uses that the
//! knowledge base has never seen ([`crate::names`]), how unlike the entry's known errors the
//! error the question quotes is ([`crate::quoted`]), and whether the question is in Japanese.
//! Glossary additions do not count: they are our words, not the user's. But a Japanese word
//! of the user's counts as matched when the entry has one of its glossary equivalents
//! instead: a question that says 落ちた or ディスク is answered by an entry that says offline
//! or disk. The weights are fitted by the evaluation harness.

use crate::query::QueryTerms;
use crate::statistics::EntryStatistics;
use shirube_analysis::schema::Analyzer;
use shirube_analysis::{Field, SearchSchema};
use std::collections::HashMap;
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

/// How many inputs the model has (see [`Features::inputs`]).
pub const INPUTS: usize = 7;

/// What a candidate's confidence is computed from.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Features {
    /// Share of the query's term mass the entry contains.
    pub coverage: f32,
    /// Share of the query's term mass the knowledge base contains at all.
    pub known: f32,
    /// Full-text score.
    pub score: f32,
    /// Full-text score over the next candidate's: how clearly this one stands out.
    pub lead: f32,
    /// Names in the query (`MetalLB`, `GKE`) that no entry uses ([`crate::names`]).
    pub unknown_names: f32,
    /// How unlike every error the entry quotes the errors the query quotes are, 0–1; 0
    /// when either quotes none ([`crate::quoted`]).
    pub quoted_mismatch: f32,
    /// The question is in Japanese. Its words are morphemes and glossary translations,
    /// which match an entry's wording less exactly than English words do, so the same
    /// coverage says more in Japanese.
    pub japanese: bool,
}

impl Features {
    /// The model's inputs, in the order of [`WEIGHTS`] after the intercept.
    pub fn inputs(&self) -> [f32; INPUTS] {
        [
            self.coverage,
            self.lead.max(1.0).ln(),
            self.score.max(1.0).ln(),
            self.known,
            self.unknown_names.ln_1p(),
            self.quoted_mismatch,
            f32::from(u8::from(self.japanese)),
        ]
    }
}

/// Logistic-regression weights: intercept, then one per [`Features::inputs`]. Fitted by
/// `cargo run -p eval --release -- --fit` on the evaluation set's answered questions (top
/// result right) against its unanswerable ones.
pub const WEIGHTS: [f32; INPUTS + 1] = [-5.62, 2.99, 0.86, 1.14, 1.38, -3.35, -2.49, 1.03];

/// The probability that a candidate with these features answers the query.
pub fn probability(features: &Features) -> f32 {
    let z = WEIGHTS[0]
        + features
            .inputs()
            .iter()
            .zip(&WEIGHTS[1..])
            .map(|(x, w)| x * w)
            .sum::<f32>();
    1.0 / (1.0 + (-z).exp())
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
}

impl Evidence {
    pub fn coverage(&self) -> f32 {
        if self.total == 0.0 {
            0.0
        } else {
            self.matched / self.total
        }
    }

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
/// as in the document when the document has one of its equivalents ([`crate::query::Translation`]).
/// Frequencies come from the query's `statistics` (looked up once for ranking and for
/// this), and each posting list is read once for all the documents, in document order.
pub fn evidence(
    searcher: &Searcher,
    schema: &SearchSchema,
    statistics: &EntryStatistics,
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
            for (i, evidence) in evidence.iter_mut().enumerate() {
                let translation = by_translation.is_some_and(|t| t[i]);
                evidence.total += weight;
                if frequency > 0 || by_translation.is_some() {
                    evidence.known += weight;
                }
                if in_documents[i] || translation {
                    evidence.matched += weight;
                }
            }
        }
    }
    evidence
}

/// For each of the user's terms that the glossary translated into terms the index knows,
/// which of the documents contain one of those translations.
fn translated<'t>(
    terms: &'t QueryTerms,
    statistics: &EntryStatistics,
    contains: &dyn Fn(Analyzer, &str) -> Vec<bool>,
    documents: usize,
) -> HashMap<(Analyzer, &'t str), Vec<bool>> {
    let mut translated: HashMap<(Analyzer, &str), Vec<bool>> = HashMap::new();
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
