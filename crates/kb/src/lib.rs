//! The knowledge base of shirube as data, with no search code in it: the index builder and
//! the binary both depend on it.
//!
//! - [`model`]: the validated entries ([`Entry`], [`KnowledgeBase`]) and finding one by id.
//! - [`load`]: reading a `kb/` folder (see `kb/EXAMPLE.md`) into a [`KnowledgeBase`], or
//!   every problem as a [`Diagnostic`] `file:line: message`; the rules themselves are the
//!   private `lint` module, one small function each.
//! - [`parse`]: one entry file split into TOML header, title and Markdown body;
//!   [`markdown`] reads bodies.
//! - [`glossary`]: the cross-lingual term groups of `kb/glossary.toml`.
//! - [`version`]: releases and OSV ranges; [`version_text`] reads them from prose;
//!   [`audit`] says which entries apply to a version or an upgrade.
//! - [`import`]: drafting entries from a plain-text dump of a known-issues page.
//! - [`condition`]: when an entry applies, over facts of a cluster's configuration and
//!   hosts, evaluated three ways.
//! - [`built`]: the directory the build step writes and `--kb` reads, and how the entries
//!   are stored in it; [`entries`] decodes each the first time it is read; [`pack`]: a
//!   knowledge base as one signed file for another host, and its manifest; [`date`]: the
//!   UTC dates they carry.
//! - [`error`]: the one [`Error`] type of the workspace (a message and a hint); [`mod@file`]
//!   reads a file a user names, regular and bounded.

pub mod assess;
pub mod atomic;
pub mod audit;
pub mod built;
pub mod condition;
pub mod date;
pub mod diagnostic;
pub mod entries;
pub mod error;
pub mod file;
pub mod glossary;
pub mod import;
mod knowledge_base;
pub mod lang;
mod lint;
pub mod load;
pub mod markdown;
pub mod model;
pub mod pack;
pub mod parse;
mod read;
pub mod version;
pub mod version_text;

pub use diagnostic::Diagnostic;
pub use error::{Error, ErrorKind, Result};
pub use glossary::Glossary;
pub use knowledge_base::KnowledgeBase;
pub use lang::Lang;
pub use load::load_kb;
pub use model::{
    Component, Document, Entry, Note, Outside, SeenError, Source, SourceDocument, SourceText,
    Upstream, Versions,
};
pub use version::{RangeList, Version, VersionQuery, VersionRange};
