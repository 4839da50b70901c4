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
        ("ssoenv use dev", ""),
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
