//! `ssoenv login [PROFILE] [--sso-session NAME]`: log in one SSO session
//! (reusing a valid token unless `--force`). One login serves every profile
//! of the session; legacy profiles share by start URL, as the AWS CLI does.

use crate::cli::LoginArgs;
use crate::config::{Config, ConfiguredEndpoints, SsoSession};
use crate::env::Env;
use crate::error::Result;
use crate::session::{self, Ctx, LoginOptions, Subject};
use crate::sso::endpoint;

pub fn run(args: LoginArgs, env: &Env) -> Result<i32> {
    let config = Config::load(env)?;
    let (sso, endpoints_cfg, subject_name, by_session) = target(
        &config,
        env,
        args.profile.as_deref(),
        args.sso_session.as_deref(),
    )?;
    let ctx = Ctx::new(env)?;
    let endpoints = endpoint::resolve(&sso.region, &endpoints_cfg, env)?;
    let subject = if by_session {
        Subject::Session(&subject_name)
    } else {
        Subject::Profile(&subject_name)
    };
    let opts = LoginOptions {
        no_browser: args.login.no_browser,
        force: args.force,
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

/// The session to log in: `--sso-session NAME`, else the profile named, else
/// `AWS_PROFILE`, else `default`.
pub fn target(
    config: &Config,
    env: &Env,
    profile: Option<&str>,
    sso_session: Option<&str>,
) -> Result<(SsoSession, ConfiguredEndpoints, String, bool)> {
    if let Some(name) = sso_session {
        return Ok((
            config.sso_session(name)?,
            ConfiguredEndpoints::default(),
            name.to_owned(),
            true,
        ));
    }
    let name = profile
        .map(str::to_owned)
        .or_else(|| env.non_empty(crate::env::AWS_PROFILE).map(str::to_owned))
        .unwrap_or_else(|| "default".to_owned());
    let (sso, endpoints) = config.profile_session(&name)?;
    Ok((sso, endpoints, name, false))
}
