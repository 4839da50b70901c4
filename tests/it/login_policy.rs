//! When a device-code login starts, and what it says (issue 8, items 1, 2
//! and 4), against the real binary and the emulator. `login` always logs in,
//! as `aws sso login` does, wherever its output goes; `use` and `exec` log in
//! only when someone can complete it (a terminal on stderr, a browser that
//! opens, `--no-browser`, or `SSOENV_INTERACTIVE=1`) and otherwise refuse,
//! saying why and what to run. `script` gives a pseudo-terminal; `BROWSER` is
//! a script that records the URL it is asked to open.

use crate::support;

use std::process::{Command, Output};
use std::time::Duration;
use support::*;

const LIMIT: Duration = Duration::from_secs(30);

/// The binary as an IDE task, `docker exec` without `-t` or a notebook runs
/// it: stderr piped, no terminal, no display, no `SSOENV_INTERACTIVE`.
fn headless(sb: &Sandbox, args: &[&str]) -> Command {
    let mut c = sb.cmd(args);
    c.env_remove("SSOENV_INTERACTIVE");
    c
}

fn run(sb: &Sandbox, c: Command) -> Output {
    output_within(c, sb.dir.path(), LIMIT)
}

fn device_flows(sb: &Sandbox) -> u64 {
    sb.emu.stats().start_device_authorization
}

// ------------------------------------------------------------- item 1: login

#[test]
fn login_with_no_browser_and_stderr_piped_runs_the_device_flow() {
    let sb = Sandbox::new();
    let out = run(&sb, headless(&sb, &["login", "dev", "--no-browser"]));
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(device_flows(&sb), 1);
    assert!(err.contains("Then enter the code:"), "{err}");
    assert!(
        err.contains("Successfully logged into Start URL: https://d-1234567890.awsapps.com/start"),
        "{err}"
    );
    assert!(sb.token_path("corp").exists());
}

#[test]
fn login_with_no_terminal_and_no_browser_prints_the_code_and_logs_in() {
    let sb = Sandbox::new();
    let out = run(&sb, headless(&sb, &["login", "dev"]));
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("Browser will not be automatically opened."),
        "{err}"
    );
    assert!(err.contains("Then enter the code:"), "{err}");
    assert_eq!(device_flows(&sb), 1);
}

#[test]
fn login_logs_in_even_with_ssoenv_interactive_0() {
    let sb = Sandbox::new().env("SSOENV_INTERACTIVE", "0");
    let out = run(
        &sb,
        sb.cmd(["login", "--sso-session", "corp", "--no-browser"]),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(device_flows(&sb), 1);
}

#[test]
fn login_force_with_stderr_piped_logs_in_again() {
    let sb = Sandbox::new();
    assert!(
        run(&sb, headless(&sb, &["login", "dev", "--no-browser"]))
            .status
            .success()
    );
    let out = run(&sb, headless(&sb, &["login", "dev", "--no-browser"]));
    assert!(out.status.success());
    assert_stderr_has(&out, "already logged in");
    assert_eq!(device_flows(&sb), 1, "a valid token is reused");
    let out = run(
        &sb,
        headless(&sb, &["login", "dev", "--no-browser", "--force"]),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(device_flows(&sb), 2);
}

// ------------------------------------------------------- item 2: use and exec

#[test]
fn use_with_no_terminal_and_no_browser_refuses_and_says_why_and_what_to_run() {
    let sb = Sandbox::new();
    let out = run(&sb, headless(&sb, &["use", "dev", "--shell", "bash"]));
    let err = assert_fails(&out, 1, "ssoenv login dev");
    assert!(err.contains("not a terminal"), "{err}");
    assert!(err.contains("no browser"), "{err}");
    assert!(err.contains("--no-browser"), "{err}");
    assert!(err.contains("SSOENV_INTERACTIVE=1"), "{err}");
    assert_eq!(device_flows(&sb), 0, "no login was started");
}

#[test]
fn exec_with_no_terminal_and_no_browser_refuses_before_running_anything() {
    let sb = Sandbox::new();
    let marker = sb.dir.path().join("ran");
    let out = run(
        &sb,
        headless(
            &sb,
            &["exec", "dev", "--", "touch", marker.to_str().unwrap()],
        ),
    );
    let err = assert_fails(&out, 1, "ssoenv login dev");
    assert!(err.contains("not a terminal"), "{err}");
    assert!(!marker.exists());
    assert_eq!(device_flows(&sb), 0);
}

#[test]
fn use_with_no_browser_flag_logs_in_with_stderr_piped() {
    let sb = Sandbox::new();
    let out = run(
        &sb,
        headless(&sb, &["use", "dev", "--shell", "bash", "--no-browser"]),
    );
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("Then enter the code:"), "{err}");
    assert!(stdout(&out).contains("AWS_ACCESS_KEY_ID"));
    assert_eq!(device_flows(&sb), 1);
}

#[test]
fn exec_with_no_browser_flag_logs_in_with_stderr_piped() {
    let sb = Sandbox::new();
    let out = run(
        &sb,
        headless(
            &sb,
            &[
                "exec",
                "dev",
                "--no-browser",
                "--",
                "sh",
                "-c",
                "printf %s \"$AWS_PROFILE\"",
            ],
        ),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "dev");
    assert_eq!(device_flows(&sb), 1);
}

#[test]
fn use_logs_in_when_a_browser_will_open() {
    let sb = Sandbox::new();
    let (browser, log) = recording_browser(&sb);
    let mut c = headless(&sb, &["use", "dev", "--shell", "bash"]);
    c.env("BROWSER", &browser);
    let out = run(&sb, c);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("Attempting to open your default browser."),
        "{err}"
    );
    let opened = wait_for_file(&log).expect("the browser was started");
    assert!(opened.contains("user_code="), "{opened}");
}

#[test]
fn ssoenv_interactive_1_lets_use_and_exec_log_in_with_no_terminal() {
    let sb = Sandbox::new();
    let mut c = headless(&sb, &["exec", "prod", "--", "true"]);
    c.env("SSOENV_INTERACTIVE", "1");
    let out = run(&sb, c);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(device_flows(&sb), 1);
}

#[test]
fn ssoenv_interactive_0_refusal_names_the_variable_not_a_missing_terminal() {
    let sb = Sandbox::new().env("SSOENV_INTERACTIVE", "0");
    for args in [
        &["use", "dev", "--shell", "bash", "--no-browser"][..],
        &["exec", "dev", "--no-browser", "--", "true"][..],
    ] {
        let out = run(&sb, sb.cmd(args));
        let err = assert_fails(&out, 1, "SSOENV_INTERACTIVE=0");
        assert!(err.contains("ssoenv login dev"), "{err}");
        assert!(!err.contains("terminal"), "{err}");
    }
    assert_eq!(device_flows(&sb), 0);
}

#[test]
fn use_on_a_terminal_logs_in_without_a_browser() {
    let sb = Sandbox::new();
    let c = headless(&sb, &["use", "dev", "--shell", "bash"]);
    let Some(out) = in_pty(&c, "> use.out", sb.dir.path()) else {
        return;
    };
    let shown = stdout(&out);
    assert!(out.status.success(), "{shown}");
    assert!(shown.contains("Then enter the code:"), "{shown}");
    let script = std::fs::read_to_string(sb.dir.path().join("use.out")).unwrap();
    assert!(script.contains("AWS_SESSION_TOKEN"), "{script}");
    assert_eq!(device_flows(&sb), 1);
}

#[test]
fn exec_on_a_terminal_logs_in_without_a_browser() {
    let sb = Sandbox::new();
    let c = headless(&sb, &["exec", "dev", "--", "true"]);
    let Some(out) = in_pty(&c, "", sb.dir.path()) else {
        return;
    };
    assert!(out.status.success(), "{}", stdout(&out));
    assert_eq!(device_flows(&sb), 1);
}

#[test]
fn ssoenv_interactive_0_refuses_on_a_terminal_too() {
    let sb = Sandbox::new().env("SSOENV_INTERACTIVE", "0");
    let c = sb.cmd(["use", "dev", "--shell", "bash"]);
    let Some(out) = in_pty(&c, "> use.out", sb.dir.path()) else {
        return;
    };
    let shown = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(shown.contains("SSOENV_INTERACTIVE=0"), "{shown}");
    assert_eq!(device_flows(&sb), 0);
}

// ------------------------------------------- item 4: what the login is for

/// The index of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in:\n{text}"))
}

#[test]
fn the_login_names_session_and_profile_first_and_says_it_waits_after_the_code() {
    let sb = Sandbox::new();
    let out = run(&sb, headless(&sb, &["login", "dev", "--no-browser"]));
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let what = line_of(
        &err,
        "ssoenv: logging in to sso-session \"corp\" (https://d-1234567890.awsapps.com/start) for profile \"dev\"",
    );
    let url = line_of(&err, "Please visit the following URL:");
    let code = line_of(&err, "Then enter the code:");
    let autofill = line_of(&err, "user_code=");
    let wait = line_of(
        &err,
        "waiting for approval in the browser… (Ctrl-C to cancel)",
    );
    let done = line_of(&err, "Successfully logged into Start URL");
    assert!(what < url && url < code && code < autofill, "{err}");
    assert!(autofill < wait && wait < done, "{err}");
}

#[test]
fn use_says_which_profile_needed_the_login() {
    let sb = Sandbox::new();
    let out = run(&sb, sb.cmd(["use", "prod", "--shell", "bash"]));
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    line_of(
        &err,
        "ssoenv: logging in to sso-session \"corp\" (https://d-1234567890.awsapps.com/start) for profile \"prod\"",
    );
}

#[test]
fn a_login_by_session_names_the_session_only_and_a_legacy_one_its_start_url() {
    let sb = Sandbox::new();
    let out = run(&sb, sb.cmd(["login", "--sso-session", "corp"]));
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let l = line_of(&err, "ssoenv: logging in to");
    assert_eq!(
        err.lines().nth(l).unwrap(),
        "ssoenv: logging in to sso-session \"corp\" (https://d-1234567890.awsapps.com/start)"
    );
    let out = run(&sb, sb.cmd(["login", "legacy"]));
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let l = line_of(&err, "ssoenv: logging in to");
    assert_eq!(
        err.lines().nth(l).unwrap(),
        "ssoenv: logging in to https://legacy.awsapps.com/start for profile \"legacy\""
    );
}

#[test]
fn the_login_line_shows_hostile_config_text_escaped() {
    let sb = Sandbox::new();
    sb.write_config(
        "[profile \"ev\x1b]0;x\x07il\"]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = AdministratorAccess\n\n\
         [sso-session corp]\nsso_start_url = https://d-1234567890.awsapps.com/start\x1b[2J\nsso_region = us-east-1\n",
    );
    let out = run(&sb, sb.cmd(["login", "ev\x1b]0;x\x07il", "--no-browser"]));
    let err = stderr(&out);
    assert!(!err.contains('\x1b') && !err.contains('\x07'), "{err:?}");
    assert!(
        err.contains(
            "(https://d-1234567890.awsapps.com/start\\e[2J) for profile \"ev\\e]0;x\\x07il\""
        ),
        "{err}"
    );
}

// ------------------------------------- a session that ends: the same policy

#[test]
fn a_token_the_portal_rejects_is_not_replaced_by_a_login_nobody_can_see() {
    let sb = Sandbox::new();
    assert!(
        run(&sb, sb.cmd(["login", "dev", "--no-browser"]))
            .status
            .success()
    );
    sb.emu.revoke_all_tokens();
    std::fs::remove_dir_all(sb.cli_cache()).ok();
    let out = run(&sb, headless(&sb, &["use", "dev", "--shell", "bash"]));
    let err = assert_fails(&out, 1, "has expired or is otherwise invalid");
    assert!(err.contains("ssoenv login dev"), "{err}");
    assert!(!err.contains("logging in"), "no login was announced: {err}");
    assert_eq!(device_flows(&sb), 1);
    // With --no-browser someone asked for the code: the login happens.
    let out = run(
        &sb,
        headless(&sb, &["use", "dev", "--shell", "bash", "--no-browser"]),
    );
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    // The first use recorded the rejection (the token now reads as expired),
    // so this one refreshes (refused: revoked) and logs in.
    assert!(err.contains("logging in to"), "{err}");
    assert_eq!(device_flows(&sb), 2);
}

#[test]
fn an_expired_legacy_token_is_refused_with_the_familiar_message_when_unattended() {
    let sb = Sandbox::new();
    sb.emu.set_token_ttl(1);
    assert!(
        run(&sb, sb.cmd(["login", "legacy", "--no-browser"]))
            .status
            .success()
    );
    std::thread::sleep(Duration::from_millis(1100));
    std::fs::remove_dir_all(sb.cli_cache()).ok();
    let out = run(&sb, headless(&sb, &["exec", "legacy", "--", "true"]));
    let err = assert_fails(
        &out,
        1,
        "The SSO session associated with this profile has expired",
    );
    assert!(err.contains("not a terminal"), "{err}");
    assert!(!err.contains("logging in to"), "{err}");
    assert_eq!(device_flows(&sb), 1);
}

// ------------------------------------------------- issue 19, items 4 and 10

/// An SDK runs `credential-process` with its output captured: the refusal
/// tells whoever reads the SDK's error to log in, and nothing about a
/// `--no-browser` that `credential-process` refuses.
#[test]
fn credential_process_refusal_says_only_to_log_in() {
    let sb = Sandbox::new();
    let out = run(&sb, headless(&sb, &["credential-process", "dev"]));
    let err = assert_fails(&out, 1, "credential-process does not start a login");
    assert!(err.contains("\nhint: run `ssoenv login dev`\n"), "{err}");
    assert!(!err.contains("--no-browser"), "{err}");
    assert!(!err.contains("this command"), "{err}");
    assert_eq!(stdout(&out), "");
    assert_eq!(device_flows(&sb), 0);
    // The hint is a command that works from there.
    let out = run(&sb, headless(&sb, &["login", "dev", "--no-browser"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(&sb, headless(&sb, &["credential-process", "dev"]));
    assert!(out.status.success(), "{}", stderr(&out));
}

/// `use --force` with nobody to complete a login: it says that the new
/// login it was asked for cannot start here and why, not "not logged in".
#[test]
fn use_force_where_no_login_can_start_says_the_new_login_cannot_start() {
    let sb = Sandbox::new();
    let out = run(&sb, headless(&sb, &["login", "dev", "--no-browser"]));
    assert!(out.status.success(), "{}", stderr(&out));
    for args in [
        &["use", "dev", "--force", "--shell", "bash"][..],
        &["exec", "dev", "--force", "--", "true"][..],
    ] {
        let out = run(&sb, headless(&sb, args));
        let err = assert_fails(
            &out,
            1,
            "--force asks for a new login, and a login cannot start here",
        );
        assert!(!err.contains("not logged in"), "{err}");
        assert!(err.contains("stderr is not a terminal"), "{err}");
        assert!(err.contains("`ssoenv login dev --force`"), "{err}");
        assert!(err.contains("leave out --force"), "{err}");
        assert_eq!(stdout(&out), "", "{args:?}");
    }
    assert_eq!(device_flows(&sb), 1, "only the first login");
    // SSOENV_INTERACTIVE=0 is the other reason, named as such.
    let mut c = sb.cmd(["use", "dev", "--force", "--shell", "bash"]);
    c.env("SSOENV_INTERACTIVE", "0");
    let out = run(&sb, c);
    let err = assert_fails(&out, 1, "--force asks for a new login");
    assert!(err.contains("SSOENV_INTERACTIVE=0"), "{err}");
}
