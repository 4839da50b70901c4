//! Outside text made safe for a terminal. Profile names, server messages,
//! user codes and URLs may carry ESC/BEL sequences that retitle or clear the
//! terminal, or Unicode bidi and invisible format characters that make text
//! read differently from what it is (after U+202E the rest of a line reads
//! right to left); everything shown to a person goes through `printable`,
//! which writes C0 controls, DEL, C1 controls and those format characters as
//! visible escapes. Shell code that `use` prints is not shown to a person and
//! keeps values byte for byte.

use std::borrow::Cow;

/// Whether `c` is a C0 control, DEL or a C1 control (U+0080–U+009F).
pub fn is_control(c: char) -> bool {
    matches!(c, '\0'..='\x1f' | '\x7f'..='\u{9f}')
}

/// Whether `c` is an invisible format character (Unicode general category
/// Cf, as of Unicode 15.1) or a line/paragraph separator: the bidi embeddings,
/// overrides, isolates and marks (U+061C, U+200E/F, U+202A–202E,
/// U+2066–2069), zero-width space and word joiners (U+200B, U+2060–2064),
/// the byte-order mark U+FEFF, the soft hyphen, interlinear annotation and
/// tag characters, and U+2028/U+2029. They either reorder what follows or
/// show nothing, so two different names could look the same, or one could
/// look like another.
///
/// Left out: U+200C and U+200D (zero-width non-joiner and joiner). They are
/// part of correct spelling in Persian, Hindi, Malayalam and other scripts,
/// and of emoji sequences (👩‍💻); they reorder nothing, and escaping them
/// would garble legitimate account and role names.
pub(crate) fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{600}'..='\u{605}'
            | '\u{61c}'
            | '\u{6dd}'
            | '\u{70f}'
            | '\u{890}'..='\u{891}'
            | '\u{8e2}'
            | '\u{180e}'
            | '\u{200b}'
            | '\u{200e}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{110bd}'
            | '\u{110cd}'
            | '\u{13430}'..='\u{1343f}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0001}'
            | '\u{e0020}'..='\u{e007f}'
    )
}

/// Whether `printable` writes `c` as an escape: a control character or an
/// invisible format character.
pub(crate) fn needs_escape(c: char) -> bool {
    is_control(c) || is_invisible_format(c)
}

/// `s` with every control and invisible format character written as an
/// escape (`\n`, `\t`, `\r`, `\e`, else `\xNN` or `\u{NNNN}`), so that it
/// shows as text and cannot act. Borrowed when there is nothing to replace
/// (the common case).
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
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
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Serialized JSON as it goes to a terminal: every character `printable`
/// would escape (but C0, which serde_json already escapes) is written as a JSON `\uXXXX` escape instead (a surrogate
/// pair above U+FFFF). serde_json escapes only U+0000–U+001F and leaves DEL,
/// C1 controls (U+009B starts a terminal sequence) and bidi characters raw.
/// Outside strings JSON has none of these characters, so the value is the
/// same document for any parser.
pub(crate) fn json_for_terminal(json: String) -> String {
    // C0 controls are JSON's whitespace outside strings, escaped inside.
    let escape = |c: char| c >= '\x7f' && needs_escape(c);
    if !json.chars().any(escape) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if escape(c) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Lower-case hex SHA-1 of a string: every cache key (docs/caches.md#cache-keys)
/// and every file name made from text.
pub fn sha1_hex(s: &str) -> String {
    let digest = <sha1::Sha1 as sha1::Digest>::digest(s.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
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
    fn bidi_and_invisible_format_characters_become_visible_text() {
        assert_eq!(printable("dev\u{202e}nimda"), "dev\\u{202e}nimda");
        for c in [
            '\u{61c}',
            '\u{200e}',
            '\u{200f}',
            '\u{202a}',
            '\u{202b}',
            '\u{202c}',
            '\u{202d}',
            '\u{202e}',
            '\u{2066}',
            '\u{2067}',
            '\u{2068}',
            '\u{2069}',
            '\u{200b}',
            '\u{2060}',
            '\u{2064}',
            '\u{feff}',
            '\u{ad}',
            '\u{2028}',
            '\u{2029}',
            '\u{e0041}',
        ] {
            let shown = printable(&format!("a{c}b")).into_owned();
            assert_eq!(shown, format!("a\\u{{{:x}}}b", c as u32));
            assert!(!shown.chars().any(needs_escape), "{shown}");
        }
    }

    #[test]
    fn joiners_and_the_rest_of_unicode_are_kept() {
        // ZWNJ in Persian, ZWJ in an emoji sequence, right-to-left letters,
        // combining marks: legitimate names, shown as they are.
        for s in [
            "\u{645}\u{6cc}\u{200c}\u{62e}\u{648}\u{627}\u{647}\u{645}",
            "\u{1f469}\u{200d}\u{1f4bb} team",
            "\u{5e9}\u{5dc}\u{5d5}\u{5dd}",
            "Cafe\u{301} prod",
            "日本-本番",
        ] {
            assert!(matches!(printable(s), Cow::Borrowed(_)), "{s}");
        }
    }

    #[test]
    fn json_for_a_terminal_escapes_bidi_and_c1_but_stays_the_same_value() {
        let v = serde_json::json!({"name": "dev\u{202e}x\u{9b}31m\u{7f}\u{e0041}\u{200d}é"});
        let pretty = serde_json::to_string_pretty(&v).unwrap();
        assert!(json_for_terminal(pretty.clone()).starts_with("{\n  \"name\": \"dev\\u202e"));
        let raw = serde_json::to_string(&v).unwrap();
        assert!(
            raw.contains('\u{202e}') && raw.contains('\u{9b}'),
            "serde leaves them raw"
        );
        let shown = json_for_terminal(raw);
        assert_eq!(
            shown,
            "{\"name\":\"dev\\u202ex\\u009b31m\\u007f\\udb40\\udc41\u{200d}é\"}"
        );
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&shown).unwrap(),
            v
        );
    }
}
