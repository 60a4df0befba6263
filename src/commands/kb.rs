//! `shirube kb`: verify, install, list and remove knowledge packs.

use super::{Outcome, printed, stdout, write_json, write_text};
use crate::cli::{KbCommand, PackArgs};
use shirube::printer::packs;
use shirube::printer::terminal::warn;
use shirube::report::{KnowledgeBaseRow, PackListReport, PackReport};
use shirube::store::installed::DataDir;
use shirube::store::verify::{self, TrustedKey, Verified};
use shirube_kb::Error;
use shirube_kb::pack::BUILT_IN;
use termcolor::ColorChoice;

pub fn kb(command: KbCommand, color: ColorChoice) -> Result<Outcome, Error> {
    match command {
        KbCommand::Verify(args) => {
            let (_, verified) = verified(&args)?;
            let report = PackReport {
                file: args.file.display().to_string(),
                manifest: &verified.pack.manifest,
                key_id: signer(&verified),
                replaced: None,
            };
            print_pack(&args, "verified", &report, color)
        }
        KbCommand::Add(args) => {
            let (data, verified) = verified(&args)?;
            let key_id = signer(&verified).map(str::to_string);
            let added = data.add(verified)?;
            if let Some(key) = &added.remembered {
                warn(&format!(
                    "shirube: key {} ({}) is now trusted for later packs",
                    key.id,
                    key.file.display()
                ));
            }
            let report = PackReport {
                file: args.file.display().to_string(),
                manifest: &added.manifest,
                key_id: key_id.as_deref(),
                replaced: added.replaced.as_ref(),
            };
            print_pack(&args, "installed", &report, color)
        }
        KbCommand::List { json } => {
            let report = list(&DataDir::locate()?)?;
            let printing = if json {
                write_json(&report)
            } else {
                packs::print_pack_list(&mut stdout(color), &report).map_err(Error::from)
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

/// The id of the key whose signature checked; none for a pack taken unsigned.
fn signer(verified: &Verified) -> Option<&str> {
    verified.signed.as_ref().map(|(_, key)| key.id.as_str())
}

/// `report` as JSON or as text, `done` saying what happened to the pack.
fn print_pack(
    args: &PackArgs,
    done: &str,
    report: &PackReport,
    color: ColorChoice,
) -> Result<Outcome, Error> {
    let printing = if args.json {
        write_json(report)
    } else {
        packs::print_pack(&mut stdout(color), done, report).map_err(Error::from)
    };
    printed(Outcome::Found, printing)
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
