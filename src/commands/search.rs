//! `shirube search`: a symptom or a pasted error in, the matching known issues out.

use super::context::given_facts;
use super::{Outcome, printed, resolve_filters, stdout, write_json};
use crate::cli::SearchArgs;
use shirube::printer::terminal::warn;
use shirube::printer::{text, wording::wording};
use shirube::report::SearchReport;
use shirube::search::MAX_QUERY_BYTES;
use shirube::search::Request;
use shirube::store::KbSource;
use shirube_kb::{Error, Lang};
use std::ffi::OsString;
use std::io::{self, Read};
use termcolor::ColorChoice;

pub fn search(source: &KbSource, args: SearchArgs, color: ColorChoice) -> Result<Outcome, Error> {
    let text = read_query(&args.query)?;
    if text.trim().is_empty() {
        return Err(Error::new("the query is empty").with_hint(
            "describe the symptom or paste the error: shirube search \"Docker service is not active\"",
        ));
    }
    let facts = given_facts(&args.context)?;
    let engine = source.engine()?;
    let kb = engine.knowledge_base();
    let filters = resolve_filters(args.filters, kb)?;
    let version = filters.version.clone();
    let request = Request::asked(
        &text,
        filters,
        args.lang.map(Lang::from),
        args.limit,
        args.all,
        facts,
    );
    let ranking = engine.search(&request)?;
    if ranking.truncated {
        warn(&format!(
            "shirube: note: only the first {} KiB of the query are searched",
            MAX_QUERY_BYTES / 1024
        ));
    }
    let report = SearchReport::of_search(&text, version.as_ref(), &ranking, kb);
    let outcome = Outcome::found(report.confident);
    if args.json {
        return printed(outcome, write_json(&report));
    }
    if !report.confident {
        warn(&format!("shirube: {}", wording(report.lang).no_match));
        if report.withheld > 0 {
            warn(&format!(
                "hint: the candidates shown are weak; --all shows up to --limit of them ({} more)",
                report.withheld
            ));
        }
    }
    printed(
        outcome,
        text::print_results(&mut stdout(color), &report).map_err(Error::from),
    )
}

/// The query text: the arguments joined by spaces, or stdin for `-`, of which one byte more
/// than is searched is read (so the search can tell it was cut). Bytes that are not UTF-8
/// are replaced, never refused: pasted logs are messy.
fn read_query(parts: &[OsString]) -> Result<String, Error> {
    if parts.len() == 1 && parts[0] == "-" {
        let mut bytes = Vec::new();
        io::stdin()
            .take(MAX_QUERY_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::new(format!("cannot read the query from stdin: {e}")))?;
        return Ok(String::from_utf8_lossy(&bytes).into_owned());
    }
    let words: Vec<String> = parts
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    Ok(words.join(" "))
}
