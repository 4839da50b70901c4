//! The variables a session sets, as `(name, Some(value) | None)` changes
//! (design: direnv's export contract), shared by `use`, `exec` and the prompt.

use crate::aws::credentials::Credentials;
use crate::env::{self, Env};
use crate::error::{Error, Result};
use crate::shell::Change;

/// `SSOENV_EXPORT_AWS_PROFILE`: whether `use` and `exec` set AWS_PROFILE.
/// Unset or empty: yes (the AWS CLI reads the profile's other settings
/// through it). `1`/`true`/`yes`/`on` yes, `0`/`false`/`no`/`off` no (any
/// case, as SSOENV_INTERACTIVE); anything else is a usage error naming the
/// variable, so a typo never silently keeps the profile the JS SDK prefers
/// over the keys.
pub(crate) fn export_aws_profile(env: &Env) -> Result<bool> {
    let Some(raw) = env.non_empty(env::SSOENV_EXPORT_AWS_PROFILE) else {
        return Ok(true);
    };
    match env.switch(env::SSOENV_EXPORT_AWS_PROFILE) {
        Some(on) => Ok(on),
        None => Err(Error::config(format!(
            "{} is \"{}\", which is neither on (1) nor off (0)",
            env::SSOENV_EXPORT_AWS_PROFILE,
            crate::text::printable(raw)
        ))
        .hint(format!(
            "set {0}=0 to leave AWS_PROFILE unset (for Node.js tools), {0}=1 or unset it to export it",
            env::SSOENV_EXPORT_AWS_PROFILE
        ))),
    }
}

/// The changes for one profile's credentials. A region is exported as both
/// AWS_REGION (CLI v2) and AWS_DEFAULT_REGION (boto3); with none known both
/// are removed so a previous profile's region never leaks (docs/environment.md#region-and-profile).
/// AWS_SECURITY_TOKEN is removed: botocore reads it before AWS_SESSION_TOKEN.
/// SSOENV_RENEWABLE is `1` when `renewable` (the token has refresh material),
/// else removed. AWS_PROFILE is set when `export_profile`
/// ([`export_aws_profile`]), else removed: the JS SDK's default chain then
/// takes the keys; SSOENV_PROFILE names the profile either way.
pub(crate) fn session_changes(
    profile: &str,
    creds: &Credentials,
    region: Option<&str>,
    renewable: bool,
    export_profile: bool,
) -> Vec<Change> {
    let set = |n: &str, v: &str| (n.to_owned(), Some(v.to_owned()));
    let unset = |n: &str| (n.to_owned(), None);
    let region_change = |n: &str| match region {
        Some(r) => set(n, r),
        None => unset(n),
    };
    vec![
        if export_profile {
            set(env::AWS_PROFILE, profile)
        } else {
            unset(env::AWS_PROFILE)
        },
        set(env::AWS_ACCESS_KEY_ID, &creds.access_key_id),
        set(env::AWS_SECRET_ACCESS_KEY, creds.secret_access_key.expose()),
        set(env::AWS_SESSION_TOKEN, creds.session_token.expose()),
        unset(env::AWS_SECURITY_TOKEN),
        set(
            env::AWS_CREDENTIAL_EXPIRATION,
            &crate::cache::format_timestamp(creds.expiration),
        ),
        region_change(env::AWS_REGION),
        region_change(env::AWS_DEFAULT_REGION),
        set(env::SSOENV_PROFILE, profile),
        set(
            env::SSOENV_EXPIRATION,
            &creds.expiration.unix_timestamp().to_string(),
        ),
        if renewable {
            set(env::SSOENV_RENEWABLE, "1")
        } else {
            unset(env::SSOENV_RENEWABLE)
        },
    ]
}

/// The changes `exec --server` makes for its child: the container endpoint
/// and its token, the region and SSOENV_PROFILE; every variable that would
/// come before the container provider in an SDK's chain is removed.
pub(crate) fn server_changes(
    profile: &str,
    url: &str,
    token: &str,
    region: Option<&str>,
) -> Vec<Change> {
    let set = |n: &str, v: &str| (n.to_owned(), Some(v.to_owned()));
    let mut out: Vec<Change> = env::SERVER_REMOVED_VARS
        .iter()
        .map(|n| ((*n).to_owned(), None))
        .collect();
    out.push(set(env::AWS_CONTAINER_CREDENTIALS_FULL_URI, url));
    out.push(set(env::AWS_CONTAINER_AUTHORIZATION_TOKEN, token));
    for n in [env::AWS_REGION, env::AWS_DEFAULT_REGION] {
        out.push((n.to_owned(), region.map(str::to_owned)));
    }
    out.push(set(env::SSOENV_PROFILE, profile));
    out
}

/// The changes `unset` makes: every variable `use` touches.
pub(crate) fn unset_changes() -> Vec<Change> {
    env::SESSION_VARS
        .iter()
        .map(|n| ((*n).to_owned(), None))
        .collect()
}

#[cfg(feature = "emulator")]
/// Whether a change carries a secret (masked in the demo, never logged).
pub(crate) fn is_secret(name: &str) -> bool {
    matches!(name, env::AWS_SECRET_ACCESS_KEY | env::AWS_SESSION_TOKEN)
}
