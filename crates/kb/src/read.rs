//! Reading the files of a knowledge-base folder, where every failure becomes a
//! [`Diagnostic`] that names the file (and line) instead of stopping the load.

use crate::diagnostic::Diagnostic;
use std::fs;
use std::path::{Path, PathBuf};

/// How a diagnostic names `path`: below `root`, as `root/...`.
pub(crate) fn label(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .map(|rel| root.join(rel))
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

/// The paths in `dir`, sorted; none when it cannot be read.
pub(crate) fn sorted_dir(dir: &Path, problems: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    match fs::read_dir(dir) {
        Ok(read) => {
            let mut paths: Vec<PathBuf> = read.filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort();
            paths
        }
        Err(e) => {
            problems.push(Diagnostic::new(
                dir.display().to_string(),
                0,
                format!("cannot read: {e}"),
            ));
            Vec::new()
        }
    }
}

/// A knowledge-base file (an entry, `source.toml`, the glossary), at most.
const MAX_FILE: u64 = 4 << 20;

/// The text of `path`, which must be UTF-8 and a regular file of at most [`MAX_FILE`].
pub(crate) fn read_text(
    path: &Path,
    root: &Path,
    problems: &mut Vec<Diagnostic>,
) -> Option<String> {
    match crate::file::read_bounded(path, MAX_FILE) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Some(text),
            Err(e) => {
                let bytes = e.as_bytes();
                let at = e.utf8_error().valid_up_to();
                let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
                problems.push(Diagnostic::new(label(root, path), line, "not valid UTF-8"));
                None
            }
        },
        Err(e) => {
            problems.push(Diagnostic::new(
                label(root, path),
                0,
                format!("cannot read: {e}"),
            ));
            None
        }
    }
}

/// A TOML syntax or type error in `text`, at its line.
pub(crate) fn toml_problem(file: String, text: &str, e: &toml::de::Error) -> Diagnostic {
    let line = e
        .span()
        .map_or(0, |s| text[..s.start].matches('\n').count())
        + 1;
    Diagnostic::new(file, line, e.message().trim().replace('\n', " "))
}

/// The first line (1-based) of `text` that `matches`, or 1.
pub(crate) fn line_where(text: &str, matches: impl Fn(&str) -> bool) -> usize {
    text.lines().position(matches).map_or(1, |i| i + 1)
}
