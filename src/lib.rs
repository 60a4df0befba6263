//! shirube: offline search over product known issues.
//!
//! The binary (`src/main.rs`) parses arguments, asks this library, and prints what it
//! reports. Following a question through it:
//!
//! - [`store`]: where the knowledge base comes from — embedded in the binary, or a
//!   directory the build step wrote (`--kb DIR`) — and the [`search::Engine`] over it.
//! - [`search`]: the one way to ask. [`search::Engine::search`] takes a
//!   [`search::Request`] and returns a [`search::Ranking`]: the query analysed
//!   ([`search::query`], with the glossary and structured log lines), entries ranked by BM25
//!   over per-entry statistics ([`search::ranking`]) and by the known errors a pasted line
//!   shows ([`known_errors`]), each hit's confidence, the decision to answer or to abstain
//!   ([`search::confidence`], the only place that decides), and snippets.
//! - [`triage`]: whole logs against the known errors, streamed.
//! - [`facts`]: what a cluster's configuration file and its hosts say, for the entries'
//!   conditions (`check --config`, `doctor`); [`context`]: those facts and the ones a
//!   question states, and whether each candidate of a search applies there.
//! - [`filter`]: version and component filters; [`language`]: which language a question is in.
//! - [`report`]: what each command reports, self-sufficient: the JSON contract, and all the
//!   printers read; [`printer`]: the reports as text, Markdown, JSON and HTML.
//!
//! Entries, versions and errors come from `shirube_kb`; text analysis from
//! `shirube_analysis`.

pub mod context;
pub mod facts;
pub mod filter;
pub mod known_errors;
pub mod language;
pub mod printer;
pub mod report;
pub mod search;
pub mod store;
pub mod triage;

pub use filter::Filters;
pub use search::{Engine, Hit, Ranking, Request};
pub use shirube_kb::{Error, Result};
