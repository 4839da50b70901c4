//! One type for every secret ssoenv holds (role credentials' secret key and
//! session token, SSO access and refresh tokens, client secrets, the
//! credential server's bearer token, the PKCE verifier and authorization code,
//! the console sign-in token): its `Debug` and `Display` print a fixed marker,
//! so no log line, error or panic message can carry one. The few places that
//! must use the value (cache files, shell output, request bodies) ask for it
//! by name with [`Secret::expose`]. Serialized transparently, as a string, so
//! the cache files are byte for byte what they were.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What `Debug` and `Display` print instead of a secret.
pub(crate) const REDACTED: &str = "[redacted]";

/// A secret string; see the module documentation.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value itself, for the places that must send, store or print it.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// The value itself, owned.
    #[cfg(test)]
    pub(crate) fn into_exposed(self) -> String {
        self.0
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `other` is this secret, compared in constant time (for a
    /// value a stranger sends, as the credential server's bearer token).
    pub(crate) fn matches(&self, other: &[u8]) -> bool {
        constant_time_eq(self.0.as_bytes(), other)
    }
}

/// Equal bytes, in time that depends only on the lengths.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Secret {
        Secret(value.to_owned())
    }
}

/// Comparing with plain text needs no exposure (the result is a bool).
impl PartialEq<str> for Secret {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Secret {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_print_the_value() {
        let s = Secret::new("wJalrXUtnFEMI/K7MDENG");
        for shown in [
            format!("{s:?}"),
            format!("{s:#?}"),
            format!("{s}"),
            format!("{:?}", Some(&s)),
        ] {
            assert!(!shown.contains("wJalr"), "{shown}");
            assert!(shown.contains(REDACTED), "{shown}");
        }
        assert_eq!(s.expose(), "wJalrXUtnFEMI/K7MDENG");
    }

    #[test]
    fn matches_compares_equal_only_when_identical() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
        assert!(!constant_time_eq(b"", b"a"));
        assert!(Secret::new("tok").matches(b"tok"));
        assert!(!Secret::new("tok").matches(b"to"));
    }

    #[test]
    fn serde_is_the_plain_string() {
        let s = Secret::new("a\"b\\c/é");
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, serde_json::to_string("a\"b\\c/é").unwrap());
        let back: Secret = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
        let opt: Option<Secret> = serde_json::from_str("null").unwrap();
        assert_eq!(opt, None);
    }
}
