//! `shirube`: parse the command line, run one command, map the outcome to an exit code
//! (0 found, 1 nothing found, 2 error; `check` exits 1 when issues apply, like
//! cargo-audit; 2 too when some inputs could not be read, like grep). A closed pipe ends the
//! program quietly.

mod cli;
mod commands;
mod serve;

use clap::Parser;
use clap::error::ErrorKind;
use commands::Outcome;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return arguments_refused(error),
    };
    match commands::run(cli) {
        Ok(Outcome::Found | Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::NothingFound | Outcome::IssuesApply) => ExitCode::from(1),
        // Like grep: the output stands, but something was not read.
        Ok(Outcome::PartlyRead) => ExitCode::from(2),
        Err(error) if error.is_broken_pipe() => ExitCode::SUCCESS,
        Err(error) => {
            shirube::printer::terminal::warn(&format!("shirube: {error}"));
            if let Some(hint) = error.hint() {
                shirube::printer::terminal::warn(&format!("hint: {hint}"));
            }
            ExitCode::from(2)
        }
    }
}

/// `--help` and `--version` print as clap prints them; a usage error is one line and a
/// hint, like every other error (clap's tip when it has one, else the usage line).
fn arguments_refused(error: clap::Error) -> ExitCode {
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = error.print();
        return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
    }
    let refused = shirube_kb::Error::refused_arguments(&error.render().to_string());
    shirube::printer::terminal::warn(&format!("shirube: {refused}"));
    if let Some(hint) = refused.hint() {
        shirube::printer::terminal::warn(&format!("hint: {hint}"));
    }
    ExitCode::from(2)
}
