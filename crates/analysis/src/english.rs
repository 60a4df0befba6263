//! English words: normalised, split on anything that is not a letter or digit, function
//! words and short numbers removed, and Snowball-stemmed (`failed`, `failing`, `fails` → `fail`) by tantivy's filters.
//! Japanese characters are left to the Japanese analyzers.

use crate::normalize::{is_japanese, normalize};
use crate::stopwords::ENGLISH;
use crate::token_vec::{Analyze, AsTokenizer, push};
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, Stemmer, StopWordFilter, TextAnalyzer, Token,
};

/// The words of a text, with their offsets, before lower-casing, stop words and stemming.
#[derive(Clone, Default)]
pub struct EnglishWords;

impl Analyze for EnglishWords {
    fn analyze(&self, text: &str, out: &mut Vec<Token>) {
        let norm = normalize(text);
        let s = norm.text.as_str();
        let mut position = 0;
        let mut word_start: Option<usize> = None;
        let is_word = |c: char| c.is_alphanumeric() && !is_japanese(c);
        for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
            match (word_start, is_word(c)) {
                (None, true) => word_start = Some(i),
                // One- and two-digit numbers are list markers and version parts, not words;
                // so is a lone letter (the `x` of `1.8.x`, the `n` of `-n`).
                (Some(from), false)
                    if (i - from <= 2 && s[from..i].bytes().all(|b| b.is_ascii_digit()))
                        || (i - from == 1 && s.as_bytes()[from].is_ascii_alphabetic()) =>
                {
                    word_start = None;
                }
                (Some(from), false) => {
                    let word = &s[from..i];
                    let (start, end) = (norm.original_offset(from), norm.original_end(i));
                    push(out, word.to_string(), start, end, position);
                    // `cgroupv2` is also `cgroup v2`, as the text that names it often writes.
                    if let Some((name, version)) = glued_version(word) {
                        push(out, name.to_string(), start, end, position);
                        position += 1;
                        push(out, version.to_string(), start, end, position);
                    }
                    position += 1;
                    word_start = None;
                }
                _ => {}
            }
        }
    }
}

/// A word that is a name with its version glued on (`cgroupv2`, `apiv1`): the name (three
/// letters or more) and the version (`v` and digits).
fn glued_version(word: &str) -> Option<(&str, &str)> {
    let v = word.rfind('v')?;
    let (name, version) = word.split_at(v);
    let versioned = version.len() > 1 && version[1..].bytes().all(|b| b.is_ascii_digit());
    let named = name.len() >= 3 && name.bytes().all(|b| b.is_ascii_lowercase());
    (versioned && named).then_some((name, version))
}

/// English words stemmed, stop words kept: how glossary terms are found in a query, where
/// `not` in `not active` must count.
pub fn stem_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(AsTokenizer(EnglishWords))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The full English analyzer: words, long-token guard, stop words, stemming.
pub fn english_analyzer() -> TextAnalyzer {
    let stop_words = StopWordFilter::remove(ENGLISH.iter().map(|w| w.to_string()));
    TextAnalyzer::builder(AsTokenizer(EnglishWords))
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .filter(stop_words)
        .filter(Stemmer::new(Language::English))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The terms of `text` with their positions.
    fn analyze(text: &str) -> Vec<(String, usize)> {
        let mut analyzer = english_analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut terms = Vec::new();
        while let Some(t) = stream.next() {
            terms.push((t.text.clone(), t.position));
        }
        terms
    }

    #[test]
    fn words_are_stemmed_and_stop_words_dropped() {
        let terms: Vec<String> = analyze("The upgrade FAILED while upgrading 1 of 12 証明書")
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        assert_eq!(terms, ["upgrad", "fail", "upgrad"]);
    }

    /// A query of flags and punctuation (`-- - -x --`) matched every entry that says
    /// `1.8.x`, and was answered with confidence 0.99.
    #[test]
    fn a_lone_letter_is_no_word() {
        let terms: Vec<String> = analyze("upgrade 1.8.x with kubectl -n kube-system -- -x")
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        assert_eq!(terms, ["upgrad", "kubectl", "kube", "system"]);
    }

    #[test]
    fn a_version_glued_to_a_name_is_also_read_apart() {
        let expected = [
            ("cgroupv2", 0),
            ("cgroup", 0),
            ("v2", 1),
            ("ipv6", 2),
            ("v2", 3),
        ];
        assert_eq!(
            analyze("cgroupv2 ipv6 v2"),
            expected.map(|(t, p)| (t.to_string(), p))
        );
    }
}
