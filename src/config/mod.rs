//! `~/.aws/config` → typed, validated profiles and sso-sessions.
//! Parsing follows botocore's `configloader` (RawConfigParser) rules, spec §5.
//! Resolve once into a `ResolvedProfile`; nothing downstream reads raw keys.
//!
//! (STUB: filled in by the config work.)

use crate::env::Env;
use crate::error::Result;
use std::path::PathBuf;

/// An SSO session: a `[sso-session NAME]` section, or the legacy
/// `sso_start_url`/`sso_region` keys of a profile (then `name` is None).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoSession {
    /// The sso-session name; None for a legacy profile.
    pub name: Option<String>,
    /// `sso_start_url` exactly as configured (cache keys use it unnormalized, spec §4).
    pub start_url: String,
    pub region: String,
    /// `sso_registration_scopes` split on `,` and trimmed; None when not configured.
    pub scopes: Option<Vec<String>>,
}

/// Endpoint settings that come from the config file (spec §1.2 steps 3–4).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfiguredEndpoints {
    /// `[services X]` → `sso =` sub-section `endpoint_url`.
    pub sso: Option<String>,
    /// `[services X]` → `sso_oidc =` sub-section `endpoint_url`.
    pub sso_oidc: Option<String>,
    /// The profile's global `endpoint_url`.
    pub global: Option<String>,
    /// `ignore_configured_endpoint_urls = true` in the profile.
    pub ignore: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedProfile {
    pub name: String,
    pub sso: SsoSession,
    pub account_id: String,
    pub role_name: String,
    /// The profile's `region`, if any.
    pub region: Option<String>,
    pub endpoints: ConfiguredEndpoints,
}

/// A parsed config file.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub path: PathBuf,
}

impl Config {
    /// Path of the config file: `AWS_CONFIG_FILE` (with `~` and `$VAR` expanded) or `~/.aws/config`.
    pub fn path(_env: &Env) -> Result<PathBuf> {
        todo!()
    }
    /// Read and parse the config file. A missing file is an error here (exit 2) naming the path.
    pub fn load(_env: &Env) -> Result<Config> {
        todo!()
    }
    /// Parse text (for tests and benchmarks); `path` is only used in messages.
    pub fn parse(_path: PathBuf, _text: &str) -> Result<Config> {
        todo!()
    }
    /// All profile names, in file order.
    pub fn profile_names(&self) -> Vec<String> {
        todo!()
    }
    /// Resolve one profile into a validated ResolvedProfile, or a clear exit-2 error.
    pub fn resolve(&self, _profile: &str) -> Result<ResolvedProfile> {
        todo!()
    }
    pub fn sso_session_names(&self) -> Vec<String> {
        todo!()
    }
    pub fn sso_profiles(&self) -> Vec<(String, Result<ResolvedProfile>)> {
        todo!()
    }
    pub fn profile_session(&self, _profile: &str) -> Result<(SsoSession, ConfiguredEndpoints)> {
        todo!()
    }
    /// Resolve a `[sso-session NAME]` section.
    pub fn sso_session(&self, _name: &str) -> Result<SsoSession> {
        todo!()
    }
}
