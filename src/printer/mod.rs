//! The printers: each renders a report of [`crate::report`] into a writer, and none
//! searches, filters or reads the knowledge base.
//!
//! - [`text`]: search results, the entry list, `check` and `triage` for a terminal;
//!   [`entry`]: one entry in full for a terminal. Both write into any `WriteColor`, so
//!   colour is decided by the caller and tests render into a buffer.
//! - [`markdown`]: `show --format md` and `export --format md`, never coloured.
//! - [`json`]: every `--json`, the reports serialised as they are.
//! - [`html`]: the pages of `shirube serve`.
//! - [`packs`]: `shirube kb`, the knowledge packs.
//!
//! - [`terminal`]: what may reach a terminal: control characters escaped.
//!
//! Words come from [`wording`], styles from `style`; an entry's versions are written by
//! `versions` alone, and the sentences and fields all printers share by `phrases`.

pub mod entry;
pub mod html;
pub mod json;
pub mod markdown;
pub mod packs;
mod phrases;
mod style;
pub mod terminal;
pub mod text;
mod versions;
pub mod wording;
