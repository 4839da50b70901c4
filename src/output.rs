//! The one stdout writer: what the shell evaluates (or a table, or JSON) is
//! rendered into one `String` and written once, so a shell never evaluates
//! half a script.

use crate::error::{Error, Result};
use crate::text::printable;
use std::io::Write;

/// Write what the shell will evaluate, in one write. A closed pipe (the
/// reader went away) is not an error worth a message.
pub fn emit(script: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(script.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::runtime("could not write to standard output").cause(e)),
    }
}

/// Left-aligned columns separated by two spaces. Cells come from the config
/// and the caches: control characters are shown escaped (`\e`, `\x07`).
pub fn table(rows: &[Vec<String>]) -> String {
    let rows: Vec<Vec<std::borrow::Cow<'_, str>>> = rows
        .iter()
        .map(|r| r.iter().map(|c| printable(c)).collect())
        .collect();
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in &rows {
        let mut line = String::new();
        for (i, cell) in r.iter().enumerate() {
            if i + 1 == r.len() {
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&" ".repeat(widths[i] - cell.chars().count() + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
