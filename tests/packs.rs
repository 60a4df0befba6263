//! Knowledge packs, the way a platform team and a site use them: keys made, an in-house
//! entry packed and signed, the pack checked with the `minisign` tool itself, installed on
//! another host's data directory, found in both languages beside the built-in entries,
//! listed, removed. And every way a pack can fail to be the one its author built, refused
//! with one line, exit 2, and nothing installed.
//!
//! `minisign` is Debian's (`apt-get install minisign`; `.ci/run` installs it). Without it the
//! step that runs it says so and is skipped, unless `SHIRUBE_MINISIGN_TEST=1` (as in CI)
//! requires it.

use crate::serve::Server;
use crate::util::{Output, OutputChecked, shirube};
use serde_json::Value;
use shirube_index_build::pack::{PUBLIC_KEY_FILE, SECRET_KEY_FILE, keygen, pack};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The invented platform team's folder: one entry, in English and Japanese.
fn site_kb() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/site-kb")
}

/// The English error line of the site's entry, as its cache logs it.
const SITE_ERROR: &str =
    "quay-mirror: upstream token expired for mirror.acme.internal, serving 401 to containerd";

/// A host: its own data directory.
struct Host {
    data: tempfile::TempDir,
}

impl Host {
    fn new() -> Host {
        Host {
            data: tempfile::tempdir().unwrap(),
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        shirube()
            .args(args)
            .env("SHIRUBE_DATA_DIR", self.data.path())
            .output_checked()
    }

    fn json(&self, args: &[&str], code: i32) -> Value {
        serde_json::from_slice(&self.run(args).exits(code).stdout).unwrap()
    }

    /// The first result of a search: its id and the knowledge base it came from.
    fn first(&self, query: &str, lang: &str) -> (String, String) {
        let report = self.json(&["search", "--json", "--lang", lang, query], 0);
        let first = &report["results"][0];
        assert_eq!(report["confident"], true, "{query}: {report}");
        (
            first["id"].as_str().unwrap().to_string(),
            first["kb"].as_str().unwrap().to_string(),
        )
    }

    /// Every file of the data directory with its bytes: what "nothing changed" compares.
    fn snapshot(&self) -> Vec<(PathBuf, Vec<u8>)> {
        fn walk(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
            let Ok(read) = fs::read_dir(dir) else { return };
            for entry in read.map(Result::unwrap) {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else {
                    out.push((path.clone(), fs::read(&path).unwrap()));
                }
            }
        }
        let mut files = Vec::new();
        walk(self.data.path(), &mut files);
        files.sort();
        files
    }
}

/// A key pair made in `dir`: (secret, public, key id).
fn keys(dir: &Path) -> (PathBuf, PathBuf, String) {
    let (id, secret, public) = keygen(dir).unwrap();
    assert_eq!(secret, dir.join(SECRET_KEY_FILE));
    assert_eq!(public, dir.join(PUBLIC_KEY_FILE));
    (secret, public, id)
}

/// The site's pack, signed with `secret`, written into `dir` as `acme-site.kbpack`.
fn site_pack(dir: &Path, secret: &Path) -> PathBuf {
    let out = dir.join("acme-site.kbpack");
    let packed = pack(&site_kb(), secret, &out, None).unwrap();
    assert_eq!(packed.manifest.name, "acme-site");
    assert_eq!(packed.manifest.entries, 1);
    assert_eq!(packed.signature, dir.join("acme-site.kbpack.minisig"));
    out
}

/// `minisign -V`: the pack checks with the public key, by a tool that is not ours.
fn minisign_verifies(pack: &Path, public: &Path) {
    let run = Command::new("minisign")
        .args(["-V", "-q", "-p"])
        .arg(public)
        .arg("-m")
        .arg(pack)
        .output();
    match run {
        Ok(out) => assert!(
            out.status.success(),
            "minisign -V refused the pack: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(_) => {
            assert!(
                std::env::var_os("SHIRUBE_MINISIGN_TEST").is_none(),
                "SHIRUBE_MINISIGN_TEST is set but minisign is not installed (apt-get install minisign)"
            );
            eprintln!("skipped minisign -V: no minisign here (apt-get install minisign)");
        }
    }
}

#[test]
fn a_site_pack_goes_from_its_entries_to_a_search_and_back_out() {
    let author = tempfile::tempdir().unwrap();
    let (secret, public, key_id) = keys(&author.path().join("keys"));
    let pack = site_pack(author.path(), &secret);
    minisign_verifies(&pack, &public);

    let host = Host::new();
    let pack_arg = pack.to_str().unwrap();
    let public_arg = public.to_str().unwrap();
    // A key this host was never given: the pack cannot even be tried.
    let untrusted = host.run(&["--kb", pack_arg, "search", SITE_ERROR]).exits(2);
    assert_eq!(
        String::from_utf8(untrusted.stderr).unwrap(),
        format!(
            "shirube: --kb: {pack_arg}: it is signed by key {key_id}, which this host does not trust\n\
             hint: trust its author's public key, after checking it with them: `shirube kb add FILE --trust PUB`\n"
        )
    );
    let verified = host.json(
        &["kb", "verify", pack_arg, "--trust", public_arg, "--json"],
        0,
    );
    assert_eq!(verified["manifest"]["name"], "acme-site");
    assert_eq!(verified["manifest"]["entries"], 1);
    assert_eq!(verified["manifest"]["releases"][1], "1.33.600-gke.39");
    assert_eq!(verified["key_id"], key_id.as_str());
    // Verifying installs nothing.
    assert!(host.snapshot().is_empty());

    let added = host
        .run(&["kb", "add", pack_arg, "--trust", public_arg])
        .exits(0);
    let stdout = String::from_utf8(added.stdout).unwrap();
    assert!(
        stdout.starts_with(&format!(
            "installed acme-site ({pack_arg}), signed by key {key_id}\n"
        )),
        "{stdout}"
    );
    assert_eq!(
        String::from_utf8(added.stderr).unwrap(),
        format!("shirube: key {key_id} ({public_arg}) is now trusted for later packs\n")
    );

    // The site's entry, found by its error line and by a Japanese description.
    let site = ("ACME-0001".to_string(), "acme-site".to_string());
    assert_eq!(host.first(SITE_ERROR, "en"), site);
    assert_eq!(
        host.first(
            "quay-mirror のトークン更新後に全ノードでイメージの pull が失敗する",
            "ja"
        ),
        site
    );
    // The built-in ones, still.
    let built_in = ("ABM-0008".to_string(), "built-in".to_string());
    assert_eq!(host.first("Docker service is not active", "en"), built_in);
    let text = host.run(&["search", "--lang", "ja", SITE_ERROR]).exits(0);
    assert!(
        String::from_utf8(text.stdout)
            .unwrap()
            .lines()
            .nth(1)
            .unwrap()
            .ends_with("· パック acme-site"),
        "a result says which pack it came from"
    );
    let shown = host.json(&["show", "ACME-0001", "--json", "--lang", "ja"], 0);
    assert_eq!(shown["kb"], "acme-site");

    let listed = host.json(&["kb", "list", "--json"], 0);
    let rows = listed["knowledge_bases"].as_array().unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["built-in", "acme-site"]);
    assert_eq!(rows[0]["key_id"], Value::Null);
    assert_eq!(rows[1]["key_id"], key_id.as_str());
    assert_eq!(rows[1]["entries"], 1);

    // The server of the host answers from the same knowledge bases.
    let mut server = Server::start_in(host.data.path());
    assert_eq!(
        server.stderr_line(),
        "shirube: answering from built-in (215 entries) and pack acme-site (1 entry)\n"
    );
    let api = server.get(&format!(
        "/api/search?q={}",
        SITE_ERROR
            .replace(' ', "%20")
            .replace(',', "%2C")
            .replace(':', "%3A")
    ));
    assert_eq!(api.status, 200);
    let api: Value = serde_json::from_slice(&api.body).unwrap();
    assert_eq!(
        (&api["results"][0]["id"], &api["results"][0]["kb"]),
        (&"ACME-0001".into(), &"acme-site".into())
    );
    let page = server.get("/entries/ACME-0001?lang=en");
    assert_eq!(page.status, 200);
    assert!(
        page.text().contains("<dt>pack</dt><dd>acme-site</dd>"),
        "{}",
        page.text()
    );
    drop(server);

    // A later pack by the same key needs no --trust: the key was remembered.
    let again = host.run(&["kb", "add", pack_arg]).exits(0);
    let stdout = String::from_utf8(again.stdout).unwrap();
    assert!(
        stdout
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("replaced acme-site built "),
        "{stdout}"
    );

    let removed = host.run(&["kb", "remove", "acme-site"]).exits(0);
    assert!(
        String::from_utf8(removed.stdout)
            .unwrap()
            .starts_with("removed acme-site (1 entries, built ")
    );
    let gone = host.json(&["search", "--json", SITE_ERROR], 1);
    assert!(
        gone["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["id"] != "ACME-0001"),
        "{gone}"
    );
    assert!(
        host.run(&["show", "ACME-0001", "--json"])
            .exits(1)
            .stdout
            .is_empty()
    );
    let listed = host.json(&["kb", "list", "--json"], 0);
    assert_eq!(listed["knowledge_bases"].as_array().unwrap().len(), 1);

    // Tried without installing: --kb FILE, with the key the add remembered. The set it
    // combines lives in the temporary directory for that one command, and is gone after.
    let tmp = tempfile::tempdir().unwrap();
    let tried = shirube()
        .args(["--kb", pack_arg, "search", "--json", SITE_ERROR])
        .env("SHIRUBE_DATA_DIR", host.data.path())
        .env("TMPDIR", tmp.path())
        .output_checked()
        .exits(0);
    let report: Value = serde_json::from_slice(&tried.stdout).unwrap();
    assert_eq!(report["results"][0]["kb"], "acme-site");
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
    let listed = host.json(&["kb", "list", "--json"], 0);
    assert_eq!(listed["knowledge_bases"].as_array().unwrap().len(), 1);
    let again = host.run(&["kb", "remove", "acme-site"]).exits(2);
    assert_eq!(
        String::from_utf8(again.stderr).unwrap(),
        "shirube: no pack named acme-site is installed\nhint: `shirube kb list` shows the installed packs\n"
    );
}

/// `kb add` of `pack` is refused: exit 2, one line that says `why` and a hint, and the
/// host's data directory exactly as before.
#[track_caller]
fn refused(host: &Host, pack: &Path, why: &str) {
    let before = host.snapshot();
    let out = host.run(&["kb", "add", pack.to_str().unwrap()]).exits(2);
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert_eq!(lines[0], format!("shirube: {}: {why}", pack.display()));
    assert!(lines[1].starts_with("hint: "), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(host.snapshot() == before, "the installed set changed");
}

#[test]
fn a_pack_that_is_not_what_its_author_built_is_refused_and_nothing_changes() {
    // A host with the genuine pack installed: a refusal must leave it as it is.
    let (host, author, _, pack) = host_with_the_site_pack();
    let (other_secret, _, other_id) = keys(&author.path().join("other-keys"));
    let bytes = fs::read(&pack).unwrap();
    let signature = fs::read(pack.with_extension("kbpack.minisig")).unwrap();
    let bad = tempfile::tempdir().unwrap();
    let copy = |name: &str, pack_bytes: &[u8], signature: Option<&[u8]>| {
        let path = bad.path().join(format!("{name}.kbpack"));
        fs::write(&path, pack_bytes).unwrap();
        if let Some(signature) = signature {
            fs::write(path.with_extension("kbpack.minisig"), signature).unwrap();
        }
        path
    };

    let mut flipped = bytes.clone();
    let middle = bytes.len() / 2;
    flipped[middle] ^= 0x20;
    let path = copy("flipped", &flipped, Some(&signature));
    refused(&host, &path, "its signature does not match its contents");

    let truncated = copy("truncated", &bytes[..bytes.len() / 2], Some(&signature));
    refused(
        &host,
        &truncated,
        "its signature does not match its contents",
    );

    let path = copy("unsigned", &bytes, None);
    refused(
        &host,
        &path,
        &format!("no signature: {}.minisig is missing", path.display()),
    );

    // The same pack signed by a key this host has never been given.
    let foreign = tempfile::tempdir().unwrap();
    let foreign_pack = site_pack(foreign.path(), &other_secret);
    refused(
        &host,
        &foreign_pack,
        &format!("it is signed by key {other_id}, which this host does not trust"),
    );

    // Unsigned packs taken on purpose are still read whole and checked.
    let before = host.snapshot();
    let out = host
        .run(&["kb", "add", truncated.to_str().unwrap(), "--allow-unsigned"])
        .exits(2);
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("its signature does not match its contents"),
        "a signature beside it is checked even then"
    );
    let cut = copy("cut", &bytes[..bytes.len() / 2], None);
    let out = host
        .run(&["kb", "add", cut.to_str().unwrap(), "--allow-unsigned"])
        .exits(2);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr,
        format!(
            "shirube: {}: it is not a whole pack: kb.json is cut short\nhint: the pack was changed after it was signed, or cut short: get it again from its author\n",
            cut.display()
        )
    );
    assert!(host.snapshot() == before, "the installed set changed");
}

#[test]
fn a_pack_of_a_newer_format_or_a_manifest_that_lies_is_refused() {
    use shirube_kb::pack::{self, Manifest};
    let author = tempfile::tempdir().unwrap();
    let (secret, _, _) = keys(&author.path().join("keys"));
    let genuine = fs::read(site_pack(author.path(), &secret)).unwrap();
    let mut archive = tar::Archive::new(&genuine[..]);
    let mut members = Vec::new();
    for member in archive.entries().unwrap() {
        let mut member = member.unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut member, &mut bytes).unwrap();
        members.push(bytes);
    }
    let manifest: Manifest = serde_json::from_slice(&members[0]).unwrap();
    let kb_json = &members[1];

    let host = Host::new();
    let write = |name: &str, manifest: &Manifest| {
        let path = author.path().join(format!("{name}.kbpack"));
        fs::write(&path, pack::write(manifest, kb_json).unwrap()).unwrap();
        path
    };
    let newer = write(
        "newer",
        &Manifest {
            format: pack::FORMAT + 1,
            ..manifest.clone()
        },
    );
    let lying = write(
        "lying",
        &Manifest {
            entries: 2,
            ..manifest.clone()
        },
    );
    for (path, why) in [
        (
            &newer,
            format!(
                "it is of pack format {}, newer than this shirube reads (1)",
                pack::FORMAT + 1
            ),
        ),
        (
            &lying,
            "its manifest does not describe its entries (count, sources or releases differ)"
                .to_string(),
        ),
    ] {
        let out = host
            .run(&["kb", "add", path.to_str().unwrap(), "--allow-unsigned"])
            .exits(2);
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.contains(&format!("shirube: {}: {why}\nhint: ", path.display())),
            "{stderr}"
        );
        assert!(host.snapshot().is_empty());
    }
}

/// A host with the site's pack installed and its key trusted; the author's folder and
/// secret key to make more packs with; the pack.
fn host_with_the_site_pack() -> (Host, tempfile::TempDir, PathBuf, PathBuf) {
    let author = tempfile::tempdir().unwrap();
    let (secret, public, _) = keys(&author.path().join("keys"));
    let host = Host::new();
    let pack = site_pack(author.path(), &secret);
    host.run(&[
        "kb",
        "add",
        pack.to_str().unwrap(),
        "--trust",
        public.to_str().unwrap(),
    ])
    .exits(0);
    (host, author, secret, pack)
}

/// A copy of the site's folder whose entry is `PREFIX-0001` instead of `ACME-0001`: a
/// second pack that can be installed beside the first.
fn renamed_site(into: &Path, prefix: &str) -> PathBuf {
    let root = into.join(format!("{prefix}-kb"));
    fs::create_dir_all(root.join("acme")).unwrap();
    for file in ["components.toml", "glossary.toml"] {
        fs::copy(site_kb().join(file), root.join(file)).unwrap();
    }
    for file in ["source.toml", "ACME-0001.en.md", "ACME-0001.ja.md"] {
        let text = fs::read_to_string(site_kb().join("acme").join(file)).unwrap();
        let text = text
            .replace("ACME-0001", &format!("{prefix}-0001"))
            .replace("id_prefix = \"ACME\"", &format!("id_prefix = \"{prefix}\""));
        fs::write(root.join("acme").join(file.replace("ACME", prefix)), text).unwrap();
    }
    root
}

#[test]
fn packs_added_at_the_same_time_are_both_installed() {
    // The key trusted first, so that both adds below verify.
    let (host, author, secret, _) = host_with_the_site_pack();
    let packs: Vec<PathBuf> = ["ONE", "TWO"]
        .iter()
        .map(|prefix| {
            let out = author
                .path()
                .join(format!("{}.kbpack", prefix.to_lowercase()));
            pack(&renamed_site(author.path(), prefix), &secret, &out, None).unwrap();
            out
        })
        .collect();
    std::thread::scope(|scope| {
        for pack in &packs {
            let host = &host;
            scope.spawn(move || host.run(&["kb", "add", pack.to_str().unwrap()]).exits(0));
        }
    });
    let listed = host.json(&["kb", "list", "--json"], 0);
    let names: Vec<&str> = listed["knowledge_bases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["built-in", "acme-site", "one", "two"]);
    for id in ["ACME-0001", "ONE-0001", "TWO-0001"] {
        host.run(&["show", id]).exits(0);
    }
}

#[test]
fn an_id_already_in_another_knowledge_base_is_refused() {
    let (host, author, secret, _) = host_with_the_site_pack();
    let before = host.snapshot();
    // A site folder whose entry took the id of a built-in one.
    let clash = author.path().join("clash.kbpack");
    pack(&renamed_site(author.path(), "ABM"), &secret, &clash, None).unwrap();
    let out = host.run(&["kb", "add", clash.to_str().unwrap()]).exits(2);
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "shirube: ABM-0001 is an entry of both built-in and clash\n\
         hint: give a site's entries an id prefix of their own (source.toml id_prefix)\n"
    );
    assert!(host.snapshot() == before, "the installed set changed");
    // The built-in entry is still the one shown.
    let shown = host.json(&["show", "ABM-0001", "--json"], 0);
    assert_eq!(shown["kb"], "built-in");
}

#[test]
fn an_unsigned_pack_is_taken_only_when_asked_and_says_so() {
    let author = tempfile::tempdir().unwrap();
    let (secret, _, _) = keys(&author.path().join("keys"));
    let signed = site_pack(author.path(), &secret);
    let unsigned = tempfile::tempdir().unwrap();
    let pack = unsigned.path().join("acme-site.kbpack");
    fs::copy(&signed, &pack).unwrap();
    let pack_arg = pack.to_str().unwrap();

    let host = Host::new();
    let added = host
        .run(&["kb", "add", pack_arg, "--allow-unsigned"])
        .exits(0);
    assert_eq!(
        String::from_utf8(added.stderr).unwrap(),
        format!(
            "shirube: warning: {pack_arg} has no signature: nothing proves who built it (--allow-unsigned)\n"
        )
    );
    assert!(
        String::from_utf8(added.stdout)
            .unwrap()
            .starts_with(&format!("installed acme-site ({pack_arg})\n"))
    );
    let listed = String::from_utf8(host.run(&["kb", "list"]).exits(0).stdout).unwrap();
    let row = listed.lines().nth(1).unwrap();
    assert!(row.starts_with("acme-site  1 entries · built "), "{listed}");
    assert!(row.contains(" · unsigned · "), "{listed}");
    assert!(
        !listed.lines().next().unwrap().contains("unsigned"),
        "{listed}"
    );

    // A remembered key that is no key names itself, not --trust.
    let bad = host.data.path().join("trusted/BAD.pub");
    fs::create_dir_all(bad.parent().unwrap()).unwrap();
    fs::write(&bad, "not a key\n").unwrap();
    let out = host.run(&["kb", "add", signed.to_str().unwrap()]).exits(2);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with(&format!(
            "shirube: a remembered key: {}: not a minisign public key",
            bad.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.ends_with(
            "hint: remove it from the data directory's trusted/ folder, or replace it\n"
        ),
        "{stderr}"
    );
}
