//! Outside text made safe for a terminal. Profile names, server messages,
//! user codes and URLs may carry ESC/BEL sequences that retitle or clear the
//! terminal; everything shown to a person goes through `printable`, which
//! writes C0 controls, DEL and C1 controls as visible escapes. Shell code that
//! `use` prints is not shown to a person and keeps values byte for byte.

use std::borrow::Cow;

/// Whether `c` is a C0 control, DEL or a C1 control (U+0080–U+009F).
pub fn is_control(c: char) -> bool {
    matches!(c, '\0'..='\x1f' | '\x7f'..='\u{9f}')
}

/// `s` with every control character written as an escape (`\n`, `\t`, `\r`,
/// `\e`, else `\xNN` or `\u{NN}`), so that it shows as text and cannot act.
/// Borrowed when there is nothing to replace (the common case).
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\x1b' => out.push_str("\\e"),
            c if c <= '\x7f' && is_control(c) => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if is_control(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Like `printable`, but keeps line breaks (for multi-line messages whose
/// structure is ours; each line's content is still escaped).
pub fn printable_lines(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c != '\n' && is_control(c)) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.split('\n')
            .map(|l| printable(l).into_owned())
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(
            printable("prod 42m ☁"),
            Cow::Borrowed("prod 42m ☁")
        ));
    }

    #[test]
    fn escape_sequences_become_visible_text() {
        assert_eq!(printable("a\x1b]0;pwned\x07b"), "a\\e]0;pwned\\x07b");
        assert_eq!(printable("x\x1b[2Jy"), "x\\e[2Jy");
        assert_eq!(printable("del\x7f c1\u{9b}31m"), "del\\x7f c1\\u{9b}31m");
        assert_eq!(
            printable("nul\0 cr\r lf\n tab\t"),
            "nul\\x00 cr\\r lf\\n tab\\t"
        );
        assert!(!printable("\u{85}\u{80}\u{9f}").chars().any(is_control));
    }

    #[test]
    fn printable_lines_keeps_newlines_but_escapes_the_rest() {
        assert_eq!(printable_lines("a\nb\x1b[1m"), "a\nb\\e[1m");
        assert_eq!(printable_lines("a\nb"), "a\nb");
    }
}
