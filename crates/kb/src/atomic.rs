//! Writes that leave either the old file or the new one, never a mix: the new content goes
//! to a temporary file in the same folder, then a rename puts it in place. A full disk or a
//! kill mid-write leaves the old file whole; a symlink at the target is replaced, not
//! written through. Readers that have the old file open or mapped keep it.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

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

/// Writes `bytes` to `path` atomically.
pub fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let temporary = sibling(path, "tmp");
    let result = (|| {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temporary, path)
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

/// Puts the folder `built` at `target`, moving any folder there aside first and removing it
/// after: readers never see a half-written folder, and those that opened files of the old
/// one keep them (removing an open or mapped file keeps its contents until closed).
pub fn replace_dir(built: &Path, target: &Path) -> io::Result<()> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
