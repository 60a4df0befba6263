//! A read-only tantivy [`Directory`]: over the index embedded in the binary (served without
//! a copy), or over a `--kb` folder's index (memory-mapped).
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

/// Where the index files are read from.
#[derive(Clone, Debug)]
enum Files {
    Embedded(&'static Dir<'static>),
    Mapped(MmapDirectory),
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

    /// The index folder at `path`, memory-mapped.
    pub fn mapped(path: &Path) -> Result<Self, OpenDirectoryError> {
        Ok(ReadOnlyDirectory {
            files: Files::Mapped(MmapDirectory::open(path)?),
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
            Files::Mapped(dir) => dir.get_file_handle(path),
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
            Files::Mapped(dir) => dir.exists(path),
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
            Files::Mapped(dir) => dir.atomic_read(path),
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
