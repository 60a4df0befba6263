//! A problem found in a knowledge-base file, printed the way compilers and linters do.

use std::fmt;

/// One problem at one place: `file:line: message`.
///
/// The lint collects all of them instead of stopping at the first, so an author fixes a file
/// in one pass.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file, as the message names it (`kb/anthos-bm/ABM-0007.ja.md`).
    pub file: String,
    /// 1-based line number; 0 when the problem is the whole file (it cannot be read).
    pub line: usize,
    /// What is wrong, printed after `file:line: `.
    pub message: String,
}

impl Diagnostic {
    /// A problem in `file` at `line` (1-based; 0 for the whole file).
    pub fn new(file: impl Into<String>, line: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        }
    }
}
