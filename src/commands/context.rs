//! The facts `search` is given about the cluster a question comes from: `--config`,
//! `--host-facts` and `--here`, read as `check` and `doctor` read them; and the probe of a
//! root both `doctor` and `search --here` run.

use super::check::read_config;
use crate::cli::ContextArgs;
use shirube::facts::FactsFile;
use shirube::facts::host::{self, HostFacts};
use shirube_kb::Error;
use shirube_kb::condition::Facts;
use std::path::Path;

/// The facts `args` name, merged: the configuration's, then each facts file's, then this
/// host's probed, the later adding only what the earlier did not say (a search is about one
/// cluster; where nodes differ, the first file given speaks for it).
pub fn given_facts(args: &ContextArgs) -> Result<Facts, Error> {
    let mut facts = Facts::new();
    let mut add = |more: Facts| {
        for (name, found) in more {
            facts.entry(name).or_insert(found);
        }
    };
    if let Some(path) = &args.cluster_config {
        add(read_config(path)?.facts);
    }
    for path in &args.host_facts {
        add(FactsFile::read(path)?.facts);
    }
    if args.here {
        add(probe(args.root.as_deref().unwrap_or(Path::new("/")))?.facts);
    }
    Ok(facts)
}

/// The facts of the host whose root filesystem is at `root` (`--root`, as `doctor` and
/// `search --here` take it), probed read-only.
pub fn probe(root: &Path) -> Result<HostFacts, Error> {
    if !root.is_dir() {
        return Err(
            Error::new(format!("--root {}: not a directory", root.display()))
                .with_hint("pass the directory a node's root filesystem is copied or mounted at"),
        );
    }
    Ok(host::probe(root))
}
