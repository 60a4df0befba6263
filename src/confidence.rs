//! How sure shirube is that an entry answers a query, from 0 to 1, so that a question the
//! knowledge base cannot answer gets "no known issue matches" instead of the least bad entry.
//!
//! BM25 scores alone are not comparable across queries, so the confidence is a logistic model
//! over four features: the *coverage* (the share of the query's own terms, each weighted by
//! its inverse document frequency, that the entry contains), the share the knowledge base
//! knows at all (a word it has never seen, like `ImagePullBackOff`, weighs the most and is
//! matched by nothing, which is what makes a question unanswerable), the full-text score, and
//! how far the entry leads the next one. Glossary additions do not count: they are our words,
//! not the user's. The weights are fitted by the evaluation harness.

use crate::query::QueryTerms;
use shirube_analysis::schema::Analyzer;
use shirube_analysis::{Field, SearchSchema};
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
}

impl Features {
    /// The model's inputs, in the order of [`WEIGHTS`] after the intercept.
    pub fn inputs(&self) -> [f32; 4] {
        [
            self.coverage,
            self.lead.max(1.0).ln(),
            self.score.max(1.0).ln(),
            self.known,
        ]
    }
}

/// Logistic-regression weights: intercept, then one per [`Features::inputs`]. Fitted by
/// `cargo run -p eval --release -- --fit` on the evaluation set's answered questions (top
/// result right) against its unanswerable ones.
pub const WEIGHTS: [f32; 5] = [-9.99, 4.63, -0.14, 2.02, 1.57];

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

/// One of the query's own terms as the index sees it.
#[derive(Clone, Debug)]
struct TermEvidence {
    analyzer: Analyzer,
    /// Documents that contain it (in any field of its analyzer).
    document_frequency: u64,
    idf: f32,
    /// Whether the document at hand contains it.
    in_document: bool,
}

/// The idf-weighted mass of the query's own terms: all, known to the index, and in the
/// document at `address`.
pub fn evidence(
    searcher: &Searcher,
    schema: &SearchSchema,
    address: DocAddress,
    terms: &QueryTerms,
) -> Evidence {
    let mut evidence = Evidence::default();
    for term in term_evidence(searcher, schema, address, terms) {
        let weight = term.idf * analyzer_weight(term.analyzer);
        evidence.total += weight;
        if term.document_frequency > 0 {
            evidence.known += weight;
        }
        if term.in_document {
            evidence.matched += weight;
        }
    }
    evidence
}

/// Each of the query's own terms with its document frequency and whether the document at
/// `address` contains it.
fn term_evidence(
    searcher: &Searcher,
    schema: &SearchSchema,
    address: DocAddress,
    terms: &QueryTerms,
) -> Vec<TermEvidence> {
    let documents = searcher.num_docs() as f32;
    let segment = searcher.segment_reader(address.segment_ord);
    let mut found = Vec::new();
    // Terms that carry no weight need no look-up: bigrams are most of a Japanese query's.
    for (analyzer, own) in terms.own.iter().filter(|(a, _)| analyzer_weight(**a) > 0.0) {
        let fields: Vec<Field> = Field::ALL
            .iter()
            .copied()
            .filter(|f| f.analyzer() == *analyzer)
            .collect();
        // Terms with digits are timestamps, addresses, ids and versions: they change between
        // occurrences and say nothing about which issue this is.
        for term in own
            .iter()
            .filter(|t| !t.bytes().any(|b| b.is_ascii_digit()))
        {
            let mut frequency = 0u64;
            let mut contains = false;
            for field in &fields {
                let term = Term::from_field_text(schema.field(*field), term);
                frequency = frequency.max(searcher.doc_freq(&term).unwrap_or(0));
                if !contains {
                    contains = in_document(segment, &term, address.doc_id);
                }
            }
            let df = frequency as f32;
            found.push(TermEvidence {
                analyzer: *analyzer,
                document_frequency: frequency,
                idf: (1.0 + (documents - df + 0.5) / (df + 0.5)).ln(),
                in_document: contains,
            });
        }
    }
    found
}

fn in_document(segment: &tantivy::SegmentReader, term: &Term, doc: tantivy::DocId) -> bool {
    let Ok(index) = segment.inverted_index(term.field()) else {
        return false;
    };
    match index.read_postings(term, IndexRecordOption::Basic) {
        Ok(Some(mut postings)) => {
            // A posting list starts at its first document; `seek` only moves forward.
            let first = postings.doc();
            first == doc || (first < doc && first != TERMINATED && postings.seek(doc) == doc)
        }
        _ => false,
    }
}
