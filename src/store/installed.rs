//! The knowledge packs installed on this host, in its data directory (`$SHIRUBE_DATA_DIR`,
//! else `$XDG_DATA_HOME/shirube`, else `~/.local/share/shirube`):
//!
//! ```text
//! installed/            the knowledge base every command answers from while packs are installed
//!   kb.json, known-errors.bin, index/    built-in entries and every pack's, one index
//!   packs/NAME.kbpack, NAME.kbpack.minisig  the packs as they were verified
//!   base                the build id of the built-in knowledge base it was combined with
//! trusted/KEYID.pub     the keys packs were verified with, remembered after the first add
//! ```
//!
//! One index over everything, built when a pack is added or removed, rather than a search
//! per pack: a question is ranked and its confidence judged over all entries at once, and a
//! search costs what it costs without packs. `installed/` is replaced in one step
//! (`shirube_kb::atomic::replace_dir`): a command sees the old set or the new one, and a
//! failed add leaves the old one as it was.

use super::embedded;
use super::verify::{self, TrustedKey, Verified, signature_path};
use shirube_analysis::index::write_built;
use shirube_kb::atomic::{self, write_file};
use shirube_kb::built::BuiltDir;
use shirube_kb::pack::{BUILT_IN, EXTENSION, Manifest, key_id};
use shirube_kb::{Error, ErrorKind, KnowledgeBase};
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// What repairs an installed set that cannot be read.
pub const REPAIR_HINT: &str = "`shirube kb list` shows what is installed; `shirube kb remove NAME` or `kb add` again rebuilds it";

/// The build id of the knowledge base built into this binary.
const BUILT_IN_BUILD_ID: &str = env!("SHIRUBE_KB_BUILD_ID");

/// The data directory of this user.
#[derive(Clone, Debug)]
pub struct DataDir {
    root: PathBuf,
}

/// An installed pack, as `kb list` shows it.
#[derive(Clone, Debug)]
pub struct InstalledPack {
    /// What it says of itself.
    pub manifest: Manifest,
    /// The id of the key that signed it; none when it was installed unsigned.
    pub key_id: Option<String>,
}

/// What `kb add` did.
#[derive(Debug)]
pub struct Added {
    /// The pack now installed.
    pub manifest: Manifest,
    /// The pack of the same name it replaced, if any.
    pub replaced: Option<Manifest>,
    /// The key now remembered as trusted, when it was not before.
    pub remembered: Option<TrustedKey>,
}

fn cannot_write(path: &Path, error: &std::io::Error) -> Error {
    Error::writing(&path.display().to_string(), error)
}

impl DataDir {
    /// `$SHIRUBE_DATA_DIR`, else `$XDG_DATA_HOME/shirube`, else `$HOME/.local/share/shirube`.
    pub fn locate() -> Result<DataDir, Error> {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        let root = var("SHIRUBE_DATA_DIR")
            .map(PathBuf::from)
            .or_else(|| var("XDG_DATA_HOME").map(|d| PathBuf::from(d).join("shirube")))
            .or_else(|| var("HOME").map(|h| PathBuf::from(h).join(".local/share/shirube")))
            .ok_or_else(|| {
                Error::invalid("no data directory: neither SHIRUBE_DATA_DIR nor HOME is set")
                    .with_hint("set SHIRUBE_DATA_DIR to a folder for installed packs")
            })?;
        Ok(DataDir { root })
    }

    /// Where the data directory is.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn installed(&self) -> PathBuf {
        self.root.join("installed")
    }

    fn packs(&self) -> PathBuf {
        self.installed().join("packs")
    }

    fn trusted(&self) -> PathBuf {
        self.root.join("trusted")
    }

    /// The combined knowledge base, when packs are installed.
    pub fn current(&self) -> Option<BuiltDir> {
        let dir = BuiltDir::new(self.installed());
        dir.entries().is_file().then_some(dir)
    }

    /// Whether the installed set was combined with another build's built-in entries (this
    /// binary was upgraded since): it must be combined again.
    pub fn is_stale(&self) -> bool {
        fs::read_to_string(self.installed().join("base"))
            .map_or(true, |base| base.trim() != BUILT_IN_BUILD_ID)
    }

    /// The keys remembered as trusted.
    pub fn trusted_keys(&self) -> Result<Vec<TrustedKey>, Error> {
        let Ok(files) = fs::read_dir(self.trusted()) else {
            return Ok(Vec::new());
        };
        let mut keys = Vec::new();
        for file in files.filter_map(Result::ok) {
            let path = file.path();
            if path.extension().is_some_and(|e| e == "pub") {
                keys.push(TrustedKey::read(&path).map_err(|e| {
                    e.in_context(
                        "a remembered key: ",
                        "remove it from the data directory's trusted/ folder, or replace it",
                    )
                })?);
            }
        }
        Ok(keys)
    }

    /// Remembers `key` as trusted; whether it was new.
    fn remember(&self, key: &TrustedKey) -> Result<bool, Error> {
        let path = self.trusted().join(format!("{}.pub", key.id));
        if path.exists() {
            return Ok(false);
        }
        fs::create_dir_all(self.trusted()).map_err(|e| cannot_write(&self.trusted(), &e))?;
        write_file(&path, key.text.as_bytes()).map_err(|e| cannot_write(&path, &e))?;
        Ok(true)
    }

    /// The installed packs, by name.
    pub fn installed_packs(&self) -> Result<Vec<InstalledPack>, Error> {
        let mut packs = Vec::new();
        for path in self.pack_files()? {
            let bytes = fs::read(&path).map_err(|e| {
                Error::new(format!("{}: {e}", path.display())).with_hint(REPAIR_HINT)
            })?;
            let manifest = shirube_kb::pack::manifest_of(&bytes)
                .map_err(|e| e.in_context(&format!("{}: ", path.display()), REPAIR_HINT))?;
            let key_id = fs::read_to_string(signature_path(&path))
                .ok()
                .and_then(|text| minisign::SignatureBox::from_string(&text).ok())
                .map(|signature| key_id(signature.keynum()));
            packs.push(InstalledPack { manifest, key_id });
        }
        Ok(packs)
    }

    /// The pack files of the installed set, in name order.
    fn pack_files(&self) -> Result<Vec<PathBuf>, Error> {
        let Ok(files) = fs::read_dir(self.packs()) else {
            return Ok(Vec::new());
        };
        let mut paths: Vec<PathBuf> = files
            .filter_map(Result::ok)
            .map(|f| f.path())
            .filter(|p| p.extension().is_some_and(|e| e == EXTENSION))
            .collect();
        paths.sort();
        Ok(paths)
    }

    /// The installed packs verified again (their signatures, when they have one, against
    /// the trusted keys), to combine them anew.
    fn verified_packs(&self) -> Result<Vec<Verified>, Error> {
        let trusted = self.trusted_keys()?;
        self.pack_files()?
            .iter()
            .map(|path| {
                verify::verify(path, &trusted, true)
                    .map_err(|e| e.in_context("installed packs: ", REPAIR_HINT))
            })
            .collect()
    }

    /// Holds the data directory's lock (`lock`, an advisory `flock`) while `change` runs:
    /// two `kb add` at once would each combine the set without the other's pack, and the
    /// last to finish would drop it.
    fn locked<T>(&self, change: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
        use rustix::fs::{FlockOperation, flock};
        fs::create_dir_all(&self.root).map_err(|e| cannot_write(&self.root, &e))?;
        let path = self.root.join("lock");
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| cannot_write(&path, &e))?;
        flock(&file, FlockOperation::LockExclusive)
            .map_err(|e| cannot_write(&path, &std::io::Error::from(e)))?;
        // Released when `file` is closed, however `change` ends.
        change()
    }

    /// Installs the verified pack: the set is combined anew with it, replacing a pack of
    /// the same name, and its key is remembered as trusted.
    pub fn add(&self, verified: Verified) -> Result<Added, Error> {
        self.locked(|| self.add_locked(verified))
    }

    fn add_locked(&self, verified: Verified) -> Result<Added, Error> {
        let name = verified.pack.manifest.name.clone();
        let manifest = verified.pack.manifest.clone();
        let mut packs = self.verified_packs()?;
        let replaced = packs
            .iter()
            .position(|p| p.pack.manifest.name == name)
            .map(|at| packs.remove(at).pack.manifest);
        let key = verified.signed.as_ref().map(|(_, key)| key.clone());
        packs.push(verified);
        self.combine(&packs)?;
        let remembered = match key {
            Some(key) if self.remember(&key)? => Some(key),
            _ => None,
        };
        Ok(Added {
            manifest,
            replaced,
            remembered,
        })
    }

    /// Removes the installed pack `name`; its manifest.
    pub fn remove(&self, name: &str) -> Result<Manifest, Error> {
        self.locked(|| self.remove_locked(name))
    }

    fn remove_locked(&self, name: &str) -> Result<Manifest, Error> {
        let mut packs = self.verified_packs()?;
        let Some(at) = packs.iter().position(|p| p.pack.manifest.name == name) else {
            return Err(Error::new(format!("no pack named {name} is installed"))
                .with_kind(ErrorKind::NotFound)
                .with_hint("`shirube kb list` shows the installed packs"));
        };
        let removed = packs.remove(at).pack.manifest;
        self.combine(&packs)?;
        Ok(removed)
    }

    /// The built-in entries, the installed packs and the pack at `path`, verified with the
    /// keys remembered, combined into a temporary folder, removed when the returned value is
    /// dropped: `--kb FILE`, a pack tried before it is installed (it replaces an installed
    /// pack of its name). Nothing is installed.
    pub fn with_pack(&self, path: &Path) -> Result<TempDir, Error> {
        let trusted = self.trusted_keys()?;
        let given = verify::verify(path, &trusted, false)
            .map_err(|e| e.in_context("--kb: ", "`shirube kb verify FILE` says more"))?;
        let mut packs = self.verified_packs()?;
        packs.retain(|p| p.pack.manifest.name != given.pack.manifest.name);
        packs.push(given);
        let kb = combined(&packs)?;
        let scratch = tempfile::Builder::new()
            .prefix("shirube-kb-")
            .tempdir()
            .map_err(|e| cannot_write(&std::env::temp_dir(), &e))?;
        write_built(&kb, embedded::dictionary()?, &BuiltDir::new(scratch.path()))?;
        Ok(scratch)
    }

    /// Combines the built-in knowledge base with the installed packs again, as they are:
    /// after this binary was upgraded.
    pub fn recombine(&self) -> Result<(), Error> {
        self.locked(|| {
            // Another command may have done it while this one waited.
            if !self.is_stale() {
                return Ok(());
            }
            let packs = self.verified_packs()?;
            self.combine(&packs)
        })
    }

    /// Builds the set of the built-in entries and `packs` aside, then puts it in place of
    /// the installed one in one step; with no packs, the installed set is removed.
    fn combine(&self, packs: &[Verified]) -> Result<(), Error> {
        let installed = self.installed();
        if packs.is_empty() {
            return match fs::remove_dir_all(&installed) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    Err(cannot_write(&installed, &e))
                }
                _ => Ok(()),
            };
        }
        fs::create_dir_all(&self.root).map_err(|e| cannot_write(&self.root, &e))?;
        let kb = combined(packs)?;
        let staging = atomic::staging_dir(&installed);
        let built = write_set(&staging, &kb, packs).and_then(|()| {
            atomic::replace_dir(&staging, &installed).map_err(|e| cannot_write(&installed, &e))
        });
        if built.is_err() {
            let _ = fs::remove_dir_all(&staging);
        }
        built
    }
}

/// Writes the set of `kb` and `packs` into `dir`.
fn write_set(dir: &Path, kb: &KnowledgeBase, packs: &[Verified]) -> Result<(), Error> {
    write_built(kb, embedded::dictionary()?, &BuiltDir::new(dir))?;
    let folder = dir.join("packs");
    fs::create_dir_all(&folder).map_err(|e| cannot_write(&folder, &e))?;
    for verified in packs {
        let path = folder.join(format!("{}.{EXTENSION}", verified.pack.manifest.name));
        fs::write(&path, &verified.bytes).map_err(|e| cannot_write(&path, &e))?;
        if let Some((signature, _)) = &verified.signed {
            let path = signature_path(&path);
            fs::write(&path, signature).map_err(|e| cannot_write(&path, &e))?;
        }
    }
    let base = dir.join("base");
    fs::write(&base, BUILT_IN_BUILD_ID).map_err(|e| cannot_write(&base, &e))
}

/// The built-in knowledge base and the entries of `packs` as one. An id in two of them is
/// an error: an entry is found by its id, and one would hide the other.
fn combined(packs: &[Verified]) -> Result<KnowledgeBase, Error> {
    let built_in = embedded::knowledge_base()?;
    let mut components = built_in.components.clone();
    let mut sources = built_in.sources.clone();
    let mut entries: Vec<shirube_kb::Entry> = built_in.entries.iter().cloned().collect();
    for verified in packs {
        let kb = &verified.pack.kb;
        for component in &kb.components {
            if !components.iter().any(|c| c.id == component.id) {
                components.push(component.clone());
            }
        }
        sources.extend(kb.sources.iter().cloned());
        entries.extend(kb.entries.iter().cloned());
    }
    entries.sort_by(|a, b| a.id.cmp(&b.id));
    if let Some(pair) = entries.windows(2).find(|pair| pair[0].id == pair[1].id) {
        let origin = |e: &shirube_kb::Entry| e.pack.clone().unwrap_or_else(|| BUILT_IN.to_string());
        return Err(Error::invalid(format!(
            "{} is an entry of both {} and {}",
            pair[0].id,
            origin(&pair[0]),
            origin(&pair[1])
        ))
        .with_hint("give a site's entries an id prefix of their own (source.toml id_prefix)"));
    }
    let names: Vec<&str> = packs
        .iter()
        .map(|p| p.pack.manifest.name.as_str())
        .collect();
    Ok(KnowledgeBase {
        entries: entries.into(),
        components,
        sources,
        glossary: built_in.glossary.clone(),
        build_id: format!("{BUILT_IN_BUILD_ID}+{}", names.join("+")),
        warnings: Vec::new(),
    })
}
