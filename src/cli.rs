//! The command line: what a user can type, with help that teaches by example. Parsing does
//! no I/O; `commands` resolves what needs the knowledge base (component names, the terminal).

use clap::{Args, Parser, Subcommand, ValueEnum};
use shirube_kb::{Lang, VersionQuery};
use std::ffi::OsString;
use std::path::PathBuf;

const ABOUT: &str = "Offline search over product known issues: paste an error line or describe a symptom, \
in Japanese or English, and get the matching known issue with its versions and workaround.";

const EXAMPLES: &str = "\
Examples:
  shirube search \"Docker service is not active\"
  shirube search 'F0624 19:05:08.009646 1 server.go:495] open /proc/sys/net/netfilter/nf_conntrack_max: permission denied'
  shirube search アップグレード中に証明書の更新が失敗する --version 1.8.1
  kubectl logs mypod 2>&1 | tail -n 20 | shirube search -
  shirube show ABM-0007
  shirube list --component networking --version 1.8
  shirube check --version 1.8.1 --upgrade-to 1.8.2
  shirube triage bmctl-workspace/mycluster/log/
  shirube export --format md --lang en -o known-issues.md
  shirube kb add site.kbpack --trust shirube-kb.pub     # a signed knowledge pack

Exit status: 0 something found, 1 nothing found, 2 error.";

/// `--version`: the program and the knowledge base it carries.
const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "\nknowledge base: ",
    env!("SHIRUBE_KB_ENTRIES"),
    " entries from ",
    env!("SHIRUBE_KB_SOURCES"),
    "\nbuilt: ",
    env!("SHIRUBE_KB_BUILT")
);

#[derive(Debug, Parser)]
#[command(name = "shirube", version, long_version = LONG_VERSION, about = ABOUT, after_help = EXAMPLES)]
pub struct Cli {
    /// When to colour the output: auto colours a terminal unless NO_COLOR is set
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true, value_name = "WHEN")]
    pub color: ColorWhen,

    /// Answer from the knowledge base that `index-build build KB_DIR DIR` wrote to DIR,
    /// instead of the one built into this binary and the installed packs (`shirube kb`);
    /// or, given a pack FILE.kbpack, from those and that pack, without installing it (its
    /// signature must check with a key `kb add` remembered)
    #[arg(long, global = true, value_name = "DIR|FILE")]
    pub kb: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// A language to show entries in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    Ja,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Ja => Lang::Ja,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Find the known issues that match a symptom or a pasted error
    #[command(after_help = "\
Examples:
  shirube search \"Docker service is not active\"
  shirube search kube-proxy が CrashLoopBackOff になる
  shirube search --version 1.8.1 --component upgrade upgrade hangs
  journalctl -u kubelet | tail -n 50 | shirube search -
  shirube search --host-facts node1.json 'BPF NodePort services needs kernel 4.17.0 or newer'
  shirube search --here yum install fails with Failed to download metadata for repo

The query is plain text: quotes, colons, brackets and words like AND have no special meaning.
When no known issue matches confidently, the 3 closest candidates are shown marked \"weak
match\" and the exit status is 1. With --version, an entry that matches but does not affect
that version is named, with the version that fixed it, and what is left is weak.
With --host-facts, --config or --here (or facts the question states: \"on Ubuntu 22.04\",
\"kernel 5.15\", \"on EKS\"), each result whose conditions the facts decide says \"applies here\" or
\"does not apply here\" and why; one that does not apply is never the answer.
Exit status: 0 a confident match was found, 1 no known issue matches, 2 error.")]
    Search(SearchArgs),
    /// Show one entry in full: symptoms, versions, cause and workaround
    #[command(
        after_help = "Examples:\n  shirube show ABM-0007\n  shirube show abm-7 --lang en --format md\n  shirube show ABM-0007 --json | jq .errors"
    )]
    Show(ShowArgs),
    /// List entries: id, component, affected versions, title
    #[command(
        after_help = "Examples:\n  shirube list\n  shirube list --version 1.8.1 --component networking --json"
    )]
    List(ListArgs),
    /// List the known issues that affect a cluster: by version, or by its configuration
    /// file and its nodes' facts
    #[command(after_help = "\
Examples:
  shirube check --version 1.8.1
  shirube check --version 1.7.3 --upgrade-to 1.8.1
  shirube check --config bmctl-workspace/mycluster/mycluster.yaml
  shirube check --config mycluster.yaml --from 1.7.2          # upgrading 1.7.2 to the file's version
  shirube check --config mycluster.yaml --host-facts node1.json node2.json
  shirube check --version 1.8 --json

With --version only, the issues whose source states versions are listed; the summary counts
the others. With --config (and --host-facts, what `shirube doctor --facts` prints on each
node) each issue's stated conditions are checked too: it applies, would hit an upgrade, needs
facts (which, and how to get them), or does not apply.
Exit status: 0 nothing applies, 1 something applies (like cargo-audit), 2 error.")]
    Check(CheckArgs),
    /// Probe this host (read-only) for the facts the known issues' conditions use, and list
    /// the issues that apply to it
    #[command(after_help = "\
Examples:
  shirube doctor
  shirube doctor --version 1.8.1
  shirube doctor --facts > $(hostname).json     # on each node; then, on the jump host:
  shirube check --config mycluster.yaml --host-facts node1.json node2.json
  shirube doctor --root /mnt/node1-root         # a copied root filesystem

Reads /etc/os-release, /proc, /sys, sudoers and the pid files and cgroups of services; runs
no program, opens no socket, writes nothing. A probe that cannot tell (permission, timeout)
leaves its fact unknown. Exit status: 0 nothing applies, 1 something applies, 2 error.")]
    Doctor(DoctorArgs),
    /// Find the known issues a whole log shows: files, directories, .gz, or - for stdin
    #[command(after_help = "\
Examples:
  shirube triage bmctl-workspace/mycluster/log/create-cluster-20240302-101112.log
  journalctl -u kubelet --since today | shirube triage -
  shirube triage --version 1.8.1 --min-count 3 bmctl-workspace/ snapshot/*.gz
  shirube triage --json /var/log/containers | jq '.findings[] | select(.weak | not) | .id'

Each line is matched against the known errors of every entry with its variable parts
(timestamps, addresses, ids, counts) masked. Lines that show too little of a known error (a
cut part, or only a message every log prints, such as \"no route to host\") give a weak
match, listed last and not counted. Exit status: 0 known issues found, 1 none, 2 error.")]
    Triage(TriageArgs),
    /// Print a shell completion script: shirube completions bash > /etc/bash_completion.d/shirube
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): shirube man > shirube.1 && man ./shirube.1
    Man,
    /// Export entries as Markdown (grouped by component) or JSON
    #[command(
        after_help = "Examples:\n  shirube export --format md --lang en -o known-issues.md\n  shirube export --format json --version 1.8 | jq '.entries[].id'"
    )]
    Export(ExportArgs),
    /// Serve the knowledge base to browsers: search, entries, check and triage pages, and a
    /// JSON API with the same answers as the command line
    #[command(after_help = "\
Examples:
  shirube serve                          # http://127.0.0.1:7878/
  shirube serve --addr 0.0.0.0:8080      # reachable from other hosts: mind who can reach it
  shirube --kb my-kb.built/ serve

Pages: / (search), /entries/ABM-0007, /list, /check, /triage.
API (the JSON the command line prints): /api/search?q=...&version=&component=&lang=&all=,
/api/entries/ABM-0007?lang=, /api/list, /api/check?version=&upgrade_to=, POST /api/triage.
Ctrl-C (or SIGTERM) stops it after the requests in flight are answered.")]
    Serve(ServeArgs),
    /// Verify, install, list and remove knowledge packs: signed files of entries that reach
    /// this host without a new binary (`index-build pack` writes them)
    #[command(subcommand)]
    Kb(KbCommand),
}

/// `shirube kb ...`: the knowledge packs of this host, in $SHIRUBE_DATA_DIR (else
/// $XDG_DATA_HOME/shirube, else ~/.local/share/shirube).
#[derive(Debug, Subcommand)]
pub enum KbCommand {
    /// Check a pack's signature, format and digest, and print its manifest; installs nothing
    #[command(after_help = "\
Examples:
  shirube kb verify acme-site.kbpack --trust shirube-kb.pub
  shirube kb verify acme-site.kbpack --json | jq .manifest.entries

The signature is NAME.kbpack.minisig beside the pack. Exit status: 0 the pack is genuine,
2 it is refused (one line says why) or cannot be read.")]
    Verify(PackArgs),
    /// Verify a pack, then install it: every command answers from the built-in knowledge
    /// base and the installed packs; a pack of the same name is replaced
    #[command(after_help = "\
Examples:
  shirube kb add acme-site.kbpack --trust shirube-kb.pub   # the first time: trust its key
  shirube kb add acme-site.kbpack                          # later packs by the same key

A key given with --trust is remembered once a pack it signed is installed. A pack that fails
verification is refused with exit status 2, and nothing is installed.")]
    Add(PackArgs),
    /// List the built-in knowledge base and every installed pack
    #[command(
        after_help = "Examples:\n  shirube kb list\n  shirube kb list --json | jq '.knowledge_bases[].name'"
    )]
    List {
        /// Print {"data_dir", "knowledge_bases": [...]} as JSON
        #[arg(long)]
        json: bool,
    },
    /// Remove an installed pack by name
    #[command(after_help = "Example:\n  shirube kb remove acme-site")]
    Remove {
        /// The pack's name, as `shirube kb list` shows it
        #[arg(value_name = "NAME")]
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct PackArgs {
    /// The pack, NAME.kbpack; its signature NAME.kbpack.minisig is read beside it
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Trust the minisign public key in PUB (what `index-build keygen` wrote as
    /// shirube-kb.pub); may be repeated. Keys remembered by earlier adds are trusted too
    #[arg(long, value_name = "PUB")]
    pub trust: Vec<PathBuf>,

    /// Take a pack without a signature file, checked by its digest alone: only for a pack
    /// built on this host, since nothing then proves who built it
    #[arg(long)]
    pub allow_unsigned: bool,

    /// Print the result as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on; the default answers this host only
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:7878", value_parser = parse_addr)]
    pub addr: std::net::SocketAddr,

    /// A host name browsers may reach the server by, besides its addresses, `localhost` and
    /// this machine's name (repeatable); requests naming any other host are refused, so a
    /// web page cannot rebind its own name to this server
    #[arg(long = "allow-host", value_name = "NAME")]
    pub allow_hosts: Vec<String>,

    /// Requests answered at once; more are refused with 503 until one finishes
    #[arg(long, value_name = "N", default_value = "64", value_parser = clap::value_parser!(u16).range(1..))]
    pub max_concurrent: u16,

    /// Seconds a request may take, body included, before it is answered with 503; a
    /// request's head that takes longer to arrive closes its connection
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = clap::value_parser!(u16).range(1..))]
    pub timeout: u16,

    /// Connections open at once (idle ones included); more are answered 503 and closed
    #[arg(long, value_name = "N", default_value = "256", value_parser = clap::value_parser!(u16).range(1..))]
    pub max_connections: u16,

    #[command(flatten)]
    pub context: ContextArgs,
}

use shirube::parse_version;

/// An address to listen on: `IP:PORT`, or `localhost:PORT` for 127.0.0.1 (no name is looked
/// up: the static binary resolves nothing).
fn parse_addr(text: &str) -> Result<std::net::SocketAddr, String> {
    if let Ok(address) = text.parse() {
        return Ok(address);
    }
    if let Some(port) = text.strip_prefix("localhost:")
        && let Ok(port) = port.parse::<u16>()
    {
        return Ok(std::net::SocketAddr::from(([127, 0, 0, 1], port)));
    }
    Err(format!(
        "`{text}` is not an address and port: use an IP address, e.g. 127.0.0.1:8080 (or localhost:8080), 0.0.0.0:8080 for every interface, [::1]:8080"
    ))
}

fn parse_limit(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if (1..=1000).contains(&n) => Ok(n),
        _ => Err(format!("`{text}` is not a number from 1 to 1000")),
    }
}

/// Narrowing shared by `search`, `list` and `export`.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Only issues that may affect this product version: 1.8.1, v1.8.1, or 1.8 for the whole
    /// 1.8.x line. Issues that name no version are kept and marked as such
    #[arg(long = "version", value_name = "V", value_parser = parse_version)]
    pub version: Option<VersionQuery>,

    /// Only issues of this component (`shirube list` shows each entry's component)
    #[arg(long, value_name = "C")]
    pub component: Option<String>,
}

/// What is known about the cluster a question comes from. Results whose conditions these
/// facts contradict are listed last and never given as the answer; facts the question
/// states ("on Ubuntu 22.04", "kernel 5.15") count too, after these.
#[derive(Debug, Args)]
pub struct ContextArgs {
    /// A facts file of one of the cluster's nodes, as `shirube doctor --facts` writes it;
    /// repeat the flag for each node. One file per flag, so that the question or log after
    /// it is never read as another file
    #[arg(long, value_name = "FILE")]
    pub host_facts: Vec<PathBuf>,

    /// The cluster configuration file bmctl reads (its runtime, type, load balancer...)
    #[arg(long = "config", value_name = "FILE")]
    pub cluster_config: Option<PathBuf>,

    /// Probe this host read-only, as `shirube doctor` does, and use its facts
    #[arg(long)]
    pub here: bool,

    /// With --here: probe the copied root filesystem DIR instead of this host's /
    #[arg(long, value_name = "DIR", requires = "here")]
    pub root: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The symptom or error text; several words are joined. `-` reads the query from stdin
    #[arg(value_name = "QUERY", required = true, value_parser = clap::value_parser!(OsString))]
    pub query: Vec<OsString>,

    #[command(flatten)]
    pub filters: FilterArgs,

    #[command(flatten)]
    pub context: ContextArgs,

    /// Language to show results in [default: the query's language]
    #[arg(long, value_enum, value_name = "LANG")]
    pub lang: Option<LangArg>,

    /// Show at most N results
    #[arg(long, value_name = "N", default_value = "5", value_parser = parse_limit)]
    pub limit: usize,

    /// When no known issue matches confidently, show up to --limit weak candidates instead of 3
    #[arg(long)]
    pub all: bool,

    /// Print {"query", "confident", "results": [...], "excluded": [...]} as JSON (see the
    /// README for the fields)
    #[arg(long)]
    pub json: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    Text,
    Md,
    Json,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The entry id, e.g. ABM-0007 (case and leading zeros are optional: abm-7)
    #[arg(value_name = "ID")]
    pub id: String,

    /// Output format
    #[arg(long, value_enum, default_value_t = ShowFormat::Text, value_name = "FORMAT")]
    pub format: ShowFormat,

    /// Print the entry as JSON, like the other commands' --json (same as --format json)
    #[arg(long, conflicts_with = "format")]
    pub json: bool,

    /// Language to show the entry in [default: from LANG, else English]
    #[arg(long, value_enum, value_name = "LANG")]
    pub lang: Option<LangArg>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub filters: FilterArgs,

    /// Language of the titles [default: from LANG, else English]
    #[arg(long, value_enum, value_name = "LANG")]
    pub lang: Option<LangArg>,

    /// Print {"query": null, "results": [...]} as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TriageArgs {
    /// Log files, directories (read recursively) or `-` for stdin; gzip is read through and
    /// tar archives member by member, whatever their names
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,

    /// Follow symbolic links inside directories (links named as PATH are always followed)
    #[arg(short = 'L', long)]
    pub follow: bool,

    /// Only issues that may affect this product version (1.8.1, v1.8.1, or 1.8)
    #[arg(long = "version", value_name = "V", value_parser = parse_version)]
    pub version: Option<VersionQuery>,

    /// Only issues seen on at least N lines
    #[arg(long, value_name = "N", default_value = "1", value_parser = clap::value_parser!(u64).range(1..))]
    pub min_count: u64,

    #[command(flatten)]
    pub context: ContextArgs,

    /// Language of the titles [default: from LANG, else English]
    #[arg(long, value_enum, value_name = "LANG")]
    pub lang: Option<LangArg>,

    /// Print {"findings": [...], "lines": N, "bytes": N} as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The version the cluster runs: 1.8.1, v1.8.1, or 1.8 for the whole 1.8.x line. With
    /// --config, the file's anthosBareMetalVersion is then the version it upgrades to
    #[arg(
        long = "version",
        visible_alias = "from",
        value_name = "V",
        value_parser = parse_version,
        required_unless_present_any = ["config", "host_facts"]
    )]
    pub version: Option<VersionQuery>,

    /// Also check the upgrade from V to this version, and what it fixes
    #[arg(long, value_name = "W", value_parser = parse_version)]
    pub upgrade_to: Option<VersionQuery>,

    /// The cluster configuration file bmctl reads (its version, type, runtime, load
    /// balancer, login user, …); placeholders such as ${VAR} leave their facts unknown
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Facts files of the nodes, as `shirube doctor --facts` prints them (one per node)
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub host_facts: Vec<PathBuf>,

    /// Language of the titles [default: from LANG, else English]
    #[arg(long, value_enum, value_name = "LANG")]
    pub lang: Option<LangArg>,

    /// List every issue whose sources do not say whether V has it (they name only later
    /// releases); without it, the first 10 and a count
    #[arg(long)]
    pub all: bool,

    /// Print the report as JSON: {"version", "upgrade_to", "findings", "not_stated",
    /// "unspecified", "summary"}, or with --config/--host-facts {"version", "applies",
    /// "on_upgrade", "unknown", "not_applicable", "unstated", "not_stated", "facts", "nodes"}
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Print this host's facts as JSON, for `shirube check --host-facts` on another host
    #[arg(long, conflicts_with = "json")]
    pub facts: bool,

    /// Probe the copied or fake root filesystem DIR instead of this host's /
    #[arg(long, value_name = "DIR", default_value = "/")]
    pub root: PathBuf,

    /// The version the cluster runs, to check the issues that name versions too
    #[arg(long = "version", value_name = "V", value_parser = parse_version)]
    pub version: Option<VersionQuery>,

    /// Language of the titles [default: from LANG, else English]
    #[arg(long, value_enum, value_name = "LANG")]
    pub lang: Option<LangArg>,

    /// Print the facts and the issues that apply as JSON (the shape of `check --config --json`)
    #[arg(long)]
    pub json: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Md,
    Json,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Markdown (renders on GitHub, grouped by component) or JSON
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: ExportFormat,

    #[command(flatten)]
    pub filters: FilterArgs,

    /// Language to export [default: from LANG, else English]
    #[arg(long, value_enum, value_name = "LANG")]
    pub lang: Option<LangArg>,

    /// Write to FILE instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}
