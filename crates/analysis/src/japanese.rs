//! Japanese morphology with lindera over IPADIC: each word becomes its dictionary base form
//! (`更新し` → `更新`, `失敗する` → `失敗`), particles, auxiliaries and symbols are dropped, and
//! katakana long vowels are folded.
//!
//! IPADIC does not know most technical words (`プロキシ` comes out as `プロ` + `キシ`), so this
//! field is never the only one a query is matched on: the bigram and identifier fields cover
//! what morphology splits wrongly.

use crate::normalize::{fold_long_vowel, is_japanese, normalize};
use crate::token_vec::{Analyze, push};
use lindera::dictionary::Dictionary;
use lindera::mode::Mode;
use lindera::segmenter::Segmenter;
use lindera_dictionary::viterbi::Lattice;
use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::Arc;
use tantivy::tokenizer::Token;

/// Parts of speech that carry no meaning for search.
const STOP_POS: [&str; 8] = [
    "助詞",
    "助動詞",
    "記号",
    "接続詞",
    "フィラー",
    "感動詞",
    "連体詞",
    "副詞",
];

/// Part-of-speech details of words that only lean on others: 非自立 (`こと`, `しまう`),
/// pronouns, numbers and counters, suffixes.
const STOP_DETAILS: [&str; 5] = ["非自立", "代名詞", "数", "接尾", "副詞可能"];

/// Base forms too common in known-issue prose to tell entries apart.
const STOP_WORDS: [&str; 22] = [
    "する",
    "ある",
    "いる",
    "なる",
    "できる",
    "れる",
    "られる",
    "せる",
    "こと",
    "もの",
    "よう",
    "ため",
    "これ",
    "それ",
    "あれ",
    "どれ",
    "場合",
    "次",
    "とき",
    "ない",
    "おく",
    "くる",
];

/// Where the word features sit among a token's details. The build step keeps only these
/// three of IPADIC's nine (`index-build/src/dictionary.rs`, `KEPT_COLUMNS`).
const PART_OF_SPEECH: usize = 0;
const SUBCATEGORY: usize = 1;
/// `*` when the base form is the surface itself.
const BASE_FORM: usize = 2;

thread_local! {
    /// The segmenter's working space, reused by every text this thread segments: it holds
    /// as much as the longest text so far needed.
    static LATTICE: RefCell<Lattice> = RefCell::default();
}

/// The Japanese analyzer. Cloning is cheap: the segmenter is shared.
#[derive(Clone)]
pub struct JapaneseAnalyzer {
    segmenter: Arc<Segmenter>,
}

impl JapaneseAnalyzer {
    /// An analyzer segmenting with `dictionary` (the IPADIC the build step compiled).
    pub fn new(dictionary: Dictionary) -> Self {
        JapaneseAnalyzer {
            segmenter: Arc::new(Segmenter::new(Mode::Normal, dictionary, None)),
        }
    }
}

impl Analyze for JapaneseAnalyzer {
    fn analyze(&self, text: &str, out: &mut Vec<Token>) {
        let norm = normalize(text);
        // Only words with Japanese in them become terms (below): a text without any, such
        // as most pasted logs, has none to find.
        if !norm.text.chars().any(is_japanese) {
            return;
        }
        // Segmentation only fails on a dictionary defect; the text then simply has no
        // Japanese terms, and the other fields still match it. The lattice is kept per
        // thread: growing it anew was a tenth of segmenting a question.
        let segmented = LATTICE.with_borrow_mut(|lattice| {
            self.segmenter
                .segment_with_lattice(Cow::Borrowed(norm.text.as_str()), lattice)
        });
        let Ok(tokens) = segmented else {
            return;
        };
        let mut position = 0;
        for mut token in tokens {
            let surface = token.surface.to_string();
            if surface.trim().is_empty() {
                continue;
            }
            // Latin words and numbers belong to the English and identifier analyzers; their
            // details (a dictionary lookup each, the analyzer's main cost) are not read.
            if surface.chars().any(is_japanese) {
                let (start, end) = (token.byte_start, token.byte_end);
                let details = token.details();
                let field = |i: usize| details.get(i).copied().unwrap_or("");
                let base = match field(BASE_FORM) {
                    "*" | "" => surface.as_str(),
                    base => base,
                };
                let meaningful = !STOP_POS.contains(&field(PART_OF_SPEECH))
                    && !STOP_DETAILS.contains(&field(SUBCATEGORY))
                    && !STOP_WORDS.contains(&base);
                if meaningful {
                    push(
                        out,
                        fold_long_vowel(base).to_string(),
                        norm.original_offset(start),
                        norm.original_end(end),
                        position,
                    );
                }
            }
            position += 1;
        }
    }
}
