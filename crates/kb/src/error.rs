//! The one error type of shirube's crates: a message that says what went wrong, and a hint
//! that says what to do about it, printed the way cargo and tealdeer print theirs:
//!
//! ```text
//! shirube: unknown component `kernel`
//! hint: use one of: bmctl, preflight, …
//! ```
//!
//! It lives in this crate because every other crate of the workspace depends on it. Problems
//! in knowledge-base files are not errors of this kind but [`crate::Diagnostic`]s, all of
//! which the lint collects before it stops.

use std::fmt;
use std::io;

/// Something that stopped a command, with what to do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    hint: Option<String>,
    /// The reader of the output went away (`shirube list | head`): not a failure to report.
    broken_pipe: bool,
}

/// What kind of failure an [`Error`] is. On the command line every error exits 2; the
/// HTTP server answers each kind with its own status (`serve::routes::status`), in one place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// What the user gave (an argument, a parameter, an uploaded log) cannot be taken.
    InvalidInput,
    /// What was asked for (an entry id) is not there.
    NotFound,
    /// What the user gave is larger than what is read.
    LimitExceeded,
    /// The knowledge base or its index is damaged, or of another build.
    CorruptKnowledgeBase,
    /// A knowledge pack is not provably the one its author built: its signature, its
    /// digest or its format does not check.
    VerificationFailed,
    /// Anything else: a file that cannot be read or written, the output gone.
    Failed,
}

/// A result whose error is an [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error of kind [`ErrorKind::Failed`]; [`Error::with_kind`] says another.
    pub fn new(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Failed,
            message: message.into(),
            hint: None,
            broken_pipe: false,
        }
    }

    /// Input the user gave that cannot be taken ([`ErrorKind::InvalidInput`]).
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::new(message).with_kind(ErrorKind::InvalidInput)
    }

    /// The same error, of `kind`.
    #[must_use]
    pub fn with_kind(mut self, kind: ErrorKind) -> Self {
        self.kind = kind;
        self
    }

    /// What kind of failure it is, which decides the HTTP status the server answers with.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The same error with `hint`, replacing any hint it had.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The same error with `context` before its message (`--kb: ` + what failed), and the
    /// hint `hint` unless it has one already.
    #[must_use]
    pub fn in_context(mut self, context: &str, hint: &str) -> Self {
        self.message = format!("{context}{}", self.message);
        self.hint.get_or_insert_with(|| hint.to_string());
        self
    }

    /// A failure to write `what` (a file, the output).
    pub fn writing(what: &str, error: &io::Error) -> Self {
        Error {
            broken_pipe: error.kind() == io::ErrorKind::BrokenPipe,
            ..Error::new(format!("cannot write {what}: {error}"))
        }
    }

    /// The error of a command line the parser refused, from the parser's own rendering
    /// of it (clap's): its first line as the message, its tip or usage line as the hint.
    /// Both binaries say a usage error this way: one line and a hint, like any other.
    pub fn refused_arguments(rendered: &str) -> Self {
        let lines: Vec<&str> = rendered
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let mut first = lines
            .first()
            .map_or("invalid arguments", |l| {
                l.strip_prefix("error: ").unwrap_or(l)
            })
            .to_string();
        // "the following required arguments were not provided:" names them on the next line.
        if first.ends_with(':')
            && let Some(next) = lines.get(1)
        {
            first = format!("{first} {next}");
        }
        let find = |prefix: &str| lines.iter().find_map(|l| l.strip_prefix(prefix));
        let hint = match (find("tip: "), find("Usage: ")) {
            (Some(tip), _) => tip.to_string(),
            (None, Some(usage)) => format!("usage: {usage} (more with --help)"),
            (None, None) => "more with --help".to_string(),
        };
        Error::invalid(first).with_hint(hint)
    }

    /// What to do about it, printed on a `hint:` line after the message; `None` when there is
    /// no hint.
    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }

    /// Whether the output's reader went away, which ends a program quietly.
    pub fn is_broken_pipe(&self) -> bool {
        self.broken_pipe
    }
}

/// Writing the output failed: a closed pipe is no failure, anything else is one line.
impl From<io::Error> for Error {
    fn from(error: io::Error) -> Self {
        Error::writing("the output", &error)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// What an io error says, without the `(os error 2)` a user has no use for:
/// `No such file or directory`.
pub fn io_reason(error: &io::Error) -> String {
    let text = error.to_string();
    let reason = match text.find(" (os error ") {
        Some(at) => &text[..at],
        None => &text,
    };
    one_line(reason)
}

/// `text` on one line: a line break is written `\n` (and `\r`). Messages of other crates
/// may quote what they read — a tar header's name, a JSON key — line breaks and all, and
/// an error is one line.
pub fn one_line(text: &str) -> String {
    text.replace('\r', "\\r").replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_command_line_is_invalid_input_with_its_usage_as_hint() {
        let rendered = "error: the following required arguments were not provided:\n  <DIR>...\n\nUsage: index-build build <DIR>...\n\nFor more information, try '--help'.\n";
        let error = Error::refused_arguments(rendered);
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
        assert_eq!(
            error.to_string(),
            "the following required arguments were not provided: <DIR>..."
        );
        assert_eq!(
            error.hint(),
            Some("usage: index-build build <DIR>... (more with --help)")
        );
    }

    #[test]
    fn a_damaged_entries_file_is_a_corrupt_knowledge_base() {
        let error = crate::built::decode(b"{no header", "kb.json".to_string()).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::CorruptKnowledgeBase);
        assert_eq!(error.to_string(), "it has no header line");
        assert_eq!(Error::new("x").kind(), ErrorKind::Failed);
    }

    #[test]
    fn a_reason_quoting_what_it_read_stays_on_one_line() {
        let error = io::Error::other("numeric field was not a number: when getting cksum for a\nb");
        assert_eq!(
            io_reason(&error),
            "numeric field was not a number: when getting cksum for a\\nb"
        );
    }

    #[test]
    fn context_goes_before_the_message_and_a_hint_is_kept() {
        let error = Error::new("kb.json does not exist").in_context("--kb: ", "build it again");
        assert_eq!(error.to_string(), "--kb: kb.json does not exist");
        assert_eq!(error.hint(), Some("build it again"));
        let hinted = Error::new("x")
            .with_hint("first")
            .in_context("c: ", "second");
        assert_eq!(hinted.hint(), Some("first"));
    }

    #[test]
    fn a_closed_pipe_is_told_apart_from_other_write_errors() {
        let pipe = Error::from(io::Error::from(io::ErrorKind::BrokenPipe));
        assert!(pipe.is_broken_pipe());
        let full = Error::writing("x.md", &io::Error::other("no space left on device"));
        assert!(!full.is_broken_pipe());
        assert_eq!(
            full.to_string(),
            "cannot write x.md: no space left on device"
        );
    }
}
