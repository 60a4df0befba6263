//! shirube's fuzz targets: each takes the fuzzer's bytes, turns them into the input it
//! exercises, runs it, and asserts what must hold whatever the input (beyond "no panic").
//!
//! The same functions run two ways: for hours under libFuzzer (`fuzz/`, `cargo +nightly
//! fuzz run NAME`, see `fuzz/run.sh`), and for a few hundred inputs as property tests on
//! every `cargo test` (`tests/` of this crate), so a regression shows on stable too.

use arbitrary::{Arbitrary, Unstructured};
use shirube::Filters;
use shirube::KnownErrors;
use shirube::facts::FactsFile;
use shirube::printer::terminal::{Escaping, escape};
use shirube::printer::{entry as entry_printer, json, markdown};
use shirube::report::{CheckReport, EntryDetail, ExportReport};
use shirube::search::{Engine, Request};
use shirube::store::embedded;
use shirube::triage::{Tally, scan, scan_input};
use shirube_kb::condition::Conditions;
use shirube_kb::version::{RangeEnd, VersionRange};
use shirube_kb::{
    Component, Document, Entry, Glossary, KnowledgeBase, Lang, Note, Outside, Source,
    SourceDocument, SourceText, Upstream, Version, VersionQuery, Versions,
};
use std::io::Write;
use std::sync::OnceLock;

/// A fuzz target: the fuzzer's bytes in, a panic when something that must hold does not.
pub type Target = fn(&[u8]);

/// Every target, by name: what `fuzz/` builds and the property tests run.
pub const TARGETS: &[(&str, Target)] = &[
    ("triage_scan", triage_scan),
    ("render_kb", render_kb),
    ("versions", versions),
    ("search", search),
    ("normalize", normalize),
    ("kb_file", kb_file),
    ("triage_archive", triage_archive),
    ("facts_file", facts_file),
];

/// The embedded knowledge base's known errors, built once.
fn known_errors() -> &'static KnownErrors {
    static KNOWN: OnceLock<KnownErrors> = OnceLock::new();
    KNOWN.get_or_init(|| embedded::known_errors().unwrap())
}

/// Whether `text` holds a character a terminal would act on.
fn has_raw_control(text: &str) -> bool {
    text.chars()
        .any(|c| (c.is_control() && c != '\n' && c != '\t') || ('\u{80}'..='\u{9f}').contains(&c))
}

/// `triage`'s scanner over arbitrary bytes, plain and (by the first byte) gzip-compressed:
/// it counts every line and every byte, and never fails on plain bytes.
pub fn triage_scan(data: &[u8]) {
    let Some((&mode, bytes)) = data.split_first() else {
        return;
    };
    let mut tally = Tally::default();
    if mode % 2 == 0 {
        scan(known_errors(), bytes, "fuzz", &mut tally).expect("plain bytes always scan");
        let newlines = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
        let unterminated = u64::from(!bytes.is_empty() && bytes.last() != Some(&b'\n'));
        assert_eq!(tally.lines, newlines + unterminated);
        assert_eq!(tally.bytes, bytes.len() as u64);
    } else {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(bytes).unwrap();
        let compressed = gz.finish().unwrap();
        // Cut short by the mode byte: an error for this input, never a panic.
        let cut = compressed.len() - usize::from(mode / 2) % (compressed.len() / 2 + 1);
        let _ = scan(
            known_errors(),
            flate2::read::MultiGzDecoder::new(&compressed[..cut]),
            "fuzz.gz",
            &mut tally,
        );
    }
    for finding in &tally.findings {
        assert!(finding.count >= 1 && finding.first.line <= finding.last.line);
    }
}

/// A string the knowledge base could hold: any text, controls included.
fn text(u: &mut Unstructured) -> arbitrary::Result<String> {
    String::arbitrary(u)
}

fn version(u: &mut Unstructured) -> arbitrary::Result<Version> {
    let parts: Vec<u32> = (0..u.int_in_range(1..=3)?)
        .map(|_| u.int_in_range(0..=20))
        .collect::<Result<_, _>>()?;
    let written: Vec<String> = parts.iter().map(u32::to_string).collect();
    Ok(written
        .join(".")
        .parse()
        .expect("digits and dots are a version"))
}

fn range(u: &mut Unstructured) -> arbitrary::Result<VersionRange> {
    Ok(VersionRange {
        introduced: version(u)?,
        end: match u.int_in_range(0..=2)? {
            0 => None,
            1 => Some(RangeEnd::Fixed(version(u)?)),
            _ => Some(RangeEnd::LastAffected(version(u)?)),
        },
    })
}

fn lang(u: &mut Unstructured) -> arbitrary::Result<Lang> {
    Ok(if bool::arbitrary(u)? {
        Lang::Ja
    } else {
        Lang::En
    })
}

const COMPONENTS: &[&str] = &["os", "networking", "upgrade"];

/// A knowledge base made of arbitrary typed data, kept only when it is one a reader would
/// accept (what `--kb` validates).
fn knowledge_base(u: &mut Unstructured) -> arbitrary::Result<KnowledgeBase> {
    let mut entries = Vec::new();
    for n in 0..u.int_in_range(1..=4)? {
        let primary = lang(u)?;
        let mut docs = vec![Document {
            lang: primary,
            title: text(u)?,
            body: text(u)?,
            first_step: text(u)?,
            file: text(u)?,
        }];
        if bool::arbitrary(u)? {
            docs.push(Document {
                lang: if primary == Lang::Ja {
                    Lang::En
                } else {
                    Lang::Ja
                },
                title: text(u)?,
                body: text(u)?,
                first_step: text(u)?,
                file: text(u)?,
            });
        }
        entries.push(Entry {
            id: format!("FZ-{n:04}"),
            component: u.choose(COMPONENTS)?.to_string(),
            keywords: Vec::arbitrary(u)?,
            source: Source {
                document: text(u)?,
                category: text(u)?,
                title: text(u)?,
                lang: primary,
                file: text(u)?,
                url: Option::<String>::arbitrary(u)?,
                date: Option::<String>::arbitrary(u)?,
                notes: (0..u.int_in_range(0..=2)?)
                    .map(|_| {
                        Ok(Note {
                            release: version(u)?,
                            date: text(u)?,
                            url: Option::<String>::arbitrary(u)?,
                        })
                    })
                    .collect::<arbitrary::Result<_>>()?,
            },
            versions: Versions {
                affected: if bool::arbitrary(u)? {
                    Some(
                        (0..u.int_in_range(1..=2)?)
                            .map(|_| range(u))
                            .collect::<Result<_, _>>()?,
                    )
                } else {
                    None
                },
                fixed_in: if bool::arbitrary(u)? {
                    Some(version(u)?)
                } else {
                    None
                },
                upgrade_to: Vec::new(),
                statement: Vec::arbitrary(u)?,
                note: Option::arbitrary(u)?,
                older_lines: if bool::arbitrary(u)? {
                    Outside::NotStated
                } else {
                    Outside::NotAffected
                },
                newer_lines: if bool::arbitrary(u)? {
                    Outside::NotStated
                } else {
                    Outside::NotAffected
                },
            },
            errors: Vec::arbitrary(u)?,
            upstream: Upstream::default(),
            conditions: Conditions {
                when: Vec::new(),
                statement: Vec::new(),
            },
            docs,
            pack: None,
        });
    }
    Ok(KnowledgeBase {
        entries: entries.into(),
        components: COMPONENTS
            .iter()
            .map(|id| Component {
                id: id.to_string(),
                ja: id.to_string(),
                en: id.to_string(),
            })
            .collect(),
        sources: vec![SourceDocument {
            title: "fuzz".to_string(),
            lang: Lang::Ja,
            id_prefix: "FZ".to_string(),
            categories: Vec::new(),
            text: SourceText::Retold,
            url: None,
            licence: None,
            folder: String::new(),
        }],
        glossary: Glossary::default(),
        build_id: String::new(),
        warnings: Vec::new(),
    })
}

/// A knowledge base from typed data, every entry rendered as text, Markdown and JSON, and
/// `check` and `export` over it: text never carries a raw control character, JSON always
/// parses back, and `export` keeps every entry.
pub fn render_kb(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(kb) = knowledge_base(&mut u) else {
        return;
    };
    kb.validate().expect("generated knowledge bases are valid");
    let shown = lang(&mut u).unwrap_or(Lang::En);
    for entry in &kb.entries {
        let detail = EntryDetail::new(entry, shown, &kb);
        let mut out = Escaping(termcolor::NoColor::new(Vec::new()));
        entry_printer::print_entry(&mut out, &detail).unwrap();
        let printed = String::from_utf8(out.0.into_inner()).unwrap();
        assert!(!has_raw_control(&printed), "{printed:?}");
        assert!(!has_raw_control(&escape(&markdown::entry(&detail, 1))));
        let mut written = Vec::new();
        json::write(&mut written, &detail).unwrap();
        let parsed: serde_json::Value = serde_json::from_slice(&written).unwrap();
        assert_eq!(parsed["id"], entry.id.as_str());
    }
    let all: Vec<&Entry> = kb.entries.iter().collect();
    let export = ExportReport::new(&all, shown, &kb);
    let mut written = Vec::new();
    json::write(&mut written, &export).unwrap();
    let parsed: serde_json::Value = serde_json::from_slice(&written).unwrap();
    assert_eq!(
        parsed["entries"].as_array().unwrap().len(),
        kb.entries.len()
    );
    let _ = markdown::export(&export);
    if let Ok(at) = version(&mut u) {
        let query: VersionQuery = at.to_string().parse().unwrap();
        let report = CheckReport::new(&kb, &query, None, shown);
        assert!(report.findings.len() <= kb.entries.len());
    }
}

/// Version and range parsing, and `check` with what parses: a version prints back as it
/// parses, an upgrade is refused unless it goes up, and `check` never fails.
pub fn versions(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (first, second) = text.split_once(' ').unwrap_or((&text, ""));
    let kb = embedded::knowledge_base().unwrap();
    let Ok(version) = first.parse::<VersionQuery>() else {
        return;
    };
    let again: VersionQuery = version.to_string().parse().expect("a version prints back");
    assert_eq!(again.to_string(), version.to_string());
    let target = second.parse::<VersionQuery>().ok();
    let _ = CheckReport::new(kb, &version, target.as_ref(), Lang::En);
    if let Some(target) = &target {
        let refused = shirube::check_upgrade(&version, Some(target)).is_err();
        assert_eq!(refused, !version.upgrades_to(target));
    }
    let _ = first.parse::<Version>();
}

thread_local! {
    /// The search engine is not shared between threads (its statistics cache is per thread).
    static ENGINE: Engine = Engine::embedded().unwrap();
}

/// `search` over arbitrary text with every filter: every hit is an entry of the knowledge
/// base that passes the filters, confidences are between 0 and 1, and no more hits are
/// shown than asked for.
pub fn search(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(choice) = u8::arbitrary(&mut u) else {
        return;
    };
    let version = match choice % 4 {
        0 => None,
        1 => Some("1.8.1"),
        2 => Some("1.7"),
        _ => Some("1.11.2"),
    }
    .map(|v| v.parse::<VersionQuery>().unwrap());
    let component = match choice / 4 % 3 {
        0 => None,
        1 => Some("networking".to_string()),
        _ => Some("upgrade".to_string()),
    };
    let limit = usize::from(choice / 12 % 10) + 1;
    let text = String::from_utf8_lossy(u.take_rest()).into_owned();
    if text.trim().is_empty() {
        return;
    }
    ENGINE.with(|engine| {
        let filters = Filters { version, component };
        let request = Request {
            filters: filters.clone(),
            limit,
            weak: limit,
            lang: if choice % 2 == 0 {
                Some(Lang::Ja)
            } else {
                None
            },
            ..Request::new(&text)
        };
        let ranking = engine.search(&request).unwrap();
        assert!(ranking.shown.len() <= limit);
        for hit in ranking.shown.iter().chain(&ranking.withheld) {
            assert!((0.0..=1.0).contains(&hit.confidence), "{}", hit.confidence);
            assert!(filters.matches(hit.entry));
        }
    });
}

/// The normalisers, ANSI stripping, line masking and terminal escaping on arbitrary text:
/// offsets map back inside the original, escaped text has no raw control character.
pub fn normalize(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let normalized = shirube_analysis::normalize::normalize(&text);
    for offset in 0..=normalized.text.len() {
        if normalized.text.is_char_boundary(offset) {
            assert!(normalized.original_offset(offset) <= text.len());
            assert!(normalized.original_end(offset) <= text.len());
        }
    }
    let stripped = shirube_analysis::signature::strip_ansi(&text);
    let _ = shirube_analysis::signature::Signature::of_line(&stripped);
    let _ = shirube_analysis::signature::Signature::of_known_error(&text);
    assert!(!has_raw_control(&escape(&text)));
}

/// The knowledge-base file parser and the page importer on arbitrary text: problems are
/// diagnostics, never a panic.
pub fn kb_file(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = shirube_kb::parse::parse_file("kb/fuzz/FZ-0001.ja.md", &text);
    let page = shirube_kb::import::read_page(&text, &["インストール".to_string()]);
    let source = SourceDocument {
        title: "fuzz".to_string(),
        lang: Lang::Ja,
        id_prefix: "FZ".to_string(),
        categories: vec!["インストール".to_string()],
        text: SourceText::Verbatim,
        url: None,
        licence: None,
        folder: "fuzz".to_string(),
    };
    let _ = shirube_kb::import::draft_entries(&page, &source, &Default::default());
}

/// A tar archive built from the fuzzer's bytes — members of any type (files, GNU long names
/// and links, PAX records, folders), with sizes declared as they like and contents that may
/// fall short of them — read by `triage` plain or gzip-compressed: never a panic, extension
/// headers never read past their bound (libFuzzer's memory limit stops a run that reads a
/// declared size), every finding named inside the archive.
pub fn triage_archive(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(archive) = tar_archive(&mut u) else {
        return;
    };
    let gzip = bool::arbitrary(&mut u).unwrap_or(false);
    let bytes = if gzip {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&archive).unwrap();
        gz.finish().unwrap()
    } else {
        archive
    };
    let mut tally = Tally::default();
    let _ = scan_input(known_errors(), &bytes[..], "fuzz.tar", &mut tally);
    for finding in &tally.findings {
        assert!(
            finding.first.file.starts_with("fuzz.tar"),
            "{}",
            finding.first.file
        );
    }
    for error in &tally.errors {
        assert!(!error.message.contains('\n'), "{}", error.message);
    }
}

/// Member types a snapshot archive may hold, and the extension headers before them.
const TAR_TYPES: &[u8] = b"0LKxg5271S";

/// The bytes of a tar archive of up to six members drawn from `u`.
fn tar_archive(u: &mut Unstructured) -> arbitrary::Result<Vec<u8>> {
    let mut archive = Vec::new();
    for _ in 0..u.int_in_range(0..=6)? {
        let kind = *u.choose(TAR_TYPES)?;
        let mut content = if bool::arbitrary(u)? {
            b"I0302 ok\nDocker service is not active\n".to_vec()
        } else {
            let length = u.int_in_range(0..=2048)?;
            u.bytes(length)?.to_vec()
        };
        // Declared sizes may lie, up to 4 GiB: what a hostile archive says.
        let declared = if bool::arbitrary(u)? {
            content.len() as u64
        } else {
            u64::from(u32::arbitrary(u)?)
        };
        let mut header = tar::Header::new_ustar();
        let name = String::arbitrary(u)?;
        if header.set_path(&name).is_err() {
            header.set_path("member.log").unwrap();
        }
        header.set_entry_type(tar::EntryType::new(kind));
        header.set_size(declared);
        header.set_mode(0o644);
        header.set_cksum();
        archive.extend_from_slice(header.as_bytes());
        content.resize(content.len().div_ceil(512) * 512, 0);
        archive.extend(content);
    }
    if bool::arbitrary(u)? {
        archive.extend([0; 1024]);
    }
    Ok(archive)
}

/// A facts file of any bytes: its facts are ones the conditions know, each saying it came
/// from the file, or it is one error of one line.
pub fn facts_file(data: &[u8]) {
    match FactsFile::parse("fuzz.json", data) {
        Ok(node) => {
            for (name, found) in &node.facts {
                assert!(shirube_kb::condition::fact(name).is_some(), "{name}");
                assert!(found.from.starts_with("fuzz.json"), "{}", found.from);
            }
        }
        Err(error) => assert!(!error.to_string().contains('\n'), "{error}"),
    }
}
