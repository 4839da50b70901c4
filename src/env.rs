//! Every environment variable ssoenv reads or writes, named once, and `Env`,
//! a snapshot of the environment passed into the core as a parameter so that
//! tests never mutate the process environment. [`home_dir`] is the one place
//! that says what a missing HOME means.

use crate::error::{Error, Result};
use std::collections::HashMap;
use std::path::PathBuf;

// --- read ---
pub(crate) const HOME: &str = "HOME";
pub(crate) const USERPROFILE: &str = "USERPROFILE";
pub(crate) const AWS_CONFIG_FILE: &str = "AWS_CONFIG_FILE";
pub(crate) const AWS_SHARED_CREDENTIALS_FILE: &str = "AWS_SHARED_CREDENTIALS_FILE";
pub(crate) const AWS_ENDPOINT_URL: &str = "AWS_ENDPOINT_URL";
pub(crate) const AWS_ENDPOINT_URL_SSO: &str = "AWS_ENDPOINT_URL_SSO";
pub(crate) const AWS_ENDPOINT_URL_SSO_OIDC: &str = "AWS_ENDPOINT_URL_SSO_OIDC";
pub(crate) const AWS_ENDPOINT_URL_STS: &str = "AWS_ENDPOINT_URL_STS";
/// The sign-in federation endpoint `console` uses (the SDKs have no sign-in
/// service id: ssoenv's own name, in the SDKs' pattern).
pub(crate) const AWS_ENDPOINT_URL_SIGNIN: &str = "AWS_ENDPOINT_URL_SIGNIN";
pub(crate) const AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: &str = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";
pub(crate) const AWS_CA_BUNDLE: &str = "AWS_CA_BUNDLE";
pub(crate) const SHELL: &str = "SHELL";
pub(crate) const SSOENV_SHELL: &str = "SSOENV_SHELL";
pub(crate) const SSOENV_INTERACTIVE: &str = "SSOENV_INTERACTIVE";
pub(crate) const SSOENV_LOCK_TIMEOUT: &str = "SSOENV_LOCK_TIMEOUT";
pub(crate) const SSOENV_AUTO_RENEW: &str = "SSOENV_AUTO_RENEW";
/// Set (to 1) by the prompt hook for its quiet renewal: `use` then never waits
/// for another ssoenv's lock and gives up within a few seconds overall.
pub(crate) const SSOENV_BACKGROUND_RENEW: &str = "SSOENV_BACKGROUND_RENEW";
/// `pkce` or `device`: the login flow when the command line names none.
pub(crate) const SSOENV_LOGIN_FLOW: &str = "SSOENV_LOGIN_FLOW";
/// Seconds a PKCE login waits for the browser (default 600).
pub(crate) const SSOENV_PKCE_TIMEOUT: &str = "SSOENV_PKCE_TIMEOUT";
/// `0` (or `false`, `no`, `off`): `use` unsets AWS_PROFILE instead of setting it, and `exec`'s
/// child gets none, so the AWS SDK for JavaScript v3 takes the exported keys (with AWS_PROFILE
/// set, its default chain skips them). Unset, empty or `1` (`true`, `yes`, `on`): exported.
pub(crate) const SSOENV_EXPORT_AWS_PROFILE: &str = "SSOENV_EXPORT_AWS_PROFILE";
pub(crate) const NO_COLOR: &str = "NO_COLOR";
/// The terminal's width in columns, when set (else asked of the terminal): `status` fits its tables to it.
pub(crate) const COLUMNS: &str = "COLUMNS";
pub(crate) const DISPLAY: &str = "DISPLAY";
pub(crate) const WAYLAND_DISPLAY: &str = "WAYLAND_DISPLAY";
pub(crate) const SSH_CONNECTION: &str = "SSH_CONNECTION";
pub(crate) const SSH_TTY: &str = "SSH_TTY";
pub(crate) const WSL_DISTRO_NAME: &str = "WSL_DISTRO_NAME";
pub(crate) const XDG_CACHE_HOME: &str = "XDG_CACHE_HOME";
pub(crate) const PATH: &str = "PATH";
pub(crate) const XDG_CONFIG_HOME: &str = "XDG_CONFIG_HOME";
pub(crate) const XDG_DATA_HOME: &str = "XDG_DATA_HOME";
/// Proxy settings `doctor` reports (ureq reads them itself), upper and lower case.
pub(crate) const PROXY_VARS: &[&str] = &[
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
];
/// Set (to the shell's name) by the `ssoenv` shell function for the binary it
/// runs, when the init script passes it: how `doctor` sees the integration.
pub(crate) const SSOENV_INIT: &str = "SSOENV_INIT";
/// `1` (or `true`): a `use` through the shell function says nothing when it
/// succeeds (by default one line on a terminal: profile, account, role, until when).
pub(crate) const SSOENV_QUIET: &str = "SSOENV_QUIET";

// --- written by `use` (and removed by `unset`) ---
pub(crate) const AWS_PROFILE: &str = "AWS_PROFILE";
pub(crate) const AWS_ACCESS_KEY_ID: &str = "AWS_ACCESS_KEY_ID";
pub(crate) const AWS_SECRET_ACCESS_KEY: &str = "AWS_SECRET_ACCESS_KEY";
pub(crate) const AWS_SESSION_TOKEN: &str = "AWS_SESSION_TOKEN";
/// botocore reads this before AWS_SESSION_TOKEN (docs/environment.md#credentials), so `use` always removes it.
pub(crate) const AWS_SECURITY_TOKEN: &str = "AWS_SECURITY_TOKEN";
pub(crate) const AWS_CREDENTIAL_EXPIRATION: &str = "AWS_CREDENTIAL_EXPIRATION";
pub(crate) const AWS_REGION: &str = "AWS_REGION";
pub(crate) const AWS_DEFAULT_REGION: &str = "AWS_DEFAULT_REGION";
pub(crate) const SSOENV_PROFILE: &str = "SSOENV_PROFILE";
/// Unix seconds; the prompt computes the countdown from it without starting a process.
pub(crate) const SSOENV_EXPIRATION: &str = "SSOENV_EXPIRATION";
/// `1` when the session's SSO token has refresh material (an sso-session
/// profile): with SSOENV_AUTO_RENEW=1 the prompt hook renews it unattended.
pub(crate) const SSOENV_RENEWABLE: &str = "SSOENV_RENEWABLE";

/// `exec --server` sets these two for the child (docs/credential-process.md#container-endpoint).
pub(crate) const AWS_CONTAINER_CREDENTIALS_FULL_URI: &str = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
pub(crate) const AWS_CONTAINER_AUTHORIZATION_TOKEN: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
/// What `exec --server` removes so the child's credential chain reaches the
/// server (docs/credential-process.md#container-endpoint): anything earlier in botocore's
/// chain, and the container variables that beat FULL_URI and the token.
pub(crate) const SERVER_REMOVED_VARS: &[&str] = &[
    AWS_PROFILE,
    "AWS_DEFAULT_PROFILE",
    AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY,
    AWS_SESSION_TOKEN,
    AWS_SECURITY_TOKEN,
    AWS_CREDENTIAL_EXPIRATION,
    SSOENV_EXPIRATION,
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_CREDENTIAL_FILE",
    "BOTO_CONFIG",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
];

/// Every variable `use` sets or unsets, in the order it emits them; `unset` removes all of them.
pub const SESSION_VARS: &[&str] = &[
    AWS_PROFILE,
    AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY,
    AWS_SESSION_TOKEN,
    AWS_SECURITY_TOKEN,
    AWS_CREDENTIAL_EXPIRATION,
    AWS_REGION,
    AWS_DEFAULT_REGION,
    SSOENV_PROFILE,
    SSOENV_EXPIRATION,
    SSOENV_RENEWABLE,
];

/// A snapshot of the environment. Values that are not UTF-8 are dropped:
/// nothing ssoenv reads can meaningfully hold them.
#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: HashMap<String, String>,
}

impl Env {
    pub fn from_process() -> Self {
        Env {
            vars: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
        }
    }

    #[cfg(any(test, feature = "emulator"))]
    pub(crate) fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Env {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// The value, or None when unset. An empty value counts as set.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    /// The value when set and not empty.
    pub(crate) fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.is_empty())
    }

    /// botocore-style truthiness: "true" (any case) or "1".
    pub(crate) fn flag(&self, name: &str) -> bool {
        matches!(self.get(name), Some(v) if v.eq_ignore_ascii_case("true") || v == "1")
    }

    /// An on/off switch: `1`/`true`/`yes`/`on` is `Some(true)`, `0`/`false`/`no`/`off`
    /// `Some(false)` (any case, surrounding space ignored); unset, empty or
    /// anything else `None`, for the caller to default or refuse.
    pub(crate) fn switch(&self, name: &str) -> Option<bool> {
        let v = self.non_empty(name)?.trim();
        let is = |words: [&str; 4]| words.iter().any(|w| v.eq_ignore_ascii_case(w));
        if is(["1", "true", "yes", "on"]) {
            Some(true)
        } else if is(["0", "false", "no", "off"]) {
            Some(false)
        } else {
            None
        }
    }

    /// The non-empty variables whose names start with `prefix`, sorted by name.
    pub(crate) fn with_prefix(&self, prefix: &str) -> Vec<(&str, &str)> {
        let mut v: Vec<(&str, &str)> = self
            .vars
            .iter()
            .filter(|(k, v)| k.starts_with(prefix) && !v.is_empty())
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        v.sort_unstable();
        v
    }

    #[cfg(any(test, feature = "emulator"))]
    pub(crate) fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.vars.insert(name.into(), value.into());
    }

    /// The user's home directory: `HOME`, else `USERPROFILE` (Windows).
    pub(crate) fn home(&self) -> Option<PathBuf> {
        self.non_empty(HOME)
            .or_else(|| self.non_empty(USERPROFILE))
            .map(PathBuf::from)
    }
}

/// `$XDG_CACHE_HOME/ssoenv` or `~/.cache/ssoenv`: ssoenv's own directory,
/// so the AWS CLI's cache directories only ever hold its formats. A relative
/// `XDG_CACHE_HOME` is ignored, as the XDG Base Directory specification says
/// ("all paths … must be absolute").
pub(crate) fn ssoenv_cache_dir(env: &Env) -> Option<PathBuf> {
    let base = match env
        .non_empty(XDG_CACHE_HOME)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
    {
        Some(x) => x,
        None => env.home()?.join(".cache"),
    };
    Some(base.join("ssoenv"))
}

/// The user's home directory, or the error every command gives without one.
pub(crate) fn home_dir(env: &Env) -> Result<PathBuf> {
    env.home().ok_or_else(|| {
        Error::config("could not find your home directory (HOME is not set)")
            .hint("set HOME to your home directory")
    })
}
