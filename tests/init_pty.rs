//! The real prompt, once per shell: an interactive bash, zsh and fish in a tmux
//! pseudo-terminal load `ssoenv init`, activate a profile by hand and show
//! `(dev 42m)` in the prompt, in green; `ssoenv unset` takes it away again.

use std::process::Command;
use std::time::{Duration, Instant};

mod support;
use support::have;

const BIN: &str = env!("CARGO_BIN_EXE_ssoenv");

/// A tmux server of our own (its own socket), killed on drop.
struct Tmux {
    socket: String,
    _home: tempfile::TempDir,
}

impl Tmux {
    fn start(shell_cmd: &str) -> Tmux {
        let home = tempfile::tempdir().unwrap();
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let socket = format!("ssoenv-test-{}-{n}", std::process::id());
        let cmd = format!(
            "env -i HOME='{}' PATH=/usr/bin:/bin TERM=xterm-256color {shell_cmd}",
            home.path().display()
        );
        let t = Tmux {
            socket,
            _home: home,
        };
        let st = t
            .tmux(&[
                "new-session",
                "-d",
                "-x",
                "150",
                "-y",
                "30",
                "-s",
                "t",
                &cmd,
            ])
            .status
            .success();
        assert!(st, "tmux new-session failed");
        t
    }

    fn tmux(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .arg("-f")
            .arg("/dev/null")
            .args(args)
            .output()
            .unwrap()
    }

    fn send(&self, line: &str) {
        assert!(
            self.tmux(&["send-keys", "-t", "t", "-l", line])
                .status
                .success()
        );
        assert!(
            self.tmux(&["send-keys", "-t", "t", "Enter"])
                .status
                .success()
        );
    }

    /// The screen (with escapes when `escapes`), once `pred` holds or after 10 s.
    fn wait_for(&self, escapes: bool, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let mut args = vec!["capture-pane", "-p", "-t", "t"];
            if escapes {
                args.push("-e");
            }
            let screen = String::from_utf8_lossy(&self.tmux(&args).stdout).into_owned();
            if pred(&screen) || start.elapsed() > Duration::from_secs(10) {
                return screen;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

fn check(shell: &str, shell_cmd: &str, init: &str, activate: &str) {
    if !have("tmux") || !have(shell) {
        return;
    }
    let t = Tmux::start(shell_cmd);
    t.send(init);
    t.send(activate);
    // The prompt after `activate` starts with the segment; 2550 s left is 42 minutes.
    let screen = t.wait_for(false, |s| s.lines().any(|l| l.starts_with("(dev 42m) ")));
    assert!(
        screen.lines().any(|l| l.starts_with("(dev 42m) ")),
        "{shell}: no (dev 42m) prompt:\n{screen}"
    );
    let colored = t.wait_for(true, |_| true);
    assert!(
        colored.contains("\x1b[32m(dev 42m)"),
        "{shell}: not green:\n{colored:?}"
    );
    t.send("ssoenv unset");
    t.send("echo done-\"$SSOENV_PROFILE\"-done");
    let screen = t.wait_for(false, |s| {
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
        "bash",
        "bash --noprofile --norc -i",
        &format!("PS1='bash$ '; eval \"$('{BIN}' init bash)\""),
        "export SSOENV_PROFILE=dev SSOENV_EXPIRATION=$((EPOCHSECONDS + 2555))",
    );
}

#[test]
fn zsh_shows_the_countdown_in_a_real_prompt() {
    check(
        "zsh",
        "zsh -f -i",
        &format!("PROMPT='zsh%# '; eval \"$('{BIN}' init zsh)\""),
        "export SSOENV_PROFILE=dev SSOENV_EXPIRATION=$((EPOCHSECONDS + 2555))",
    );
}

#[test]
fn fish_shows_the_countdown_in_a_real_prompt() {
    check(
        "fish",
        "fish --no-config -i",
        &format!("function fish_prompt; printf 'fish> '; end; '{BIN}' init fish | source"),
        "set -gx SSOENV_PROFILE dev; set -gx SSOENV_EXPIRATION (math (date +%s) + 2555)",
    );
}
