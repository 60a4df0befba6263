//! The rules a knowledge base keeps, each a small function that says what is wrong, where.
//!
//! `load` reads the files and runs these rules; it assembles an entry only from files that
//! broke none of them. Like RustSec's linter the rules report every problem, not the first:
//! an author fixes a file in one pass.
//!
//! - [`file`]: one file on its own: its name, its header's id and language, its body's
//!   structure.
//! - [`entry`]: one entry's files together: the primary file's header against its source
//!   document and components, the translations.
//! - here: the whole knowledge base (titles unique; versions against prose, a warning).

pub(crate) mod entry;
pub(crate) mod file;

use crate::diagnostic::Diagnostic;
use crate::markdown;
use crate::model::Entry;
use crate::version::{RangeList, Version, VersionRange};
use crate::version_text;
use std::collections::HashMap;
use std::path::Path;

/// Two entries of one source document never share a title.
pub(crate) fn check_unique_titles(entries: &[Entry], root: &Path) -> Vec<Diagnostic> {
    let mut seen: HashMap<(&str, &str), &str> = HashMap::new();
    let mut problems = Vec::new();
    for e in entries {
        if let Some(first) = seen.insert((&e.source.document, &e.source.title), &e.id) {
            problems.push(Diagnostic::new(
                root.join(&e.source.file).display().to_string(),
                1,
                format!(
                    "source title `{}` is already used by {first}",
                    e.source.title
                ),
            ));
        }
    }
    problems
}

/// A warning when the header's versions differ from what the primary file's prose states;
/// a `note` says a human read the prose and chose, so the difference is known.
pub(crate) fn versions_match_prose(entry: &Entry, root: &Path) -> Option<Diagnostic> {
    let (prose, _) = markdown::prose_and_code(&entry.primary().body);
    let read = version_text::extract(&prose);
    let header = &entry.versions;
    let same = header.note.is_some()
        || read.affected == header.affected
            && read.upgrade_to == header.upgrade_to
            && read.fixed_in == header.fixed_in;
    if same {
        return None;
    }
    let show = |ranges: Option<&[VersionRange]>| {
        ranges.map_or("unspecified".to_string(), |r| RangeList(r).to_string())
    };
    let fixed = |v: Option<&Version>| v.map_or("-".to_string(), ToString::to_string);
    Some(Diagnostic::new(
        root.join(&entry.source.file).display().to_string(),
        1,
        format!(
            "warning: the header says affected {} (fixed in {}), the prose reads as {} (fixed in {}); the header wins, check that it is meant",
            show(header.affected.as_deref()),
            fixed(header.fixed_in.as_ref()),
            show(read.affected.as_deref()),
            fixed(read.fixed_in.as_ref())
        ),
    ))
}
