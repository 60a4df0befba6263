//! The knowledge pack: a knowledge base as one file, carried to an air-gapped host and
//! checked there. `index-build pack` writes it and signs it with minisign (a detached
//! `NAME.kbpack.minisig` beside it); `shirube kb add` verifies it and installs it.
//!
//! A pack is a tar archive of two members, in this order:
//!
//! - `manifest.json`: the [`Manifest`], which says what the pack is and holds the SHA-256 of
//!   the entries;
//! - `kb.json`: the entries, as [`crate::built::encode`] writes them, each naming the pack.
//!
//! It carries neither an index nor the dictionary: the binary has the dictionary, and it
//! builds one index over its own entries and every installed pack's, so that a question is
//! ranked over all of them at once.

use crate::error::io_reason;
use crate::{Error, ErrorKind, KnowledgeBase, Version, built};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::io::Read;

/// The name the knowledge base built into the binary goes by, where a pack goes by its own:
/// what a result's `kb` field says.
pub const BUILT_IN: &str = "built-in";

/// The format this build writes and the newest it reads.
pub const FORMAT: u32 = 1;
/// The file name extension of a pack.
pub const EXTENSION: &str = "kbpack";
/// The extension minisign gives a detached signature, after the pack's own name.
pub const SIGNATURE_EXTENSION: &str = "minisig";
/// The manifest member.
const MANIFEST_MEMBER: &str = "manifest.json";
/// The entries member.
const ENTRIES_MEMBER: &str = "kb.json";
/// A pack is refused beyond this size: 100,000 entries take about a tenth of it.
pub const MAX_PACK_BYTES: u64 = 512 * 1024 * 1024;

/// What a pack says of itself. Every field but the title and the build is checked against
/// the contents when the pack is read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The pack format ([`FORMAT`]); a reader refuses a newer one.
    pub format: u32,
    /// The pack's name ([`valid_name`]): installing a pack of the same name replaces it.
    pub name: String,
    /// What the pack holds, in a line.
    pub title: String,
    /// Its source documents' titles.
    pub sources: Vec<String>,
    /// The releases its entries name (affected from, fixed in, upgrading to), in order.
    pub releases: Vec<String>,
    /// How many entries it holds.
    pub entries: usize,
    /// When it was built, `YYYY-MM-DDTHH:MM:SSZ`.
    pub built: String,
    /// The program and version that built it (`index-build 0.1.0`).
    pub built_by: String,
    /// The SHA-256 of the entries member, in lower-case hex.
    pub sha256: String,
}

/// Only the format, read before the rest: a newer manifest may hold fields this build does
/// not know, and the reader should say "newer format" rather than "unknown field".
#[derive(Deserialize)]
struct FormatOnly {
    format: u32,
}

impl Manifest {
    /// The manifest of `kb` (whose entries file is `kb_json`) as the pack `name`.
    pub fn describe(
        name: &str,
        title: &str,
        kb: &KnowledgeBase,
        kb_json: &[u8],
        built: String,
        built_by: String,
    ) -> Manifest {
        Manifest {
            format: FORMAT,
            name: name.to_string(),
            title: title.to_string(),
            sources: kb.sources.iter().map(|s| s.title.clone()).collect(),
            releases: releases(kb),
            entries: kb.entries.len(),
            built,
            built_by,
            sha256: sha256_hex(kb_json),
        }
    }
}

/// A minisign key's id as minisign prints it: its eight key-number bytes, read
/// little-endian, in upper-case hex.
pub fn key_id(keynum: &[u8]) -> String {
    keynum.iter().rev().map(|b| format!("{b:02X}")).collect()
}

/// Whether `name` can name a pack: 1 to 64 lower-case ASCII letters, digits and dashes,
/// starting with a letter or digit. It is a file name on every host the pack reaches.
pub fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
}

/// The releases the entries of `kb` name, in order.
fn releases(kb: &KnowledgeBase) -> Vec<String> {
    let mut named = BTreeSet::new();
    for entry in &kb.entries {
        let versions = &entry.versions;
        let ranges = versions.affected.iter().flatten();
        for range in ranges.chain(&versions.upgrade_to) {
            named.insert(range.introduced.clone());
            if let Some(end) = &range.end {
                named.insert(match end {
                    crate::version::RangeEnd::Fixed(v)
                    | crate::version::RangeEnd::LastAffected(v) => v.clone(),
                });
            }
        }
        named.extend(versions.fixed_in.clone());
    }
    named.remove(&Version::zero());
    named.iter().map(Version::to_string).collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The pack file of `manifest` and the entries file `kb_json`.
pub fn write(manifest: &Manifest, kb_json: &[u8]) -> Result<Vec<u8>, Error> {
    let manifest = serde_json::to_vec_pretty(manifest).map_err(|e| Error::new(e.to_string()))?;
    let mut archive = tar::Builder::new(Vec::new());
    for (name, bytes) in [(MANIFEST_MEMBER, &manifest[..]), (ENTRIES_MEMBER, kb_json)] {
        // Fixed owner, mode and time: the same knowledge base packs to the same bytes.
        let mut header = tar::Header::new_ustar();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_entry_type(tar::EntryType::Regular);
        archive
            .append_data(&mut header, name, bytes)
            .map_err(|e| Error::new(format!("cannot write the pack: {e}")))?;
    }
    archive
        .into_inner()
        .map_err(|e| Error::new(format!("cannot write the pack: {e}")))
}

/// A pack read and checked: its manifest agrees with its contents.
#[derive(Debug)]
pub struct Pack {
    /// What it says of itself.
    pub manifest: Manifest,
    /// Its entries, each decoded and checked.
    pub kb: KnowledgeBase,
}

/// A pack that is not what it claims to be.
fn refused(message: impl Into<String>) -> Error {
    Error::new(message).with_kind(ErrorKind::VerificationFailed)
}

/// A file whose tar structure cannot be read. tar's own message quotes the header it
/// read, which for a file that is no archive is whatever text it holds: not repeated.
fn not_an_archive(_: std::io::Error) -> Error {
    refused("it is not a pack: not a whole tar archive")
}

/// Reads the pack `bytes` (its signature already checked by the caller) and checks that it
/// is whole, of a format this build reads, and that its manifest agrees with its entries.
/// The entries file is kept for as long as the process runs, like every entries file.
pub fn read(bytes: &[u8]) -> Result<Pack, Error> {
    let mut archive = tar::Archive::new(bytes);
    let members = archive.entries().map_err(not_an_archive)?;
    let mut found: Vec<(String, Vec<u8>)> = Vec::new();
    for member in members {
        let mut member = member.map_err(not_an_archive)?;
        let name = member
            .path()
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut content = Vec::new();
        member
            .read_to_end(&mut content)
            .map_err(|e| refused(format!("it is not a whole pack: {name}: {}", io_reason(&e))))?;
        if content.len() as u64 != member.header().size().unwrap_or(u64::MAX) {
            return Err(refused(format!(
                "it is not a whole pack: {name} is cut short"
            )));
        }
        found.push((name, content));
    }
    let members = found.len();
    let Ok([(manifest_name, manifest), (entries_name, kb_json)]) = <[_; 2]>::try_from(found) else {
        return Err(refused(format!(
            "it holds {members} members where a pack holds {MANIFEST_MEMBER} and {ENTRIES_MEMBER}"
        )));
    };
    if manifest_name != MANIFEST_MEMBER || entries_name != ENTRIES_MEMBER {
        return Err(refused(format!(
            "it holds {manifest_name} and {entries_name} where a pack holds {MANIFEST_MEMBER} and {ENTRIES_MEMBER}"
        )));
    }
    let format: FormatOnly = serde_json::from_slice(&manifest)
        .map_err(|e| refused(format!("its manifest is unreadable: {e}")))?;
    if format.format > FORMAT {
        return Err(refused(format!(
            "it is of pack format {}, newer than this shirube reads ({FORMAT})",
            format.format
        ))
        .with_hint("install a newer shirube, or ask for a pack built for this one"));
    }
    let manifest: Manifest = serde_json::from_slice(&manifest)
        .map_err(|e| refused(format!("its manifest is unreadable: {e}")))?;
    if sha256_hex(&kb_json) != manifest.sha256 {
        return Err(refused(
            "its entries do not have the SHA-256 its manifest states",
        ));
    }
    if !valid_name(&manifest.name) {
        return Err(refused(format!(
            "its name {:?} is not a pack name (a-z, 0-9, -)",
            manifest.name
        )));
    }
    let kb_json: &'static [u8] = Box::leak(kb_json.into_boxed_slice());
    let kb = built::decode(kb_json, format!("{}.{EXTENSION}", manifest.name))
        .map_err(|e| refused(format!("its entries are unreadable: {e}")))?;
    kb.validate()
        .map_err(|e| refused(format!("its entries are unreadable: {e}")))?;
    if let Some(entry) = kb
        .entries
        .iter()
        .find(|e| e.pack.as_deref() != Some(&manifest.name))
    {
        return Err(refused(format!(
            "its entry {} does not name the pack {}",
            entry.id, manifest.name
        )));
    }
    let described = Manifest::describe(
        &manifest.name,
        &manifest.title,
        &kb,
        kb_json,
        manifest.built.clone(),
        manifest.built_by.clone(),
    );
    if described != manifest {
        return Err(refused(
            "its manifest does not describe its entries (count, sources or releases differ)",
        ));
    }
    Ok(Pack { manifest, kb })
}

/// The manifest of the pack `bytes`, read without checking the entries: for listing
/// installed packs, which were checked when they were installed.
pub fn manifest_of(bytes: &[u8]) -> Result<Manifest, Error> {
    let mut archive = tar::Archive::new(bytes);
    let mut members = archive.entries().map_err(not_an_archive)?;
    let mut first = members
        .next()
        .ok_or_else(|| refused("it is empty"))?
        .map_err(not_an_archive)?;
    let mut manifest = Vec::new();
    first.read_to_end(&mut manifest).map_err(not_an_archive)?;
    serde_json::from_slice(&manifest)
        .map_err(|e| refused(format!("its manifest is unreadable: {e}")))
}
