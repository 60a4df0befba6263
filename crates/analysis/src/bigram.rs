//! Overlapping character bigrams over Japanese runs, whole words elsewhere.
//!
//! `証明書を更新` gives `証明 明書 書を を更 更新`: recall for compounds and for words the
//! dictionary splits wrongly, at the cost of precision (the other fields give that back).
//! On its own this is also the classic baseline (Groonga's TokenBigram) that shirube's
//! evaluation compares against.

use crate::normalize::{is_hiragana, is_japanese, is_katakana, normalize};
use crate::token_vec::{Analyze, AsTokenizer, push};
use tantivy::tokenizer::{TextAnalyzer, Token};

/// The classic bigram analyzer (every bigram), as a baseline is built.
pub fn bigram_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(AsTokenizer(BigramAnalyzer {
        skip_kana_only: false,
    }))
}

/// shirube's bigram field: bigrams of two hiragana (`てし`, `しま`) are inflection and
/// particles, never what tells two issues apart, so they are left out.
pub fn content_bigram_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(AsTokenizer(BigramAnalyzer {
        skip_kana_only: true,
    }))
}

/// Overlapping character bigrams of the Japanese runs of a text.
#[derive(Clone, Default)]
pub struct BigramAnalyzer {
    /// Leave out bigrams made only of hiragana.
    pub skip_kana_only: bool,
}

#[derive(PartialEq, Clone, Copy)]
enum Run {
    Japanese,
    Word,
    Other,
}

fn run_of(c: char) -> Run {
    if is_japanese(c) {
        Run::Japanese
    } else if c.is_alphanumeric() {
        Run::Word
    } else {
        Run::Other
    }
}

impl Analyze for BigramAnalyzer {
    fn analyze(&self, text: &str, out: &mut Vec<Token>) {
        let norm = normalize(text);
        let chars: Vec<(usize, char)> = norm.text.char_indices().collect();
        let end_of = |i: usize| chars.get(i).map_or(norm.text.len(), |&(o, _)| o);
        // A token of the normalised text from `from` to `to`, placed in the original text.
        let emit = |out: &mut Vec<Token>, from: usize, to: usize, position: usize| {
            let text = norm.text[from..to].to_string();
            push(
                out,
                text,
                norm.original_offset(from),
                norm.original_end(to),
                position,
            );
        };
        let mut position = 0;
        let mut i = 0;
        while i < chars.len() {
            let kind = run_of(chars[i].1);
            let start = i;
            while i < chars.len() && run_of(chars[i].1) == kind {
                i += 1;
            }
            let mut run = &chars[start..i];
            match kind {
                Run::Other => {}
                Run::Word => {
                    emit(out, run[0].0, end_of(i), position);
                    position += 1;
                }
                Run::Japanese => {
                    // サーバー and サーバ are the same word.
                    if run.len() >= 4
                        && run[run.len() - 1].1 == 'ー'
                        && is_katakana(run[run.len() - 2].1)
                    {
                        run = &run[..run.len() - 1];
                    }
                    let width = if run.len() == 1 { 1 } else { 2 };
                    for w in run.windows(width) {
                        if self.skip_kana_only && w.iter().all(|&(_, c)| is_hiragana(c)) {
                            position += 1;
                            continue;
                        }
                        let last = w[width - 1];
                        emit(out, w[0].0, last.0 + last.1.len_utf8(), position);
                        position += 1;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        BigramAnalyzer::default().analyze(text, &mut out);
        out.into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn japanese_runs_become_bigrams_and_words_stay_whole() {
        assert_eq!(
            terms("証明書を更新 Docker"),
            ["証明", "明書", "書を", "を更", "更新", "docker"]
        );
        assert_eq!(terms("サーバー"), terms("サーバ"));
        assert_eq!(terms("値"), ["値"]);
    }

    #[test]
    fn content_bigrams_leave_out_hiragana_pairs() {
        let mut out = Vec::new();
        let analyzer = BigramAnalyzer {
            skip_kana_only: true,
        };
        analyzer.analyze("止まってしまう", &mut out);
        let terms: Vec<String> = out.into_iter().map(|t| t.text).collect();
        assert_eq!(terms, ["止ま"]);
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let text = "ＤＯＣＫＥＲ の証明";
        let mut out = Vec::new();
        BigramAnalyzer::default().analyze(text, &mut out);
        assert_eq!(&text[out[0].offset_from..out[0].offset_to], "ＤＯＣＫＥＲ");
        assert_eq!(&text[out[1].offset_from..out[1].offset_to], "の証");
    }
}
