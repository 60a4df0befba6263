//! `--json`: a report as it serialises, pretty-printed, one document and a newline.

use serde::Serialize;
use shirube_kb::Error;
use std::io::{self, Write};

pub fn write(out: &mut impl Write, report: &impl Serialize) -> Result<(), Error> {
    serde_json::to_writer_pretty(&mut *out, report).map_err(|e| match e.io_error_kind() {
        Some(kind) => Error::from(io::Error::from(kind)),
        None => Error::new(format!("cannot write JSON: {e}")),
    })?;
    writeln!(out)?;
    Ok(())
}
