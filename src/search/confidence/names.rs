//! Names in a question that the knowledge base has never seen: evidence that the question is
//! about something it does not cover.
//!
//! A user who asks about `OpenShift`, `EKS`, `MetalLB` or `Harbor` names a product; when no
//! entry and no glossary term knows that name, the entry that ranks first only shares the
//! question's everyday words. Names are read from single-line prose only: a pasted log is
//! full of host, pod and file names no entry can know.

use crate::search::query::QueryAnalyzer;
use crate::search::statistics::EntryStatistics;
use shirube_analysis::normalize::is_japanese;
use shirube_analysis::schema::Analyzer;
use std::collections::HashSet;

/// Words that stand for a name in an example (`cluster-xxx`), not for a product.
const PLACEHOLDERS: [&str; 10] = [
    "xxx", "yyy", "zzz", "foo", "bar", "baz", "hoge", "fuga", "piyo", "example",
];

/// Acronyms of products are short (`GKE`, `EKS`, `BGP`, `VMWARE` is not written so).
const MAX_ACRONYM_LETTERS: usize = 5;

/// How many distinct names of `text` no entry uses and the glossary does not know.
pub fn unknown_names(text: &str, analyzer: &QueryAnalyzer, statistics: &EntryStatistics) -> usize {
    let text = text.trim();
    if text.contains(['\n', '{', '=']) {
        return 0;
    }
    let mut seen = HashSet::new();
    names(text)
        .into_iter()
        .filter(|name| seen.insert(name.to_ascii_lowercase()))
        .filter(|name| !PLACEHOLDERS.contains(&name.to_ascii_lowercase().as_str()))
        .filter(|name| {
            let terms = analyzer.terms(Analyzer::English, name);
            !terms.is_empty()
                && terms
                    .iter()
                    .all(|t| statistics.entry_frequency(Analyzer::English, t) == 0)
                && !analyzer.in_glossary(name)
        })
        .count()
}

/// The words of `text` written as names: in Japanese text every Latin word; in English an
/// acronym (`GKE`), a word with inner capitals (`MetalLB`) or a capitalised word that does
/// not open a sentence (`Harbor`).
fn names(text: &str) -> Vec<&str> {
    let japanese = text.chars().any(is_japanese);
    let mut names = Vec::new();
    let mut rest = text;
    let mut opens_sentence = true;
    while let Some(start) = rest.find(|c: char| c.is_ascii_alphanumeric()) {
        if rest[..start]
            .trim_end()
            .ends_with(['.', '!', '?', ':', '。'])
        {
            opens_sentence = true;
        }
        let end = rest[start..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .map_or(rest.len(), |e| start + e);
        let word = &rest[start..end];
        rest = &rest[end..];
        let letters = word.bytes().filter(u8::is_ascii_alphabetic).count();
        let capitals = word.bytes().filter(u8::is_ascii_uppercase).count();
        let capitalised = word.starts_with(|c: char| c.is_ascii_uppercase());
        // A long word in capitals is a constant (`EHOSTUNREACH`, `ENOSPC`), not a product.
        let constant = capitals == letters && letters > MAX_ACRONYM_LETTERS;
        let name = letters >= 2
            && !constant
            && (japanese || capitals >= 2 || (capitalised && !opens_sentence));
        if name {
            names.push(word);
        }
        opens_sentence = false;
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_acronyms_inner_capitals_and_capitals_inside_a_sentence() {
        assert_eq!(
            names("Pods on GKE Autopilot stay Pending. Our Harbor says 401"),
            ["GKE", "Autopilot", "Pending", "Harbor"]
        );
        assert_eq!(names("MetalLB peers with BGP"), ["MetalLB", "BGP"]);
        assert_eq!(names("the node is down"), Vec::<&str>::new());
        assert_eq!(names("connect fails with EHOSTUNREACH on AWS"), ["AWS"]);
    }

    #[test]
    fn every_latin_word_of_a_japanese_question_is_a_name() {
        assert_eq!(
            names("MetalLB の BGP セッションが確立しない v2"),
            ["MetalLB", "BGP"]
        );
    }
}
