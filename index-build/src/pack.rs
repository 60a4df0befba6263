//! Keys and packs: `index-build keygen` makes a minisign key pair, `index-build pack` lints
//! a knowledge-base folder, writes it as one pack file ([`shirube_kb::pack`]) and signs it
//! with a detached minisign signature, so a site can check it with `shirube kb verify` or
//! with the `minisign` tool itself.

use minisign::{KeyPair, PublicKey, SecretKey, SecretKeyBox};
use shirube_kb::atomic::write_file;
use shirube_kb::pack::{self, EXTENSION, Manifest, SIGNATURE_EXTENSION, key_id};
use shirube_kb::{Error, date, load_kb};
use std::fs;
use std::io::Cursor;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// The secret key's file name in the folder `keygen` writes.
pub const SECRET_KEY_FILE: &str = "shirube-kb.key";
/// The public key's file name in the folder `keygen` writes.
pub const PUBLIC_KEY_FILE: &str = "shirube-kb.pub";

fn signing_error(what: &str, error: impl std::fmt::Display) -> Error {
    Error::new(format!("{what}: {error}"))
}

/// Writes a new key pair into `out_dir`: [`SECRET_KEY_FILE`] (readable by its owner only)
/// and [`PUBLIC_KEY_FILE`], in minisign's formats. An existing key is never overwritten: a
/// lost secret key cannot sign again for the sites that trust it. Returns the key id.
pub fn keygen(out_dir: &Path) -> Result<(String, PathBuf, PathBuf), Error> {
    let secret_path = out_dir.join(SECRET_KEY_FILE);
    let public_path = out_dir.join(PUBLIC_KEY_FILE);
    for path in [&secret_path, &public_path] {
        if path.exists() {
            return Err(Error::invalid(format!("{} already exists", path.display()))
                .with_hint("keep the key you have, or choose another --out folder"));
        }
    }
    fs::create_dir_all(out_dir).map_err(|e| Error::writing(&out_dir.display().to_string(), &e))?;
    let KeyPair { pk, sk } = KeyPair::generate_unencrypted_keypair()
        .map_err(|e| signing_error("cannot make a key", e))?;
    let id = key_id(pk.keynum());
    let secret = sk
        .to_box(Some(&format!("shirube knowledge-pack secret key {id}")))
        .map_err(|e| signing_error("cannot write the secret key", e))?;
    let public = pk
        .to_box()
        .map_err(|e| signing_error("cannot write the public key", e))?;
    // The secret key is private before its first byte is written.
    let staging = out_dir.join(format!(".{SECRET_KEY_FILE}.new"));
    let created = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&staging)
        .and_then(|file| {
            file.set_permissions(fs::Permissions::from_mode(0o600))?;
            std::io::Write::write_all(&mut &file, secret.to_string().as_bytes())?;
            file.sync_all()
        })
        .and_then(|()| fs::rename(&staging, &secret_path));
    if let Err(e) = created {
        let _ = fs::remove_file(&staging);
        return Err(Error::writing(&secret_path.display().to_string(), &e));
    }
    write_file(&public_path, public.to_string().as_bytes())
        .map_err(|e| Error::writing(&public_path.display().to_string(), &e))?;
    Ok((id, secret_path, public_path))
}

/// Reads an unencrypted minisign secret key.
fn read_secret_key(path: &Path) -> Result<SecretKey, Error> {
    let text = fs::read_to_string(path).map_err(|e| {
        Error::invalid(format!(
            "cannot read the key {}: {}",
            path.display(),
            shirube_kb::error::io_reason(&e)
        ))
    })?;
    let not_a_key = |e: minisign::PError| {
        Error::invalid(format!(
            "{} is not a minisign secret key: {e}",
            path.display()
        ))
        .with_hint("give the shirube-kb.key that `index-build keygen` wrote")
    };
    let key_box = SecretKeyBox::from_string(&text).map_err(not_a_key)?;
    key_box.into_unencrypted_secret_key().map_err(|e| {
        Error::invalid(format!("{}: cannot use this key: {e}", path.display()))
            .with_hint("index-build signs with an unencrypted key, as `index-build keygen` writes")
    })
}

/// What `pack` wrote.
#[derive(Debug)]
pub struct Packed {
    /// The pack's manifest.
    pub manifest: Manifest,
    /// The pack file.
    pub pack: PathBuf,
    /// Its detached signature.
    pub signature: PathBuf,
    /// The id of the key that signed it.
    pub key_id: String,
    /// The pack's size in bytes.
    pub bytes: usize,
}

/// Lints `kb_dir`, writes its entries as the pack `out` (named after the file: `NAME.kbpack`)
/// and signs it with the secret key at `key`, the signature beside it. A lint problem is
/// [`crate::BuildError::Invalid`], as for `build`.
pub fn pack(
    kb_dir: &Path,
    key: &Path,
    out: &Path,
    title: Option<&str>,
) -> Result<Packed, crate::BuildError> {
    let name = out
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_suffix(&format!(".{EXTENSION}")))
        .unwrap_or_default()
        .to_string();
    if !pack::valid_name(&name) {
        return Err(Error::invalid(format!(
            "{}: a pack is written as NAME.{EXTENSION}, NAME of a-z, 0-9 and -",
            out.display()
        ))
        .into());
    }
    let secret = read_secret_key(key)?;
    let public = PublicKey::from_secret_key(&secret)
        .map_err(|e| signing_error("cannot read the public half of the key", e))?;
    let mut kb = load_kb(kb_dir).map_err(crate::BuildError::Invalid)?;
    if kb.entries.is_empty() {
        return Err(Error::invalid(format!("{} holds no entries", kb_dir.display())).into());
    }
    let entries: Vec<_> = kb
        .entries
        .iter()
        .map(|entry| {
            let mut entry = entry.clone();
            entry.pack = Some(name.clone());
            entry
        })
        .collect();
    kb.entries = entries.into();
    let now = date::build_time();
    kb.build_id = format!("{name}-{now}");
    let kb_json = shirube_kb::built::encode(&kb).map_err(|e| Error::new(e.to_string()))?;
    let title = title.map_or_else(
        || {
            kb.sources
                .iter()
                .map(|s| s.title.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        },
        str::to_string,
    );
    let manifest = Manifest::describe(
        &name,
        &title,
        &kb,
        kb_json.as_bytes(),
        date::utc_instant(now),
        format!("index-build {}", env!("CARGO_PKG_VERSION")),
    );
    let bytes = pack::write(&manifest, kb_json.as_bytes())?;
    let trusted = format!("shirube pack {name} built {}", manifest.built);
    let signature = minisign::sign(
        Some(&public),
        &secret,
        Cursor::new(&bytes),
        Some(&trusted),
        Some("signature from a shirube knowledge-pack key"),
    )
    .map_err(|e| signing_error("cannot sign the pack", e))?;
    let signature_path = PathBuf::from(format!("{}.{SIGNATURE_EXTENSION}", out.display()));
    write_file(out, &bytes).map_err(|e| Error::writing(&out.display().to_string(), &e))?;
    write_file(&signature_path, signature.to_string().as_bytes())
        .map_err(|e| Error::writing(&signature_path.display().to_string(), &e))?;
    Ok(Packed {
        manifest,
        pack: out.to_path_buf(),
        signature: signature_path,
        key_id: key_id(public.keynum()),
        bytes: bytes.len(),
    })
}
