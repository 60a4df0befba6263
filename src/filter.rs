//! Filters shared by `search`, `list` and `export`.

use shirube_kb::{Entry, VersionQuery};

/// What the user narrowed the results to. Empty filters keep everything.
#[derive(Clone, Debug, Default)]
pub struct Filters {
    /// Keep entries that may affect this version (entries that name no version are kept).
    pub version: Option<VersionQuery>,
    /// Keep entries of this component id.
    pub component: Option<String>,
}

impl Filters {
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
