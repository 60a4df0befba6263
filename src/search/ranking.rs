//! Full-text ranking: a query built in our own code from analysed terms (never by tantivy's
//! query parser), scored by BM25 over per-entry statistics, and the score a candidate ranks
//! by once known errors and coverage are counted.

use super::confidence::Candidate;
use super::query::QueryTerms;
use super::statistics::QuestionStatistics;
use crate::filter::Filters;
use foldhash::HashMap;
use shirube_analysis::names::NameTerms;
use shirube_analysis::{Field, SearchSchema};
use shirube_kb::{Entry, Error, KnowledgeBase};
use std::sync::{Arc, RwLock};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

/// A known-error match ranks above every full-text match.
const KNOWN_ERROR_BONUS: f32 = 1000.0;
/// Fields where two neighbouring query terms found side by side count extra.
const PHRASE_FIELDS: [Field; 4] = [
    Field::TitleBigram,
    Field::BodyBigram,
    Field::TitleEn,
    Field::BodyEn,
];
/// How much such a phrase counts, against the field's weight for one term.
const PHRASE_WEIGHT: f32 = 0.5;
/// A phrase reads positions as well as documents: its cost is this many times the
/// document frequency of its rarer term.
const PHRASE_COST: u64 = 2;
/// Postings a query may read, summed over its clauses (see [`affordable`]).
const POSTINGS_BUDGET: u64 = 50_000;
/// When the first fetch of ranked documents leaves too few that pass the filters, the next
/// fetches this many times as many.
const REFETCH_FACTOR: usize = 4;

/// How much a match on each field counts.
fn weight(field: Field) -> f32 {
    match field {
        Field::TitleJa | Field::TitleEn => 1.5,
        Field::TitleBigram => 1.0,
        Field::BodyJa | Field::BodyEn | Field::Code => 1.0,
        Field::BodyBigram => 1.0,
        Field::Ident => 1.5,
        Field::ErrorsEn => 1.5,
        Field::ErrorsIdent => 3.0,
    }
}

/// What a full-text score is multiplied by, for ranking only, for an entry that contains
/// `coverage` of the query (its idf-weighted share of the user's own words, see
/// [`super::confidence::Evidence`]). BM25 adds up term scores, so an entry that repeats a
/// few of the query's words can outrank one that has them all; like Lucene's former
/// coordination factor, this favours the entry that answers the whole question. The
/// confidence is computed from the plain score, as it was fitted. 0.5 + coverage and
/// 1 + coverage gave the same evaluation and 2 + coverage nearly so; all beat no factor on
/// Japanese paraphrases.
fn coordination(coverage: f32) -> f32 {
    1.0 + coverage
}

/// What a candidate ranks by: its full-text score scaled by the share of the query it
/// covers, plus 1000 × coverage when a pasted line shows one of its known errors.
pub fn combined_score(candidate: &Candidate) -> f32 {
    candidate.text_score * coordination(candidate.evidence.coverage())
        + KNOWN_ERROR_BONUS * candidate.known_error.unwrap_or(0.0)
}

/// Whether the entry at `position` passes `filters`. Without filters it is not decoded:
/// a candidate is decoded when it becomes a hit, and in a large knowledge base most ranked
/// entries never do.
pub fn passes(kb: &KnowledgeBase, position: usize, filters: &Filters) -> Result<bool, Error> {
    if filters.is_empty() {
        return Ok(true);
    }
    readable(kb, position).map(|e| filters.matches(e))
}

/// The entry at `position`; one that cannot be read is an error naming it, as in every
/// other command: a search must not answer "nothing matches" for a damaged knowledge base.
pub fn readable(kb: &KnowledgeBase, position: usize) -> Result<&Entry, Error> {
    kb.entries.get(position).ok_or_else(|| {
        Error::new(kb.entries.problem(position).unwrap_or_default()).with_hint(
            "the knowledge base is damaged: rebuild it with `index-build build`, or leave out --kb",
        )
    })
}

/// The words of an entry's titles and upstream names, shared between the questions that
/// rank it.
pub type Names = Arc<NameTerms>;

/// An entry the full text matched.
#[derive(Clone, Debug)]
pub struct TextMatch {
    /// BM25 score.
    pub score: f32,
    /// Where its document is in the index.
    pub address: DocAddress,
    /// Index of the entry in the knowledge base.
    pub entry: usize,
    /// The words of its titles and upstream names, as stored with its document.
    pub names: Names,
}

/// What the stored document at each address says: which entry it is and the words of its
/// names. Read and decoded the first time a question ranks the document, then kept: they
/// never change under an engine, and every question reads about twenty of them. Bounded by
/// the number of documents.
#[derive(Default)]
pub struct StoredEntries {
    by_address: RwLock<HashMap<DocAddress, Option<(usize, Names)>>>,
}

/// What full-text ranking reads: one searcher, its per-entry statistics, what its documents
/// say, and the entries.
pub struct FullText<'s> {
    /// The index's searcher, the same for the whole question.
    pub searcher: &'s Searcher,
    /// The index's fields.
    pub schema: &'s SearchSchema,
    /// The per-entry counts BM25 scores by, as this question sees them.
    pub statistics: &'s QuestionStatistics<'s>,
    /// What each document says, kept across questions.
    pub stored: &'s StoredEntries,
    /// The entries: a document's id is looked up here, and each ranked entry checked
    /// against the filters.
    pub kb: &'static KnowledgeBase,
}

impl FullText<'_> {
    /// The best `wanted` matches for `terms` that pass `filters`, best first. The component
    /// filter is part of the query; versions are checked on the ranked entries, fetching
    /// more until enough pass or the index has no more.
    pub fn top(
        &self,
        terms: &QueryTerms,
        filters: &Filters,
        wanted: usize,
    ) -> Result<Vec<TextMatch>, Error> {
        let query = self.query(terms, filters);
        let mut fetch = wanted;
        loop {
            let top = self
                .searcher
                .search_with_statistics_provider(
                    &query,
                    &TopDocs::with_limit(fetch).order_by_score(),
                    self.statistics,
                )
                .map_err(|e| Error::new(format!("search failed: {e}")))?;
            let exhausted = top.len() < fetch;
            let mut passed = Vec::new();
            for (score, address) in top {
                if let Some((entry, names)) = self.entry_of(address)?
                    && passes(self.kb, entry, filters)?
                {
                    passed.push(TextMatch {
                        score,
                        address,
                        entry,
                        names,
                    });
                }
            }
            if passed.len() >= wanted || exhausted {
                passed.truncate(wanted);
                return Ok(passed);
            }
            fetch *= REFETCH_FACTOR;
        }
    }

    /// The knowledge-base index of the entry a document stores the id of, and the words of
    /// its names.
    fn entry_of(&self, address: DocAddress) -> Result<Option<(usize, Names)>, Error> {
        let known = self
            .stored
            .by_address
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(&address)
            .cloned();
        if let Some(known) = known {
            return Ok(known);
        }
        let doc: TantivyDocument = self
            .searcher
            .doc(address)
            .map_err(|e| Error::new(format!("reading a hit failed: {e}")))?;
        let stored = |field| doc.get_first(field).and_then(|v| v.as_str());
        let names = NameTerms::decode(stored(self.schema.name_terms).unwrap_or_default());
        let found = stored(self.schema.id)
            .and_then(|id| self.kb.position(id))
            .map(|entry| (entry, Arc::new(names)));
        self.stored
            .by_address
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(address, found.clone());
        Ok(found)
    }

    /// One weighted clause per term and field, and per neighbouring pair in the phrase
    /// fields, within the postings budget; the component filter as a required clause.
    /// A term no document of the field has (most of a pasted log's ids and numbers) gets no
    /// clause, nor does a pair with such a term: it would score nothing, and building its
    /// weight and scorer was a third of a pasted line's ranking.
    fn query(&self, terms: &QueryTerms, filters: &Filters) -> BooleanQuery {
        let frequency = |field: Field, text: &str| self.statistics.field_frequency(field, text);
        let mut clauses: Vec<(u64, Box<dyn Query>)> = Vec::new();
        for (field, text, factor) in terms.clauses() {
            let cost = frequency(field, text);
            if cost == 0 {
                continue;
            }
            let term = Term::from_field_text(self.schema.field(field), text);
            let query = TermQuery::new(term, IndexRecordOption::WithFreqs);
            let boosted = BoostQuery::new(Box::new(query), weight(field) * factor);
            clauses.push((cost, Box::new(boosted)));
        }
        for field in PHRASE_FIELDS {
            for [first, second] in terms.pairs.get(&field.analyzer()).into_iter().flatten() {
                // The pair's rarer word bounds how often it occurs; no clause when it never
                // does, and the second word is not looked up when the first is absent.
                let of_first = frequency(field, first);
                let rarer = if of_first == 0 {
                    0
                } else {
                    of_first.min(frequency(field, second))
                };
                if rarer == 0 {
                    continue;
                }
                let handle = self.schema.field(field);
                let phrase = PhraseQuery::new(vec![
                    Term::from_field_text(handle, first),
                    Term::from_field_text(handle, second),
                ]);
                let boosted = BoostQuery::new(Box::new(phrase), weight(field) * PHRASE_WEIGHT);
                let cost = PHRASE_COST * rarer;
                clauses.push((cost, Box::new(boosted)));
            }
        }
        let costs: Vec<u64> = clauses.iter().map(|(cost, _)| *cost).collect();
        let kept = affordable(&costs, POSTINGS_BUDGET);
        let should = clauses
            .into_iter()
            .zip(kept)
            .filter(|(_, keep)| *keep)
            .map(|((_, query), _)| (Occur::Should, query))
            .collect();
        let matching: Box<dyn Query> = Box::new(BooleanQuery::new(should));
        let mut clauses = vec![(Occur::Must, matching)];
        if let Some(component) = &filters.component {
            let term = Term::from_field_text(self.schema.component, component);
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            ));
        }
        BooleanQuery::new(clauses)
    }
}

/// Which clauses a query keeps, given what each costs (the postings it reads): the cheapest
/// first, while their total stays within `budget`, and always the cheapest one. The cost of
/// a clause is the number of documents containing its term, so the clauses dropped are those
/// of the commonest terms, which BM25 weighs the least: in a 100,000-entry knowledge base a
/// sentence's everyday words each match tens of thousands of entries and reading their
/// postings is most of the query's time, while they hardly change which entries rank first
/// (Lucene's common-terms query reasons the same way). In a small knowledge base only a
/// paste of many hundreds of words reaches the budget; its questions keep every clause.
fn affordable(costs: &[u64], budget: u64) -> Vec<bool> {
    let mut order: Vec<usize> = (0..costs.len()).collect();
    order.sort_by_key(|&i| costs[i]);
    let mut kept = vec![false; costs.len()];
    let mut spent = 0u64;
    for (rank, i) in order.into_iter().enumerate() {
        spent = spent.saturating_add(costs[i]);
        if spent > budget && rank > 0 {
            break;
        }
        kept[i] = true;
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_within_the_budget_are_all_kept() {
        assert_eq!(affordable(&[40, 3, 42], 100), [true, true, true]);
    }

    #[test]
    fn the_commonest_terms_are_dropped_first() {
        assert_eq!(
            affordable(&[90_000, 12, 40_000, 7], 50_000),
            [false, true, true, true]
        );
    }

    #[test]
    fn the_cheapest_clause_is_kept_even_over_budget() {
        assert_eq!(affordable(&[80_000, 60_000], 50_000), [false, true]);
    }
}
