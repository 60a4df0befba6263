//! The built-directory contract: what the build step writes into a directory and what the
//! binary reads from one, named here once. `index-build build KB_DIR OUT_DIR` writes it,
//! `shirube --kb OUT_DIR` reads it, and `build.rs` writes the same layout into `OUT_DIR` for
//! the binary to embed.

use std::path::PathBuf;

/// The entries, as JSON of [`crate::KnowledgeBase`].
pub const ENTRIES_FILE: &str = "kb.json";
/// Which known errors a line could show (`shirube_analysis::known_error_table`).
pub const KNOWN_ERRORS_FILE: &str = "known-errors.bin";
/// The tantivy index folder.
pub const INDEX_DIR: &str = "index";
/// The compiled IPADIC dictionary folder (not read by `--kb`: the dictionary always comes
/// from the binary, so the analyzers are the ones the index was built with).
pub const DICTIONARY_DIR: &str = "ipadic";

/// A directory laid out by the build step.
#[derive(Clone, Debug)]
pub struct BuiltDir {
    root: PathBuf,
}

impl BuiltDir {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuiltDir { root: root.into() }
    }

    pub fn entries(&self) -> PathBuf {
        self.root.join(ENTRIES_FILE)
    }

    pub fn known_errors(&self) -> PathBuf {
        self.root.join(KNOWN_ERRORS_FILE)
    }

    pub fn index(&self) -> PathBuf {
        self.root.join(INDEX_DIR)
    }

    pub fn dictionary(&self) -> PathBuf {
        self.root.join(DICTIONARY_DIR)
    }
}
