//! The search engine: ranks entries for a query and decides which of them are worth showing.
//!
//! 1. Every analysed term of the query becomes an optional clause on its field, weighted by
//!    how telling a match on that field is ([`crate::query`]). Queries are built in our own
//!    code: tantivy's query parser would give quotes, colons or `AND` a meaning, and turns
//!    unspaced Japanese into one exact phrase.
//! 2. Pasted lines are matched against the entries' known errors with variable parts masked
//!    ([`crate::known_errors`]); an entry whose known error was seen ranks first.
//! 3. Each candidate gets a confidence ([`crate::confidence`]); below the threshold it is a
//!    weak candidate, shown only when the user asks for them.

use crate::confidence;
use crate::embedded;
use crate::filter::Filters;
use crate::known_errors::{KnownErrorMatch, KnownErrors};
use crate::names;
use crate::query::{self, QueryAnalyzer, QueryTerms};
use crate::quoted;
use crate::snippet::{Snippet, best_snippet};
use crate::statistics::EntryStatistics;
use shirube_analysis::normalize::is_japanese;
use shirube_analysis::{Field, SearchSchema};
use shirube_kb::{Entry, KnowledgeBase, Lang};
use std::collections::HashMap;
use tantivy::collector::TopDocs;
use tantivy::directory::Directory;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument, Term};

/// When the best candidate's confidence is below this, no candidate is shown unless asked
/// for. Calibrated with `cargo run -p eval --release -- --calibrate`: of the thresholds that
/// withhold at most 3% of the answers to our answerable questions, those that abstain on
/// the most unanswerable ones; of these, the lowest, since a higher one withholds more
/// answers for no more abstention, and a wrong "no match" costs an on-call engineer more
/// than a weak candidate does.
pub const CONFIDENCE_THRESHOLD: f32 = 0.65;
/// A known-error match ranks above every full-text match.
const KNOWN_ERROR_BONUS: f32 = 1000.0;
/// Full-text candidates considered per query (those that pass the filters), or the limit if higher.
const CANDIDATES: usize = 20;

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
/// [`confidence::Evidence`]). BM25 adds up term scores, so an entry that repeats a few of the
/// query's words can outrank one that has them all; like Lucene's former coordination
/// factor, this favours the entry that answers the whole question. The confidence is
/// computed from the plain score, as it was fitted. 0.5 + coverage and 1 + coverage gave
/// the same evaluation and 2 + coverage nearly so; all beat no factor on Japanese
/// paraphrases.
fn coordination(coverage: f32) -> f32 {
    1.0 + coverage
}

/// A ranked entry.
#[derive(Clone, Debug)]
pub struct Hit<'kb> {
    pub entry: &'kb Entry,
    /// Ranking score, higher is better: full-text relevance scaled by the share of the query
    /// the entry covers, plus 1000 × coverage when a pasted line shows one of the entry's
    /// known errors.
    pub score: f32,
    /// How sure we are that the entry answers the query, 0–1.
    pub confidence: f32,
    /// What the confidence was computed from.
    pub features: confidence::Features,
    /// The best candidate's confidence is below [`CONFIDENCE_THRESHOLD`]: every candidate of
    /// this query is weak, shown only when asked for.
    pub weak: bool,
    /// The pasted line that showed one of the entry's known errors.
    pub known_error: Option<KnownErrorMatch>,
    /// The line of the entry that best shows why it matched, in the display language.
    pub snippet: Option<Snippet>,
}

/// The ranked candidates of one query.
pub struct Ranking<'kb> {
    /// Best first; at most the limit asked for.
    pub hits: Vec<Hit<'kb>>,
    /// What the query was analysed into, kept to explain the hits.
    terms: QueryTerms,
}

/// An open index over a knowledge base.
pub struct Engine {
    kb: &'static KnowledgeBase,
    schema: SearchSchema,
    reader: IndexReader,
    analyzer: QueryAnalyzer,
    known_errors: KnownErrors,
    by_id: HashMap<&'static str, usize>,
}

impl Engine {
    /// Opens the index and knowledge base embedded in the binary.
    pub fn embedded() -> Result<Engine, String> {
        let kb = embedded::knowledge_base()?;
        Engine::open(kb, embedded::index_directory(), embedded::dictionary()?)
    }

    /// Opens the index in `directory`, built from `kb` with the analyzers over `dictionary`.
    pub fn open(
        kb: &'static KnowledgeBase,
        directory: impl Directory,
        dictionary: lindera::dictionary::Dictionary,
    ) -> Result<Engine, String> {
        let broken = |e: tantivy::TantivyError| format!("the index cannot be opened: {e}");
        let index = Index::open(directory).map_err(broken)?;
        SearchSchema::register(index.tokenizers(), dictionary);
        let schema = SearchSchema::from_schema(&index.schema())
            .ok_or_else(|| "the index was built with another schema: rebuild it".to_string())?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(broken)?;
        Ok(Engine {
            kb,
            schema,
            reader,
            analyzer: QueryAnalyzer::new(index.tokenizers(), &kb.glossary),
            known_errors: KnownErrors::new(&kb.entries),
            by_id: kb
                .entries
                .iter()
                .enumerate()
                .map(|(i, e)| (e.id.as_str(), i))
                .collect(),
        })
    }

    pub fn knowledge_base(&self) -> &'static KnowledgeBase {
        self.kb
    }

    /// Ranks the entries that match `text` and pass `filters`, best first, at most `limit`,
    /// weak candidates included (marked). Hits carry no snippet yet: see [`Engine::explain`].
    pub fn search(
        &self,
        text: &str,
        filters: &Filters,
        limit: usize,
    ) -> Result<Ranking<'static>, String> {
        let terms = self.analyzer.analyze(text);
        if terms.is_empty() || limit == 0 {
            return Ok(Ranking {
                hits: Vec::new(),
                terms,
            });
        }
        let searcher = self.reader.searcher();
        let mut known = self.known_errors.find(text);
        let wanted = CANDIDATES.max(limit);
        let statistics = EntryStatistics::new(&searcher, &self.schema);
        let ranked = self.ranked(&searcher, &statistics, &terms, filters, wanted)?;
        let addresses: Vec<tantivy::DocAddress> = ranked.iter().map(|r| r.1).collect();
        let evidence =
            confidence::evidence(&searcher, &self.schema, &statistics, &addresses, &terms);
        let mut candidates = Vec::new();
        for ((score, _, index), evidence) in ranked.into_iter().zip(evidence) {
            candidates.push((index, score, evidence, known.remove(&index)));
        }
        // Entries whose known error was pasted but whose text ranked too low to be fetched.
        for (index, found) in known {
            candidates.push((index, 0.0, confidence::Evidence::default(), Some(found)));
        }
        candidates.retain(|(index, ..)| filters.matches(&self.kb.entries[*index]));

        let unknown_names = names::unknown_names(text, &self.analyzer, &statistics) as f32;
        let quoted = quoted::quoted_errors(query::truncate(text, query::MAX_QUERY_BYTES));
        let japanese = text.chars().any(is_japanese);
        let mut hits: Vec<Hit<'static>> = Vec::with_capacity(candidates.len());
        for (i, (index, text_score, evidence, known_error)) in candidates.iter().enumerate() {
            let next_score = candidates.get(i + 1).map_or(0.0, |c| c.1);
            let features = confidence::Features {
                coverage: evidence.coverage(),
                known: evidence.known_share(),
                score: *text_score,
                lead: if next_score > 0.0 {
                    text_score / next_score
                } else {
                    10.0
                },
                unknown_names,
                japanese,
                quoted_mismatch: match known_error {
                    Some(_) => 0.0,
                    None => self
                        .known_errors
                        .resemblance(*index, &quoted)
                        .map_or(0.0, |r| 1.0 - r),
                },
            };
            let known_coverage = known_error.as_ref().map_or(0.0, |k| k.coverage);
            let confidence = confidence::probability(&features).max(known_coverage);
            hits.push(Hit {
                entry: &self.kb.entries[*index],
                score: text_score * coordination(evidence.coverage())
                    + KNOWN_ERROR_BONUS * known_coverage,
                confidence,
                features,
                weak: false,
                known_error: known_error.clone(),
                snippet: None,
            });
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score));
        hits.truncate(limit);
        let answered = hits
            .first()
            .is_some_and(|h| h.confidence >= CONFIDENCE_THRESHOLD);
        for hit in &mut hits {
            hit.weak = !answered;
        }
        Ok(Ranking { hits, terms })
    }

    /// Gives every hit of `ranking` its snippet, cut from the documents in `lang`. Apart from
    /// ranking because it analyses entry text line by line: callers drop the hits they will
    /// not show first.
    pub fn explain(&self, ranking: &mut Ranking<'_>, lang: Lang) {
        for hit in &mut ranking.hits {
            hit.snippet = match &hit.known_error {
                Some(found) => Some(Snippet::whole_line(&found.line)),
                None => best_snippet(&self.analyzer, hit.entry, lang, &ranking.terms),
            };
        }
    }

    /// The best `wanted` full-text matches that pass `filters`: `(score, address, entry)`.
    /// The component filter is part of the query; versions are checked on the ranked
    /// entries, fetching more until enough pass or the index has no more.
    fn ranked(
        &self,
        searcher: &Searcher,
        statistics: &EntryStatistics,
        terms: &QueryTerms,
        filters: &Filters,
        wanted: usize,
    ) -> Result<Vec<(f32, tantivy::DocAddress, usize)>, String> {
        let query = self.build_query(statistics, terms, filters);
        let mut fetch = wanted;
        loop {
            let top = searcher
                .search_with_statistics_provider(
                    &query,
                    &TopDocs::with_limit(fetch).order_by_score(),
                    statistics,
                )
                .map_err(|e| format!("search failed: {e}"))?;
            let exhausted = top.len() < fetch;
            let mut passed = Vec::new();
            for (score, address) in top {
                if let Some(index) = self.entry_index(searcher, address)?
                    && filters.matches(&self.kb.entries[index])
                {
                    passed.push((score, address, index));
                }
            }
            if passed.len() >= wanted || exhausted {
                passed.truncate(wanted);
                return Ok(passed);
            }
            fetch *= 4;
        }
    }

    fn entry_index(
        &self,
        searcher: &Searcher,
        address: tantivy::DocAddress,
    ) -> Result<Option<usize>, String> {
        let doc: TantivyDocument = searcher
            .doc(address)
            .map_err(|e| format!("reading a hit failed: {e}"))?;
        Ok(doc
            .get_first(self.schema.id)
            .and_then(|v| v.as_str())
            .and_then(|id| self.by_id.get(id).copied()))
    }

    fn build_query(
        &self,
        statistics: &EntryStatistics,
        terms: &QueryTerms,
        filters: &Filters,
    ) -> BooleanQuery {
        let frequency =
            |field: Field, text: &str| statistics.field_frequency(self.schema.field(field), text);
        let mut clauses: Vec<(u64, Box<dyn Query>)> = Vec::new();
        for (field, text, factor) in terms.clauses() {
            let cost = frequency(field, text);
            let term = Term::from_field_text(self.schema.field(field), text);
            let query = TermQuery::new(term, IndexRecordOption::WithFreqs);
            let boosted = BoostQuery::new(Box::new(query), weight(field) * factor);
            clauses.push((cost, Box::new(boosted)));
        }
        for field in PHRASE_FIELDS {
            for [first, second] in terms.pairs.get(&field.analyzer()).into_iter().flatten() {
                let handle = self.schema.field(field);
                let pair = [
                    Term::from_field_text(handle, first),
                    Term::from_field_text(handle, second),
                ];
                let cost = PHRASE_COST * frequency(field, first).min(frequency(field, second));
                let phrase = PhraseQuery::new(pair.to_vec());
                let boosted = BoostQuery::new(Box::new(phrase), weight(field) * PHRASE_WEIGHT);
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
