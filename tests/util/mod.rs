//! Running the real binary, and reading the test data.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use serde::Deserialize;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// What a run of the binary left behind.
pub struct Output {
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// The `shirube` binary cargo built for these tests, with a neutral environment.
pub fn shirube() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_shirube"));
    command
        .env_remove("NO_COLOR")
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        // No packs but those a test installs: this user's own never reach a test.
        .env(
            "SHIRUBE_DATA_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/no-data-dir"),
        );
    command
}

impl Output {
    /// The output, once its exit code is `code`: a check that reads what a run printed
    /// states the exit code it expects.
    #[track_caller]
    pub fn exits(self, code: i32) -> Output {
        assert_eq!(
            self.code,
            code,
            "exit code; stderr: {}",
            String::from_utf8_lossy(&self.stderr)
        );
        self
    }
}

pub trait OutputChecked {
    fn output_checked(&mut self) -> Output;
}

impl OutputChecked for Command {
    /// Runs the command; a signal (a crash) fails the test.
    fn output_checked(&mut self) -> Output {
        let out = self.output().expect("the shirube binary runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "shirube panicked: {stderr}");
        Output {
            code: out
                .status
                .code()
                .expect("shirube exited normally, not by a signal"),
            stdout: out.stdout,
            stderr: out.stderr,
        }
    }
}

pub fn run(args: &[&str]) -> Output {
    shirube().args(args).output_checked()
}

pub fn run_with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = shirube()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the shirube binary runs");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        // shirube may stop reading early; a closed pipe here is fine.
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "shirube panicked: {stderr}");
    Output {
        code: out.status.code().expect("shirube exited normally"),
        stdout: out.stdout,
        stderr: out.stderr,
    }
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The ids of the entries in `report[list]` (`findings`, `not_stated`, `results`), in order.
pub fn ids(report: &serde_json::Value, list: &str) -> Vec<String> {
    report[list]
        .as_array()
        .unwrap_or_else(|| panic!("no {list:?} list in {report}"))
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

/// The committed knowledge base, as the build step reads it: what the binary carries, so
/// tests count entries here instead of writing the counts down.
pub fn kb() -> &'static shirube_kb::KnowledgeBase {
    static KB: std::sync::OnceLock<shirube_kb::KnowledgeBase> = std::sync::OnceLock::new();
    KB.get_or_init(|| {
        shirube_kb::load_kb(&repo().join("kb")).unwrap_or_else(|p| panic!("kb/ loads: {p:#?}"))
    })
}

/// The issue titles of the seed page, in page order, as the importer reads them.
pub fn seed_titles() -> Vec<String> {
    let page = std::fs::read_to_string(repo().join("kb/anthos-bm/page.ja.txt")).unwrap();
    let source: shirube_kb::SourceDocument =
        toml::from_str(&std::fs::read_to_string(repo().join("kb/anthos-bm/source.toml")).unwrap())
            .unwrap();
    shirube_kb::import::read_page(&page, &source.categories)
        .issues
        .into_iter()
        .map(|i| i.title)
        .collect()
}

/// `(id, title)` of every `### ID: title` heading of an export.
pub fn markdown_entry_headings(markdown: &str) -> Vec<(String, String)> {
    headings(markdown, HeadingLevel::H3)
        .into_iter()
        .filter_map(|h| {
            let (id, title) = h.split_once(": ")?;
            Some((id.to_string(), title.to_string()))
        })
        .collect()
}

pub fn markdown_h2_count(markdown: &str) -> usize {
    headings(markdown, HeadingLevel::H2).len()
}

fn headings(markdown: &str, wanted: HeadingLevel) -> Vec<String> {
    let mut found = Vec::new();
    let mut current: Option<String> = None;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Heading { level, .. }) if level == wanted => {
                current = Some(String::new())
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = current.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => found.extend(current.take()),
            _ => {}
        }
    }
    found
}

/// One query of a test query set (`tests/queries/*.toml`).
#[derive(Debug, Deserialize)]
pub struct Query {
    pub kind: String,
    pub lang: String,
    pub text: String,
    pub expect: Option<String>,
}

#[derive(Deserialize)]
struct QueryFile {
    query: Vec<Query>,
}

pub fn queries(file: &str) -> Vec<Query> {
    let path = repo().join("tests/queries").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    toml::from_str::<QueryFile>(&text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .query
}
