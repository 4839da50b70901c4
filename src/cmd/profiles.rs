//! `ssoenv profiles [--json]`: the SSO profiles of the config (name, session,
//! account, role, region), for people, scripts and completions.

use crate::cli::ProfilesArgs;
use crate::config::Config;
use crate::env::Env;
use crate::error::Result;
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
            Err(e) => eprintln!(
                "ssoenv: warning: skipping profile \"{name}\": {}",
                e.message
            ),
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
    super::emit(&super::status::table(&table))?;
    Ok(0)
}
