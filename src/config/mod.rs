//! `~/.aws/config` → typed, validated profiles and sso-sessions.
//! Parsing follows botocore's `configloader` (RawConfigParser) rules, docs/config.md#parser-rules.
//! Resolve once into a `ResolvedProfile`; nothing downstream reads raw keys.
//!
//! `parse.rs` reads the INI text; this file maps sections to profiles,
//! sso-sessions and services (botocore `build_profile_map`) and applies the
//! `SSOProvider` rules (`_load_sso_config`, `_resolve_sso_session_reference`).

pub mod edit;
mod login_target;
mod parse;
mod resolve;
mod scan;

pub use resolve::{ChainedProfile, Profile, RoleSource, StaticKeys, chain_text};

use crate::env::{self, Env};
use crate::error::{Error, Result};
use crate::fs::ReadError;
use parse::{FastMap, Ini, KeyId, Value};
use std::path::PathBuf;
use std::sync::Arc;

/// An SSO session: a `[sso-session NAME]` section, or the legacy
/// `sso_start_url`/`sso_region` keys of a profile (then `name` is None).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoSession {
    /// The sso-session name; None for a legacy profile.
    pub name: Option<String>,
    /// `sso_start_url` exactly as configured (cache keys use it unnormalized, docs/caches.md#cache-keys).
    pub start_url: String,
    pub region: String,
    /// `sso_registration_scopes` split on `,` and trimmed; None when not configured.
    pub scopes: Option<Vec<String>>,
}

impl SsoSession {
    /// Whether both name the same login (one token file, `token::key`): the
    /// same sso-session, or two legacy profiles with the same start URL.
    pub fn same_as(&self, other: &SsoSession) -> bool {
        match (&self.name, &other.name) {
            (Some(x), Some(y)) => x == y,
            (None, None) => self.start_url == other.start_url,
            _ => false,
        }
    }
}

/// Endpoint settings that come from the config file (docs/endpoints.md#overrides, steps 3–4).
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
    ini: Ini,
    profiles: Named,
    sso_sessions: Named,
    services: Named,
}

/// Names → section indexes in order of first appearance. A later section with
/// the same name replaces the earlier one but keeps its place, as assigning
/// into a Python dict does (`[default]` vs `[profile default]`, docs/config.md#sections).
#[derive(Debug, Clone, Default)]
struct Named {
    /// Each name is stored once, shared by the list and the index.
    order: Vec<(Arc<str>, usize)>,
    index: FastMap<Arc<str>, usize>,
}

impl Named {
    fn insert(&mut self, name: String, section: usize) {
        match self.index.get(name.as_str()) {
            Some(&i) => self.order[i].1 = section,
            None => {
                let name: Arc<str> = name.into();
                self.index.insert(name.clone(), self.order.len());
                self.order.push((name, section));
            }
        }
    }
    fn get(&self, name: &str) -> Option<usize> {
        self.index.get(name).map(|&i| self.order[i].1)
    }
    fn names(&self) -> impl Iterator<Item = &str> {
        self.order.iter().map(|(n, _)| &**n)
    }
}

/// The keys resolution reads, interned before anything else so that their
/// ids are constants: resolving a profile then hashes no key name (a config
/// of 100,000 profiles is resolved whole for shell completion).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Key(KeyId);

impl Key {
    const NAMES: [&str; 24] = [
        "sso_session",
        "sso_account_id",
        "sso_role_name",
        "sso_start_url",
        "sso_region",
        "sso_registration_scopes",
        "region",
        "endpoint_url",
        "services",
        "ignore_configured_endpoint_urls",
        "role_arn",
        "credential_process",
        "sso",
        "sso_oidc",
        "source_profile",
        "credential_source",
        "role_session_name",
        "external_id",
        "duration_seconds",
        "mfa_serial",
        "web_identity_token_file",
        "aws_access_key_id",
        "aws_secret_access_key",
        "aws_session_token",
    ];
    const SSO_SESSION: Key = Key(KeyId(0));
    const SSO_ACCOUNT_ID: Key = Key(KeyId(1));
    const SSO_ROLE_NAME: Key = Key(KeyId(2));
    const SSO_START_URL: Key = Key(KeyId(3));
    const SSO_REGION: Key = Key(KeyId(4));
    const SSO_REGISTRATION_SCOPES: Key = Key(KeyId(5));
    const REGION: Key = Key(KeyId(6));
    const ENDPOINT_URL: Key = Key(KeyId(7));
    const SERVICES: Key = Key(KeyId(8));
    const IGNORE_CONFIGURED_ENDPOINT_URLS: Key = Key(KeyId(9));
    const ROLE_ARN: Key = Key(KeyId(10));
    const CREDENTIAL_PROCESS: Key = Key(KeyId(11));
    const SSO: Key = Key(KeyId(12));
    const SSO_OIDC: Key = Key(KeyId(13));
    const SOURCE_PROFILE: Key = Key(KeyId(14));
    const CREDENTIAL_SOURCE: Key = Key(KeyId(15));
    const ROLE_SESSION_NAME: Key = Key(KeyId(16));
    const EXTERNAL_ID: Key = Key(KeyId(17));
    const DURATION_SECONDS: Key = Key(KeyId(18));
    const MFA_SERIAL: Key = Key(KeyId(19));
    const WEB_IDENTITY_TOKEN_FILE: Key = Key(KeyId(20));
    const AWS_ACCESS_KEY_ID: Key = Key(KeyId(21));
    const AWS_SECRET_ACCESS_KEY: Key = Key(KeyId(22));
    const AWS_SESSION_TOKEN: Key = Key(KeyId(23));

    fn name(self) -> &'static str {
        Self::NAMES[self.0.0 as usize]
    }
}

/// The keys botocore's `SSOProvider` requires, in its order
/// (`_PROFILE_REQUIRED_CONFIG_VARS + _SSO_REQUIRED_CONFIG_VARS`).
const REQUIRED: [Key; 4] = [
    Key::SSO_ROLE_NAME,
    Key::SSO_ACCOUNT_ID,
    Key::SSO_START_URL,
    Key::SSO_REGION,
];
/// Any of these makes a profile an SSO profile (botocore looks only at the
/// first two; a profile with just a session or start URL is a broken SSO
/// profile, and saying what is missing helps more than "not SSO").
const SSO_MARKERS: [Key; 4] = [
    Key::SSO_ACCOUNT_ID,
    Key::SSO_ROLE_NAME,
    Key::SSO_SESSION,
    Key::SSO_START_URL,
];

impl Config {
    /// Path of the config file: `AWS_CONFIG_FILE` (with `~` and `$VAR` expanded) or `~/.aws/config`.
    /// An empty `AWS_CONFIG_FILE` counts as unset.
    pub fn path(env: &Env) -> Result<PathBuf> {
        match env.non_empty(env::AWS_CONFIG_FILE) {
            Some(raw) => expand_user(&expand_vars(raw, env), env),
            None => Ok(home(env)?.join(".aws").join("config")),
        }
    }

    /// Read and parse the config file. A missing file is an error here (exit 2) naming the path.
    pub fn load(env: &Env) -> Result<Config> {
        Self::load_inner(env, false).map(|c| c.expect("a missing file is an error"))
    }

    /// Like `load`, but a missing file is `None`: no profiles, nothing wrong
    /// (botocore reads a missing config file as empty). For listings.
    pub fn load_if_present(env: &Env) -> Result<Option<Config>> {
        Self::load_inner(env, true)
    }

    /// Resolve one profile as `load` then `profile` do, reading only the
    /// sections it needs when that succeeds (`scan.rs`); anything else, an
    /// error included, is the full parse's answer.
    pub fn load_profile(env: &Env, name: &str) -> Result<Profile> {
        let path = Self::path(env)?;
        if let Some(profile) = scan::profile_in_file(&path, name) {
            return Ok(profile);
        }
        Self::load(env)?.profile(name)
    }

    fn load_inner(env: &Env, missing_ok: bool) -> Result<Option<Config>> {
        let path = Self::path(env)?;
        let bytes = match read_config_file(&path) {
            Ok(bytes) => bytes,
            Err(ReadError::NotFound) if missing_ok => return Ok(None),
            Err(ReadError::NotFound) => {
                let hint = if env.non_empty(env::AWS_CONFIG_FILE).is_some() {
                    "AWS_CONFIG_FILE names this file; fix it, or run `aws configure sso` to create a profile there"
                } else {
                    "run `ssoenv configure` (or `aws configure sso`) to create a profile"
                };
                return Err(Error::config(format!(
                    "config file {} does not exist",
                    path.display()
                ))
                .hint(hint));
            }
            Err(e @ (ReadError::NotRegular(_) | ReadError::TooLarge(_))) => {
                let what = match e {
                    ReadError::NotRegular(kind) => format!("is {kind}, not a regular file"),
                    _ => format!(
                        "is larger than {} MiB; refusing to read it",
                        CONFIG_FILE_LIMIT >> 20
                    ),
                };
                let hint = if env.non_empty(env::AWS_CONFIG_FILE).is_some() {
                    "point AWS_CONFIG_FILE at your config file (or at /dev/null for no config)"
                        .to_owned()
                } else {
                    format!(
                        "replace {} with your AWS config file (a regular file)",
                        path.display()
                    )
                };
                return Err(
                    Error::config(format!("config file {} {what}", path.display())).hint(hint),
                );
            }
            Err(ReadError::Io(e)) => {
                return Err(Error::config(format!(
                    "could not read config file {}",
                    path.display()
                ))
                .cause(e));
            }
        };
        let text = match std::str::from_utf8(&bytes) {
            Ok(text) => text,
            Err(e) => {
                let at = e.valid_up_to();
                let line = parse::line_of_offset(&bytes, at);
                let byte = bytes.get(at).copied().unwrap_or_default();
                return Err(Error::config(format!(
                    "could not parse {}: line {line}: the text is not valid UTF-8 (byte 0x{byte:02x})",
                    path.display()
                ))
                .hint("save the file as UTF-8"));
            }
        };
        Self::parse(path, text).map(Some)
    }

    /// Parse text (for tests and benchmarks); `path` is only used in messages.
    pub fn parse(path: PathBuf, text: &str) -> Result<Config> {
        let ini = parse::parse_ini_with(text, &Key::NAMES).map_err(|e| {
            Error::config(format!(
                "could not parse {}: line {}: {}",
                path.display(),
                e.line,
                e.what
            ))
            .hint(e.hint)
        })?;
        let mut config = Config {
            path,
            ..Config::default()
        };
        config.profiles.order.reserve(ini.sections.len());
        config.profiles.index.reserve(ini.sections.len());
        // botocore `build_profile_map`: the type comes from the prefix
        // (`startswith`), the name from shlex; anything but exactly two parts is dropped.
        for i in 0..ini.sections.len() {
            if Some(i) == ini.defaults {
                continue;
            }
            let raw = ini.name(i);
            let named = match header_kind(raw) {
                HeaderKind::Profile => &mut config.profiles,
                HeaderKind::SsoSession => &mut config.sso_sessions,
                HeaderKind::Services => &mut config.services,
                HeaderKind::Default => {
                    config.profiles.insert(raw.to_owned(), i);
                    continue;
                }
                HeaderKind::Other => continue,
            };
            if let Some(name) = section_name(raw) {
                named.insert(name, i);
            }
        }
        config.ini = ini;
        Ok(config)
    }

    /// All profile names, in file order.
    pub fn profile_names(&self) -> Vec<String> {
        self.profiles.names().map(str::to_owned).collect()
    }

    /// All sso-session names, in file order.
    /// Every SSO session the config uses: the sso-sessions that resolve, in
    /// order, then the legacy start URLs of resolving profiles, once each.
    pub fn sessions_in_use(&self) -> Vec<SsoSession> {
        let mut sessions: Vec<SsoSession> = self
            .sso_session_names()
            .iter()
            .filter_map(|n| self.sso_session(n).ok())
            .collect();
        for (_, p) in self.sso_profiles() {
            if let Ok(p) = p
                && p.sso.name.is_none()
                && !sessions.iter().any(|s| s.same_as(&p.sso))
            {
                sessions.push(p.sso);
            }
        }
        sessions
    }

    pub fn sso_session_names(&self) -> Vec<String> {
        self.sso_sessions.names().map(str::to_owned).collect()
    }

    /// Every profile with any SSO key (`sso_account_id`, `sso_role_name`,
    /// `sso_session`, `sso_start_url`), in file order, each resolved.
    pub fn sso_profiles(&self) -> Vec<(String, Result<ResolvedProfile>)> {
        self.profiles
            .order
            .iter()
            .filter(|&&(_, section)| self.is_sso(section))
            .map(|(name, section)| (name.to_string(), self.resolve_section(name, *section)))
            .collect()
    }

    /// Resolve one profile into a validated ResolvedProfile, or a clear exit-2 error.
    pub fn resolve(&self, profile: &str) -> Result<ResolvedProfile> {
        let Some(sec) = self.profiles.get(profile) else {
            return Err(self.profile_not_found(profile));
        };
        self.resolve_section(profile, sec)
    }

    /// Every profile, in file order, resolved as `resolve` does.
    pub fn resolve_all(&self) -> impl Iterator<Item = (&str, Result<ResolvedProfile>)> {
        self.profiles
            .order
            .iter()
            .map(|(name, sec)| (&**name, self.resolve_section(name, *sec)))
    }

    fn resolve_section(&self, profile: &str, sec: usize) -> Result<ResolvedProfile> {
        if !self.is_sso(sec) {
            return Err(self.not_sso(profile, sec));
        }
        let scope = Scope::Profile(profile);

        // botocore `_resolve_sso_session_reference`.
        let session = match self.value(sec, Key::SSO_SESSION) {
            None => None,
            Some(v) => {
                let name = self.string(scope, "sso_session", v)?;
                let Some(ssec) = self.sso_sessions.get(name) else {
                    let hint = match suggest(name, self.sso_sessions.names()) {
                        Some(h) => h,
                        None => format!(
                            "add a [sso-session {}] section, or run `aws configure sso-session`",
                            quote(name)
                        ),
                    };
                    return Err(self
                        .error(
                            scope,
                            format!("The specified sso-session does not exist: \"{name}\""),
                        )
                        .hint(hint));
                };
                for (id, val) in self.items(ssec) {
                    if let Some(mine) = self.value_id(sec, id)
                        && mine != val
                    {
                        let key = self.ini.key_name(id);
                        return Err(self
                            .error(
                                scope,
                                format!(
                                    "The value for {key} is inconsistent between profile ({mine}) and sso-session ({val})."
                                ),
                            )
                            .hint(format!(
                                "remove {key} from the profile (the [sso-session {}] section provides it), or make the two equal",
                                quote(name)
                            )));
                    }
                }
                Some((name, ssec))
            }
        };
        // The profile's keys with the session's laid over them.
        let lookup = |key: Key| {
            session
                .and_then(|(_, s)| self.value(s, key))
                .or_else(|| self.value(sec, key))
        };

        let found = REQUIRED.map(lookup);
        let missing: Vec<&str> = REQUIRED
            .iter()
            .zip(&found)
            .filter(|(_, v)| v.is_none())
            .map(|(k, _)| k.name())
            .collect();
        if !missing.is_empty() {
            return Err(self
                .error(
                    scope,
                    format!(
                        "The profile \"{profile}\" is configured to use SSO but is missing required configuration: {}",
                        missing.join(", ")
                    ),
                )
                .hint(format!("run `aws configure sso --profile {}`", quote(profile))));
        }
        let mut values = [""; 4];
        for ((slot, key), v) in values.iter_mut().zip(REQUIRED).zip(found) {
            *slot = self.string(scope, key.name(), v.unwrap_or(Value::Str("")))?;
        }
        let [role_name, account_id, start_url, sso_region] = values;
        self.check_not_empty(scope, &REQUIRED.map(Key::name), &values)?;

        let scopes = match session {
            Some(_) => match lookup(Key::SSO_REGISTRATION_SCOPES) {
                Some(v) => Some(split_scopes(self.string(
                    scope,
                    "sso_registration_scopes",
                    v,
                )?)),
                None => None,
            },
            // Legacy profiles register without scopes (docs/sso-oidc.md#legacy-profiles).
            None => None,
        };
        let region = match self.value(sec, Key::REGION) {
            Some(v) => Some(self.string(scope, "region", v)?)
                .filter(|r| !r.is_empty())
                .map(str::to_owned),
            None => None,
        };
        Ok(ResolvedProfile {
            name: profile.to_owned(),
            sso: SsoSession {
                name: session.map(|(n, _)| n.to_owned()),
                start_url: start_url.to_owned(),
                region: sso_region.to_owned(),
                scopes,
            },
            account_id: account_id.to_owned(),
            role_name: role_name.to_owned(),
            region,
            endpoints: self.endpoints(profile, sec)?,
        })
    }

    /// Resolve a `[sso-session NAME]` section.
    pub fn sso_session(&self, name: &str) -> Result<SsoSession> {
        let Some(sec) = self.sso_sessions.get(name) else {
            let hint = suggest(name, self.sso_sessions.names())
                .unwrap_or_else(|| "run `aws configure sso-session` to create one".to_owned());
            return Err(Error::config(format!(
                "sso-session \"{name}\" not found in {}",
                self.path.display()
            ))
            .hint(hint));
        };
        let scope = Scope::Session(name);
        let keys = ["sso_start_url", "sso_region"];
        let missing: Vec<&str> = [Key::SSO_START_URL, Key::SSO_REGION]
            .into_iter()
            .filter(|&k| self.value(sec, k).is_none())
            .map(Key::name)
            .collect();
        if !missing.is_empty() {
            return Err(self
                .error(
                    scope,
                    format!("missing required configuration: {}", missing.join(", ")),
                )
                .hint(format!(
                    "add {} to the [sso-session {}] section, or run `aws configure sso-session`",
                    missing.join(" and "),
                    quote(name)
                )));
        }
        let start_url = self.string(
            scope,
            "sso_start_url",
            self.value(sec, Key::SSO_START_URL)
                .unwrap_or(Value::Str("")),
        )?;
        let region = self.string(
            scope,
            "sso_region",
            self.value(sec, Key::SSO_REGION).unwrap_or(Value::Str("")),
        )?;
        self.check_not_empty(scope, &keys, &[start_url, region])?;
        let scopes = match self.value(sec, Key::SSO_REGISTRATION_SCOPES) {
            Some(v) => Some(split_scopes(self.string(
                scope,
                "sso_registration_scopes",
                v,
            )?)),
            None => None,
        };
        Ok(SsoSession {
            name: Some(name.to_owned()),
            start_url: start_url.to_owned(),
            region: region.to_owned(),
            scopes,
        })
    }

    // --- helpers ---

    /// A key of a section, falling back to `[DEFAULT]` (configparser `get`).
    fn value(&self, section: usize, key: Key) -> Option<Value<'_>> {
        self.value_id(section, key.0)
    }

    fn value_id(&self, section: usize, key: KeyId) -> Option<Value<'_>> {
        self.ini
            .get_id(section, key)
            .or_else(|| self.ini.defaults.and_then(|d| self.ini.get_id(d, key)))
    }

    /// All keys of a section with `[DEFAULT]`'s under them (configparser `items`).
    fn items(&self, section: usize) -> impl Iterator<Item = (KeyId, Value<'_>)> {
        let defaults = self.ini.defaults.filter(|&d| d != section);
        defaults
            .into_iter()
            .flat_map(|d| self.ini.entries_by_id(d))
            .filter(move |&(key, _)| self.ini.get_id(section, key).is_none())
            .chain(self.ini.entries_by_id(section))
    }

    fn is_sso(&self, section: usize) -> bool {
        SSO_MARKERS
            .iter()
            .any(|&k| self.value(section, k).is_some())
    }

    fn error(&self, scope: Scope<'_>, msg: impl std::fmt::Display) -> Error {
        Error::config(format!("{scope} in {}: {msg}", self.path.display()))
    }

    /// A value that must be a plain string, not a sub-section.
    fn string<'a>(&self, scope: Scope<'_>, key: &str, v: Value<'a>) -> Result<&'a str> {
        v.as_str().ok_or_else(|| {
            self.error(
                scope,
                format!(
                    "{key} is a sub-section (indented `key = value` lines), not a single value"
                ),
            )
            .hint(format!("write it on one line: `{key} = VALUE`"))
        })
    }

    /// Present but empty: botocore accepts it and fails later with a worse message.
    fn check_not_empty(&self, scope: Scope<'_>, keys: &[&str], values: &[&str]) -> Result<()> {
        let empty: Vec<&str> = keys
            .iter()
            .zip(values)
            .filter(|(_, v)| v.is_empty())
            .map(|(k, _)| *k)
            .collect();
        if empty.is_empty() {
            return Ok(());
        }
        let what = match scope {
            Scope::Profile(p) => format!("The profile \"{p}\" is configured to use SSO but"),
            Scope::Session(_) => "the sso-session".to_owned(),
        };
        Err(self
            .error(
                scope,
                format!("{what} has empty values for: {}", empty.join(", ")),
            )
            .hint("give each of them a value"))
    }

    fn profile_not_found(&self, profile: &str) -> Error {
        let e = Error::config(format!(
            "profile \"{profile}\" not found in {}",
            self.path.display()
        ));
        if self.profiles.order.is_empty() {
            return e.hint("the file has no profiles; run `ssoenv configure` to create one");
        }
        match suggest(profile, self.profiles.names()) {
            Some(hint) => e.hint(hint),
            None => e.hint(format!(
                "run `ssoenv configure --profile {}` to create it",
                quote(profile)
            )),
        }
    }

    fn not_sso(&self, profile: &str, sec: usize) -> Error {
        let process = self
            .value(sec, Key::CREDENTIAL_PROCESS)
            .and_then(Value::as_str);
        let uses = if self.value(sec, Key::ROLE_ARN).is_some() {
            " (it assumes a role with role_arn)"
        } else if process.is_some() {
            " (it uses credential_process)"
        } else {
            ""
        };
        let e = self.error(
            Scope::Profile(profile),
            format!(
                "not an IAM Identity Center (SSO) profile{uses}: it sets none of sso_session, sso_account_id, sso_role_name, sso_start_url"
            ),
        );
        // `credential_process = ssoenv credential-process prod`: the profile
        // meant is the one it names.
        if let Some(target) = process.and_then(ssoenv_process_target) {
            return e.hint(format!(
                "its credentials come from ssoenv's profile \"{target}\": name that one (`ssoenv use {}`)",
                quote(&target)
            ));
        }
        e.hint(format!(
            "run `ssoenv configure --profile {}` to make an SSO profile (or name another: `ssoenv profiles` lists them)",
            quote(profile)
        ))
    }

    /// docs/endpoints.md#overrides steps 3–4, from botocore `ConfiguredEndpointProvider`.
    fn endpoints(&self, profile: &str, sec: usize) -> Result<ConfiguredEndpoints> {
        let scope = Scope::Profile(profile);
        // `ensure_boolean`: only the string "true", in any case.
        let ignore = self
            .value(sec, Key::IGNORE_CONFIGURED_ENDPOINT_URLS)
            .and_then(Value::as_str)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let global = match self.value(sec, Key::ENDPOINT_URL) {
            Some(v) => Some(self.string(scope, "endpoint_url", v)?.to_owned()),
            None => None,
        };
        let mut endpoints = ConfiguredEndpoints {
            global,
            ignore,
            ..ConfiguredEndpoints::default()
        };
        if let Some(v) = self.value(sec, Key::SERVICES) {
            let name = self.string(scope, "services", v)?;
            // `if not services_section`: an empty section counts as missing.
            match self
                .services
                .get(name)
                .filter(|&s| self.items(s).next().is_some())
            {
                Some(s) => {
                    let url = |service: Key| {
                        self.value(s, service)
                            .and_then(|v| v.nested_get("endpoint_url"))
                            .map(str::to_owned)
                    };
                    endpoints.sso = url(Key::SSO);
                    endpoints.sso_oidc = url(Key::SSO_OIDC);
                }
                // botocore never reads the services section when told to ignore it.
                None if ignore => {}
                None => {
                    return Err(self
                        .error(
                            scope,
                            format!(
                                "The profile is configured to use the services section but the \"{name}\" services configuration does not exist."
                            ),
                        )
                        .hint(format!("add a [services {}] section, or remove `services` from the profile", quote(name))));
                }
            }
        }
        Ok(endpoints)
    }
}

/// The most ssoenv reads of a config file; real ones are kilobytes.
pub const CONFIG_FILE_LIMIT: u64 = 16 << 20;

/// Read the config file through the one bounded reader (a regular file, at
/// most `CONFIG_FILE_LIMIT` bytes, never blocking). `/dev/null` is the
/// exception, and reads as empty, as botocore reads it: people point
/// `AWS_CONFIG_FILE` there to mean "no config".
pub fn read_config_file(path: &std::path::Path) -> std::result::Result<Vec<u8>, ReadError> {
    if is_dev_null(path) {
        return Ok(Vec::new());
    }
    crate::fs::read_bounded(path, CONFIG_FILE_LIMIT)
}

fn is_dev_null(path: &std::path::Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{FileTypeExt, MetadataExt};
        let (Ok(m), Ok(null)) = (std::fs::metadata(path), std::fs::metadata("/dev/null")) else {
            return false;
        };
        m.file_type().is_char_device() && m.rdev() == null.rdev()
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// Who an error is about.
#[derive(Clone, Copy)]
enum Scope<'a> {
    Profile(&'a str),
    Session(&'a str),
}

impl std::fmt::Display for Scope<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scope::Profile(p) => write!(f, "profile \"{p}\""),
            Scope::Session(s) => write!(f, "sso-session \"{s}\""),
        }
    }
}

/// NAME of `[profile NAME]` and friends: Python `shlex.split`, two parts or nothing.
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

fn section_name(raw: &str) -> Option<String> {
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

/// `sso_registration_scopes`: split on `,`, stripped, empty parts dropped (CLI `parse_sso_registration_scopes`).
fn split_scopes(raw: &str) -> Vec<String> {
    raw.split(',')
        .map(parse::py_trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A name as it would be typed in a shell command (for hints).
fn quote(name: &str) -> std::borrow::Cow<'_, str> {
    shell_words::quote(name)
}

fn home(env: &Env) -> Result<PathBuf> {
    crate::env::home_dir(env)
        .map_err(|e| e.hint("set HOME, or set AWS_CONFIG_FILE to the config file's path"))
}

/// Python `posixpath.expandvars`: `$NAME` (ASCII word characters) and
/// `${NAME}`; unknown variables are left as written; values are not rescanned.
fn expand_vars(raw: &str, env: &Env) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let (name, len) = if let Some(braced) = after.strip_prefix('{') {
            match braced.find('}') {
                Some(j) => (&braced[..j], j + 2),
                None => ("", 0),
            }
        } else {
            let n = after
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                .count();
            (&after[..n], n)
        };
        match env.get(name).filter(|_| len > 0) {
            Some(value) => out.push_str(value),
            None => out.push_str(&rest[i..i + 1 + len]),
        }
        rest = &after[len..];
    }
    out.push_str(rest);
    out
}

/// Python `posixpath.expanduser` for `~` and `~/…`; `~user` is left alone
/// (looking users up is not something an `Env` snapshot can do).
fn expand_user(path: &str, env: &Env) -> Result<PathBuf> {
    let Some(rest) = path.strip_prefix('~') else {
        return Ok(PathBuf::from(path));
    };
    if !(rest.is_empty() || rest.starts_with('/') || (cfg!(windows) && rest.starts_with('\\'))) {
        return Ok(PathBuf::from(path));
    }
    let home = home(env)?;
    let home = home.to_string_lossy();
    let joined = format!("{}{rest}", home.trim_end_matches('/'));
    Ok(PathBuf::from(if joined.is_empty() {
        "/".to_owned()
    } else {
        joined
    }))
}

/// `did you mean …?` for a mistyped name: close by edit distance (strsim), or one a
/// prefix of the other; the best three.
fn suggest<'a>(target: &str, names: impl Iterator<Item = &'a str>) -> Option<String> {
    let target = target.to_lowercase();
    let t: Vec<char> = target.chars().collect();
    let limit = (t.len() / 3).max(1);
    let mut close: Vec<(usize, usize, &str)> = names
        .enumerate()
        .filter_map(|(i, name)| {
            let lower = name.to_lowercase();
            let n: Vec<char> = lower.chars().collect();
            if n.is_empty() || t.is_empty() {
                return None;
            }
            // For a prefix the distance is the length difference.
            if n.starts_with(&t) || t.starts_with(&n) {
                return Some((n.len().abs_diff(t.len()), i, name));
            }
            if n.len().abs_diff(t.len()) > limit || t.len() > 256 {
                return None;
            }
            // Optimal string alignment: Levenshtein plus adjacent transpositions.
            let d = strsim::osa_distance(&target, &lower);
            (d <= limit).then_some((d, i, name))
        })
        .collect();
    if close.is_empty() {
        return None;
    }
    close.sort_unstable();
    let quoted: Vec<String> = close
        .iter()
        .take(3)
        .map(|(_, _, n)| format!("\"{}\"", crate::text::printable(n)))
        .collect();
    Some(match quoted.as_slice() {
        [one] => format!("did you mean {one}?"),
        [init @ .., last] => format!("did you mean {} or {last}?", init.join(", ")),
        [] => return None,
    })
}

#[cfg(test)]
mod tests;

/// The profile a `credential_process` that runs ssoenv itself names:
/// `ssoenv credential-process prod` (or `/usr/bin/ssoenv credential-process
/// --profile prod`) gives `prod`.
fn ssoenv_process_target(command: &str) -> Option<String> {
    let words = shell_words::split(command).ok()?;
    let (program, rest) = words.split_first()?;
    let base = program.rsplit('/').next().unwrap_or(program);
    if base != "ssoenv" || rest.first().map(String::as_str) != Some("credential-process") {
        return None;
    }
    rest[1..]
        .iter()
        .find_map(|a| match a.strip_prefix("--profile=") {
            Some(name) => Some(name.to_owned()),
            None => (!a.starts_with('-')).then(|| a.clone()),
        })
}
