//! `ssoenv accounts [PROFILE | --sso-session NAME] [--json]`: every account
//! the SSO session can see, with its roles, from the portal (ListAccounts and
//! ListAccountRoles, every page). Logs in first when needed, as `login` does.

use crate::accounts::{self, AccountRoles};
use crate::cli::AccountsArgs;
use crate::config::Config;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::login::LoginOptions;
use crate::text::printable;

pub(crate) fn run(args: AccountsArgs, env: &Env) -> Result<i32> {
    let named = (args.profile.as_deref(), args.sso_session.as_deref());
    let (target, ctx, endpoints) = super::pick::session_target(env, named, which_session)?;
    let sso = &target.session;
    let opts = LoginOptions::for_credentials(env, args.login.no_browser, false);
    let all = accounts::fetch(&ctx, sso, &endpoints, &target.subject(), opts)?;
    let out = if args.json { json(&all) } else { table(&all) };
    super::emit(&out)?;
    Ok(0)
}

/// `[{"accountId","accountName","emailAddress","roles":[…]}]`, one line, and a newline.
pub(crate) fn json(all: &[AccountRoles]) -> String {
    let mut s = crate::text::json_for_terminal(
        serde_json::to_string(all).unwrap_or_else(|_| "[]".to_owned()),
    );
    s.push('\n');
    s
}

/// ACCOUNT ID, NAME, ROLES columns; outside text shown escaped.
pub(crate) fn table(all: &[AccountRoles]) -> String {
    let rows: Vec<[String; 3]> = all
        .iter()
        .map(|a| {
            [
                printable(&a.account_id).into_owned(),
                printable(a.account_name.as_deref().unwrap_or("-")).into_owned(),
                printable(&a.roles.join(", ")).into_owned(),
            ]
        })
        .collect();
    let head = ["ACCOUNT ID", "NAME", "ROLES"];
    let width = |i: usize| {
        rows.iter()
            .map(|r| r[i].chars().count())
            .chain([head[i].len()])
            .max()
            .unwrap_or(0)
    };
    let (w0, w1) = (width(0), width(1));
    let mut out = String::new();
    for r in std::iter::once(head.map(str::to_owned)).chain(rows) {
        let pad0 = " ".repeat(w0 - r[0].chars().count());
        let pad1 = " ".repeat(w1 - r[1].chars().count());
        out.push_str(&format!("{}{pad0}  {}{pad1}  {}", r[0], r[1], r[2]));
        out.truncate(out.trim_end().len());
        out.push('\n');
    }
    out
}

/// Nothing named: the SSO sessions and profiles to choose from.
fn which_session(config: &Config, env: &Env) -> Error {
    super::pick::which_session(config, env, |_| {
        "run `ssoenv accounts PROFILE` or `ssoenv accounts --sso-session NAME`".to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_aligns_columns_and_escapes_names() {
        let t = table(&[
            AccountRoles::example("111111111111", Some("dev\x1b[2J"), &["Admin", "ReadOnly"]),
            AccountRoles::example("2", None, &[]),
        ]);
        assert_eq!(
            t,
            "ACCOUNT ID    NAME      ROLES\n\
             111111111111  dev\\e[2J  Admin, ReadOnly\n\
             2             -\n"
        );
    }

    #[test]
    fn json_has_the_documented_keys() {
        let v: serde_json::Value =
            serde_json::from_str(&json(&[AccountRoles::example("1", None, &["R"])])).unwrap();
        assert_eq!(
            v,
            serde_json::json!([{"accountId": "1", "accountName": null, "emailAddress": null, "roles": ["R"]}])
        );
    }
}
