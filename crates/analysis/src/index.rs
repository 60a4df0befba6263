//! Writing a built directory ([`shirube_kb::built`]) from a knowledge base: the entries, the
//! known-error table and the tantivy index, with one document per entry and every language
//! in it, so an English question can meet the English rendering of a Japanese entry. The
//! build step writes the binary's own; the binary writes one over its own entries and the
//! packs installed beside it.

use crate::known_error_table::KnownErrorTable;
use crate::names::NameTerms;
use crate::schema::Analyzer;
use crate::{Field, SearchSchema};
use lindera::dictionary::Dictionary;
use shirube_kb::built::{BuiltDir, ENTRIES_FILE, KNOWN_ERRORS_FILE};
use shirube_kb::markdown::body_parts;
use shirube_kb::{Entry, Error, KnowledgeBase};
use std::fs;
use std::path::Path;
use tantivy::directory::error::LockError;
use tantivy::indexer::NoMergePolicy;
use tantivy::{Index, IndexWriter, TantivyDocument, TantivyError};

/// Writes `kb` into `out` as a built directory: its entries, its known-error table and its
/// index (the dictionary is not written: see [`shirube_kb::built::DICTIONARY_DIR`]).
pub fn write_built(
    kb: &KnowledgeBase,
    dictionary: Dictionary,
    out: &BuiltDir,
) -> Result<(), Error> {
    build(kb, dictionary, &out.index())
        .map_err(|e| Error::new(format!("building the index: {e}")))?;
    let json = shirube_kb::built::encode(kb).map_err(|e| Error::new(e.to_string()))?;
    fs::write(out.entries(), json).map_err(|e| Error::writing(ENTRIES_FILE, &e))?;
    fs::write(out.known_errors(), known_error_table(kb))
        .map_err(|e| Error::writing(KNOWN_ERRORS_FILE, &e))
}

/// The known-error table of `kb` ([`KnownErrorTable`]), as the binary reads it.
pub fn known_error_table(kb: &KnowledgeBase) -> Vec<u8> {
    let errors: Vec<Vec<&str>> = kb
        .entries
        .iter()
        .map(|e| e.known_errors().collect())
        .collect();
    KnownErrorTable::build(&errors)
}

/// Writes the index of `kb` into `out_dir` (replacing what was there).
pub fn build(kb: &KnowledgeBase, dictionary: Dictionary, out_dir: &Path) -> tantivy::Result<()> {
    let _ = fs::remove_dir_all(out_dir);
    fs::create_dir_all(out_dir)?;
    let schema = SearchSchema::build();
    let index = Index::create_in_dir(out_dir, schema.schema.clone())?;
    SearchSchema::register(index.tokenizers(), dictionary);
    // Analysis (lindera above all) is the cost of a build: one indexing thread per core.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let mut writer =
        index.writer_with_num_threads::<TantivyDocument>(threads, threads * 64 * 1024 * 1024)?;
    // Merged once, below, instead of by the default policy in the background.
    writer.set_merge_policy(Box::new(NoMergePolicy));
    let terms = |analyzer: Analyzer, text: &str| -> Vec<String> {
        let Some(mut analyzer) = index.tokenizers().get(analyzer.name()) else {
            return Vec::new();
        };
        let mut terms = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while let Some(token) = stream.next() {
            terms.push(token.text.clone());
        }
        terms
    };
    for entry in &kb.entries {
        let names = NameTerms::analyze(entry.titles(), entry.upstream.words(), terms);
        writer.add_document(document(&schema, entry, &names))?;
    }
    // The entries file carries the same id: a reader can tell it opened a pair.
    let mut commit = writer.prepare_commit()?;
    commit.set_payload(&kb.build_id);
    commit.commit()?;
    // One segment: a query then looks each term up once, not once per segment, and the
    // index never changes after the build.
    let segments = index.searchable_segment_ids()?;
    if segments.len() > 1 {
        writer.merge(&segments).wait()?;
    }
    writer.wait_merging_threads()?;
    // The merged segments' files outlive the writer that merged them; a fresh one removes
    // them.
    let cleaner = writer_once_free(&index)?;
    cleaner.garbage_collect_files().wait()?;
    Ok(())
}

/// A writer of `index` right after another was dropped. The lock file of the first may
/// still be held for a moment by a process forked while it was open: the child's copy of
/// the descriptor (and with it the lock) lives until it execs. A test harness running
/// commands in parallel with a build does that, and the build failed with `LockBusy` one
/// run in four; so the lock is asked for again, for up to a second.
fn writer_once_free(index: &Index) -> tantivy::Result<IndexWriter<TantivyDocument>> {
    let mut attempts = 0;
    loop {
        match index.writer_with_num_threads(1, 15_000_000) {
            Err(TantivyError::LockFailure(LockError::LockBusy, _)) if attempts < 100 => {
                attempts += 1;
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            answer => return answer,
        }
    }
}

/// The texts of an entry, by field, and the words of its names.
fn document(schema: &SearchSchema, entry: &Entry, name_terms: &NameTerms) -> TantivyDocument {
    let titles: Vec<&str> = entry.titles().collect();
    let titles = titles.join("\n");
    let mut body = Vec::new();
    let mut output = Vec::new();
    let mut commands = Vec::new();
    for doc in &entry.docs {
        let parts = body_parts(&doc.body);
        body.push(parts.prose);
        output.push(parts.output);
        commands.push(parts.commands);
    }
    body.push(entry.keywords.join("\n"));
    body.push(entry.source.category.clone());
    body.extend(entry.upstream.words().map(str::to_string));
    let body = body.join("\n");
    let output = output.join("\n");
    // Commands a workaround runs count as code, but not among the entry's identifiers: a
    // question that shows `firewall-cmd --reload` was run is not thereby about every entry
    // that tells you to run it.
    let code = format!("{output}\n{}", commands.join("\n"));
    let errors: Vec<&str> = entry.known_errors().collect();
    let errors = errors.join("\n");
    let everything = format!("{titles}\n{body}\n{output}\n{errors}");

    let mut doc = TantivyDocument::default();
    doc.add_text(schema.id, &entry.id);
    doc.add_text(schema.component, &entry.component);
    doc.add_text(schema.name_terms, name_terms.encode());
    for field in Field::ALL {
        let text = match field {
            Field::TitleJa | Field::TitleBigram | Field::TitleEn => &titles,
            Field::BodyJa | Field::BodyBigram | Field::BodyEn => &body,
            Field::Code => &code,
            Field::Ident => &everything,
            Field::ErrorsEn | Field::ErrorsIdent => &errors,
        };
        doc.add_text(schema.field(field), text);
    }
    doc
}
