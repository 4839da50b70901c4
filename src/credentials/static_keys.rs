//! The static-keys base source: `aws_access_key_id`/`aws_secret_access_key`
//! (and `aws_session_token`) of a profile in the config file, where a
//! role chain may start. Nothing to cache, lock or fetch: the keys are used
//! as they are, only to sign the first AssumeRole.

use super::Credentials;
use super::plan::{Finding, Role, Run, Step};
use crate::config::{ConfiguredEndpoints, StaticKeys};
use crate::env::Env;
use crate::error::Result;
use std::path::Path;
use time::OffsetDateTime;

/// Keys in the config have no endpoints of their own (a chain's are its
/// profile's).
const NO_ENDPOINTS: ConfiguredEndpoints = ConfiguredEndpoints {
    sso: None,
    sso_oidc: None,
    sts: None,
    signin: None,
    global: None,
    ignore: false,
};

pub(super) struct StaticSource {
    keys: StaticKeys,
}

impl StaticSource {
    pub(super) fn new(keys: StaticKeys) -> StaticSource {
        StaticSource { keys }
    }

    fn credentials(&self) -> Credentials {
        let k = &self.keys;
        Credentials {
            access_key_id: k.access_key_id.clone(),
            secret_access_key: k.secret_access_key.clone(),
            session_token: k.session_token.clone().unwrap_or_default(),
            // Long-term keys do not expire; only the signature uses them.
            expiration: OffsetDateTime::UNIX_EPOCH,
        }
    }
}

impl Step for StaticSource {
    type Prepared = ();
    type Fetched = Credentials;

    fn name(&self) -> &str {
        &self.keys.profile
    }

    fn region(&self) -> Option<&str> {
        None
    }

    fn endpoints(&self) -> &ConfiguredEndpoints {
        &NO_ENDPOINTS
    }

    fn kind(&self) -> &'static str {
        "static"
    }

    fn role(&self) -> Role<'_> {
        Role::default()
    }

    fn reuse(&self, _home: &Path, _now: OffsetDateTime) -> Option<Credentials> {
        Some(self.credentials())
    }

    fn cached(&self, _home: &Path) -> Option<Credentials> {
        None
    }

    #[cfg(any(test, feature = "emulator"))]
    fn cache_path(&self, _home: &Path) -> Option<std::path::PathBuf> {
        None
    }

    fn lock(&self) -> Option<(String, &'static str)> {
        None
    }

    fn prepare(&self, _run: &Run) -> Result<()> {
        Ok(())
    }

    fn fetch(&self, _run: &Run, _: (), _source: Option<Credentials>) -> Result<Credentials> {
        Ok(self.credentials())
    }

    fn save(&self, _home: &Path, c: Credentials) -> Result<Credentials> {
        Ok(c)
    }

    fn unattended(&self, _home: &Path, _now: OffsetDateTime) -> bool {
        true
    }

    fn renewable(&self, _env: &Env) -> bool {
        true
    }

    /// An IAM user's long-term keys: not a role session.
    fn gives_role_session(&self) -> bool {
        false
    }

    fn diagnose(
        &self,
        _from: &str,
        _chain: &str,
        _home: Option<&Path>,
        _now: OffsetDateTime,
    ) -> Vec<Finding> {
        Vec::new()
    }
}
