//! Reading a file a user names: a configuration, a facts file, a knowledge base. Only a
//! regular file is read, and only up to a bound that says what the file must be: a name
//! that points at `/dev/zero`, a FIFO or a terminal would otherwise fill memory at the
//! speed of the kernel, or wait for ever.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// The bytes of the regular file `path`, refused when larger than `limit`.
pub fn read_bounded(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    regular(path)?;
    let mut bytes = Vec::new();
    File::open(path)?.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("larger than {}", size(limit)),
        ));
    }
    Ok(bytes)
}

/// An error unless `path` names a regular file (links followed), checked before opening it:
/// opening a FIFO waits for a writer.
pub fn regular(path: &Path) -> io::Result<()> {
    let meta = std::fs::metadata(path)?;
    if meta.is_file() {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is not a regular file", kind(&meta)),
        ))
    }
}

/// What a path that is not a regular file names, for a message.
fn kind(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let kind = meta.file_type();
    if kind.is_dir() {
        "a folder"
    } else if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "it"
    }
}

/// `limit` in the largest unit it is a whole number of: `64 KiB`, `4 MiB`.
fn size(limit: u64) -> String {
    match limit {
        n if n >= 1 << 20 && n % (1 << 20) == 0 => format!("{} MiB", n >> 20),
        n if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{} KiB", n >> 10),
        n => format!("{n} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_within_the_bound_are_read() {
        let dir = std::env::temp_dir().join(format!("shirube-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let small = dir.join("small");
        std::fs::write(&small, "abc").unwrap();
        assert_eq!(read_bounded(&small, 3).unwrap(), b"abc");
        let error = read_bounded(&small, 2).unwrap_err();
        assert_eq!(error.to_string(), "larger than 2 bytes");
        let error = read_bounded(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert_eq!(error.to_string(), "a device is not a regular file");
        let error = read_bounded(&dir, 1 << 20).unwrap_err();
        assert_eq!(error.to_string(), "a folder is not a regular file");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
