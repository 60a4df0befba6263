//! `--json`: a report as it serialises, pretty-printed, one document and a newline.
//!
//! serde_json escapes the C0 controls only; DEL and the C1 controls (U+0080–U+009F, which
//! terminals read as escape sequences: U+009B is a CSI) would reach a terminal that shows
//! the JSON raw. They are escaped too (`\u007f`, `\u009b`), so no control character of any
//! input leaves shirube unescaped, whatever prints it.

use serde::Serialize;
use shirube_kb::Error;
use std::io::Write;

/// Writes `report` to `out` as pretty-printed JSON and a newline, DEL and the C1 controls
/// escaped.
pub fn write(out: &mut impl Write, report: &impl Serialize) -> Result<(), Error> {
    let mut json = Vec::new();
    serde_json::to_writer_pretty(&mut json, report)
        .map_err(|e| Error::new(format!("cannot write JSON: {e}")))?;
    out.write_all(&escape_controls(json))?;
    writeln!(out)?;
    Ok(())
}

/// `json` with DEL and the C1 controls written as `\u` escapes. They can only be inside
/// strings (every byte of JSON outside one is printable ASCII), where the escape means the
/// same character.
fn escape_controls(json: Vec<u8>) -> Vec<u8> {
    let needs = |w: &[u8]| w[0] == 0xc2 && (0x80..=0x9f).contains(&w[1]);
    if !json.contains(&0x7f) && !json.windows(2).any(needs) {
        return json;
    }
    let mut escaped = Vec::with_capacity(json.len() + 16);
    let mut bytes = json.iter().copied().peekable();
    while let Some(byte) = bytes.next() {
        match (byte, bytes.peek()) {
            (0x7f, _) => escaped.extend_from_slice(b"\\u007f"),
            (0xc2, Some(&next)) if (0x80..=0x9f).contains(&next) => {
                bytes.next();
                escaped.extend_from_slice(format!("\\u{:04x}", next).as_bytes());
            }
            _ => escaped.push(byte),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn del_and_c1_controls_are_escaped_and_mean_the_same() {
        let text = "a\u{7f}b\u{9b}2J\u{85}é\u{a0}\u{1b}";
        let mut out = Vec::new();
        write(&mut out, &serde_json::json!({ "line": text })).unwrap();
        let printed = String::from_utf8(out.clone()).unwrap();
        assert!(
            !printed
                .chars()
                .any(|c| c == '\u{7f}' || ('\u{80}'..='\u{9f}').contains(&c)),
            "{printed:?}"
        );
        assert!(
            printed.contains("a\\u007fb\\u009b2J\\u0085é\u{a0}\\u001b"),
            "{printed:?}"
        );
        let read: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(read["line"], text);
    }
}
