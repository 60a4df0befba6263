//! Loading a whole knowledge-base folder: reading its files and assembling the entries that
//! keep every rule of the `lint` module.
//!
//! Layout: `kb/components.toml`, `kb/glossary.toml`, and one folder per source document
//! holding `source.toml` and the entry files `<ID>.<lang>.md`. Every problem in every file is
//! collected; the caller gets either a fully valid [`KnowledgeBase`] or the complete list of
//! [`Diagnostic`]s.

use crate::condition::Conditions;
use crate::diagnostic::Diagnostic;
use crate::glossary::load_glossary;
use crate::knowledge_base::KnowledgeBase;
use crate::lint;
use crate::markdown;
use crate::model::{
    Component, Document, Entry, Note, SeenError, Source, SourceDocument, SourceText, Upstream,
    Versions,
};
use crate::parse::{EntryFile, parse_file};
use crate::read::{label, line_where, read_text, sorted_dir, toml_problem};
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// The component list inside a knowledge-base folder.
pub const COMPONENTS_FILE: &str = "components.toml";
/// What describes a source document, inside its folder.
pub const SOURCE_FILE: &str = "source.toml";

/// Loads and checks the knowledge base under `dir`. Diagnostics name files as `dir/...`.
pub fn load_kb(dir: &Path) -> Result<KnowledgeBase, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let components = load_components(dir, &mut problems);
    let glossary = load_glossary(dir, &mut problems);
    let known: HashSet<&str> = components.iter().map(|c| c.id.as_str()).collect();

    let mut sources = Vec::new();
    let mut entries = Vec::new();
    for folder in sorted_dir(dir, &mut problems) {
        if !folder.is_dir() {
            continue;
        }
        let Some(source) = load_source(&folder, dir, &mut problems) else {
            continue;
        };
        let context = lint::entry::Context {
            source: &source,
            components: &known,
        };
        let files = load_entry_files(&folder, dir, &source, &mut problems);
        let mut by_id: BTreeMap<String, Vec<EntryFile>> = BTreeMap::new();
        for file in files.parsed {
            by_id.entry(file.id.clone()).or_default().push(file);
        }
        for (id, group) in by_id {
            // A file of this entry did not parse: its problem is already reported, and the
            // others are not blamed for the part it lacks.
            let complete = !files.broken_ids.contains(&id);
            entries.extend(assemble(group, complete, &context, &mut problems));
        }
        sources.push(source);
    }
    problems.extend(lint::check_unique_titles(&entries, dir));

    if problems.is_empty() {
        entries.sort_by(|a, b| a.id.cmp(&b.id));
        // Only a quoted page's prose says what the versions are; a retold entry's prose is
        // written from its header.
        let quoted: HashSet<&str> = sources
            .iter()
            .filter(|s| s.text == SourceText::Verbatim)
            .map(|s| s.title.as_str())
            .collect();
        let warnings = entries
            .iter()
            .filter(|e| quoted.contains(e.source.document.as_str()))
            .filter_map(|e| lint::versions_match_prose(e, dir))
            .collect();
        Ok(KnowledgeBase {
            entries: entries.into(),
            components,
            sources,
            glossary,
            build_id: String::new(),
            warnings,
        })
    } else {
        problems.sort();
        problems.dedup();
        Err(problems)
    }
}

/// The entry files of a folder that parsed, and the ids of those that did not.
struct FolderFiles {
    parsed: Vec<EntryFile>,
    broken_ids: HashSet<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ComponentLabels {
    ja: String,
    en: String,
}

fn load_components(dir: &Path, problems: &mut Vec<Diagnostic>) -> Vec<Component> {
    let path = dir.join(COMPONENTS_FILE);
    let Some(text) = read_text(&path, dir, problems) else {
        return Vec::new();
    };
    let table = match toml::from_str::<toml::Table>(&text) {
        Ok(table) => table,
        Err(e) => {
            problems.push(toml_problem(label(dir, &path), &text, &e));
            return Vec::new();
        }
    };
    let mut components = Vec::new();
    for (id, value) in table {
        match value.try_into::<ComponentLabels>() {
            Ok(labels) => components.push(Component {
                id,
                ja: labels.ja,
                en: labels.en,
            }),
            Err(e) => problems.push(Diagnostic::new(
                label(dir, &path),
                line_where(&text, |l| l.trim() == format!("[{id}]")),
                format!("component `{id}`: {}", e.message().trim()),
            )),
        }
    }
    components
}

fn load_source(
    folder: &Path,
    root: &Path,
    problems: &mut Vec<Diagnostic>,
) -> Option<SourceDocument> {
    let path = folder.join(SOURCE_FILE);
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

/// Reads and parses every entry file of `folder`, with the rules a single file keeps.
fn load_entry_files(
    folder: &Path,
    root: &Path,
    source: &SourceDocument,
    problems: &mut Vec<Diagnostic>,
) -> FolderFiles {
    let mut files = Vec::new();
    let mut broken_ids = HashSet::new();
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
        let (id, lang) = match lint::file::file_name(&name, &source.id_prefix, &file_label) {
            Ok((id, lang)) => (id.to_string(), lang),
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        let Some(text) = read_text(&path, root, problems) else {
            continue;
        };
        match parse_file(&file_label, &text) {
            Ok(parsed) => {
                let file = EntryFile {
                    label: file_label,
                    rel: path
                        .strip_prefix(root)
                        .unwrap_or(&path)
                        .display()
                        .to_string(),
                    id,
                    lang,
                    parsed,
                };
                problems.extend(lint::file::header_matches_file_name(&file, &name));
                problems.extend(lint::file::check_body(
                    &file.label,
                    &file.parsed.body,
                    file.parsed.body_first_line,
                    lang,
                ));
                files.push(file);
            }
            Err(found) => {
                broken_ids.insert(id);
                problems.extend(found);
            }
        }
    }
    FolderFiles {
        parsed: files,
        broken_ids,
    }
}

/// The entry of `files` (the files of one entry that parsed, all of them when `complete`),
/// when they keep every rule.
fn assemble(
    files: Vec<EntryFile>,
    complete: bool,
    context: &lint::entry::Context,
    problems: &mut Vec<Diagnostic>,
) -> Option<Entry> {
    let (primaries, translations): (Vec<EntryFile>, Vec<EntryFile>) =
        files.into_iter().partition(|f| f.source().is_some());
    let before = problems.len();
    // A primary file that did not parse is not missing.
    if complete || !primaries.is_empty() {
        problems.extend(lint::entry::check_primaries(&primaries, &translations));
    }
    problems.extend(translations.iter().flat_map(lint::entry::check_translation));
    let primary = primaries.into_iter().next()?;
    problems.extend(lint::entry::check_primary(&primary, context));
    if problems.len() > before {
        return None;
    }

    let header = &primary.parsed.header;
    let source = primary.source()?;
    let versions = primary
        .versions()
        .map_or_else(Versions::default, |raw| Versions {
            affected: raw.affected.clone(),
            fixed_in: raw.fixed_in.as_deref().and_then(|t| t.parse().ok()),
            upgrade_to: raw.upgrade_to.clone(),
            statement: raw.statement.clone(),
            note: raw.note.clone(),
            older_lines: raw.older_lines.unwrap_or_default(),
            newer_lines: raw.newer_lines.unwrap_or_default(),
        });
    let docs = std::iter::once(&primary)
        .chain(&translations)
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
        component: header.entry.component.clone().unwrap_or_default(),
        keywords: header.entry.keywords.clone().unwrap_or_default(),
        source: Source {
            document: source.document.clone(),
            category: source.category.clone(),
            title: source
                .title
                .clone()
                .unwrap_or_else(|| markdown::inline_text(&primary.parsed.title)),
            lang: primary.lang,
            file: primary.rel.clone(),
            url: source.url.clone().or_else(|| context.source.url.clone()),
            date: source.date.clone(),
            notes: source
                .notes
                .iter()
                .filter_map(|n| {
                    Some(Note {
                        release: n.release.parse().ok()?,
                        date: n.date.clone(),
                        url: n.url.clone(),
                    })
                })
                .collect(),
        },
        versions,
        errors: header
            .symptoms
            .as_ref()
            .map(|s| s.errors.clone())
            .unwrap_or_default(),
        upstream: header
            .upstream
            .as_ref()
            .map_or_else(Upstream::default, |u| Upstream {
                component: u.component.clone(),
                names: u.names.clone(),
                source: u.source.clone(),
                errors: u
                    .errors
                    .iter()
                    .map(|e| SeenError {
                        error: e.error.clone(),
                        source: e.source.clone(),
                    })
                    .collect(),
            }),
        conditions: header
            .conditions
            .as_ref()
            .map_or_else(Conditions::default, |c| Conditions {
                when: c.when.clone(),
                statement: c.statement.clone(),
            }),
        docs,
        pack: None,
    })
}
