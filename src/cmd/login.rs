//! `ssoenv login [PROFILE] [--sso-session NAME]`: log in one SSO session
//! (reusing a valid token unless `--force`). One login serves every profile
//! of the session; legacy profiles share by start URL, as the AWS CLI does.

use crate::cli::LoginArgs;
use crate::config::Config;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::login::{self, LoginOptions, Obtained};

pub(crate) fn run(args: LoginArgs, env: &Env) -> Result<i32> {
    let named = (args.profile.as_deref(), args.sso_session.as_deref());
    let (target, ctx, endpoints) = super::pick::session_target(env, named, which_session)?;
    let sso = &target.session;
    // `login` always logs in when it must, wherever its output goes, as
    // `aws sso login` does: whoever ran it reads what it prints.
    let mut opts = LoginOptions::for_login(args.login.no_browser, args.force);
    opts.flow = match (args.pkce, args.use_device_code) {
        (true, _) => Some(login::Flow::Pkce),
        (_, true) => Some(login::Flow::Device),
        _ => None,
    };
    let (tok, how) = login::obtain_token(&ctx, sso, &endpoints, opts, &target.subject())?;
    let until = crate::cache::format_timestamp(tok.expires_at);
    let session = login::describe(sso);
    crate::output::note(&match how {
        Obtained::Cached => {
            format!("already logged in to {session} (valid until {until}); `--force` logs in again")
        }
        // Not "already logged in": the token was refused or near its end,
        // and the kept refresh token brought the session back.
        Obtained::Renewed {
            after_rejection: true,
        } => format!(
            "the portal had rejected the SSO token for {session}; renewed the session with its refresh token (valid until {until})"
        ),
        Obtained::Renewed {
            after_rejection: false,
        } => format!(
            "renewed the session for {session} with its refresh token (valid until {until})"
        ),
        Obtained::LoggedIn => format!("logged in to {session} (valid until {until})"),
    });
    Ok(0)
}

/// Nothing named: the SSO sessions and profiles to log in to.
fn which_session(config: &Config, env: &Env) -> Error {
    super::pick::which_session(config, env, |any| {
        if any {
            "run `ssoenv login PROFILE` or `ssoenv login --sso-session NAME`"
        } else {
            "run `ssoenv configure` (or `aws configure sso`) to set up a profile, then `ssoenv login PROFILE`"
        }
        .to_owned()
    })
}
