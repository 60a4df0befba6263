//! shirube: offline search over product known issues.
//!
//! The binary (`src/main.rs`) parses arguments and prints; this library holds what it
//! prints from: the knowledge base, embedded ([`embedded`]) or built into a directory
//! ([`kb_source`]), the search engine ([`engine`]) with its BM25 statistics per entry
//! ([`statistics`]), filters ([`filter`]), query-language detection ([`detect`]), snippets
//! ([`snippet`]), the serialisable reports that are also the JSON contract ([`report`]),
//! and log triage ([`triage`]).

pub mod confidence;
pub mod detect;
pub mod embedded;
pub mod engine;
pub mod envelope;
pub mod filter;
pub mod glossary;
pub mod kb_source;
pub mod known_errors;
pub mod names;
pub mod query;
pub mod quoted;
pub mod report;
pub mod snippet;
pub mod static_dir;
pub mod statistics;
pub mod triage;

pub use engine::{Engine, Hit};
pub use filter::Filters;
