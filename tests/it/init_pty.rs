//! The real prompt, once per shell: an interactive bash, zsh and fish in a tmux
//! pseudo-terminal load `ssoenv init`, activate a profile by hand and show
//! `(dev 42m)` in the prompt, in green; `ssoenv unset` takes it away again.

use std::time::Duration;

use crate::support;
use support::{BASH, FISH, RealShell, Tmux, ZSH, have};

fn check(sh: &RealShell, prompt: &str, activate: &str) {
    if !have("tmux") || !sh.available() {
        return;
    }
    let shell = sh.name;
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::start(home.path(), &[], sh.interactive);
    t.line(&format!("{prompt}; {}", sh.init()));
    t.line(activate);
    // The prompt after `activate` starts with the segment; 2550 s left is 42 minutes.
    let screen = t.wait_until(false, Duration::from_secs(10), |s| {
        s.lines().any(|l| l.starts_with("(dev 42m) "))
    });
    assert!(
        screen.lines().any(|l| l.starts_with("(dev 42m) ")),
        "{shell}: no (dev 42m) prompt:\n{screen}"
    );
    let colored = t.screen_with(true);
    assert!(
        colored.contains("\x1b[32m(dev 42m)"),
        "{shell}: not green:\n{colored:?}"
    );
    t.line("ssoenv unset");
    t.line("echo done-\"$SSOENV_PROFILE\"-done");
    let screen = t.wait_until(false, Duration::from_secs(10), |s| {
        s.lines().filter(|l| l.contains("done--done")).count() >= 1
            && !s.trim_end().lines().last().unwrap_or("").contains("(dev")
    });
    let last = screen.trim_end().lines().last().unwrap_or("").to_owned();
    assert!(
        screen.contains("done--done") && !last.contains("(dev"),
        "{shell}: segment still shown after unset:\n{screen}"
    );
}

#[test]
fn bash_shows_the_countdown_in_a_real_prompt() {
    check(
        &BASH,
        "PS1='bash$ '",
        "export SSOENV_PROFILE=dev SSOENV_EXPIRATION=$((EPOCHSECONDS + 2555))",
    );
}

#[test]
fn zsh_shows_the_countdown_in_a_real_prompt() {
    check(
        &ZSH,
        "PROMPT='zsh%# '",
        "export SSOENV_PROFILE=dev SSOENV_EXPIRATION=$((EPOCHSECONDS + 2555))",
    );
}

#[test]
fn fish_shows_the_countdown_in_a_real_prompt() {
    check(
        &FISH,
        "function fish_prompt; printf 'fish> '; end",
        "set -gx SSOENV_PROFILE dev; set -gx SSOENV_EXPIRATION (math (date +%s) + 2555)",
    );
}

/// Through the `ssoenv` function on a terminal, each command's messages reach the screen
/// (issue 19, item 8): `login` when already logged in, `status`, `use`'s errors, `logout`.
/// Only `use`/`unset` stdout is taken (it is code); stderr is never captured.
fn messages_through_the_function(sh: &RealShell) {
    if !have("tmux") || !sh.available() {
        return;
    }
    let shell = sh.name;
    let sb = support::Sandbox::new();
    let out = sb.run(["login", "dev"]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let t = Tmux::in_sandbox(&sb, sh.interactive);
    t.line(&sh.init());
    let rc = sh.last_status();
    // Each command, then a marker with its status: the message comes before it.
    for (i, (command, message)) in [
        ("ssoenv login dev", "ssoenv: already logged in to"),
        (
            "ssoenv login dev 2>&1 | cat",
            "ssoenv: already logged in to",
        ),
        ("ssoenv status dev --check", ""),
        ("ssoenv status", "dev"),
        ("ssoenv use no-such-profile", "no-such-profile"),
        (
            "ssoenv use dev",
            "ssoenv: dev (111111111111 AdministratorAccess) until ",
        ),
        ("ssoenv logout dev", "ssoenv: logged out of"),
    ]
    .into_iter()
    .enumerate()
    {
        // (The quotes keep the typed line from matching the marker.)
        t.line(&format!("{command}; echo \"done{i}\"\"={rc}\""));
        let screen = t.wait_for(&format!("done{i}="));
        let after_command = screen.rsplit(command).next().unwrap();
        let before_marker = after_command.split(&format!("done{i}=")).next().unwrap();
        assert!(
            before_marker.contains(message),
            "{shell}: `{command}` showed no {message:?}:\n{screen}"
        );
    }
    let screen = t.screen();
    assert!(screen.contains("done0=0"), "{shell}:\n{screen}");
    assert!(
        screen.contains("done4=2") || screen.contains("done4=1"),
        "{shell}:\n{screen}"
    );
}

#[test]
fn bash_function_lets_every_message_through_to_the_terminal() {
    messages_through_the_function(&BASH);
}

#[test]
fn zsh_function_lets_every_message_through_to_the_terminal() {
    messages_through_the_function(&ZSH);
}

#[test]
fn fish_function_lets_every_message_through_to_the_terminal() {
    messages_through_the_function(&FISH);
}

/// `ssoenv unset` run as the binary (no function) on a terminal prints no code
/// that would look as if it worked: it says nothing was changed and how to
/// use it, as `use` does.
#[test]
fn unset_on_a_terminal_without_the_function_says_nothing_was_changed() {
    if !have("tmux") || !BASH.available() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::start(home.path(), &[("SSOENV_SHELL", "bash")], BASH.interactive);
    t.line("PS1='$ '; export SSOENV_PROFILE=dev");
    t.line("\"$B\" unset; echo \"R\"\"C=$? P=$SSOENV_PROFILE\"");
    let screen = t.wait_for("RC=");
    assert!(
        screen.contains(
            "ssoenv unset prints shell code to evaluate; nothing was changed in this shell."
        ),
        "{screen}"
    );
    assert!(
        screen.contains("hint: run `eval \"$(ssoenv unset)\"`"),
        "{screen}"
    );
    assert!(
        !screen.contains("unset AWS_"),
        "code on the terminal:\n{screen}"
    );
    assert!(screen.contains("RC=0 P=dev"), "{screen}");
}

/// A successful `use` through the function says one line on the terminal, with the
/// expiry on the local clock (`TZ`); `SSOENV_QUIET=1` silences it; `eval` of the
/// binary's output (no function) says nothing.
#[test]
fn use_through_the_function_says_one_line_with_the_local_expiry() {
    if !have("tmux") || !BASH.available() {
        return;
    }
    let sb = support::Sandbox::new();
    assert!(sb.run(["login", "dev"]).status.success());
    let url = sb.emu.url();
    let t = Tmux::start(
        &sb.home,
        &[
            ("AWS_ENDPOINT_URL_SSO_OIDC", url.as_str()),
            ("AWS_ENDPOINT_URL_SSO", url.as_str()),
            // Five hours east of UTC, whatever the machine's zone.
            ("TZ", "XYZ-5"),
        ],
        BASH.interactive,
    );
    t.line(&format!("PS1='$ '; {}", BASH.init()));
    t.line("ssoenv use prod; echo \"E\"\"=[$AWS_CREDENTIAL_EXPIRATION]\"");
    let screen = t.wait_for("E=[");
    let exp = screen
        .split("E=[")
        .nth(1)
        .unwrap()
        .split(']')
        .next()
        .unwrap();
    let exp = ssoenv::cache::parse_timestamp(exp).expect(exp) + time::Duration::hours(5);
    let line = format!(
        "ssoenv: prod (333333333333 ReadOnly) until {:02}:{:02}",
        exp.hour(),
        exp.minute()
    );
    let shown: Vec<&str> = screen
        .lines()
        .filter(|l| l.starts_with("ssoenv: prod ("))
        .collect();
    assert!(
        shown.len() == 1 && shown[0].starts_with(&line),
        "want {line:?}:\n{screen}"
    );
    t.line("SSOENV_QUIET=1 ssoenv use dev; eval \"$(command \"$B\" use dev)\"; echo \"D\"\"=[$AWS_PROFILE]\"");
    let screen = t.wait_for("D=[");
    assert!(screen.contains("D=[dev]"), "{screen}");
    assert!(!screen.contains("ssoenv: dev ("), "{screen}");
}
