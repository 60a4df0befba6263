//! Whether a result applies to the cluster asked about, as `search` and `triage` report it.

use super::cluster::FactUse;
use crate::context::Judgement;
use serde::Serialize;

/// `{"applies": true|false|null, "because": [{"fact", "value", "from"}], "missing": [...]}`.
#[derive(Clone, Debug, Serialize)]
pub struct ContextReport {
    /// `true` when the entry's conditions hold, `false` when a fact contradicts them (or
    /// the release stated is outside its versions), `null` when facts are missing or it
    /// has no conditions.
    pub applies: Option<bool>,
    /// The facts that decided, each with where it came from.
    pub because: Vec<FactUse>,
    /// The facts that would decide, when none did.
    pub missing: Vec<String>,
}

impl ContextReport {
    /// The report of `judgement`: each fact that decided with its value and where it came
    /// from.
    pub fn of(judgement: &Judgement) -> Self {
        ContextReport {
            applies: judgement.applies,
            because: judgement
                .because
                .iter()
                .map(|(fact, found)| FactUse {
                    fact: fact.clone(),
                    found: found.clone(),
                })
                .collect(),
            missing: judgement.missing.clone(),
        }
    }
}
