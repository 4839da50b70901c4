//! `ssoenv login [PROFILE] [--sso-session NAME]`: log in one SSO session
//! (reusing a valid token unless `--force`). One login serves every profile
//! of the session; legacy profiles share by start URL, as the AWS CLI does.

use crate::cli::LoginArgs;
use crate::config::{Config, ConfiguredEndpoints, SsoSession};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::interaction::Interaction;
use crate::session::{self, Ctx, LoginOptions, Subject};
use crate::sso::endpoint;
use time::OffsetDateTime;

pub fn run(args: LoginArgs, env: &Env) -> Result<i32> {
    let config = Config::load(env)?;
    let Some((sso, endpoints_cfg, subject_name, by_session)) = target(
        &config,
        env,
        args.profile.as_deref(),
        args.sso_session.as_deref(),
    )?
    else {
        return Err(which_session(&config, env));
    };
    let ctx = Ctx::new(env)?;
    let endpoints = endpoint::resolve(&sso.region, &endpoints_cfg, env)?;
    let subject = if by_session {
        Subject::Session(&subject_name)
    } else {
        Subject::Profile(&subject_name)
    };
    // `login` always logs in when it must, wherever its output goes, as
    // `aws sso login` does: whoever ran it reads what it prints.
    let opts = LoginOptions {
        no_browser: args.login.no_browser,
        force: args.force,
        interaction: Interaction::for_login(),
    };
    let (tok, fresh) = session::ensure_token(&ctx, &sso, &endpoints, opts, &subject)?;
    let until = crate::cache::format_timestamp(tok.expires_at);
    if !fresh {
        eprintln!(
            "ssoenv: already logged in to {} (valid until {until}); `--force` logs in again",
            session::describe(&sso)
        );
    } else {
        eprintln!(
            "ssoenv: logged in to {} (valid until {until})",
            session::describe(&sso)
        );
    }
    Ok(0)
}

/// What `target` gives: the session, the profile's endpoint settings, the name
/// to use in hints, and whether that name is a session's (not a profile's).
pub type Target = (SsoSession, ConfiguredEndpoints, String, bool);

/// The session to log in (or out): `--sso-session NAME`, else the profile
/// named, else `AWS_PROFILE`, else `default` if it is an SSO profile. None
/// when nothing is named and there is no such default: the caller lists the
/// choices rather than guess.
pub fn target(
    config: &Config,
    env: &Env,
    profile: Option<&str>,
    sso_session: Option<&str>,
) -> Result<Option<Target>> {
    if let Some(name) = sso_session {
        return Ok(Some((
            config.sso_session(name)?,
            ConfiguredEndpoints::default(),
            name.to_owned(),
            true,
        )));
    }
    let Some(name) = profile
        .map(str::to_owned)
        .or_else(|| super::pick::login_profile(config, env))
    else {
        return Ok(None);
    };
    let (sso, endpoints) = config.profile_session(&name)?;
    Ok(Some((sso, endpoints, name, false)))
}

/// Nothing named: the SSO sessions and profiles to log in to.
fn which_session(config: &Config, env: &Env) -> Error {
    let home = env.home();
    let sessions = super::pick::session_lines(config, home.as_deref(), OffsetDateTime::now_utc());
    let profiles = super::pick::profile_lines(config);
    let msg = format!(
        "which SSO session? no profile was named, AWS_PROFILE is not set, and there is no SSO profile named \"default\" in {}",
        config.path.display(),
    );
    let hint = if sessions.is_empty() {
        "run `ssoenv configure` (or `aws configure sso`) to set up a profile, then `ssoenv login PROFILE`"
    } else {
        "run `ssoenv login PROFILE` or `ssoenv login --sso-session NAME`"
    };
    Error::config(msg)
        .details(super::pick::block("sso-sessions", &sessions, "none"))
        .details(super::pick::block("SSO profiles", &profiles, "none"))
        .hint(hint)
}
