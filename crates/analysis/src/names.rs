//! The words an entry is named by — its titles, and the names its upstream goes by — analysed
//! once at build time and stored with its document.
//!
//! The confidence of every candidate of every query reads them: how much of an entry's title
//! a question says, and whether it names the entry's upstream (`Cilium` or `cilium-agent`
//! for anetd). Analysing them for twenty candidates at query time cost as much as the rest
//! of the search. They are stored as text: names on lines, terms separated by tabs, each
//! term after the code of its analyzer; the upstream names follow the titles after a
//! `SECTION` character.

use crate::schema::Analyzer;

/// The analyzers a name is read with: words, not character bigrams.
pub const NAME_ANALYZERS: [Analyzer; 3] =
    [Analyzer::Japanese, Analyzer::English, Analyzer::Identifier];

/// Separates the titles from the upstream names in the stored form (ASCII record
/// separator: no analyzer makes a term of it).
const SECTION: char = '\u{1e}';

/// A word of a name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameTerm {
    /// The analyzer that made the term.
    pub analyzer: Analyzer,
    /// The term, as the index holds it.
    pub term: String,
}

/// The words of each name of an entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NameTerms {
    /// One per title (one title per language).
    pub titles: Vec<Vec<NameTerm>>,
    /// One per name of the entry's upstream: its component and the words people use for it.
    pub upstream: Vec<Vec<NameTerm>>,
}

impl NameTerms {
    /// The distinct words of each of `titles` and of each of `upstream`, as `terms` gives an
    /// analyzer's terms of a text.
    pub fn analyze<'t>(
        titles: impl IntoIterator<Item = &'t str>,
        upstream: impl IntoIterator<Item = &'t str>,
        terms: impl Fn(Analyzer, &str) -> Vec<String>,
    ) -> NameTerms {
        let analyze = |name: &str| {
            let mut found: Vec<NameTerm> = Vec::new();
            for analyzer in NAME_ANALYZERS {
                for term in terms(analyzer, name) {
                    if !found
                        .iter()
                        .any(|t| t.analyzer == analyzer && t.term == term)
                    {
                        found.push(NameTerm { analyzer, term });
                    }
                }
            }
            found
        };
        NameTerms {
            titles: titles.into_iter().map(analyze).collect(),
            upstream: upstream.into_iter().map(analyze).collect(),
        }
    }

    /// The stored form.
    pub fn encode(&self) -> String {
        let section = |names: &[Vec<NameTerm>]| {
            names
                .iter()
                .map(|name| {
                    name.iter()
                        .map(|t| format!("{}{}", t.analyzer.code(), t.term))
                        .collect::<Vec<_>>()
                        .join("\t")
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        let mut stored = section(&self.titles);
        if !self.upstream.is_empty() {
            stored.push(SECTION);
            stored.push_str(&section(&self.upstream));
        }
        stored
    }

    /// Reads the stored form back; malformed terms are left out.
    pub fn decode(text: &str) -> NameTerms {
        let section = |text: &str| -> Vec<Vec<NameTerm>> {
            text.split('\n')
                .map(|name| name.split('\t').filter_map(decode_term).collect())
                .collect()
        };
        let (titles, upstream) = match text.split_once(SECTION) {
            Some((titles, upstream)) => (titles, Some(upstream)),
            None => (text, None),
        };
        NameTerms {
            titles: section(titles),
            upstream: upstream.map(section).unwrap_or_default(),
        }
    }
}

fn decode_term(text: &str) -> Option<NameTerm> {
    let mut chars = text.chars();
    let analyzer = Analyzer::from_code(chars.next()?)?;
    let term = chars.as_str();
    (!term.is_empty()).then(|| NameTerm {
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
        let terms = NameTerms::analyze(
            ["証明書 nf_conntrack_max", "kube-proxy fails"],
            ["Cilium", "cilium agent"],
            words,
        );
        assert_eq!(terms.titles.len(), 2);
        assert_eq!(terms.titles[0].len(), 6);
        assert_eq!(terms.upstream.len(), 2);
        assert_eq!(terms.upstream[1].len(), 6);
        assert_eq!(NameTerms::decode(&terms.encode()), terms);
    }

    #[test]
    fn an_entry_without_upstream_names_reads_back_without_them() {
        let terms = NameTerms::analyze(["kube-proxy fails"], [], words);
        assert!(!terms.encode().contains(SECTION));
        assert_eq!(NameTerms::decode(&terms.encode()), terms);
    }
}
