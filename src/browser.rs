//! Opening the verification page: `BROWSER` if set (as Python's webbrowser
//! and many CLIs honour it), else the `open` crate (which uses the Windows
//! browser under WSL). No browser when there is no display to show it on.

use crate::env::{self, Env};
use std::process::{Command, Stdio};

/// Whether a browser window could appear for the user.
pub fn available(env: &Env) -> bool {
    if env.non_empty("BROWSER").is_some() {
        return true;
    }
    if cfg!(any(target_os = "macos", target_os = "windows")) {
        // Over SSH the browser would open on the remote machine's screen.
        return env.non_empty(env::SSH_CONNECTION).is_none()
            && env.non_empty(env::SSH_TTY).is_none();
    }
    if is_wsl(env) {
        return true;
    }
    env.non_empty(env::DISPLAY).is_some() || env.non_empty(env::WAYLAND_DISPLAY).is_some()
}

fn is_wsl(env: &Env) -> bool {
    env.non_empty(env::WSL_DISTRO_NAME).is_some()
        || std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|s| s.to_ascii_lowercase().contains("microsoft"))
            .unwrap_or(false)
}

/// Try to open `url`; false when that failed (the URL is printed anyway).
pub fn open(env: &Env, url: &str) -> bool {
    if let Some(cmd) = env.non_empty("BROWSER") {
        // BROWSER may hold several commands separated by ':'; the first that starts wins.
        for candidate in cmd.split(':').filter(|c| !c.trim().is_empty()) {
            let Ok(words) = shell_words::split(candidate) else {
                continue;
            };
            let Some((prog, args)) = words.split_first() else {
                continue;
            };
            let mut c = Command::new(prog);
            if args.iter().any(|a| a.contains("%s")) {
                c.args(args.iter().map(|a| a.replace("%s", url)));
            } else {
                c.args(args).arg(url);
            }
            let spawned = c
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn();
            if let Ok(mut child) = spawned {
                // Reap it in the background so it never becomes a zombie.
                std::thread::spawn(move || child.wait());
                return true;
            }
        }
        return false;
    }
    open::that_detached(url).is_ok()
}
