//! Which profile or SSO session a command means when none is named, and what
//! to say when that cannot be told: the choices in the config, and how to
//! pick one. `use`, `login`, `logout` and `status --check` share this, so a
//! user meets the same rules and the same list everywhere.

use crate::cache::token;
use crate::config::{Config, SsoSession};
use crate::env::{self, Env};
use std::path::Path;
use time::OffsetDateTime;

/// `AWS_PROFILE` when set and not empty.
pub fn aws_profile(env: &Env) -> Option<String> {
    env.non_empty(env::AWS_PROFILE).map(str::to_owned)
}

/// `AWS_PROFILE`, else `default` when it is an SSO profile (as `aws sso login`
/// takes it). A `default` with static keys or `role_arn` is never taken:
/// logging in or out of it means nothing.
pub fn login_profile(config: &Config, env: &Env) -> Option<String> {
    aws_profile(env).or_else(|| {
        config
            .sso_profiles()
            .iter()
            .any(|(name, _)| name == "default")
            .then(|| "default".to_owned())
    })
}

/// The SSO profiles of the config as indented lines: name, session, account, role.
/// Profiles that do not resolve are listed with the reason.
pub fn profile_lines(config: &Config) -> Vec<String> {
    let profiles = config.sso_profiles();
    let width = profiles
        .iter()
        .map(|(n, _)| crate::text::printable(n).chars().count())
        .max()
        .unwrap_or(0);
    profiles
        .into_iter()
        .map(|(name, p)| {
            let shown = crate::text::printable(&name);
            let pad = " ".repeat(width - shown.chars().count());
            match p {
                Ok(p) => format!(
                    "    {shown}{pad}  {}  {} {}",
                    session_label(&p.sso),
                    p.account_id,
                    p.role_name
                ),
                Err(e) => format!(
                    "    {shown}{pad}  (does not resolve: {})",
                    first_line(&e.message)
                ),
            }
        })
        .collect()
}

/// Every SSO session the config uses (sso-sessions, then legacy start URLs), each
/// with whether a token is cached for it. Reads the cache only: no network.
pub fn session_lines(config: &Config, home: Option<&Path>, now: OffsetDateTime) -> Vec<String> {
    let mut sessions: Vec<SsoSession> = config
        .sso_session_names()
        .iter()
        .filter_map(|n| config.sso_session(n).ok())
        .collect();
    for (_, p) in config.sso_profiles() {
        if let Ok(p) = p
            && p.sso.name.is_none()
            && !sessions
                .iter()
                .any(|s| s.name.is_none() && s.start_url == p.sso.start_url)
        {
            sessions.push(p.sso);
        }
    }
    let labels: Vec<String> = sessions.iter().map(session_label).collect();
    let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    sessions
        .iter()
        .zip(labels)
        .map(|(s, label)| {
            let state = match home.and_then(|h| token::load(h, s)) {
                Some(t) if t.rejected() => "token rejected by the portal (log in again)".to_owned(),
                Some(t) if t.expires_at > now => format!(
                    "logged in, until {}",
                    crate::cache::format_timestamp(t.expires_at)
                ),
                Some(t) if s.name.is_some() && t.refresh_material(now).is_some() => {
                    "logged in (token expired, refreshable)".to_owned()
                }
                Some(_) => "token expired".to_owned(),
                None => "not logged in".to_owned(),
            };
            let pad = " ".repeat(width - label.chars().count());
            format!("    {label}{pad}  {state}")
        })
        .collect()
}

/// `--sso-session corp`, or the legacy start URL.
fn session_label(s: &SsoSession) -> String {
    match &s.name {
        Some(n) => format!("sso-session {}", crate::text::printable(n)),
        None => format!("start URL {}", crate::text::printable(&s.start_url)),
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

/// Detail lines for an error message: a heading and its lines, or `none` when empty.
pub fn block(heading: &str, lines: &[String], empty: &str) -> Vec<String> {
    if lines.is_empty() {
        return vec![format!("  {heading}: {empty}")];
    }
    std::iter::once(format!("  {heading}:"))
        .chain(lines.iter().cloned())
        .collect()
}

/// What a profile picker offers: the profiles that resolve, as (name, line).
pub fn usable_profiles(config: &Config) -> Vec<(String, String)> {
    let profiles: Vec<_> = config
        .sso_profiles()
        .into_iter()
        .filter_map(|(n, p)| p.ok().map(|p| (n, p)))
        .collect();
    let width = profiles
        .iter()
        .map(|(n, _)| crate::text::printable(n).chars().count())
        .max()
        .unwrap_or(0);
    profiles
        .into_iter()
        .map(|(name, p)| {
            let shown = crate::text::printable(&name).into_owned();
            let pad = " ".repeat(width - shown.chars().count());
            let line = format!(
                "{shown}{pad}  {}  {}  {}",
                crate::text::printable(&p.account_id),
                crate::text::printable(&p.role_name),
                session_label(&p.sso),
            );
            (name, line)
        })
        .collect()
}

/// No profile named: on a terminal, a type-to-filter list of the usable
/// profiles (drawn on stderr). `Ok(None)` when there is no terminal or no
/// profile to offer (the caller then says which to name); `Ok(Some(None))`
/// when the person cancelled.
pub fn pick_profile(config: &Config, env: &Env) -> crate::error::Result<Option<Option<String>>> {
    // The prompt hook's quiet renewal never asks anything.
    if !crate::tty::interactive() || crate::cache::lock::background_renewal(env) {
        return Ok(None);
    }
    let choices = usable_profiles(config);
    if choices.is_empty() {
        return Ok(None);
    }
    let lines: Vec<String> = choices.iter().map(|(_, l)| l.clone()).collect();
    let picked = crate::tty::pick(
        "profile (type to filter, Enter to choose, Esc to cancel)",
        &lines,
    )?;
    Ok(Some(picked.map(|i| choices[i].0.clone())))
}
