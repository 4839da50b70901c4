//! zsh: the same output as bash. zsh's single quotes are POSIX single quotes unless
//! `RC_QUOTES` is set, and even then `'\''` (close, escaped quote, reopen) means `'`, so the
//! bash quoting is right for zsh with any options.

pub(super) fn quote(s: &str) -> String {
    super::bash::quote(s)
}

pub(super) fn set(name: &str, value: &str) -> String {
    super::bash::set(name, value)
}

pub(super) fn unset(name: &str) -> String {
    super::bash::unset(name)
}

/// The hook script `ssoenv init` prints.
pub(super) const HOOK: &str = include_str!("../../shell/ssoenv.zsh");
/// Completion additions put into clap's script (see `Shell::completion_additions`).
pub(super) const COMPLETION_ADDITIONS: &str = include_str!("../../shell/complete.zsh");
