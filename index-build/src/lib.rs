//! shirube's build step, run by the binary's `build.rs` on every `cargo build` so the binary
//! always matches `kb/`:
//!
//! 1. [`shirube_kb::load_kb`] checks every file of `kb/` (all problems, as `file:line`);
//! 2. [`dictionary::build`] compiles the IPADIC source in `assets/ipadic/` (once per build
//!    directory: the result is reused while the archive is unchanged);
//! 3. [`shirube_analysis::index::write_built`] analyses every entry and writes the tantivy
//!    index, the known-error table, and the entries themselves as JSON for `show`, `list`
//!    and `export`.

pub mod dictionary;

pub mod pack;

use shirube_analysis::index::write_built;
use shirube_kb::built::BuiltDir;
use shirube_kb::{Diagnostic, Error, KnowledgeBase, load_kb};
use std::fmt;
use std::path::Path;

/// Why the build step failed.
#[derive(Debug)]
pub enum BuildError {
    /// The knowledge base has problems; every one is listed.
    Invalid(Vec<Diagnostic>),
    /// Something else went wrong (I/O, dictionary, index).
    Failed(Error),
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
            BuildError::Failed(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for BuildError {}

impl From<Error> for BuildError {
    fn from(error: Error) -> Self {
        BuildError::Failed(error)
    }
}

/// An id for one build: the time and the process, unique enough to tell two builds apart.
fn build_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{nanos:x}-{:x}", std::process::id())
}

/// Checks `kb_dir`, compiles the dictionary from `assets_dir` and builds the index and the
/// entry bundle into `out_dir`, laid out as [`shirube_kb::built`] says.
pub fn build_all(
    kb_dir: &Path,
    assets_dir: &Path,
    out_dir: &Path,
) -> Result<KnowledgeBase, BuildError> {
    let mut kb = load_kb(kb_dir).map_err(BuildError::Invalid)?;
    kb.build_id = build_id();
    let out = BuiltDir::new(out_dir);
    dictionary::build(assets_dir, &out.dictionary())?;
    let dictionary = dictionary::load(&out.dictionary())?;
    write_built(&kb, dictionary, &out)?;
    Ok(kb)
}
