//! NFKC and lower-case normalisation that remembers where each piece came from.
//!
//! Full-width letters (`ＰＡＴＨ`), half-width katakana (`ﾌﾟﾛｷｼ`) and upper case all fold to
//! one form before tokenising. Normalising changes byte lengths, so the mapping back to the
//! original text is kept per grapheme cluster (half-width voiced marks join their letter in
//! one cluster, so NFKC never crosses a boundary).

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// Normalised text plus the map back to the original.
#[derive(Clone, Debug)]
pub struct Normalized {
    /// The text, NFKC-normalised and lower-cased.
    pub text: String,
    /// `(normalised start, original start)` of every grapheme cluster, ascending; empty
    /// when the original was ASCII, whose offsets do not move.
    starts: Vec<(usize, usize)>,
    original_len: usize,
}

/// Normalises `original`: NFKC, then lower case.
pub fn normalize(original: &str) -> Normalized {
    // Most lines of logs and English prose: NFKC leaves ASCII alone, so only case folds.
    if original.is_ascii() {
        return Normalized {
            text: original.to_ascii_lowercase(),
            starts: Vec::new(),
            original_len: original.len(),
        };
    }
    let mut text = String::with_capacity(original.len());
    let mut starts = Vec::with_capacity(original.len());
    for (orig_start, grapheme) in original.grapheme_indices(true) {
        starts.push((text.len(), orig_start));
        if grapheme.is_ascii() {
            text.extend(grapheme.chars().map(|c| c.to_ascii_lowercase()));
        } else {
            for c in grapheme.nfkc() {
                text.extend(c.to_lowercase());
            }
        }
    }
    Normalized {
        text,
        starts,
        original_len: original.len(),
    }
}

impl Normalized {
    /// The original byte offset of normalised byte offset `offset`. An offset inside a
    /// grapheme maps to the start of that grapheme; the end maps to the original's end.
    pub fn original_offset(&self, offset: usize) -> usize {
        if offset >= self.text.len() {
            return self.original_len;
        }
        if self.starts.is_empty() {
            return offset;
        }
        match self.starts.binary_search_by_key(&offset, |&(n, _)| n) {
            Ok(i) => self.starts[i].1,
            Err(i) => self.starts[i.saturating_sub(1)].1,
        }
    }

    /// The original byte offset where the grapheme containing normalised `offset` ends;
    /// used for token ends so a highlight covers whole characters.
    pub fn original_end(&self, offset: usize) -> usize {
        if offset >= self.text.len() {
            return self.original_len;
        }
        if self.starts.is_empty() {
            return offset;
        }
        match self.starts.binary_search_by_key(&offset, |&(n, _)| n) {
            Ok(i) => self.starts[i].1,
            Err(i) => self.starts.get(i).map_or(self.original_len, |&(_, o)| o),
        }
    }
}

/// Folds a trailing katakana long-vowel mark on words of four or more characters, the way
/// Japanese technical writing varies (`サーバー` / `サーバ`, `プロキシー` / `プロキシ`).
pub fn fold_long_vowel(word: &str) -> &str {
    match word.strip_suffix('ー') {
        Some(stem) if stem.chars().count() >= 3 && stem.chars().all(is_katakana) => stem,
        _ => word,
    }
}

/// Whether `c` is katakana (the phonetic extensions included).
pub fn is_katakana(c: char) -> bool {
    matches!(c, '\u{30a0}'..='\u{30ff}' | '\u{31f0}'..='\u{31ff}')
}

/// Whether `c` is hiragana.
pub fn is_hiragana(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{309f}')
}

/// Whether `c` is a kanji, or the iteration marks written with them (々, 〆).
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '々' | '〆')
}

/// Kana or kanji: text the Japanese analyzers own.
pub fn is_japanese(c: char) -> bool {
    is_hiragana(c) || is_katakana(c) || is_han(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_and_case_fold() {
        assert_eq!(normalize("ＰＡＴＨ と ﾌﾟﾛｷｼ").text, "path と プロキシ");
    }

    #[test]
    fn offsets_map_back_to_the_original() {
        let original = "ＡＢ証明書";
        let n = normalize(original);
        assert_eq!(n.text, "ab証明書");
        let start = n.text.find('証').unwrap();
        assert_eq!(&original[n.original_offset(start)..], "証明書");
        assert_eq!(n.original_end(n.text.len()), original.len());
        let b = n.text.find('b').unwrap();
        assert_eq!(&original[n.original_offset(b)..n.original_end(b + 1)], "Ｂ");
    }

    #[test]
    fn ascii_offsets_are_the_identity() {
        let n = normalize("Permission DENIED");
        assert_eq!(n.text, "permission denied");
        assert_eq!(n.original_offset(11), 11);
        assert_eq!(n.original_end(17), 17);
    }

    #[test]
    fn long_vowels_fold_only_on_long_katakana_words() {
        assert_eq!(fold_long_vowel("サーバー"), "サーバ");
        assert_eq!(fold_long_vowel("ルー"), "ルー");
        assert_eq!(fold_long_vowel("データー"), "データ");
    }
}
