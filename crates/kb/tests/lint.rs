//! The lint reports every problem of a broken knowledge base as `file:line: message`, not
//! just the first, and accepts the committed one.

use shirube_kb::load_kb;
use std::fs;
use std::path::Path;

fn kb_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../kb"))
}

/// A copy of the committed kb/ to break.
fn copy_kb() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = kb_dir();
    for file in ["components.toml", "glossary.toml"] {
        fs::copy(src.join(file), dir.path().join(file)).unwrap();
    }
    fs::create_dir(dir.path().join("anthos-bm")).unwrap();
    for file in fs::read_dir(src.join("anthos-bm")).unwrap() {
        let path = file.unwrap().path();
        fs::copy(
            &path,
            dir.path().join("anthos-bm").join(path.file_name().unwrap()),
        )
        .unwrap();
    }
    dir
}

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join("anthos-bm").join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} does not contain {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn the_committed_knowledge_base_has_no_problems() {
    let kb = load_kb(kb_dir()).unwrap_or_else(|p| panic!("{p:#?}"));
    // One entry per primary file: the seed page is Japanese, every other source English.
    let primaries: usize = kb
        .sources
        .iter()
        .map(|source| {
            let suffix = format!(".{}.md", source.lang);
            fs::read_dir(kb_dir().join(&source.folder))
                .unwrap()
                .filter(|f| {
                    f.as_ref()
                        .unwrap()
                        .file_name()
                        .to_string_lossy()
                        .ends_with(&suffix)
                })
                .count()
        })
        .sum();
    assert!(primaries > 200, "{primaries}");
    assert_eq!(kb.entries.len(), primaries);
    assert!(kb.warnings.is_empty(), "{:#?}", kb.warnings);
    assert!(
        kb.entries.iter().all(|e| e.docs.len() == 2),
        "every entry has ja and en"
    );
}

#[test]
fn every_problem_is_reported_with_its_file_and_line() {
    let dir = copy_kb();
    edit(
        dir.path(),
        "ABM-0007.ja.md",
        "component = \"os\"",
        "component = \"kernel\"",
    );
    edit(
        dir.path(),
        "ABM-0008.ja.md",
        "lang = \"ja\"",
        "lang = \"ja\"\nseverity = \"high\"",
    );
    edit(
        dir.path(),
        "ABM-0013.ja.md",
        "fixed = \"1.11.0\"",
        "fixed = \"1.11.x\"",
    );
    edit(dir.path(), "ABM-0020.en.md", "## Workaround", "## Fix");

    let problems = load_kb(dir.path()).unwrap_err();
    let root = dir.path().display().to_string();
    let shown: Vec<String> = problems
        .iter()
        .map(|p| p.to_string().replace(&root, "kb"))
        .collect();

    assert_eq!(shown.len(), 4, "{shown:#?}");
    assert!(
        shown[0].starts_with("kb/anthos-bm/ABM-0007.ja.md:5: unknown component `kernel`"),
        "{shown:#?}"
    );
    assert!(
        shown[1].starts_with("kb/anthos-bm/ABM-0008.ja.md:5: header: unknown field `severity`"),
        "{shown:#?}"
    );
    assert!(
        shown[2].starts_with("kb/anthos-bm/ABM-0013.ja.md:"),
        "{shown:#?}"
    );
    assert!(shown[2].contains("`1.11.x` is not a version"), "{shown:#?}");
    assert!(
        shown[3].starts_with("kb/anthos-bm/ABM-0020.en.md:"),
        "{shown:#?}"
    );
    assert!(
        shown[3].contains("no `## Workaround` section"),
        "{shown:#?}"
    );
}

#[test]
fn a_translation_that_repeats_structured_fields_is_refused() {
    let dir = copy_kb();
    edit(
        dir.path(),
        "ABM-0001.en.md",
        "lang = \"en\"",
        "lang = \"en\"\ncomponent = \"os\"",
    );
    let problems = load_kb(dir.path()).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0]
            .message
            .contains("component belongs in the primary file only")
    );
    assert_eq!(problems[0].line, 5);
}

#[test]
fn an_unclosed_code_fence_is_reported_where_it_opens() {
    let dir = copy_kb();
    let path = dir.path().join("anthos-bm/ABM-0026.en.md");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, format!("{text}\n```shell\nkubectl get ns\n")).unwrap();
    let opening_line = text.lines().count() + 2;
    let problems = load_kb(dir.path()).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].line, opening_line);
    assert_eq!(problems[0].message, "code fence is never closed");
}

#[test]
fn a_header_that_contradicts_its_prose_is_flagged_unless_a_note_explains_it() {
    let dir = copy_kb();
    edit(
        dir.path(),
        "ABM-0042.ja.md",
        "fixed = \"1.9.0\" }]",
        "fixed = \"1.10.0\" }]",
    );
    edit(
        dir.path(),
        "ABM-0042.ja.md",
        "fixed_in = \"1.9.0\"",
        "fixed_in = \"1.10.0\"",
    );
    let kb = load_kb(dir.path()).unwrap();
    let flagged: Vec<String> = kb
        .warnings
        .iter()
        .map(|w| w.file.rsplit('/').next().unwrap().to_string())
        .collect();
    assert_eq!(flagged, ["ABM-0042.ja.md"]);
    assert!(
        kb.warnings[0]
            .message
            .contains("the prose reads as < 1.9.0"),
        "{}",
        kb.warnings[0]
    );

    edit(
        dir.path(),
        "ABM-0042.ja.md",
        "fixed_in = ",
        "note = \"we read it so\"\nfixed_in = ",
    );
    assert!(load_kb(dir.path()).unwrap().warnings.is_empty());
}

#[test]
fn a_loanword_already_searched_both_ways_is_reported_on_its_line() {
    let dir = copy_kb();
    let path = dir.path().join("glossary.toml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, format!("{text}\"プロキシ\" = \"proxy\"\n")).unwrap();
    let problems = load_kb(dir.path()).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(
        problems[0].message,
        "loanword `プロキシ` is already in a synonym group"
    );
    assert_eq!(problems[0].line, text.lines().count() + 1);
}
