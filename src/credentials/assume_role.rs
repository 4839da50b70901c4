//! A role step: `role_arn` (+ `source_profile`) of a profile, assumed with
//! STS AssumeRole and the credentials of the step below it (SSO role
//! credentials, the previous role of the chain, or static keys). Cached in
//! the shared assume-role cache of the AWS CLI (`~/.aws/cli/cache`,
//! docs/caches.md#assume-role-cache), reused with more than 15 minutes left;
//! fetched under a lock named after the cache key, so two shells make one
//! AssumeRole, and cached for the CLI and botocore to reuse.

use super::Credentials;
use super::plan::{Finding, Role, Run, Step};
use crate::aws::http::HttpError;
use crate::aws::sts::{AssumeRoleOutput, AssumeRoleRequest, Sts};
use crate::cache::{self, assume_role};
use crate::config::{CHAINED_MAX_DURATION, ChainedProfile, ConfiguredEndpoints, RoleSource};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::login::interaction::Refusal;
use crate::login::{Interaction, LoginOptions, unreachable_error};
use crate::text::printable;
use std::path::Path;
use time::OffsetDateTime;

/// One profile's role of a chain, without its source (the plan holds the
/// step below).
pub(super) struct RoleStep {
    name: String,
    role_arn: String,
    /// `role_session_name` as configured; None means botocore's generated
    /// `botocore-session-<epoch>`, which the cache key leaves out.
    role_session_name: Option<String>,
    external_id: Option<String>,
    duration_seconds: Option<u32>,
    mfa_serial: Option<String>,
    /// The account and role name of `role_arn`, when it has that shape.
    arn_parts: Option<(String, String)>,
    /// The profile its source credentials come from.
    source_name: String,
    /// That profile, when the source is its static keys (what to check when
    /// STS refuses them).
    source_keys: Option<String>,
    /// The region to export: the profile's own `region`, else its source's.
    region: Option<String>,
    /// The profile's own `region` key only: where the chain's AssumeRole
    /// calls are signed when this is the profile used.
    own_region: Option<String>,
    endpoints: ConfiguredEndpoints,
}

impl RoleStep {
    /// The step of `c`, and `c`'s source (the step or base below it).
    pub(super) fn new(c: ChainedProfile) -> (RoleStep, RoleSource) {
        let source_keys = match &c.source {
            RoleSource::Static(k) => Some(k.profile.clone()),
            RoleSource::Sso(_) | RoleSource::Role(_) => None,
        };
        let step = RoleStep {
            arn_parts: c.arn_parts().map(|(a, r)| (a.to_owned(), r.to_owned())),
            source_name: c.source_name().to_owned(),
            source_keys,
            name: c.name,
            role_arn: c.role_arn,
            role_session_name: c.role_session_name,
            external_id: c.external_id,
            duration_seconds: c.duration_seconds,
            mfa_serial: c.mfa_serial,
            region: c.region,
            own_region: c.own_region,
            endpoints: c.endpoints,
        };
        (step, c.source)
    }

    /// The assume-role cache key (docs/caches.md#assume-role-cache); made
    /// when asked, so listings of many chains do not hash each.
    fn key(&self) -> String {
        // The generated name is left out of the key: any value will do here.
        let session = self.session_name(OffsetDateTime::UNIX_EPOCH);
        assume_role::key(&self.request(&session), self.role_session_name.is_some())
    }

    pub(super) fn own_region(&self) -> Option<&str> {
        self.own_region.as_deref()
    }

    pub(super) fn source_name(&self) -> &str {
        &self.source_name
    }

    /// The session name: the configured one, else botocore's
    /// `botocore-session-<epoch>` (`_generate_assume_role_name`).
    fn session_name(&self, now: OffsetDateTime) -> String {
        self.role_session_name
            .clone()
            .unwrap_or_else(|| format!("botocore-session-{}", now.unix_timestamp()))
    }

    fn request<'a>(&'a self, session: &'a str) -> AssumeRoleRequest<'a> {
        AssumeRoleRequest {
            role_arn: &self.role_arn,
            role_session_name: session,
            external_id: self.external_id.as_deref(),
            duration_seconds: self.duration_seconds,
            serial_number: self.mfa_serial.as_deref(),
            token_code: None,
        }
    }
}

impl Step for RoleStep {
    type Prepared = ();
    type Fetched = AssumeRoleOutput;

    fn name(&self) -> &str {
        &self.name
    }

    fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    fn endpoints(&self) -> &ConfiguredEndpoints {
        &self.endpoints
    }

    fn kind(&self) -> &'static str {
        "assume-role"
    }

    fn role(&self) -> Role<'_> {
        Role {
            account_id: self.arn_parts.as_ref().map(|(a, _)| a.as_str()),
            role_name: self.arn_parts.as_ref().map(|(_, r)| r.as_str()),
            role_arn: Some(&self.role_arn),
        }
    }

    fn reuse(&self, home: &Path, now: OffsetDateTime) -> Option<Credentials> {
        assume_role::load_fresh(home, &self.key(), now)
    }

    fn cached(&self, home: &Path) -> Option<Credentials> {
        assume_role::load(home, &self.key())
    }

    #[cfg(any(test, feature = "emulator"))]
    fn cache_path(&self, home: &Path) -> Option<std::path::PathBuf> {
        Some(assume_role::path(home, &self.key()))
    }

    fn lock(&self) -> Option<(String, &'static str)> {
        Some((format!("assume-role-{}", self.key()), "assuming a role"))
    }

    fn prepare(&self, _run: &Run) -> Result<()> {
        Ok(())
    }

    fn fetch(&self, run: &Run, _: (), source: Option<Credentials>) -> Result<AssumeRoleOutput> {
        let ctx = run.ctx;
        let Some(((url, region), source)) = run.sts.as_ref().zip(source) else {
            return Err(Error::runtime(format!(
                "could not assume role {} (profile \"{}\")",
                printable(&self.role_arn),
                printable(&self.name)
            ))
            .cause("the role step has no source credentials or STS endpoint"));
        };
        let now = (ctx.now)();
        let session = self.session_name(now);
        let code = match &self.mfa_serial {
            Some(serial) => Some(mfa_code(self, serial, run.opts)?),
            None => None,
        };
        let req = AssumeRoleRequest {
            token_code: code.as_deref(),
            ..self.request(&session)
        };
        let sts = Sts {
            http: ctx.http()?,
            url,
            region,
            now: ctx.now,
        };
        let out = sts
            .assume_role(&source, &req)
            .map_err(|e| sts_error(self, url, region, e))?;
        let now = (ctx.now)();
        let exp = out.credentials.expiration;
        if exp <= now {
            return Err(Error::runtime(format!(
                "the credentials for profile \"{}\" expire at {}, which is already past by this machine's clock ({})",
                printable(&self.name),
                cache::format_timestamp(exp),
                cache::format_timestamp(now)
            ))
            .cause("this machine's clock is probably wrong (clock skew)")
            .hint("synchronize the clock (for example `sudo timedatectl set-ntp true`) and try again"));
        }
        if crate::aws::too_far_ahead(exp, now) {
            return Err(Error::runtime(format!(
                "could not assume role {} (profile \"{}\")",
                printable(&self.role_arn),
                printable(&self.name)
            ))
            .cause(format!(
                "{url} sent an invalid AssumeRole answer: expiration {} is more than 10 years ahead",
                cache::format_timestamp(exp)
            ))
            .hint("nothing was cached; try again later"));
        }
        Ok(out)
    }

    fn save(&self, home: &Path, out: AssumeRoleOutput) -> Result<Credentials> {
        if let Err(e) = assume_role::save(home, &self.key(), &out) {
            super::plan::unsaved(&e);
        }
        Ok(out.credentials)
    }

    /// No MFA code to ask for.
    fn unattended(&self, _home: &Path, _now: OffsetDateTime) -> bool {
        self.mfa_serial.is_none()
    }

    fn renewable(&self, _env: &Env) -> bool {
        self.mfa_serial.is_none()
    }

    fn gives_role_session(&self) -> bool {
        true
    }

    /// Its chain and its cached AssumeRole credentials.
    fn diagnose(
        &self,
        from: &str,
        chain: &str,
        home: Option<&Path>,
        now: OffsetDateTime,
    ) -> Vec<Finding> {
        let mut out = vec![Finding::ok(
            "profile",
            format!(
                "{} ({from}): assumes {} through {chain}",
                printable(&self.name),
                printable(&self.role_arn),
            ),
        )];
        if let Some(home) = home {
            let key = &self.key();
            let state = match assume_role::load(home, key) {
                Some(k) if k.expiration > now => format!(
                    "cached AssumeRole credentials valid until {} ({})",
                    cache::format_timestamp(k.expiration),
                    assume_role::path(home, key).display()
                ),
                Some(k) => format!(
                    "cached AssumeRole credentials expired at {} (renewed on the next use)",
                    cache::format_timestamp(k.expiration)
                ),
                None => "no cached AssumeRole credentials (STS is called on the next use)".into(),
            };
            out.push(Finding::ok("role session", state));
        }
        out
    }
}

/// The MFA code for `serial`, asked on the terminal (botocore's prompt,
/// docs/sts-sigv4.md#role-profiles): six digits. Without a terminal, or when no one may be asked (the
/// prompt's quiet renewal, the credential server), a clear error: the
/// cached credentials then serve until they expire.
fn mfa_code(c: &RoleStep, serial: &str, opts: LoginOptions) -> Result<String> {
    // The login refusals' own words are about a login, a browser and a
    // device code; say why no MFA code is asked instead.
    let refused = match opts.interaction {
        Interaction::Refused(Refusal::Background) => {
            Some("the prompt's quiet renewal never asks for an MFA code")
        }
        Interaction::Refused(Refusal::Server) => {
            Some("the credential server of `ssoenv exec --server` never asks for an MFA code")
        }
        Interaction::Refused(Refusal::Disabled) => {
            Some("SSOENV_INTERACTIVE=0 is set in the environment")
        }
        Interaction::Refused(Refusal::Unattended | Refusal::CredentialProcess)
        | Interaction::Allowed => None,
    };
    if !crate::tty::interactive() || refused.is_some() {
        return Err(Error::runtime(format!(
            "profile \"{}\" needs an MFA code (mfa_serial = {}), and there is no terminal to ask for it",
            printable(&c.name),
            printable(serial)
        ))
        .cause(refused.unwrap_or("stdin or stderr is not a terminal"))
        .hint(format!(
            "run `ssoenv use {}` in a terminal first: the role's credentials are then cached (up to 1 hour) for commands without one",
            shell_words::quote(&c.name)
        )));
    }
    // Not echoed, as the AWS CLI's getpass prompt.
    crate::tty::ask_hidden(&format!("Enter MFA code for {}", printable(serial)), |s| {
        if s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(())
        } else {
            Err("the code is 6 digits".to_owned())
        }
    })
}

/// An AssumeRole failure, with what to do about it by error code (docs/sts-sigv4.md#sts-errors).
fn sts_error(c: &RoleStep, url: &str, region: &str, e: HttpError) -> Error {
    let what = format!(
        "could not assume role {} (profile \"{}\")",
        printable(&c.role_arn),
        printable(&c.name)
    );
    let HttpError::Api(a) = e else {
        return unreachable_error(what, url, e);
    };
    let cause = format!(
        "An error occurred ({}) when calling the AssumeRole operation: {}",
        printable(&a.code),
        printable(&a.message)
    );
    let source = &c.source_name;
    // Refused source credentials: for keys in the config, the keys are wrong;
    // for role credentials (SSO or an earlier step) the cached ones were
    // revoked or the clock is off. `ssoenv login` alone would not help then:
    // the cached role credentials would be sent again. `--force` logs in and
    // fetches every step afresh.
    let refused_source = || match &c.source_keys {
        Some(keys_profile) => format!(
            "check aws_access_key_id and aws_secret_access_key in profile \"{}\", then try again",
            printable(keys_profile)
        ),
        None => format!(
            "run `ssoenv use {} --force` to log in again and fetch fresh credentials for the whole chain (and check this machine's clock)",
            shell_words::quote(&c.name)
        ),
    };
    let hint = match a.code.as_str() {
        "AccessDenied" if c.mfa_serial.is_some() && a.message.contains("MFA") => format!(
            "check the MFA code and mfa_serial in profile \"{}\", and try again",
            printable(&c.name)
        ),
        "AccessDenied" => format!(
            "check role_arn (and external_id) in profile \"{}\", and that the role's trust policy lets the source profile \"{}\" assume it",
            printable(&c.name),
            printable(source)
        ),
        "ExpiredToken" | "InvalidClientTokenId" | "SignatureDoesNotMatch" => refused_source(),
        "ValidationError" if a.message.contains("DurationSeconds") => format!(
            "lower duration_seconds in profile \"{}\" (at most {CHAINED_MAX_DURATION} for role chaining, and at most the role's maximum session duration), or remove it",
            printable(&c.name)
        ),
        "RegionDisabledException" => format!(
            "STS is not enabled in region {}: set region in the profile you use (or AWS_REGION) to an enabled region, or ask your administrator to activate it",
            printable(region),
        ),
        _ => "check the profile's role settings, or try again later".to_owned(),
    };
    Error::runtime(what).cause(cause).hint(hint)
}
