//! Filters shared by `search`, `list` and `export`.

use shirube_kb::version::VERSION_QUERY_FORMS;
use shirube_kb::{Entry, Error, KnowledgeBase, VersionQuery};

/// What the user narrowed the results to. Empty filters keep everything.
#[derive(Clone, Debug, Default)]
pub struct Filters {
    /// Keep entries that may affect this version (entries that name no version are kept).
    pub version: Option<VersionQuery>,
    /// Keep entries of this component id.
    pub component: Option<String>,
}

impl Filters {
    /// Filters for `kb`: an unknown component is a typo, not an empty result.
    pub fn checked(
        kb: &KnowledgeBase,
        version: Option<VersionQuery>,
        component: Option<String>,
    ) -> Result<Filters, Error> {
        if let Some(component) = &component
            && kb.component(component).is_none()
        {
            let known: Vec<&str> = kb.components.iter().map(|c| c.id.as_str()).collect();
            return Err(Error::invalid(format!("unknown component `{component}`"))
                .with_hint(format!("use one of: {}", known.join(", "))));
        }
        Ok(Filters { version, component })
    }

    /// Whether every entry matches.
    pub fn is_empty(&self) -> bool {
        self.version.is_none() && self.component.is_none()
    }

    /// Whether `entry` passes: it is of the component asked for, and it may affect the
    /// version asked about (an entry that names no version may).
    pub fn matches(&self, entry: &Entry) -> bool {
        self.component
            .as_ref()
            .is_none_or(|c| entry.component == *c)
            && self
                .version
                .as_ref()
                .is_none_or(|v| entry.versions.may_affect(v))
    }
}

/// Refuses an upgrade target that is not newer than the version upgraded from: a typo, or
/// the two versions swapped, would otherwise answer another question silently.
pub fn check_upgrade(from: &VersionQuery, to: Option<&VersionQuery>) -> Result<(), Error> {
    match to {
        Some(to) if !from.upgrades_to(to) => Err(Error::invalid(format!(
            "{to} is not newer than {from}: an upgrade goes to a newer version"
        ))
        .with_hint("give the version the cluster runs, then the one it is upgraded to")),
        _ => Ok(()),
    }
}

/// Reads a version as a user writes it (`--version`); text that is not a version is an
/// error naming the forms accepted.
pub fn parse_version(text: &str) -> Result<VersionQuery, Error> {
    text.parse().map_err(|_| {
        Error::invalid(format!(
            "`{text}` is not a version; use {VERSION_QUERY_FORMS}"
        ))
    })
}
