//! The terminal styles, as data: a printer asks for a role, never for a colour. Whether
//! colour is shown at all is the writer's business (`termcolor` drops it when colour is
//! off), so no printer tests for it.

use std::io;
use termcolor::{Color, ColorSpec, WriteColor};

/// What a piece of output is, which decides how it looks.
#[derive(Clone, Copy, Debug)]
pub enum Role {
    /// An entry's id (`ABM-0008`).
    Id,
    /// An entry's title.
    Title,
    /// The title of a weak candidate.
    Weak,
    /// Component and versions.
    Meta,
    /// What matched: query words in a snippet, a log line.
    Highlight,
    /// `workaround:`, field names, closing lines.
    Label,
    /// Code in an entry's body, and errors quoted from public reports.
    Code,
    /// Headings: of an entry's body and sections, and of the groups of a list (a component,
    /// a group of `check --config`, a host's facts).
    Heading,
}

/// The style of each role.
fn style(role: Role) -> ColorSpec {
    let mut spec = ColorSpec::new();
    match role {
        Role::Id => spec.set_fg(Some(Color::Magenta)).set_bold(true),
        Role::Title => spec.set_bold(true),
        Role::Weak => spec.set_dimmed(true),
        Role::Meta => spec.set_fg(Some(Color::Cyan)),
        Role::Highlight => spec.set_fg(Some(Color::Red)).set_bold(true),
        Role::Label => spec.set_fg(Some(Color::Green)).set_bold(true),
        Role::Code => spec.set_fg(Some(Color::Yellow)),
        Role::Heading => spec.set_fg(Some(Color::Blue)).set_bold(true),
    };
    spec
}

/// Writes `text` in the style of `role`.
pub fn styled(out: &mut dyn WriteColor, role: Role, text: &str) -> io::Result<()> {
    out.set_color(&style(role))?;
    out.write_all(text.as_bytes())?;
    out.reset()
}

/// Starts writing in the style of `role`, for text written piece by piece; `out.reset()`
/// ends it.
pub fn start(out: &mut dyn WriteColor, role: Role) -> io::Result<()> {
    out.set_color(&style(role))
}
