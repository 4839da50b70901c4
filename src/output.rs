//! The one writer of both standard streams. stdout: what the shell
//! evaluates (or a table, or JSON) is rendered into one `String` and written
//! once, so a shell never evaluates half a script. stderr: notes and
//! warnings get the `ssoenv:` prefix here and show outside text escaped;
//! text worded by others (the AWS CLI's login instructions) or drawn for a
//! person (progress lines) goes through [`stderr_text`] as it is.
//!
//! Each message, all its lines, reaches stderr in one `write(2)` ([`write_stderr`]):
//! `eprintln!` writes every formatted piece on its own, so the lines of two ssoenv runs
//! sharing a pipe (parallel jobs, `2>&1 | head`) could interleave mid-line. A pipe takes
//! a write of up to PIPE_BUF (4096) bytes whole.
//!
//! The crate denies `clippy::print_stdout` and `clippy::print_stderr`
//! everywhere but here.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use crate::error::{Error, Result};
use crate::text::printable;
use std::cell::RefCell;
use std::io::Write;

thread_local! {
    /// Set by [`captured`]: this thread's notes and warnings go here
    /// instead of to stderr.
    static CAPTURE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// One line (or block) for stderr: to the capture of this thread when
/// [`captured`] is running, else written.
fn say(text: &str) {
    let kept = CAPTURE.with(|c| match c.borrow_mut().as_mut() {
        Some(buf) => {
            buf.push_str(text);
            buf.push('\n');
            true
        }
        None => false,
    });
    if !kept {
        write_stderr(&format!("{text}\n"));
    }
}

/// `text` on stderr in one write (a message, never half of one). Errors are ignored:
/// there is nowhere left to report them.
fn write_stderr(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Runs `f` with the notes, warnings and reported errors it writes on this
/// thread kept instead of written, and returns them with its result: the
/// credential server decides whether the user has heard them already.
pub(crate) fn captured<T>(f: impl FnOnce() -> T) -> (T, String) {
    let before = CAPTURE.with(|c| c.borrow_mut().replace(String::new()));
    let out = f();
    let text = CAPTURE.with(|c| std::mem::replace(&mut *c.borrow_mut(), before));
    (out, text.unwrap_or_default())
}

/// Write what the shell will evaluate, in one write. A closed pipe (the
/// reader went away) is not an error worth a message.
pub(crate) fn emit(script: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(script.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::runtime("could not write to standard output").cause(e)),
    }
}

/// A note for the person running ssoenv: `ssoenv: MSG` on stderr. Control
/// characters in `msg` are shown escaped (already escaped text is left as
/// it is).
pub(crate) fn note(msg: &str) {
    say(&format!("ssoenv: {}", printable(msg)));
}

/// `ssoenv: warning: MSG` on stderr, escaped as [`note`] is.
pub(crate) fn warn(msg: &str) {
    say(&format!("ssoenv: warning: {}", printable(msg)));
}

/// An error that does not stop the command, as a warning with its causes
/// and hint: `ssoenv: warning: …`, `  caused by: …`, `hint: …`.
pub(crate) fn warn_error(e: &Error) {
    let text = e.to_string();
    let text = text.strip_prefix("ssoenv: ").unwrap_or(&text);
    say(&format!("ssoenv: warning: {text}"));
}

/// An error that does not stop the command, reported as it is: `ssoenv: …`
/// with its causes and hint.
pub(crate) fn note_error(e: &Error) {
    say(&e.to_string());
}

/// The error that ends the command (`main` only).
pub fn error(e: &Error) {
    write_stderr(&format!("{e}\n"));
}

/// clap's usage error (`main` only), in one write as [`error`] is: coloured as clap
/// colours it when stderr is a terminal and `NO_COLOR` is unset.
pub fn usage_error(e: &clap::Error) {
    use std::io::IsTerminal;
    let styled = e.render();
    let colour = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    write_stderr(&if colour {
        styled.ansi().to_string()
    } else {
        styled.to_string()
    });
}

/// Text for stderr exactly as given, without the `ssoenv:` prefix and
/// without a line break added: the AWS CLI–worded login instructions, a
/// redrawn progress line, the picker's and the demo's narration. The
/// caller escapes outside text in it.
pub(crate) fn stderr_text(text: &str) {
    write_stderr(text);
}

/// Left-aligned columns separated by two spaces. Cells come from the config
/// and the caches: control characters are shown escaped (`\e`, `\x07`).
pub(crate) fn table(rows: &[Vec<String>]) -> String {
    fitted_table(rows, None, &[])
}

/// The width [`fitted_table`] would draw `rows` in, with nothing cut.
pub(crate) fn table_width(rows: &[Vec<String>]) -> usize {
    let widths = column_widths(&printable_rows(rows));
    widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1)
}

/// [`table`] in at most `max` columns when it can be: the columns that
/// `shrink` gives a floor for (index → fewest characters kept) are narrowed,
/// widest first, one tier after the other (a later tier only once the ones
/// before are at their floors), and their longer cells end in `…`. Columns
/// without a floor keep their width, so a table may still exceed `max`.
pub(crate) fn fitted_table(
    rows: &[Vec<String>],
    max: Option<usize>,
    shrink: &[&[(usize, usize)]],
) -> String {
    let rows = printable_rows(rows);
    let mut widths = column_widths(&rows);
    if let Some(max) = max {
        let total = |w: &[usize]| w.iter().sum::<usize>() + 2 * w.len().saturating_sub(1);
        for tier in shrink {
            while total(&widths) > max {
                let widest = tier
                    .iter()
                    .filter(|(c, floor)| widths.get(*c).is_some_and(|w| w > floor))
                    .max_by_key(|(c, _)| widths[*c]);
                let Some(&(c, _)) = widest else { break };
                widths[c] -= 1;
            }
        }
    }
    let mut out = String::new();
    for r in &rows {
        let mut line = String::new();
        for (i, cell) in r.iter().enumerate() {
            let shown = cut(cell, widths[i]);
            line.push_str(&shown);
            if i + 1 < r.len() {
                line.push_str(&" ".repeat(widths[i] - shown.chars().count() + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn printable_rows(rows: &[Vec<String>]) -> Vec<Vec<std::borrow::Cow<'_, str>>> {
    rows.iter()
        .map(|r| r.iter().map(|c| printable(c)).collect())
        .collect()
}

fn column_widths(rows: &[Vec<std::borrow::Cow<'_, str>>]) -> Vec<usize> {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect()
}

/// `cell` in at most `width` characters: cut, ending in `…`.
fn cut(cell: &str, width: usize) -> std::borrow::Cow<'_, str> {
    if cell.chars().count() <= width {
        return cell.into();
    }
    let kept: String = cell.chars().take(width.saturating_sub(1)).collect();
    format!("{kept}…").into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fitted_table_narrows_the_widest_column_of_a_tier_first_and_marks_the_cut() {
        let rows: Vec<Vec<String>> = [
            ["NAME", "ROLE", "NOTE"],
            ["a-long-name", "AdministratorAccess", "x"],
        ]
        .iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
        assert_eq!(table_width(&rows), 11 + 2 + 19 + 2 + 4);
        let t = fitted_table(&rows, Some(30), &[&[(1, 8)], &[(0, 6)]]);
        assert_eq!(
            t,
            "NAME         ROLE         NOTE\na-long-name  Administra…  x\n"
        );
        let t = fitted_table(&rows, Some(24), &[&[(1, 8)], &[(0, 6)]]);
        assert_eq!(t, "NAME      ROLE      NOTE\na-long-…  Adminis…  x\n");
        assert_eq!(fitted_table(&rows, None, &[&[(1, 8)]]), table(&rows));
    }

    #[test]
    fn notes_and_warnings_are_kept_while_captured_and_nesting_restores_the_outer_capture() {
        let ((n, inner), outer) = captured(|| {
            note("outer \x1b");
            let r = captured(|| {
                warn("inner");
                note_error(&Error::runtime("failed").hint("do this"));
                7
            });
            warn_error(&Error::runtime("kept"));
            r
        });
        assert_eq!(n, 7);
        assert_eq!(
            inner,
            "ssoenv: warning: inner\nssoenv: failed\nhint: do this\n"
        );
        assert_eq!(outer, "ssoenv: outer \\e\nssoenv: warning: kept\n");
    }
}
