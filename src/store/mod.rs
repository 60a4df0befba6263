//! Where the knowledge base comes from: the one built into the binary ([`embedded`]), or one
//! that `index-build build KB_DIR OUT_DIR` wrote to a directory (`--kb OUT_DIR`, laid out as
//! `shirube_kb::built` says), for knowledge bases too large or too new to rebuild the binary
//! for. The dictionary always comes from the binary: the analyzers must be the ones the index
//! was built with, and `index-build` builds with the same dictionary source.

pub mod embedded;
pub mod read_only;

use crate::known_errors::KnownErrors;
use crate::search::Engine;
use read_only::ReadOnlyDirectory;
use shirube_kb::built::BuiltDir;
use shirube_kb::error::io_reason;
use shirube_kb::{Error, KnowledgeBase};
use std::fs;
use std::path::{Path, PathBuf};

/// What fixes a `--kb` directory that cannot be used.
const REBUILD_HINT: &str = "--kb takes a directory written by `index-build build KB_DIR OUT_DIR` of this version: build it again";

/// A knowledge base to answer from.
#[derive(Clone, Debug)]
pub enum KbSource {
    /// Built into the binary.
    Embedded,
    /// A directory written by `index-build build`, with its entries already decoded.
    Directory {
        dir: BuiltDir,
        kb: &'static KnowledgeBase,
    },
}

impl KbSource {
    /// Opens a built directory: checks that it holds what `index-build build` writes and
    /// decodes its entries, which every command needs. They live as long as the process, like
    /// the embedded ones.
    pub fn directory(dir: PathBuf) -> Result<KbSource, Error> {
        let dir = BuiltDir::new(dir);
        let kb = read_entries(&dir).map_err(|e| e.in_context("--kb: ", REBUILD_HINT))?;
        Ok(KbSource::Directory {
            dir,
            kb: Box::leak(Box::new(kb)),
        })
    }

    /// The entries.
    pub fn knowledge_base(&self) -> Result<&'static KnowledgeBase, Error> {
        match self {
            KbSource::Embedded => embedded::knowledge_base(),
            KbSource::Directory { kb, .. } => Ok(kb),
        }
    }

    /// The known errors of this knowledge base, with the table the build step wrote.
    pub fn known_errors(&self) -> Result<KnownErrors, Error> {
        match self {
            KbSource::Embedded => embedded::known_errors(),
            KbSource::Directory { dir, kb } => {
                let path = dir.known_errors();
                let table = map_for_good(&path)?;
                KnownErrors::open(&kb.entries, table).map_err(|e| {
                    Error::new(format!("--kb: {}: {e}", path.display())).with_hint(REBUILD_HINT)
                })
            }
        }
    }

    /// The search engine over this knowledge base.
    pub fn engine(&self) -> Result<Engine, Error> {
        match self {
            KbSource::Embedded => Engine::embedded(),
            KbSource::Directory { dir, kb } => {
                let path = dir.index();
                let index = ReadOnlyDirectory::mapped(&path).map_err(|e| {
                    Error::new(format!(
                        "--kb: cannot open the index {}: {e}",
                        path.display()
                    ))
                    .with_hint(REBUILD_HINT)
                })?;
                Engine::open(kb, index, embedded::dictionary()?, self.known_errors()?)
                    .map_err(|e| e.in_context("--kb: ", REBUILD_HINT))
            }
        }
    }
}

/// The bytes of `path`, mapped for as long as the process runs, like the embedded data.
fn map_for_good(path: &Path) -> Result<&'static [u8], Error> {
    let cannot_read = |e: std::io::Error| {
        Error::new(format!(
            "--kb: cannot read {}: {}",
            path.display(),
            io_reason(&e)
        ))
        .with_hint(REBUILD_HINT)
    };
    let file = fs::File::open(path).map_err(cannot_read)?;
    // SAFETY: the map is only read. Like tantivy's memory-mapped index, it assumes nobody
    // truncates the file meanwhile: `index-build build` never does, it replaces the folder.
    let map = unsafe { memmap2::Mmap::map(&file) }.map_err(cannot_read)?;
    Ok(Box::leak(Box::new(map)))
}

/// The entries of a built directory.
fn read_entries(dir: &BuiltDir) -> Result<KnowledgeBase, Error> {
    for (path, is_file) in [(dir.entries(), true), (dir.index(), false)] {
        if !path.exists() {
            return Err(Error::new(format!("{} does not exist", path.display())));
        }
        if path.is_file() != is_file {
            let kind = if is_file { "a file" } else { "a folder" };
            return Err(Error::new(format!("{} is not {kind}", path.display())));
        }
    }
    let path = dir.entries();
    let cannot_read = |e: std::io::Error| {
        Error::new(format!("cannot read {}: {}", path.display(), io_reason(&e)))
    };
    let file = fs::File::open(&path).map_err(cannot_read)?;
    // SAFETY: the map is only read, and dropped before this function returns. Like
    // tantivy's memory-mapped index, it assumes nobody truncates the file meanwhile:
    // `index-build build` never does, it replaces the whole folder.
    // Mapping instead of reading saves copying a large file into fresh pages.
    let bytes = unsafe { memmap2::Mmap::map(&file) }.map_err(cannot_read)?;
    let not_a_kb = |e: &dyn std::fmt::Display| {
        Error::new(format!("{} is not a knowledge base: {e}", path.display()))
    };
    // One UTF-8 check of the whole file is cheaper than one per string.
    let json = std::str::from_utf8(&bytes).map_err(|e| not_a_kb(&e))?;
    let kb: KnowledgeBase = serde_json::from_str(json).map_err(|e| not_a_kb(&e))?;
    kb.validate().map_err(|problem| not_a_kb(&problem))?;
    Ok(kb)
}
