//! `ssoenv profiles [--json]`: the SSO profiles of the config (name, session,
//! account, role, region), for people, scripts and completions.

use crate::cli::ProfilesArgs;
use crate::config::Config;
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
    if args.names {
        return names(env);
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
            Err(e) => eprintln!(
                "ssoenv: warning: skipping profile \"{}\": {}",
                printable(&name),
                printable(&e.message)
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

/// `ssoenv profiles --names`: every profile name of the config file, one a
/// line, from a scan of the section headers with no validation, so that
/// completion works even in a file ssoenv would refuse. On any error, nothing.
/// Names holding control characters are skipped (see below).
fn names(env: &Env) -> Result<i32> {
    let Ok(path) = Config::path(env) else {
        return Ok(0);
    };
    let Ok(bytes) = crate::config::read_config_file(&path) else {
        return Ok(0);
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return Ok(0);
    };
    // Shell completion reads one name a line and may list the candidates on
    // the terminal: a name with a control character (a line break cannot be
    // represented at all; ESC/BEL would act on the terminal) is left out.
    let names: Vec<String> = profile_names(&text)
        .into_iter()
        .filter(|n| !n.chars().any(crate::text::is_control))
        .collect();
    if !names.is_empty() {
        super::emit(&(names.join("\n") + "\n"))?;
    }
    Ok(0)
}

/// `[default]` and `[profile NAME]` section names, in file order, once each.
pub fn profile_names(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        let Some(inner) = line.strip_prefix('[').and_then(|l| l.split(']').next()) else {
            continue;
        };
        let inner = inner.trim();
        let name = if inner == "default" {
            "default"
        } else if let Some(rest) = inner.strip_prefix("profile")
            && rest.starts_with([' ', '\t'])
        {
            rest.trim()
        } else {
            continue;
        };
        if !name.is_empty() && !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_names_come_from_section_headers_only() {
        let text = "[default]\nregion = x\n[profile dev]\n[ profile  prod ]\n[sso-session corp]\n\
                    [profilex]\n  [profile dev]\n[services s]\n# [profile no]\n[profile a b]\n";
        assert_eq!(profile_names(text), ["default", "dev", "prod", "a b"]);
    }
}
