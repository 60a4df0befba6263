//! Loading and checking a whole knowledge-base folder.
//!
//! Layout: `kb/components.toml`, and one folder per source document holding `source.toml` and
//! the entry files `<ID>.<lang>.md`. Every problem in every file is collected; the caller gets
//! either a fully valid [`KnowledgeBase`] or the complete list of [`Diagnostic`]s.

use crate::diagnostic::Diagnostic;
use crate::entry::{Component, Document, Entry, Source, Versions};
use crate::lang::Lang;
use crate::markdown;
use crate::parse::{ParsedFile, parse_file};
use crate::version::{Version, VersionRange};
use crate::version_text;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

/// Everything the build step needs from `kb/`; also what the binary embeds, as JSON.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct KnowledgeBase {
    /// Sorted by id.
    pub entries: Vec<Entry>,
    /// In the order of `components.toml`.
    pub components: Vec<Component>,
    pub sources: Vec<SourceDocument>,
    /// Groups of terms that mean the same, and loanwords (`kb/glossary.toml`), for
    /// cross-lingual search.
    pub glossary: Glossary,
    /// Things worth a look that do not stop the build: a header whose versions differ from
    /// what its prose states (the header wins).
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
}

/// `kb/glossary.toml`: how a question in one language reaches the other language's words.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Glossary {
    /// Groups of terms that mean the same: a query mentioning one also searches the others.
    pub synonyms: Vec<Vec<String>>,
    /// Japanese loanwords and the English word each spells, searched one way only: a
    /// Japanese question that writes ディスク also searches `disk`, while English text is not
    /// widened into Japanese (every entry has English text of its own, and a pasted English
    /// log would pull in the Japanese page's everyday words).
    #[serde(default)]
    pub loanwords: BTreeMap<String, String>,
}

/// A source document folder's `source.toml`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceDocument {
    /// The page title, which every entry's `source.document` repeats.
    pub title: String,
    pub lang: Lang,
    /// Prefix of the ids of this folder's entries, e.g. `ABM`.
    pub id_prefix: String,
    /// The page's category headings in page order (the dump lost heading levels).
    pub categories: Vec<String>,
    /// Folder name under `kb/`; filled in on load.
    #[serde(default, skip)]
    pub folder: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ComponentLabels {
    ja: String,
    en: String,
}

/// The entry files of a folder that parsed, and the ids of those that did not (whose other
/// files are then not blamed for the missing part).
struct FolderFiles {
    parsed: Vec<EntryFile>,
    broken_ids: std::collections::HashSet<String>,
}

/// One entry file, parsed, with its names.
struct EntryFile {
    label: String,
    rel: String,
    id: String,
    lang: Lang,
    parsed: ParsedFile,
}

/// Loads and checks the knowledge base under `dir`. Diagnostics name files as `dir/...`.
pub fn load_kb(dir: &Path) -> Result<KnowledgeBase, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let components = load_components(dir, &mut problems);
    let glossary = load_glossary(dir, &mut problems);
    let known: HashMap<&str, ()> = components.iter().map(|c| (c.id.as_str(), ())).collect();

    let mut sources = Vec::new();
    let mut entries = Vec::new();
    let mut warnings = Vec::new();
    for folder in sorted_dir(dir, &mut problems) {
        if !folder.is_dir() {
            continue;
        }
        let Some(source) = load_source(&folder, dir, &mut problems) else {
            continue;
        };
        let files = load_entry_files(&folder, dir, &source, &mut problems);
        let mut by_id: BTreeMap<String, Vec<EntryFile>> = BTreeMap::new();
        for file in files.parsed {
            by_id.entry(file.id.clone()).or_default().push(file);
        }
        for (id, group) in by_id {
            // A file of this entry did not parse: its problem is already reported.
            let complete = !files.broken_ids.contains(&id);
            if let Some(entry) = build_entry(group, complete, &source, &known, &mut problems) {
                warnings.extend(compare_versions_with_prose(&entry, dir));
                entries.push(entry);
            }
        }
        sources.push(source);
    }
    check_unique_titles(&entries, dir, &mut problems);

    if problems.is_empty() {
        entries.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(KnowledgeBase {
            entries,
            components,
            sources,
            glossary,
            warnings,
        })
    } else {
        problems.sort();
        problems.dedup();
        Err(problems)
    }
}

fn label(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .map(|rel| root.join(rel))
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

fn sorted_dir(dir: &Path, problems: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    match fs::read_dir(dir) {
        Ok(read) => {
            let mut paths: Vec<PathBuf> = read.filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort();
            paths
        }
        Err(e) => {
            problems.push(Diagnostic::new(
                dir.display().to_string(),
                0,
                format!("cannot read: {e}"),
            ));
            Vec::new()
        }
    }
}

fn read_text(path: &Path, root: &Path, problems: &mut Vec<Diagnostic>) -> Option<String> {
    match fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Some(text),
            Err(e) => {
                let bytes = e.as_bytes();
                let at = e.utf8_error().valid_up_to();
                let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
                problems.push(Diagnostic::new(label(root, path), line, "not valid UTF-8"));
                None
            }
        },
        Err(e) => {
            problems.push(Diagnostic::new(
                label(root, path),
                0,
                format!("cannot read: {e}"),
            ));
            None
        }
    }
}

fn toml_problem(file: String, text: &str, e: &toml::de::Error) -> Diagnostic {
    let line = e
        .span()
        .map_or(0, |s| text[..s.start].matches('\n').count())
        + 1;
    Diagnostic::new(file, line, e.message().trim().replace('\n', " "))
}

fn load_components(dir: &Path, problems: &mut Vec<Diagnostic>) -> Vec<Component> {
    let path = dir.join("components.toml");
    let Some(text) = read_text(&path, dir, problems) else {
        return Vec::new();
    };
    match toml::from_str::<toml::Table>(&text) {
        Ok(table) => table
            .into_iter()
            .filter_map(|(id, value)| match value.try_into::<ComponentLabels>() {
                Ok(labels) => Some(Component {
                    id,
                    ja: labels.ja,
                    en: labels.en,
                }),
                Err(e) => {
                    let line = text
                        .lines()
                        .position(|l| l.trim() == format!("[{id}]"))
                        .map_or(1, |i| i + 1);
                    problems.push(Diagnostic::new(
                        label(dir, &path),
                        line,
                        format!("component `{id}`: {}", e.message().trim()),
                    ));
                    None
                }
            })
            .collect(),
        Err(e) => {
            problems.push(toml_problem(label(dir, &path), &text, &e));
            Vec::new()
        }
    }
}

fn load_glossary(dir: &Path, problems: &mut Vec<Diagnostic>) -> Glossary {
    let path = dir.join("glossary.toml");
    let Some(text) = read_text(&path, dir, problems) else {
        return Glossary::default();
    };
    let glossary: Glossary = match toml::from_str(&text) {
        Ok(g) => g,
        Err(e) => {
            problems.push(toml_problem(label(dir, &path), &text, &e));
            return Glossary::default();
        }
    };
    // For diagnostics: the first line that quotes `term`, or that starts with it.
    let line_of = |term: &str, starts: bool| {
        let quoted = format!("\"{term}\"");
        text.lines()
            .position(|l| {
                if starts {
                    l.trim_start().starts_with(&quoted)
                } else {
                    l.contains(&quoted)
                }
            })
            .map_or(1, |i| i + 1)
    };
    let mut seen: HashMap<String, ()> = HashMap::new();
    for group in &glossary.synonyms {
        let line = group.first().map_or(1, |t| line_of(t, false));
        if group.len() < 2 || group.iter().any(|t| t.trim().is_empty()) {
            problems.push(Diagnostic::new(
                label(dir, &path),
                line,
                "a synonym group needs two or more non-empty terms",
            ));
        }
        for term in group {
            if seen.insert(term.to_lowercase(), ()).is_some() {
                problems.push(Diagnostic::new(
                    label(dir, &path),
                    line,
                    format!("`{term}` is already in another group"),
                ));
            }
        }
    }
    for (loanword, english) in &glossary.loanwords {
        let line = line_of(loanword, true);
        if loanword.trim().is_empty() || english.trim().is_empty() {
            problems.push(Diagnostic::new(
                label(dir, &path),
                line,
                "a loanword and its English word must not be empty",
            ));
        }
        // Already searched both ways: a loanword entry would add its word a second time.
        if seen.contains_key(&loanword.to_lowercase()) {
            problems.push(Diagnostic::new(
                label(dir, &path),
                line,
                format!("loanword `{loanword}` is already in a synonym group"),
            ));
        }
    }
    glossary
}

fn load_source(
    folder: &Path,
    root: &Path,
    problems: &mut Vec<Diagnostic>,
) -> Option<SourceDocument> {
    let path = folder.join("source.toml");
    if !path.exists() {
        problems.push(Diagnostic::new(
            label(root, folder),
            0,
            "a knowledge-base folder needs a source.toml describing its source document",
        ));
        return None;
    }
    let text = read_text(&path, root, problems)?;
    match toml::from_str::<SourceDocument>(&text) {
        Ok(mut source) => {
            source.folder = folder
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Some(source)
        }
        Err(e) => {
            problems.push(toml_problem(label(root, &path), &text, &e));
            None
        }
    }
}

/// Splits `ABM-0007.ja.md` into (`ABM-0007`, `ja`).
fn split_file_name(name: &str) -> Option<(&str, &str)> {
    let stem = name.strip_suffix(".md")?;
    let (id, lang) = stem.rsplit_once('.')?;
    Some((id, lang))
}

fn load_entry_files(
    folder: &Path,
    root: &Path,
    source: &SourceDocument,
    problems: &mut Vec<Diagnostic>,
) -> FolderFiles {
    let mut files = Vec::new();
    let mut broken_ids = std::collections::HashSet::new();
    for path in sorted_dir(folder, problems) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Entries are the Markdown files; source.toml and the page dump sit beside them.
        if !name.ends_with(".md") {
            continue;
        }
        let file_label = label(root, &path);
        let Some((id, lang)) = split_file_name(&name) else {
            problems.push(Diagnostic::new(
                file_label,
                0,
                "not an entry file: entry files are named <ID>.<lang>.md, e.g. ABM-0007.ja.md",
            ));
            continue;
        };
        let lang: Lang = match lang.parse() {
            Ok(lang) => lang,
            Err(e) => {
                problems.push(Diagnostic::new(file_label, 0, format!("file name: {e}")));
                continue;
            }
        };
        if !is_valid_id(id, &source.id_prefix) {
            problems.push(Diagnostic::new(
                file_label.clone(),
                0,
                format!(
                    "file name: `{id}` is not an id of this folder (expected {}-NNNN, four or more digits)",
                    source.id_prefix
                ),
            ));
        }
        let Some(text) = read_text(&path, root, problems) else {
            continue;
        };
        match parse_file(&file_label, &text) {
            Ok(parsed) => {
                if parsed.header.entry.id != id {
                    problems.push(Diagnostic::new(
                        &file_label,
                        parsed.header_line_of("id"),
                        format!(
                            "id `{}` does not match the file name `{name}`",
                            parsed.header.entry.id
                        ),
                    ));
                }
                if parsed.header.entry.lang != lang.code() {
                    problems.push(Diagnostic::new(
                        &file_label,
                        parsed.header_line_of("lang"),
                        format!(
                            "lang `{}` does not match the file name `{name}`",
                            parsed.header.entry.lang
                        ),
                    ));
                }
                problems.extend(markdown::check_body(
                    &file_label,
                    &parsed.body,
                    parsed.body_first_line,
                    lang,
                ));
                let rel = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .display()
                    .to_string();
                files.push(EntryFile {
                    label: file_label,
                    rel,
                    id: id.to_string(),
                    lang,
                    parsed,
                });
            }
            Err(mut found) => {
                broken_ids.insert(id.to_string());
                problems.append(&mut found);
            }
        }
    }
    FolderFiles {
        parsed: files,
        broken_ids,
    }
}

fn is_valid_id(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix)
        .and_then(|rest| rest.strip_prefix('-'))
        .is_some_and(|n| n.len() >= 4 && n.bytes().all(|b| b.is_ascii_digit()))
}

fn build_entry(
    files: Vec<EntryFile>,
    complete: bool,
    source: &SourceDocument,
    known_components: &HashMap<&str, ()>,
    problems: &mut Vec<Diagnostic>,
) -> Option<Entry> {
    let (primaries, translations): (Vec<EntryFile>, Vec<EntryFile>) = files
        .into_iter()
        .partition(|f| f.parsed.header.source.is_some());
    let mut primaries = primaries.into_iter();
    let Some(primary) = primaries.next() else {
        for t in translations.iter().filter(|_| complete) {
            problems.push(Diagnostic::new(
                &t.label,
                t.parsed.header_first_line,
                format!(
                    "entry {} has no primary file (the one with a [source] table)",
                    t.id
                ),
            ));
        }
        return None;
    };
    for extra in primaries {
        problems.push(Diagnostic::new(
            &extra.label,
            extra.parsed.header_line_of("[source]"),
            "a second primary file for this entry: translations carry only [entry] id and lang",
        ));
    }
    for t in &translations {
        check_translation_header(t, problems);
    }

    let before = problems.len();
    let header = &primary.parsed.header;
    let raw_source = header.source.as_ref()?;
    let at = |needle: &str| primary.parsed.header_line_of(needle);
    if primary.lang != source.lang {
        problems.push(Diagnostic::new(
            &primary.label,
            at("lang"),
            format!(
                "the primary file must be in the source's language `{}`",
                source.lang
            ),
        ));
    }
    if raw_source.document != source.title {
        problems.push(Diagnostic::new(
            &primary.label,
            at("document"),
            format!("source.document must be the page title `{}`", source.title),
        ));
    }
    if !source.categories.contains(&raw_source.category) {
        problems.push(Diagnostic::new(
            &primary.label,
            at("category"),
            format!(
                "source.category `{}` is not one of the categories in source.toml",
                raw_source.category
            ),
        ));
    }
    if markdown::inline_text(&primary.parsed.title) != raw_source.title {
        problems.push(Diagnostic::new(
            &primary.label,
            primary.parsed.title_line,
            format!(
                "the title of the primary file must be source.title `{}`",
                raw_source.title
            ),
        ));
    }
    let component = match header.entry.component.as_deref() {
        Some(c) if known_components.contains_key(c) => c.to_string(),
        Some(c) => {
            problems.push(Diagnostic::new(
                &primary.label,
                at("component"),
                format!(
                    "unknown component `{c}`: add it to kb/components.toml or use one listed there"
                ),
            ));
            String::new()
        }
        None => {
            problems.push(Diagnostic::new(
                &primary.label,
                primary.parsed.header_first_line,
                "the primary file needs `component` in [entry]",
            ));
            String::new()
        }
    };
    let versions = check_versions(&primary, problems);
    let errors = header
        .symptoms
        .as_ref()
        .map(|s| s.errors.clone())
        .unwrap_or_default();
    for error in &errors {
        if error.trim().is_empty() || error.contains('\n') {
            problems.push(Diagnostic::new(
                &primary.label,
                at("errors"),
                "symptoms.errors holds one non-empty line per string",
            ));
        }
    }
    if problems.len() > before {
        return None;
    }

    let docs = std::iter::once(&primary)
        .chain(translations.iter())
        .map(|f| Document {
            lang: f.lang,
            title: markdown::inline_text(&f.parsed.title),
            first_step: markdown::first_step(&f.parsed.body, f.lang),
            body: f.parsed.body.trim().to_string(),
            file: f.rel.clone(),
        })
        .collect();
    Some(Entry {
        id: primary.id.clone(),
        component,
        keywords: header.entry.keywords.clone().unwrap_or_default(),
        source: Source {
            document: raw_source.document.clone(),
            category: raw_source.category.clone(),
            title: raw_source.title.clone(),
            lang: primary.lang,
            file: primary.rel.clone(),
        },
        versions,
        errors,
        docs,
    })
}

fn check_translation_header(t: &EntryFile, problems: &mut Vec<Diagnostic>) {
    let h = &t.parsed.header;
    let extra = [
        ("component", h.entry.component.is_some()),
        ("keywords", h.entry.keywords.is_some()),
        ("[versions]", h.versions.is_some()),
        ("[symptoms]", h.symptoms.is_some()),
    ];
    for (key, present) in extra {
        if present {
            problems.push(Diagnostic::new(
                &t.label,
                t.parsed.header_line_of(key.trim_matches(['[', ']'])),
                format!("{key} belongs in the primary file only: a translation carries [entry] id and lang"),
            ));
        }
    }
}

fn check_versions(primary: &EntryFile, problems: &mut Vec<Diagnostic>) -> Versions {
    let Some(raw) = &primary.parsed.header.versions else {
        return Versions::default();
    };
    let at = |needle: &str| primary.parsed.header_line_of(needle);
    let fixed_in = raw
        .fixed_in
        .as_deref()
        .and_then(|text| match text.parse::<Version>() {
            Ok(v) => Some(v),
            Err(e) => {
                problems.push(Diagnostic::new(
                    &primary.label,
                    at("fixed_in"),
                    e.to_string(),
                ));
                None
            }
        });
    if raw.affected.as_ref().is_some_and(Vec::is_empty) {
        problems.push(Diagnostic::new(
            &primary.label,
            at("affected"),
            "`affected = []` says nothing: leave the key out when the text names no version",
        ));
    }
    if let (Some(fix), Some(ranges)) = (&fixed_in, &raw.affected)
        && raw.upgrade_to.is_empty()
        && ranges.iter().any(|r: &VersionRange| r.contains(fix))
    {
        problems.push(Diagnostic::new(
            &primary.label,
            at("fixed_in"),
            format!("fixed_in {fix} lies inside an affected range"),
        ));
    }
    if !raw.upgrade_to.is_empty() && raw.affected.is_none() {
        problems.push(Diagnostic::new(
            &primary.label,
            at("upgrade_to"),
            "upgrade_to needs `affected`: the versions being upgraded from",
        ));
    }
    if raw.affected.is_some() && raw.statement.is_empty() {
        problems.push(Diagnostic::new(
            &primary.label,
            at("affected"),
            "versions need a `statement`: the sentences of the page they were read from",
        ));
    }
    Versions {
        affected: raw.affected.clone(),
        fixed_in,
        upgrade_to: raw.upgrade_to.clone(),
        statement: raw.statement.clone(),
        note: raw.note.clone(),
    }
}

/// A warning when the header's versions differ from what the primary file's prose states.
fn compare_versions_with_prose(entry: &Entry, root: &Path) -> Option<Diagnostic> {
    let (prose, _) = markdown::prose_and_code(&entry.primary().body);
    let read = version_text::extract(&prose);
    let header = &entry.versions;
    // A note says a human read the prose and chose; the difference is known.
    let same = header.note.is_some()
        || read.affected == header.affected
            && read.upgrade_to == header.upgrade_to
            && read.fixed_in == header.fixed_in;
    if same {
        return None;
    }
    let show = |ranges: Option<&[VersionRange]>| {
        ranges.map_or("unspecified".to_string(), |r| {
            r.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" | ")
        })
    };
    let fixed = |v: Option<&Version>| v.map_or("-".to_string(), ToString::to_string);
    Some(Diagnostic::new(
        root.join(&entry.source.file).display().to_string(),
        1,
        format!(
            "warning: the header says affected {} (fixed in {}), the prose reads as {} (fixed in {}); the header wins, check that it is meant",
            show(header.affected.as_deref()),
            fixed(header.fixed_in.as_ref()),
            show(read.affected.as_deref()),
            fixed(read.fixed_in.as_ref())
        ),
    ))
}

fn check_unique_titles(entries: &[Entry], root: &Path, problems: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<(&str, &str), &str> = HashMap::new();
    for e in entries {
        if let Some(first) = seen.insert((&e.source.document, &e.source.title), &e.id) {
            problems.push(Diagnostic::new(
                root.join(&e.source.file).display().to_string(),
                1,
                format!(
                    "source title `{}` is already used by {first}",
                    e.source.title
                ),
            ));
        }
    }
}
