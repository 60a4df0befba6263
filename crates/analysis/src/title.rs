//! The words of an entry's titles, analysed once at build time and stored with its document.
//!
//! The confidence of every candidate of every query reads them (how much of an entry's title
//! a question says); analysing the titles of twenty candidates at query time cost as much as
//! the rest of the search. They are stored as text: titles on lines, terms separated by
//! tabs, each term after the code of its analyzer.

use crate::schema::Analyzer;

/// The analyzers a title is read with: words, not character bigrams.
pub const TITLE_ANALYZERS: [Analyzer; 3] =
    [Analyzer::Japanese, Analyzer::English, Analyzer::Identifier];

/// A word of a title.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TitleTerm {
    pub analyzer: Analyzer,
    pub term: String,
}

/// The words of each title of an entry (one title per language).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TitleTerms {
    pub titles: Vec<Vec<TitleTerm>>,
}

impl TitleTerms {
    /// The distinct words of each of `titles`, as `terms` gives an analyzer's terms of a text.
    pub fn analyze<'t>(
        titles: impl IntoIterator<Item = &'t str>,
        terms: impl Fn(Analyzer, &str) -> Vec<String>,
    ) -> TitleTerms {
        let titles = titles
            .into_iter()
            .map(|title| {
                let mut found: Vec<TitleTerm> = Vec::new();
                for analyzer in TITLE_ANALYZERS {
                    for term in terms(analyzer, title) {
                        if !found
                            .iter()
                            .any(|t| t.analyzer == analyzer && t.term == term)
                        {
                            found.push(TitleTerm { analyzer, term });
                        }
                    }
                }
                found
            })
            .collect();
        TitleTerms { titles }
    }

    /// The stored form.
    pub fn encode(&self) -> String {
        self.titles
            .iter()
            .map(|title| {
                title
                    .iter()
                    .map(|t| format!("{}{}", t.analyzer.code(), t.term))
                    .collect::<Vec<_>>()
                    .join("\t")
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Reads the stored form back; malformed terms are left out.
    pub fn decode(text: &str) -> TitleTerms {
        let titles = text
            .split('\n')
            .map(|title| title.split('\t').filter_map(decode_term).collect())
            .collect();
        TitleTerms { titles }
    }
}

fn decode_term(text: &str) -> Option<TitleTerm> {
    let mut chars = text.chars();
    let analyzer = Analyzer::from_code(chars.next()?)?;
    let term = chars.as_str();
    (!term.is_empty()).then(|| TitleTerm {
        analyzer,
        term: term.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(analyzer: Analyzer, text: &str) -> Vec<String> {
        text.split_whitespace()
            .map(|w| format!("{}:{w}", analyzer.name()))
            .collect()
    }

    #[test]
    fn stored_terms_read_back_as_they_were() {
        let terms = TitleTerms::analyze(["証明書 nf_conntrack_max", "kube-proxy fails"], words);
        assert_eq!(terms.titles.len(), 2);
        assert_eq!(terms.titles[0].len(), 6);
        assert_eq!(TitleTerms::decode(&terms.encode()), terms);
    }
}
