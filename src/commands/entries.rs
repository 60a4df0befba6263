//! Reading the knowledge base without a question: `show` one entry, `list` them, `export`
//! them as Markdown or JSON.

use super::{
    Outcome, display_language, printed, resolve_filters, stdout, write_json, write_stdout,
    write_text,
};
use crate::cli::{ExportArgs, ExportFormat, ListArgs, ShowArgs, ShowFormat};
use shirube::Filters;
use shirube::printer::terminal::warn;
use shirube::printer::{entry, json, markdown, text};
use shirube::report::{EntryDetail, ExportReport, SearchReport};
use shirube::store::KbSource;
use shirube_kb::atomic;
use shirube_kb::{Entry, Error, KnowledgeBase};
use termcolor::ColorChoice;

pub fn show(source: &KbSource, args: ShowArgs, color: ColorChoice) -> Result<Outcome, Error> {
    let kb = source.knowledge_base()?;
    let Some(position) = kb.find_position(&args.id) else {
        warn(&format!("shirube: no entry `{}`", args.id));
        warn("hint: `shirube list` shows every id; `shirube search WORDS` finds one by symptom");
        return Ok(Outcome::NothingFound);
    };
    let found = source.entry(position)?;
    let detail = EntryDetail::new(found, display_language(args.lang), kb);
    let format = if args.json {
        ShowFormat::Json
    } else {
        args.format
    };
    let printing = match format {
        ShowFormat::Text => entry::print_entry(&mut stdout(color), &detail).map_err(Error::from),
        ShowFormat::Md => write_text(&markdown::entry(&detail, 1)),
        ShowFormat::Json => write_json(&detail),
    };
    printed(Outcome::Found, printing)
}

pub fn list(source: &KbSource, args: ListArgs, color: ColorChoice) -> Result<Outcome, Error> {
    let kb = source.every_entry()?;
    let filters = resolve_filters(args.filters, kb)?;
    let entries = filtered(kb, &filters);
    let report = SearchReport::of_list(&entries, display_language(args.lang), kb);
    let printing = if args.json {
        write_json(&report)
    } else {
        text::print_list(&mut stdout(color), &report).map_err(Error::from)
    };
    printed(Outcome::found(!entries.is_empty()), printing)
}

pub fn export(source: &KbSource, args: ExportArgs) -> Result<Outcome, Error> {
    let kb = source.every_entry()?;
    let filters = resolve_filters(args.filters, kb)?;
    let entries = filtered(kb, &filters);
    let report = ExportReport::new(&entries, display_language(args.lang), kb);
    let outcome = Outcome::found(!entries.is_empty());
    let mut written = Vec::new();
    match args.format {
        ExportFormat::Md => written.extend_from_slice(markdown::export(&report).as_bytes()),
        ExportFormat::Json => json::write(&mut written, &report)?,
    }
    match (&args.output, args.format) {
        (Some(path), _) => {
            atomic::write_file(path, &written).map_err(|e| {
                Error::writing(&path.display().to_string(), &e).with_hint(
                    "check that the folder exists and is writable, or leave out -o to print to stdout",
                )
            })?;
            Ok(outcome)
        }
        (None, ExportFormat::Json) => printed(outcome, write_stdout(&written)),
        (None, ExportFormat::Md) => {
            printed(outcome, write_text(&String::from_utf8_lossy(&written)))
        }
    }
}

/// The entries that pass `filters`, in knowledge-base order.
fn filtered<'kb>(kb: &'kb KnowledgeBase, filters: &Filters) -> Vec<&'kb Entry> {
    kb.entries.iter().filter(|e| filters.matches(e)).collect()
}
