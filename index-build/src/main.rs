//! `index-build`: the knowledge-base author's tool.
//!
//! - `index-build lint [KB_DIR]` checks every entry file and prints every problem as
//!   `file:line: message` (exit 1 when there is any).
//! - `index-build import PAGE.txt [--kb KB_DIR] [--source NAME] [--out DIR]` drafts entry files
//!   from a plain-text dump of a known-issues page.
//! - `index-build build [KB_DIR] OUT_DIR` runs the whole build step by hand (cargo runs it
//!   through `build.rs`).
//! - `index-build keygen --out DIR` makes a minisign key pair to sign knowledge packs with;
//!   `index-build pack KB_DIR --key KEY -o NAME.kbpack` writes and signs one.

use clap::error::ErrorKind;
use clap::{Parser, Subcommand};
use shirube_kb::import::{draft_entries, read_page};
use shirube_kb::{Error, SourceDocument};
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Check, import and build shirube's knowledge base.
#[derive(Debug, Parser)]
#[command(
    name = "index-build",
    version,
    after_help = "Exit status: 0 success, 1 problems found in the entries, 2 usage or I/O error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check every entry file; print each problem as file:line: message
    Lint {
        /// The knowledge-base folder
        #[arg(value_name = "KB_DIR", default_value = "kb")]
        kb: PathBuf,
    },
    /// Draft entry files from a plain-text dump of a known-issues page (as copied from a
    /// browser). Issues whose title an entry of KB_DIR/NAME already has keep that id and are
    /// not written unless --out is given; new issues get new ids and are written to
    /// KB_DIR/NAME (or to DIR with --out)
    Import {
        /// The page dump to read
        #[arg(value_name = "PAGE.txt")]
        page: PathBuf,
        /// The knowledge-base folder
        #[arg(long = "kb", value_name = "KB_DIR", default_value = "kb")]
        kb: PathBuf,
        /// The source document's folder inside KB_DIR
        #[arg(long = "source", value_name = "NAME", default_value = "anthos-bm")]
        source: String,
        /// Write every draft to DIR instead of KB_DIR/NAME
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Run the whole build step (lint, dictionary, index) into OUT_DIR, replacing what was
    /// there in one step
    Build {
        /// KB_DIR OUT_DIR, or OUT_DIR alone: the knowledge-base folder (default kb) and where to build
        #[arg(value_name = "DIR", num_args = 1..=2, required = true)]
        dirs: Vec<PathBuf>,
    },
    /// Make a key pair to sign knowledge packs with: DIR/shirube-kb.key (secret: keep it
    /// off the hosts the packs go to) and DIR/shirube-kb.pub (give it to every site), in
    /// minisign's formats
    #[command(after_help = "Example:\n  index-build keygen --out ~/.shirube-keys")]
    Keygen {
        /// The folder to write both keys into; existing keys are never overwritten
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Lint KB_DIR and write its entries as one knowledge pack, NAME.kbpack, signed with
    /// KEY: the signature is written beside it as NAME.kbpack.minisig
    #[command(after_help = "\
Examples:
  index-build pack site-kb --key ~/.shirube-keys/shirube-kb.key -o acme-site.kbpack
  minisign -V -p shirube-kb.pub -m acme-site.kbpack      # what a site can check by itself
  shirube kb add acme-site.kbpack --trust shirube-kb.pub

Exit status: 0 written, 1 problems found in the entries, 2 usage or I/O error.")]
    Pack {
        /// The knowledge-base folder (components.toml, glossary.toml, one folder per source)
        #[arg(value_name = "KB_DIR")]
        kb: PathBuf,
        /// The secret key `index-build keygen` wrote
        #[arg(long, value_name = "KEY")]
        key: PathBuf,
        /// The pack to write: its file name, less .kbpack, is the pack's name
        #[arg(short = 'o', long = "out", value_name = "NAME.kbpack")]
        out: PathBuf,
        /// What the pack holds, in a line (default: its sources' titles)
        #[arg(long)]
        title: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return arguments_refused(&error),
    };
    let result = match cli.command {
        Command::Lint { kb } => lint(&kb),
        Command::Import {
            page,
            kb,
            source,
            out,
        } => import(&page, &kb, &source, out),
        Command::Build { dirs } => build(&dirs),
        Command::Keygen { out } => keygen(&out),
        Command::Pack {
            kb,
            key,
            out,
            title,
        } => pack(&kb, &key, &out, title.as_deref()),
    };
    result.unwrap_or_else(|error| {
        report(&error);
        ExitCode::from(2)
    })
}

fn report(error: &Error) {
    eprintln!("index-build: {error}");
    if let Some(hint) = error.hint() {
        eprintln!("hint: {hint}");
    }
}

/// `--help` and `--version` print as clap prints them; a usage error is one line and a
/// hint, as `shirube` says its own.
fn arguments_refused(error: &clap::Error) -> ExitCode {
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = error.print();
        return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
    }
    report(&Error::refused_arguments(&error.render().to_string()));
    ExitCode::from(2)
}

/// `path: error`, for a file that could not be read or written.
fn failed(path: &Path, error: impl std::fmt::Display) -> Error {
    Error::new(format!("{}: {error}", path.display()))
}

fn lint(kb_dir: &Path) -> Result<ExitCode, Error> {
    match shirube_kb::load_kb(kb_dir) {
        Ok(kb) => {
            for warning in &kb.warnings {
                println!("{warning}");
            }
            let files: usize = kb.entries.iter().map(|e| e.docs.len()).sum();
            println!(
                "{}: {} entries in {} files, no problems",
                kb_dir.display(),
                kb.entries.len(),
                files
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(problems) => {
            for p in &problems {
                println!("{p}");
            }
            eprintln!("{} problem(s)", problems.len());
            Ok(ExitCode::from(1))
        }
    }
}

fn import(
    page_path: &Path,
    kb_dir: &Path,
    source_name: &str,
    out: Option<PathBuf>,
) -> Result<ExitCode, Error> {
    let source_dir = kb_dir.join(source_name);
    let source_toml = source_dir.join("source.toml");
    let source: SourceDocument = toml_file(&source_toml)?;
    let text = fs::read_to_string(page_path).map_err(|e| failed(page_path, e))?;
    let page = read_page(&text, &source.categories);
    if page.title != source.title {
        eprintln!(
            "warning: the page is titled `{}`, {} says `{}`",
            page.title,
            source_toml.display(),
            source.title
        );
    }

    let known = existing_ids_by_title(&source_dir)?;
    let drafts = draft_entries(&page, &source, &known);
    let target = out.clone().unwrap_or(source_dir.clone());
    fs::create_dir_all(&target).map_err(|e| failed(&target, e))?;
    let mut written = 0;
    for draft in &drafts {
        let is_new = !known.contains_key(&draft.issue.title);
        if is_new || out.is_some() {
            let path = target.join(format!("{}.{}.md", draft.id, source.lang));
            fs::write(&path, &draft.markdown).map_err(|e| failed(&path, e))?;
            written += 1;
        }
        if is_new {
            println!(
                "new      {}  {} / {}",
                draft.id, draft.issue.category, draft.issue.title
            );
        }
    }
    let on_page: std::collections::HashSet<&str> =
        drafts.iter().map(|d| d.issue.title.as_str()).collect();
    for (title, id) in &known {
        if !on_page.contains(title.as_str()) {
            println!("gone     {id}  {title} (no longer on the page: review it)");
        }
    }
    println!(
        "{} issues on the page ({} already in {}), {} draft(s) written to {}",
        drafts.len(),
        drafts.len()
            - drafts
                .iter()
                .filter(|d| !known.contains_key(&d.issue.title))
                .count(),
        source_dir.display(),
        written,
        target.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Source titles of the entries already in `source_dir`, read from their headers so that an
/// import works even while other files of the folder are being fixed.
fn existing_ids_by_title(source_dir: &Path) -> Result<HashMap<String, String>, Error> {
    let mut known = HashMap::new();
    let read = fs::read_dir(source_dir).map_err(|e| failed(source_dir, e))?;
    for path in read.filter_map(|e| e.ok().map(|e| e.path())) {
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        if let Ok(parsed) = shirube_kb::parse::parse_file(&path.display().to_string(), &text)
            && let Some(title) = parsed.header.source.and_then(|s| s.title)
        {
            known.insert(title, parsed.header.entry.id);
        }
    }
    Ok(known)
}

fn toml_file<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, Error> {
    let text = fs::read_to_string(path).map_err(|e| failed(path, e))?;
    toml::from_str(&text).map_err(|e| failed(path, e.message()))
}

fn build(dirs: &[PathBuf]) -> Result<ExitCode, Error> {
    // clap takes one or two: the last is where to build, a first one the folder to read.
    let Some((out_dir, before)) = dirs.split_last() else {
        return Err(Error::new("build needs an output directory"));
    };
    let kb_dir = before
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("kb"));
    let out_dir = out_dir.clone();
    let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/ipadic");
    // Built aside and renamed into place: a reader of OUT_DIR sees the old build or the
    // new one, never half of each, and keeps the files it has open.
    let staging = shirube_kb::atomic::staging_dir(&out_dir);
    let built = shirube_index_build::build_all(&kb_dir, &assets, &staging).and_then(|kb| {
        shirube_kb::atomic::replace_dir(&staging, &out_dir)
            .map_err(|e| Error::writing(&out_dir.display().to_string(), &e).into())
            .map(|()| kb)
    });
    if built.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    match built {
        Ok(kb) => {
            println!(
                "built {} entries into {}",
                kb.entries.len(),
                out_dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(shirube_index_build::BuildError::Invalid(problems)) => {
            for p in &problems {
                println!("{p}");
            }
            Ok(ExitCode::from(1))
        }
        Err(shirube_index_build::BuildError::Failed(error)) => Err(error),
    }
}

fn keygen(out: &Path) -> Result<ExitCode, Error> {
    let (id, secret, public) = shirube_index_build::pack::keygen(out)?;
    println!("key {id}");
    println!(
        "secret key: {} (sign with it; keep it private)",
        secret.display()
    );
    println!("public key: {} (sites trust packs by it)", public.display());
    Ok(ExitCode::SUCCESS)
}

fn pack(kb: &Path, key: &Path, out: &Path, title: Option<&str>) -> Result<ExitCode, Error> {
    match shirube_index_build::pack::pack(kb, key, out, title) {
        Ok(packed) => {
            let manifest = &packed.manifest;
            println!(
                "packed {} entries as {} ({} bytes), signed by key {}",
                manifest.entries,
                packed.pack.display(),
                packed.bytes,
                packed.key_id
            );
            println!("signature: {}", packed.signature.display());
            Ok(ExitCode::SUCCESS)
        }
        Err(shirube_index_build::BuildError::Invalid(problems)) => {
            for p in &problems {
                println!("{p}");
            }
            eprintln!("{} problem(s)", problems.len());
            Ok(ExitCode::from(1))
        }
        Err(shirube_index_build::BuildError::Failed(error)) => Err(error),
    }
}
