//! Profiles that give credentials, typed once: an SSO profile, or a
//! role-chaining profile (`role_arn` + `source_profile`) resolved down to
//! where its chain starts (an SSO profile, or static keys in the config).
//!
//! The rules are botocore's `AssumeRoleProvider` (docs/sts-sigv4.md#role-profiles,
//! docs/config.md#credential-chain): `role_arn` wins over SSO keys in the same profile (the assume-role
//! provider comes first in the default chain); a source profile with static
//! keys, or without `role_arn`, is read by the profile providers (SSO before
//! static keys), else it chains again; a profile may name itself as its
//! source only to use its own static keys. Where botocore silently drops a
//! bad value (`duration_seconds = 1h`) ssoenv says so instead (exit 2), and
//! it refuses before any network what STS would refuse (a duration over the
//! one-hour cap of role chaining).

use super::{Config, ConfiguredEndpoints, Key, ResolvedProfile, Scope};
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::text::printable;

/// A profile ssoenv can get credentials for. Built one at a time and
/// passed by reference: the variants' sizes do not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Profile {
    /// An IAM Identity Center profile (GetRoleCredentials).
    Sso(ResolvedProfile),
    /// `role_arn` + `source_profile`: STS AssumeRole with the source's credentials.
    AssumeRole(ChainedProfile),
}

/// A role-chaining profile with its source resolved, to any depth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ChainedProfile {
    pub(crate) name: String,
    pub(crate) role_arn: String,
    /// `role_session_name` as configured; None means botocore's generated
    /// `botocore-session-<epoch>`, which the cache key leaves out (docs/caches.md#assume-role-cache).
    pub(crate) role_session_name: Option<String>,
    pub(crate) external_id: Option<String>,
    pub(crate) duration_seconds: Option<u32>,
    pub(crate) mfa_serial: Option<String>,
    /// The profile's own `region`, else its source's (for `AWS_REGION`).
    pub(crate) region: Option<String>,
    /// The profile's own `region` key only: the region botocore signs this
    /// chain's AssumeRole calls in when this is the profile being used
    /// ([`ChainedProfile::sts_region`]).
    pub(crate) own_region: Option<String>,
    /// This profile's endpoint settings (for the STS endpoint when this is
    /// the profile being used: one STS client for the whole chain).
    pub(crate) endpoints: ConfiguredEndpoints,
    pub(crate) source: RoleSource,
}

/// Where a role-chaining profile's source credentials come from.
#[derive(Debug, Clone, PartialEq, Eq)]
// One per chain, built once per command: the SSO variant's size costs nothing.
#[allow(clippy::large_enum_variant)]
pub(crate) enum RoleSource {
    Sso(ResolvedProfile),
    Role(Box<ChainedProfile>),
    Static(StaticKeys),
}

/// A role profile's own settings (`role_arn` and the AssumeRole options).
struct RoleSettings {
    role_arn: String,
    role_session_name: Option<String>,
    external_id: Option<String>,
    mfa_serial: Option<String>,
    duration_seconds: Option<u32>,
}

/// `aws_access_key_id`/`aws_secret_access_key` (and `aws_session_token`) of a
/// profile in the config file. Debug never shows the secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StaticKeys {
    pub(crate) profile: String,
    pub(crate) access_key_id: String,
    pub(crate) secret_access_key: Secret,
    pub(crate) session_token: Option<Secret>,
}

/// STS's limits on `DurationSeconds` (model constraint, docs/sts-sigv4.md#assumerole-request), and the cap
/// for a role session assuming another role (docs/sts-sigv4.md#role-chaining).
pub(crate) const MIN_DURATION: u32 = 900;
pub(crate) const MAX_DURATION: u32 = 43_200;
pub(crate) const CHAINED_MAX_DURATION: u32 = 3_600;

impl Profile {
    /// The region to export (`AWS_REGION`): the profile's, or for a chained
    /// profile its own else its source's.
    #[cfg(test)]
    pub(crate) fn region(&self) -> Option<&str> {
        match self {
            Profile::Sso(p) => p.region.as_deref(),
            Profile::AssumeRole(c) => c.region.as_deref(),
        }
    }

    /// The SSO profile the credentials finally come from (None for a chain
    /// that starts with static keys).
    pub(crate) fn sso_root(&self) -> Option<&ResolvedProfile> {
        match self {
            Profile::Sso(p) => Some(p),
            Profile::AssumeRole(c) => c.sso_root(),
        }
    }

    pub(crate) fn as_chained(&self) -> Option<&ChainedProfile> {
        match self {
            Profile::AssumeRole(c) => Some(c),
            Profile::Sso(_) => None,
        }
    }
}

impl ChainedProfile {
    /// The names from this profile to where its chain starts.
    pub(crate) fn chain(&self) -> Vec<&str> {
        let mut names = vec![self.name.as_str()];
        let mut at = &self.source;
        loop {
            match at {
                RoleSource::Role(c) => {
                    names.push(&c.name);
                    at = &c.source;
                }
                RoleSource::Sso(p) => {
                    names.push(&p.name);
                    return names;
                }
                RoleSource::Static(k) => {
                    // A profile using its own keys is not a second step.
                    if names.last() != Some(&k.profile.as_str()) {
                        names.push(&k.profile);
                    }
                    return names;
                }
            }
        }
    }

    /// `profile "a" → "b" → "c"`, escaped for a terminal.
    pub(crate) fn chain_text(&self) -> String {
        chain_text(&self.chain())
    }

    pub(crate) fn sso_root(&self) -> Option<&ResolvedProfile> {
        match &self.source {
            RoleSource::Sso(p) => Some(p),
            RoleSource::Role(c) => c.sso_root(),
            RoleSource::Static(_) => None,
        }
    }

    /// The name of the profile this one takes its source credentials from.
    pub(crate) fn source_name(&self) -> &str {
        match &self.source {
            RoleSource::Sso(p) => &p.name,
            RoleSource::Role(c) => &c.name,
            RoleSource::Static(k) => &k.profile,
        }
    }

    /// The account and role name of `role_arn`
    /// (`arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`), when it has that shape.
    pub(crate) fn arn_parts(&self) -> Option<(&str, &str)> {
        let mut parts = self.role_arn.splitn(6, ':');
        let (Some("arn"), Some(_), Some("iam"), Some(""), Some(account), Some(resource)) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        let role = resource.strip_prefix("role/")?;
        Some((account, role.rsplit('/').next().unwrap_or(role)))
    }

    /// Whether the source credentials are themselves a role session (SSO role
    /// credentials or an assumed role): AWS then caps the session at 1 hour.
    pub(crate) fn source_is_role_session(&self) -> bool {
        !matches!(self.source, RoleSource::Static(_))
    }
}

fn names(visited: &[String]) -> String {
    chain_text(&visited.iter().map(String::as_str).collect::<Vec<_>>())
}

/// `profile "a" → "b"`: each name escaped (names come from the config).
pub(crate) fn chain_text(names: &[&str]) -> String {
    let quoted: Vec<String> = names
        .iter()
        .map(|n| format!("\"{}\"", printable(n)))
        .collect();
    format!("profile {}", quoted.join(" → "))
}

impl Config {
    /// Resolve a profile ssoenv can get credentials for: an SSO profile or a
    /// role-chaining one (with its whole chain), or a clear exit-2 error.
    pub(crate) fn profile(&self, name: &str) -> Result<Profile> {
        let Some(sec) = self.profiles.get(name) else {
            return Err(self.profile_not_found(name));
        };
        self.profile_section(name, sec)
    }

    /// Every profile that gives credentials to ssoenv (SSO keys or
    /// `role_arn`), in file order, each resolved as [`Config::profile`] does.
    pub(crate) fn credential_profiles(&self) -> Vec<(String, Result<Profile>)> {
        self.profiles
            .order
            .iter()
            .filter(|&&(_, sec)| self.is_sso(sec) || self.has_role(sec))
            .map(|(name, sec)| (name.to_string(), self.profile_section(name, *sec)))
            .collect()
    }

    /// Every profile, in file order, resolved as [`Config::profile`] does.
    pub(crate) fn profile_all(&self) -> impl Iterator<Item = (&str, Result<Profile>)> {
        self.profiles
            .order
            .iter()
            .map(|(name, sec)| (&**name, self.profile_section(name, *sec)))
    }

    pub(super) fn has_role(&self, sec: usize) -> bool {
        self.value(sec, Key::ROLE_ARN).is_some()
    }

    fn profile_section(&self, name: &str, sec: usize) -> Result<Profile> {
        if self.has_role(sec) {
            let mut visited = vec![name.to_owned()];
            return self
                .chained(name, sec, &mut visited)
                .map(Profile::AssumeRole);
        }
        self.resolve_section(name, sec).map(Profile::Sso)
    }

    /// The chained profile `name` (section `sec`); `visited` holds the names
    /// from the profile the user named down to this one.
    fn chained(&self, name: &str, sec: usize, visited: &mut Vec<String>) -> Result<ChainedProfile> {
        self.refuse_web_identity(name, sec)?;
        let role_arn = self.key_text(name, sec, Key::ROLE_ARN)?.unwrap_or_default();
        let source_name = self.source_profile_name(name, sec)?;
        let role = self.role_settings(name, sec, role_arn)?;
        let source = self.role_source(name, sec, source_name, visited)?;
        let own_region = self.own_region(name, sec)?;
        let chained = ChainedProfile {
            name: name.to_owned(),
            role_arn: role.role_arn,
            role_session_name: role.role_session_name,
            external_id: role.external_id,
            duration_seconds: role.duration_seconds,
            mfa_serial: role.mfa_serial,
            region: own_region.clone().or_else(|| self.source_region(&source)),
            own_region,
            endpoints: self.endpoints(name, sec)?,
            source,
        };
        self.check_chained_duration(name, &chained)?;
        Ok(chained)
    }

    /// A key of profile `name` as text (None when absent).
    fn key_text(&self, name: &str, sec: usize, key: Key) -> Result<Option<&str>> {
        match self.value(sec, key) {
            Some(v) => Ok(Some(self.string(Scope::Profile(name), key.name(), v)?)),
            None => Ok(None),
        }
    }

    /// `web_identity_token_file`: a source ssoenv does not run.
    fn refuse_web_identity(&self, name: &str, sec: usize) -> Result<()> {
        let scope = Scope::Profile(name);
        if self.value(sec, Key::WEB_IDENTITY_TOKEN_FILE).is_some() {
            return Err(self
                .error(
                    scope,
                    "web_identity_token_file (AssumeRoleWithWebIdentity) is not supported by ssoenv",
                )
                .hint("run the AWS CLI or SDK with this profile directly, or give ssoenv a profile with source_profile naming an SSO profile"));
        }
        Ok(())
    }

    /// `source_profile`, refusing `credential_source` (with it or instead of it)
    /// and a profile with neither.
    fn source_profile_name(&self, name: &str, sec: usize) -> Result<&str> {
        let scope = Scope::Profile(name);
        let source_profile = self.key_text(name, sec, Key::SOURCE_PROFILE)?;
        let credential_source = self.key_text(name, sec, Key::CREDENTIAL_SOURCE)?;
        match (source_profile, credential_source) {
            (Some(_), Some(_)) => {
                Err(self
                    .error(
                        scope,
                        format!(
                            "The profile \"{}\" contains both source_profile and credential_source.",
                            printable(name)
                        ),
                    )
                    .hint("keep one of them: source_profile names the profile whose credentials assume the role"))
            }
            (None, Some(cs)) => {
                Err(self
                    .error(
                        scope,
                        format!(
                            "credential_source = {} is not supported by ssoenv (it takes the source credentials from the environment, EC2 or ECS)",
                            printable(cs)
                        ),
                    )
                    .hint("use source_profile = PROFILE naming an SSO profile instead, or run the AWS CLI or SDK with this profile where that source exists"))
            }
            (None, None) => {
                Err(self
                    .error(
                        scope,
                        "Partial credentials found in assume-role, missing: source_profile or credential_source",
                    )
                    .hint("add source_profile = PROFILE, naming the SSO profile whose credentials assume the role"))
            }
            (Some(s), None) => Ok(s),
        }
    }

    /// The role's own settings, each checked as STS would check it.
    fn role_settings(&self, name: &str, sec: usize, role_arn: &str) -> Result<RoleSettings> {
        let scope = Scope::Profile(name);
        let opt = |key: Key| self.key_text(name, sec, key);
        if role_arn.is_empty() {
            return Err(self
                .error(scope, "role_arn is empty")
                .hint("set role_arn = arn:aws:iam::ACCOUNT:role/NAME"));
        }
        let role_session_name = opt(Key::ROLE_SESSION_NAME)?.map(str::to_owned);
        if let Some(n) = &role_session_name {
            check_pattern(n, 2, 64, "+=,.@-").map_err(|why| {
                self.error(
                    scope,
                    format!("role_session_name = {} {why}", printable(n)),
                )
                .hint("use 2 to 64 letters, digits and +=,.@_- (or remove it to let ssoenv generate one)")
            })?;
        }
        let external_id = opt(Key::EXTERNAL_ID)?.map(str::to_owned);
        if let Some(x) = &external_id {
            check_pattern(x, 2, 1224, "+=,.@:/-").map_err(|why| {
                self.error(scope, format!("external_id {why}"))
                    .hint("use 2 to 1224 letters, digits and +=,.@:/_- as the role's trust policy expects")
            })?;
        }
        let mfa_serial = opt(Key::MFA_SERIAL)?
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        let duration_seconds = match opt(Key::DURATION_SECONDS)? {
            None => None,
            Some(raw) => Some(
                raw.trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|d| (MIN_DURATION..=MAX_DURATION).contains(d))
                    .ok_or_else(|| {
                        self.error(
                            scope,
                            format!(
                                "duration_seconds = {} is not a number of seconds from {MIN_DURATION} to {MAX_DURATION}",
                                printable(raw)
                            ),
                        )
                        .hint(format!(
                            "set duration_seconds to a whole number of seconds (at most {CHAINED_MAX_DURATION} when the source is an SSO profile or another role), or remove it for the role's default of one hour"
                        ))
                    })?,
            ),
        };

        Ok(RoleSettings {
            role_arn: role_arn.to_owned(),
            role_session_name,
            external_id,
            mfa_serial,
            duration_seconds,
        })
    }

    /// The source, as botocore `_resolve_credentials_from_profile`: the
    /// profile's own static keys, another role, an SSO profile or static keys.
    fn role_source(
        &self,
        name: &str,
        sec: usize,
        source_name: &str,
        visited: &mut Vec<String>,
    ) -> Result<RoleSource> {
        if source_name == name {
            // Only a profile's own static keys may be its source.
            match self.static_keys(name, sec)? {
                Some(keys) => Ok(RoleSource::Static(keys)),
                None => {
                    visited.push(name.to_owned());
                    Err(self.chain_error(&names(visited), "source_profile names the profile itself, which has no static keys (aws_access_key_id) to start from")
                        .hint("set source_profile to the SSO profile whose credentials assume the role"))
                }
            }
        } else {
            let seen = visited.iter().any(|v| v == source_name);
            visited.push(source_name.to_owned());
            if seen {
                return Err(self
                    .chain_error(&names(visited), "source_profile forms a loop")
                    .hint("make the last profile of the chain an SSO profile (sso_session, sso_account_id, sso_role_name)"));
            }
            let Some(ssec) = self.profiles.get(source_name) else {
                let missing = self.profile_not_found(source_name);
                let e = self.chain_error(
                    &names(visited),
                    format!(
                        "source profile \"{}\" does not exist",
                        printable(source_name)
                    ),
                );
                return Err(match missing.hint {
                    Some(h) => e.hint(h),
                    None => e,
                });
            };
            let has_static = self.value(ssec, Key::AWS_ACCESS_KEY_ID).is_some()
                || self.value(ssec, Key::AWS_SECRET_ACCESS_KEY).is_some();
            if self.has_role(ssec) && !has_static {
                Ok(RoleSource::Role(Box::new(self.chained(
                    source_name,
                    ssec,
                    visited,
                )?)))
            } else if self.is_sso(ssec) {
                let chain = names(visited);
                Ok(RoleSource::Sso(
                    self.resolve_section(source_name, ssec)
                        .map_err(|e| self.in_chain(&chain, source_name, e))?,
                ))
            } else if let Some(keys) = self.static_keys(source_name, ssec)? {
                Ok(RoleSource::Static(keys))
            } else {
                let uses = if self.value(ssec, Key::CREDENTIAL_PROCESS).is_some() {
                    "uses credential_process, which ssoenv does not run"
                } else {
                    "has no credentials ssoenv can use (no SSO settings, no static keys, no role_arn)"
                };
                Err(self
                    .chain_error(
                        &names(visited),
                        format!("the source profile \"{}\" {uses}", printable(source_name)),
                    )
                    .hint(
                        "set source_profile to an SSO profile (run `ssoenv profiles` to list them)",
                    ))
            }
        }
    }

    /// The profile's own `region` key.
    fn own_region(&self, name: &str, sec: usize) -> Result<Option<String>> {
        let scope = Scope::Profile(name);
        Ok(match self.value(sec, Key::REGION) {
            Some(v) => Some(self.string(scope, "region", v)?)
                .filter(|r| !r.is_empty())
                .map(str::to_owned),
            None => None,
        })
    }

    /// The region a chained profile without its own inherits from its source.
    fn source_region(&self, source: &RoleSource) -> Option<String> {
        match source {
            RoleSource::Sso(p) => p.region.clone(),
            RoleSource::Role(c) => c.region.clone(),
            RoleSource::Static(k) => self
                .profiles
                .get(&k.profile)
                .and_then(|s| self.value(s, Key::REGION))
                .and_then(|v| v.as_str())
                .filter(|r| !r.is_empty())
                .map(str::to_owned),
        }
    }

    /// AWS caps a role session assuming another role at one hour: refused
    /// before any network.
    fn check_chained_duration(&self, name: &str, chained: &ChainedProfile) -> Result<()> {
        let scope = Scope::Profile(name);
        if let Some(d) = chained.duration_seconds
            && d > CHAINED_MAX_DURATION
            && chained.source_is_role_session()
        {
            return Err(self
                .error(
                    scope,
                    format!(
                        "AWS caps role-chaining sessions at 1 hour (duration_seconds = {d} in profile \"{}\")",
                        printable(name)
                    ),
                )
                .cause(format!(
                    "the source credentials ({}) are a role session, and STS refuses more than {CHAINED_MAX_DURATION} seconds for them",
                    chained.chain_text()
                ))
                .hint(format!(
                    "set duration_seconds = {CHAINED_MAX_DURATION} (or less) in profile \"{}\", or remove it",
                    printable(name)
                )));
        }
        Ok(())
    }

    /// A profile's static keys from the config file: both or an error, None
    /// when it has neither.
    fn static_keys(&self, name: &str, sec: usize) -> Result<Option<StaticKeys>> {
        let scope = Scope::Profile(name);
        let get = |key: Key| -> Result<Option<&str>> {
            match self.value(sec, key) {
                Some(v) => Ok(Some(self.string(scope, key.name(), v)?).filter(|s| !s.is_empty())),
                None => Ok(None),
            }
        };
        match (
            get(Key::AWS_ACCESS_KEY_ID)?,
            get(Key::AWS_SECRET_ACCESS_KEY)?,
        ) {
            (None, None) => Ok(None),
            (Some(id), Some(secret)) => Ok(Some(StaticKeys {
                profile: name.to_owned(),
                access_key_id: id.to_owned(),
                secret_access_key: Secret::from(secret),
                session_token: get(Key::AWS_SESSION_TOKEN)?.map(Secret::from),
            })),
            (id, _) => Err(self
                .error(
                    scope,
                    format!(
                        "Partial credentials found in config-file, missing: {}",
                        if id.is_none() {
                            "aws_access_key_id"
                        } else {
                            "aws_secret_access_key"
                        }
                    ),
                )
                .hint("give both aws_access_key_id and aws_secret_access_key, or neither")),
        }
    }

    /// An error about a whole chain: `profile "a" → "b" in PATH: msg`.
    fn chain_error(&self, chain: &str, msg: impl std::fmt::Display) -> Error {
        Error::config(format!("{chain} in {}: {msg}", self.path.display()))
    }

    /// The error of a source profile, told as part of the chain.
    fn in_chain(&self, chain: &str, source: &str, mut e: Error) -> Error {
        let own = format!("{} in {}: ", Scope::Profile(source), self.path.display());
        let rest = e
            .message
            .strip_prefix(&own)
            .unwrap_or(&e.message)
            .to_owned();
        e.message = format!("{chain} in {}: {rest}", self.path.display());
        e
    }
}

/// `[\w+=,.@-]*`-style STS constraints: length in `min..=max`, ASCII letters,
/// digits, `_` and `extra`. The reason, when not.
fn check_pattern(s: &str, min: usize, max: usize, extra: &str) -> std::result::Result<(), String> {
    let n = s.chars().count();
    if n < min || n > max {
        return Err(format!(
            "is {n} characters long; STS accepts {min} to {max}"
        ));
    }
    match s
        .chars()
        .find(|&c| !(c.is_ascii_alphanumeric() || c == '_' || extra.contains(c)))
    {
        Some(c) => Err(format!(
            "has the character {}, which STS refuses",
            printable(&format!("{c:?}"))
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    const PATH: &str = "/home/u/.aws/config";
    const BASE: &str = "\
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-2

[profile sso]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Admin
region = eu-west-1

[profile one]
role_arn = arn:aws:iam::123456789012:role/one
source_profile = sso

[profile two]
role_arn = arn:aws:iam::123456789012:role/two
source_profile = one
role_session_name = alice
external_id = ext-123
duration_seconds = 1800
mfa_serial = arn:aws:iam::111122223333:mfa/alice
region = us-west-2
";

    fn cfg(extra: &str) -> Config {
        Config::parse(PathBuf::from(PATH), &format!("{BASE}\n{extra}")).unwrap()
    }

    fn err(extra: &str, name: &str) -> Error {
        cfg(extra).profile(name).expect_err("should not resolve")
    }

    #[test]
    fn a_one_level_chain_resolves_to_its_sso_source_and_inherits_its_region() {
        let p = cfg("").profile("one").unwrap();
        let c = p.as_chained().unwrap();
        assert_eq!(c.role_arn, "arn:aws:iam::123456789012:role/one");
        assert_eq!(c.role_session_name, None);
        assert_eq!(c.duration_seconds, None);
        assert_eq!(p.region(), Some("eu-west-1"));
        assert_eq!(c.chain(), ["one", "sso"]);
        assert_eq!(p.sso_root().unwrap().account_id, "111122223333");
        assert!(c.source_is_role_session());
    }

    #[test]
    fn a_two_level_chain_keeps_every_key_and_its_own_region() {
        let p = cfg("").profile("two").unwrap();
        let c = p.as_chained().unwrap();
        assert_eq!(c.chain(), ["two", "one", "sso"]);
        assert_eq!(c.chain_text(), "profile \"two\" → \"one\" → \"sso\"");
        assert_eq!(c.role_session_name.as_deref(), Some("alice"));
        assert_eq!(c.external_id.as_deref(), Some("ext-123"));
        assert_eq!(c.duration_seconds, Some(1800));
        assert_eq!(
            c.mfa_serial.as_deref(),
            Some("arn:aws:iam::111122223333:mfa/alice")
        );
        assert_eq!(p.region(), Some("us-west-2"));
        assert!(matches!(&c.source, RoleSource::Role(one) if one.name == "one"));
    }

    #[test]
    fn the_role_arn_gives_the_account_and_the_role_name_without_its_path() {
        let c = cfg("[profile p]\nrole_arn = arn:aws-cn:iam::210987654321:role/team/Deploy\nsource_profile = sso\n")
            .profile("p")
            .unwrap();
        let c = c.as_chained().unwrap();
        assert_eq!(c.arn_parts(), Some(("210987654321", "Deploy")));
        assert_eq!(c.source_name(), "sso");
        let odd = cfg("[profile p]\nrole_arn = not-an-arn\nsource_profile = sso\n");
        assert_eq!(
            odd.profile("p").unwrap().as_chained().unwrap().arn_parts(),
            None
        );
    }

    #[test]
    fn an_sso_profile_is_still_an_sso_profile() {
        let p = cfg("").profile("sso").unwrap();
        assert_eq!(p, Profile::Sso(cfg("").resolve("sso").unwrap()));
    }

    #[test]
    fn role_arn_wins_over_sso_keys_in_the_same_profile_as_in_botocore() {
        let p = cfg("[profile both]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = sso\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n")
            .profile("both")
            .unwrap();
        assert!(p.as_chained().is_some());
    }

    #[test]
    fn a_loop_is_refused_naming_the_whole_chain() {
        let e = err(
            "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n\
             [profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n",
            "a",
        );
        assert_eq!(e.exit_code(), 2);
        assert_eq!(
            e.message,
            format!("profile \"a\" → \"b\" → \"a\" in {PATH}: source_profile forms a loop")
        );
    }

    #[test]
    fn a_profile_naming_itself_without_static_keys_is_refused() {
        let e = err(
            "[profile me]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = me\n",
            "me",
        );
        assert!(
            e.message.starts_with("profile \"me\" → \"me\" in"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_profile_may_name_itself_to_use_its_own_static_keys() {
        let p = cfg("[profile me]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = me\naws_access_key_id = AKIA\naws_secret_access_key = s\nduration_seconds = 7200\n")
            .profile("me")
            .unwrap();
        let c = p.as_chained().unwrap();
        assert!(matches!(&c.source, RoleSource::Static(k) if k.access_key_id == "AKIA"));
        assert_eq!(c.chain(), ["me"]);
        // An IAM user's keys are not a role session: no one-hour cap.
        assert_eq!(c.duration_seconds, Some(7200));
        assert!(
            !format!("{p:?}").contains("aws_secret"),
            "no secret in Debug"
        );
        assert!(!format!("{c:?}").contains("\"s\""), "no secret in Debug");
    }

    #[test]
    fn a_missing_source_is_refused_naming_the_chain_and_suggesting_a_name() {
        let e = err(
            "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = one-\n",
            "a",
        );
        assert_eq!(
            e.message,
            format!("profile \"a\" → \"one-\" in {PATH}: source profile \"one-\" does not exist")
        );
        assert_eq!(e.hint.as_deref(), Some("did you mean \"one\"?"));
    }

    #[test]
    fn a_broken_sso_source_is_told_as_part_of_the_chain() {
        let e = err(
            "[profile broken]\nsso_session = nope\nsso_account_id = 1\nsso_role_name = R\n\
             [profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = broken\n",
            "a",
        );
        assert_eq!(
            e.message,
            format!(
                "profile \"a\" → \"broken\" in {PATH}: The specified sso-session does not exist: \"nope\""
            )
        );
    }

    #[test]
    fn source_profile_with_credential_source_gives_botocores_message() {
        let e = err(
            "[profile x]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = sso\ncredential_source = Environment\n",
            "x",
        );
        assert_eq!(e.exit_code(), 2);
        assert!(
            e.message
                .ends_with("The profile \"x\" contains both source_profile and credential_source.")
        );
    }

    #[test]
    fn credential_source_and_web_identity_are_not_supported_and_say_what_to_use() {
        let e = err(
            "[profile x]\nrole_arn = arn:aws:iam::1:role/a\ncredential_source = Ec2InstanceMetadata\n",
            "x",
        );
        assert!(
            e.message
                .contains("credential_source = Ec2InstanceMetadata is not supported by ssoenv")
        );
        assert!(e.hint.unwrap().contains("source_profile"));
        let e = err(
            "[profile x]\nrole_arn = arn:aws:iam::1:role/a\nweb_identity_token_file = /t\n",
            "x",
        );
        assert!(e.message.contains("web_identity_token_file"));
        assert!(e.message.contains("not supported by ssoenv"));
        let e = err("[profile x]\nrole_arn = arn:aws:iam::1:role/a\n", "x");
        assert!(e.message.ends_with(
            "Partial credentials found in assume-role, missing: source_profile or credential_source"
        ));
    }

    #[test]
    fn duration_seconds_must_be_a_number_in_range_and_at_most_an_hour_when_chained() {
        let with = |d: &str| {
            format!(
                "[profile x]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = sso\nduration_seconds = {d}\n"
            )
        };
        for bad in ["1h", "899", "43201", "-5", ""] {
            let e = err(&with(bad), "x");
            assert_eq!(e.exit_code(), 2);
            assert!(
                e.message
                    .contains("is not a number of seconds from 900 to 43200"),
                "{bad}: {}",
                e.message
            );
        }
        let e = err(&with("7200"), "x");
        assert!(e.message.ends_with(
            "AWS caps role-chaining sessions at 1 hour (duration_seconds = 7200 in profile \"x\")"
        ), "{}", e.message);
        assert_eq!(
            cfg(&with("3600"))
                .profile("x")
                .unwrap()
                .as_chained()
                .unwrap()
                .duration_seconds,
            Some(3600)
        );
    }

    #[test]
    fn session_names_and_external_ids_sts_would_refuse_are_refused_first() {
        for (key, value) in [
            ("role_session_name", "a"),
            ("role_session_name", "has space"),
            ("external_id", "x"),
            ("external_id", "semi;colon"),
        ] {
            let e = err(
                &format!(
                    "[profile x]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = sso\n{key} = {value}\n"
                ),
                "x",
            );
            assert_eq!(e.exit_code(), 2);
            assert!(e.message.contains(key), "{}", e.message);
        }
    }

    #[test]
    fn hostile_profile_names_in_a_chain_are_shown_escaped() {
        let e = err(
            "[profile \"a\x1b]0;x\x07\"]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\x07c\n",
            "a\x1b]0;x\x07",
        );
        assert!(
            !e.message.contains('\x1b') && !e.message.contains('\x07'),
            "{:?}",
            e.message
        );
        assert!(
            e.message
                .contains("profile \"a\\e]0;x\\x07\" → \"b\\x07c\""),
            "{}",
            e.message
        );
    }

    #[test]
    fn listings_include_chained_profiles_in_file_order() {
        let c = cfg("[profile static]\naws_access_key_id = A\n");
        let names: Vec<String> = c
            .credential_profiles()
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(names, ["sso", "one", "two"]);
        let all: Vec<&str> = c.profile_all().map(|(n, _)| n).collect();
        assert_eq!(all, ["sso", "one", "two", "static"]);
    }
}
