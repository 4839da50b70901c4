//! The real prompt, once per shell: an interactive bash, zsh and fish in a tmux
//! pseudo-terminal load `ssoenv init`, activate a profile by hand and show
//! `(dev 42m)` in the prompt, in green; `ssoenv unset` takes it away again.

use std::time::Duration;

mod support;
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
