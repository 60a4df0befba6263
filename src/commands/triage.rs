//! `shirube triage`: every known issue whole logs show.

use super::context::given_facts;
use super::{Outcome, display_language, printed, stdout, write_json};
use crate::cli::TriageArgs;
use shirube::context::Context;
use shirube::printer::terminal::warn;
use shirube::printer::text;
use shirube::report::{TriageFilter, TriageReport};
use shirube::store::KbSource;
use shirube::triage;
use shirube_kb::Error;
use termcolor::ColorChoice;

pub fn triage(source: &KbSource, args: TriageArgs, color: ColorChoice) -> Result<Outcome, Error> {
    // Facts are read first: a facts file that cannot be read stops before the logs are.
    let context = Context::new(&given_facts(&args.context)?, "");
    let kb = source.every_entry()?;
    let known = source.known_errors()?;
    let links = if args.follow {
        triage::Links::Follow
    } else {
        triage::Links::Skip
    };
    let tally = triage::scan_paths(&known, &args.paths, links);
    // Named as they would have been had they stopped the command, and the rest is read.
    for error in &tally.errors {
        warn(&format!(
            "shirube: cannot read {}: {}",
            error.input, error.message
        ));
    }
    let filter = TriageFilter {
        min_count: args.min_count,
        version: args.version,
    };
    let report = TriageReport::new(kb, &tally, &filter, &context, display_language(args.lang));
    let outcome = if tally.errors.is_empty() {
        // An issue whose cause the cluster cannot have, or that its lines show too little
        // of, is not found in its logs.
        Outcome::found(report.found())
    } else {
        Outcome::PartlyRead
    };
    let printing = if args.json {
        write_json(&report)
    } else {
        text::print_triage(&mut stdout(color), &report).map_err(Error::from)
    };
    printed(outcome, printing)
}
