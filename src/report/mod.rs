//! What the commands report, as serialisable types: these are the JSON contract documented
//! in the README, and they are all the binary's printers read. A report carries every word
//! a printer needs (titles and component labels in the display language, the component
//! order to group by), so no printer looks anything up in the knowledge base.

mod check;
mod cluster;
mod context;
mod entry;
mod packs;
mod search;
mod triage;

pub use check::{CheckFinding, CheckReport};
pub use cluster::{ClusterFinding, ClusterReport, FactUse, Missing, Subject, UnknownFinding};
pub use context::ContextReport;
pub use entry::{ComponentRef, EntryDetail, EntrySummary, ExportReport, SourceRef};
pub use packs::{KnowledgeBaseRow, PackListReport, PackReport};
pub use search::{Excluded, SearchReport, SearchResult};
pub use triage::{TriageFilter, TriageFinding, TriageReport};
