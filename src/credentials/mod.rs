//! From a resolved profile to credentials: cached role credentials with
//! more than 15 minutes left, else (under the session lock) a usable SSO
//! token from the login layer and GetRoleCredentials, cached where the AWS
//! CLI caches it (docs/caches.md#role-credential-cache). `env` turns credentials into the variables a
//! shell or child process gets. A role-chaining profile goes through
//! [`chain`] (the assume-role cache, else STS AssumeRole with its source's
//! credentials); [`profile_credentials`] takes either kind.

pub mod chain;
pub mod child_config;
pub mod env;
pub mod server;

pub use crate::aws::credentials::Credentials;

use crate::aws::endpoint::{self, Endpoints};
use crate::aws::http::HttpError;
use crate::aws::portal::Portal;
use crate::cache::{self, lock, role, token};
use crate::config::{Profile, ResolvedProfile};
use crate::error::{Error, Result};
use crate::login::{
    self, Ctx, EXPIRED_MESSAGE, LoginOptions, MAX_LIFETIME, Subject, ensure_token_locked,
    require_interaction, unreachable_error,
};
use crate::text::printable;
use time::OffsetDateTime;

/// Credentials for any profile ssoenv uses: SSO role credentials, or for a
/// role-chaining profile the assumed role's. Whether they come from role
/// chaining is [`Profile::is_role_chain`] (the console must then not ask for
/// a session duration).
pub fn profile_credentials(
    ctx: &Ctx,
    profile: &Profile,
    opts: LoginOptions,
) -> Result<Credentials> {
    match profile {
        Profile::Sso(p) => role_credentials(ctx, p, opts),
        Profile::AssumeRole(c) => chain::assumed_credentials(ctx, c, opts),
    }
}

/// Role credentials for a profile: cached ones with more than 15 minutes
/// left, else fresh ones (logging in or refreshing as needed).
pub fn role_credentials(
    ctx: &Ctx,
    profile: &ResolvedProfile,
    opts: LoginOptions,
) -> Result<Credentials> {
    let now = (ctx.now)();
    if !opts.force
        && let Some(c) = role::load_fresh(&ctx.home, profile, now)
    {
        return Ok(c);
    }
    let endpoints = endpoint::resolve(&profile.sso.region, &profile.endpoints, &ctx.env)?;
    let _lock = lock::acquire(&ctx.env, &token::key(&profile.sso), "logging in")?;
    // Another process may have done the work while we waited for the lock.
    if !opts.force
        && let Some(c) = role::load_fresh(&ctx.home, profile, (ctx.now)())
    {
        return Ok(c);
    }
    let subject = Subject::Profile(&profile.name);
    let (tok, fresh) = ensure_token_locked(ctx, &profile.sso, &endpoints, opts, &subject)?;
    let portal = Portal {
        http: ctx.http()?,
        base: &endpoints.portal,
    };
    let answer = login::with_token(
        &profile.sso,
        (tok.access_token, fresh),
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
    role::save(&ctx.home, profile, &c)?;
    Ok(c)
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
    if t < time::macros::datetime!(2000-01-01 0:00 UTC) {
        return Err(bad("is before the year 2000"));
    }
    match now.checked_add(MAX_LIFETIME) {
        Some(limit) if t > limit => Err(bad("is more than 10 years ahead")),
        _ => Ok(t),
    }
}
