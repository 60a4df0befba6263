//! shirube: offline search over product known issues.
//!
//! The binary (`src/main.rs`) parses arguments, asks this library, and prints what it
//! reports. This file is the library's face: the modules below are the namespaces the
//! binary and the tools use, each showing only what they need; the rest is private.
//! Following a question through it:
//!
//! - [`store`]: where the knowledge base comes from — embedded in the binary, combined with
//!   the installed knowledge packs (verified first), or a directory the build step wrote
//!   (`--kb DIR`) — and the [`Engine`] over it.
//! - [`search`]: the one way to ask. [`Engine::search`] takes a [`Request`] and returns a
//!   [`Ranking`]: the query analysed (with the glossary and structured log lines), entries
//!   ranked by BM25 over per-entry statistics and by the known errors a pasted line shows
//!   ([`KnownErrors`]), each hit's confidence, the decision to answer or to abstain
//!   ([`search::confidence`], the only place that decides), and snippets.
//! - [`triage`]: whole logs against the known errors, streamed.
//! - [`facts`]: what a cluster's configuration file and its hosts say, for the entries'
//!   conditions (`check --config`, `doctor`); [`context`]: those facts and the ones a
//!   question states, and whether each candidate of a search applies there.
//! - [`Filters`]: version and component filters; [`locale_language`]: the language of a
//!   command without a question.
//! - [`report`]: what each command reports, self-sufficient: the JSON contract, and all the
//!   printers read; [`printer`]: the reports as text, Markdown, JSON and HTML.
//!
//! Entries, versions and errors come from `shirube_kb`; text analysis from
//! `shirube_analysis`.

pub mod context;
pub mod facts;
mod filter;
mod known_errors;
mod language;
pub mod printer;
pub mod report;
pub mod search;
pub mod store;
pub mod triage;

pub use filter::{Filters, check_upgrade, parse_version};
pub use known_errors::KnownErrors;
pub use language::locale_language;
pub use search::{Engine, Hit, Ranking, Request};
pub use shirube_kb::{Error, Result};
