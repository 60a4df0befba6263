//! Reading the knowledge base without a question: `show` one entry, `list` them, `export`
//! them as Markdown or JSON.

use super::{Outcome, display_language, resolve_filters, stdout};
use crate::cli::{ExportArgs, ExportFormat, ListArgs, ShowArgs, ShowFormat};
use crate::printer::{entry, json, markdown, text};
use shirube::Filters;
use shirube::report::{EntryDetail, ExportReport, SearchReport};
use shirube::store::KbSource;
use shirube_kb::{Entry, Error, KnowledgeBase};
use std::io::{self, Write};
use termcolor::ColorChoice;

pub fn show(source: &KbSource, args: ShowArgs, color: ColorChoice) -> Result<Outcome, Error> {
    let kb = source.knowledge_base()?;
    let Some(found) = kb.find(&args.id) else {
        eprintln!("shirube: no entry `{}`", args.id);
        eprintln!(
            "hint: `shirube list` shows every id; `shirube search WORDS` finds one by symptom"
        );
        return Ok(Outcome::NothingFound);
    };
    let detail = EntryDetail::new(found, display_language(args.lang), kb);
    let format = if args.json {
        ShowFormat::Json
    } else {
        args.format
    };
    match format {
        ShowFormat::Text => entry::print_entry(&mut stdout(color), &detail)?,
        ShowFormat::Md => io::stdout()
            .lock()
            .write_all(markdown::entry(&detail, 1).as_bytes())?,
        ShowFormat::Json => json::write(&mut io::stdout().lock(), &detail)?,
    }
    Ok(Outcome::Found)
}

pub fn list(source: &KbSource, args: ListArgs, color: ColorChoice) -> Result<Outcome, Error> {
    let kb = source.knowledge_base()?;
    let filters = resolve_filters(args.filters, kb)?;
    let entries = filtered(kb, &filters);
    let report = SearchReport::of_list(&entries, display_language(args.lang), kb);
    if args.json {
        json::write(&mut io::stdout().lock(), &report)?;
    } else {
        text::print_list(&mut stdout(color), &report)?;
    }
    Ok(Outcome::found(!entries.is_empty()))
}

pub fn export(source: &KbSource, args: ExportArgs) -> Result<Outcome, Error> {
    let kb = source.knowledge_base()?;
    let filters = resolve_filters(args.filters, kb)?;
    let entries = filtered(kb, &filters);
    let report = ExportReport::new(&entries, display_language(args.lang), kb);
    let mut written = Vec::new();
    match args.format {
        ExportFormat::Md => written.extend_from_slice(markdown::export(&report).as_bytes()),
        ExportFormat::Json => json::write(&mut written, &report)?,
    }
    match &args.output {
        Some(path) => std::fs::write(path, written).map_err(|e| {
            Error::writing(&path.display().to_string(), &e).with_hint(
                "check that the folder exists and is writable, or leave out -o to print to stdout",
            )
        })?,
        None => io::stdout().lock().write_all(&written)?,
    }
    Ok(Outcome::found(!entries.is_empty()))
}

/// The entries that pass `filters`, in knowledge-base order.
fn filtered<'kb>(kb: &'kb KnowledgeBase, filters: &Filters) -> Vec<&'kb Entry> {
    kb.entries.iter().filter(|e| filters.matches(e)).collect()
}
