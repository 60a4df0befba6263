//! Compiling IPADIC from the source archive that travels with the repository.
//!
//! The archive is read from `assets/ipadic/`, never downloaded. Compiling takes seconds, so
//! the result is kept in the build directory with a stamp of the inputs it came from, and is
//! rebuilt only when they change: editing `kb/` rebuilds the index, not the dictionary.
//!
//! Before compiling, the word lists are cut down to the features the analyzer reads (see
//! `KEPT_COLUMNS`): the binary embeds the dictionary, and every Japanese query pages in
//! the parts of it that its words touch.

use flate2::read::GzDecoder;
use lindera_dictionary::builder::DictionaryBuilder;
use lindera_dictionary::dictionary::Dictionary;
use lindera_dictionary::dictionary::metadata::Metadata;
use shirube_kb::Error;
use std::fs;
use std::path::{Path, PathBuf};

/// The source archive inside the assets directory.
pub const ARCHIVE: &str = "mecab-ipadic-2.7.0-20070801.tar.gz";
/// lindera's description of the source format.
pub const METADATA: &str = "metadata.json";
const STAMP: &str = "shirube-source.stamp";

/// The columns of IPADIC's word lists (`*.csv`, `unk.def`) that the compiled dictionary
/// keeps: surface, left and right context ids, cost, then the three word features
/// `shirube_analysis::japanese` reads — part of speech, its first subcategory, base form.
/// The other six features (two more subcategories, conjugation, reading, pronunciation) were
/// two thirds of the compiled dictionary. `metadata.json` names the kept columns.
const KEPT_COLUMNS: [usize; 7] = [0, 1, 2, 3, 4, 5, BASE_FORM];
/// The base form's column in the source; the slimmed list writes `*` where it equals the
/// surface, which the analyzer reads as "the surface itself".
const BASE_FORM: usize = 10;

/// Compiles the dictionary of `assets_dir` into `out_dir`, unless `out_dir` already holds the
/// compiled form of the same inputs.
pub fn build(assets_dir: &Path, out_dir: &Path) -> Result<(), Error> {
    let archive = assets_dir.join(ARCHIVE);
    let metadata_path = assets_dir.join(METADATA);
    let metadata_json =
        fs::read_to_string(&metadata_path).map_err(|e| failed(&metadata_path, e))?;
    let archive_len = fs::metadata(&archive)
        .map_err(|e| failed(&archive, e))?
        .len();
    let stamp = format!("{ARCHIVE} {archive_len}\n{metadata_json}");
    if fs::read_to_string(out_dir.join(STAMP)).is_ok_and(|s| s == stamp) {
        return Ok(());
    }

    let metadata: Metadata =
        serde_json::from_str(&metadata_json).map_err(|e| failed(&metadata_path, e))?;
    let scratch = out_dir.with_extension("src");
    let _ = fs::remove_dir_all(&scratch);
    let _ = fs::remove_dir_all(out_dir);
    let source_dir = unpack(&archive, &scratch)?;
    slim_word_lists(&source_dir)?;
    DictionaryBuilder::new(metadata)
        .build_dictionary(&source_dir, out_dir)
        .map_err(|e| Error::new(format!("compiling IPADIC from {}: {e}", archive.display())))?;
    fs::remove_dir_all(&scratch).map_err(|e| failed(&scratch, e))?;
    fs::write(out_dir.join(STAMP), stamp).map_err(|e| failed(out_dir, e))
}

/// Unpacks `archive` into `into` and returns the folder that holds `matrix.def`.
fn unpack(archive: &Path, into: &Path) -> Result<PathBuf, Error> {
    let file = fs::File::open(archive).map_err(|e| failed(archive, e))?;
    tar::Archive::new(GzDecoder::new(file))
        .unpack(into)
        .map_err(|e| Error::new(format!("unpacking {}: {e}", archive.display())))?;
    let mut candidates = vec![into.to_path_buf()];
    if let Ok(read) = fs::read_dir(into) {
        candidates.extend(read.filter_map(|e| e.ok().map(|e| e.path())));
    }
    candidates
        .into_iter()
        .find(|dir| dir.join("matrix.def").is_file())
        .ok_or_else(|| {
            Error::new(format!(
                "{} holds no matrix.def: not an IPADIC source archive",
                archive.display()
            ))
        })
}

/// Rewrites every word list in `dir` to [`KEPT_COLUMNS`].
fn slim_word_lists(dir: &Path) -> Result<(), Error> {
    let read_dir = fs::read_dir(dir).map_err(|e| failed(dir, e))?;
    for entry in read_dir {
        let path = entry.map_err(|e| failed(dir, e))?.path();
        let is_word_list = path.extension().is_some_and(|e| e == "csv")
            || path.file_name().is_some_and(|n| n == "unk.def");
        if !is_word_list {
            continue;
        }
        let source = fs::read(&path).map_err(|e| failed(&path, e))?;
        fs::write(&path, slim_rows(&source)).map_err(|e| failed(&path, e))?;
    }
    Ok(())
}

/// [`KEPT_COLUMNS`] of each row of a word list. Works on bytes: the lists are EUC-JP, whose
/// multibyte characters never contain an ASCII comma or newline.
fn slim_rows(source: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(source.len() / 2);
    for row in source.split(|&b| b == b'\n') {
        let row = row.strip_suffix(b"\r").unwrap_or(row);
        if row.is_empty() {
            continue;
        }
        let columns: Vec<&[u8]> = row.split(|&b| b == b',').collect();
        for (i, &column) in KEPT_COLUMNS.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let value = columns.get(column).copied().unwrap_or(b"*");
            let same_as_surface = column == BASE_FORM && value == columns[0];
            out.extend_from_slice(if same_as_surface { b"*" } else { value });
        }
        out.push(b'\n');
    }
    out
}

/// `path: error`, for a file the build could not read or write.
fn failed(path: &Path, error: impl std::fmt::Display) -> Error {
    Error::new(format!("{}: {error}", path.display()))
}

/// Loads a compiled dictionary from `dir` (at build time; the binary embeds it instead).
pub fn load(dir: &Path) -> Result<Dictionary, Error> {
    Dictionary::load_from_path_with_options(dir, false).map_err(|e| {
        Error::new(format!(
            "loading the dictionary from {}: {e}",
            dir.display()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_keep_part_of_speech_and_base_form_only() {
        let source = "走っ,1,2,3,動詞,自立,*,*,五段・ラ行,連用タ接続,走る,ハシッ,ハシッ\r\n\
                      東京,4,5,6,名詞,固有名詞,地域,一般,*,*,東京,トウキョウ,トーキョー\n\
                      DEFAULT,5,5,4769,記号,一般,*,*,*,*,*\n";
        let slim = String::from_utf8(slim_rows(source.as_bytes())).unwrap();
        assert_eq!(
            slim,
            "走っ,1,2,3,動詞,自立,走る\n東京,4,5,6,名詞,固有名詞,*\nDEFAULT,5,5,4769,記号,一般,*\n"
        );
    }
}
