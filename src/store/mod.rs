//! Where the knowledge base comes from: the one built into the binary ([`embedded`]); the
//! one combined from it and the knowledge packs installed on this host ([`installed`],
//! checked by [`verify`] before they are); or one that `index-build build KB_DIR OUT_DIR`
//! wrote to a directory (`--kb OUT_DIR`, laid out as `shirube_kb::built` says). The
//! dictionary always comes from the binary: the analyzers must be the ones the index was
//! built with, and `index-build` builds with the same dictionary source.

pub mod embedded;
pub mod installed;
mod read_only;
pub mod verify;

use crate::known_errors::KnownErrors;
use crate::search::Engine;
pub use read_only::Access;
use read_only::ReadOnlyDirectory;
use shirube_kb::built::{self, BuiltDir};
use shirube_kb::error::io_reason;
use shirube_kb::{Entry, Error, KnowledgeBase};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tempfile::TempDir;

/// What fixes a `--kb` directory that cannot be used.
const REBUILD_HINT: &str = "--kb takes a directory written by `index-build build KB_DIR OUT_DIR` of this version: build it again";

/// Which built directory a [`KbSource::Directory`] is, for its messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirectoryKind {
    /// A folder given with `--kb`.
    Given,
    /// The knowledge packs installed on this host, with the built-in entries.
    Installed,
}

impl DirectoryKind {
    /// What a message about it starts with, and what fixes it.
    fn context(self) -> (&'static str, &'static str) {
        match self {
            DirectoryKind::Given => ("--kb: ", REBUILD_HINT),
            DirectoryKind::Installed => ("installed packs: ", installed::REPAIR_HINT),
        }
    }
}

/// A knowledge base to answer from.
#[derive(Clone, Debug)]
pub enum KbSource {
    /// Built into the binary.
    Embedded,
    /// A directory written by `index-build build` (or `kb add`), opened: its entries are
    /// decoded as they are read.
    Directory(OpenedDirectory),
}

/// A built directory a [`KbSource`] answers from.
#[derive(Clone, Debug)]
pub struct OpenedDirectory {
    /// Which directory it is.
    kind: DirectoryKind,
    /// The directory, and where its files lie in it.
    dir: BuiltDir,
    /// How its files are opened.
    access: Access,
    /// Its entries, read once and kept for as long as the process runs.
    kb: &'static KnowledgeBase,
    /// The temporary folder it is, for `--kb FILE`: removed once no source holds it.
    _scratch: Option<Arc<TempDir>>,
}

impl OpenedDirectory {
    /// `error` said of this directory: what it is, and what fixes it.
    fn blame(&self, error: Error) -> Error {
        let (context, hint) = self.kind.context();
        error.in_context(context, hint)
    }

    fn known_errors(&self) -> Result<KnownErrors, Error> {
        let path = self.dir.known_errors();
        let table = open_for_good(&path, self.access).map_err(|e| self.blame(e))?;
        let (context, hint) = self.kind.context();
        KnownErrors::open(&self.kb.entries, table)
            .map_err(|e| e.in_context(&format!("{context}{}: ", path.display()), hint))
    }

    fn engine(&self) -> Result<Engine, Error> {
        let path = self.dir.index();
        let index = ReadOnlyDirectory::folder(&path, self.access).map_err(|e| {
            self.blame(Error::new(format!(
                "cannot open the index {}: {e}",
                path.display()
            )))
        })?;
        Engine::open(
            self.kb,
            index,
            embedded::dictionary()?,
            self.known_errors()?,
        )
        .map_err(|e| self.blame(e))
    }
}

impl KbSource {
    /// Opens a built directory: checks that it holds what `index-build build` writes and
    /// reads the header of its entries. They live as long as the process, like the embedded
    /// ones. Its files are opened as `access` says.
    pub fn directory(dir: PathBuf, access: Access, kind: DirectoryKind) -> Result<KbSource, Error> {
        KbSource::open_directory(dir, access, kind, None)
    }

    /// The built-in knowledge base, the installed packs and the pack at `path` (`--kb
    /// FILE`), verified with the keys this host trusts and combined for this process alone:
    /// a pack tried before it is installed.
    pub fn with_pack(path: &Path, access: Access) -> Result<KbSource, Error> {
        let scratch = Arc::new(installed::DataDir::locate()?.with_pack(path)?);
        let dir = scratch.path().to_path_buf();
        KbSource::open_directory(dir, access, DirectoryKind::Given, Some(scratch))
    }

    fn open_directory(
        dir: PathBuf,
        access: Access,
        kind: DirectoryKind,
        scratch: Option<Arc<TempDir>>,
    ) -> Result<KbSource, Error> {
        let dir = BuiltDir::new(dir);
        let (context, hint) = kind.context();
        let kb = read_entries(&dir, access).map_err(|e| e.in_context(context, hint))?;
        Ok(KbSource::Directory(OpenedDirectory {
            kind,
            dir,
            access,
            kb: Box::leak(Box::new(kb)),
            _scratch: scratch,
        }))
    }

    /// The knowledge base, its entries decoded as they are read: for commands that read a
    /// few (`search`, `show`), which check each one they read.
    pub fn knowledge_base(&self) -> Result<&'static KnowledgeBase, Error> {
        match self {
            KbSource::Embedded => embedded::knowledge_base(),
            KbSource::Directory(opened) => Ok(opened.kb),
        }
    }

    /// The entry at `position`, decoded and checked.
    pub fn entry(&self, position: usize) -> Result<&'static Entry, Error> {
        let kb = self.knowledge_base()?;
        kb.entries
            .get(position)
            .ok_or_else(|| self.unreadable(kb.entries.problem(position).unwrap_or_default()))
    }

    /// An entry that cannot be read, as an error: a broken build or `--kb` folder.
    fn unreadable(&self, problem: String) -> Error {
        match self {
            KbSource::Embedded => Error::new(problem),
            KbSource::Directory(opened) => opened.blame(Error::new(problem)),
        }
    }

    /// The knowledge base with every entry decoded and checked: for commands that read
    /// them all (`list`, `export`, `check`, `triage`, `serve`), so that an entry that cannot
    /// be read is an error rather than missing from their answer.
    pub fn every_entry(&self) -> Result<&'static KnowledgeBase, Error> {
        let kb = self.knowledge_base()?;
        match kb.entries.first_problem() {
            None => Ok(kb),
            Some(problem) => Err(self.unreadable(problem)),
        }
    }

    /// The known errors of this knowledge base, with the table the build step wrote.
    pub fn known_errors(&self) -> Result<KnownErrors, Error> {
        match self {
            KbSource::Embedded => embedded::known_errors(),
            KbSource::Directory(opened) => opened.known_errors(),
        }
    }

    /// The search engine over this knowledge base.
    pub fn engine(&self) -> Result<Engine, Error> {
        match self {
            KbSource::Embedded => Engine::embedded(),
            KbSource::Directory(opened) => opened.engine(),
        }
    }
}

/// The bytes of `path`, mapped or read as `access` says, kept for as long as the process
/// runs, like the embedded data: entries are decoded from them as they are read.
fn open_for_good(path: &Path, access: Access) -> Result<&'static [u8], Error> {
    let cannot = |e: std::io::Error| {
        Error::new(format!("cannot read {}: {}", path.display(), io_reason(&e)))
    };
    match access {
        Access::Map => {
            let file = read_only::open_regular(path).map_err(cannot)?;
            // SAFETY: the mapping is read-only, and a file changed under it is the risk
            // `Access::Map` takes for a command that lasts milliseconds (see `Access`).
            #[allow(unsafe_code)]
            let map = unsafe { memmap2::Mmap::map(&file) }.map_err(cannot)?;
            Ok(Box::leak(Box::new(map)))
        }
        Access::Read => {
            let bytes = read_only::read_kb_file(path).map_err(cannot)?;
            Ok(Box::leak(bytes.into_boxed_slice()))
        }
    }
}

/// The entries of a built directory.
fn read_entries(dir: &BuiltDir, access: Access) -> Result<KnowledgeBase, Error> {
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
    built::decode(open_for_good(&path, access)?, path.display().to_string()).map_err(|e| {
        let context = format!("{} is not a knowledge base: ", path.display());
        Error::new(format!("{context}{e}")).with_kind(e.kind())
    })
}
