//! Text analysis for shirube, used unchanged at index time (in the build step) and at query
//! time (in the binary), so a query term always meets the same term in the index.
//!
//! Every analyzer first [`normalize()`]s text (NFKC, lower case) and reports token offsets in the
//! *original* text, so snippets can be highlighted on the text a user sees.
//!
//! - [`japanese`]: lindera morphology (IPADIC): base forms, part-of-speech stop filter,
//!   katakana long-vowel folding.
//! - [`bigram`]: overlapping character bigrams for Japanese runs; recall for compounds and
//!   words the dictionary lacks ("プロキシ" is split by IPADIC).
//! - [`identifier`]: `nf_conntrack_max`, `/usr/local/bin`, `spec.proxy.url` kept whole and
//!   split into parts.
//! - [`english`]: words, stop words, Snowball stemming.
//!
//! [`schema`] names the fields and registers the analyzers on an index. [`signature`] masks
//! the variable parts of log lines so an occurrence of a known error matches it. [`names`]
//! holds the analysed words of an entry's titles and upstream names, stored with its document.
//! [`known_error_table`] says which known errors a line could show, built once by the build
//! step, anchoring each error on words other than those [`log_words`] every log prints.
//! [`index`] writes a built directory (entries, known-error table, index) from entries.

pub mod bigram;
pub mod english;
pub mod identifier;
pub mod index;
pub mod japanese;
pub mod known_error_table;
pub mod log_messages;
pub mod log_words;
pub mod names;
pub mod normalize;
pub mod schema;
pub mod signature;
pub mod stopwords;
mod token_vec;

pub use normalize::{Normalized, normalize};
pub use schema::{Field, SearchSchema};
