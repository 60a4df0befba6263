//! The search engine, and the one way to ask it: [`Engine::search`] takes a [`Request`]
//! and returns a [`Ranking`]. The command line, the evaluation, the benchmarks and any
//! server ask through it, so they all answer alike.
//!
//! A search, in order:
//! 1. the question is cut to [`query::MAX_QUERY_BYTES`], once, and its language read
//!    (`crate::language`);
//! 2. it is analysed into terms, glossary equivalents included (`query`);
//! 3. entries are ranked by full text (`ranking`), and entries whose known errors a pasted
//!    line shows join them (`crate::known_errors`);
//! 4. every candidate gets a confidence, and the best one decides whether the question is
//!    answered or its candidates are weak ([`confidence`]); with a version filter, the best
//!    entry without the filter is named when the filter removed it;
//! 5. the hits shown get snippets (`snippet`).

pub mod confidence;
mod envelope;
mod glossary;
pub(crate) mod query;
mod ranking;
mod snippet;
mod statistics;

pub use query::MAX_QUERY_BYTES;

use crate::context::{Context, Judgement};
use crate::filter::Filters;
use crate::known_errors::{KnownErrorMatch, KnownErrors};
use crate::language::query_language;
use crate::store::embedded;
use confidence::{Candidate, Decision, Evidence, Features, Model, Question};
use query::{QueryAnalyzer, QueryTerms};
use ranking::{FullText, Names, StoredEntries, combined_score};
use shirube_analysis::SearchSchema;
use shirube_kb::condition::Facts;
use shirube_kb::{Entry, Error, KnowledgeBase, Lang};
use snippet::{Snippet, SnippetLines, Wanted};
use statistics::{EntryStatistics, QuestionStatistics};
use std::sync::Arc;
use tantivy::directory::Directory;
use tantivy::{Index, ReloadPolicy};

/// Results shown when a request does not say how many.
pub const DEFAULT_LIMIT: usize = 5;
/// Weak candidates shown when no candidate is confident and the request does not say how
/// many: enough to recognise the right one if it is there, few enough not to pass for
/// answers.
pub const DEFAULT_WEAK: usize = 3;
/// Full-text candidates considered per query (those that pass the filters), or the limit if
/// higher: the confidence of each reads how far it leads the next.
const CANDIDATES: usize = 20;

/// A question, and how to answer it.
#[derive(Clone, Debug)]
pub struct Request<'q> {
    /// The symptom or pasted error, as the user gave it; only the first
    /// [`query::MAX_QUERY_BYTES`] are read.
    pub text: &'q str,
    /// The version and component filters; empty filters keep every entry.
    pub filters: Filters,
    /// The language to show hits in; `None` shows them in the question's language.
    pub lang: Option<Lang>,
    /// Hits wanted, at most.
    pub limit: usize,
    /// When no candidate is confident, show this many of the best ones anyway (marked
    /// weak, and never more than `limit`); the others are withheld.
    pub weak: usize,
    /// Cut a snippet for every hit shown. Only ranking needs none (the evaluation).
    pub snippets: bool,
    /// Facts known about the cluster asked from (facts files, its configuration, this host
    /// probed); those the question states are added to them (see [`crate::context`]).
    pub facts: Facts,
}

impl<'q> Request<'q> {
    /// A request as a user asks it, on the command line or through `serve`: at most
    /// `limit` hits and, when nothing is confident, [`DEFAULT_WEAK`] weak candidates, or
    /// as many as `limit` with `all_weak`; in `lang` (else the question's), judged against
    /// `facts`. One function, so a question means the same on every front end.
    pub fn asked(
        text: &'q str,
        filters: Filters,
        lang: Option<Lang>,
        limit: usize,
        all_weak: bool,
        facts: Facts,
    ) -> Self {
        Request {
            filters,
            lang,
            limit,
            weak: if all_weak {
                limit
            } else {
                DEFAULT_WEAK.min(limit)
            },
            facts,
            ..Request::new(text)
        }
    }

    /// A request for `text` as `shirube search` makes it: no filters, the question's
    /// language, [`DEFAULT_LIMIT`] hits or [`DEFAULT_WEAK`] weak candidates, snippets cut.
    pub fn new(text: &'q str) -> Self {
        Request {
            text,
            filters: Filters::default(),
            lang: None,
            limit: DEFAULT_LIMIT,
            weak: DEFAULT_WEAK,
            snippets: true,
            facts: Facts::new(),
        }
    }
}

/// The answer to a [`Request`].
#[derive(Clone, Debug)]
pub struct Ranking<'kb> {
    /// The language hits are shown in: the request's, else the question's.
    pub lang: Lang,
    /// The question was longer than [`query::MAX_QUERY_BYTES`]: only its start was read.
    pub truncated: bool,
    /// Whether the question is answered, and why.
    pub decision: Decision,
    /// The hits to show, best first: every candidate when the decision answers the question,
    /// else as many weak ones (marked [`Hit::weak`]) as the request asked for.
    pub shown: Vec<Hit<'kb>>,
    /// The candidates withheld because none is confident, best first, without snippets.
    pub withheld: Vec<Hit<'kb>>,
    /// The entry that answers the question best without the version filter, when the filter
    /// removed it: confident, but not affecting the version asked about. Without snippet.
    pub excluded: Option<Hit<'kb>>,
}

impl<'kb> Ranking<'kb> {
    /// Every candidate, shown or withheld, best first.
    pub fn candidates(&self) -> impl Iterator<Item = &Hit<'kb>> {
        self.shown.iter().chain(&self.withheld)
    }

    /// The best candidate, shown or withheld: the one whose confidence decided.
    pub fn best(&self) -> Option<&Hit<'kb>> {
        self.candidates().next()
    }
}

/// A ranked entry.
#[derive(Clone, Debug)]
pub struct Hit<'kb> {
    /// The entry ranked.
    pub entry: &'kb Entry,
    /// Ranking score, higher is better (see `ranking::combined_score`).
    pub score: f32,
    /// How sure we are that the entry answers the question, 0–1.
    pub confidence: f32,
    /// What the confidence was computed from.
    pub features: Features,
    /// No candidate of this question is confident: this one is shown only because the
    /// request asked for weak candidates, or withheld.
    pub weak: bool,
    /// The pasted line that showed one of the entry's known errors.
    pub known_error: Option<KnownErrorMatch>,
    /// The line of the entry that best shows why it matched, in the display language.
    pub snippet: Option<Snippet>,
    /// Whether the entry's conditions hold for the facts known, and which decided.
    pub context: Judgement,
}

/// An open index over a knowledge base.
pub struct Engine {
    kb: &'static KnowledgeBase,
    schema: SearchSchema,
    /// The index's searcher, with the term counts questions have looked up.
    statistics: EntryStatistics,
    stored: StoredEntries,
    analyzer: QueryAnalyzer,
    known_errors: KnownErrors,
    snippet_lines: SnippetLines,
    model: Model,
}

/// A tantivy error in one line of words: its own messages quote file errors in Debug form.
fn describe(error: &tantivy::TantivyError) -> String {
    use tantivy::directory::error::OpenReadError;
    match error {
        tantivy::TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(path)) => {
            format!("{} is missing", path.display())
        }
        tantivy::TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath }) => {
            format!(
                "{}: {}",
                filepath.display(),
                shirube_kb::error::io_reason(io_error)
            )
        }
        other => other.to_string(),
    }
}

impl Engine {
    /// Opens the index and knowledge base embedded in the binary.
    pub fn embedded() -> Result<Engine, Error> {
        let kb = embedded::knowledge_base()?;
        Engine::open(
            kb,
            embedded::index_directory(),
            embedded::dictionary()?,
            embedded::known_errors()?,
        )
    }

    /// Opens the index in `directory`, built from `kb` with the analyzers over `dictionary`,
    /// with the known errors of `kb`.
    pub fn open(
        kb: &'static KnowledgeBase,
        directory: impl Directory,
        dictionary: lindera::dictionary::Dictionary,
        known_errors: KnownErrors,
    ) -> Result<Engine, Error> {
        let broken = |e: tantivy::TantivyError| {
            Error::new(format!("the index cannot be opened: {}", describe(&e)))
        };
        let index = Index::open(directory).map_err(broken)?;
        let built_by = index.load_metas().map_err(broken)?.payload;
        if built_by.as_deref().unwrap_or_default() != kb.build_id {
            return Err(Error::new(
                "the entries and the index come from different builds (rebuilt while being read?)",
            )
            .with_hint("run the command again once `index-build build` has finished"));
        }
        SearchSchema::register(index.tokenizers(), dictionary);
        let schema = SearchSchema::from_schema(&index.schema()).ok_or_else(|| {
            Error::new("the index was built with another schema").with_hint("rebuild it")
        })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(broken)?;
        Ok(Engine {
            kb,
            statistics: EntryStatistics::new(reader.searcher(), schema.clone()),
            schema,
            stored: StoredEntries::default(),
            analyzer: QueryAnalyzer::new(index.tokenizers(), &kb.glossary),
            known_errors,
            snippet_lines: SnippetLines::new(kb.entries.len()),
            model: Model::FITTED,
        })
    }

    /// The knowledge base the engine answers from.
    pub fn knowledge_base(&self) -> &'static KnowledgeBase {
        self.kb
    }

    /// The known errors of the knowledge base, as `triage` scans logs for them.
    pub fn known_errors(&self) -> &KnownErrors {
        &self.known_errors
    }

    /// Decides with `model` from now on: how the evaluation fits and calibrates the model
    /// that ships.
    pub fn set_model(&mut self, model: Model) {
        self.model = model;
    }

    /// Answers `request`.
    pub fn search(&self, request: &Request) -> Result<Ranking<'static>, Error> {
        let (text, truncated) = query::limited(request.text);
        let question_lang = query_language(text);
        let lang = request.lang.unwrap_or(question_lang);
        let terms = self.analyzer.analyze(text);
        let ask = |filters: &Filters| -> Result<Vec<Hit<'static>>, Error> {
            if terms.is_empty() || request.limit == 0 {
                return Ok(Vec::new());
            }
            self.candidates(text, question_lang, &terms, filters, request.limit)
        };
        let mut candidates = ask(&request.filters)?;
        // Conditions decide, visibly: a candidate a known fact contradicts goes after the
        // others, and is never the answer.
        let context = Context::new(&request.facts, text);
        for hit in &mut candidates {
            hit.context = context.judge(hit.entry);
        }
        // The best match, when the facts rule it out: shown even among weak candidates, so
        // the user sees why the entry their error names is not the answer.
        let ruled_out_best = candidates
            .first()
            .filter(|best| best.context.applies == Some(false))
            .map(|best| best.entry.id.clone());
        candidates.sort_by_key(|hit| hit.context.applies == Some(false));
        // What is left when the facts rule out the best match leads only because it is
        // gone, as with the version filter below: an answer only if it shows one of its
        // known errors.
        let mut decision = match (candidates.first(), &ruled_out_best) {
            (Some(first), Some(_))
                if first.known_error.is_none() || first.context.applies == Some(false) =>
            {
                self.model.decide_contradicted(first.confidence)
            }
            (best, _) => self.model.decide(best.map(|h| h.confidence)),
        };
        // The version filter must not pass over the answer in silence, nor promote what is
        // left: the best match without the filter is what the question is about, and the
        // others lead only because it is gone. They are answers only if they show one of
        // their known errors.
        let mut excluded = None;
        if let Some(version) = &request.filters.version {
            let unfiltered = Filters {
                version: None,
                ..request.filters.clone()
            };
            let removed = ask(&unfiltered)?
                .into_iter()
                .next()
                .filter(|best| !best.entry.versions.may_affect(version));
            if let Some(best) = removed {
                let stands_alone = candidates.first().is_some_and(|h| h.known_error.is_some());
                if decision.answered && !stands_alone {
                    decision = self.model.decide_without_best(best.confidence);
                }
                excluded = Some(best).filter(|b| self.model.decide(Some(b.confidence)).answered);
            }
        }
        let (mut shown, mut withheld) = if decision.answered {
            (candidates, Vec::new())
        } else {
            let mut withheld = candidates.split_off(request.weak.min(candidates.len()));
            let ruled_out = withheld
                .iter()
                .position(|hit| Some(&hit.entry.id) == ruled_out_best.as_ref());
            let room = request.weak > 0 && candidates.len() < request.limit;
            if let Some(at) = ruled_out.filter(|_| room) {
                candidates.push(withheld.remove(at));
            }
            (candidates, withheld)
        };
        for hit in shown.iter_mut().chain(&mut withheld) {
            hit.weak = !decision.answered;
        }
        if request.snippets && !shown.is_empty() {
            let wanted = Wanted::new(&terms);
            for hit in &mut shown {
                hit.snippet = match &hit.known_error {
                    Some(found) => Some(Snippet::whole_line(&found.line)),
                    None => self.kb.position(&hit.entry.id).and_then(|index| {
                        self.snippet_lines
                            .best(&self.analyzer, index, hit.entry, lang, &wanted)
                    }),
                };
            }
        }
        Ok(Ranking {
            lang,
            truncated,
            decision,
            shown,
            withheld,
            excluded,
        })
    }

    /// The candidates for `text` (analysed into `terms`) that pass `filters`, best first, at
    /// most `limit`, each with its confidence.
    fn candidates(
        &self,
        text: &str,
        question_lang: Lang,
        terms: &QueryTerms,
        filters: &Filters,
        limit: usize,
    ) -> Result<Vec<Hit<'static>>, Error> {
        let statistics = &QuestionStatistics::new(&self.statistics);
        let searcher = statistics.searcher();
        let full_text = FullText {
            searcher,
            schema: &self.schema,
            statistics,
            stored: &self.stored,
            kb: self.kb,
        };
        let ranked = full_text.top(terms, filters, CANDIDATES.max(limit))?;
        let addresses: Vec<tantivy::DocAddress> = ranked.iter().map(|r| r.address).collect();
        let evidence = confidence::evidence(searcher, &self.schema, statistics, &addresses, terms);
        let mut known = self.known_errors.find(text);
        // In full-text order.
        let mut matches: Vec<Match> = ranked
            .into_iter()
            .zip(evidence)
            .map(|(m, evidence)| Match {
                entry: m.entry,
                text_score: m.score,
                evidence,
                known_error: known.remove(&m.entry),
                names: m.names,
            })
            .collect();
        // Entries whose known error was pasted but whose text ranked too low to be fetched:
        // their names are analysed here.
        for (entry, found) in known {
            if ranking::passes(self.kb, entry, filters)? {
                let names = Arc::new(self.analyzer.name_terms(ranking::readable(self.kb, entry)?));
                matches.push(Match {
                    entry,
                    text_score: 0.0,
                    evidence: Evidence::default(),
                    known_error: Some(found),
                    names,
                });
            }
        }

        let question = Question::read(text, question_lang);
        // The score a candidate ranks by needs no confidence: rank first, then compute the
        // confidence of the candidates kept (reading names and aligning quoted errors cost
        // per candidate).
        let next_scores: Vec<Option<f32>> = (0..matches.len())
            .map(|i| matches.get(i + 1).map(|next| next.text_score))
            .collect();
        let mut ranked: Vec<(Candidate, Match)> = matches
            .into_iter()
            .zip(next_scores)
            .map(|(found, next_score)| {
                let candidate = Candidate {
                    text_score: found.text_score,
                    next_score,
                    evidence: found.evidence,
                    quoted_resemblance: None,
                    known_error: found.known_error.as_ref().map(|k| k.coverage),
                    title_coverage: 0.0,
                    names_upstream: false,
                    others_covering_all: 0,
                };
                (candidate, found)
            })
            .collect();
        // A question every word of which several entries contain does not tell them apart.
        let covering_all = ranked
            .iter()
            .filter(|(c, _)| c.evidence.coverage() >= confidence::WHOLE)
            .count();
        for (candidate, _) in &mut ranked {
            if candidate.evidence.coverage() >= confidence::WHOLE {
                candidate.others_covering_all = covering_all - 1;
            }
        }
        ranked.sort_by(|a, b| combined_score(&b.0).total_cmp(&combined_score(&a.0)));
        ranked.truncate(limit);
        let documents = searcher.num_docs() as f32;
        ranked
            .into_iter()
            .map(|(mut candidate, found)| {
                let Match {
                    entry,
                    known_error,
                    names,
                    ..
                } = found;
                if known_error.is_none() {
                    candidate.quoted_resemblance =
                        self.known_errors.resemblance(entry, &question.quoted);
                }
                let entry = ranking::readable(self.kb, entry)?;
                candidate.title_coverage =
                    confidence::title_coverage(&names, terms, statistics, documents);
                candidate.names_upstream = confidence::names_upstream(&names, terms);
                let features = Features::of(&candidate, &question);
                Ok(Hit {
                    entry,
                    score: combined_score(&candidate),
                    confidence: self
                        .model
                        .confidence(&features, known_error.as_ref().map(|k| k.shown)),
                    features,
                    weak: false,
                    known_error,
                    snippet: None,
                    context: Judgement::default(),
                })
            })
            .collect()
    }
}

/// An entry the question brought in, before its confidence: what ranked it.
struct Match {
    /// The entry, by index.
    entry: usize,
    /// Its full-text score; 0 when only a pasted known error brought it in.
    text_score: f32,
    /// What it shares with the question's words.
    evidence: Evidence,
    /// The pasted line that showed one of its known errors, if one did.
    known_error: Option<KnownErrorMatch>,
    /// The analysed words of its titles and upstream names.
    names: Names,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every question of our query sets and of the real tuning half.
    fn questions() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/queries");
        let files = [
            "evaluation.toml",
            "paraphrases.toml",
            "short.toml",
            "fresh.toml",
            "other_lines.toml",
            "real/tuning.toml",
        ];
        files
            .iter()
            .flat_map(|file| {
                let text = std::fs::read_to_string(root.join(file)).unwrap();
                let sets: toml::Table = toml::from_str(&text).unwrap();
                let queries = sets["query"].as_array().unwrap().clone();
                queries
                    .into_iter()
                    .map(|q| q["text"].as_str().unwrap().to_string())
            })
            .collect()
    }

    /// A one-shot search chooses snippets by analysing the promising lines; an engine that
    /// shows an entry again chooses by the entry's postings. Both must show the same line
    /// with the same highlights, so the command line and the server agree.
    #[test]
    fn snippets_are_the_same_the_first_time_an_entry_is_shown_and_after() {
        let questions = questions();
        assert!(questions.len() > 400, "{} questions", questions.len());
        let again = Engine::embedded().unwrap();
        let mut compared = 0;
        for question in &questions {
            let first = Engine::embedded().unwrap();
            let request = Request::new(question);
            let cold = first.search(&request).unwrap();
            again.search(&request).unwrap();
            let warm = again.search(&request).unwrap();
            let snippets = |ranking: &Ranking| -> Vec<Option<Snippet>> {
                ranking
                    .shown
                    .iter()
                    .map(|hit| hit.snippet.clone())
                    .collect()
            };
            assert_eq!(snippets(&cold), snippets(&warm), "{question}");
            compared += cold.shown.iter().filter(|h| h.snippet.is_some()).count();
        }
        assert!(compared > 100, "{compared} snippets compared");
    }
}
