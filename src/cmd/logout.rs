//! `ssoenv logout [PROFILE | --sso-session NAME | --all]`: revoke the token
//! server-side (portal Logout), then remove the session's token cache and the
//! role credentials derived from it. Idempotent; a failed server call still
//! removes local state and says so. `--all` behaves like `aws sso logout`
//! (docs/caches.md#logout): every cached token, every SSO role credential; client
//! registrations are kept.

use crate::aws::endpoint;
use crate::aws::http::HttpError;
use crate::aws::portal::Portal;
use crate::cache::{self, role, token};
use crate::cli::LogoutArgs;
use crate::config::{Config, ConfiguredEndpoints};
use crate::env::Env;
use crate::error::Result;
use crate::login::{self, Ctx};
use crate::text::printable;
use std::path::{Path, PathBuf};

pub(crate) fn run(args: LogoutArgs, env: &Env) -> Result<i32> {
    if args.all {
        return logout_all(env);
    }
    let config = Config::load(env)?;
    let named = (args.profile.as_deref(), args.sso_session.as_deref());
    let super::pick::Target {
        session: sso,
        endpoints: endpoints_cfg,
        ..
    } = super::pick::target(&config, env, named, which_session)?;
    let ctx = Ctx::new(env)?;
    let mut removed = Vec::new();
    let token_path = token::path(&ctx.home, &sso);
    if let Some(tok) = token::load(&ctx.home, &sso) {
        revoke(
            &ctx,
            &sso.region,
            &endpoints_cfg,
            tok.access_token.expose(),
            &login::describe(&sso),
        );
    }
    remove(&token_path, &mut removed);
    // Role credentials of every profile that shares this session.
    for (_, p) in config.sso_profiles() {
        if let Ok(p) = p
            && p.sso.same_as(&sso)
        {
            remove(&role::path(&ctx.home, &p), &mut removed);
        }
    }
    remove_stale_temps(&ctx.home, &mut removed);
    report(&login::describe(&sso), &removed);
    Ok(0)
}

/// `write_atomic`'s temporary files left by a killed writer hold tokens:
/// logging out removes the stale ones from both cache directories.
fn remove_stale_temps(home: &Path, removed: &mut Vec<PathBuf>) {
    for dir in [cache::sso_cache_dir(home), cache::cli_cache_dir(home)] {
        removed.extend(crate::fs::remove_stale_temps(
            &dir,
            crate::fs::Leftovers::All,
        ));
    }
}

/// Nothing named: never guess which session to end. `--all` ends every one.
fn which_session(config: &Config, env: &Env) -> crate::error::Error {
    let home = env.home();
    let sessions =
        super::pick::session_lines(config, home.as_deref(), time::OffsetDateTime::now_utc());
    crate::error::Error::config(
        "which SSO session? no profile was named, AWS_PROFILE is not set, and there is no SSO profile named \"default\"",
    )
    .details(super::pick::block(
        &format!("SSO sessions of {}", config.path.display()),
        &sessions,
        "none",
    ))
    .hint("run `ssoenv logout PROFILE` or `ssoenv logout --sso-session NAME` to end one session, or `ssoenv logout --all` to log out of every one")
}

/// Call the portal's Logout; failures are reported, never fatal.
fn revoke(ctx: &Ctx, region: &str, cfg: &ConfiguredEndpoints, access_token: &str, what: &str) {
    let result = endpoint::resolve(region, cfg, &ctx.env).and_then(|e| {
        let http = ctx.http()?;
        Portal {
            http,
            base: &e.portal,
        }
        .logout(access_token)
        .map_err(|err| crate::error::Error::runtime(revoke_failure(&e.portal, &err)))
    });
    match result {
        Ok(()) => crate::output::note(&format!(
            "revoked the SSO session for {} server-side",
            printable(what)
        )),
        // Causes and hint (an unusable endpoint, an HTTP setup error) are kept.
        Err(mut e) => {
            e.message = format!(
                "could not revoke the SSO session for {} server-side ({}); removing local state anyway",
                printable(what),
                printable(&e.message)
            );
            crate::output::warn_error(&e);
        }
    }
}

/// Why Logout failed, in words that fit the kind of failure: only an answer
/// is "answered".
fn revoke_failure(portal: &str, err: &HttpError) -> String {
    match err {
        HttpError::Api(a) => format!("{portal} answered {a}"),
        HttpError::Timeout(d) => format!(
            "no answer from {portal} after {}",
            crate::aws::http::secs(*d)
        ),
        HttpError::Transport(t) => format!("{portal} could not be reached: {t}"),
        // The text names the URL and the operation already.
        HttpError::Invalid(t) => t.clone(),
    }
}

fn remove(path: &Path, removed: &mut Vec<PathBuf>) {
    match std::fs::remove_file(path) {
        Ok(()) => removed.push(path.to_owned()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => crate::output::warn(&format!(
            "could not remove {}: {e}",
            printable(&path.display().to_string())
        )),
    }
}

fn report(what: &str, removed: &[PathBuf]) {
    if removed.is_empty() {
        crate::output::note(&format!(
            "no cached SSO session for {}; already logged out",
            printable(what)
        ));
        return;
    }
    for p in removed {
        crate::output::note(&format!("removed {}", printable(&p.display().to_string())));
    }
    crate::output::note(&format!("logged out of {}", printable(what)));
}

fn logout_all(env: &Env) -> Result<i32> {
    let ctx = Ctx::new(env)?;
    let mut removed = Vec::new();
    // Client registrations are kept, as the CLI keeps them.
    for found in token::scan(&ctx.home) {
        if let Some(region) = &found.region {
            let what = found.start_url.as_deref().unwrap_or(region);
            revoke(
                &ctx,
                region,
                &ConfiguredEndpoints::default(),
                found.access_token.expose(),
                what,
            );
        }
        remove(&found.path, &mut removed);
    }
    for path in role::scan_sso(&ctx.home) {
        remove(&path, &mut removed);
    }
    remove_stale_temps(&ctx.home, &mut removed);
    report("all SSO sessions", &removed);
    Ok(0)
}
