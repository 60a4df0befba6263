//! A read-only tantivy [`Directory`]: over the index embedded in the binary (served without
//! a copy), or over a `--kb` folder's index (each file read whole when tantivy opens it).
//!
//! A `--kb` folder's files are read, not memory-mapped: a file edited in place under a
//! mapping kills the reader with SIGBUS, and a long-lived `serve` must not die because
//! someone rebuilt a folder by hand. They are small (an index of 200 entries is about a
//! megabyte), and each is read only if it is a regular file within [`MAX_KB_FILE`].
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
    Directory, DirectoryLock, FileHandle, Lock, OwnedBytes, WatchCallback, WatchHandle, WritePtr,
};

/// A file of a `--kb` folder, at most: far above any knowledge base of known issues, far
/// below what `/dev/zero` behind a name would make of memory.
pub const MAX_KB_FILE: u64 = 256 << 20;

/// Where the index files are read from.
#[derive(Clone, Debug)]
enum Files {
    Embedded(&'static Dir<'static>),
    Folder(PathBuf),
}

/// A file of a `--kb` folder, whole: a regular file of at most [`MAX_KB_FILE`].
pub fn read_kb_file(path: &Path) -> io::Result<Vec<u8>> {
    shirube_kb::file::read_bounded(path, MAX_KB_FILE)
}

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

    /// The index folder at `path`.
    pub fn folder(path: &Path) -> Result<Self, OpenDirectoryError> {
        if !path.is_dir() {
            return Err(OpenDirectoryError::NotADirectory(path.to_path_buf()));
        }
        Ok(ReadOnlyDirectory {
            files: Files::Folder(path.to_path_buf()),
        })
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
            Files::Folder(dir) => Ok(Arc::new(OwnedBytes::new(Self::folder_bytes(dir, path)?))),
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
            Files::Folder(dir) => Ok(dir.join(path).exists()),
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
            Files::Folder(dir) => Self::folder_bytes(dir, path),
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
