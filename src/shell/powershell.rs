//! PowerShell: `$Env:NAME = 'value'`, written in printable ASCII only.
//!
//! PowerShell reads a native command's output through the console code page (1252, 1251 …),
//! not as UTF-8, so a UTF-8 byte sequence can decode to anything, including U+201A, which
//! PowerShell's tokenizer takes as a single quote (about_Quoting_Rules; `IsSingleQuote`:
//! U+0027, U+2018, U+2019, U+201A, U+201B) and which would end the string early. It also
//! splits that output into lines at CR and LF and joins them again with its own line ending.
//! So a value is a concatenation of verbatim strings holding printable ASCII (`'` doubled,
//! the only escape in a verbatim string) and `[char]0xNNNN` for every other character; one
//! outside the BMP is `[char]::ConvertFromUtf32(0xNNNNN)`. The expression starts with a
//! string, so each `+` concatenates (a `[char]` on the left would add numerically).
//! `Env:NAME` needs no escaping because names are validated to `[A-Za-z_][A-Za-z0-9_]*`.

use std::fmt::Write;

/// The PowerShell expression for `s`, in printable ASCII: `it's` → `'it''s'`,
/// `café` → `'caf' + [char]0x00E9`, `` → `''`.
pub(super) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    let mut in_string = false;
    for c in s.chars() {
        if matches!(c, ' '..='~') {
            if !in_string {
                if !out.is_empty() {
                    out.push_str(" + ");
                }
                out.push('\'');
                in_string = true;
            }
            if c == '\'' {
                out.push('\'');
            }
            out.push(c);
        } else {
            if in_string {
                out.push('\'');
                in_string = false;
            }
            out.push_str(if out.is_empty() { "'' + " } else { " + " });
            if (c as u32) < 0x1_0000 {
                let _ = write!(out, "[char]0x{:04X}", c as u32);
            } else {
                let _ = write!(out, "[char]::ConvertFromUtf32(0x{:X})", c as u32);
            }
        }
    }
    if in_string {
        out.push('\'');
    } else if out.is_empty() {
        out.push_str("''");
    }
    out
}

pub(super) fn set(name: &str, value: &str) -> String {
    format!("$Env:{name} = {};\n", quote(value))
}

/// Silent when the variable does not exist, like `unset` in the POSIX shells.
pub(super) fn unset(name: &str) -> String {
    format!("Remove-Item -LiteralPath Env:{name} -ErrorAction SilentlyContinue;\n")
}

/// The hook script `ssoenv init` prints.
pub(super) const HOOK: &str = include_str!("../../shell/ssoenv.ps1");
/// Completion additions put into clap's script (see `Shell::completion_additions`).
pub(super) const COMPLETION_ADDITIONS: &str = include_str!("../../shell/complete.ps1");
