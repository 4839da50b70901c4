//! The SSO base source: an IAM Identity Center role (`sso_account_id`,
//! `sso_role_name`) of an SSO session. Its credentials are cached where the
//! AWS CLI caches them (docs/caches.md#role-credential-cache) and fetched with
//! GetRoleCredentials, using the session's token from the login layer
//! (refreshing it, or logging in, as the options allow) under the session
//! lock.

use super::Credentials;
use super::plan::{Finding, Role, Run, Step};
use crate::aws::endpoint::{self, Endpoints};
use crate::aws::http::HttpError;
use crate::aws::portal::Portal;
use crate::cache::{self, role, token};
use crate::config::{ConfiguredEndpoints, ResolvedProfile, SsoSession};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::login::{
    self, EXPIRED_MESSAGE, Subject, TokenState, obtain_token_locked, require_interaction,
    unreachable_error,
};
use crate::text::printable;
use std::path::Path;
use time::OffsetDateTime;

/// An SSO profile's role.
pub(super) struct SsoRole {
    profile: ResolvedProfile,
}

impl SsoRole {
    pub(super) fn new(profile: ResolvedProfile) -> SsoRole {
        SsoRole { profile }
    }
}

impl Step for SsoRole {
    type Prepared = Endpoints;
    type Fetched = Credentials;

    fn name(&self) -> &str {
        &self.profile.name
    }

    fn region(&self) -> Option<&str> {
        self.profile.region.as_deref()
    }

    fn endpoints(&self) -> &ConfiguredEndpoints {
        &self.profile.endpoints
    }

    fn kind(&self) -> &'static str {
        "sso"
    }

    fn role(&self) -> Role<'_> {
        Role {
            account_id: Some(&self.profile.account_id),
            role_name: Some(&self.profile.role_name),
            role_arn: None,
        }
    }

    fn reuse(&self, home: &Path, now: OffsetDateTime) -> Option<Credentials> {
        role::load_fresh(home, &self.profile, now)
    }

    fn cached(&self, home: &Path) -> Option<Credentials> {
        role::load(home, &self.profile)
    }

    #[cfg(any(test, feature = "emulator"))]
    fn cache_path(&self, home: &Path) -> Option<std::path::PathBuf> {
        Some(role::path(home, &self.profile))
    }

    fn lock(&self) -> Option<(String, &'static str)> {
        Some((token::key(&self.profile.sso), "logging in"))
    }

    fn prepare(&self, run: &Run) -> Result<Endpoints> {
        let p = &self.profile;
        endpoint::resolve_for(&p.sso, &p.endpoints, &run.ctx.env)
    }

    fn fetch(
        &self,
        run: &Run,
        endpoints: Endpoints,
        _source: Option<Credentials>,
    ) -> Result<Credentials> {
        let (ctx, opts, profile) = (run.ctx, run.opts, &self.profile);
        let subject = Subject::Profile(&profile.name);
        let (tok, how) = obtain_token_locked(ctx, &profile.sso, &endpoints, opts, &subject)?;
        let portal = Portal {
            http: ctx.http()?,
            base: &endpoints.portal,
        };
        let answer = login::with_token(
            &profile.sso,
            (tok.access_token, how.is_login()),
            |token| {
                let answer =
                    portal.get_role_credentials(token, &profile.account_id, &profile.role_name);
                if matches!(&answer, Err(HttpError::Api(e)) if e.status == 401) {
                    token::note_rejected(&ctx.home, &profile.sso, token, (ctx.now)());
                }
                Ok(answer)
            },
            |_| require_interaction(opts, &subject, true),
            // The session lock is held already.
            || login::log_in(ctx, &profile.sso, &endpoints, opts, &subject),
        )?;
        let rc = answer.map_err(|e| role_error(profile, &endpoints, e, &subject))?;
        let now = (ctx.now)();
        let url = format!("{}/federation/credentials", endpoints.portal);
        let c = Credentials {
            access_key_id: rc.access_key_id,
            secret_access_key: rc.secret_access_key,
            session_token: rc.session_token,
            expiration: credential_expiration(rc.expiration, now, &url).map_err(|e| {
                Error::runtime(format!(
                    "could not get credentials for role {} in account {} (profile \"{}\")",
                    profile.role_name, profile.account_id, profile.name
                ))
                .cause(e)
                .hint(
                    "nothing was cached; try again later, or report the problem to your administrator",
                )
            })?,
        };
        if c.expiration <= now {
            return Err(Error::runtime(format!(
                "the credentials for profile \"{}\" expire at {}, which is already past by this machine's clock ({})",
                profile.name,
                cache::format_timestamp(c.expiration),
                cache::format_timestamp(now)
            ))
            .cause("this machine's clock is probably wrong (clock skew)")
            .hint("synchronize the clock (for example `sudo timedatectl set-ntp true`) and try again"));
        }
        Ok(c)
    }

    fn save(&self, home: &Path, c: Credentials) -> Result<Credentials> {
        if let Err(e) = role::save(home, &self.profile, &c) {
            super::plan::unsaved(&e);
        }
        Ok(c)
    }

    /// A token that is valid or can be refreshed. One the portal rejected is
    /// dead even with refresh material: a revoked session's refresh token is
    /// refused too (then a login is needed).
    fn unattended(&self, home: &Path, now: OffsetDateTime) -> bool {
        let sso = &self.profile.sso;
        let tok = token::load(home, sso);
        TokenState::of(tok.as_ref(), sso, now).usable_unattended()
    }

    fn renewable(&self, env: &Env) -> bool {
        renewable(env, &self.profile.sso)
    }

    fn gives_role_session(&self) -> bool {
        true
    }

    fn login_session(&self) -> Option<&ResolvedProfile> {
        Some(&self.profile)
    }

    /// Its session, its token and its cached role credentials.
    fn diagnose(
        &self,
        from: &str,
        _chain: &str,
        home: Option<&Path>,
        now: OffsetDateTime,
    ) -> Vec<Finding> {
        let profile = &self.profile;
        let name = &profile.name;
        let session = match &profile.sso.name {
            Some(s) => format!("sso-session {s}"),
            None => format!("legacy start URL {}", profile.sso.start_url),
        };
        let mut out = vec![Finding::ok(
            "profile",
            format!(
                "{name} ({from}): account {}, role {}, {session}, SSO region {}",
                profile.account_id, profile.role_name, profile.sso.region
            ),
        )];
        let Some(home) = home else {
            return out;
        };
        let tok = token::load(home, &profile.sso);
        let state = TokenState::of(tok.as_ref(), &profile.sso, now);
        let expires = tok
            .as_ref()
            .map(|t| format!(", expires {}", cache::format_timestamp(t.expires_at)))
            .unwrap_or_default();
        let login_fix = format!("ssoenv login {name}");
        out.push(match state {
            TokenState::Valid | TokenState::Refreshable { .. } => {
                Finding::ok("token", format!("{}{expires}", state.label()))
            }
            TokenState::Missing => Finding::fail(
                "token",
                "no cached SSO token (not logged in)",
                format!("run `{login_fix}`"),
            ),
            TokenState::Expired => Finding::fail(
                "token",
                format!("expired{expires}"),
                format!("run `{login_fix}`"),
            ),
            TokenState::Rejected { .. } => Finding::fail(
                "token",
                "the portal refused the cached token",
                format!("run `{login_fix} --force`"),
            ),
        });
        out.push(Finding::ok(
            "credentials",
            match role::load(home, profile) {
                Some(c) if c.expiration > now => format!(
                    "cached role credentials valid until {}",
                    cache::format_timestamp(c.expiration)
                ),
                Some(c) => format!(
                    "cached role credentials expired at {} (renewed on the next use)",
                    cache::format_timestamp(c.expiration)
                ),
                None => "no cached role credentials (fetched on the next use)".to_owned(),
            },
        ));
        out
    }
}

/// Whether the session's token can be refreshed without a person: an
/// sso-session profile whose cached token has refresh material and was not
/// rejected (what [`crate::login::TokenState`] calls refreshable).
fn renewable(env: &Env, session: &SsoSession) -> bool {
    let Ok(home) = crate::env::home_dir(env) else {
        return false;
    };
    let Some(tok) = token::load(&home, session) else {
        return false;
    };
    session.name.is_some()
        && !tok.rejected()
        && tok
            .refresh_material(time::OffsetDateTime::now_utc())
            .is_some()
}

fn role_error(
    profile: &ResolvedProfile,
    endpoints: &Endpoints,
    e: HttpError,
    subject: &Subject,
) -> Error {
    let what = format!(
        "could not get credentials for role {} in account {} (profile \"{}\")",
        profile.role_name, profile.account_id, profile.name
    );
    match e {
        HttpError::Api(ref a) if a.status == 401 => Error::runtime(what)
            .cause(format!("{EXPIRED_MESSAGE} ({})", printable(&a.to_string())))
            .hint(format!("run `{}`", subject.login_command())),
        HttpError::Api(ref a) if a.status == 403 || a.error_type == "ForbiddenException" => Error::runtime(what)
            .cause(printable(&a.to_string()))
            .hint("the role is not assigned to you in this account; check sso_account_id and sso_role_name, or ask your administrator"),
        HttpError::Api(ref a) if a.status == 404 => Error::runtime(what)
            .cause(printable(&a.to_string()))
            .hint("check sso_account_id and sso_role_name in the profile"),
        e => unreachable_error(what, &endpoints.portal, e),
    }
}

/// GetRoleCredentials' `expiration` (epoch milliseconds) as a time: not
/// before 2000 and at most [`MAX_LIFETIME`] ahead. A time already past is
/// left to the caller's clock-skew check.
fn credential_expiration(
    millis: i64,
    now: OffsetDateTime,
    url: &str,
) -> std::result::Result<OffsetDateTime, String> {
    let bad = |why: &str| {
        format!("{url} sent an invalid GetRoleCredentials answer: expiration {millis} {why}")
    };
    let t = OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
        .map_err(|_| bad("is out of range"))?;
    match crate::aws::implausible_expiration(t, now) {
        Some(why) => Err(bad(why)),
        None => Ok(t),
    }
}
