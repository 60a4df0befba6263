//! Terminal output of `shirube kb`: a pack verified or installed, and the knowledge bases
//! a command answers from. Names, ids and build dates in English only: they are the
//! pack's own words, read by whoever installs it.

use crate::report::{PackListReport, PackReport};
use shirube_kb::pack::BUILT_IN;
use std::io::{self, Write};

/// A verified or installed (`done`) pack, one fact a line, with the pack it replaced.
pub fn print_pack(out: &mut dyn Write, done: &str, report: &PackReport) -> io::Result<()> {
    let m = report.manifest;
    let signed = report
        .key_id
        .map_or(String::new(), |id| format!(", signed by key {id}"));
    writeln!(out, "{done} {} ({}){signed}", m.name, report.file)?;
    if let Some(old) = report.replaced {
        writeln!(
            out,
            "replaced {} built {} by {} ({} entries) with the one built {} by {}",
            old.name, old.built, old.built_by, old.entries, m.built, m.built_by
        )?;
    }
    writeln!(out, "  title:    {}", m.title)?;
    writeln!(out, "  entries:  {}", m.entries)?;
    writeln!(out, "  releases: {}", m.releases.join(", "))?;
    writeln!(out, "  sources:  {}", m.sources.join("; "))?;
    writeln!(out, "  built:    {} by {}", m.built, m.built_by)?;
    writeln!(out, "  sha256:   {}", m.sha256)
}

/// The built-in knowledge base and the installed packs, a line each, and where they are.
pub fn print_pack_list(out: &mut dyn Write, report: &PackListReport) -> io::Result<()> {
    let width = report
        .knowledge_bases
        .iter()
        .map(|row| row.name.chars().count())
        .max()
        .unwrap_or(0);
    for row in &report.knowledge_bases {
        // The built-in knowledge base is as trusted as the binary; a pack says who signed it.
        let key = match (&row.key_id, row.name == BUILT_IN) {
            (Some(id), _) => format!(" · key {id}"),
            (None, true) => String::new(),
            (None, false) => " · unsigned".to_string(),
        };
        writeln!(
            out,
            "{:width$}  {} entries · built {}{key} · {}",
            row.name, row.entries, row.built, row.title
        )?;
    }
    let packs = report.knowledge_bases.len() - 1;
    writeln!(out, "{packs} pack(s) installed in {}", report.data_dir)
}
