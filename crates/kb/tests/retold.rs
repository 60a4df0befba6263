//! Entries written from other people's text keep its facts and never its sentences: no
//! entry file shares a run of 12 words with the reference pages it was written from (the
//! product's release notes, the VM Runtime's, public reports), outside program output —
//! code blocks, inline code and the error lines of its header. The seed page's own
//! Japanese text is its quoted text and is not checked.
//!
//! The pages live beside the project (`../shared/upstream-pages/*.txt`), not in it: they are
//! never committed. So that the rule holds on a machine without them (CI), the test keeps a
//! fingerprint of them: a 40-bit hash of every 12-word run, sorted, in
//! `tests/data/upstream-runs.bin`. A hash says nothing of the words it was made from, and at
//! 54,000 runs a false match is a chance in millions. Where the pages are present, the
//! fingerprint is checked against them; `SHIRUBE_BLESS=upstream-runs` rewrites it.

use shirube_kb::parse::parse_file;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Words in a run shared with a page that make a copied sentence.
const RUN: usize = 12;
/// Bytes of each hash in the fingerprint.
const HASH_BYTES: usize = 5;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn pages_dir() -> PathBuf {
    root().join("../shared/upstream-pages")
}

fn fingerprint_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/upstream-runs.bin")
}

/// The words of `text` as runs are compared: split on white space, stripped of the
/// punctuation around them, lower case.
fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| "()[]{}<>,.;:!?\"'`*_|".contains(c))
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// FNV-1a of a run of words, cut to [`HASH_BYTES`].
fn run_hash(run: &[String]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for word in run {
        for byte in word.bytes().chain([0x1f]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash & ((1 << (8 * HASH_BYTES)) - 1)
}

fn runs(text: &str) -> impl Iterator<Item = u64> {
    let words = words(text);
    (0..words.len().saturating_sub(RUN - 1))
        .map(move |i| run_hash(&words[i..i + RUN]))
        .collect::<Vec<_>>()
        .into_iter()
}

/// The fingerprint of the pages in `dir`, sorted and without repeats.
fn fingerprint_of_pages(dir: &Path) -> Vec<u64> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    pages.sort();
    assert!(!pages.is_empty(), "no pages in {}", dir.display());
    let mut hashes: Vec<u64> = pages
        .iter()
        .flat_map(|p| runs(&std::fs::read_to_string(p).unwrap()).collect::<Vec<_>>())
        .collect();
    hashes.sort_unstable();
    hashes.dedup();
    hashes
}

fn encode(hashes: &[u64]) -> Vec<u8> {
    hashes
        .iter()
        .flat_map(|h| h.to_le_bytes()[..HASH_BYTES].to_vec())
        .collect()
}

fn decode(bytes: &[u8]) -> HashSet<u64> {
    bytes
        .chunks(HASH_BYTES)
        .map(|chunk| {
            let mut full = [0; 8];
            full[..HASH_BYTES].copy_from_slice(chunk);
            u64::from_le_bytes(full)
        })
        .collect()
}

/// The committed fingerprint; where the pages are present, checked against them first.
fn fingerprint() -> HashSet<u64> {
    let committed = std::fs::read(fingerprint_path()).unwrap_or_default();
    if pages_dir().is_dir() {
        let fresh = encode(&fingerprint_of_pages(&pages_dir()));
        if std::env::var("SHIRUBE_BLESS").as_deref() == Ok("upstream-runs") {
            std::fs::create_dir_all(fingerprint_path().parent().unwrap()).unwrap();
            std::fs::write(fingerprint_path(), &fresh).unwrap();
            eprintln!(
                "wrote {} ({} runs)",
                fingerprint_path().display(),
                fresh.len() / HASH_BYTES
            );
            return decode(&fresh);
        }
        assert!(
            committed == fresh,
            "{} does not match the pages in {}: rewrite it with SHIRUBE_BLESS=upstream-runs cargo test -p shirube-kb --test retold",
            fingerprint_path().display(),
            pages_dir().display()
        );
    }
    assert!(
        !committed.is_empty(),
        "{} is missing",
        fingerprint_path().display()
    );
    decode(&committed)
}

/// Every string of a header but the error lines programs printed.
fn header_prose(value: &toml::Value, key: &str, into: &mut Vec<String>) {
    match value {
        toml::Value::String(text) => into.push(text.clone()),
        toml::Value::Array(items) => {
            for item in items {
                header_prose(item, key, into);
            }
        }
        toml::Value::Table(table) => {
            for (k, v) in table {
                if k == "errors" && key == "symptoms" || k == "error" {
                    continue;
                }
                header_prose(v, k, into);
            }
        }
        _ => {}
    }
}

/// A body without program output: fenced code blocks and inline code.
fn body_prose(body: &str) -> Vec<String> {
    let mut paragraphs = vec![String::new()];
    let mut in_code = false;
    for line in body.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            paragraphs.push(String::new());
            continue;
        }
        if in_code {
            continue;
        }
        if line.trim().is_empty() {
            paragraphs.push(String::new());
            continue;
        }
        let mut plain = String::new();
        for (i, part) in line.split('`').enumerate() {
            // Odd parts were between backquotes.
            plain.push_str(if i % 2 == 0 { part } else { " " });
        }
        let last = paragraphs.last_mut().unwrap();
        last.push(' ');
        last.push_str(&plain);
    }
    paragraphs
}

/// The files whose every word is ours: all but the seed page's quoted primary files.
fn our_files() -> Vec<PathBuf> {
    let kb = root().join("kb");
    let mut files = Vec::new();
    for folder in std::fs::read_dir(&kb).unwrap().map(|e| e.unwrap().path()) {
        if !folder.is_dir() {
            continue;
        }
        let source = std::fs::read_to_string(folder.join("source.toml")).unwrap();
        let source: toml::Table = toml::from_str(&source).unwrap();
        let retold = source.get("text").and_then(|t| t.as_str()) == Some("retold");
        let quoted_lang = source["lang"].as_str().unwrap().to_string();
        for file in std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().path())
        {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            let quoted = !retold && name.ends_with(&format!(".{quoted_lang}.md"));
            if name.ends_with(".md") && name != "EXAMPLE.md" && !quoted {
                files.push(file);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn no_entry_shares_a_run_of_12_words_with_the_pages_it_was_written_from() {
    let pages = fingerprint();
    let files = our_files();
    assert!(files.len() > 300, "the entries are found: {}", files.len());
    let mut copied = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let parsed = parse_file(&file.display().to_string(), &text).unwrap();
        let header: toml::Value = toml::from_str(&parsed.header_text).unwrap();
        let mut prose = Vec::new();
        header_prose(&header, "", &mut prose);
        prose.push(parsed.title.clone());
        prose.extend(body_prose(&parsed.body));
        for part in &prose {
            let words = words(part);
            for i in 0..words.len().saturating_sub(RUN - 1) {
                if pages.contains(&run_hash(&words[i..i + RUN])) {
                    copied.push(format!(
                        "{}: \"{}\"",
                        file.strip_prefix(root()).unwrap_or(file).display(),
                        words[i..i + RUN].join(" ")
                    ));
                }
            }
        }
    }
    assert!(
        copied.is_empty(),
        "{} run(s) of {RUN} words copied from the reference pages; retell them:\n{}",
        copied.len(),
        copied.join("\n")
    );
}

/// The check finds text of the pages: a log line the 1.7.0 notes print (program output,
/// which may be quoted, so it can stand in this file) is found in them, and a sentence of
/// our own is not.
#[test]
fn text_of_the_pages_is_found_and_our_own_is_not() {
    let pages = fingerprint();
    let found = |text: &str| runs(text).any(|run| pages.contains(&run));
    assert!(found(
        "Operation failed, retrying with backoff. Cause: error creating \"baremetal.cluster.gke.io/v1, Kind=Cluster\" <cluster name>: Internal error occurred: failed calling webhook \"vcluster.kb.io\""
    ));
    assert!(!found(
        "From 1.32.1000-gke.57 on, the cluster status lists failures of node pools and of the control plane in one field."
    ));
}
