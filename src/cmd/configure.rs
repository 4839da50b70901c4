//! `ssoenv configure`: the `aws configure sso` wizard. On a terminal it asks
//! for what no flag gave (SSO session name, start URL, SSO region, scopes),
//! logs in, lets the person pick an account and a role, asks for a default
//! region and a profile name, and writes `[sso-session …]` and
//! `[profile …]` with `config::edit` (everything else stays byte for byte).
//! Every answer can be a flag; with the account and role given no login is
//! needed, so the all-flags form is scriptable. Questions go to stderr.
//!
//! A section of the same name with other values is an error, never an
//! overwrite.

use crate::accounts::{self, AccountRoles};
use crate::aws::endpoint;
use crate::cli::ConfigureArgs;
use crate::config::edit::{self, Document, Kind, Upserted, Written};
use crate::config::{Config, ConfiguredEndpoints, SsoSession, read_config_file};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::fs::ReadError;
use crate::login::{Ctx, LoginOptions, Subject};
use crate::text::printable;
use std::path::Path;

pub(crate) const DEFAULT_SCOPES: &str = "sso:account:access";

pub(crate) fn run(args: ConfigureArgs, env: &Env) -> Result<i32> {
    let file = read(env)?;
    // Before any question: a read-only file is the owner's "do not touch".
    edit::check_writable_by_owner(&file.path)?;
    // With every answer given as a flag, nothing is asked, terminal or not
    // (the optional answers take their defaults, as without a terminal).
    let complete = require_flags(&args, &file.config);
    let tty = crate::tty::interactive() && complete.is_err();
    if !crate::tty::interactive() {
        complete?;
    }
    let (session_name, sso) = sso_session(&args, &file.config, tty)?;
    let mut new = file.doc.clone();
    // Refuse a clash before any login.
    add_session(&mut new, &file.path, &session_name, &sso)?;
    let Some((account_id, role_name)) =
        account_and_role(&args, env, &file.config, &sso, &session_name)?
    else {
        return Ok(crate::tty::CANCELLED);
    };
    let profile = profile_answers(&args, tty, &account_id, &role_name)?;
    add_profile(
        &mut new,
        &file.path,
        &session_name,
        &account_id,
        &role_name,
        &profile,
    )?;
    save(&file, &new, &profile.name, &session_name)?;
    Ok(0)
}

/// The config file as read: its path, bytes, editable document and parse.
struct ConfigFile {
    path: std::path::PathBuf,
    original: Vec<u8>,
    doc: Document,
    config: Config,
}

/// Read the config file (a missing one is empty).
fn read(env: &Env) -> Result<ConfigFile> {
    let path = Config::path(env)?;
    let original = match read_config_file(&path) {
        Ok(b) => b,
        Err(ReadError::NotFound) => Vec::new(),
        Err(_) => {
            // Config::load words every other problem with the file.
            Config::load(env)?;
            return Err(Error::runtime(format!("could not read {}", path.display())));
        }
    };
    let doc = Document::parse(&original).map_err(|mut e| {
        e.message = format!("{}: {}", path.display(), e.message);
        e
    })?;
    let text = String::from_utf8_lossy(&original).into_owned();
    let config = Config::parse(path.clone(), &text)?;
    Ok(ConfigFile {
        path,
        original,
        doc,
        config,
    })
}

/// Without a terminal, every answer without a default must be a flag.
fn require_flags(args: &ConfigureArgs, config: &Config) -> Result<()> {
    let existing = args
        .sso_session
        .as_deref()
        .is_some_and(|n| config.sso_session(n).is_ok());
    let mut missing = Vec::new();
    let mut need = |given: bool, flag: &'static str| {
        if !given {
            missing.push(flag);
        }
    };
    need(args.sso_session.is_some(), "--sso-session");
    need(args.start_url.is_some() || existing, "--start-url");
    need(args.sso_region.is_some() || existing, "--sso-region");
    need(args.account_id.is_some(), "--account-id");
    need(args.role_name.is_some(), "--role-name");
    need(args.region.is_some(), "--region");
    if !missing.is_empty() {
        return Err(Error::config(format!(
            "not a terminal, so nothing can be asked; missing: {}",
            missing.join(" ")
        ))
        .hint(
            "give every answer as a flag: ssoenv configure --sso-session NAME --start-url URL \
             --sso-region REGION --account-id ID --role-name ROLE --region REGION [--profile NAME]",
        ));
    }
    Ok(())
}

/// The SSO session: an existing one is reused (flags must agree with it),
/// else asked for; checked.
fn sso_session(args: &ConfigureArgs, config: &Config, tty: bool) -> Result<(String, SsoSession)> {
    let session_name = match args.sso_session.clone() {
        Some(n) => n,
        None => ask_session_name(config)?,
    };
    check_name(&session_name).map_err(|e| Error::config(format!("--sso-session: {e}")))?;
    let existing = config.sso_session(&session_name).ok();
    let sso = match &existing {
        Some(s) => {
            if tty && args.start_url.is_none() {
                crate::output::note(&format!(
                    "using the existing sso-session \"{}\" ({}, {})",
                    printable(&session_name),
                    printable(&s.start_url),
                    printable(&s.region)
                ));
            }
            SsoSession {
                name: Some(session_name.clone()),
                start_url: args
                    .start_url
                    .clone()
                    .unwrap_or_else(|| s.start_url.clone()),
                region: args.sso_region.clone().unwrap_or_else(|| s.region.clone()),
                scopes: match &args.scopes {
                    Some(sc) => Some(split_scopes(sc)),
                    None => s.scopes.clone(),
                },
            }
        }
        None => {
            let start_url = match args.start_url.clone() {
                Some(u) => u,
                None => crate::tty::ask("SSO start URL", None, false, check_start_url)?,
            };
            let region = match args.sso_region.clone() {
                Some(r) => r,
                None => crate::tty::ask("SSO region", None, false, check_region)?,
            };
            let scopes = match args.scopes.clone() {
                Some(s) => s,
                None if tty => crate::tty::ask(
                    "SSO registration scopes",
                    Some(DEFAULT_SCOPES),
                    false,
                    check_scopes,
                )?,
                None => DEFAULT_SCOPES.to_owned(),
            };
            SsoSession {
                name: Some(session_name.clone()),
                start_url,
                region,
                scopes: Some(split_scopes(&scopes)),
            }
        }
    };
    // Each value is checked where it came from: a flag, an answer, or the
    // existing section (which the person never typed here).
    let from_file = |key: &str| {
        format!(
            "{key} of [sso-session {}] in {}",
            printable(&session_name),
            config.path.display()
        )
    };
    let edit_hint = |flag: &str| {
        format!(
            "fix it in [sso-session {}], or give {flag} to use another value",
            printable(&session_name)
        )
    };
    match (&existing, &args.start_url) {
        // The existing section's start URL is the one its logins already use;
        // a loopback `http://` one is the emulator's (docs/endpoints.md#overrides).
        (Some(_), None) => check_existing_start_url(&sso.start_url).map_err(|e| {
            Error::config(format!("{}: {e}", from_file("sso_start_url")))
                .hint(edit_hint("--start-url"))
        })?,
        _ => check_start_url(&sso.start_url)
            .map_err(|e| Error::config(format!("--start-url: {e}")))?,
    }
    match (&existing, &args.sso_region) {
        (Some(_), None) => check_region(&sso.region).map_err(|e| {
            Error::config(format!("{}: {e}", from_file("sso_region")))
                .hint(edit_hint("--sso-region"))
        })?,
        _ => check_region(&sso.region).map_err(|e| Error::config(format!("--sso-region: {e}")))?,
    }
    let scopes_value = sso.scopes.as_ref().map(|s| s.join(","));
    if let Some(s) = &scopes_value {
        check_scopes(s).map_err(|e| match (&existing, &args.scopes) {
            (Some(_), None) => {
                Error::config(format!("{}: {e}", from_file("sso_registration_scopes")))
                    .hint(edit_hint("--scopes"))
            }
            _ => Error::config(format!("--scopes: {e}")),
        })?;
    }
    Ok((session_name, sso))
}

/// The session name, asked: the config's sso-sessions are listed first, and
/// the first is the default (Enter reuses it; a new name makes a new one).
fn ask_session_name(config: &Config) -> Result<String> {
    let names = config.sso_session_names();
    if names.is_empty() {
        return crate::tty::ask("SSO session name", None, false, check_name);
    }
    let lines: Vec<String> = names
        .iter()
        .map(|n| match config.sso_session(n) {
            Ok(s) => format!(
                "    {}  {}  {}",
                printable(n),
                printable(&s.start_url),
                printable(&s.region)
            ),
            Err(_) => format!("    {}", printable(n)),
        })
        .collect();
    crate::output::stderr_text(&format!(
        "sso-sessions in {} (type one to reuse it, or a new name):\n{}\n",
        printable(&config.path.display().to_string()),
        lines.join("\n")
    ));
    crate::tty::ask("SSO session name", Some(&names[0]), false, check_name)
}

/// Add (or find unchanged) the `[sso-session …]` section; a clash is an error.
fn add_session(
    new: &mut Document,
    path: &Path,
    session_name: &str,
    sso: &SsoSession,
) -> Result<()> {
    let scopes_value = sso.scopes.as_ref().map(|s| s.join(","));
    let mut session_pairs = vec![
        ("sso_start_url", sso.start_url.as_str()),
        ("sso_region", sso.region.as_str()),
    ];
    if let Some(s) = &scopes_value {
        session_pairs.push(("sso_registration_scopes", s.as_str()));
    }
    let session_upsert =
        new.upsert_section(Kind::SsoSession, session_name, &session_pairs, None)?;
    if let Err(clash) = session_upsert {
        return Err(Error::config(format!(
            "{}: {}; nothing was written",
            path.display(),
            printable(&clash.to_string())
        ))
        .hint(format!(
            "choose another --sso-session name, or edit [{}] by hand",
            printable(&clash.raw)
        )));
    }

    Ok(())
}

/// The account and role: given, else picked from what the portal lists
/// (None: the person cancelled).
fn account_and_role(
    args: &ConfigureArgs,
    env: &Env,
    config: &Config,
    sso: &SsoSession,
    session_name: &str,
) -> Result<Option<(String, String)>> {
    let (account_id, role_name) = match (args.account_id.clone(), args.role_name.clone()) {
        (Some(a), Some(r)) => (a, r),
        (account, role) => {
            let configured = config.session_endpoints(session_name);
            let all = list(env, sso, &configured, session_name, args.login.no_browser)?;
            let Some(picked) = choose(&all, account, role)? else {
                return Ok(None);
            };
            picked
        }
    };
    check_account_id(&account_id).map_err(|e| Error::config(format!("--account-id: {e}")))?;
    check_name(&role_name).map_err(|e| Error::config(format!("--role-name: {e}")))?;

    Ok(Some((account_id, role_name)))
}

/// The profile's own answers.
struct ProfileAnswers {
    region: Option<String>,
    output: Option<String>,
    name: String,
}

/// The default region, output format and profile name: flags, else asked.
fn profile_answers(
    args: &ConfigureArgs,
    tty: bool,
    account_id: &str,
    role_name: &str,
) -> Result<ProfileAnswers> {
    let region = match args.region.clone() {
        Some(r) => Some(r),
        None => {
            let r = crate::tty::ask(
                "CLI default client Region (empty for none)",
                None,
                true,
                check_region,
            )?;
            (!r.is_empty()).then_some(r)
        }
    };
    if let Some(r) = &region {
        check_region(r).map_err(|e| Error::config(format!("--region: {e}")))?;
    }
    let output = match args.output.clone() {
        Some(o) => Some(o),
        None if tty => {
            let o = crate::tty::ask(
                "CLI default output format (empty for none)",
                None,
                true,
                check_output,
            )?;
            (!o.is_empty()).then_some(o)
        }
        None => None,
    };
    if let Some(o) = &output {
        check_output(o).map_err(|e| Error::config(format!("--output: {e}")))?;
    }
    let default_name = format!("{role_name}-{account_id}");
    let profile_name = match args.profile.clone() {
        Some(p) => p,
        None if tty => crate::tty::ask("CLI profile name", Some(&default_name), false, check_name)?,
        None => default_name,
    };
    check_name(&profile_name).map_err(|e| Error::config(format!("--profile: {e}")))?;

    Ok(ProfileAnswers {
        region,
        output,
        name: profile_name,
    })
}

/// Add (or find unchanged) the `[profile …]` section; a clash is an error.
fn add_profile(
    new: &mut Document,
    path: &Path,
    session_name: &str,
    account_id: &str,
    role_name: &str,
    profile: &ProfileAnswers,
) -> Result<()> {
    let mut pairs = vec![
        ("sso_session", session_name),
        ("sso_account_id", account_id),
        ("sso_role_name", role_name),
    ];
    if let Some(r) = &profile.region {
        pairs.push(("region", r.as_str()));
    }
    if let Some(o) = &profile.output {
        pairs.push(("output", o.as_str()));
    }
    match new.upsert_section(Kind::Profile, &profile.name, &pairs, None)? {
        Ok(Upserted::Added | Upserted::Replaced | Upserted::Unchanged) => {}
        Err(clash) => {
            return Err(Error::config(format!(
                "{}: {}; nothing was written",
                path.display(),
                printable(&clash.to_string())
            ))
            .hint("choose another name with --profile, or edit that profile by hand"));
        }
    }
    Ok(())
}

/// Write the file and say what was written and how to use it.
fn save(file: &ConfigFile, new: &Document, profile_name: &str, session_name: &str) -> Result<()> {
    let quoted = shell_words::quote(profile_name).into_owned();
    match edit::write_config(&file.path, &file.original, new.to_bytes())? {
        Written::Unchanged => crate::output::note(&format!(
            "{} already has profile \"{}\"; nothing changed",
            file.path.display(),
            printable(profile_name)
        )),
        Written::Written { target, backup } => {
            if let Some(b) = backup {
                crate::output::note(&format!("saved the previous config as {}", b.display()));
            }
            crate::output::note(&format!(
                "wrote profile \"{}\" (sso-session \"{}\") to {}",
                printable(profile_name),
                printable(session_name),
                target.display()
            ));
        }
    }
    crate::output::note(&format!(
        "use it with `ssoenv use {q}` or `ssoenv exec {q} -- aws sts get-caller-identity`",
        q = printable(&quoted)
    ));
    Ok(())
}

/// Log in (the person is there: the wizard was asked for) and list every
/// account and role.
fn list(
    env: &Env,
    sso: &SsoSession,
    configured: &ConfiguredEndpoints,
    name: &str,
    no_browser: bool,
) -> Result<Vec<AccountRoles>> {
    let endpoints = endpoint::resolve_for(sso, configured, env)?;
    let ctx = Ctx::new(env)?;
    let opts = LoginOptions::for_login(no_browser, false);
    let mut all = accounts::fetch(&ctx, sso, &endpoints, &Subject::Session(name), opts)?;
    accounts::sort(&mut all);
    Ok(all)
}

/// The account, then the role: given ones are checked against the list; a
/// single choice is taken without asking. `None` when cancelled (Esc).
fn choose(
    all: &[AccountRoles],
    account: Option<String>,
    role: Option<String>,
) -> Result<Option<(String, String)>> {
    if all.is_empty() {
        return Err(Error::runtime("the SSO session can use no account")
            .hint("ask your administrator to assign you an account in IAM Identity Center"));
    }
    let label = |a: &AccountRoles| match &a.account_name {
        Some(n) => format!("{} ({})", n, a.account_id),
        None => a.account_id.clone(),
    };
    let acct = match account {
        Some(id) => match all.iter().find(|a| a.account_id == id) {
            Some(a) => a,
            None => {
                return Err(Error::config(format!(
                    "account {} is not one this SSO session can use",
                    printable(&id)
                ))
                .details(all.iter().map(|a| format!("    {}", printable(&label(a))))));
            }
        },
        None if all.len() == 1 => {
            crate::output::note(&format!(
                "the only account available: {}",
                printable(&label(&all[0]))
            ));
            &all[0]
        }
        None => {
            crate::output::note(&format!("{} accounts are available", all.len()));
            let items: Vec<String> = all
                .iter()
                .map(|a| match (&a.account_name, &a.email_address) {
                    (Some(n), Some(e)) => format!("{n}  {}  {e}", a.account_id),
                    (Some(n), None) => format!("{n}  {}", a.account_id),
                    _ => a.account_id.clone(),
                })
                .collect();
            match crate::tty::pick("account (type to filter)", &items)? {
                Some(i) => &all[i],
                None => return Ok(None),
            }
        }
    };
    let role = match role {
        Some(r) if acct.roles.contains(&r) => r,
        Some(r) => {
            return Err(Error::config(format!(
                "role {} is not one you can use in account {}",
                printable(&r),
                printable(&label(acct))
            ))
            .details(acct.roles.iter().map(|r| format!("    {}", printable(r)))));
        }
        None => match acct.roles.as_slice() {
            [] => {
                return Err(Error::runtime(format!(
                    "no role is available in account {}",
                    printable(&label(acct))
                )));
            }
            [one] => {
                crate::output::note(&format!("the only role available: {}", printable(one)));
                one.clone()
            }
            roles => match crate::tty::pick("role (type to filter)", roles)? {
                Some(i) => roles[i].clone(),
                None => return Ok(None),
            },
        },
    };
    crate::output::note(&format!(
        "using account {}, role {}",
        printable(&label(acct)),
        printable(&role)
    ));
    Ok(Some((acct.account_id.clone(), role)))
}

fn split_scopes(s: &str) -> Vec<String> {
    s.split(',')
        .map(|x| x.trim().to_owned())
        .filter(|x| !x.is_empty())
        .collect()
}

/// A name for a section: not empty, no control characters, no invisible
/// format characters (bidi overrides: a name must read as it is), nothing
/// botocore would read back differently (no `[`/`]`, no surrounding spaces).
pub(crate) fn check_name(s: &str) -> std::result::Result<(), String> {
    if s.is_empty() {
        return Err("the name is empty".into());
    }
    if let Some(c) = s.chars().find(|c| crate::text::is_control(*c)) {
        return Err(format!(
            "{c:?} (a control character) cannot appear in a name"
        ));
    }
    if let Some(c) = s.chars().find(|c| crate::text::is_invisible_format(*c)) {
        return Err(format!(
            "{c:?} (an invisible or bidi formatting character) cannot appear in a name"
        ));
    }
    if let Some(c) = s.chars().find(|c| matches!(c, '[' | ']' | '#' | ';' | '=')) {
        return Err(format!("{c:?} cannot appear in a name"));
    }
    if s.trim() != s {
        return Err("a name cannot start or end with a space".into());
    }
    Ok(())
}

/// `https://` and a host, nothing a config line could not hold.
pub(crate) fn check_start_url(s: &str) -> std::result::Result<(), String> {
    let Some(rest) = s.strip_prefix("https://") else {
        return Err(format!(
            "{} is not an https:// URL; start URLs look like https://d-1234567890.awsapps.com/start",
            printable(s)
        ));
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() {
        return Err("the start URL has no host".into());
    }
    if s.chars()
        .any(|c| c.is_whitespace() || crate::text::is_control(c))
    {
        return Err("a start URL cannot contain spaces or control characters".into());
    }
    Ok(())
}

/// The start URL of an existing `[sso-session]`: as [`check_start_url`], or
/// `http://` to a loopback host (an emulator's; nothing real has one).
fn check_existing_start_url(s: &str) -> std::result::Result<(), String> {
    let loopback = s.strip_prefix("http://").is_some_and(|_| {
        crate::aws::http::url_host(s).is_some_and(crate::aws::http::is_loopback_host)
    });
    if loopback
        && !s
            .chars()
            .any(|c| c.is_whitespace() || crate::text::is_control(c))
    {
        return Ok(());
    }
    check_start_url(s)
}

/// A region such as `eu-west-1`: lowercase letters and digits in parts joined by `-`.
pub(crate) fn check_region(s: &str) -> std::result::Result<(), String> {
    let ok = !s.is_empty()
        && s.split('-').count() >= 3
        && s.split('-').all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
        && s.ends_with(|c: char| c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{} is not a region name; regions look like eu-west-1 or us-gov-west-1",
            printable(s)
        ))
    }
}

pub(crate) fn check_account_id(s: &str) -> std::result::Result<(), String> {
    if s.len() == 12 && s.chars().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!("{} is not a 12-digit account id", printable(s)))
    }
}

/// The AWS CLI's output formats.
pub(crate) const OUTPUTS: [&str; 5] = ["json", "yaml", "yaml-stream", "text", "table"];

fn check_output(s: &str) -> std::result::Result<(), String> {
    if OUTPUTS.contains(&s) {
        Ok(())
    } else {
        Err(format!(
            "{} is not an output format of the AWS CLI; one of: {}",
            printable(s),
            OUTPUTS.join(", ")
        ))
    }
}

fn check_scopes(s: &str) -> std::result::Result<(), String> {
    if split_scopes(s).is_empty() {
        return Err("give at least one scope, e.g. sso:account:access".into());
    }
    if s.chars().any(crate::text::is_control) {
        return Err("scopes cannot contain control characters".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_checked() {
        assert!(check_start_url("https://d-1234567890.awsapps.com/start").is_ok());
        assert!(check_start_url("http://d-1.awsapps.com/start").is_err());
        assert!(check_start_url("https:///start").is_err());
        assert!(check_start_url("https://a b").is_err());
        assert!(check_region("eu-west-1").is_ok());
        assert!(check_region("us-gov-west-1").is_ok());
        for bad in [
            "",
            "eu-west",
            "EU-WEST-1",
            "eu west 1",
            "eu--west-1",
            "eu-west-1\n",
        ] {
            assert!(check_region(bad).is_err(), "{bad:?}");
        }
        assert!(check_name("corp").is_ok());
        for bad in [
            "",
            "a\u{1b}b",
            "a\nb",
            "a]b",
            " a",
            "dev\u{202e}nimda",
            "a\u{2066}b",
        ] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
        assert!(
            check_name("\u{645}\u{6cc}\u{200c}\u{62e}").is_ok(),
            "ZWNJ is spelling"
        );
        assert!(check_account_id("111111111111").is_ok());
        assert!(check_account_id("11111111111").is_err());
        assert!(check_scopes("sso:account:access").is_ok());
        assert!(check_scopes(" , ").is_err());
    }
}
