//! Whether a knowledge pack is provably the one its author built: its detached minisign
//! signature (`NAME.kbpack.minisig`) checks with a key this host trusts, then its format,
//! its digest and its manifest check ([`shirube_kb::pack::read`]). Workarounds are
//! commands an engineer runs as root: a pack that fails any of it is refused whole.

use minisign::{PublicKey, PublicKeyBox, SignatureBox};
use shirube_kb::error::io_reason;
use shirube_kb::pack::{self, MAX_PACK_BYTES, Pack, SIGNATURE_EXTENSION, key_id};
use shirube_kb::{Error, ErrorKind};
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// A public key this host trusts, and where it was read from.
#[derive(Clone, Debug)]
pub struct TrustedKey {
    /// The key.
    pub key: PublicKey,
    /// Its id, as minisign prints it.
    pub id: String,
    /// The file it was read from.
    pub file: PathBuf,
    /// Its text as minisign writes it, to remember it.
    pub text: String,
}

impl TrustedKey {
    /// Reads a minisign public key file (`shirube-kb.pub`); the caller says where it was
    /// named (`--trust`, or the keys remembered).
    pub fn read(path: &Path) -> Result<TrustedKey, Error> {
        let text = shirube_kb::file::read_bounded(path, 4096)
            .map_err(|e| Error::invalid(format!("{}: {}", path.display(), io_reason(&e))))?;
        let text = String::from_utf8_lossy(&text).into_owned();
        let key = PublicKeyBox::from_string(&text)
            .and_then(PublicKeyBox::into_public_key)
            .map_err(|e| {
                Error::invalid(format!(
                    "{}: not a minisign public key: {e}",
                    path.display()
                ))
            })?;
        Ok(TrustedKey {
            id: key_id(key.keynum()),
            key,
            file: path.to_path_buf(),
            text,
        })
    }
}

/// How a pack was found to be genuine.
#[derive(Debug)]
pub struct Verified {
    /// The pack, read and checked.
    pub pack: Pack,
    /// Its bytes, to install.
    pub bytes: Vec<u8>,
    /// Its signature's text and the key that made it; none for a pack taken unsigned.
    pub signed: Option<(String, TrustedKey)>,
}

/// The signature file of the pack at `path`: `NAME.kbpack.minisig`.
pub fn signature_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".{SIGNATURE_EXTENSION}"));
    PathBuf::from(name)
}

/// A refusal of the pack at `path`: one line, a hint, the kind that says why.
fn refused(path: &Path, message: impl std::fmt::Display, hint: &str) -> Error {
    Error::new(format!("{}: {message}", path.display()))
        .with_kind(ErrorKind::VerificationFailed)
        .with_hint(hint)
}

/// What fixes a pack whose bytes do not match its signature.
const CHANGED_HINT: &str =
    "the pack was changed after it was signed, or cut short: get it again from its author";

/// Checks the pack at `path` against the keys in `trusted`, then its contents. With
/// `allow_unsigned`, a pack without a signature file is taken on the contents checks alone
/// (a pack built on this host); a signature that is there is still checked.
pub fn verify(
    path: &Path,
    trusted: &[TrustedKey],
    allow_unsigned: bool,
) -> Result<Verified, Error> {
    let bytes = shirube_kb::file::read_bounded(path, MAX_PACK_BYTES).map_err(|e| {
        Error::invalid(format!("cannot read {}: {}", path.display(), io_reason(&e)))
    })?;
    let signature_file = signature_path(path);
    let signed = match shirube_kb::file::read_bounded(&signature_file, 64 * 1024) {
        Ok(text) => Some(check_signature(path, &bytes, &text, trusted)?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && allow_unsigned => None,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(refused(
                path,
                format!("no signature: {} is missing", signature_file.display()),
                "carry NAME.kbpack.minisig with the pack; --allow-unsigned takes a pack built on this host",
            ));
        }
        Err(e) => {
            return Err(refused(
                path,
                format!(
                    "cannot read its signature {}: {}",
                    signature_file.display(),
                    io_reason(&e)
                ),
                "carry NAME.kbpack.minisig with the pack",
            ));
        }
    };
    let pack = pack::read(&bytes)
        .map_err(|e| e.in_context(&format!("{}: ", path.display()), CHANGED_HINT))?;
    Ok(Verified {
        pack,
        bytes,
        signed,
    })
}

/// The key of `trusted` that made the signature `text` of `bytes`, when it checks.
fn check_signature(
    path: &Path,
    bytes: &[u8],
    text: &[u8],
    trusted: &[TrustedKey],
) -> Result<(String, TrustedKey), Error> {
    let text = String::from_utf8_lossy(text).into_owned();
    let signature = SignatureBox::from_string(&text).map_err(|e| {
        refused(
            path,
            format!("its signature is not a minisign signature: {e}"),
            "carry the NAME.kbpack.minisig that `index-build pack` wrote",
        )
    })?;
    let id = key_id(signature.keynum());
    let Some(key) = trusted
        .iter()
        .find(|k| k.key.keynum() == signature.keynum())
    else {
        return Err(refused(
            path,
            format!("it is signed by key {id}, which this host does not trust"),
            "trust its author's public key, after checking it with them: `shirube kb add FILE --trust PUB`",
        ));
    };
    minisign::verify(&key.key, &signature, Cursor::new(bytes), true, false, false).map_err(
        |_| {
            refused(
                path,
                "its signature does not match its contents",
                CHANGED_HINT,
            )
        },
    )?;
    Ok((text, key.clone()))
}
