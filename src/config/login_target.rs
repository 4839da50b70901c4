//! The SSO session a profile logs in with. `aws sso login --profile P` needs
//! only the session (or the legacy start URL and region), not the account and
//! role, so `ssoenv login`/`logout` accept such profiles too.

use super::{Config, ConfiguredEndpoints, Key, Scope, SsoSession};
use crate::error::Result;

impl Config {
    pub fn profile_session(&self, profile: &str) -> Result<(SsoSession, ConfiguredEndpoints)> {
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
