//! Credentials of a role-chaining profile (`role_arn` + `source_profile`):
//! the shared assume-role cache of the AWS CLI (`~/.aws/cli/cache`,
//! docs/caches.md#assume-role-cache) when it holds credentials with more than 15
//! minutes left; else, under a lock named after the cache key (so two shells
//! make one AssumeRole), the source's credentials (SSO role credentials, the
//! next role of the chain, or static keys) and STS AssumeRole, cached for
//! the CLI and botocore to reuse.

use super::{Credentials, role_credentials};
use crate::aws::endpoint;
use crate::aws::http::HttpError;
use crate::aws::sts::{AssumeRoleRequest, Sts};
use crate::cache::{self, assume_role, lock};
use crate::config::{ChainedProfile, RoleSource};
use crate::error::{Error, Result};
use crate::login::interaction::Refusal;
use crate::login::{Ctx, Interaction, LoginOptions, MAX_LIFETIME, unreachable_error};
use crate::text::printable;
use time::OffsetDateTime;

/// The request a chained profile makes, with its session name: the
/// configured one, else botocore's `botocore-session-<epoch>`
/// (`_generate_assume_role_name`), which the cache key leaves out.
fn session_name(c: &ChainedProfile, now: OffsetDateTime) -> String {
    c.role_session_name
        .clone()
        .unwrap_or_else(|| format!("botocore-session-{}", now.unix_timestamp()))
}

fn request<'a>(c: &'a ChainedProfile, session: &'a str) -> AssumeRoleRequest<'a> {
    AssumeRoleRequest {
        role_arn: &c.role_arn,
        role_session_name: session,
        external_id: c.external_id.as_deref(),
        duration_seconds: c.duration_seconds,
        serial_number: c.mfa_serial.as_deref(),
        token_code: None,
    }
}

/// The assume-role cache key of a chained profile (docs/caches.md#assume-role-cache): what
/// `status` looks up, and what [`assumed_credentials`] reads and writes.
pub fn cache_key(c: &ChainedProfile) -> String {
    // The generated name is left out of the key: any value will do here.
    let session = session_name(c, OffsetDateTime::UNIX_EPOCH);
    assume_role::key(&request(c, &session), c.role_session_name.is_some())
}

/// Credentials for the chained profile `c`: the cache, else AssumeRole with
/// the source's credentials.
/// Every AssumeRole of the chain goes to one STS endpoint, signed in one
/// region: `c`'s ([`ChainedProfile::sts_region`], its endpoint settings),
/// as botocore, the JS and the Rust SDKs do; an inner link's own `region`
/// does not count.
pub fn assumed_credentials(
    ctx: &Ctx,
    c: &ChainedProfile,
    opts: LoginOptions,
) -> Result<Credentials> {
    let sts = endpoint::sts_endpoint(c.sts_region(&ctx.env), &c.endpoints, &ctx.env)?;
    assume(ctx, c, opts, &mut Vec::new(), &sts)
}

/// `held`: the cache keys whose locks this process holds already (two steps
/// of one chain may share a key: their role arguments are the same).
/// `(url, region)`: the chain's STS endpoint and signing region.
fn assume(
    ctx: &Ctx,
    c: &ChainedProfile,
    opts: LoginOptions,
    held: &mut Vec<String>,
    sts: &(String, String),
) -> Result<Credentials> {
    let (url, region) = sts;
    let key = cache_key(c);
    if !opts.force
        && let Some(creds) = assume_role::load_fresh(&ctx.home, &key, (ctx.now)())
    {
        return Ok(creds);
    }
    let _lock = if held.contains(&key) {
        None
    } else {
        let l = lock::acquire(&ctx.env, &format!("assume-role-{key}"), "assuming a role")?;
        held.push(key.clone());
        Some(l)
    };
    // Another process may have done the work while we waited for the lock.
    if !opts.force
        && let Some(creds) = assume_role::load_fresh(&ctx.home, &key, (ctx.now)())
    {
        return Ok(creds);
    }
    let source = match &c.source {
        RoleSource::Sso(p) => role_credentials(ctx, p, opts)?,
        RoleSource::Role(inner) => assume(ctx, inner, opts, held, sts)?,
        RoleSource::Static(k) => Credentials {
            access_key_id: k.access_key_id.clone(),
            secret_access_key: k.secret_access_key.clone(),
            session_token: k.session_token.clone().unwrap_or_default(),
            // Long-term keys do not expire; only the signature uses them.
            expiration: OffsetDateTime::UNIX_EPOCH,
        },
    };
    let now = (ctx.now)();
    let session = session_name(c, now);
    let code = match &c.mfa_serial {
        Some(serial) => Some(mfa_code(c, serial, opts)?),
        None => None,
    };
    let req = AssumeRoleRequest {
        token_code: code.as_deref(),
        ..request(c, &session)
    };
    let sts = Sts {
        http: ctx.http()?,
        url,
        region,
        now: ctx.now,
    };
    let out = sts
        .assume_role(&source, &req)
        .map_err(|e| sts_error(c, url, region, e))?;
    let now = (ctx.now)();
    let exp = out.credentials.expiration;
    if exp <= now {
        return Err(Error::runtime(format!(
            "the credentials for profile \"{}\" expire at {}, which is already past by this machine's clock ({})",
            printable(&c.name),
            cache::format_timestamp(exp),
            cache::format_timestamp(now)
        ))
        .cause("this machine's clock is probably wrong (clock skew)")
        .hint("synchronize the clock (for example `sudo timedatectl set-ntp true`) and try again"));
    }
    if now
        .checked_add(MAX_LIFETIME)
        .is_some_and(|limit| exp > limit)
    {
        return Err(Error::runtime(format!(
            "could not assume role {} (profile \"{}\")",
            printable(&c.role_arn),
            printable(&c.name)
        ))
        .cause(format!(
            "{url} sent an invalid AssumeRole answer: expiration {} is more than 10 years ahead",
            cache::format_timestamp(exp)
        ))
        .hint("nothing was cached; try again later"));
    }
    assume_role::save(&ctx.home, &key, &out)?;
    Ok(out.credentials)
}

/// The MFA code for `serial`, asked on the terminal (botocore's prompt,
/// docs/sts-sigv4.md#role-profiles): six digits. Without a terminal, or when no one may be asked (the
/// prompt's quiet renewal, the credential server), a clear error: the
/// cached credentials then serve until they expire.
fn mfa_code(c: &ChainedProfile, serial: &str, opts: LoginOptions) -> Result<String> {
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
        Interaction::Refused(Refusal::Unattended) | Interaction::Allowed => None,
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
fn sts_error(c: &ChainedProfile, url: &str, region: &str, e: HttpError) -> Error {
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
    let source = c.source_name();
    // Refused source credentials: for keys in the config, the keys are wrong;
    // for role credentials (SSO or an earlier step) the cached ones were
    // revoked or the clock is off. `ssoenv login` alone would not help then:
    // the cached role credentials would be sent again. `--force` logs in and
    // fetches every step afresh.
    let refused_source = || match &c.source {
        RoleSource::Static(k) => format!(
            "check aws_access_key_id and aws_secret_access_key in profile \"{}\", then try again",
            printable(&k.profile)
        ),
        RoleSource::Sso(_) | RoleSource::Role(_) => format!(
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
            "lower duration_seconds in profile \"{}\" (at most 3600 for role chaining, and at most the role's maximum session duration), or remove it",
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
