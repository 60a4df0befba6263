//! A read-only tantivy [`Directory`]: over the index embedded in the binary (served without
//! a copy), or over a `--kb` folder's index, memory-mapped or read (see [`Access`]).
//!
//! tantivy's reader takes a lock and may try to write bookkeeping files; a built index never
//! changes (a rebuild replaces the whole folder), so locks are granted as no-ops and writes
//! are refused. A `--kb` folder on a read-only mount, or owned by another user, is then
//! searched like any other, and searching it creates nothing in it.

use include_dir::Dir;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tantivy::directory::error::{
    DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError,
};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback,
    WatchHandle, WritePtr,
};

/// A file of a `--kb` folder that `serve` reads whole, at most: above the largest file of
/// 100,000 synthetic entries (`bench/scale.sh`), and a bound on what a name pointing at
/// `/dev/zero` could make of memory.
pub const MAX_KB_FILE: u64 = 1 << 30;

/// How a `--kb` folder's files are opened.
///
/// A one-shot command maps them: a search of 100,000 entries touches a few pages of a
/// 300 MB folder. A file edited in place under a mapping kills its reader with SIGBUS,
/// which a command lasting milliseconds is not worth guarding against, but a long-lived
/// `serve` is: it reads each file whole once, a regular file of at most `MAX_KB_FILE`.
/// (`index-build build` never edits in place: it builds a new folder and swaps it in.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Memory-mapped: only the pages a search touches are read.
    Map,
    /// Read whole once, each file bounded by `MAX_KB_FILE`.
    Read,
}

/// Where the index files are read from.
#[derive(Clone, Debug)]
enum Files {
    Embedded(&'static Dir<'static>),
    Mapped(MmapDirectory, PathBuf),
    Read(PathBuf),
}

/// A file of a `--kb` folder, whole: a regular file of at most [`MAX_KB_FILE`].
pub fn read_kb_file(path: &Path) -> io::Result<Vec<u8>> {
    shirube_kb::file::read_bounded(path, MAX_KB_FILE)
}

/// The file at `path` opened, if it is a regular file (links followed): a device or FIFO
/// behind a name is refused before anything maps it.
pub fn open_regular(path: &Path) -> io::Result<std::fs::File> {
    shirube_kb::file::regular(path)?;
    std::fs::File::open(path)
}

/// An index's files, read-only: the ones embedded in the binary, or a `--kb` folder's.
#[derive(Clone, Debug)]
pub struct ReadOnlyDirectory {
    files: Files,
}

impl ReadOnlyDirectory {
    /// The index embedded in the binary.
    pub fn embedded(files: &'static Dir<'static>) -> Self {
        ReadOnlyDirectory {
            files: Files::Embedded(files),
        }
    }

    /// The index folder at `path`, opened as `access` says.
    pub fn folder(path: &Path, access: Access) -> Result<Self, OpenDirectoryError> {
        let files = match access {
            Access::Map => Files::Mapped(MmapDirectory::open(path)?, path.to_path_buf()),
            Access::Read if path.is_dir() => Files::Read(path.to_path_buf()),
            Access::Read => return Err(OpenDirectoryError::NotADirectory(path.to_path_buf())),
        };
        Ok(ReadOnlyDirectory { files })
    }

    /// The file `path` of the folder `dir`, read whole.
    fn folder_bytes(dir: &Path, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        let full = dir.join(path);
        read_kb_file(&full).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => OpenReadError::FileDoesNotExist(path.to_path_buf()),
            _ => OpenReadError::wrap_io_error(e, full),
        })
    }

    fn embedded_bytes(
        files: &'static Dir<'static>,
        path: &Path,
    ) -> Result<&'static [u8], OpenReadError> {
        files
            .get_file(path)
            .map(|f| f.contents())
            .ok_or_else(|| OpenReadError::FileDoesNotExist(path.to_path_buf()))
    }
}

fn read_only(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!("the index is read-only: {}", path.display()),
    )
}

impl Directory for ReadOnlyDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        match &self.files {
            Files::Embedded(files) => Ok(Arc::new(OwnedBytes::new(Self::embedded_bytes(
                files, path,
            )?))),
            Files::Mapped(dir, root) => {
                let full = root.join(path);
                shirube_kb::file::regular(&full)
                    .map_err(|e| OpenReadError::wrap_io_error(e, full))?;
                dir.get_file_handle(path)
            }
            Files::Read(dir) => Ok(Arc::new(OwnedBytes::new(Self::folder_bytes(dir, path)?))),
        }
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: Arc::new(read_only(path)),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        match &self.files {
            Files::Embedded(files) => Ok(files.get_file(path).is_some()),
            Files::Mapped(dir, _) => dir.exists(path),
            Files::Read(dir) => Ok(dir.join(path).exists()),
        }
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::wrap_io_error(
            read_only(path),
            PathBuf::from(path),
        ))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        match &self.files {
            Files::Embedded(files) => Ok(Self::embedded_bytes(files, path)?.to_vec()),
            // Small files (meta.json) are read whole either way, bounded.
            Files::Mapped(_, dir) | Files::Read(dir) => Self::folder_bytes(dir, path),
        }
    }

    fn atomic_write(&self, path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(read_only(path))
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, _callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        Ok(WatchHandle::empty())
    }
}
