//! The sections of a config file and their keys: what a header opens
//! (botocore `build_profile_map`), the name in it (shlex), names mapped to
//! sections, and the one table of the keys ssoenv reads.

use super::parse::{FastMap, KeyId};
use std::sync::Arc;

/// Names → section indexes in order of first appearance. A later section with
/// the same name replaces the earlier one but keeps its place, as assigning
/// into a Python dict does (`[default]` vs `[profile default]`, docs/config.md#sections).
#[derive(Debug, Clone, Default)]
pub(super) struct Named {
    /// Each name is stored once, shared by the list and the index.
    pub(super) order: Vec<(Arc<str>, usize)>,
    pub(super) index: FastMap<Arc<str>, usize>,
}

impl Named {
    pub(super) fn insert(&mut self, name: String, section: usize) {
        match self.index.get(name.as_str()) {
            Some(&i) => self.order[i].1 = section,
            None => {
                let name: Arc<str> = name.into();
                self.index.insert(name.clone(), self.order.len());
                self.order.push((name, section));
            }
        }
    }
    pub(super) fn get(&self, name: &str) -> Option<usize> {
        self.index.get(name).map(|&i| self.order[i].1)
    }
    pub(super) fn names(&self) -> impl Iterator<Item = &str> {
        self.order.iter().map(|(n, _)| &**n)
    }
}

/// A key ssoenv reads, by its id: the keys of the table below are interned
/// before anything else (`parse_ini_with(text, Key::NAMES)`), so `Key::X`
/// is a constant and resolving a profile hashes no key name (a config of
/// 100,000 profiles is resolved whole for shell completion).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Key(pub(super) KeyId);

/// The key table: each line gives a constant, its key, and the section
/// kinds that read it. `Key::NAMES` (what the parser interns, and its short
/// scan), the constants and `Key::is_read_in` are generated from it, so a
/// key is added in one place.
macro_rules! key_table {
    ($($id:ident = $name:literal in $($kind:ident)|+;)*) => {
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[repr(u32)]
        enum Id { $($id),* }

        impl Key {
            /// Every key of the table; `NAMES[i]` is the key of `Key(KeyId(i))`.
            pub(super) const NAMES: &[&str] = &[$($name),*];
            $(pub(super) const $id: Key = Key(KeyId(Id::$id as u32));)*

            /// Whether resolution reads this key in a section of `kind`
            /// (`Services`: the sub-section keys of a `[services NAME]`).
            pub(super) fn is_read_in(self, kind: HeaderKind) -> bool {
                match self {
                    $(Key::$id => matches!(kind, $(HeaderKind::$kind)|+),)*
                    _ => false,
                }
            }
        }
    };
}

key_table! {
    SSO_SESSION = "sso_session" in Profile | Default;
    SSO_ACCOUNT_ID = "sso_account_id" in Profile | Default;
    SSO_ROLE_NAME = "sso_role_name" in Profile | Default;
    // Shown in the profile picker only (aws-sso-util's `configure populate`
    // writes it); resolution never reads it.
    SSO_ACCOUNT_NAME = "sso_account_name" in Profile | Default;
    SSO_START_URL = "sso_start_url" in Profile | Default | SsoSession;
    SSO_REGION = "sso_region" in Profile | Default | SsoSession;
    SSO_REGISTRATION_SCOPES = "sso_registration_scopes" in Profile | Default | SsoSession;
    REGION = "region" in Profile | Default;
    ENDPOINT_URL = "endpoint_url" in Profile | Default;
    SERVICES = "services" in Profile | Default;
    IGNORE_CONFIGURED_ENDPOINT_URLS = "ignore_configured_endpoint_urls" in Profile | Default;
    ROLE_ARN = "role_arn" in Profile | Default;
    CREDENTIAL_PROCESS = "credential_process" in Profile | Default;
    SSO = "sso" in Services;
    SSO_OIDC = "sso_oidc" in Services;
    SOURCE_PROFILE = "source_profile" in Profile | Default;
    CREDENTIAL_SOURCE = "credential_source" in Profile | Default;
    ROLE_SESSION_NAME = "role_session_name" in Profile | Default;
    EXTERNAL_ID = "external_id" in Profile | Default;
    DURATION_SECONDS = "duration_seconds" in Profile | Default;
    MFA_SERIAL = "mfa_serial" in Profile | Default;
    WEB_IDENTITY_TOKEN_FILE = "web_identity_token_file" in Profile | Default;
    AWS_ACCESS_KEY_ID = "aws_access_key_id" in Profile | Default;
    AWS_SECRET_ACCESS_KEY = "aws_secret_access_key" in Profile | Default;
    AWS_SESSION_TOKEN = "aws_session_token" in Profile | Default;
    STS = "sts" in Services;
    SIGNIN = "signin" in Services;
}

impl Key {
    /// The key a file key (already lower-cased) is, if the table has it.
    pub(super) fn find(name: &str) -> Option<Key> {
        Self::NAMES
            .iter()
            .position(|&n| n == name)
            .map(|i| Key(KeyId(i as u32)))
    }

    pub(super) fn name(self) -> &'static str {
        Self::NAMES[self.0.0 as usize]
    }
}

/// What a section header (outside `[DEFAULT]`) is, by botocore's
/// `build_profile_map`: the type comes from the prefix (`startswith`), and
/// `[default]` is the default profile. Shared by the reader and the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeaderKind {
    Profile,
    SsoSession,
    Services,
    Default,
    Other,
}

pub(crate) fn header_kind(raw: &str) -> HeaderKind {
    if raw.starts_with("profile") {
        HeaderKind::Profile
    } else if raw.starts_with("sso-session") {
        HeaderKind::SsoSession
    } else if raw.starts_with("services") {
        HeaderKind::Services
    } else if raw == "default" {
        HeaderKind::Default
    } else {
        HeaderKind::Other
    }
}

pub(super) fn section_name(raw: &str) -> Option<String> {
    // Where shell_words differs from shlex (posix, `comments=False`): it takes
    // `#` at the start of a word as a comment, lets `\$` and `` \` `` escape
    // inside double quotes, and keeps a dangling trailing `\` that shlex
    // refuses. Hide those characters behind noncharacters for the split.
    const HIDDEN: [(char, char); 3] = [('#', '\u{fdd0}'), ('$', '\u{fdd1}'), ('`', '\u{fdd2}')];
    if raw.bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1 {
        return None;
    }
    // The common case, nothing to unquote: split at shell_words' delimiters.
    if !raw.contains(['\'', '"', '\\', '#', '$', '`']) {
        let mut parts = raw.split([' ', '\t', '\n']).filter(|p| !p.is_empty());
        let (_, name, None) = (parts.next()?, parts.next()?, parts.next()) else {
            return None;
        };
        return Some(name.to_owned());
    }
    let hide = HIDDEN.iter().any(|&(c, _)| raw.contains(c))
        && !HIDDEN.iter().any(|&(_, h)| raw.contains(h));
    let swap = |s: &str, to_hidden: bool| -> String {
        s.chars()
            .map(|c| {
                HIDDEN
                    .iter()
                    .find(|&&(plain, hidden)| c == if to_hidden { plain } else { hidden })
                    .map_or(c, |&(plain, hidden)| if to_hidden { hidden } else { plain })
            })
            .collect()
    };
    let mut parts = if hide {
        shell_words::split(&swap(raw, true)).ok()?
    } else {
        shell_words::split(raw).ok()?
    };
    if parts.len() != 2 {
        return None;
    }
    let name = parts.pop()?;
    Some(if hide { swap(&name, false) } else { name })
}
