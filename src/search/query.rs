//! Turning query text into weighted terms: the index's own analyzers, plus the glossary's
//! equivalents in the other language for what the text mentions.

use super::envelope;
use super::glossary::GlossaryTerms;
use foldhash::{HashMap, HashSet};
use shirube_analysis::Field;
use shirube_analysis::log_messages;
use shirube_analysis::names::NameTerms;
use shirube_analysis::normalize::is_japanese;
use shirube_analysis::schema::Analyzer;
use shirube_kb::{Entry, Glossary};
use std::collections::BTreeMap;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenizerManager};

/// At most this much of a query is analysed; a whole log belongs to `triage`.
pub const MAX_QUERY_BYTES: usize = 64 * 1024;
/// At most this many distinct terms per analyzer enter a query.
const MAX_TERMS: usize = 512;
/// How much a term that only the glossary added counts against the user's own words.
const EXPANSION_WEIGHT: f32 = 0.5;
/// How much the English word a katakana loanword spells counts: it is the user's own word,
/// in the alphabet the entries' English text is written in.
const SPELLED_WEIGHT: f32 = 1.0;

/// The terms a query was analysed into.
#[derive(Clone, Debug, Default)]
pub struct QueryTerms {
    /// The user's own terms, per analyzer.
    pub own: BTreeMap<Analyzer, Vec<String>>,
    /// Terms the glossary added (not among the user's own), per analyzer.
    pub added: BTreeMap<Analyzer, Vec<String>>,
    /// Of those, the ones a katakana loanword of the user's spells in English.
    pub spelled: BTreeMap<Analyzer, Vec<String>>,
    /// Adjacent pairs of the user's own terms, per analyzer: an entry that has them side by
    /// side shares a phrase with the query, not just words.
    pub pairs: BTreeMap<Analyzer, Vec<[String; 2]>>,
    /// Each glossary term the user wrote, with what the glossary added for it.
    pub translations: Vec<Translation>,
    /// The user's terms that are words of messages every log prints ([`log_messages`]).
    pub common: Vec<(Analyzer, String)>,
}

/// A glossary term of the query as terms, and its equivalents as terms: an entry that says
/// `offline` has answered the user's 落ちた, though not in the user's words. Only words count
/// here: the confidence, which reads this, leaves character bigrams out.
#[derive(Clone, Debug, Default)]
pub struct Translation {
    /// What the user's wording was analysed into.
    pub own: Vec<(Analyzer, String)>,
    /// What its equivalents were analysed into.
    pub added: Vec<(Analyzer, String)>,
}

impl QueryTerms {
    /// Whether the query has no term at all, own or added: nothing to search for.
    pub fn is_empty(&self) -> bool {
        self.own.values().all(Vec::is_empty) && self.added.values().all(Vec::is_empty)
    }

    /// `(field, term, weight factor)` for every field: 1.0 for the user's own words, less for
    /// glossary additions.
    pub fn clauses(&self) -> Vec<(Field, &str, f32)> {
        let mut clauses = Vec::new();
        for field in Field::ALL {
            let analyzer = field.analyzer();
            for term in self.own.get(&analyzer).into_iter().flatten() {
                clauses.push((field, term.as_str(), 1.0));
            }
            for term in self.added.get(&analyzer).into_iter().flatten() {
                let weight = if has(&self.spelled, analyzer, term) {
                    SPELLED_WEIGHT
                } else {
                    EXPANSION_WEIGHT
                };
                clauses.push((field, term.as_str(), weight));
            }
        }
        clauses
    }

    /// Whether the user wrote `term` of `analyzer` (the glossary did not add it).
    pub fn says(&self, analyzer: Analyzer, term: &str) -> bool {
        has(&self.own, analyzer, term)
    }

    /// Whether `term` of `analyzer` is a word of a message every log prints that the user
    /// wrote.
    pub fn is_common(&self, analyzer: Analyzer, term: &str) -> bool {
        self.common.iter().any(|(a, t)| *a == analyzer && t == term)
    }

    /// Whether the query has `term` of `analyzer`, its own or added.
    pub fn mentions(&self, analyzer: Analyzer, term: &str) -> bool {
        self.says(analyzer, term) || has(&self.added, analyzer, term)
    }

    /// Every term of `analyzer`, own and added: what snippets highlight.
    pub fn highlight_set(&self, analyzer: Analyzer) -> HashSet<&str> {
        self.own
            .get(&analyzer)
            .into_iter()
            .chain(self.added.get(&analyzer))
            .flatten()
            .map(String::as_str)
            .collect()
    }
}

/// Whether `terms` holds `term` of `analyzer`.
fn has(terms: &BTreeMap<Analyzer, Vec<String>>, analyzer: Analyzer, term: &str) -> bool {
    terms
        .get(&analyzer)
        .is_some_and(|t| t.iter().any(|t| t == term))
}

/// The analyzers of an index and the glossary, ready to analyse queries.
pub struct QueryAnalyzer {
    analyzers: HashMap<Analyzer, TextAnalyzer>,
    glossary: GlossaryTerms,
}

impl QueryAnalyzer {
    /// The analyzers `tokenizers` holds (an index's, so queries are analysed as its entries
    /// were) and the terms of `glossary`.
    pub fn new(tokenizers: &TokenizerManager, glossary: &Glossary) -> Self {
        let analyzers = Analyzer::ALL
            .iter()
            .filter_map(|&a| Some((a, tokenizers.get(a.name())?)))
            .collect();
        QueryAnalyzer {
            analyzers,
            glossary: GlossaryTerms::new(glossary),
        }
    }

    /// Analyses `text` with every analyzer. A line holding a JSON object (Ansible's
    /// failures, JSON logs) counts by its text values only ([`super::envelope`]).
    pub fn analyze(&self, text: &str) -> QueryTerms {
        let message = envelope::message_text(text);
        let text = message.as_ref();
        let found = self.glossary.find(text);
        let expansion: Vec<&str> = found
            .iter()
            .flat_map(|f| f.added.iter().map(String::as_str))
            .collect();
        let expansion = expansion.join("\n");
        let spelled: Vec<&str> = found
            .iter()
            .filter(|f| f.spelled)
            .flat_map(|f| f.added.iter().map(String::as_str))
            .collect();
        let spelled = spelled.join("\n");
        let mut terms = QueryTerms {
            translations: found
                .iter()
                .filter(|f| f.own.iter().any(|t| t.chars().any(is_japanese)))
                .map(|f| Translation {
                    own: self.word_terms(&f.own.join("\n")),
                    added: self.word_terms(&f.added.join("\n")),
                })
                .collect(),
            common: self.word_terms(&log_messages::find(text).join("\n")),
            ..QueryTerms::default()
        };
        for analyzer in Analyzer::ALL {
            // Analysed once: both the terms and their neighbouring pairs come from it.
            let tokens = self.tokens(analyzer, text);
            terms.pairs.insert(analyzer, adjacent_pairs(&tokens));
            let own = distinct_terms(tokens);
            let own_set: HashSet<&String> = own.iter().collect();
            let added: Vec<String> = self
                .terms(analyzer, &expansion)
                .into_iter()
                .filter(|t| !own_set.contains(t))
                .collect();
            let spelled: Vec<String> = self
                .terms(analyzer, &spelled)
                .into_iter()
                .filter(|t| added.contains(t))
                .collect();
            terms.spelled.insert(analyzer, spelled);
            terms.added.insert(analyzer, added);
            terms.own.insert(analyzer, own);
        }
        terms
    }

    /// The distinct terms of `text` by every analyzer but character bigrams.
    fn word_terms(&self, text: &str) -> Vec<(Analyzer, String)> {
        Analyzer::ALL
            .iter()
            .filter(|&&analyzer| analyzer != Analyzer::Bigram)
            .flat_map(|&analyzer| {
                self.terms(analyzer, text)
                    .into_iter()
                    .map(move |t| (analyzer, t))
            })
            .collect()
    }

    /// The words of `entry`'s titles and upstream names, as the build step stores them with
    /// its document.
    pub fn name_terms(&self, entry: &Entry) -> NameTerms {
        NameTerms::analyze(entry.titles(), entry.upstream.words(), |a, t| {
            self.terms(a, t)
        })
    }

    /// The distinct terms `analyzer` makes of `text`, in order of first appearance.
    pub fn terms(&self, analyzer: Analyzer, text: &str) -> Vec<String> {
        distinct_terms(self.tokens(analyzer, text))
    }

    /// The tokens of `text` by `analyzer`, with offsets into `text`.
    pub fn tokens(&self, analyzer: Analyzer, text: &str) -> Vec<Token> {
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
}

/// The distinct texts of `tokens`, in order of first appearance, at most [`MAX_TERMS`].
fn distinct_terms(tokens: Vec<Token>) -> Vec<String> {
    let mut seen = HashSet::default();
    let mut terms = Vec::new();
    for token in tokens {
        if terms.len() >= MAX_TERMS {
            break;
        }
        if seen.insert(token.text.clone()) {
            terms.push(token.text);
        }
    }
    terms
}

/// Distinct pairs of tokens at neighbouring positions, at most [`MAX_TERMS`].
fn adjacent_pairs(tokens: &[Token]) -> Vec<[String; 2]> {
    let mut seen = HashSet::default();
    tokens
        .windows(2)
        .filter(|w| w[1].position == w[0].position + 1 && w[0].text != w[1].text)
        .map(|w| [w[0].text.clone(), w[1].text.clone()])
        .filter(|pair| seen.insert(pair.clone()))
        .take(MAX_TERMS)
        .collect()
}

/// The part of a question that is read: its first [`MAX_QUERY_BYTES`], and whether that
/// is less than all of it. Every reader of a question reads this part only.
pub fn limited(text: &str) -> (&str, bool) {
    let part = truncate(text, MAX_QUERY_BYTES);
    (part, part.len() < text.len())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_keeps_characters_whole() {
        assert_eq!(truncate("証明書", 4), "証");
        assert_eq!(truncate("abc", 10), "abc");
    }
}
