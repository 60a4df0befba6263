//! The commands: each resolves its parsed arguments against the knowledge base, asks the
//! library, and hands the report to a printer. No command decides what is found, what
//! applies or what is shown: the library does.

mod check;
pub mod context;
mod doctor;
mod entries;
mod kb;
mod search;
mod triage;

use crate::cli::{Cli, ColorWhen, Command, FilterArgs, LangArg};
use shirube::Filters;
use shirube::locale_language;
use shirube::printer::terminal::Escaping;
use shirube::printer::terminal::warn;
use shirube::store::installed::DataDir;
use shirube::store::{Access, DirectoryKind, KbSource};
use shirube_kb::{Error, KnowledgeBase, Lang};
use std::io::{self, IsTerminal, Write};
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
    /// `triage`: the report stands, but some inputs could not be read and were named on
    /// stderr (exit 2).
    PartlyRead,
}

impl Outcome {
    fn found(found: bool) -> Outcome {
        if found {
            Outcome::Found
        } else {
            Outcome::NothingFound
        }
    }
}

pub fn run(cli: Cli) -> Result<Outcome, Error> {
    let color = resolve_color(cli.color);
    // A long-lived server reads the folder's files; a one-shot command maps them.
    let access = kb_access(&cli.command);
    let source = || match cli.kb {
        None => installed_or_embedded(access),
        Some(pack) if pack.is_file() => KbSource::with_pack(&pack, access),
        Some(dir) => KbSource::directory(dir, access, DirectoryKind::Given),
    };
    match cli.command {
        Command::Search(args) => search::search(&source()?, args, color),
        Command::Show(args) => entries::show(&source()?, args, color),
        Command::List(args) => entries::list(&source()?, args, color),
        Command::Export(args) => entries::export(&source()?, args),
        Command::Check(args) => check::check(&source()?, args, color),
        Command::Doctor(args) => doctor::doctor(&source()?, args, color),
        Command::Triage(args) => triage::triage(&source()?, args, color),
        Command::Kb(command) => kb::kb(command, color),
        Command::Completions { shell } => {
            // Generated into memory: clap_complete panics on a failed write.
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command, "shirube", &mut script);
            printed(Outcome::Found, write_stdout(&script))
        }
        Command::Serve(args) => {
            let facts = context::given_facts(&args.context)?;
            crate::serve::serve(&source()?, args, facts).map(|()| Outcome::Found)
        }
        Command::Man => {
            let command = <Cli as clap::CommandFactory>::command();
            let mut page = Vec::new();
            clap_mangen::Man::new(command).render(&mut page)?;
            printed(Outcome::Found, write_stdout(&page))
        }
    }
}

/// The built-in knowledge base with the packs installed on this host, when there are any;
/// else the built-in one. A set combined by an older binary is combined again first (its
/// built-in entries are the old binary's); when that fails, the built-in one answers alone
/// and stderr says why.
fn installed_or_embedded(access: Access) -> Result<KbSource, Error> {
    let Ok(data) = DataDir::locate() else {
        return Ok(KbSource::Embedded);
    };
    let Some(dir) = data.current() else {
        return Ok(KbSource::Embedded);
    };
    if data.is_stale() {
        if let Err(error) = data.recombine() {
            warn(&format!(
                "shirube: warning: the installed packs are set aside: {error}"
            ));
            return Ok(KbSource::Embedded);
        }
        warn("shirube: the installed packs were combined again with this binary's knowledge base");
        if data.current().is_none() {
            return Ok(KbSource::Embedded);
        }
    }
    KbSource::directory(dir.root().to_path_buf(), access, DirectoryKind::Installed)
}

/// How `command` opens a `--kb` folder's files: `serve` runs for days and reads them (a file
/// edited under a mapping would kill it), every other command maps them (see [`Access`]).
fn kb_access(command: &Command) -> Access {
    match command {
        Command::Serve(_) => Access::Read,
        _ => Access::Map,
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

/// Standard output for text, coloured as `color` says, control characters escaped.
fn stdout(color: ColorChoice) -> Escaping<StandardStream> {
    Escaping(StandardStream::stdout(color))
}

/// The command's outcome once its report is printed: a reader that went away (`| head -1`)
/// does not change the exit status, so `pipefail` still sees what the command found.
fn printed(outcome: Outcome, printing: Result<(), Error>) -> Result<Outcome, Error> {
    match printing {
        Err(error) if !error.is_broken_pipe() => Err(error),
        _ => Ok(outcome),
    }
}

/// Writes `bytes` to stdout as they are (JSON, generated scripts).
fn write_stdout(bytes: &[u8]) -> Result<(), Error> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(())
}

/// Writes text (Markdown) to stdout with control characters escaped.
fn write_text(text: &str) -> Result<(), Error> {
    let mut out = Escaping(io::stdout().lock());
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// Writes `value` to stdout as JSON.
fn write_json(value: &impl serde::Serialize) -> Result<(), Error> {
    shirube::printer::json::write(&mut io::stdout().lock(), value)
}

/// The language asked for, else the user's locale: for commands without a question.
fn display_language(asked: Option<LangArg>) -> Lang {
    asked.map_or_else(locale_language, Lang::from)
}

/// Checks the filters against the knowledge base (an unknown component is a typo, not an
/// empty result).
fn resolve_filters(args: FilterArgs, kb: &KnowledgeBase) -> Result<Filters, Error> {
    Filters::checked(kb, args.version, args.component)
}
