//! Writes that leave either the old file or the new one, never a mix: the new content goes
//! to a temporary file in the same folder, then a rename puts it in place. A full disk or a
//! kill mid-write leaves the old file whole. Readers that have the old file open or mapped
//! keep it.
//!
//! Only a regular file (or nothing) is replaced that way, the way `sort -o` treats its
//! output: a symlink at the target stays a link and the file it names is replaced, with its
//! mode and owner kept; a device, a FIFO or `/dev/stdout` is written through, never turned
//! into a regular file.

use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// Links followed to find the file a path names, at most (the kernel's own limit).
const MAX_LINKS: usize = 40;

/// A sibling of `path` no other process uses: `.name.tmp-PID-N`.
fn sibling(path: &Path, what: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}.{what}-{}-{n}", std::process::id()))
}

/// Writes `bytes` to `path`: atomically when it names a regular file or nothing (through
/// any links), straight into it when it names anything else.
pub fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    match fs::metadata(path) {
        Ok(meta) if !meta.is_file() => write_through(path, bytes),
        Ok(meta) => replace(&fs::canonicalize(path)?, bytes, Some(&meta)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => replace(&link_target(path)?, bytes, None),
        Err(e) => Err(e),
    }
}

/// Writes into what is there (a device, a FIFO, a terminal), as a shell's `>` would.
fn write_through(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(path)?;
    file.write_all(bytes)?;
    file.flush()
}

/// Where a path that names nothing yet will be created: itself, or the end of the chain of
/// (dangling) links it starts.
fn link_target(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&current)?;
                current = match current.parent() {
                    Some(folder) => folder.join(target),
                    None => target,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// Puts `bytes` at `target` through a temporary file beside it, which takes the old file's
/// mode and owner (when there was one and this user may give them).
fn replace(target: &Path, bytes: &[u8], old: Option<&fs::Metadata>) -> io::Result<()> {
    let temporary = sibling(target, "tmp");
    let result = (|| {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)?;
        if let Some(old) = old {
            // Only root may give a file away; anyone else's copy is theirs, as with an editor.
            // (Before the mode: a change of owner clears set-id bits.)
            let _ = std::os::unix::fs::fchown(&file, Some(old.uid()), Some(old.gid()));
            file.set_permissions(old.permissions())?;
        }
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temporary, target)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result
}

/// A folder to build into before [`replace_dir`] puts it at `target`.
pub fn staging_dir(target: &Path) -> PathBuf {
    sibling(target, "building")
}

/// Puts the folder `built` at `target` in one step: readers see the old folder or the new
/// one, never none (the two are exchanged with `renameat2(RENAME_EXCHANGE)` where the file
/// system has it, else moved in two renames), and those that opened files of the old one
/// keep them. The new folder's files become readable as this user's umask allows: some
/// writers (tantivy's `meta.json`, through a temporary file) make them private.
pub fn replace_dir(built: &Path, target: &Path) -> io::Result<()> {
    readable_per_umask(built)?;
    match exchange(built, target) {
        // `built` now holds the old folder.
        Ok(()) => {
            let _ = fs::remove_dir_all(built);
            return Ok(());
        }
        // Nothing to exchange with, or a file system without exchange: two renames.
        Err(e)
            if e.kind() == io::ErrorKind::NotFound
                || e.raw_os_error() == Some(rustix::io::Errno::INVAL.raw_os_error()) => {}
        Err(e) => return Err(e),
    }
    let old = sibling(target, "old");
    let had_old = match fs::rename(target, &old) {
        Ok(()) => true,
        Err(e) if e.kind() == io::ErrorKind::NotFound => false,
        Err(e) => return Err(e),
    };
    if let Err(e) = fs::rename(built, target) {
        if had_old {
            let _ = fs::rename(&old, target);
        }
        return Err(e);
    }
    if had_old {
        let _ = fs::remove_dir_all(&old);
    }
    Ok(())
}

/// Exchanges `a` and `b` atomically; both must exist.
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

/// Gives every file under `dir` the mode a new file of this user gets (0666 less the umask),
/// every folder 0777 less the umask. The umask is read off a file made for the purpose:
/// the process's own cannot be read without changing it.
fn readable_per_umask(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let probe = sibling(&dir.join("umask"), "probe");
    let file_mode = {
        let file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&probe)?;
        let mode = file.metadata()?.permissions().mode() & 0o777;
        drop(file);
        fs::remove_file(&probe)?;
        mode
    };
    // Folders: what the umask leaves of 0777, where it left read on files.
    let dir_mode = file_mode | ((file_mode & 0o444) >> 2);
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        fs::set_permissions(&folder, fs::Permissions::from_mode(dir_mode))?;
        for child in fs::read_dir(&folder)? {
            let child = child?;
            let kind = child.file_type()?;
            if kind.is_dir() {
                folders.push(child.path());
            } else if kind.is_file() {
                fs::set_permissions(child.path(), fs::Permissions::from_mode(file_mode))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replaced_folder_is_readable_as_the_umask_allows_and_swapped_whole() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let umask_mode = {
            let probe = dir.path().join("probe");
            fs::write(&probe, "").unwrap();
            fs::metadata(&probe).unwrap().permissions().mode() & 0o777
        };
        let target = dir.path().join("kb");
        for round in ["1", "2"] {
            let built = staging_dir(&target);
            fs::create_dir_all(built.join("index")).unwrap();
            let private = built.join("index/meta.json");
            fs::write(&private, round).unwrap();
            fs::set_permissions(&private, fs::Permissions::from_mode(0o600)).unwrap();
            replace_dir(&built, &target).unwrap();
            let mode = fs::metadata(target.join("index/meta.json"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, umask_mode, "round {round}");
            assert_eq!(
                fs::read_to_string(target.join("index/meta.json")).unwrap(),
                round
            );
        }
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left.len(), 2, "the probe and kb only: {left:?}");
    }

    #[test]
    fn a_write_replaces_the_file_and_leaves_no_temporary() {
        let dir = std::env::temp_dir().join(format!("shirube-atomic-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let target = dir.join("out.md");
        fs::write(&target, "old").unwrap();
        write_file(&target, b"new").unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        // A folder that does not exist: an error, and the old file elsewhere untouched.
        assert!(write_file(&dir.join("missing/out.md"), b"x").is_err());
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1, "no temporary left");

        let built = staging_dir(&dir.join("kb"));
        fs::create_dir_all(&built).unwrap();
        fs::write(built.join("kb.json"), "1").unwrap();
        replace_dir(&built, &dir.join("kb")).unwrap();
        let built = staging_dir(&dir.join("kb"));
        fs::create_dir_all(&built).unwrap();
        fs::write(built.join("kb.json"), "2").unwrap();
        replace_dir(&built, &dir.join("kb")).unwrap();
        assert_eq!(fs::read_to_string(dir.join("kb/kb.json")).unwrap(), "2");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 2, "out.md and kb only");
        fs::remove_dir_all(&dir).unwrap();
    }
}
