//! fish: `set -gx NAME 'value';`. Inside fish single quotes exactly two escapes exist, `\\`
//! and `\'`; every other character, newline and a lone backslash included, stands for itself
//! (fish-doc "Quotes"). Escaping every `\` keeps a value ending in `\` from eating the quote.

/// fish single-quoting: `a\'b` → `'a\\\'b'`.
pub(super) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\\' || c == '\'' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

pub(super) fn set(name: &str, value: &str) -> String {
    format!("set -gx {name} {};\n", quote(value))
}

/// `set -e` of a variable that does not exist is silent, with status 4, and fish's `set`
/// passes the previous status on: without `or true`, `ssoenv use prod | source; and aws …`
/// would stop at `and` whenever a variable being erased was not set.
pub(super) fn unset(name: &str) -> String {
    format!("set -e {name}; or true;\n")
}

/// The completion additions appended to clap's script (see `Shell::completion_additions`).
pub(super) const COMPLETION_ADDITIONS: &str = include_str!("../../shell/complete.fish");

/// The hook script `ssoenv init` prints.
pub(super) const HOOK: &str = include_str!("../../shell/ssoenv.fish");
