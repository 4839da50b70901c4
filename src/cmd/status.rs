//! `ssoenv status [--json]`: every SSO session (and legacy start URL) with its
//! token state, every SSO profile with its cached role credentials, every
//! role-chaining profile with its chain and its cached assume-role
//! credentials, and the profile active in this shell. Reads config and
//! caches only: no network.
//!
//! The `--json` shape is stable (documented in the README):
//! `{"active_profile", "sessions": [{"name", "start_url", "region", "token":
//! {"state", "expires_at", "refreshable"}}], "profiles": [{"name",
//! "sso_session", "start_url", "account_id", "role_name", "region",
//! "credentials": {"state", "expires_at"}, "active", "error"}]}`; a profile
//! with an error has "causes" and "hint" too when the error has them; a
//! role-chaining profile has "role_arn", "source_profile" and "chain" (its
//! name, then each source down to the SSO profile).

use crate::cache::{self, token};
use crate::cli::StatusArgs;
use crate::config::{Config, SsoSession};
use crate::credentials::{self, Plan};
use crate::env::{self, Env};
use crate::error::Result;
use crate::login::TokenState;
use crate::text::printable;
use serde::Serialize;
use time::OffsetDateTime;

#[derive(Debug, Serialize)]
pub(crate) struct Status {
    pub(crate) active_profile: Option<String>,
    pub(crate) sessions: Vec<SessionStatus>,
    pub(crate) profiles: Vec<ProfileStatus>,
}

#[derive(Debug, Serialize)]
pub(crate) struct SessionStatus {
    pub(crate) name: Option<String>,
    pub(crate) start_url: String,
    pub(crate) region: String,
    pub(crate) token: TokenStatus,
}

#[derive(Debug, Serialize)]
pub(crate) struct TokenStatus {
    /// `valid`, `refreshable` (expired or about to, with a refresh token),
    /// `rejected` (the portal refused it; the next use refreshes or logs in),
    /// `expired` or `absent`.
    pub(crate) state: &'static str,
    pub(crate) expires_at: Option<String>,
    pub(crate) refreshable: bool,
}

#[derive(Debug, Serialize)]
pub(crate) struct ProfileStatus {
    pub(crate) name: String,
    pub(crate) sso_session: Option<String>,
    pub(crate) start_url: Option<String>,
    pub(crate) account_id: Option<String>,
    pub(crate) role_name: Option<String>,
    pub(crate) region: Option<String>,
    pub(crate) credentials: Option<CredentialStatus>,
    pub(crate) active: bool,
    pub(crate) error: Option<String>,
    /// The error's `caused by:` lines and hint (the table shows the message
    /// only; `--json` keeps the rest).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) causes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) hint: Option<String>,
    /// A role-chaining profile's `role_arn`, `source_profile` and chain
    /// (absent for SSO profiles).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) role_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) source_profile: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) chain: Vec<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct CredentialStatus {
    /// `valid`, `expired` or `absent`.
    pub(crate) state: &'static str,
    pub(crate) expires_at: Option<String>,
}

pub(crate) fn collect(config: &Config, env: &Env, now: OffsetDateTime) -> Result<Status> {
    let home = crate::env::home_dir(env)?;
    let active = env.non_empty(env::SSOENV_PROFILE).map(str::to_owned);
    let sessions = config.sessions_in_use();
    let mut profiles = Vec::new();
    for (name, resolved) in Plan::listed(config) {
        let is_active = active.as_deref() == Some(name.as_str());
        match resolved {
            Ok(plan) => {
                let d = plan.describe();
                profiles.push(ProfileStatus {
                    sso_session: d.session.and_then(|s| s.name.clone()),
                    start_url: d.session.map(|s| s.start_url.clone()),
                    account_id: Some(d.account_id.unwrap_or_default().to_owned()),
                    role_name: Some(d.role_name.unwrap_or_default().to_owned()),
                    region: plan.region().map(str::to_owned),
                    credentials: Some(credential_status(plan.cached(&home), now)),
                    active: is_active,
                    error: None,
                    causes: Vec::new(),
                    hint: None,
                    chain: d.chain.into_iter().map(str::to_owned).collect(),
                    source_profile: d.source_profile.map(str::to_owned),
                    role_arn: d.role_arn.map(str::to_owned),
                    name,
                });
            }
            Err(e) => profiles.push(ProfileStatus {
                name,
                sso_session: None,
                start_url: None,
                account_id: None,
                role_name: None,
                region: None,
                credentials: None,
                active: is_active,
                error: Some(e.message),
                causes: e.causes,
                hint: e.hint,
                role_arn: None,
                source_profile: None,
                chain: Vec::new(),
            }),
        }
    }
    let sessions = sessions
        .into_iter()
        .map(|s| {
            let token = token_status(&home, &s, now);
            SessionStatus {
                name: s.name,
                start_url: s.start_url,
                region: s.region,
                token,
            }
        })
        .collect();
    Ok(Status {
        active_profile: active,
        sessions,
        profiles,
    })
}

fn credential_status(c: Option<credentials::Credentials>, now: OffsetDateTime) -> CredentialStatus {
    match c {
        Some(c) => CredentialStatus {
            state: if c.expiration > now {
                "valid"
            } else {
                "expired"
            },
            expires_at: Some(cache::format_timestamp(c.expiration)),
        },
        None => CredentialStatus {
            state: "absent",
            expires_at: None,
        },
    }
}

fn token_status(home: &std::path::Path, s: &SsoSession, now: OffsetDateTime) -> TokenStatus {
    let tok = token::load(home, s);
    let state = TokenState::of(tok.as_ref(), s, now);
    TokenStatus {
        state: state.label(),
        expires_at: tok.as_ref().map(|t| cache::format_timestamp(t.expires_at)),
        refreshable: tok.is_some_and(|t| s.name.is_some() && t.refresh_material(now).is_some()),
    }
}

pub(crate) fn run(args: StatusArgs, env: &Env) -> Result<i32> {
    let now = OffsetDateTime::now_utc();
    if args.check {
        return check(env, args.profile, now);
    }
    let config = Config::load(env)?;
    let mut status = collect(&config, env, now)?;
    if let Some(name) = &args.profile {
        only(&mut status, name, env)?;
    }
    if args.json {
        let mut s = crate::text::json_for_terminal(
            serde_json::to_string_pretty(&status).expect("plain data serializes"),
        );
        s.push('\n');
        super::emit(&s)?;
        return Ok(0);
    }
    super::emit(&render(&status, now, crate::tty::columns(env)))?;
    Ok(0)
}

/// `status PROFILE`: the status cut down to that profile's row and the
/// session it uses. A name that is not listed (missing, or not a credential
/// profile) is the error `use` would give for it.
fn only(status: &mut Status, name: &str, env: &Env) -> Result<()> {
    status.profiles.retain(|p| p.name == name);
    let Some(p) = status.profiles.first() else {
        Plan::load(env, name)?;
        return Err(crate::error::Error::config(format!(
            "profile {:?} gives no credentials ssoenv can show",
            printable(name)
        ))
        .hint("run `ssoenv status` to see every profile"));
    };
    let (session, url) = (p.sso_session.clone(), p.start_url.clone());
    status.sessions.retain(|s| {
        url.is_some()
            && s.start_url.as_str() == url.as_deref().unwrap_or_default()
            && s.name == session
    });
    Ok(())
}

/// `status --check [PROFILE]`: exit 0 when the profile's credentials can be
/// had without a person, the way `use` would get them: cached role credentials
/// it would reuse, or a token that is still valid or can be refreshed. Else 1.
/// Prints nothing; only a profile that cannot be checked is an error (exit 2).
/// Reads only the sections the profile needs (`Config::load_profile`).
fn check(env: &Env, profile: Option<String>, now: OffsetDateTime) -> Result<i32> {
    let Some(name) = profile.or_else(|| super::pick::aws_profile(env)) else {
        // A file ssoenv cannot read is said first, as for every command.
        Config::load(env)?;
        return Err(crate::error::Error::config(
            "status --check: no profile named and AWS_PROFILE is not set",
        )
        .hint("run `ssoenv status --check PROFILE`"));
    };
    let home = crate::env::home_dir(env)?;
    let usable = Plan::load(env, &name)?.usable_unattended(&home, now);
    Ok(if usable { 0 } else { 1 })
}

/// When a token or credentials expire: the timestamp and the time left
/// (`long`), or only the time left.
fn until(expires_at: &Option<String>, now: OffsetDateTime, long: bool) -> String {
    let Some(t) = expires_at else {
        return String::new();
    };
    match cache::parse_timestamp(t) {
        Some(exp) if exp > now => {
            let left = crate::prompt::remaining_text((exp - now).whole_seconds());
            if long {
                format!("{t} ({left} left)")
            } else {
                format!("{left} left")
            }
        }
        _ if long => t.clone(),
        _ => String::new(),
    }
}

/// The sessions' and profiles' tables, as they are when they fit in `width`
/// columns (or no width is known). Else the timestamps give way to the time
/// left, then the longest cells are cut (`…`), down to a floor per column.
fn render(s: &Status, now: OffsetDateTime, width: Option<usize>) -> String {
    let fits = |t: &[Vec<String>]| width.is_none_or(|w| crate::output::table_width(t) <= w);
    let (sessions, profiles) = (session_rows(s, now, true), profile_rows(s, now, true));
    let mut out = if fits(&sessions) && fits(&profiles) {
        let mut out = crate::output::table(&sessions);
        out.push('\n');
        out.push_str(&crate::output::table(&profiles));
        out
    } else {
        let sessions = session_rows(s, now, false);
        let profiles = profile_rows(s, now, false);
        // SESSION, START URL; then CREDENTIALS, ROLE, REGION, SESSION before
        // the PROFILE name, the one a person types.
        let mut out = crate::output::fitted_table(&sessions, width, &[&[(0, 8), (1, 24)]]);
        out.push('\n');
        out.push_str(&crate::output::fitted_table(
            &profiles,
            width,
            &[&[(2, 8), (4, 8), (5, 9), (6, 17)], &[(1, 10)]],
        ));
        // The errors in full below the table, each a message of its own.
        let errors: Vec<String> = s
            .profiles
            .iter()
            .filter_map(|p| {
                let e = p.error.as_deref()?;
                Some(format!("  {}: {}\n", printable(&p.name), printable(e)))
            })
            .collect();
        if !errors.is_empty() {
            out.push_str("\nerrors:\n");
            out.extend(errors);
        }
        out
    };
    let chains: Vec<String> = s
        .profiles
        .iter()
        .filter(|p| !p.chain.is_empty())
        .map(|p| {
            let names: Vec<_> = p.chain.iter().map(|n| printable(n).into_owned()).collect();
            let role = p.role_arn.as_deref().map(printable).unwrap_or_default();
            let line = format!("  {}  ({role})", names.join(" → "));
            match width {
                Some(w) if line.chars().count() > w => {
                    let kept: String = line.chars().take(w.saturating_sub(1)).collect();
                    format!("{kept}…\n")
                }
                _ => format!("{line}\n"),
            }
        })
        .collect();
    if !chains.is_empty() {
        out.push_str("\nrole chains (profile → source → … → SSO profile):\n");
        out.extend(chains);
    }
    match &s.active_profile {
        Some(a) => out.push_str(&format!("\nactive in this shell: {}\n", printable(a))),
        None => out.push_str("\nno profile is active in this shell\n"),
    }
    out
}

fn session_rows(s: &Status, now: OffsetDateTime, long: bool) -> Vec<Vec<String>> {
    let mut rows = vec![vec![
        "SESSION".to_owned(),
        "START URL".into(),
        "TOKEN".into(),
        "EXPIRES".into(),
    ]];
    for x in &s.sessions {
        rows.push(vec![
            x.name.clone().unwrap_or_else(|| "(legacy)".into()),
            x.start_url.clone(),
            x.token.state.into(),
            until(&x.token.expires_at, now, long),
        ]);
    }
    rows
}

fn profile_rows(s: &Status, now: OffsetDateTime, long: bool) -> Vec<Vec<String>> {
    let mut rows = vec![vec![
        " ".to_owned(),
        "PROFILE".into(),
        "SESSION".into(),
        "ACCOUNT".into(),
        "ROLE".into(),
        "REGION".into(),
        "CREDENTIALS".into(),
    ]];
    for p in &s.profiles {
        let creds = match (&p.error, &p.credentials) {
            (Some(e), _) if long => format!("error: {e}"),
            (Some(_), _) => "error (below)".into(),
            (None, Some(c)) if c.state == "absent" => "absent".into(),
            (None, Some(c)) if long => format!("{} {}", c.state, until(&c.expires_at, now, true)),
            (None, Some(c)) if c.state == "valid" => {
                format!("valid, {}", until(&c.expires_at, now, false))
            }
            (None, Some(c)) => c.state.into(),
            (None, None) => String::new(),
        };
        rows.push(vec![
            if p.active { "*".into() } else { " ".into() },
            p.name.clone(),
            match (&p.source_profile, &p.sso_session, &p.error) {
                (Some(source), _, _) => format!("via {source}"),
                (None, Some(s), _) => s.clone(),
                (None, None, None) => "(legacy)".into(),
                // Did not resolve (a missing sso-session, say): the error says why.
                (None, None, Some(_)) => "-".into(),
            },
            p.account_id.clone().unwrap_or_default(),
            p.role_name.clone().unwrap_or_default(),
            p.region.clone().unwrap_or_else(|| "-".into()),
            creds,
        ]);
    }
    rows
}
