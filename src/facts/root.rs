//! Reading a host's files under a root the probes may not leave.
//!
//! `doctor --root DIR` probes a copied or mounted root filesystem, which may hold symbolic
//! links that point anywhere: `etc/hostname -> /etc/shadow` must not put the probing host's
//! secrets into a facts file, and `etc/os-release -> /etc/os-release` must not pass the
//! probing host's OS off as the node's. Every path is therefore resolved one component at a
//! time from a descriptor of the root, as the kernel's `openat2(RESOLVE_IN_ROOT)` would
//! (which kernels before 5.6 lack): an absolute link target starts again at the root, `..`
//! stops at it, so a link can name only files inside it. Only regular files are read, opened
//! without blocking, and only up to a bound: a FIFO, a device or `/dev/zero` behind a
//! name gives an unknown fact, never a hang or a flood. Every failure is a reason a fact is
//! unknown (`cannot read /etc/hostname: permission denied`), never a guess.

use rustix::fs::{Dir, FileType, Mode, OFlags, fstat, openat, readlinkat};
use rustix::io::Errno;
use std::io::Read;
use std::os::fd::{AsFd, OwnedFd};
use std::path::Path;
use std::sync::Arc;

/// Links followed while resolving one path, at most (the kernel's own limit).
const MAX_LINKS: usize = 40;

/// A root directory, opened once; cheap to clone into a probe's thread.
#[derive(Clone, Debug)]
pub struct Root {
    dir: Arc<OwnedFd>,
    /// Whether the root is `/`: this host, whose environment is the node's too.
    this_host: bool,
}

/// A name resolved inside the root: the directory holding it, its last component and what
/// is there (links followed).
struct Resolved {
    parent: Option<OwnedFd>,
    name: String,
    kind: FileType,
}

impl Root {
    /// Opens the root directory `path` (itself named by the user, so followed if a link).
    pub(crate) fn open(path: &Path) -> Result<Root, String> {
        let dir = openat(
            rustix::fs::CWD,
            path,
            OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(|e| format!("cannot open {}: {}", path.display(), reason(e)))?;
        let this_host = path.canonicalize().is_ok_and(|p| p == Path::new("/"));
        Ok(Root {
            dir: Arc::new(dir),
            this_host,
        })
    }

    /// Whether the root is this host's own `/`.
    pub fn is_this_host(&self) -> bool {
        self.this_host
    }

    /// Where a fact came from: the path as it is on the probed host.
    pub fn shown(rel: &str) -> String {
        format!("/{}", rel.trim_start_matches('/'))
    }

    /// The regular file `rel`, at most `limit` bytes of it, as text (invalid UTF-8 replaced).
    pub(crate) fn read(&self, rel: &str, limit: u64) -> Result<String, String> {
        let fail = |why: String| format!("cannot read {}: {why}", Root::shown(rel));
        let resolved = self.resolve(rel).map_err(|e| fail(reason(e)))?;
        if resolved.kind != FileType::RegularFile {
            return Err(fail(format!(
                "it is {}, not a file",
                kind_name(resolved.kind)
            )));
        }
        let file = openat(
            self.parent(&resolved),
            resolved.name.as_str(),
            OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(|e| fail(reason(e)))?;
        // What was opened is what was checked: a name swapped for a FIFO or a device in
        // between is refused here.
        let kind = fstat(&file)
            .map(|stat| FileType::from_raw_mode(stat.st_mode))
            .map_err(|e| fail(reason(e)))?;
        if kind != FileType::RegularFile {
            return Err(fail(format!("it is {}, not a file", kind_name(kind))));
        }
        let mut bytes = Vec::new();
        std::fs::File::from(file)
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(|e| fail(shirube_kb::error::io_reason(&e).to_lowercase()))?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// Whether something is at `rel` (links followed inside the root). A name that cannot
    /// be looked at (a folder only root may search) is an error, not a "no".
    pub(crate) fn exists(&self, rel: &str) -> Result<bool, String> {
        match self.resolve(rel) {
            Ok(_) => Ok(true),
            Err(Errno::NOENT | Errno::NOTDIR) => Ok(false),
            Err(e) => Err(format!(
                "cannot look at {}: {}",
                Root::shown(rel),
                reason(e)
            )),
        }
    }

    /// The names in the folder `rel`, sorted, without `.` and `..`.
    pub(crate) fn list(&self, rel: &str) -> Result<Vec<String>, String> {
        let fail = |e: Errno| format!("cannot read {}: {}", Root::shown(rel), reason(e));
        let resolved = self.resolve(rel).map_err(fail)?;
        if resolved.kind != FileType::Directory {
            return Err(fail(Errno::NOTDIR));
        }
        let dir = openat(
            self.parent(&resolved),
            resolved.name.as_str(),
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(fail)?;
        let mut names = Vec::new();
        for entry in Dir::new(dir).map_err(fail)? {
            let name = entry
                .map_err(fail)?
                .file_name()
                .to_string_lossy()
                .into_owned();
            if name != "." && name != ".." {
                names.push(name);
            }
        }
        names.sort();
        Ok(names)
    }

    /// Where the link `rel` points, without following it (its folders are followed inside
    /// the root).
    pub(crate) fn read_link(&self, rel: &str) -> Result<String, String> {
        let fail = |e: Errno| format!("cannot read {}: {}", Root::shown(rel), reason(e));
        let (parent, name) = match rel.trim_end_matches('/').rsplit_once('/') {
            Some((folder, name)) => {
                let folder = self.resolve(folder).map_err(fail)?;
                if folder.kind != FileType::Directory {
                    return Err(fail(Errno::NOTDIR));
                }
                (Some(self.reopen(&folder).map_err(fail)?), name)
            }
            None => (None, rel),
        };
        let dir = parent.as_ref().map_or(self.dir.as_fd(), AsFd::as_fd);
        let target = readlinkat(dir, name, Vec::new()).map_err(fail)?;
        Ok(target.to_string_lossy().into_owned())
    }

    /// The folder holding a resolved name.
    fn parent<'a>(&'a self, resolved: &'a Resolved) -> std::os::fd::BorrowedFd<'a> {
        resolved
            .parent
            .as_ref()
            .map_or(self.dir.as_fd(), AsFd::as_fd)
    }

    /// A descriptor of a resolved folder, to resolve names in it.
    fn reopen(&self, resolved: &Resolved) -> Result<OwnedFd, Errno> {
        openat(
            self.parent(resolved),
            resolved.name.as_str(),
            OFlags::PATH | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
        )
    }

    /// Resolves `rel` inside the root, following links the way a process chrooted there
    /// would see them.
    fn resolve(&self, rel: &str) -> Result<Resolved, Errno> {
        // The folders walked into, below the root; `..` pops one, and never the root.
        let mut folders: Vec<OwnedFd> = Vec::new();
        let mut pending: Vec<String> = components(rel).rev().map(str::to_string).collect();
        let mut links = 0;
        while let Some(name) = pending.pop() {
            if name == ".." {
                folders.pop();
                continue;
            }
            let here = folders.last().map_or(self.dir.as_fd(), AsFd::as_fd);
            let found = openat(
                here,
                name.as_str(),
                OFlags::PATH | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::empty(),
            )?;
            let kind = FileType::from_raw_mode(fstat(&found)?.st_mode);
            if kind == FileType::Symlink {
                links += 1;
                if links > MAX_LINKS {
                    return Err(Errno::LOOP);
                }
                let target = readlinkat(here, name.as_str(), Vec::new())?;
                let target = target.to_string_lossy();
                if target.starts_with('/') {
                    folders.clear();
                }
                pending.extend(components(&target).rev().map(str::to_string));
                continue;
            }
            if pending.is_empty() {
                return Ok(Resolved {
                    parent: folders.pop(),
                    name,
                    kind,
                });
            }
            if kind != FileType::Directory {
                return Err(Errno::NOTDIR);
            }
            folders.push(found);
        }
        // The path ended in a folder reached through `..` or a link, or named the root: it
        // is `.` in itself.
        Ok(Resolved {
            parent: folders.pop(),
            name: ".".to_string(),
            kind: FileType::Directory,
        })
    }
}

/// The components of a path that name something (`.` and empty ones dropped).
fn components(path: &str) -> impl DoubleEndedIterator<Item = &str> {
    path.split('/').filter(|c| !c.is_empty() && *c != ".")
}

/// An error as the reason a fact is unknown: `permission denied`.
fn reason(errno: Errno) -> String {
    let error = std::io::Error::from(errno);
    shirube_kb::error::io_reason(&error).to_lowercase()
}

fn kind_name(kind: FileType) -> &'static str {
    match kind {
        FileType::Directory => "a folder",
        FileType::Fifo => "a FIFO",
        FileType::CharacterDevice | FileType::BlockDevice => "a device",
        FileType::Socket => "a socket",
        FileType::Symlink => "a link",
        _ => "not a regular file",
    }
}
