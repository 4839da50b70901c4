//! `ssoenv emulator`: the local IAM Identity Center emulator in the foreground.
//! It says (on stderr) where it listens and a `~/.aws/config` snippet with one
//! profile per account and role it serves, ready to paste: the snippet
//! carries the endpoints (a `[services]` section), so nothing needs exporting.

use crate::cli::EmulatorArgs;
use crate::error::{Error, Result};
use ssoenv_emulator::{Emulator, EmulatorConfig, Fault, Fixture};

/// The sso-session (and services section) name of the printed snippet.
pub(crate) const SESSION: &str = "ssoenv-emulator";

/// The snippet's start URL: fixed and `https://`, as the demo's, so the
/// session is the same whatever port the emulator listens on and `ssoenv
/// configure` takes it like a real one. The emulator accepts any start URL.
pub(crate) const START_URL: &str = "https://d-0000000000.awsapps.com/start";

pub(crate) fn run(args: EmulatorArgs) -> Result<i32> {
    let fixture = match &args.fixture {
        None if args.accounts.is_some() => Fixture::generated(args.accounts.unwrap_or(0)),
        Some(p) => Fixture::from_file(p).map_err(|e| {
            Error::config(e).hint("a fixture looks like {\"accounts\":[{\"accountId\":\"111111111111\",\"roles\":[\"ReadOnly\"]}]}")
        })?,
        None => Fixture::default(),
    };
    let faults = args
        .faults
        .iter()
        .map(|s| {
            Fault::parse(s).map_err(|e| {
                Error::config(format!("invalid --fail {s:?}"))
                    .cause(e)
                    .hint("use OP:KIND[:TIMES], e.g. token:500:2, credentials:429=3:1, any:slow=3000 (see `ssoenv emulator --help`)")
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let cfg = EmulatorConfig {
        port: args.port,
        approve_after_polls: args.approve_after,
        interval: args.interval,
        token_ttl: args.token_ttl,
        role_ttl: args.role_ttl,
        deny: args.deny,
        expire_device_codes: args.expire,
        fixture: fixture.clone(),
        faults,
        latency_ms: args.latency_ms,
        ..EmulatorConfig::default()
    };
    let port = cfg.port;
    let emu = Emulator::start(cfg).map_err(|e| {
        Error::runtime(format!("could not start the emulator on 127.0.0.1:{port}"))
            .cause(e)
            .hint("pick another port with --port, or --port 0 for any free one")
    })?;
    crate::output::stderr_text(&banner(&emu.url(), &fixture));
    emu.wait();
    Ok(0)
}

/// What the emulator prints when it starts.
pub(crate) fn banner(url: &str, fixture: &Fixture) -> String {
    let mut out = format!(
        "ssoenv emulator: IAM Identity Center (SSO-OIDC + portal, STS, sign-in) listening on {url}\n\
         Its accounts and roles as ~/.aws/config profiles, with the endpoints in a [services]\n\
         section (paste into ~/.aws/config, or into a file named by AWS_CONFIG_FILE to keep them\n\
         apart; nothing needs exporting, and the AWS CLI and SDKs read the same section):\n\n"
    );
    let snippet = config_snippet(url, &shown_fixture(fixture));
    out.push_str(&snippet.text);
    if fixture.accounts.len() > BANNER_ACCOUNTS {
        out.push_str(&format!(
            "\n# … and {} more accounts: `ssoenv populate --sso-session {SESSION}` writes them all\n",
            fixture.accounts.len() - BANNER_ACCOUNTS
        ));
    }
    out.push_str(&format!(
        "\n# A role-chaining profile (role_arn + source_profile) you add needs\n\
         # `services = {SESSION}` too, for its STS calls.\n"
    ));
    if let Some(first) = snippet.profiles.first() {
        out.push_str(&format!(
            "\nThen: ssoenv login --sso-session {SESSION} && eval \"$(ssoenv use {first})\"\n"
        ));
    }
    out.push_str(&format!(
        "For a setup meant to last, start it with a fixed port (`ssoenv emulator --port {port}`):\n  \
         the snippet names the port, and a restart on another one breaks every pasted profile.\n\
         Tools without config files: export AWS_ENDPOINT_URL_SSO_OIDC={url} AWS_ENDPOINT_URL_SSO={url}\n  \
         AWS_ENDPOINT_URL_STS={url} AWS_ENDPOINT_URL_SIGNIN={url}\n",
        port = url.rsplit(':').next().unwrap_or("8080")
    ));
    out.push_str(&format!(
        "Control: GET {url}/_emulator/stats; POST {url}/_emulator/faults {{\"spec\":\"token:500:1\"}},\n  \
         /_emulator/settings, /_emulator/revoke, /_emulator/reset (see `ssoenv emulator --help`)\n\
         Press Ctrl-C to stop.\n"
    ));
    out
}

/// The banner's snippet shows at most this many accounts.
const BANNER_ACCOUNTS: usize = 10;

fn shown_fixture(fixture: &Fixture) -> Fixture {
    Fixture {
        accounts: fixture
            .accounts
            .iter()
            .take(BANNER_ACCOUNTS)
            .cloned()
            .collect(),
    }
}

pub(crate) struct Snippet {
    pub(crate) text: String,
    pub(crate) profiles: Vec<String>,
}

/// `[sso-session ssoenv-emulator]` and one `[profile ACCOUNT-ROLE]` per
/// account and role of the fixture. ACCOUNT is the account's name when it
/// makes a plain profile name, else its id; names are made unique.
pub(crate) fn config_snippet(url: &str, fixture: &Fixture) -> Snippet {
    let mut text = format!(
        "[sso-session {SESSION}]\n\
         sso_start_url = {START_URL}\n\
         sso_region = us-east-1\n\
         sso_registration_scopes = sso:account:access\n\
         \n\
         [services {SESSION}]\n\
         sso_oidc =\n  endpoint_url = {url}\n\
         sso =\n  endpoint_url = {url}\n\
         sts =\n  endpoint_url = {url}\n\
         signin =\n  endpoint_url = {url}\n"
    );
    let mut profiles: Vec<String> = Vec::new();
    for a in &fixture.accounts {
        let account = a
            .account_name
            .as_deref()
            .filter(|n| !n.is_empty() && n.chars().all(plain))
            .unwrap_or(&a.account_id);
        for role in &a.roles {
            // An INI value cannot hold a line break; such a fixture cannot be pasted.
            if role
                .chars()
                .chain(a.account_id.chars())
                .any(crate::text::is_control)
            {
                continue;
            }
            let base: String = format!("{account}-{role}")
                .chars()
                .map(|c| if plain(c) { c } else { '-' })
                .collect();
            let mut name = base.clone();
            let mut n = 2;
            while profiles.contains(&name) {
                name = format!("{base}-{n}");
                n += 1;
            }
            text.push_str(&format!(
                "\n[profile {name}]\n\
                 sso_session = {SESSION}\n\
                 services = {SESSION}\n\
                 sso_account_id = {}\n\
                 sso_role_name = {}\n\
                 region = us-east-1\n",
                a.account_id.trim(),
                role.trim()
            ));
            profiles.push(name);
        }
    }
    Snippet { text, profiles }
}

/// Characters that keep a profile name plain: no quoting in a section header or a shell.
fn plain(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn the_snippet_resolves_to_one_profile_per_account_and_role() {
        let fixture = Fixture::from_json(
            r#"{"accounts":[{"accountId":"111111111111","accountName":"dev","roles":["Admin","ReadOnly"]},
                {"accountId":"222222222222","accountName":"my team","roles":["Admin"]},
                {"accountId":"333333333333","accountName":"dev","roles":["Admin"]}]}"#,
        )
        .unwrap();
        let s = config_snippet("http://127.0.0.1:1", &fixture);
        assert_eq!(
            s.profiles,
            [
                "dev-Admin",
                "dev-ReadOnly",
                "222222222222-Admin",
                "dev-Admin-2"
            ]
        );
        let config = Config::parse("/x/config".into(), &s.text).unwrap();
        let p = config.resolve("dev-Admin-2").unwrap();
        assert_eq!(p.account_id, "333333333333");
        assert_eq!(p.role_name, "Admin");
        assert_eq!(p.sso.name.as_deref(), Some(SESSION));
        assert_eq!(p.sso.start_url, START_URL);
        assert_eq!(p.endpoints.sso_oidc.as_deref(), Some("http://127.0.0.1:1"));
        assert_eq!(p.endpoints.sts.as_deref(), Some("http://127.0.0.1:1"));
        assert_eq!(config.sso_profiles().len(), 4);
    }
}
