//! `shirube check`: which known issues apply to a cluster version, or to its upgrade.

use super::{Outcome, display_language, stdout};
use crate::cli::CheckArgs;
use crate::printer::{json, text};
use shirube::report::CheckReport;
use shirube::store::KbSource;
use shirube_kb::Error;
use std::io;
use termcolor::ColorChoice;

/// Like cargo-audit: exit 1 when something applies.
pub fn check(source: &KbSource, args: CheckArgs, color: ColorChoice) -> Result<Outcome, Error> {
    let kb = source.knowledge_base()?;
    let report = CheckReport::new(
        kb,
        &args.version,
        args.upgrade_to.as_ref(),
        display_language(args.lang),
    );
    if args.json {
        json::write(&mut io::stdout().lock(), &report)?;
    } else {
        text::print_check(&mut stdout(color), &report)?;
    }
    Ok(if report.findings.is_empty() {
        Outcome::Clean
    } else {
        Outcome::IssuesApply
    })
}
