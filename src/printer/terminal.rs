//! What reaches a terminal. Text built from input — a pasted line, a log's example line, a
//! file name, a value from a config file — may carry control characters: an OSC 52 sequence
//! that writes the clipboard, a title change, a carriage return that overwrites the line
//! with "all clear". Every byte of text output and of stderr goes through [`escape`], which
//! shows C0 (but tab and newline), DEL and C1 characters as visible escapes (`\x1b`,
//! `\u{9b}`). Colours are set through the terminal's own channel, never through the text.
//! JSON is printed exact, and its own escaping covers it.
//!
//! Writing stderr never fails a command or panics: a warning that cannot be written is lost.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};
use termcolor::{ColorSpec, WriteColor};

/// Whether `c` must not reach a terminal as it is.
/// A character that would act on a terminal (or mean nothing in a page) rather than show.
pub fn is_control(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n') || ('\u{80}'..='\u{9f}').contains(&c)
}

/// `text` with every control character but tab and newline made visible.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\r' => out.push_str("\\r"),
            c if is_control(c) && (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if is_control(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A writer that escapes control characters in everything written to it, and passes
/// colours to the writer below.
pub struct Escaping<W>(pub W);

impl<W: Write> Write for Escaping<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // The printers write whole strings, so a buffer never ends inside a character.
        let text = String::from_utf8_lossy(buf);
        self.0.write_all(escape(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl<W: WriteColor> WriteColor for Escaping<W> {
    fn supports_color(&self) -> bool {
        self.0.supports_color()
    }

    fn set_color(&mut self, spec: &ColorSpec) -> io::Result<()> {
        self.0.set_color(spec)
    }

    fn reset(&mut self) -> io::Result<()> {
        self.0.reset()
    }
}

/// Writes one line to stderr, escaped; a stderr that cannot be written is ignored.
pub fn warn(line: &str) {
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "{}", escape(line));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_visible_and_text_stays() {
        assert_eq!(escape("plain\ttext\n日本語"), "plain\ttext\n日本語");
        assert_eq!(
            escape("\x1b]52;c;ZXZpbA==\x07ok\rFAKE\x08\x7f"),
            "\\x1b]52;c;ZXZpbA==\\x07ok\\rFAKE\\x08\\x7f"
        );
        assert_eq!(escape("\u{9b}31m"), "\\u{9b}31m");
    }

    #[test]
    fn the_escaping_writer_escapes_text_but_not_colours() {
        let mut out = Escaping(termcolor::Ansi::new(Vec::new()));
        out.set_color(ColorSpec::new().set_bold(true)).unwrap();
        out.write_all(b"a\x1b[2Jb").unwrap();
        out.reset().unwrap();
        assert_eq!(out.0.into_inner(), b"\x1b[0m\x1b[1ma\\x1b[2Jb\x1b[0m");
    }
}
