//! Where the knowledge base comes from: the one built into the binary, or one that
//! `index-build build KB_DIR OUT_DIR` wrote to a directory (`--kb OUT_DIR`), for knowledge
//! bases too large or too new to rebuild the binary for. The dictionary always comes from
//! the binary: the analyzers must be the ones the index was built with, and
//! `index-build` builds with the same dictionary source.

use crate::embedded;
use crate::engine::Engine;
use shirube_kb::KnowledgeBase;
use std::fs;
use std::path::PathBuf;
use tantivy::directory::MmapDirectory;

/// The entries file and the index folder inside a built directory (as `index-build` writes).
const KB_JSON: &str = "kb.json";
const INDEX_DIR: &str = "index";

/// A knowledge base to answer from.
#[derive(Clone, Debug)]
pub enum KbSource {
    /// Built into the binary.
    Embedded,
    /// A directory written by `index-build build`, with its entries already decoded.
    Directory {
        dir: PathBuf,
        kb: &'static KnowledgeBase,
    },
}

impl KbSource {
    /// Opens a built directory: checks that it holds what `index-build build` writes and
    /// decodes its entries, which every command needs. They live as long as the process, like
    /// the embedded ones.
    pub fn directory(dir: PathBuf) -> Result<KbSource, String> {
        for part in [KB_JSON, INDEX_DIR] {
            let path = dir.join(part);
            if !path.exists() {
                return Err(format!("{} does not exist", path.display()));
            }
        }
        let path = dir.join(KB_JSON);
        let cannot_read = |e: std::io::Error| format!("cannot read {}: {e}", path.display());
        let file = fs::File::open(&path).map_err(cannot_read)?;
        // SAFETY: the map is only read, and dropped before this function returns. Like
        // tantivy's memory-mapped index, it assumes nobody truncates the file meanwhile.
        // Mapping instead of reading saves copying a large file into fresh pages.
        let bytes = unsafe { memmap2::Mmap::map(&file) }.map_err(cannot_read)?;
        let not_a_kb =
            |e: &dyn std::fmt::Display| format!("{} is not a knowledge base: {e}", path.display());
        // One UTF-8 check of the whole file is cheaper than one per string.
        let json = std::str::from_utf8(&bytes).map_err(|e| not_a_kb(&e))?;
        let kb: KnowledgeBase = serde_json::from_str(json).map_err(|e| not_a_kb(&e))?;
        Ok(KbSource::Directory {
            dir,
            kb: Box::leak(Box::new(kb)),
        })
    }

    /// The entries.
    pub fn knowledge_base(&self) -> Result<&'static KnowledgeBase, String> {
        match self {
            KbSource::Embedded => embedded::knowledge_base(),
            KbSource::Directory { kb, .. } => Ok(kb),
        }
    }

    /// The search engine over this knowledge base.
    pub fn engine(&self) -> Result<Engine, String> {
        match self {
            KbSource::Embedded => Engine::embedded(),
            KbSource::Directory { dir, kb } => {
                let path = dir.join(INDEX_DIR);
                let index = MmapDirectory::open(&path)
                    .map_err(|e| format!("cannot open the index {}: {e}", path.display()))?;
                Engine::open(kb, index, embedded::dictionary()?)
            }
        }
    }
}
