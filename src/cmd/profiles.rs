//! `ssoenv profiles [--json | --names | --sessions]`: the profiles of the
//! config ssoenv can use (name, session, account, role, region), SSO and
//! role-chaining ones (with their `role_arn` and source), for people,
//! scripts and completions.

use crate::aws::endpoint;
use crate::cli::ProfilesArgs;
use crate::config::{Config, ConfiguredEndpoints};
use crate::credentials::Plan;
use crate::env::Env;
use crate::error::Result;
use crate::text::printable;
use serde::Serialize;

#[derive(Debug, Serialize)]
struct Row {
    name: String,
    sso_session: Option<String>,
    start_url: String,
    account_id: String,
    role_name: String,
    region: Option<String>,
    /// `sso` or `assume-role` (role chaining).
    kind: &'static str,
    /// A chained profile's `role_arn` and `source_profile`; null for SSO.
    role_arn: Option<String>,
    source_profile: Option<String>,
}

pub(crate) fn run(args: ProfilesArgs, env: &Env) -> Result<i32> {
    if args.names || args.sessions {
        return names(env, args.sessions);
    }
    let config = Config::load(env)?;
    let mut rows = Vec::new();
    for (name, p) in Plan::listed(&config) {
        match p {
            Ok(plan) => {
                let d = plan.describe();
                rows.push(Row {
                    sso_session: d.session.and_then(|s| s.name.clone()),
                    start_url: d.session.map(|s| s.start_url.clone()).unwrap_or_default(),
                    account_id: d.account_id.unwrap_or_default().to_owned(),
                    role_name: d.role_name.unwrap_or_default().to_owned(),
                    region: plan.region().map(str::to_owned),
                    kind: d.kind,
                    source_profile: d.source_profile.map(str::to_owned),
                    role_arn: d.role_arn.map(str::to_owned),
                    name,
                })
            }
            Err(mut e) => {
                e.message = format!(
                    "skipping profile \"{}\": {}",
                    printable(&name),
                    printable(&e.message)
                );
                crate::output::warn_error(&e);
            }
        }
    }
    if args.json {
        let mut s = crate::text::json_for_terminal(
            serde_json::to_string_pretty(&rows).expect("plain data serializes"),
        );
        s.push('\n');
        super::emit(&s)?;
        return Ok(0);
    }
    let mut table = vec![vec![
        "PROFILE".to_owned(),
        "SESSION".into(),
        "ACCOUNT".into(),
        "ROLE".into(),
        "REGION".into(),
    ]];
    for r in rows {
        let session = match (r.source_profile, r.sso_session) {
            (Some(source), _) => format!("via {source}"),
            (None, Some(s)) => s,
            (None, None) => "(legacy)".into(),
        };
        table.push(vec![
            r.name,
            session,
            r.account_id,
            r.role_name,
            r.region.unwrap_or_else(|| "-".into()),
        ]);
    }
    super::emit(&crate::output::table(&table))?;
    Ok(0)
}

/// `ssoenv profiles --names` / `--sessions`: for shell completion, the
/// profiles `use` accepts (or the sso-sessions `login --sso-session` accepts),
/// one a line, in file order. Read with the same parser and resolution as
/// `use`: a profile that gives no credentials (static keys alone, the usual
/// `[default]` with just a region), does not resolve (a broken chain), or
/// whose SSO profile has an unusable sso_region or endpoint is left out.
/// Role-chaining profiles are listed with the others. No config file means no names; a file
/// ssoenv refuses prints nothing on stdout and fails as `use` would (the
/// completion scripts send stderr to /dev/null).
fn names(env: &Env, sessions: bool) -> Result<i32> {
    if !sessions {
        return profile_names(env);
    }
    let Some(config) = Config::load_if_present(env)? else {
        return Ok(0);
    };
    let mut out = String::new();
    for name in config.sso_session_names() {
        let ok = config
            .sso_session(&name)
            .and_then(|s| endpoint::resolve(&s.region, &ConfiguredEndpoints::default(), env));
        if ok.is_ok() && listable(&name) {
            out.push_str(&name);
            out.push('\n');
        }
    }
    super::emit(&out)?;
    std::mem::forget(config);
    Ok(0)
}

/// `--names`: each profile is resolved, or answered for by one that resolves
/// as it does (a config of 100,000 profiles is mostly profiles of a few
/// shapes, `config::Listing`).
fn profile_names(env: &Env) -> Result<i32> {
    let Some(listing) = Config::load_listing(env)? else {
        return Ok(0);
    };
    // Most profiles share a region and endpoint settings: check each
    // combination once in a row, not once per profile.
    let mut last: Option<(String, ConfiguredEndpoints, bool)> = None;
    let usable: Vec<bool> = Plan::all(&listing.config)
        .map(|(_, resolved)| {
            let Ok(profile) = resolved else {
                return false;
            };
            // A chain starting from static keys has no SSO endpoint to check.
            let Some(p) = profile.login_session() else {
                return true;
            };
            match &last {
                Some((region, endpoints, ok))
                    if *region == p.sso.region && *endpoints == p.endpoints =>
                {
                    *ok
                }
                _ => {
                    let ok = endpoint::resolve(&p.sso.region, &p.endpoints, env).is_ok();
                    last = Some((p.sso.region.clone(), p.endpoints.clone(), ok));
                    ok
                }
            }
        })
        .collect();
    let mut out = String::new();
    for (name, answer) in listing.profiles() {
        if usable[answer] && listable(name) {
            out.push_str(name);
            out.push('\n');
        }
    }
    super::emit(&out)?;
    // The process ends now: freeing a config of 100,000 profiles piece by
    // piece would only delay it (a few ms of a completion's <Tab>).
    std::mem::forget(listing);
    Ok(0)
}

/// Shell completion reads one name a line and may list the candidates on the
/// terminal: a name with a control character (a line break cannot be
/// represented at all; ESC/BEL would act on the terminal) is left out, and so
/// is the empty name (`[profile ""]`), which would be an empty line.
fn listable(name: &str) -> bool {
    !name.is_empty() && !name.chars().any(crate::text::needs_escape)
}
