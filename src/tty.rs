//! Questions asked on the terminal: a type-to-filter list and one-line
//! answers. Everything is drawn on stderr and keys are read from the
//! terminal (console opens /dev/tty when stdin is not one), never stdout,
//! which `eval "$(ssoenv use)"` captures.

use crate::error::{Error, Result};
use dialoguer::console::Term;
use std::io::IsTerminal;

/// Exit status of a question cancelled with Esc (as a shell reports Ctrl-C).
pub const CANCELLED: i32 = 130;

/// Whether a person can be asked: stdin and stderr are both terminals.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// The width tables are fitted to: `COLUMNS` when it is a number, else the
/// width of the terminal stdout is, else none (a pipe, a file: no limit).
pub fn columns(env: &crate::env::Env) -> Option<usize> {
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

/// A fuzzy, type-to-filter list on stderr. `Ok(None)` when cancelled (Esc).
/// Items are shown escaped (they come from the config or the portal).
pub fn pick(prompt: &str, items: &[String]) -> Result<Option<usize>> {
    need_terminal(prompt)?;
    let shown: Vec<String> = items
        .iter()
        .map(|i| crate::text::printable(i).into_owned())
        .collect();
    let _restore = CursorOnInterrupt::install();
    let chosen = dialoguer::FuzzySelect::new()
        .with_prompt(prompt)
        .items(&shown)
        .default(0)
        .max_length(15)
        .report(false)
        .interact_on_opt(&Term::stderr())
        .map_err(failed)?;
    Ok(chosen)
}

/// One line typed on the terminal, checked by `check` (asked again until it
/// passes). `default` is shown in brackets and taken for an empty answer;
/// with `allow_empty` and no default an empty answer is `""`.
pub fn ask(
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
pub fn ask_hidden(
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
