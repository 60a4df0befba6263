//! Search-quality evaluation: shirube and a character-bigram BM25 baseline (what Groonga's
//! TokenBigram would give), run on the same queries in the same process.
//!
//! Queries live in `tests/queries/*.toml` (see that folder's files for the format). Each has a
//! kind (`log`, `paraphrase`, `keyword`, `version`, `negative`), the language it is written
//! in, and the entry it must find (none for negatives).
//!
//! - here: the queries, and the systems under test (shirube asked as the binary asks it);
//! - [`baseline`]: the bigram baseline;
//! - [`score`]: recall, MRR, abstention and the table;
//! - [`fit`]: what the confidence model is fitted on, and the fit.

pub mod baseline;
pub mod fit;
pub mod score;

pub use baseline::BigramBaseline;
pub use fit::confidence_inputs;
pub use score::{Report, evaluate, seen_by_user, summary, table};

use serde::Deserialize;
use shirube::search::{Engine, Request};
use shirube::{Error, Filters};
use shirube_kb::VersionQuery;
use std::path::Path;

/// Results are judged within the first this many.
pub const DEPTH: usize = 10;

/// One evaluation query, as written in a `tests/queries` file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Query {
    /// What sort of query it is: `log`, `paraphrase`, `keyword`, `version` or `negative`.
    pub kind: String,
    /// The language the query is written in (`en`, `ja`).
    pub lang: String,
    /// The query itself, as a user would type or paste it.
    pub text: String,
    /// The id of the entry it must find; `None` for a negative.
    pub expect: Option<String>,
    /// The product version the query is restricted to, if any (e.g. `1.6.1`).
    pub version: Option<String>,
    /// Where a real-world query came from.
    pub source: Option<String>,
    /// Why it matches its entry, or why a negative does not.
    pub note: Option<String>,
    /// For a negative: the entry whose error text it quotes, with another cause (a near
    /// miss); a negative without it shares only the area or generic words with an entry.
    pub near_miss: Option<String>,
}

#[derive(Deserialize)]
struct QueryFile {
    query: Vec<Query>,
}

/// The query sets, apart: never pooled into one figure.
pub struct QuerySets {
    /// Written by us, `tests/queries/*.toml`: what the ranking was developed on.
    pub own: Vec<Query>,
    /// Real public text, the half fitted and calibrated on (`tests/queries/real/tuning.toml`).
    pub real_tuning: Vec<Query>,
    /// Real public text, the half only reported (`tests/queries/real/heldout.toml`).
    pub real_heldout: Vec<Query>,
}

impl QuerySets {
    /// The sets under `tests/queries`.
    pub fn load() -> Result<QuerySets, Error> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/queries");
        let mut own_files: Vec<_> = std::fs::read_dir(&dir)
            .map_err(|e| Error::new(format!("{}: {e}", dir.display())))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        own_files.sort();
        let mut own = Vec::new();
        for file in &own_files {
            own.extend(load_file(file)?);
        }
        Ok(QuerySets {
            own,
            real_tuning: load_file(&dir.join("real/tuning.toml"))?,
            real_heldout: load_file(&dir.join("real/heldout.toml"))?,
        })
    }

    /// What the confidence model may be fitted and calibrated on: everything but the
    /// held-out half.
    pub fn training(&self) -> Vec<Query> {
        self.own.iter().chain(&self.real_tuning).cloned().collect()
    }
}

/// The queries of one file.
fn load_file(file: &Path) -> Result<Vec<Query>, Error> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| Error::new(format!("{}: {e}", file.display())))?;
    let parsed: QueryFile =
        toml::from_str(&text).map_err(|e| Error::new(format!("{}: {e}", file.display())))?;
    Ok(parsed.query)
}

/// What a system returned for a query: the ids it shows, and the ids it ranked before
/// deciding what to show (the same for a system that never abstains).
pub struct Ranked {
    /// The entry ids shown to the user, best first (empty when the system abstains).
    pub shown: Vec<String>,
    /// The entry ids ranked before deciding what to show, best first.
    pub ranked: Vec<String>,
}

/// A search system under test, asked each query the same way.
pub trait System {
    /// The system's name, for reports.
    fn name(&self) -> &str;
    /// The system's answer to `query`.
    fn rank(&self, query: &Query) -> Result<Ranked, Error>;
}

fn filters(query: &Query) -> Result<Filters, Error> {
    let version = query
        .version
        .as_deref()
        .map(|v| {
            v.parse::<VersionQuery>()
                .map_err(|e| Error::new(e.to_string()))
        })
        .transpose()?;
    Ok(Filters {
        version,
        component: None,
    })
}

/// shirube as the binary asks it, deciding with whatever model its engine has (the shipped
/// one, or one being fitted or calibrated).
pub struct Shirube {
    /// The engine that answers the queries.
    pub engine: Engine,
}

impl Shirube {
    /// The engine's answer to `query`, ranked to [`DEPTH`], without snippets.
    fn ranking(&self, query: &Query) -> Result<shirube::Ranking<'static>, Error> {
        self.engine.search(&Request {
            filters: filters(query)?,
            limit: DEPTH,
            weak: 0,
            snippets: false,
            ..Request::new(&query.text)
        })
    }
}

impl System for Shirube {
    fn name(&self) -> &str {
        "shirube"
    }

    fn rank(&self, query: &Query) -> Result<Ranked, Error> {
        let ranking = self.ranking(query)?;
        Ok(Ranked {
            shown: ranking.shown.iter().map(|h| h.entry.id.clone()).collect(),
            ranked: ranking.candidates().map(|h| h.entry.id.clone()).collect(),
        })
    }
}
