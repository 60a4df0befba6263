//! shirube's build step, run by the binary's `build.rs` on every `cargo build` so the binary
//! always matches `kb/`:
//!
//! 1. [`shirube_kb::load_kb`] checks every file of `kb/` (all problems, as `file:line`);
//! 2. [`dictionary::build`] compiles the IPADIC source in `assets/ipadic/` (once per build
//!    directory: the result is reused while the archive is unchanged);
//! 3. [`index::build`] analyses every entry and writes the tantivy index;
//! 4. the entries themselves are written as JSON for `show`, `list` and `export`.

pub mod dictionary;
pub mod index;

use shirube_kb::{Diagnostic, KnowledgeBase, load_kb};
use std::fmt;
use std::fs;
use std::path::Path;

/// Names of what [`build_all`] writes into its output directory.
pub const DICTIONARY_DIR: &str = "ipadic";
pub const INDEX_DIR: &str = "index";
pub const KB_JSON: &str = "kb.json";

/// Why the build step failed.
#[derive(Debug)]
pub enum BuildError {
    /// The knowledge base has problems; every one is listed.
    Invalid(Vec<Diagnostic>),
    /// Something else went wrong (I/O, dictionary, index).
    Failed(String),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Invalid(problems) => {
                for p in problems {
                    writeln!(f, "{p}")?;
                }
                write!(f, "the knowledge base has {} problem(s)", problems.len())
            }
            BuildError::Failed(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for BuildError {}

/// Checks `kb_dir`, compiles the dictionary from `assets_dir` and builds the index and the
/// entry bundle into `out_dir`.
pub fn build_all(
    kb_dir: &Path,
    assets_dir: &Path,
    out_dir: &Path,
) -> Result<KnowledgeBase, BuildError> {
    let kb = load_kb(kb_dir).map_err(BuildError::Invalid)?;
    let dict_dir = out_dir.join(DICTIONARY_DIR);
    dictionary::build(assets_dir, &dict_dir).map_err(BuildError::Failed)?;
    let dictionary = dictionary::load(&dict_dir).map_err(BuildError::Failed)?;
    index::build(&kb, dictionary, &out_dir.join(INDEX_DIR))
        .map_err(|e| BuildError::Failed(format!("building the index: {e}")))?;
    let json = serde_json::to_string(&kb).map_err(|e| BuildError::Failed(e.to_string()))?;
    fs::write(out_dir.join(KB_JSON), json)
        .map_err(|e| BuildError::Failed(format!("writing {KB_JSON}: {e}")))?;
    Ok(kb)
}
