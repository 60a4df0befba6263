//! `shirube check`: which known issues apply to a cluster — by version, or by its
//! configuration file and its nodes' facts.

use super::{Outcome, display_language, printed, stdout, write_json};
use crate::cli::{CheckArgs, LangArg};
use shirube::check_upgrade;
use shirube::facts::config::{self, ClusterConfig};
use shirube::facts::{FactsFile, NodeFacts};
use shirube::printer::text;
use shirube::printer::text::ClusterDetail;
use shirube::report::{CheckReport, ClusterReport, Subject};
use shirube::store::KbSource;
use shirube_kb::Error;
use shirube_kb::error::io_reason;
use termcolor::ColorChoice;

/// Like cargo-audit: exit 1 when something applies.
pub fn check(source: &KbSource, args: CheckArgs, color: ColorChoice) -> Result<Outcome, Error> {
    if args.config.is_some() || !args.host_facts.is_empty() {
        return check_cluster(source, args, color);
    }
    let kb = source.every_entry()?;
    let Some(version) = &args.version else {
        // clap requires one of --version, --config, --host-facts.
        return Err(Error::new(
            "check needs --version, --config or --host-facts",
        ));
    };
    check_upgrade(version, args.upgrade_to.as_ref())?;
    let report = CheckReport::new(
        kb,
        version,
        args.upgrade_to.as_ref(),
        display_language(args.lang),
    );
    let outcome = if report.findings.is_empty() {
        Outcome::Clean
    } else {
        Outcome::IssuesApply
    };
    let printing = if args.json {
        write_json(&report)
    } else {
        let shown = if args.all {
            usize::MAX
        } else {
            text::NOT_STATED_SHOWN
        };
        text::print_check(&mut stdout(color), &report, shown).map_err(Error::from)
    };
    printed(outcome, printing)
}

/// `check --config FILE [--host-facts FILE...]`.
fn check_cluster(source: &KbSource, args: CheckArgs, color: ColorChoice) -> Result<Outcome, Error> {
    let config = match &args.config {
        Some(path) => Some(read_config(path)?),
        None => None,
    };
    let mut nodes = Vec::new();
    for path in &args.host_facts {
        nodes.push(FactsFile::read(path)?);
    }
    let subject = subject(&args, config, nodes);
    if let Some(version) = &subject.version {
        check_upgrade(version, subject.upgrade_to.as_ref())?;
    }
    let detail = ClusterDetail {
        facts: false,
        unknown: true,
    };
    report_cluster(source, &subject, &args.lang, args.json, color, detail)
}

/// What applies to the cluster `subject` describes, printed; exit 1 when something does.
pub fn report_cluster(
    source: &KbSource,
    subject: &Subject,
    lang: &Option<LangArg>,
    as_json: bool,
    color: ColorChoice,
    detail: ClusterDetail,
) -> Result<Outcome, Error> {
    let kb = source.every_entry()?;
    let report = ClusterReport::new(kb, subject, display_language(*lang));
    let outcome = if report.applies.is_empty() {
        Outcome::Clean
    } else {
        Outcome::IssuesApply
    };
    let printing = if as_json {
        write_json(&report)
    } else {
        text::print_cluster(&mut stdout(color), &report, detail).map_err(Error::from)
    };
    printed(outcome, printing)
}

pub(super) fn read_config(path: &std::path::Path) -> Result<ClusterConfig, Error> {
    let label = path.display().to_string();
    // A cluster configuration is a few kilobytes; a name pointing at /dev/zero is not one.
    let bytes = shirube_kb::file::read_bounded(path, 4 << 20).map_err(|e| {
        Error::new(format!("{label}: cannot read: {}", io_reason(&e)))
            .with_hint("pass the cluster configuration file bmctl reads")
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::new(format!(
            "{label}: not UTF-8 text: not a cluster configuration"
        ))
        .with_hint("pass the cluster configuration file bmctl reads")
    })?;
    config::read(&label, &text)
}

/// The versions checked: `--version` (or `--from`) is the version the cluster runs, and
/// the configuration's version is then where it upgrades to, unless `--upgrade-to` says
/// otherwise; without `--version`, the configuration's version is the one it runs.
fn subject(args: &CheckArgs, config: Option<ClusterConfig>, nodes: Vec<NodeFacts>) -> Subject {
    let have_config = config.is_some();
    let config = config.unwrap_or_else(|| ClusterConfig {
        version: None,
        version_from: "no --config".to_string(),
        facts: Default::default(),
        unresolved: Vec::new(),
    });
    let (version, version_from, upgrade_to) = match &args.version {
        Some(running) => {
            let target = args
                .upgrade_to
                .clone()
                .or_else(|| config.version.clone().filter(|v| v != running));
            (Some(running.clone()), "--version".to_string(), target)
        }
        None => (config.version, config.version_from, args.upgrade_to.clone()),
    };
    Subject {
        version,
        version_from,
        upgrade_to,
        config: config.facts,
        have_config,
        unresolved: config.unresolved,
        nodes,
    }
}
