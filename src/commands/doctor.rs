//! `shirube doctor`: this host's facts, probed read-only, and the known issues that apply
//! to it; with `--facts`, the facts alone for `check --host-facts` on the jump host.

use super::check::report_cluster;
use super::context::probe;
use super::{Outcome, printed, write_json};
use crate::cli::DoctorArgs;
use shirube::facts::{FactsFile, NodeFacts};
use shirube::printer::text::ClusterDetail;
use shirube::report::Subject;
use shirube::store::KbSource;
use shirube_kb::Error;
use termcolor::ColorChoice;

pub fn doctor(source: &KbSource, args: DoctorArgs, color: ColorChoice) -> Result<Outcome, Error> {
    let found = probe(&args.root)?;
    if args.facts {
        return printed(Outcome::Found, write_json(&FactsFile::from_host(found)));
    }
    let name = found
        .host
        .clone()
        .unwrap_or_else(|| "this host".to_string());
    let subject = Subject {
        version_from: if args.version.is_some() {
            "--version"
        } else {
            "no --version"
        }
        .to_string(),
        version: args.version.clone(),
        upgrade_to: None,
        config: Default::default(),
        have_config: false,
        unresolved: Vec::new(),
        nodes: vec![NodeFacts {
            name,
            facts: found.facts,
            unknown: found.unknown.into_iter().collect(),
        }],
    };
    let detail = ClusterDetail {
        facts: true,
        unknown: false,
    };
    report_cluster(source, &subject, &args.lang, args.json, color, detail)
}
