//! The search engine: analyses a query with the index's own analyzers, builds the query in
//! our own code (tantivy's query parser would give query syntax a meaning, and turns
//! unspaced Japanese into one exact phrase), and ranks entries.
//!
//! Every analysed term of the query becomes an optional clause on its field, weighted by how
//! telling a match on that field is. Any text is therefore a valid query: quotes, colons,
//! `AND` or `field:value` are just more words.

use crate::embedded;
use crate::filter::Filters;
use crate::snippet::{Snippet, best_snippet};
use shirube_analysis::schema::Analyzer;
use shirube_analysis::{Field, SearchSchema, normalize};
use shirube_kb::{Entry, KnowledgeBase, Lang};
use std::collections::{HashMap, HashSet};
use tantivy::collector::TopDocs;
use tantivy::directory::Directory;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument, Term};

/// At most this much of a query is analysed; a whole log belongs to `triage`.
pub const MAX_QUERY_BYTES: usize = 64 * 1024;
/// At most this many distinct terms per field enter a query.
const MAX_TERMS_PER_FIELD: usize = 512;

/// How much a match on each field counts.
fn weight(field: Field) -> f32 {
    match field {
        Field::TitleJa | Field::TitleEn => 2.0,
        Field::TitleBigram => 1.0,
        Field::BodyJa | Field::BodyEn => 1.0,
        Field::BodyBigram => 0.5,
        Field::Ident => 1.5,
        Field::ErrorsEn => 1.5,
        Field::ErrorsIdent => 3.0,
    }
}

/// A ranked entry.
#[derive(Clone, Debug)]
pub struct Hit<'kb> {
    pub entry: &'kb Entry,
    pub score: f32,
    /// The line of the entry that best shows why it matched, in the display language.
    pub snippet: Option<Snippet>,
}

/// The terms a query was analysed into: what the query is built from and what snippets
/// highlight.
#[derive(Clone, Debug, Default)]
pub struct QueryTerms {
    /// `(field, term, weight factor)`: 1.0 for the user's own words, less for glossary
    /// expansions.
    pub clauses: Vec<(Field, String, f32)>,
    pub by_analyzer: HashMap<Analyzer, HashSet<String>>,
}

impl QueryTerms {
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }
}

/// How much a term that only the glossary added counts against the user's own words.
const EXPANSION_WEIGHT: f32 = 0.5;

/// An open index over a knowledge base.
pub struct Engine {
    kb: &'static KnowledgeBase,
    schema: SearchSchema,
    reader: IndexReader,
    analyzers: HashMap<Analyzer, TextAnalyzer>,
    by_id: HashMap<&'static str, &'static Entry>,
    /// The glossary's groups, normalised like query text.
    synonyms: Vec<Vec<String>>,
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
        let analyzers = Analyzer::ALL
            .iter()
            .filter_map(|&a| Some((a, index.tokenizers().get(a.name())?)))
            .collect();
        let by_id = kb.entries.iter().map(|e| (e.id.as_str(), e)).collect();
        let synonyms = kb
            .glossary
            .iter()
            .map(|group| group.iter().map(|t| normalize(t).text).collect())
            .collect();
        Ok(Engine {
            kb,
            schema,
            reader,
            analyzers,
            by_id,
            synonyms,
        })
    }

    pub fn knowledge_base(&self) -> &'static KnowledgeBase {
        self.kb
    }

    /// Analyses `text` into the terms of every field, with the index's analyzers, and adds
    /// the glossary's equivalents of what it contains.
    pub fn analyze(&self, text: &str) -> QueryTerms {
        let text = truncate(text, MAX_QUERY_BYTES);
        let expansion = self.expansion(text);
        let mut terms = QueryTerms::default();
        for analyzer in Analyzer::ALL {
            let own = self.terms(analyzer, text);
            let own_set: HashSet<String> = own.iter().cloned().collect();
            let added: Vec<String> = self
                .terms(analyzer, &expansion)
                .into_iter()
                .filter(|t| !own_set.contains(t))
                .collect();
            for field in Field::ALL.iter().filter(|f| f.analyzer() == analyzer) {
                terms
                    .clauses
                    .extend(own.iter().map(|t| (*field, t.clone(), 1.0)));
                terms
                    .clauses
                    .extend(added.iter().map(|t| (*field, t.clone(), EXPANSION_WEIGHT)));
            }
            terms
                .by_analyzer
                .insert(analyzer, own_set.into_iter().chain(added).collect());
        }
        terms
    }

    /// The other terms of every glossary group that `text` mentions, one per line.
    fn expansion(&self, text: &str) -> String {
        let text = normalize(text).text;
        let mut added = Vec::new();
        for group in &self.synonyms {
            if group.iter().any(|term| mentions(&text, term)) {
                added.extend(group.iter().filter(|term| !mentions(&text, term)).cloned());
            }
        }
        added.join("\n")
    }

    /// The distinct terms `analyzer` makes of `text`, in order of first appearance.
    pub fn terms(&self, analyzer: Analyzer, text: &str) -> Vec<String> {
        let Some(mut analyzer) = self.analyzers.get(&analyzer).cloned() else {
            return Vec::new();
        };
        let mut seen = HashSet::new();
        let mut terms = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while let Some(token) = stream.next() {
            if terms.len() >= MAX_TERMS_PER_FIELD {
                break;
            }
            if seen.insert(token.text.clone()) {
                terms.push(token.text.clone());
            }
        }
        terms
    }

    /// Tokens of `text` by `analyzer`, with offsets into `text`: for highlighting.
    pub fn tokens(&self, analyzer: Analyzer, text: &str) -> Vec<tantivy::tokenizer::Token> {
        let Some(mut analyzer) = self.analyzers.get(&analyzer).cloned() else {
            return Vec::new();
        };
        let mut tokens = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while let Some(token) = stream.next() {
            tokens.push(token.clone());
        }
        tokens
    }

    /// Ranks the entries that match `text` and pass `filters`; best first, at most `limit`.
    /// Snippets are cut from the documents in `lang`.
    pub fn search(
        &self,
        text: &str,
        filters: &Filters,
        limit: usize,
        lang: Lang,
    ) -> Result<Vec<Hit<'static>>, String> {
        let terms = self.analyze(text);
        if terms.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let query = self.build_query(&terms, filters);
        let searcher = self.reader.searcher();
        // Version filters are applied after ranking; fetch enough to fill `limit` after them.
        let fetch = if filters.version.is_some() {
            self.kb.entries.len().max(limit)
        } else {
            limit
        };
        let top = searcher
            .search(&query, &TopDocs::with_limit(fetch).order_by_score())
            .map_err(|e| format!("search failed: {e}"))?;
        let mut hits = Vec::new();
        for (score, address) in top {
            let doc: TantivyDocument = searcher
                .doc(address)
                .map_err(|e| format!("reading a hit failed: {e}"))?;
            let Some(entry) = doc
                .get_first(self.schema.id)
                .and_then(|v| v.as_str())
                .and_then(|id| self.by_id.get(id).copied())
            else {
                continue;
            };
            if !filters.matches(entry) {
                continue;
            }
            let snippet = best_snippet(self, entry, lang, &terms);
            hits.push(Hit {
                entry,
                score,
                snippet,
            });
            if hits.len() == limit {
                break;
            }
        }
        Ok(hits)
    }

    fn build_query(&self, terms: &QueryTerms, filters: &Filters) -> BooleanQuery {
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (field, term, factor) in &terms.clauses {
            let term = Term::from_field_text(self.schema.field(*field), term);
            let query = TermQuery::new(term, IndexRecordOption::WithFreqs);
            let boosted = BoostQuery::new(Box::new(query), weight(*field) * factor);
            should.push((Occur::Should, Box::new(boosted)));
        }
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

/// Whether normalised `text` mentions `term`: as a substring for Japanese terms, as whole
/// words for others (`ca` must not match inside `local`).
fn mentions(text: &str, term: &str) -> bool {
    if term.chars().any(shirube_analysis::normalize::is_japanese) {
        return text.contains(term);
    }
    text.match_indices(term).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + term.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
pub fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
