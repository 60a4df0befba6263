//! The knowledge base of shirube as data: one [`Entry`] per known issue, read from Markdown
//! files with a TOML header (see `kb/EXAMPLE.md`), checked by a lint that reports every problem
//! as `file:line: message`, and drafted from a plain-text page dump by [`import`].
//!
//! This crate knows nothing about search; the index builder and the binary both depend on it.

pub mod audit;
pub mod diagnostic;
pub mod entry;
pub mod import;
pub mod lang;
pub mod load;
pub mod markdown;
pub mod parse;
pub mod version;
pub mod version_text;

pub use diagnostic::Diagnostic;
pub use entry::{Component, Document, Entry, Source, Versions};
pub use lang::Lang;
pub use load::{Glossary, KnowledgeBase, load_kb};
pub use version::{Version, VersionQuery, VersionRange};
