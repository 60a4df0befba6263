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
use std::sync::OnceLock;
use tantivy::directory::MmapDirectory;

/// The entries file and the index folder inside a built directory (as `index-build` writes).
const KB_JSON: &str = "kb.json";
const INDEX_DIR: &str = "index";

/// A knowledge base to answer from.
#[derive(Clone, Debug)]
pub enum KbSource {
    /// Built into the binary.
    Embedded,
    /// A directory written by `index-build build`.
    Directory(PathBuf),
}

impl KbSource {
    /// A built directory, checked to hold what `index-build build` writes.
    pub fn directory(dir: PathBuf) -> Result<KbSource, String> {
        for part in [KB_JSON, INDEX_DIR] {
            let path = dir.join(part);
            if !path.exists() {
                return Err(format!("{} does not exist", path.display()));
            }
        }
        Ok(KbSource::Directory(dir))
    }

    /// The entries, decoded once per process. A directory's knowledge base lives as long as
    /// the process, like the embedded one.
    pub fn knowledge_base(&self) -> Result<&'static KnowledgeBase, String> {
        match self {
            KbSource::Embedded => embedded::knowledge_base(),
            KbSource::Directory(dir) => {
                static LOADED: OnceLock<Result<KnowledgeBase, String>> = OnceLock::new();
                LOADED
                    .get_or_init(|| {
                        let path = dir.join(KB_JSON);
                        let json = fs::read(&path)
                            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                        serde_json::from_slice(&json)
                            .map_err(|e| format!("{} is not a knowledge base: {e}", path.display()))
                    })
                    .as_ref()
                    .map_err(Clone::clone)
            }
        }
    }

    /// The search engine over this knowledge base.
    pub fn engine(&self) -> Result<Engine, String> {
        match self {
            KbSource::Embedded => Engine::embedded(),
            KbSource::Directory(dir) => {
                let kb = self.knowledge_base()?;
                let path = dir.join(INDEX_DIR);
                let index = MmapDirectory::open(&path)
                    .map_err(|e| format!("cannot open the index {}: {e}", path.display()))?;
                Engine::open(kb, index, embedded::dictionary()?)
            }
        }
    }
}
