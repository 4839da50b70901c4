//! `ssoenv profiles [--json | --names | --sessions]`: the SSO profiles of the
//! config (name, session, account, role, region), for people, scripts and
//! completions.

use crate::aws::endpoint;
use crate::cli::ProfilesArgs;
use crate::config::{Config, ConfiguredEndpoints};
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
}

pub fn run(args: ProfilesArgs, env: &Env) -> Result<i32> {
    if args.names || args.sessions {
        return names(env, args.sessions);
    }
    let config = Config::load(env)?;
    let mut rows = Vec::new();
    for (name, p) in config.sso_profiles() {
        match p {
            Ok(p) => rows.push(Row {
                name,
                sso_session: p.sso.name,
                start_url: p.sso.start_url,
                account_id: p.account_id,
                role_name: p.role_name,
                region: p.region,
            }),
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
        let mut s = serde_json::to_string_pretty(&rows).expect("plain data serializes");
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
        table.push(vec![
            r.name,
            r.sso_session.unwrap_or_else(|| "(legacy)".into()),
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
/// `use`: a profile that is not SSO (static keys, `role_arn` alone, the usual
/// `[default]` with just a region), does not resolve, or has an unusable
/// sso_region or endpoint is left out. No config file means no names; a file
/// ssoenv refuses prints nothing on stdout and fails as `use` would (the
/// completion scripts send stderr to /dev/null).
fn names(env: &Env, sessions: bool) -> Result<i32> {
    let Some(config) = Config::load_if_present(env)? else {
        return Ok(0);
    };
    let mut out = String::new();
    let mut add = |name: &str| {
        if listable(name) {
            out.push_str(name);
            out.push('\n');
        }
    };
    if sessions {
        for name in config.sso_session_names() {
            let ok = config
                .sso_session(&name)
                .and_then(|s| endpoint::resolve(&s.region, &ConfiguredEndpoints::default(), env));
            if ok.is_ok() {
                add(&name);
            }
        }
    } else {
        // Most profiles share a region and endpoint settings: check each
        // combination once in a row, not once per profile.
        let mut last: Option<(String, ConfiguredEndpoints, bool)> = None;
        for (name, resolved) in config.resolve_all() {
            let Ok(p) = resolved else {
                continue;
            };
            let ok = match &last {
                Some((region, endpoints, ok))
                    if *region == p.sso.region && *endpoints == p.endpoints =>
                {
                    *ok
                }
                _ => {
                    let ok = endpoint::resolve(&p.sso.region, &p.endpoints, env).is_ok();
                    last = Some((p.sso.region, p.endpoints, ok));
                    ok
                }
            };
            if ok {
                add(name);
            }
        }
    }
    super::emit(&out)?;
    Ok(0)
}

/// Shell completion reads one name a line and may list the candidates on the
/// terminal: a name with a control character (a line break cannot be
/// represented at all; ESC/BEL would act on the terminal) is left out, and so
/// is the empty name (`[profile ""]`), which would be an empty line.
fn listable(name: &str) -> bool {
    !name.is_empty() && !name.chars().any(crate::text::is_control)
}
