//! What `triage` reads: the arguments' files and folders, and each input by what it holds.
//!
//! An input is told by its first bytes, not its name, so a log piped in gzip-compressed, a
//! snapshot uploaded to `serve` or a `.tgz` inside a `.tar` is read the same way as a file
//! named for what it is: gzip is read through, a tar archive member by member (each named
//! `archive.tar.gz:path/inside`), anything else as lines. Archives nest at most
//! [`MAX_DEPTH`] deep.
//!
//! Memory stays constant whatever an archive declares: its extension headers (a GNU long
//! name or link, PAX records) are read only up to [`MAX_EXTENSION_BYTES`], and an archive
//! with a larger one is an error, named, instead of an allocation of its declared size.
//!
//! Folders are walked in name order; links inside them are not followed unless asked
//! (`--follow`), as `rg` and `grep -r` do: a link to `/` must not read the whole machine.
//! Arguments that are links are followed, since the user named them.

use super::{InputError, Tally, scan};
use crate::known_errors::KnownErrors;
use flate2::read::MultiGzDecoder;
use shirube_kb::error::io_reason;
use std::collections::HashSet;
use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};

/// Archives inside archives (gzip counts as one level), at most.
pub const MAX_DEPTH: usize = 4;
/// An extension header of a tar archive (a long name, PAX records), at most.
pub const MAX_EXTENSION_BYTES: u64 = 64 * 1024;
/// Bytes looked at to tell what an input holds: a tar header block.
const SNIFF: usize = 512;

/// Whether walking a folder follows the links in it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Links {
    /// Skip them, as `rg` does.
    #[default]
    Skip,
    /// Follow them, never into a folder twice.
    Follow,
}

/// Reads every input `paths` names (files, folders, `-` for stdin) through the known errors
/// into a tally. An input that cannot be read — a missing file, a folder that cannot be
/// listed, a corrupt archive — is recorded in [`Tally::errors`] and the rest are read, as
/// grep does.
pub fn scan_paths(known: &KnownErrors, paths: &[PathBuf], links: Links) -> Tally {
    let mut tally = Tally::default();
    let inputs = expand_inputs(paths, links, &mut tally.errors);
    for input in &inputs {
        let (name, result) = if input.as_os_str() == "-" {
            let name = "-".to_string();
            let result = scan_input(known, io::stdin().lock(), &name, &mut tally);
            (name, result)
        } else {
            let name = input.display().to_string();
            let result =
                File::open(input).and_then(|file| scan_input(known, file, &name, &mut tally));
            (name, result)
        };
        if let Err(e) = result {
            tally.errors.push(InputError {
                input: name,
                message: io_reason(&e),
            });
        }
    }
    tally
}

/// Streams one input, whatever it holds (see the module's documentation), into `tally`;
/// `name` names it in locations.
pub fn scan_input(
    known: &KnownErrors,
    reader: impl Read,
    name: &str,
    tally: &mut Tally,
) -> io::Result<()> {
    scan_nested(known, Box::new(reader), name, tally, 0)
}

/// What the first bytes of an input say it is.
enum Content {
    Gzip,
    Tar,
    Lines,
}

impl Content {
    fn of(head: &[u8]) -> Content {
        if head.starts_with(&[0x1f, 0x8b]) {
            Content::Gzip
        } else if head.len() >= 263 && &head[257..262] == b"ustar" {
            // POSIX ("ustar\0") and GNU ("ustar  ") archives alike.
            Content::Tar
        } else {
            Content::Lines
        }
    }
}

/// Reads one input at nesting `depth`; boxed, as archives in archives are the same reader
/// wrapped again.
fn scan_nested(
    known: &KnownErrors,
    mut reader: Box<dyn Read + '_>,
    name: &str,
    tally: &mut Tally,
    depth: usize,
) -> io::Result<()> {
    let mut head = Vec::with_capacity(SNIFF);
    (&mut reader).take(SNIFF as u64).read_to_end(&mut head)?;
    let content = Content::of(&head);
    let whole = Cursor::new(head).chain(reader);
    match content {
        Content::Lines => scan(known, whole, name, tally),
        _ if depth >= MAX_DEPTH => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("archives nested more than {MAX_DEPTH} deep"),
        )),
        Content::Gzip => {
            let inflated = Box::new(MultiGzDecoder::new(whole));
            scan_nested(known, inflated, name, tally, depth + 1)
        }
        Content::Tar => scan_archive(known, whole, name, tally, depth + 1),
    }
}

/// Streams every regular file of a tar archive, naming each `archive:path/inside`. A
/// damaged member is that member's error; damage to the archive itself (a header that
/// cannot be read, an oversized extension header) stops it there: what came before counts.
fn scan_archive(
    known: &KnownErrors,
    reader: impl Read,
    name: &str,
    tally: &mut Tally,
    depth: usize,
) -> io::Result<()> {
    let mut archive = tar::Archive::new(reader);
    // Raw: extension headers come as members of their own, read here within bounds (the
    // crate would read them whole, whatever size they declare).
    let mut extensions = Extensions::default();
    for member in archive.entries()?.raw(true) {
        let mut member = member?;
        let kind = member.header().entry_type();
        if kind.is_gnu_longname() || kind.is_pax_local_extensions() {
            let bytes = read_extension(&mut member)?;
            extensions.add(kind.is_gnu_longname(), &bytes)?;
            continue;
        }
        if kind.is_gnu_longlink() || kind.is_pax_global_extensions() {
            // Not needed to name a file: skipped, but within the same bound.
            read_extension(&mut member)?;
            continue;
        }
        let path = extensions.take_path();
        if !kind.is_file() {
            continue;
        }
        let inside = match path {
            Some(path) => path,
            None => member.path()?.display().to_string(),
        };
        let member_name = format!("{name}:{inside}");
        if let Err(e) = scan_nested(known, Box::new(&mut member), &member_name, tally, depth) {
            tally.errors.push(InputError {
                input: member_name,
                message: io_reason(&e),
            });
        }
    }
    Ok(())
}

/// The data of an extension header, refused when larger than [`MAX_EXTENSION_BYTES`].
fn read_extension(member: &mut impl Read) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    member
        .take(MAX_EXTENSION_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_EXTENSION_BYTES {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "an extension header (long name or PAX records) over {} KiB: not a log archive",
                MAX_EXTENSION_BYTES / 1024
            ),
        ));
    }
    Ok(bytes)
}

/// The extension headers that precede a member: its long name, or PAX records.
#[derive(Debug, Default)]
struct Extensions {
    path: Option<String>,
}

impl Extensions {
    /// Reads a GNU long name (`gnu`) or PAX records. A PAX `size` would move where the next
    /// header is, which the raw reading does not follow: such an archive is refused.
    fn add(&mut self, gnu: bool, bytes: &[u8]) -> io::Result<()> {
        if gnu {
            let name = bytes.split(|&b| b == 0).next().unwrap_or_default();
            self.path = Some(String::from_utf8_lossy(name).into_owned());
            return Ok(());
        }
        for record in pax_records(bytes) {
            match record {
                ("path", value) => self.path = Some(String::from_utf8_lossy(value).into_owned()),
                ("size", _) => {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "a member with a PAX size (over 8 GiB): not a log archive",
                    ));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The name the next member has from its extension headers; they apply to it alone.
    fn take_path(&mut self) -> Option<String> {
        self.path.take()
    }
}

/// The `key=value` records of PAX extension data (`LEN key=value\n` each); a malformed
/// record ends them.
fn pax_records(mut bytes: &[u8]) -> impl Iterator<Item = (&str, &[u8])> {
    std::iter::from_fn(move || {
        let space = bytes.iter().position(|&b| b == b' ')?;
        let length: usize = std::str::from_utf8(&bytes[..space]).ok()?.parse().ok()?;
        if length <= space + 1 || length > bytes.len() {
            return None;
        }
        let record = &bytes[space + 1..length];
        bytes = &bytes[length..];
        let record = record.strip_suffix(b"\n").unwrap_or(record);
        let equals = record.iter().position(|&b| b == b'=')?;
        let key = std::str::from_utf8(&record[..equals]).ok()?;
        Some((key, &record[equals + 1..]))
    })
}

/// The files to read for the arguments: `-` is stdin, a folder is walked, anything else is
/// a file. A folder that cannot be listed is an error for that folder.
fn expand_inputs(
    arguments: &[PathBuf],
    links: Links,
    errors: &mut Vec<InputError>,
) -> Vec<PathBuf> {
    let mut inputs = Vec::new();
    let mut visited = HashSet::new();
    for argument in arguments {
        if argument.as_os_str() == "-" || !argument.is_dir() {
            inputs.push(argument.clone());
        } else {
            walk(argument, links, &mut inputs, &mut visited, errors);
        }
    }
    inputs
}

/// Adds the files under `dir` in name order; never walks into a folder twice, so a link
/// loop followed with [`Links::Follow`] ends.
fn walk(
    dir: &Path,
    links: Links,
    into: &mut Vec<PathBuf>,
    visited: &mut HashSet<(u64, u64)>,
    errors: &mut Vec<InputError>,
) {
    use std::os::unix::fs::MetadataExt;
    let listed = std::fs::metadata(dir).and_then(|meta| {
        if !visited.insert((meta.dev(), meta.ino())) {
            return Ok(Vec::new());
        }
        let mut children: Vec<PathBuf> = std::fs::read_dir(dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        children.sort();
        Ok(children)
    });
    let children = match listed {
        Ok(children) => children,
        Err(e) => {
            errors.push(InputError {
                input: dir.display().to_string(),
                message: io_reason(&e),
            });
            return;
        }
    };
    for child in children {
        let is_link = child
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink());
        if is_link && links == Links::Skip {
            continue;
        }
        if child.is_dir() {
            walk(&child, links, into, visited, errors);
        } else if child.is_file() {
            into.push(child);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pax_records_are_read_by_their_length() {
        let data = b"30 mtime=1350244992.023960108\n19 path=logs/a.log\n";
        let records: Vec<(&str, &[u8])> = pax_records(data).collect();
        assert_eq!(
            records,
            vec![
                ("mtime", &b"1350244992.023960108"[..]),
                ("path", &b"logs/a.log"[..])
            ]
        );
        // A length past the end, or no length at all, ends the records.
        assert_eq!(pax_records(b"99 path=x\n").count(), 0);
        assert_eq!(pax_records(b"path=x\n").count(), 0);
    }

    #[test]
    fn content_is_told_by_its_first_bytes() {
        assert!(matches!(Content::of(&[0x1f, 0x8b, 8, 0]), Content::Gzip));
        let mut header = vec![0; 512];
        header[257..263].copy_from_slice(b"ustar\0");
        assert!(matches!(Content::of(&header), Content::Tar));
        assert!(matches!(
            Content::of(b"Docker service is not active\n"),
            Content::Lines
        ));
    }
}
