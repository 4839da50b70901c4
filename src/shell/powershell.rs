//! PowerShell: `$Env:NAME = 'value'`. In a verbatim (single-quoted) string the only escape is
//! a doubled quote, and PowerShell counts four Unicode look-alikes as single quotes too
//! (about_Quoting_Rules; the tokenizer's `IsSingleQuote`: U+0027, U+2018, U+2019, U+201A,
//! U+201B). Any one of them ends the string unless doubled, so each is doubled.
//! `Env:NAME` needs no escaping because names are validated to `[A-Za-z_][A-Za-z0-9_]*`.

/// The characters PowerShell's tokenizer treats as a single quote.
pub(super) const SINGLE_QUOTES: [char; 5] = ['\'', '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}'];

/// PowerShell verbatim quoting: `it's` → `'it''s'`, `‘x’` → `'‘‘x’’'`.
pub(super) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if SINGLE_QUOTES.contains(&c) {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

pub(super) fn set(name: &str, value: &str) -> String {
    format!("$Env:{name} = {};\n", quote(value))
}

/// Silent when the variable does not exist, like `unset` in the POSIX shells.
pub(super) fn unset(name: &str) -> String {
    format!("Remove-Item -LiteralPath Env:{name} -ErrorAction SilentlyContinue;\n")
}
