//! The built-directory contract: what the build step writes into a directory and what the
//! binary reads from one, named here once. `index-build build KB_DIR OUT_DIR` writes it,
//! `shirube --kb OUT_DIR` reads it, and `build.rs` writes the same layout into `OUT_DIR` for
//! the binary to embed.

use crate::entries::Entries;
use crate::{Component, Error, ErrorKind, Glossary, KnowledgeBase, SourceDocument};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The knowledge base: see [`encode`].
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
    /// The built directory at `root`; nothing is read or checked here.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuiltDir { root: root.into() }
    }

    /// The directory itself.
    pub fn root(&self) -> &std::path::Path {
        &self.root
    }

    /// The path of its entries file ([`ENTRIES_FILE`], see [`encode`]).
    pub fn entries(&self) -> PathBuf {
        self.root.join(ENTRIES_FILE)
    }

    /// The path of its known-errors table ([`KNOWN_ERRORS_FILE`]).
    pub fn known_errors(&self) -> PathBuf {
        self.root.join(KNOWN_ERRORS_FILE)
    }

    /// The path of its tantivy index folder ([`INDEX_DIR`]).
    pub fn index(&self) -> PathBuf {
        self.root.join(INDEX_DIR)
    }

    /// The path of its compiled dictionary folder ([`DICTIONARY_DIR`]), which `--kb` does not
    /// read.
    pub fn dictionary(&self) -> PathBuf {
        self.root.join(DICTIONARY_DIR)
    }
}

/// The first line of the entries file: everything but the entries, and where each entry is.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    components: Vec<Component>,
    sources: Vec<SourceDocument>,
    glossary: Glossary,
    build_id: String,
    /// `(id, start, end)`: the entry's JSON is `body[start..end]`, the body being what
    /// follows the header's line.
    entries: Vec<(String, usize, usize)>,
}

/// The entries file of `kb`: a header line of JSON, then each entry's JSON on a line of
/// its own. Opening it decodes only the header; an entry is decoded when it is first read,
/// so a search of 100,000 entries decodes the few it shows.
pub fn encode(kb: &KnowledgeBase) -> Result<String, serde_json::Error> {
    let mut body = String::new();
    let mut entries = Vec::with_capacity(kb.entries.len());
    for entry in &kb.entries {
        let start = body.len();
        body.push_str(&serde_json::to_string(entry)?);
        entries.push((entry.id.clone(), start, body.len()));
        body.push('\n');
    }
    let header = Header {
        components: kb.components.clone(),
        sources: kb.sources.clone(),
        glossary: kb.glossary.clone(),
        build_id: kb.build_id.clone(),
        entries,
    };
    let mut file = serde_json::to_string(&header)?;
    file.push('\n');
    file.push_str(&body);
    Ok(file)
}

/// Reads an entries file [`encode`] wrote, decoding its header only; `origin` names it in
/// the messages of entries that cannot be read. Checks that the ids are sorted and unique
/// and that every entry lies inside the file; each entry is checked when it is decoded.
pub fn decode(file: &'static [u8], origin: String) -> Result<KnowledgeBase, Error> {
    let corrupt = |message: String| Error::new(message).with_kind(ErrorKind::CorruptKnowledgeBase);
    let end = file
        .iter()
        .position(|&b| b == b'\n')
        .ok_or_else(|| corrupt("it has no header line".to_string()))?;
    let (header, body) = (&file[..end], &file[end + 1..]);
    let header: Header = serde_json::from_slice(header).map_err(|e| corrupt(e.to_string()))?;
    let mut ids = Vec::with_capacity(header.entries.len());
    let mut encoded = Vec::with_capacity(header.entries.len());
    for (id, start, end) in header.entries {
        let Some(text) = body.get(start..end) else {
            return Err(corrupt(format!("the entry {id} lies outside the file")));
        };
        ids.push(id);
        encoded.push(text);
    }
    let components = header.components.iter().map(|c| c.id.clone()).collect();
    let kb = KnowledgeBase {
        entries: Entries::encoded(ids, encoded, components, origin),
        components: header.components,
        sources: header.sources,
        glossary: header.glossary,
        build_id: header.build_id,
        warnings: Vec::new(),
    };
    kb.validate_ids()
        .map_err(|e| e.with_kind(ErrorKind::CorruptKnowledgeBase))?;
    Ok(kb)
}
