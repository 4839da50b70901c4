//! IAM Identity Center profiles and sessions: botocore's `SSOProvider` rules
//! (`_load_sso_config`, `_resolve_sso_session_reference`) from a profile's
//! section and its `[sso-session NAME]` into a `ResolvedProfile`, and the
//! endpoint settings of `[services NAME]` (docs/endpoints.md#overrides).

use super::parse::Value;
use super::{Config, Key, Scope, quote, suggest};
use crate::error::{Error, Result};

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
    pub(crate) fn same_as(&self, other: &SsoSession) -> bool {
        match (&self.name, &other.name) {
            (Some(x), Some(y)) => x == y,
            (None, None) => self.start_url == other.start_url,
            _ => false,
        }
    }

    /// A session on the usual test start URL in us-east-1; `name` None is a
    /// legacy profile's.
    #[cfg(test)]
    pub(crate) fn example(name: Option<&str>) -> SsoSession {
        SsoSession {
            name: name.map(str::to_owned),
            start_url: "https://d-1234567890.awsapps.com/start".into(),
            region: "us-east-1".into(),
            scopes: None,
        }
    }
}

/// Endpoint settings that come from the config file (docs/endpoints.md#overrides, steps 3–4).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ConfiguredEndpoints {
    /// `[services X]` → `sso =` sub-section `endpoint_url`.
    pub(crate) sso: Option<String>,
    /// `[services X]` → `sso_oidc =` sub-section `endpoint_url`.
    pub(crate) sso_oidc: Option<String>,
    /// `[services X]` → `sts =` sub-section `endpoint_url`.
    pub(crate) sts: Option<String>,
    /// `[services X]` → `signin =` sub-section `endpoint_url` (ssoenv's own:
    /// the SDKs have no sign-in service, and ignore the key).
    pub(crate) signin: Option<String>,
    /// The profile's global `endpoint_url`.
    pub(crate) global: Option<String>,
    /// `ignore_configured_endpoint_urls = true` in the profile.
    pub(crate) ignore: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ResolvedProfile {
    pub(crate) name: String,
    pub(crate) sso: SsoSession,
    pub(crate) account_id: String,
    pub(crate) role_name: String,
    /// The profile's `region`, if any.
    pub(crate) region: Option<String>,
    pub(crate) endpoints: ConfiguredEndpoints,
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
    /// Every SSO session the config uses: the sso-sessions that resolve, in
    /// order, then the legacy start URLs of resolving profiles, once each.
    pub(crate) fn sessions_in_use(&self) -> Vec<SsoSession> {
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

    /// Every profile with any SSO key (`sso_account_id`, `sso_role_name`,
    /// `sso_session`, `sso_start_url`), in file order, each resolved.
    pub(crate) fn sso_profiles(&self) -> Vec<(String, Result<ResolvedProfile>)> {
        self.profiles
            .order
            .iter()
            .filter(|&&(_, section)| self.is_sso(section))
            .map(|(name, section)| (name.to_string(), self.resolve_section(name, *section)))
            .collect()
    }

    /// Resolve one profile into a validated ResolvedProfile, or a clear exit-2 error.
    pub(crate) fn resolve(&self, profile: &str) -> Result<ResolvedProfile> {
        let Some(sec) = self.profiles.get(profile) else {
            return Err(self.profile_not_found(profile));
        };
        self.resolve_section(profile, sec)
    }

    /// Every profile, in file order, resolved as `resolve` does.
    #[cfg(test)]
    pub(crate) fn resolve_all(&self) -> impl Iterator<Item = (&str, Result<ResolvedProfile>)> {
        self.profiles
            .order
            .iter()
            .map(|(name, sec)| (&**name, self.resolve_section(name, *sec)))
    }

    pub(super) fn resolve_section(&self, profile: &str, sec: usize) -> Result<ResolvedProfile> {
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
    pub(crate) fn sso_session(&self, name: &str) -> Result<SsoSession> {
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

    pub(super) fn is_sso(&self, section: usize) -> bool {
        SSO_MARKERS
            .iter()
            .any(|&k| self.value(section, k).is_some())
    }

    /// docs/endpoints.md#overrides steps 3–4, from botocore `ConfiguredEndpointProvider`.
    pub(super) fn endpoints(&self, profile: &str, sec: usize) -> Result<ConfiguredEndpoints> {
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
                    endpoints.sts = url(Key::STS);
                    endpoints.signin = url(Key::SIGNIN);
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

/// `sso_registration_scopes`: split on `,`, stripped, empty parts dropped (CLI `parse_sso_registration_scopes`).
pub(super) fn split_scopes(raw: &str) -> Vec<String> {
    raw.split(',')
        .map(super::parse::py_trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}
