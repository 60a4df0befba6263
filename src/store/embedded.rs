//! What the build step produced, embedded in the binary: the entries (JSON), the tantivy
//! index (a folder of files) and the compiled IPADIC dictionary. Each is decoded only when a
//! command first needs it: `list`, `show` and `export` never touch the dictionary.
//!
//! `build.rs` builds them into `OUT_DIR` as `shirube_kb::built` lays a built directory out,
//! and passes their paths in `SHIRUBE_BUILT_*`, so the names are written down once.

use super::read_only::ReadOnlyDirectory;
use crate::known_errors::KnownErrors;
use include_dir::{Dir, include_dir};
use lindera::dictionary::Dictionary;
use shirube_kb::{Error, KnowledgeBase, built};
use std::sync::OnceLock;

static INDEX_FILES: Dir<'static> = include_dir!("$SHIRUBE_BUILT_INDEX");
static KB_JSON: &[u8] = include_bytes!(env!("SHIRUBE_BUILT_ENTRIES"));
static KNOWN_ERROR_TABLE: &[u8] = include_bytes!(env!("SHIRUBE_BUILT_KNOWN_ERRORS"));

/// lindera's `embedded_dictionary!` loader, less one step: lindera builds a 65,536-entry
/// character-class table on every load (about 1 ms, a tenth of a cold Japanese query).
/// Without it, lindera looks classes up by binary search over IPADIC's few dozen character
/// ranges, which costs nothing measurable on query-sized text.
mod ipadic {
    use lindera_dictionary::LinderaResult;
    use lindera_dictionary::dictionary::Dictionary;
    use lindera_dictionary::dictionary::character_definition::CharacterDefinition;
    use lindera_dictionary::dictionary::connection_cost_matrix::ConnectionCostMatrix;
    use lindera_dictionary::dictionary::metadata::Metadata;
    use lindera_dictionary::dictionary::prefix_dictionary::PrefixDictionary;
    use lindera_dictionary::dictionary::unknown_dictionary::UnknownDictionary;
    use lindera_dictionary::error::LinderaErrorKind;
    use std::sync::Arc;

    macro_rules! compiled {
        ($file:literal) => {
            concat!(env!("SHIRUBE_BUILT_DICTIONARY"), "/", $file)
        };
    }

    static METADATA: &[u8] = include_bytes!(compiled!("metadata.json"));
    static TRIE: &[u8] = include_bytes!(compiled!("dict.trie"));
    static VALUES_INDEX: &[u8] = include_bytes!(compiled!("dict.valsidx"));
    static VALUES: &[u8] = include_bytes!(compiled!("dict.vals"));
    static WORDS_INDEX: &[u8] = include_bytes!(compiled!("dict.wordsidx"));
    static WORDS: &[u8] = include_bytes!(compiled!("dict.words"));
    /// Aligned so the cost matrix is read in place rather than copied.
    static CONNECTIONS: &[u8] = lindera_dictionary::include_bytes_aligned!(compiled!("matrix.mtx"));
    static CHARACTER_CLASSES: &[u8] = include_bytes!(compiled!("char_def.bin"));
    static UNKNOWN_WORDS: &[u8] = include_bytes!(compiled!("unk.bin"));

    pub fn load() -> LinderaResult<Dictionary> {
        let metadata = Metadata::load(METADATA)?;
        metadata.validate_format_version()?;
        let prefix_dictionary =
            PrefixDictionary::load(TRIE, VALUES_INDEX, VALUES, WORDS_INDEX, WORDS)?;
        Ok(Dictionary {
            prefix_dictionary: Arc::new(prefix_dictionary),
            connection_cost_matrix: Arc::new(ConnectionCostMatrix::load(CONNECTIONS)?),
            character_definition: Arc::new(character_classes()?),
            unknown_dictionary: Arc::new(UnknownDictionary::load(UNKNOWN_WORDS)?),
            metadata: Arc::new(metadata),
        })
    }

    /// The character classes as serialised, without lindera's lookup table.
    fn character_classes() -> LinderaResult<CharacterDefinition> {
        let mut aligned = rkyv::util::AlignedVec::<16>::new();
        aligned.extend_from_slice(CHARACTER_CLASSES);
        rkyv::from_bytes::<CharacterDefinition, rkyv::rancor::Error>(&aligned)
            .map_err(|e| LinderaErrorKind::Deserialize.with_error(e))
    }
}

/// What to do when the binary's own data does not load: it was built wrong.
const BROKEN_BUILD_HINT: &str =
    "the binary was built wrong: build it again with `cargo build --release`";

/// The embedded knowledge base, opened once per process (its header decoded; each entry
/// is decoded when first read). The build step wrote it from the same types, so an error
/// here means a broken build, reported rather than panicking.
pub fn knowledge_base() -> Result<&'static KnowledgeBase, Error> {
    static KB: OnceLock<Result<KnowledgeBase, Error>> = OnceLock::new();
    KB.get_or_init(|| {
        built::decode(KB_JSON, "the kb.json built into the binary".to_string()).map_err(|e| {
            e.in_context(
                "the embedded knowledge base is unreadable: ",
                BROKEN_BUILD_HINT,
            )
        })
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// The known errors of the embedded knowledge base, with the table the build step wrote.
pub fn known_errors() -> Result<KnownErrors, Error> {
    KnownErrors::open(&knowledge_base()?.entries, KNOWN_ERROR_TABLE).map_err(|e| {
        e.in_context(
            "the embedded known-error table is unreadable: ",
            BROKEN_BUILD_HINT,
        )
    })
}

/// The embedded tantivy index files.
pub fn index_directory() -> ReadOnlyDirectory {
    ReadOnlyDirectory::embedded(&INDEX_FILES)
}

/// The embedded dictionary, read in place from the binary.
pub fn dictionary() -> Result<Dictionary, Error> {
    ipadic::load().map_err(|e| {
        Error::new(format!("the embedded dictionary cannot be loaded: {e}"))
            .with_hint(BROKEN_BUILD_HINT)
    })
}
