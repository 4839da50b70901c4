//! Which profile or SSO session a command means when none is named, and what
//! to say when that cannot be told: the choices in the config, and how to
//! pick one. `use`, `login`, `logout`, `accounts`, `populate` and `status --check` share this, so a
//! user meets the same rules and the same list everywhere.

use crate::aws::endpoint::{self, Endpoints};
use crate::cache::account_names::{self, AccountNames};
use crate::cache::token;
use crate::config::{Config, ConfiguredEndpoints, SsoSession};
use crate::credentials::Plan;
use crate::env::{self, Env};
use crate::error::{Error, Result};
use crate::login::TokenState;
use crate::login::{Ctx, Subject};
use std::path::Path;
use time::OffsetDateTime;

/// The profile of this shell: `AWS_PROFILE` when set and not empty, else
/// `SSOENV_PROFILE` (what `use` exports, also with
/// `SSOENV_EXPORT_AWS_PROFILE=0`, when AWS_PROFILE is left unset).
pub(crate) fn aws_profile(env: &Env) -> Option<String> {
    env.non_empty(env::AWS_PROFILE)
        .or_else(|| env.non_empty(env::SSOENV_PROFILE))
        .map(str::to_owned)
}

/// `AWS_PROFILE`, else `default` when it is an SSO profile (as `aws sso login`
/// takes it). A `default` with static keys or `role_arn` is never taken:
/// logging in or out of it means nothing.
pub(crate) fn login_profile(config: &Config, env: &Env) -> Option<String> {
    aws_profile(env).or_else(|| {
        config
            .sso_profiles()
            .iter()
            .any(|(name, _)| name == "default")
            .then(|| "default".to_owned())
    })
}

/// The SSO session a command means, with the profile's endpoint settings and
/// the name to use in hints.
pub(crate) struct Target {
    pub(crate) session: SsoSession,
    pub(crate) endpoints: ConfiguredEndpoints,
    /// The profile's name, or the session's with `--sso-session`.
    pub(crate) name: String,
    /// Whether `name` is a session's (not a profile's).
    pub(crate) by_session: bool,
}

impl Target {
    /// What the login layer names in its hints.
    pub(crate) fn subject(&self) -> Subject<'_> {
        if self.by_session {
            Subject::Session(&self.name)
        } else {
            Subject::Profile(&self.name)
        }
    }
}

/// The session to log in (or out, or list): `--sso-session NAME`, else the
/// profile named, else `AWS_PROFILE`, else `default` if it is an SSO profile.
/// When nothing is named and there is no such default, the error `none`
/// makes: the caller lists the choices rather than guess.
pub(crate) fn target(
    config: &Config,
    env: &Env,
    (profile, sso_session): (Option<&str>, Option<&str>),
    none: impl FnOnce(&Config, &Env) -> Error,
) -> Result<Target> {
    if let Some(name) = sso_session {
        return Ok(Target {
            session: config.sso_session(name)?,
            endpoints: config.session_endpoints(name),
            name: name.to_owned(),
            by_session: true,
        });
    }
    let Some(name) = profile
        .map(str::to_owned)
        .or_else(|| login_profile(config, env))
    else {
        return Err(none(config, env));
    };
    let (session, endpoints) = config.profile_session(&name).map_err(|e| {
        if profile.is_none() && aws_profile(env).as_deref() == Some(name.as_str()) {
            from_environment(e, env)
        } else {
            e
        }
    })?;
    Ok(Target {
        session,
        endpoints,
        name,
        by_session: false,
    })
}

/// Where `login` and `accounts` start: the session the arguments name (as
/// [`target`] picks it), a login context, and the session's endpoints.
pub(crate) fn session_target(
    env: &Env,
    named: (Option<&str>, Option<&str>),
    none: impl FnOnce(&Config, &Env) -> Error,
) -> Result<(Target, Ctx, Endpoints)> {
    let config = Config::load(env)?;
    let target = target(&config, env, named, none)?;
    let ctx = Ctx::new(env)?;
    let endpoints = endpoint::resolve_for(&target.session, &target.endpoints, env)?;
    Ok((target, ctx, endpoints))
}

/// Nothing named, for `login` and `accounts`: the SSO sessions and profiles
/// to choose from, and `hint` (given whether the config has any session).
pub(crate) fn which_session(config: &Config, env: &Env, hint: impl Fn(bool) -> String) -> Error {
    let home = env.home();
    let sessions = session_lines(config, home.as_deref(), OffsetDateTime::now_utc());
    let profiles = profile_lines(config);
    let msg = format!(
        "which SSO session? no profile was named, AWS_PROFILE is not set, and there is no SSO profile named \"default\" in {}",
        config.path.display(),
    );
    Error::config(msg)
        .details(block("sso-sessions", &sessions, "none"))
        .details(block("SSO profiles", &profiles, "none"))
        .hint(hint(!sessions.is_empty()))
}

/// The profiles of the config as indented lines: name, session (or, for a
/// role-chaining profile, its source), account, role. Profiles that do not
/// resolve are listed with the reason.
pub(crate) fn profile_lines(config: &Config) -> Vec<String> {
    padded_names(Plan::listed(config))
        .map(|(_, shown, p)| match p {
            Ok(p) => {
                let (source, account, role) = describe(&p);
                format!("    {shown}  {source}  {account} {role}")
            }
            Err(e) => format!(
                "    {shown}  (does not resolve: {})",
                first_line(&e.message)
            ),
        })
        .collect()
}

/// Every SSO session the config uses (sso-sessions, then legacy start URLs), each
/// with whether a token is cached for it. Reads the cache only: no network.
pub(crate) fn session_lines(
    config: &Config,
    home: Option<&Path>,
    now: OffsetDateTime,
) -> Vec<String> {
    let sessions = config.sessions_in_use();
    let labels: Vec<String> = sessions.iter().map(session_label).collect();
    let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    sessions
        .iter()
        .zip(labels)
        .map(|(s, label)| {
            let tok = home.and_then(|h| token::load(h, s));
            let state = match (TokenState::of(tok.as_ref(), s, now), &tok) {
                (TokenState::Rejected { .. }, _) => {
                    "token rejected by the portal (log in again)".to_owned()
                }
                (_, Some(t)) if t.expires_at > now => format!(
                    "logged in, until {}",
                    crate::cache::format_timestamp(t.expires_at)
                ),
                (TokenState::Refreshable { .. }, _) => {
                    "logged in (token expired, refreshable)".to_owned()
                }
                (TokenState::Missing, _) => "not logged in".to_owned(),
                _ => "token expired".to_owned(),
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
pub(crate) fn block(heading: &str, lines: &[String], empty: &str) -> Vec<String> {
    if lines.is_empty() {
        return vec![format!("  {heading}: {empty}")];
    }
    std::iter::once(format!("  {heading}:"))
        .chain(lines.iter().cloned())
        .collect()
}

/// Each item with its name shown escaped and padded to the widest, for
/// aligned columns: (name, shown, item).
fn padded_names<T>(items: Vec<(String, T)>) -> impl Iterator<Item = (String, String, T)> {
    let width = items
        .iter()
        .map(|(n, _)| crate::text::printable(n).chars().count())
        .max()
        .unwrap_or(0);
    items.into_iter().map(move |(name, item)| {
        let shown = crate::text::printable(&name);
        let pad = " ".repeat(width - shown.chars().count());
        let shown = format!("{shown}{pad}");
        (name, shown, item)
    })
}

/// (session or source, account, role) of a profile, for listings: a
/// role-chaining profile shows `via SOURCE` and the account and role of its
/// `role_arn` (the whole ARN when it has another shape).
fn describe(p: &Plan) -> (String, String, String) {
    let d = p.describe();
    let source = match (d.source_profile, d.session) {
        (Some(via), _) => format!("via {}", crate::text::printable(via)),
        (None, Some(session)) => session_label(session),
        (None, None) => String::new(),
    };
    match (d.account_id, d.role_name) {
        (Some(account), Some(role)) => (source, account.to_owned(), role.to_owned()),
        _ => (
            source,
            String::new(),
            d.role_arn.unwrap_or_default().to_owned(),
        ),
    }
}

/// What a profile picker offers: the profiles that resolve, SSO and
/// role-chaining ones, as (name, cells: name, account name, account id,
/// role, session or source). The account name is the profile's own
/// `sso_account_name` (what aws-sso-util's `configure populate` writes),
/// else the one the portal gave when ssoenv last listed the accounts
/// (`names`); the column is left out when no row has one.
pub(crate) fn usable_profiles(config: &Config, names: &AccountNames) -> Vec<(String, Vec<String>)> {
    let rows: Vec<(String, String, Vec<String>)> = Plan::listed(config)
        .into_iter()
        .filter_map(|(n, p)| p.ok().map(|p| (n, p)))
        .map(|(name, p)| {
            let d = p.describe();
            let start_url = d.session.map(|s| s.start_url.as_str());
            let account_name = d
                .account_id
                .and_then(|id| {
                    config
                        .account_name(&name)
                        .filter(|n| account_names::valid_name(n))
                        .or_else(|| names.get(start_url, id))
                })
                .unwrap_or_default()
                .to_owned();
            let (source, account, role) = describe(&p);
            (
                name.clone(),
                account_name,
                vec![name, account, role, source],
            )
        })
        .collect();
    let any_name = rows.iter().any(|(_, n, _)| !n.is_empty());
    rows.into_iter()
        .map(|(name, account_name, mut cells)| {
            if any_name {
                cells.insert(1, account_name);
            }
            (name, cells)
        })
        .collect()
}

/// The profile `use` and `exec` mean, resolved: the one named, else
/// `AWS_PROFILE` (read from only the sections it needs), else the picker on
/// a terminal. `Ok(None)` when the person cancelled the picker; `none`
/// builds the error when there is nothing to ask with.
pub(crate) fn choose_profile(
    named: Option<String>,
    env: &Env,
    none: impl FnOnce(&Config) -> Error,
) -> Result<Option<Plan>> {
    if let Some(name) = named {
        return Plan::load(env, &name).map(Some);
    }
    if let Some(name) = aws_profile(env) {
        let e = match Plan::load(env, &name) {
            Ok(plan) => return Ok(Some(plan)),
            Err(e) => e,
        };
        // On a terminal (not in the prompt's quiet renewal), the person
        // chooses instead, told why first.
        let Ok(config) = Config::load(env) else {
            return Err(from_environment(e, env));
        };
        if !crate::tty::interactive()
            || crate::cache::lock::background_renewal(env)
            || usable_profiles(&config, &AccountNames::default()).is_empty()
        {
            return Err(from_environment(e, env));
        }
        crate::output::warn(&format!(
            "{} names a profile ssoenv cannot use ({}); choose one instead",
            profile_variable(env),
            e.message
        ));
        let e = from_environment(e, env);
        return match pick_profile(&config, env)? {
            Some(Some(name)) => Plan::resolve(&config, &name).map(Some),
            Some(None) => Ok(None),
            None => Err(e),
        };
    }
    let config = Config::load(env)?;
    match pick_profile(&config, env)? {
        Some(Some(name)) => Plan::resolve(&config, &name).map(Some),
        Some(None) => Ok(None),
        None => Err(none(&config)),
    }
}

/// An error about the profile `AWS_PROFILE` (or `SSOENV_PROFILE`) names,
/// when no profile was named: the hint says where the name came from and
/// how to get past it.
pub(crate) fn from_environment(e: Error, env: &Env) -> Error {
    let var = profile_variable(env);
    let then = match &e.hint {
        Some(h) => format!("; {h}"),
        None => String::new(),
    };
    let hint = format!("the name comes from {var}: unset {var} or name a profile{then}");
    e.hint(hint)
}

/// The variable [`aws_profile`] took the name from.
fn profile_variable(env: &Env) -> &'static str {
    if env.non_empty(env::AWS_PROFILE).is_some() {
        env::AWS_PROFILE
    } else {
        env::SSOENV_PROFILE
    }
}

/// No profile named: on a terminal, a type-to-filter list of the usable
/// profiles (drawn on stderr). `Ok(None)` when there is no terminal or no
/// profile to offer (the caller then says which to name); `Ok(Some(None))`
/// when the person cancelled.
pub(crate) fn pick_profile(
    config: &Config,
    env: &Env,
) -> crate::error::Result<Option<Option<String>>> {
    // The prompt hook's quiet renewal never asks anything.
    if !crate::tty::interactive() || crate::cache::lock::background_renewal(env) {
        return Ok(None);
    }
    // One small file read, only now that the list opens.
    let choices = usable_profiles(config, &AccountNames::load(env));
    if choices.is_empty() {
        return Ok(None);
    }
    let lines: Vec<Vec<String>> = choices.iter().map(|(_, l)| l.clone()).collect();
    let picked = crate::tty::pick_rows(
        "profile (type to filter, Enter to choose, Esc to cancel)",
        &lines,
    )?;
    Ok(Some(picked.map(|i| choices[i].0.clone())))
}

/// No profile named, no `AWS_PROFILE` and no terminal to pick on: the error
/// listing the profiles there are, with `hint` saying how to name one.
pub(crate) fn no_profile_named(config: &Config, hint: &str) -> Error {
    let lines = profile_lines(config);
    let details = block(
        &format!("SSO profiles in {}", config.path.display()),
        &lines,
        "none",
    );
    Error::config("which profile? none was named and AWS_PROFILE is not set")
        .details(details)
        .hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    const CONFIG: &str = "\
[sso-session corp]
sso_start_url = https://d-1.awsapps.com/start
sso_region = us-east-1

[profile dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Admin

[profile prod]
sso_session = corp
sso_account_id = 333333333333
sso_role_name = ReadOnly
sso_account_name = Production (config)

[profile bad-name]
sso_session = corp
sso_account_id = 444444444444
sso_role_name = R
sso_account_name = x\u{1b}]0;y

[profile chained]
source_profile = dev
role_arn = arn:aws:iam::555555555555:role/Deploy
";

    #[test]
    fn rows_carry_account_names_from_the_config_else_the_portal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("names.json");
        let portal = [
            ("111111111111", Some("dev-portal")),
            ("333333333333", Some("prod-portal")),
            ("444444444444", Some("four")),
            ("555555555555", Some("tools")),
        ];
        account_names::remember(&path, "https://d-1.awsapps.com/start", portal).unwrap();
        let config = Config::parse(PathBuf::from("/x/config"), CONFIG).unwrap();
        let rows = usable_profiles(&config, &AccountNames::read(&path));
        let names: Vec<(&str, &str)> = rows
            .iter()
            .map(|(n, cells)| (n.as_str(), cells[1].as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("dev", "dev-portal"),
                ("prod", "Production (config)"),
                // A config name with a control character gives way to the portal's.
                ("bad-name", "four"),
                ("chained", "tools"),
            ]
        );
        assert_eq!(rows[0].1[2], "111111111111");
        // No names anywhere: no column for them.
        let config = Config::parse(
            PathBuf::from("/x/config"),
            &CONFIG.replace("sso_account_name", "x_other"),
        )
        .unwrap();
        let rows = usable_profiles(&config, &AccountNames::default());
        assert_eq!(
            rows[0].1,
            ["dev", "111111111111", "Admin", "sso-session corp"]
        );
    }
}
