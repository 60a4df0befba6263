//! What the build step produced, embedded in the binary: the entries (JSON), the tantivy
//! index (a folder of files) and the compiled IPADIC dictionary. Each is decoded only when a
//! command first needs it: `list`, `show` and `export` never touch the dictionary.

use crate::static_dir::StaticDirectory;
use include_dir::{Dir, include_dir};
use lindera::dictionary::Dictionary;
use shirube_kb::KnowledgeBase;
use std::sync::OnceLock;

static INDEX_FILES: Dir<'static> = include_dir!("$OUT_DIR/index");
static KB_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/kb.json"));

mod ipadic {
    lindera_dictionary::embedded_dictionary!("/ipadic", EmbeddedIpadic);
}

/// The embedded knowledge base, decoded once per process. The build step wrote it from the
/// same types, so an error here means a broken build, reported rather than panicking.
pub fn knowledge_base() -> Result<&'static KnowledgeBase, String> {
    static KB: OnceLock<Result<KnowledgeBase, String>> = OnceLock::new();
    KB.get_or_init(|| {
        serde_json::from_str(KB_JSON)
            .map_err(|e| format!("the embedded knowledge base is unreadable: {e}"))
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// The embedded tantivy index files.
pub fn index_directory() -> StaticDirectory {
    StaticDirectory::new(&INDEX_FILES)
}

/// The embedded dictionary, read in place from the binary.
pub fn dictionary() -> Result<Dictionary, String> {
    ipadic::load().map_err(|e| format!("the embedded dictionary cannot be loaded: {e}"))
}
