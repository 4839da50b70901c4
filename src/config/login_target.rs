//! The SSO session a profile logs in with. `aws sso login --profile P` needs
//! only the session (or the legacy start URL and region), not the account and
//! role, so `ssoenv login`/`logout` accept such profiles too. A
//! role-chaining profile logs in with the SSO profile its chain starts from.

use super::{Config, ConfiguredEndpoints, Key, Scope, SsoSession};
use crate::error::{Error, Result};

impl Config {
    pub(crate) fn profile_session(
        &self,
        profile: &str,
    ) -> Result<(SsoSession, ConfiguredEndpoints)> {
        if let Some(sec) = self.profiles.get(profile)
            && self.has_role(sec)
        {
            let p = self.profile(profile)?;
            return match p.sso_root() {
                Some(root) => Ok((root.sso.clone(), root.endpoints.clone())),
                None => Err(Error::config(format!(
                    "{} in {}: starts from static keys, not an SSO session; there is nothing to log in to",
                    p.as_chained().map(|c| c.chain_text()).unwrap_or_default(),
                    self.path.display()
                ))
                .hint("ssoenv use and exec assume its role with those keys directly")),
            };
        }
        let err = match self.resolve(profile) {
            Ok(p) => return Ok((p.sso, p.endpoints)),
            Err(e) => e,
        };
        let Some(sec) = self.profiles.get(profile) else {
            return Err(err);
        };
        // Fall back only when what is missing is the account or the role.
        let lacks_role = self.value(sec, Key::SSO_ACCOUNT_ID).is_none()
            || self.value(sec, Key::SSO_ROLE_NAME).is_none();
        if !lacks_role {
            return Err(err);
        }
        let scope = Scope::Profile(profile);
        if let Some(v) = self.value(sec, Key::SSO_SESSION) {
            let name = self.string(scope, "sso_session", v)?;
            return Ok((self.sso_session(name)?, self.endpoints(profile, sec)?));
        }
        match (
            self.value(sec, Key::SSO_START_URL),
            self.value(sec, Key::SSO_REGION),
        ) {
            (Some(u), Some(r)) => Ok((
                SsoSession {
                    name: None,
                    start_url: self.string(scope, "sso_start_url", u)?.to_owned(),
                    region: self.string(scope, "sso_region", r)?.to_owned(),
                    scopes: None,
                },
                self.endpoints(profile, sec)?,
            )),
            _ => Err(err),
        }
    }
}

impl Config {
    /// The endpoints a login by session name (`--sso-session NAME`, and
    /// `configure` or `populate` for that session) uses: those its profiles
    /// configure (`services`, `endpoint_url`) when every profile naming the
    /// session agrees, so a pasted `ssoenv emulator` snippet works with no
    /// exports. botocore's `aws sso login --sso-session` takes the current
    /// profile's instead; ssoenv's reading reaches the same endpoints for a
    /// config whose profiles share them, and no surprise where they differ
    /// (then none apply, as with no profile).
    pub(crate) fn session_endpoints(&self, session: &str) -> ConfiguredEndpoints {
        let mut found: Option<ConfiguredEndpoints> = None;
        for (name, sec) in &self.profiles.order {
            let uses = self
                .value(*sec, Key::SSO_SESSION)
                .and_then(super::Value::as_str)
                .is_some_and(|s| s == session);
            if !uses {
                continue;
            }
            let Ok(endpoints) = self.endpoints(name, *sec) else {
                return ConfiguredEndpoints::default();
            };
            match &found {
                Some(f) if *f != endpoints => return ConfiguredEndpoints::default(),
                Some(_) => {}
                None => found = Some(endpoints),
            }
        }
        found.unwrap_or_default()
    }
}
