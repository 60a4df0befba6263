//! The commands: resolve the parsed arguments against the knowledge base, do the work, and
//! hand a report to a printer.

use crate::cli::{
    CheckArgs, Cli, ColorWhen, Command, ExportArgs, ExportFormat, FilterArgs, ListArgs, SearchArgs,
    ShowArgs, ShowFormat, TriageArgs,
};
use crate::render;
use shirube::detect::{locale_language, query_language};
use shirube::filter::Filters;
use shirube::kb_source::KbSource;
use shirube::query::MAX_QUERY_BYTES;
use shirube::report::{
    CheckFinding, CheckReport, CheckSummary, EntryDetail, EntrySummary, ExportReport,
    ResultsReport, TriageFinding, TriageReport,
};
use shirube_kb::audit;
use shirube_kb::{Entry, KnowledgeBase, Lang};
use std::io::{self, IsTerminal, Read, Write};
use termcolor::{ColorChoice, StandardStream};

/// How a command ended, when it did not fail.
pub enum Outcome {
    /// Something was found (exit 0).
    Found,
    /// Nothing was found (exit 1).
    NothingFound,
    /// `check`: known issues apply to the version (exit 1, like cargo-audit).
    IssuesApply,
    /// `check`: no known issue applies (exit 0).
    Clean,
}

/// Why a command failed.
pub enum Failure {
    /// The reader of our output went away (`shirube list | head`): not an error.
    BrokenPipe,
    Error {
        message: String,
        hint: Option<String>,
    },
}

impl Failure {
    fn new(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Failure::Error {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Failure::BrokenPipe
        } else {
            Failure::Error {
                message: format!("cannot write the output: {e}"),
                hint: None,
            }
        }
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure::Error {
            message,
            hint: None,
        }
    }
}

type Result<T> = std::result::Result<T, Failure>;

pub fn run(cli: Cli) -> Result<Outcome> {
    let color = resolve_color(cli.color);
    let source = match cli.kb {
        None => KbSource::Embedded,
        Some(dir) => KbSource::directory(dir).map_err(|e| {
            Failure::new(
                format!("--kb: {e}"),
                "--kb takes a directory written by `index-build build KB_DIR OUT_DIR` of this version: build it again",
            )
        })?,
    };
    match cli.command {
        Command::Search(args) => search(&source, args, color),
        Command::Show(args) => show(&source, args, color),
        Command::List(args) => list(&source, args, color),
        Command::Check(args) => check(&source, args, color),
        Command::Triage(args) => triage(&source, args, color),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "shirube", &mut io::stdout().lock());
            Ok(Outcome::Found)
        }
        Command::Man => {
            let command = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(command).render(&mut io::stdout().lock())?;
            Ok(Outcome::Found)
        }
        Command::Export(args) => export(&source, args),
    }
}

/// `auto` means colour only on a terminal, and never when `NO_COLOR` is set.
fn resolve_color(when: ColorWhen) -> ColorChoice {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    match when {
        ColorWhen::Always => ColorChoice::AlwaysAnsi,
        ColorWhen::Never => ColorChoice::Never,
        ColorWhen::Auto if !no_color && io::stdout().is_terminal() => ColorChoice::Auto,
        ColorWhen::Auto => ColorChoice::Never,
    }
}

fn outcome(found: bool) -> Outcome {
    if found {
        Outcome::Found
    } else {
        Outcome::NothingFound
    }
}

/// Checks the filters against the knowledge base (an unknown component is a typo, not an
/// empty result).
fn resolve_filters(args: FilterArgs, kb: &KnowledgeBase) -> Result<Filters> {
    if let Some(component) = &args.component
        && !kb.components.iter().any(|c| c.id == *component)
    {
        let known: Vec<&str> = kb.components.iter().map(|c| c.id.as_str()).collect();
        return Err(Failure::new(
            format!("unknown component `{component}`"),
            format!("use one of: {}", known.join(", ")),
        ));
    }
    Ok(Filters {
        version: args.version,
        component: args.component,
    })
}

/// The query text: the arguments joined by spaces, or stdin for `-`. Bytes that are not
/// UTF-8 are replaced, never refused: pasted logs are messy.
fn read_query(parts: &[std::ffi::OsString]) -> Result<String> {
    if parts.len() == 1 && parts[0] == "-" {
        let mut bytes = Vec::new();
        io::stdin()
            .take(MAX_QUERY_BYTES as u64 * 16)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read the query from stdin: {e}"))?;
        return Ok(String::from_utf8_lossy(&bytes).into_owned());
    }
    let words: Vec<String> = parts
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    Ok(words.join(" "))
}

fn search(source: &KbSource, args: SearchArgs, color: ColorChoice) -> Result<Outcome> {
    let query = read_query(&args.query)?;
    if query.trim().is_empty() {
        return Err(Failure::new(
            "the query is empty",
            "describe the symptom or paste the error: shirube search \"Docker service is not active\"",
        ));
    }
    if query.len() > MAX_QUERY_BYTES {
        eprintln!(
            "shirube: note: only the first {} KiB of the query are searched",
            MAX_QUERY_BYTES / 1024
        );
    }
    let engine = source.engine()?;
    let filters = resolve_filters(args.filters, engine.knowledge_base())?;
    let lang = args.lang.map_or_else(|| query_language(&query), Lang::from);
    let mut ranking = engine.search(&query, &filters, args.limit)?;
    let candidates = ranking.hits.len();
    if !args.all {
        ranking.hits.retain(|h| !h.weak);
    }
    engine.explain(&mut ranking, lang);
    let hits = &ranking.hits;
    let mut out = StandardStream::stdout(color);
    if args.json {
        let report = ResultsReport {
            query: Some(&query),
            results: hits.iter().map(|h| EntrySummary::of_hit(h, lang)).collect(),
        };
        write_json(&mut out, &report)?;
    } else if hits.is_empty() {
        let message = match lang {
            Lang::Ja => "該当する既知の問題はありません",
            Lang::En => "no known issue matches",
        };
        eprintln!("shirube: {message}");
        if candidates > 0 {
            eprintln!("hint: --all shows {candidates} weak candidate(s)");
        }
    } else {
        let summaries: Vec<EntrySummary> =
            hits.iter().map(|h| EntrySummary::of_hit(h, lang)).collect();
        render::text::print_results(&mut out, &summaries, lang, engine.knowledge_base())?;
    }
    Ok(outcome(!hits.is_empty()))
}

/// Finds an entry by id, forgiving case and leading zeros (`abm-7` is `ABM-0007`).
fn find_entry<'kb>(kb: &'kb KnowledgeBase, id: &str) -> Option<&'kb Entry> {
    let wanted = id.trim().to_ascii_uppercase();
    kb.entries.iter().find(|e| e.id == wanted).or_else(|| {
        let (prefix, number) = wanted.rsplit_once('-')?;
        let number: u32 = number.parse().ok()?;
        kb.entries.iter().find(|e| {
            e.id.rsplit_once('-')
                .is_some_and(|(p, n)| p == prefix && n.parse::<u32>().ok() == Some(number))
        })
    })
}

fn show(source: &KbSource, args: ShowArgs, color: ColorChoice) -> Result<Outcome> {
    let kb = source.knowledge_base()?;
    let Some(entry) = find_entry(kb, &args.id) else {
        eprintln!("shirube: no entry `{}`", args.id);
        eprintln!(
            "hint: `shirube list` shows every id; `shirube search WORDS` finds one by symptom"
        );
        return Ok(Outcome::NothingFound);
    };
    let lang = args.lang.map_or_else(locale_language, Lang::from);
    let format = if args.json {
        ShowFormat::Json
    } else {
        args.format
    };
    match format {
        ShowFormat::Text => {
            let mut out = StandardStream::stdout(color);
            render::text::print_entry(&mut out, entry, lang, kb)?;
        }
        ShowFormat::Md => {
            let mut out = io::stdout().lock();
            out.write_all(render::markdown::entry(entry, lang, kb, 1).as_bytes())?;
        }
        ShowFormat::Json => write_json(&mut io::stdout().lock(), &EntryDetail::new(entry, lang))?,
    }
    Ok(Outcome::Found)
}

fn filtered<'kb>(kb: &'kb KnowledgeBase, filters: &Filters) -> Vec<&'kb Entry> {
    kb.entries.iter().filter(|e| filters.matches(e)).collect()
}

fn list(source: &KbSource, args: ListArgs, color: ColorChoice) -> Result<Outcome> {
    let kb = source.knowledge_base()?;
    let filters = resolve_filters(args.filters, kb)?;
    let lang = args.lang.map_or_else(locale_language, Lang::from);
    let entries = filtered(kb, &filters);
    let summaries: Vec<EntrySummary> = entries
        .iter()
        .map(|e| EntrySummary::of_entry(e, lang))
        .collect();
    if args.json {
        let report = ResultsReport {
            query: None,
            results: summaries,
        };
        write_json(&mut io::stdout().lock(), &report)?;
    } else {
        let mut out = StandardStream::stdout(color);
        render::text::print_list(&mut out, &entries, lang)?;
    }
    Ok(outcome(!entries.is_empty()))
}

/// Like cargo-audit: exit 1 when something applies.
fn check(source: &KbSource, args: CheckArgs, color: ColorChoice) -> Result<Outcome> {
    let kb = source.knowledge_base()?;
    let lang = args.lang.map_or_else(locale_language, Lang::from);
    let findings = audit::check(&kb.entries, &args.version, args.upgrade_to.as_ref());
    let unspecified = kb
        .entries
        .iter()
        .filter(|e| e.versions.affected.is_none())
        .count();
    let summary = match &args.upgrade_to {
        Some(target) => CheckSummary {
            findings: findings.len(),
            fixed: findings.iter().filter(|f| f.fixed_by_target).count(),
            by: Some(target.to_string()),
        },
        None => {
            let ends: Vec<_> = findings
                .iter()
                .filter_map(|f| audit::first_unaffected(f.entry))
                .collect();
            let best = ends.iter().max().cloned();
            CheckSummary {
                findings: findings.len(),
                fixed: best
                    .as_ref()
                    .map_or(0, |b| ends.iter().filter(|e| *e <= b).count()),
                by: best.map(|b| b.to_string()),
            }
        }
    };
    let report = CheckReport {
        version: args.version.to_string(),
        upgrade_to: args.upgrade_to.as_ref().map(ToString::to_string),
        findings: findings
            .iter()
            .map(|f| CheckFinding::new(f, lang))
            .collect(),
        unspecified,
        summary,
    };
    if args.json {
        write_json(&mut io::stdout().lock(), &report)?;
    } else {
        let mut out = StandardStream::stdout(color);
        render::text::print_check(&mut out, &report, lang, kb)?;
    }
    Ok(if findings.is_empty() {
        Outcome::Clean
    } else {
        Outcome::IssuesApply
    })
}

fn triage(source: &KbSource, args: TriageArgs, color: ColorChoice) -> Result<Outcome> {
    let kb = source.knowledge_base()?;
    let lang = args.lang.map_or_else(locale_language, Lang::from);
    let known = shirube::known_errors::KnownErrors::new(&kb.entries);
    let inputs = shirube::triage::expand_inputs(&args.paths).map_err(|e| {
        Failure::new(
            format!("cannot read the inputs: {e}"),
            "give log files, directories or - for stdin",
        )
    })?;
    let mut tally = shirube::triage::Tally::default();
    for input in &inputs {
        let name = if input.as_os_str() == "-" {
            "-".to_string()
        } else {
            input.display().to_string()
        };
        let reader = shirube::triage::open(input).map_err(|e| {
            Failure::new(
                format!("cannot read {name}: {e}"),
                "check the path; directories are read recursively",
            )
        })?;
        shirube::triage::scan(&known, reader, &name, &mut tally).map_err(|e| {
            Failure::new(
                format!("cannot read {name}: {e}"),
                "a .gz file must be gzip; other files are read as text",
            )
        })?;
    }
    let findings: Vec<TriageFinding> = tally
        .findings
        .iter()
        .filter(|f| f.count >= args.min_count)
        .map(|f| (&kb.entries[f.entry], f))
        .filter(|(entry, _)| {
            args.version
                .as_ref()
                .is_none_or(|v| entry.versions.may_affect(v))
        })
        .map(|(entry, f)| TriageFinding::new(entry, f, lang))
        .collect();
    let found = !findings.is_empty();
    let report = TriageReport {
        findings,
        lines: tally.lines,
        bytes: tally.bytes,
    };
    if args.json {
        write_json(&mut io::stdout().lock(), &report)?;
    } else {
        let mut out = StandardStream::stdout(color);
        render::text::print_triage(&mut out, &report, lang, kb)?;
    }
    Ok(outcome(found))
}

fn export(source: &KbSource, args: ExportArgs) -> Result<Outcome> {
    let kb = source.knowledge_base()?;
    let filters = resolve_filters(args.filters, kb)?;
    let lang = args.lang.map_or_else(locale_language, Lang::from);
    let entries = filtered(kb, &filters);
    let text = match args.format {
        ExportFormat::Md => render::markdown::export(&entries, lang, kb),
        ExportFormat::Json => {
            let report = ExportReport {
                lang,
                entries: entries.iter().map(|e| EntryDetail::new(e, lang)).collect(),
            };
            serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n"
        }
    };
    match &args.output {
        Some(path) => std::fs::write(path, text).map_err(|e| {
            Failure::new(
                format!("cannot write {}: {e}", path.display()),
                "check that the folder exists and is writable, or leave out -o to print to stdout",
            )
        })?,
        None => io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(outcome(!entries.is_empty()))
}

fn write_json(out: &mut impl Write, value: &impl serde::Serialize) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(|e| {
        if e.io_error_kind() == Some(io::ErrorKind::BrokenPipe) {
            Failure::BrokenPipe
        } else {
            Failure::from(format!("cannot write JSON: {e}"))
        }
    })?;
    writeln!(out)?;
    Ok(())
}
