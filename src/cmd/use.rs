//! `ssoenv use PROFILE`: shell code exporting the profile's credentials.
//! stdout carries only that code, written once; on any error it stays empty
//! so `eval` does nothing. Every human message goes to stderr.

use crate::cli::UseArgs;
use crate::config::Config;
use crate::credentials;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::login::{Ctx, LoginOptions};
use crate::shell::Shell;
use std::io::IsTerminal;

/// The prompt hook's quiet renewal gives up after this long, whatever it is
/// doing (waiting on the network, refreshing): a prompt must never freeze.
pub(crate) const BACKGROUND_RENEW_DEADLINE: std::time::Duration = std::time::Duration::from_secs(3);
/// How long past the deadline the watchdog waits for a refresh under way to
/// save what it got (see `give_up_after`).
pub(crate) const REFRESH_GRACE: std::time::Duration = std::time::Duration::from_secs(2);

pub(crate) fn run(args: UseArgs, env: &Env) -> Result<i32> {
    if crate::cache::lock::background_renewal(env) {
        give_up_after(BACKGROUND_RENEW_DEADLINE);
    }
    let shell = Shell::detect(args.shell, env)?;
    let export_profile = credentials::env::export_aws_profile(env)?;
    let Some(profile) =
        super::pick::choose_profile(args.profile, env, |config| which_profile(config, shell))?
    else {
        // Esc: nothing on stdout, so `eval` changes nothing.
        return Ok(crate::tty::CANCELLED);
    };
    let ctx = Ctx::new(env)?;
    let opts = LoginOptions::for_credentials(env, args.login.no_browser, args.force);
    let creds = profile.credentials(&ctx, opts)?;
    let region = args.region.as_deref().or(profile.region());
    let script = shell.render(&credentials::env::session_changes(
        profile.name(),
        &creds,
        region,
        profile.renewable(env),
        export_profile,
    ))?;
    if std::io::stdout().is_terminal() {
        // Never print secrets to a terminal: say how to use the output instead.
        // The profile name comes from the config: shown escaped, line by line.
        let message = format!(
            "ssoenv: credentials for profile \"{}\" are ready (valid until {}).\n\
             ssoenv use prints shell code to evaluate; nothing was changed in this shell.\n\
             hint: run `{}`, or add `{}` to your shell's startup file and then run `ssoenv use {}`",
            crate::text::printable(profile.name()),
            crate::cache::format_timestamp(creds.expiration),
            crate::text::printable(&eval_hint(shell, profile.name())),
            init_hint(shell),
            crate::text::printable(&shell_words::quote(profile.name())),
        );
        // Already escaped, and several lines (a note, then a hint).
        crate::output::stderr_text(&format!("{message}\n"));
        return Ok(0);
    }
    super::emit(&script)?;
    if said_on_terminal(env) {
        let d = profile.describe();
        let who = match (d.account_id, d.role_name) {
            (Some(account), Some(role)) => format!(" ({account} {role})"),
            _ => String::new(),
        };
        crate::output::note(&format!(
            "{}{who} until {}",
            profile.name(),
            local_clock(creds.expiration, time::OffsetDateTime::now_utc())
        ));
    }
    Ok(0)
}

/// Whether a successful `use` says its one line: run by the shell function
/// (`SSOENV_INIT`) for a person (stderr a terminal), not by the prompt's
/// quiet renewal, and not asked to be quiet (`SSOENV_QUIET=1`).
fn said_on_terminal(env: &Env) -> bool {
    env.non_empty(crate::env::SSOENV_INIT).is_some()
        && !env.flag(crate::env::SSOENV_QUIET)
        && !crate::cache::lock::background_renewal(env)
        && std::io::stderr().is_terminal()
}

/// `t` on the local clock (`TZ`, else /etc/localtime): `18:42`, with the date
/// in front when it is not today's.
fn local_clock(t: time::OffsetDateTime, now: time::OffsetDateTime) -> String {
    let (Some(at), Some(today)) = (
        local_time(t.unix_timestamp()),
        local_time(now.unix_timestamp()),
    ) else {
        return crate::cache::format_timestamp(t);
    };
    let clock = format!("{:02}:{:02}", at.tm_hour, at.tm_min);
    if (at.tm_year, at.tm_yday) == (today.tm_year, today.tm_yday) {
        clock
    } else {
        format!(
            "{:04}-{:02}-{:02} {clock}",
            at.tm_year + 1900,
            at.tm_mon + 1,
            at.tm_mday
        )
    }
}

/// The broken-down local time of `secs` since the epoch (localtime_r(3)).
fn local_time(secs: i64) -> Option<libc::tm> {
    // time_t is 32 bits on some targets; the libc crate marks musl's as
    // deprecated (its width is to follow musl 1.2's): the conversion is checked.
    #[allow(clippy::useless_conversion, deprecated)]
    let t: libc::time_t = secs.try_into().ok()?;
    let mut tm = std::mem::MaybeUninit::<libc::tm>::zeroed();
    // SAFETY: both pointers are valid for the call; localtime_r writes only `tm`
    // and returns null (leaving it unset) on failure.
    #[cfg(unix)]
    let ok = !unsafe { libc::localtime_r(&t, tm.as_mut_ptr()) }.is_null();
    // SAFETY: as above; the CRT's localtime_s returns 0 on success.
    #[cfg(windows)]
    let ok = unsafe { libc::localtime_s(tm.as_mut_ptr(), &t) } == 0;
    if !ok {
        return None;
    }
    // SAFETY: the call succeeded, so it filled `tm` (which was zeroed anyway).
    Some(unsafe { tm.assume_init() })
}

/// A watchdog for the background renewal: past `limit`, exit 1 with nothing
/// on stdout (the hook then keeps the shell as it is). Exiting from here is
/// safe: cache writes are atomic (a temporary file left behind is removed by
/// the next write), and the kernel releases the lock with the process. A
/// refresh under way (`cache::Critical`) gets up to [`REFRESH_GRACE`] more, so
/// that the rotated refresh token it may bring back is saved, not lost.
fn give_up_after(limit: std::time::Duration) {
    std::thread::spawn(move || {
        std::thread::sleep(limit);
        let grace_end = std::time::Instant::now() + REFRESH_GRACE;
        while crate::cache::Critical::held() && std::time::Instant::now() < grace_end {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        crate::output::note(&format!(
            "gave up the background renewal after {}s",
            limit.as_secs()
        ));
        std::process::exit(1);
    });
}

/// No profile named and no `AWS_PROFILE`: the profiles to choose from, and how.
pub(crate) fn which_profile(config: &Config, shell: Shell) -> Error {
    let lines = super::pick::profile_lines(config);
    let example = credentials::Plan::listed(config)
        .into_iter()
        .find(|(_, p)| p.is_ok())
        .map(|(n, _)| n)
        .unwrap_or_else(|| "PROFILE".to_owned());
    let msg = "which profile? none was named and AWS_PROFILE is not set";
    let details = super::pick::block(
        &format!("SSO profiles in {}", config.path.display()),
        &lines,
        "none",
    );
    let hint = if lines.is_empty() {
        "run `ssoenv configure` (or `aws configure sso`) to create a profile, then `ssoenv use PROFILE`".to_owned()
    } else {
        format!(
            "name one: `{}` (or `ssoenv use {}` after `{}`)",
            eval_hint(shell, &example),
            shell_words::quote(&example),
            init_hint(shell)
        )
    };
    Error::config(msg).details(details).hint(hint)
}

fn eval_hint(shell: Shell, profile: &str) -> String {
    shell.eval_line(&format!("use {}", shell_words::quote(profile)))
}

pub(crate) fn init_hint(shell: Shell) -> &'static str {
    shell.init_line()
}
