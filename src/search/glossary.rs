//! Finding the glossary's terms in a query (`kb/glossary.toml`): which of its synonym groups
//! and loanwords the user wrote, and what each adds.
//!
//! Japanese terms are found as text, since Japanese has no spaces between words. Other terms
//! are found as whole stemmed words, like the index finds them: `certs` mentions `cert`, but
//! `/usr/local/bin` does not mention `ca`.

use foldhash::HashSet;
use shirube_analysis::english::stem_analyzer;
use shirube_analysis::normalize::{is_japanese, normalize};
use shirube_kb::Glossary;
use tantivy::tokenizer::TextAnalyzer;

/// A glossary term, normalised like query text, with its stemmed words when it is not
/// Japanese.
#[derive(Debug)]
struct Term {
    text: String,
    stems: Option<Vec<String>>,
}

/// A query as glossary terms are looked for in it.
struct QueryText {
    text: String,
    stems: Vec<String>,
    /// The same stems as a set: most terms' first stem is not in the query, and one lookup
    /// says so.
    stem_set: HashSet<String>,
    /// Whether the text has Japanese at all: a Japanese term cannot occur in it otherwise.
    japanese: bool,
}

/// A glossary term the user wrote, and what the glossary adds for it.
pub struct Found {
    /// The user's wording, as the glossary spells it.
    pub own: Vec<String>,
    /// Its equivalents.
    pub added: Vec<String>,
    /// Whether the equivalent is the user's own word spelled in English (a katakana
    /// loanword: ディスク is "disk"), not a synonym of it.
    pub spelled: bool,
}

/// The glossary, ready to be looked up in queries.
pub struct GlossaryTerms {
    synonyms: Vec<Vec<Term>>,
    loanwords: Vec<(Term, Term)>,
    stemmer: TextAnalyzer,
}

impl GlossaryTerms {
    /// The glossary's synonym groups and loanwords, normalised as query text is, and
    /// stemmed when they have no Japanese.
    pub fn new(glossary: &Glossary) -> Self {
        let mut stemmer = stem_analyzer();
        let mut term = |text: &str| {
            let text = normalize(text).text;
            let stems = (!text.chars().any(is_japanese)).then(|| stems(&mut stemmer, &text));
            Term { text, stems }
        };
        let synonyms = glossary
            .synonyms
            .iter()
            .map(|group| group.iter().map(|t| term(t)).collect())
            .collect();
        let loanwords = glossary
            .loanwords
            .iter()
            .map(|(loanword, english)| (term(loanword), term(english)))
            .collect();
        GlossaryTerms {
            synonyms,
            loanwords,
            stemmer,
        }
    }

    /// The glossary's terms that `text` mentions: every synonym group it mentions with the
    /// group's other terms, and every loanword with its English word (unless also written).
    pub fn find(&self, text: &str) -> Vec<Found> {
        let text = normalize(text).text;
        let stems = stems(&mut self.stemmer.clone(), &text);
        let query = QueryText {
            stem_set: stems.iter().cloned().collect(),
            stems,
            japanese: text.chars().any(is_japanese),
            text,
        };
        let mut found = Vec::new();
        for group in &self.synonyms {
            let (own, added): (Vec<&Term>, Vec<&Term>) =
                group.iter().partition(|term| query.mentions(term));
            if !own.is_empty() && !added.is_empty() {
                found.push(Found {
                    own: own.iter().map(|t| t.text.clone()).collect(),
                    added: added.iter().map(|t| t.text.clone()).collect(),
                    spelled: false,
                });
            }
        }
        for (loanword, english) in &self.loanwords {
            if query.mentions(loanword) && !query.mentions(english) {
                found.push(Found {
                    own: vec![loanword.text.clone()],
                    added: vec![english.text.clone()],
                    spelled: true,
                });
            }
        }
        found
    }
}

impl QueryText {
    /// Japanese terms as a substring of the text, others as a run of its stemmed words.
    fn mentions(&self, term: &Term) -> bool {
        match &term.stems {
            None => self.japanese && self.text.contains(&term.text),
            Some(stems) => {
                stems
                    .first()
                    .is_some_and(|first| self.stem_set.contains(first))
                    && self
                        .stems
                        .windows(stems.len())
                        .any(|w| w == stems.as_slice())
            }
        }
    }
}

fn stems(stemmer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stems = Vec::new();
    let mut stream = stemmer.token_stream(text);
    while let Some(token) = stream.next() {
        stems.push(token.text.clone());
    }
    stems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary(synonyms: &[&[&str]]) -> GlossaryTerms {
        GlossaryTerms::new(&Glossary {
            synonyms: synonyms
                .iter()
                .map(|g| g.iter().map(|t| t.to_string()).collect())
                .collect(),
            loanwords: [("ディスク".to_string(), "disk".to_string())].into(),
        })
    }

    #[test]
    fn english_terms_match_whole_words_in_any_inflection() {
        let g = glossary(&[&["認証局", "ca"], &["証明書", "cert"]]);
        assert!(g.find("/usr/local/bin").is_empty());
        let found = g.find("the CA rotated its certs");
        assert_eq!(found.len(), 2);
        assert_eq!(found[1].own, ["cert"]);
        assert_eq!(found[1].added, ["証明書"]);
    }

    #[test]
    fn a_negation_is_part_of_the_term() {
        let g = glossary(&[&["無効", "not active"]]);
        assert!(g.find("the unit is active").is_empty());
        assert_eq!(g.find("docker is not active")[0].added, ["無効"]);
    }

    #[test]
    fn japanese_terms_match_inside_words_and_loanwords_go_one_way() {
        let g = glossary(&[&["プロキシ", "proxy"]]);
        assert_eq!(g.find("プロキシ経由")[0].added, ["proxy"]);
        assert_eq!(g.find("ディスク不足")[0].added, ["disk"]);
        assert!(g.find("disk full").is_empty());
    }
}
