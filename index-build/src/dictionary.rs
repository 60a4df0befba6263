//! Compiling IPADIC from the source archive that travels with the repository.
//!
//! The archive is read from `assets/ipadic/`, never downloaded. Compiling takes seconds, so
//! the result is kept in the build directory with a stamp of the inputs it came from, and is
//! rebuilt only when they change: editing `kb/` rebuilds the index, not the dictionary.

use flate2::read::GzDecoder;
use lindera_dictionary::builder::DictionaryBuilder;
use lindera_dictionary::dictionary::Dictionary;
use lindera_dictionary::dictionary::metadata::Metadata;
use std::fs;
use std::path::{Path, PathBuf};

/// The source archive inside the assets directory.
pub const ARCHIVE: &str = "mecab-ipadic-2.7.0-20070801.tar.gz";
/// lindera's description of the source format.
pub const METADATA: &str = "metadata.json";
const STAMP: &str = "shirube-source.stamp";

/// Compiles the dictionary of `assets_dir` into `out_dir`, unless `out_dir` already holds the
/// compiled form of the same inputs.
pub fn build(assets_dir: &Path, out_dir: &Path) -> Result<(), String> {
    let archive = assets_dir.join(ARCHIVE);
    let metadata_path = assets_dir.join(METADATA);
    let metadata_json = fs::read_to_string(&metadata_path)
        .map_err(|e| format!("{}: {e}", metadata_path.display()))?;
    let archive_len = fs::metadata(&archive)
        .map_err(|e| format!("{}: {e}", archive.display()))?
        .len();
    let stamp = format!("{ARCHIVE} {archive_len}\n{metadata_json}");
    if fs::read_to_string(out_dir.join(STAMP)).is_ok_and(|s| s == stamp) {
        return Ok(());
    }

    let metadata: Metadata = serde_json::from_str(&metadata_json)
        .map_err(|e| format!("{}: {e}", metadata_path.display()))?;
    let scratch = out_dir.with_extension("src");
    let _ = fs::remove_dir_all(&scratch);
    let _ = fs::remove_dir_all(out_dir);
    let source_dir = unpack(&archive, &scratch)?;
    DictionaryBuilder::new(metadata)
        .build_dictionary(&source_dir, out_dir)
        .map_err(|e| format!("compiling IPADIC from {}: {e}", archive.display()))?;
    fs::remove_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    fs::write(out_dir.join(STAMP), stamp).map_err(|e| format!("{}: {e}", out_dir.display()))
}

/// Unpacks `archive` into `into` and returns the folder that holds `matrix.def`.
fn unpack(archive: &Path, into: &Path) -> Result<PathBuf, String> {
    let file = fs::File::open(archive).map_err(|e| format!("{}: {e}", archive.display()))?;
    tar::Archive::new(GzDecoder::new(file))
        .unpack(into)
        .map_err(|e| format!("unpacking {}: {e}", archive.display()))?;
    let mut candidates = vec![into.to_path_buf()];
    if let Ok(read) = fs::read_dir(into) {
        candidates.extend(read.filter_map(|e| e.ok().map(|e| e.path())));
    }
    candidates
        .into_iter()
        .find(|dir| dir.join("matrix.def").is_file())
        .ok_or_else(|| {
            format!(
                "{} holds no matrix.def: not an IPADIC source archive",
                archive.display()
            )
        })
}

/// Loads a compiled dictionary from `dir` (at build time; the binary embeds it instead).
pub fn load(dir: &Path) -> Result<Dictionary, String> {
    Dictionary::load_from_path_with_options(dir, false)
        .map_err(|e| format!("loading the dictionary from {}: {e}", dir.display()))
}
