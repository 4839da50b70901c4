//! bash: `export NAME='value';` with POSIX single quotes. Inside single quotes nothing is
//! special (POSIX.1-2017 XCU 2.2.2), so a `'` is written by closing the quote, adding an
//! escaped quote and reopening: `'\''`. zsh shares these rules (see `zsh.rs`).

/// POSIX single-quoting: `it's` → `'it'\''s'`.
pub(super) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

pub(super) fn set(name: &str, value: &str) -> String {
    format!("export {name}={};\n", quote(value))
}

pub(super) fn unset(name: &str) -> String {
    format!("unset {name};\n")
}

/// The completion additions appended to clap's script (see `Shell::completion_additions`).
pub(super) const COMPLETION_ADDITIONS: &str = include_str!("../../shell/complete.bash");

/// The hook script `ssoenv init` prints.
pub(super) const HOOK: &str = include_str!("../../shell/ssoenv.bash");
