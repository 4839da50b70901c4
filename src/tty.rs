//! Questions asked on the terminal: a type-to-filter list and one-line
//! answers. Everything is drawn on stderr and keys are read from the
//! terminal (console opens /dev/tty when stdin is not one), never stdout,
//! which `eval "$(ssoenv use)"` captures.

use crate::error::{Error, Result};
use dialoguer::console::Term;
use std::io::IsTerminal;

/// Exit status of a question cancelled with Esc (as a shell reports Ctrl-C).
pub(crate) const CANCELLED: i32 = 130;

/// Whether a person can be asked: stdin and stderr are both terminals.
pub(crate) fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// The width tables are fitted to: `COLUMNS` when it is a number, else the
/// width of the terminal stdout is, else none (a pipe, a file: no limit).
pub(crate) fn columns(env: &crate::env::Env) -> Option<usize> {
    if let Some(n) = env
        .non_empty(crate::env::COLUMNS)
        .and_then(|c| c.parse::<usize>().ok())
        .filter(|n| *n > 0)
    {
        return Some(n);
    }
    Term::stdout()
        .size_checked()
        .map(|(_, cols)| usize::from(cols))
}

/// Asking without a terminal would read nothing: a clear error instead.
fn need_terminal(prompt: &str) -> Result<()> {
    if interactive() {
        return Ok(());
    }
    Err(Error::config(format!(
        "cannot ask for \"{prompt}\": not a terminal"
    )))
}

fn failed(e: dialoguer::Error) -> Error {
    Error::runtime("could not ask on the terminal").cause(e)
}

/// A type-to-filter list on stderr. `Ok(None)` when cancelled (Esc, Ctrl-C).
/// Items are shown escaped (they come from the config or the portal).
pub(crate) fn pick(prompt: &str, items: &[String]) -> Result<Option<usize>> {
    let rows: Vec<Vec<String>> = items.iter().map(|i| vec![i.clone()]).collect();
    pick_rows(prompt, &rows)
}

/// [`pick`] of rows whose first cell is the name: the cells are shown in
/// aligned columns, as many rows as the terminal has room for (with a line
/// saying how many more there are), and a filter matches the names first,
/// then the rest of the rows. Esc and Ctrl-C clear the list and cancel.
pub(crate) fn pick_rows(prompt: &str, rows: &[Vec<String>]) -> Result<Option<usize>> {
    need_terminal(prompt)?;
    let table = crate::output::table(rows);
    let lines: Vec<&str> = table.lines().collect();
    let lower = |s: &str| s.to_lowercase();
    let names: Vec<String> = rows
        .iter()
        .map(|r| lower(r.first().map(String::as_str).unwrap_or("")))
        .collect();
    let rests: Vec<String> = rows
        .iter()
        .map(|r| lower(&r.iter().skip(1).cloned().collect::<Vec<_>>().join(" ")))
        .collect();
    let term = Term::stderr();
    // A Ctrl-C that arrives while the list is drawn (not read as a key) still
    // shows the cursor again.
    let _restore = CursorOnInterrupt::install();
    let _ = term.hide_cursor();
    let picked = picker(&term, prompt, &lines, &names, &rests);
    let _ = term.show_cursor();
    picked.map_err(|e| Error::runtime("could not ask on the terminal").cause(e))
}

/// The rows matching `filter` (case-insensitive), best first: the name
/// containing it (earlier is better), the name holding its letters in order,
/// the rest of the row containing it, then holding its letters in order;
/// ties keep the list's order.
fn matching(filter: &str, names: &[String], rests: &[String]) -> Vec<usize> {
    let f = filter.to_lowercase();
    let in_order = |s: &str| {
        let mut chars = s.chars();
        f.chars().all(|c| chars.any(|x| x == c))
    };
    let mut scored: Vec<((u8, usize), usize)> = names
        .iter()
        .zip(rests)
        .enumerate()
        .filter_map(|(i, (name, rest))| {
            let rank = if let Some(at) = name.find(&f) {
                (0, at)
            } else if in_order(name) {
                (1, 0)
            } else if let Some(at) = rest.find(&f) {
                (2, at)
            } else if in_order(&format!("{name} {rest}")) {
                (3, 0)
            } else {
                return None;
            };
            Some((rank, i))
        })
        .collect();
    scored.sort();
    scored.into_iter().map(|(_, i)| i).collect()
}

fn picker(
    term: &Term,
    prompt: &str,
    lines: &[&str],
    names: &[String],
    rests: &[String],
) -> std::io::Result<Option<usize>> {
    use dialoguer::console::Key;
    let mut filter = String::new();
    let (mut sel, mut top, mut drawn) = (0usize, 0usize, 0usize);
    loop {
        let found = matching(&filter, names, rests);
        let (height, width) = term.size();
        // The prompt, the rows, the "more" line, and the line the cursor rests on.
        let room = usize::from(height).saturating_sub(3).max(3);
        let width = usize::from(width).max(10) - 1;
        sel = sel.min(found.len().saturating_sub(1));
        if sel < top {
            top = sel;
        } else if sel >= top + room {
            top = sel + 1 - room;
        }
        let mut out = vec![format!("{prompt}: {filter}")];
        for (k, i) in found.iter().enumerate().skip(top).take(room) {
            out.push(format!(
                "{} {}",
                if k == sel { '>' } else { ' ' },
                lines[*i]
            ));
        }
        let (above, below) = (top, found.len().saturating_sub(top + room));
        if found.is_empty() {
            out.push("  (nothing matches; Backspace to change the filter)".to_owned());
        } else if above + below > 0 {
            out.push(format!(
                "  … {} more ({above} above, {below} below; ↑↓ to scroll, type to filter)",
                above + below
            ));
        }
        let out: Vec<String> = out
            .into_iter()
            .map(|l| {
                if l.chars().count() > width {
                    let kept: String = l.chars().take(width - 1).collect();
                    format!("{kept}…")
                } else {
                    l
                }
            })
            .collect();
        term.clear_last_lines(drawn)?;
        term.write_str(&format!("{}\n", out.join("\n")))?;
        term.flush()?;
        drawn = out.len();
        match term.read_key_raw()? {
            Key::Escape | Key::CtrlC => {
                term.clear_last_lines(drawn)?;
                return Ok(None);
            }
            Key::Enter => {
                if let Some(i) = found.get(sel) {
                    term.clear_last_lines(drawn)?;
                    return Ok(Some(*i));
                }
            }
            Key::ArrowUp | Key::BackTab => {
                sel = if sel == 0 {
                    found.len().saturating_sub(1)
                } else {
                    sel - 1
                };
            }
            Key::ArrowDown | Key::Tab => {
                sel = if sel + 1 >= found.len() { 0 } else { sel + 1 };
            }
            Key::PageUp => sel = sel.saturating_sub(room),
            Key::PageDown => sel = (sel + room).min(found.len().saturating_sub(1)),
            Key::Backspace => {
                filter.pop();
                (sel, top) = (0, 0);
            }
            Key::Char(c) if !c.is_control() => {
                filter.push(c);
                (sel, top) = (0, 0);
            }
            _ => {}
        }
    }
}

/// One line typed on the terminal, checked by `check` (asked again until it
/// passes). `default` is shown in brackets and taken for an empty answer;
/// with `allow_empty` and no default an empty answer is `""`.
pub(crate) fn ask(
    prompt: &str,
    default: Option<&str>,
    allow_empty: bool,
    check: impl Fn(&str) -> std::result::Result<(), String>,
) -> Result<String> {
    need_terminal(prompt)?;
    // Empty input reaches the check (dialoguer would ask again without a
    // word), so an empty required answer is told so; with a default, Enter
    // takes the default.
    let mut input = dialoguer::Input::<String>::new()
        .with_prompt(prompt)
        .allow_empty(true)
        .validate_with(move |s: &String| -> std::result::Result<(), String> {
            match s.trim() {
                "" if allow_empty => Ok(()),
                "" => Err("an answer is required (Ctrl-C to stop)".to_owned()),
                s => check(s),
            }
        });
    if let Some(d) = default {
        input = input.default(d.to_owned());
    }
    // Ctrl-C ends the line first, so the shell's prompt starts on a clean one.
    let _interrupt = CursorOnInterrupt::install();
    let answer = input.interact_text_on(&Term::stderr()).map_err(failed)?;
    Ok(answer.trim().to_owned())
}

/// A one-line answer that is not echoed (an MFA code, as the AWS CLI reads it
/// with `getpass`), asked on the terminal through stderr and checked by
/// `check` until it passes.
pub(crate) fn ask_hidden(
    prompt: &str,
    check: impl Fn(&str) -> std::result::Result<(), String> + 'static,
) -> Result<String> {
    need_terminal(prompt)?;
    let _interrupt = CursorOnInterrupt::install();
    let answer = dialoguer::Password::new()
        .with_prompt(prompt)
        .validate_with(move |s: &String| -> std::result::Result<(), String> { check(s.trim()) })
        .interact_on(&Term::stderr())
        .map_err(failed)?;
    Ok(answer.trim().to_owned())
}

/// The list hides the cursor, and Ctrl-C (SIGINT, raised by console while it
/// reads keys) would end the process with the cursor still hidden: while the
/// list is up, SIGINT shows the cursor again and then ends the process as
/// SIGINT does (the shell sees 130).
struct CursorOnInterrupt {
    #[cfg(unix)]
    previous: libc::sighandler_t,
}

#[cfg(unix)]
extern "C" fn show_cursor_and_die(sig: libc::c_int) {
    const SHOW: &[u8] = b"\x1b[?25h\r\n";
    // SAFETY: write, signal and raise are async-signal-safe.
    unsafe {
        libc::write(2, SHOW.as_ptr().cast(), SHOW.len());
        libc::signal(sig, libc::SIG_DFL);
        libc::raise(sig);
    }
}

impl CursorOnInterrupt {
    fn install() -> CursorOnInterrupt {
        #[cfg(unix)]
        {
            let handler = show_cursor_and_die as extern "C" fn(libc::c_int);
            // SAFETY: installing a handler that only calls async-signal-safe functions.
            let previous = unsafe { libc::signal(libc::SIGINT, handler as libc::sighandler_t) };
            CursorOnInterrupt { previous }
        }
        #[cfg(not(unix))]
        CursorOnInterrupt {}
    }
}

impl Drop for CursorOnInterrupt {
    fn drop(&mut self) {
        #[cfg(unix)]
        // SAFETY: puts back the handler that was there before.
        unsafe {
            libc::signal(libc::SIGINT, self.previous);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_matches_names_before_the_rest_of_the_row() {
        let names: Vec<String> = ["prod", "research-and-dev", "dev", "readers"]
            .map(String::from)
            .to_vec();
        let rests: Vec<String> = [
            "333 readonly corp",
            "444 admin corp",
            "111 admin corp",
            "5 x corp",
        ]
        .map(String::from)
        .to_vec();
        // Name containing it, name with its letters in order, then the rest of the row.
        assert_eq!(matching("read", &names, &rests), [3, 1, 0]);
        assert_eq!(matching("READ", &names, &rests), [3, 1, 0]);
        assert_eq!(matching("", &names, &rests), [0, 1, 2, 3]);
        assert_eq!(matching("dev", &names, &rests), [2, 1]);
        assert!(matching("zzz", &names, &rests).is_empty());
    }
}
