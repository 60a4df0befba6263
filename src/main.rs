//! `shirube`: parse the command line, run one command, map the outcome to an exit code
//! (0 found, 1 nothing found, 2 error; `check` exits 1 when issues apply, like
//! cargo-audit; 2 too when some inputs could not be read, like grep). A closed pipe ends the
//! program quietly.

mod cli;
mod commands;
mod printer;
mod serve;

use clap::Parser;
use commands::Outcome;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(Outcome::Found | Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::NothingFound | Outcome::IssuesApply) => ExitCode::from(1),
        // Like grep: the output stands, but something was not read.
        Ok(Outcome::PartlyRead) => ExitCode::from(2),
        Err(error) if error.is_broken_pipe() => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("shirube: {error}");
            if let Some(hint) = error.hint() {
                eprintln!("hint: {hint}");
            }
            ExitCode::from(2)
        }
    }
}
