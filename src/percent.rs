//! The one percent codec (RFC 3986 §2.1), on the `percent-encoding` crate: every
//! flavour the protocols ask for, each an [`AsciiSet`] of what is escaped.
//!
//! All of them keep the unreserved characters `A-Za-z0-9-_.~` and escape every
//! other byte (UTF-8 bytes included) as `%XX` with upper-case hex, as botocore
//! and the SigV4 rules do (docs/sts-sigv4.md).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// Everything but RFC 3986's unreserved characters `A-Za-z0-9-_.~`.
const RESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// As [`RESERVED`], with `/` kept: a URL path.
const PATH: &AsciiSet = &RESERVED.remove(b'/');

/// One query or form component, a space as `%20`: SigV4's canonical query
/// string, botocore's `percent_encode` (the PKCE authorize URL).
pub(crate) fn component(s: &str) -> String {
    utf8_percent_encode(s, RESERVED).to_string()
}

/// A URL path, `/` kept: SigV4's canonical URI (`quote(path, safe='/~')`).
pub(crate) fn path(s: &str) -> String {
    utf8_percent_encode(s, PATH).to_string()
}

/// `application/x-www-form-urlencoded` (Python's `urlencode`, `quote_plus`): as
/// [`component`], a space as `+`. Request bodies, the sign-in login URL.
pub(crate) fn form(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, part) in s.split(' ').enumerate() {
        if i > 0 {
            out.push('+');
        }
        out.extend(utf8_percent_encode(part, RESERVED));
    }
    out
}

/// A form-encoded component decoded: `+` is a space, `%XX` a byte; a `%` not
/// followed by two hex digits stays as it is; invalid UTF-8 becomes U+FFFD.
pub(crate) fn decode_form(s: &str) -> String {
    let spaced = s.replace('+', " ");
    percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
}

/// `%2F` → `%2f`: the other spelling of the same escapes (RFC 3986 §2.1), for
/// finding a secret that a server echoed back in lower-case hex.
pub(crate) fn lower_case_escapes(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut hex_left = 0;
    for c in encoded.chars() {
        if hex_left > 0 {
            out.push(c.to_ascii_lowercase());
            hex_left -= 1;
        } else {
            if c == '%' {
                hex_left = 2;
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the hand-written encoders this module replaced produced: kept
    /// bytes as themselves, every other byte `%XX` upper-case.
    fn reference(s: &str, keep: &[u8], space: &str) -> String {
        let mut out = String::new();
        for b in s.bytes() {
            if b.is_ascii_alphanumeric() || keep.contains(&b) {
                out.push(b as char);
            } else if b == b' ' {
                out.push_str(space);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out
    }

    #[test]
    fn every_byte_encodes_as_the_reference_rules_say() {
        let all: String = (0u8..0x80).map(char::from).collect::<String>() + "é😀\u{7f}";
        for s in [all.as_str(), "", "a b+c%20/d", "arn:aws:iam::1:role/x y"] {
            assert_eq!(component(s), reference(s, b"-_.~", "%20"), "{s:?}");
            assert_eq!(form(s), reference(s, b"-_.~", "+"), "{s:?}");
            assert_eq!(path(s), reference(s, b"-_.~/", "%20"), "{s:?}");
        }
    }

    #[test]
    fn form_decoding_reverses_form_encoding_and_keeps_broken_escapes() {
        let all: String = (1u8..0x80).map(char::from).collect::<String>() + " é😀";
        assert_eq!(decode_form(&form(&all)), all);
        assert_eq!(decode_form(&component(&all)), all);
        assert_eq!(decode_form("a+b%2Bc"), "a b+c");
        assert_eq!(decode_form("%zz%4"), "%zz%4");
        assert_eq!(decode_form("%4a%4A"), "JJ");
        assert_eq!(decode_form("%ff"), "\u{fffd}");
    }

    #[test]
    fn escapes_are_lower_cased_and_nothing_else() {
        assert_eq!(lower_case_escapes("AB%2FCD%3a"), "AB%2fCD%3a");
    }
}
