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

/// Whether a URL from the service may be handed to a browser: an `https://`
/// URL, or `http://` to a loopback host (the local emulator), with no
/// whitespace or control characters. Anything else (`file:`, `javascript:`,
/// `-oProxyCommand=…` that a launcher would take as an option) is only printed.
pub fn safe_to_open(url: &str) -> bool {
    if url.is_empty() || url.len() > 8 * 1024 || !url.chars().all(|c| c.is_ascii_graphic()) {
        return false;
    }
    let lower = url.to_ascii_lowercase();
    let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    else {
        return false;
    };
    let host = crate::aws::http::url_host(url).unwrap_or("");
    if host.is_empty() || rest.starts_with('/') {
        return false;
    }
    lower.starts_with("https://") || crate::aws::http::is_loopback_host(host)
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

#[cfg(test)]
mod tests {
    use super::safe_to_open;

    #[test]
    fn only_https_or_loopback_http_urls_are_opened() {
        assert!(safe_to_open(
            "https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH"
        ));
        assert!(safe_to_open("HTTPS://example.com/x"));
        assert!(safe_to_open(
            "http://127.0.0.1:8080/start/#/device?user_code=X"
        ));
        assert!(safe_to_open("http://localhost/x"));
        for bad in [
            "",
            "-oProxyCommand=touch /tmp/pwned",
            "--help",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "http://example.com/",
            "http://127.0.0.1.evil.com/",
            "https:///etc/passwd",
            "https://example.com/\x1b]0;x\x07",
            "https://example.com/a b",
            "ftp://example.com/",
        ] {
            assert!(!safe_to_open(bad), "{bad}");
        }
    }
}
