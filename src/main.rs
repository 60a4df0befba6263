//! `shirube`: parse the command line, run one command, map the outcome to an exit code
//! (0 found, 1 nothing found, 2 error; `check` exits 1 when issues apply, like
//! cargo-audit). A closed pipe ends the program quietly.

mod cli;
mod commands;
mod render;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(commands::Outcome::Found | commands::Outcome::Clean) => ExitCode::SUCCESS,
        Ok(commands::Outcome::NothingFound | commands::Outcome::IssuesApply) => ExitCode::from(1),
        Err(commands::Failure::BrokenPipe) => ExitCode::SUCCESS,
        Err(commands::Failure::Error { message, hint }) => {
            eprintln!("shirube: {message}");
            if let Some(hint) = hint {
                eprintln!("hint: {hint}");
            }
            ExitCode::from(2)
        }
    }
}
