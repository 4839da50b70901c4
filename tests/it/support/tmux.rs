//! A tmux server of our own (its own socket) running one interactive shell
//! in a 200×50 pseudo-terminal, killed on drop.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use super::{BIN, Sandbox};

pub struct Tmux {
    socket: String,
}

impl Tmux {
    /// `shell_cmd` in `home` with only HOME, PATH, TERM, LC_ALL, `B` (the
    /// binary) and `env` set.
    pub fn start(home: &Path, env: &[(&str, &str)], shell_cmd: &str) -> Tmux {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let t = Tmux {
            socket: format!("ssoenv-test-{}-{n}", std::process::id()),
        };
        let mut cmd = format!(
            "env -i HOME={} PATH=/usr/bin:/bin TERM=xterm-256color LC_ALL=C.UTF-8 B={}",
            shell_words::quote(&home.display().to_string()),
            shell_words::quote(BIN)
        );
        for (k, v) in env {
            cmd.push_str(&format!(" {k}={}", shell_words::quote(v)));
        }
        cmd.push(' ');
        cmd.push_str(shell_cmd);
        let home = home.display().to_string();
        let started = t.tmux(&[
            "new-session",
            "-d",
            "-x",
            "200",
            "-y",
            "50",
            "-c",
            &home,
            "-s",
            "t",
            &cmd,
        ]);
        assert!(started.status.success(), "tmux new-session failed");
        t
    }

    /// `shell_cmd` in the sandbox's HOME, talking to its emulator.
    pub fn in_sandbox(sb: &Sandbox, shell_cmd: &str) -> Tmux {
        let url = sb.emu.url();
        Tmux::start(
            &sb.home,
            &[
                ("AWS_ENDPOINT_URL_SSO_OIDC", url.as_str()),
                ("AWS_ENDPOINT_URL_SSO", url.as_str()),
                ("AWS_ENDPOINT_URL_STS", url.as_str()),
                ("AWS_ENDPOINT_URL_SIGNIN", url.as_str()),
                ("SSOENV_TEST_POLL_INTERVAL_MS", "10"),
            ],
            shell_cmd,
        )
    }

    /// Any tmux command against this server (the session is `t`).
    pub fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .arg("-f")
            .arg("/dev/null")
            .args(args)
            .output()
            .unwrap()
    }

    /// Type `text` as it is.
    pub fn keys(&self, text: &str) {
        assert!(
            self.tmux(&["send-keys", "-t", "t", "-l", text])
                .status
                .success()
        );
    }

    /// Press the key tmux calls `name` (`Enter`, `Tab`, `Escape`, `C-c`).
    pub fn key(&self, name: &str) {
        assert!(self.tmux(&["send-keys", "-t", "t", name]).status.success());
    }

    /// Type `text`, then Enter.
    pub fn line(&self, text: &str) {
        self.keys(text);
        self.key("Enter");
    }

    /// In a picker: type `filter`, wait until `choice` is the selected line
    /// (`> choice`), and press Enter.
    pub fn pick(&self, filter: &str, choice: &str) {
        self.keys(filter);
        self.wait_for(&format!("> {choice}"));
        self.key("Enter");
    }

    /// The whole scrollback, wrapped lines joined; with the colour escapes when `escapes`.
    pub fn screen_with(&self, escapes: bool) -> String {
        let mut args = vec!["capture-pane", "-p", "-J", "-S", "-", "-t", "t"];
        if escapes {
            args.push("-e");
        }
        String::from_utf8_lossy(&self.tmux(&args).stdout).into_owned()
    }

    pub fn screen(&self) -> String {
        self.screen_with(false)
    }

    /// The screen once `pred` holds of it, or as it is after `limit`.
    pub fn wait_until(
        &self,
        escapes: bool,
        limit: Duration,
        pred: impl Fn(&str) -> bool,
    ) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen_with(escapes);
            if pred(&s) || start.elapsed() > limit {
                return s;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The screen once it contains `needle` (panics after 15 s).
    pub fn wait_for(&self, needle: &str) -> String {
        let s = self.wait_until(false, Duration::from_secs(15), |s| s.contains(needle));
        assert!(
            s.contains(needle),
            "waited for {needle:?}; the screen:\n{s}"
        );
        s
    }

    /// Wait until the screen no longer shows `needle` (panics after 15 s).
    pub fn wait_gone(&self, needle: &str) {
        let s = self.wait_until(false, Duration::from_secs(15), |s| !s.contains(needle));
        assert!(!s.contains(needle), "{needle:?} stayed:\n{s}");
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}
