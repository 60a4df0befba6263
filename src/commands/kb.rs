//! `shirube kb`: verify, install, list and remove knowledge packs.

use super::{Outcome, printed, write_json, write_text};
use crate::cli::{KbCommand, PackArgs};
use shirube::printer::terminal::warn;
use shirube::report::{KnowledgeBaseRow, PackListReport, PackReport};
use shirube::store::installed::DataDir;
use shirube::store::verify::{self, TrustedKey, Verified};
use shirube_kb::Error;
use shirube_kb::pack::BUILT_IN;
use std::fmt::Write;

pub fn kb(command: KbCommand) -> Result<Outcome, Error> {
    match command {
        KbCommand::Verify(args) => {
            let (_, verified) = verified(&args)?;
            let report = PackReport {
                file: args.file.display().to_string(),
                manifest: &verified.pack.manifest,
                key_id: verified.signed.as_ref().map(|(_, key)| key.id.as_str()),
                replaced: None,
            };
            let printing = if args.json {
                write_json(&report)
            } else {
                write_text(&describe("verified", &report))
            };
            printed(Outcome::Found, printing)
        }
        KbCommand::Add(args) => {
            let (data, verified) = verified(&args)?;
            let key_id = verified.signed.as_ref().map(|(_, key)| key.id.clone());
            let added = data.add(verified)?;
            let report = PackReport {
                file: args.file.display().to_string(),
                manifest: &added.manifest,
                key_id: key_id.as_deref(),
                replaced: added.replaced.as_ref(),
            };
            if let Some(key) = &added.remembered {
                warn(&format!(
                    "shirube: key {} ({}) is now trusted for later packs",
                    key.id,
                    key.file.display()
                ));
            }
            let printing = if args.json {
                write_json(&report)
            } else {
                write_text(&describe("installed", &report))
            };
            printed(Outcome::Found, printing)
        }
        KbCommand::List { json } => {
            let report = list(&DataDir::locate()?)?;
            let printing = if json {
                write_json(&report)
            } else {
                write_text(&list_text(&report))
            };
            printed(Outcome::Found, printing)
        }
        KbCommand::Remove { name } => {
            let removed = DataDir::locate()?.remove(&name)?;
            printed(
                Outcome::Found,
                write_text(&format!(
                    "removed {} ({} entries, built {})\n",
                    removed.name, removed.entries, removed.built
                )),
            )
        }
    }
}

/// The pack of `args` verified against the keys given and those remembered.
fn verified(args: &PackArgs) -> Result<(DataDir, Verified), Error> {
    let data = DataDir::locate()?;
    let mut trusted = args
        .trust
        .iter()
        .map(|path| {
            TrustedKey::read(path).map_err(|e| {
                e.in_context(
                    "--trust ",
                    "give the shirube-kb.pub that `index-build keygen` wrote",
                )
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    trusted.extend(data.trusted_keys()?);
    let verified = verify::verify(&args.file, &trusted, args.allow_unsigned)?;
    if verified.signed.is_none() {
        warn(&format!(
            "shirube: warning: {} has no signature: nothing proves who built it (--allow-unsigned)",
            args.file.display()
        ));
    }
    Ok((data, verified))
}

/// A verified or installed pack, one fact a line.
fn describe(done: &str, report: &PackReport) -> String {
    let m = report.manifest;
    let mut out = String::new();
    let signed = report
        .key_id
        .map_or(String::new(), |id| format!(", signed by key {id}"));
    let _ = writeln!(out, "{done} {} ({}){signed}", m.name, report.file);
    if let Some(old) = report.replaced {
        let _ = writeln!(
            out,
            "replaced {} built {} by {} ({} entries) with the one built {} by {}",
            old.name, old.built, old.built_by, old.entries, m.built, m.built_by
        );
    }
    let _ = writeln!(out, "  title:    {}", m.title);
    let _ = writeln!(out, "  entries:  {}", m.entries);
    let _ = writeln!(out, "  releases: {}", m.releases.join(", "));
    let _ = writeln!(out, "  sources:  {}", m.sources.join("; "));
    let _ = writeln!(out, "  built:    {} by {}", m.built, m.built_by);
    let _ = writeln!(out, "  sha256:   {}", m.sha256);
    out
}

/// The built-in knowledge base and the installed packs.
fn list(data: &DataDir) -> Result<PackListReport, Error> {
    let mut rows = vec![KnowledgeBaseRow {
        name: BUILT_IN.to_string(),
        title: env!("SHIRUBE_KB_SOURCES").to_string(),
        entries: env!("SHIRUBE_KB_ENTRIES").parse().unwrap_or_default(),
        built: env!("SHIRUBE_KB_BUILT").to_string(),
        key_id: None,
    }];
    for pack in data.installed_packs()? {
        rows.push(KnowledgeBaseRow {
            name: pack.manifest.name,
            title: pack.manifest.title,
            entries: pack.manifest.entries,
            built: pack.manifest.built,
            key_id: pack.key_id,
        });
    }
    Ok(PackListReport {
        data_dir: data.root().display().to_string(),
        knowledge_bases: rows,
    })
}

fn list_text(report: &PackListReport) -> String {
    let mut out = String::new();
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
        let _ = writeln!(
            out,
            "{:width$}  {} entries · built {}{key} · {}",
            row.name, row.entries, row.built, row.title
        );
    }
    let packs = report.knowledge_bases.len() - 1;
    let _ = writeln!(out, "{packs} pack(s) installed in {}", report.data_dir);
    out
}
