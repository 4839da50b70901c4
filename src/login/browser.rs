//! Opening the verification page: `BROWSER` if set (as Python's webbrowser
//! and many CLIs honour it), else the `open` crate (which uses the Windows
//! browser under WSL). No browser when there is no display to show it on.
//!
//! A URL that is a secret (the console sign-in URL, the PKCE authorize URL
//! with its `state`) never goes on a command line, where any local user
//! reads it in `/proc/*/cmdline` for as long as the browser runs: it goes
//! into a private page that redirects to it ([`open_private`]), and the
//! browser is handed the page's path.

use crate::env::{self, Env};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// Whether a browser window could appear for the user.
pub(crate) fn available(env: &Env) -> bool {
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
/// A backslash or a user name is refused: browsers end the host at `\`
/// (WHATWG URL, special schemes), so `http://evil\@127.0.0.1/` is a page
/// on `evil`, and no URL the service sends has either.
pub(crate) fn safe_to_open(url: &str) -> bool {
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
    let authority = rest.split(['/', '?', '#', '\\']).next().unwrap_or("");
    if url.contains('\\') || authority.contains('@') {
        return false;
    }
    let host = crate::aws::http::url_host(url).unwrap_or("");
    if host.is_empty() || rest.starts_with('/') {
        return false;
    }
    lower.starts_with("https://") || crate::aws::http::is_loopback_host(host)
}

/// Try to open `url`; false when that failed (the URL is printed anyway).
/// The URL is on the browser's command line: only for URLs that are not
/// secrets (the device code's verification page); see [`open_private`].
pub(crate) fn open(env: &Env, url: &str) -> bool {
    launch(env, url.as_ref())
}

/// Open a secret `url` (checked with [`safe_to_open`] first) without putting
/// it on any command line: it is written into a redirecting page, 0600 in a
/// fresh 0700 directory of a random name, and the browser gets the page's
/// path. `None` when the URL is not safe, the page cannot be written or no
/// browser starts. The page is removed when the returned [`Page`] is dropped,
/// or later with [`Page::remove_later`].
pub(crate) fn open_private(env: &Env, url: &str) -> Option<Page> {
    if !safe_to_open(url) {
        return None;
    }
    let page = Page::create(env, url).ok()?;
    launch(env, page.file.as_os_str()).then_some(page)
}

fn launch(env: &Env, target: &std::ffi::OsStr) -> bool {
    if let Some(cmd) = env.non_empty("BROWSER") {
        let Some(url) = target.to_str() else {
            return false;
        };
        // BROWSER may hold several commands separated by ':'; the first that starts wins.
        for candidate in cmd.split(':').filter(|c| !c.trim().is_empty()) {
            let Ok(words) = shell_words::split(candidate) else {
                continue;
            };
            let Some((prog, args)) = words.split_first() else {
                continue;
            };
            let mut c = Command::new(prog);
            // The shell function's mark is for ssoenv alone (a terminal browser's shell).
            c.env_remove(crate::env::SSOENV_INIT);
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
            let shown = crate::text::printable(candidate.trim());
            match spawned.map(settle) {
                Ok(Ok(())) => return true,
                // Named, not ignored: a BROWSER that fails opens nothing, and the
                // person waits for a page that never comes.
                Ok(Err(status)) => {
                    crate::output::warn(&format!("BROWSER command \"{shown}\" failed ({status})"))
                }
                Err(e) => crate::output::warn(&format!(
                    "BROWSER command \"{shown}\" could not be started: {e}"
                )),
            }
        }
        return false;
    }
    open::that_detached(target).is_ok()
}

/// How long a BROWSER command is watched: a launcher (`xdg-open`, `open`)
/// hands the page on and exits in that time, a browser keeps running; one
/// that exits unsuccessfully by then (`false`, a broken wrapper) failed.
const BROWSER_SETTLE: Duration = Duration::from_millis(400);

/// `Err(status)` when the started browser exits unsuccessfully within
/// [`BROWSER_SETTLE`]; one still running is reaped in the background.
fn settle(mut child: std::process::Child) -> Result<(), std::process::ExitStatus> {
    let end = std::time::Instant::now() + BROWSER_SETTLE;
    while std::time::Instant::now() < end {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => return Err(status),
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(_) => break,
        }
    }
    // Reap it in the background so it never becomes a zombie.
    std::thread::spawn(move || child.wait());
    Ok(())
}

/// How long a page handed to a browser that ssoenv does not wait for
/// (`console`) is kept: long enough for a browser started cold to read it
/// (aws-vault and granted hand the URL over on the command line and keep
/// nothing; Jupyter keeps its redirect file as long as the server runs).
/// The URL itself works for 15 minutes, and the page is readable only by
/// you, so erring long costs little; a browser that has not read it by then
/// shows "file not found", and `--print` is the way out.
pub(crate) const PAGE_KEPT_FOR: Duration = Duration::from_secs(60);
/// A page directory older than this, left by a process that was killed
/// (Ctrl-C during a PKCE login), is removed by the next one.
const STALE_PAGE: Duration = Duration::from_secs(15 * 60);
const PAGE_DIR_PREFIX: &str = "ssoenv-open-";
const PAGE_FILE: &str = "open.html";

/// A redirecting page on disk; removed (file and directory) when dropped.
pub(crate) struct Page {
    dir: PathBuf,
    file: PathBuf,
    keep: bool,
}

impl Page {
    /// The page for `url` in a new private directory under the runtime
    /// directory (`XDG_RUNTIME_DIR`: yours, 0700, in memory), else `TMPDIR`,
    /// else the system's temporary directory. The directory is made with a
    /// random name, mode 0700, failing if anything exists there (a name
    /// planted by another user is never used); the file is created new, 0600.
    fn create(env: &Env, url: &str) -> std::io::Result<Page> {
        let base = page_base(env);
        sweep_stale(&base);
        let dir = crate::fs::private_dir(&base, PAGE_DIR_PREFIX)?;
        let file = dir.join(PAGE_FILE);
        let page = Page {
            dir,
            file,
            keep: false,
        };
        crate::fs::write_new(&page.file, redirect_page(url).as_bytes())?;
        Ok(page)
    }

    /// The page's path (what the browser is given).
    #[cfg(all(test, unix))]
    pub(crate) fn path(&self) -> &Path {
        &self.file
    }

    /// Leave the page for a browser that ssoenv does not wait for: a small
    /// background step (`sh`, detached from the terminal's signals, no
    /// stdio) removes it after [`PAGE_KEPT_FOR`], whether or not ssoenv has
    /// exited by then. If that step cannot start, the page is removed now.
    pub(crate) fn remove_later(mut self) {
        self.keep = spawn_remover(&self.dir, &self.file, PAGE_KEPT_FOR);
    }
}

impl Drop for Page {
    fn drop(&mut self) {
        if !self.keep {
            remove_page_dir(&self.dir);
        }
    }
}

fn page_base(env: &Env) -> PathBuf {
    let usable = |v: &str| {
        let p = PathBuf::from(v);
        (p.is_absolute() && p.is_dir()).then_some(p)
    };
    env.non_empty("XDG_RUNTIME_DIR")
        .and_then(usable)
        .or_else(|| env.non_empty("TMPDIR").and_then(usable))
        .unwrap_or_else(std::env::temp_dir)
}

/// The file (the only one ssoenv puts there) and the directory; a directory
/// holding anything else is left alone.
fn remove_page_dir(dir: &Path) {
    let _ = std::fs::remove_file(dir.join(PAGE_FILE));
    let _ = std::fs::remove_dir(dir);
}

/// Page directories of ours that outlived their process (see [`STALE_PAGE`]).
fn sweep_stale(base: &Path) {
    let Ok(entries) = std::fs::read_dir(base) else {
        return;
    };
    for e in entries.flatten() {
        if !e.file_name().to_string_lossy().starts_with(PAGE_DIR_PREFIX) {
            continue;
        }
        // Not followed: a symlink by that name is not ours.
        let Ok(meta) = std::fs::symlink_metadata(e.path()) else {
            continue;
        };
        #[cfg(unix)]
        let mine = {
            use std::os::unix::fs::MetadataExt;
            meta.uid() == unsafe { libc::geteuid() }
        };
        #[cfg(not(unix))]
        let mine = true;
        let old = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age > STALE_PAGE);
        if meta.is_dir() && mine && old {
            remove_page_dir(&e.path());
        }
    }
}

/// Start the step that removes the page after `after`; false when it could
/// not start (the page is then removed by the caller's drop).
#[cfg(unix)]
fn spawn_remover(dir: &Path, file: &Path, after: Duration) -> bool {
    use std::os::unix::process::CommandExt;
    let spawned = Command::new("/bin/sh")
        .args([
            "-c",
            "sleep \"$1\"; rm -f -- \"$2\"; rmdir -- \"$3\"",
            "ssoenv-remove-page",
        ])
        .arg(after.as_secs().to_string())
        .arg(file)
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        // Its own process group: a Ctrl-C meant for the terminal's job does not cut it short.
        .process_group(0)
        .spawn();
    match spawned {
        Ok(mut child) => {
            // Reaped if ssoenv is still running when it ends; init's otherwise.
            std::thread::spawn(move || child.wait());
            true
        }
        Err(_) => false,
    }
}

/// Without `sh`: wait a few seconds here for the browser, then remove it.
#[cfg(not(unix))]
fn spawn_remover(_dir: &Path, _file: &Path, _after: Duration) -> bool {
    std::thread::sleep(Duration::from_secs(5));
    false
}

/// A page that sends the browser to `url` at once: a meta refresh, and
/// `location.replace` (which keeps the page out of the history), with the
/// URL escaped for HTML and for the script; no referrer is sent.
fn redirect_page(url: &str) -> String {
    let html = html_escape(url);
    let js = serde_json::to_string(url)
        .expect("a string serializes")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta http-equiv=\"refresh\" content=\"0;url={html}\">\n\
         <title>ssoenv: opening the page</title>\n\
         <script>window.location.replace({js});</script>\n\
         </head><body><p>ssoenv: opening <a href=\"{html}\" rel=\"noreferrer\">the page</a>.</p></body></html>\n"
    )
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// Browsers end the host at `\` (WHATWG URL): these are pages on `evil`.
    #[test]
    fn a_backslash_or_a_user_name_before_the_path_is_refused() {
        for bad in [
            "http://evil\\@127.0.0.1/x",
            "http://evil\\@localhost:8080/",
            "http://127.0.0.1\\@evil/",
            "http://127.0.0.1\\evil/",
            "HTTP://EVIL\\@127.0.0.1/",
            "http://evil%5C@127.0.0.1/",
            "http://evil@127.0.0.1/",
            "https://evil\\@device.sso.us-east-1.amazonaws.com/",
            "https://user:pw@example.com/",
            "http://127.0.0.1/a\\b",
            "http://evil\t@127.0.0.1/",
            "http://evil\n@127.0.0.1/",
        ] {
            assert!(!safe_to_open(bad), "{bad:?}");
        }
        assert!(safe_to_open("http://127.0.0.1:9/x?next=a@b"));
        assert!(safe_to_open("http://[::1]:8080/x"));
    }

    #[test]
    fn the_redirect_page_escapes_the_url_for_html_and_script() {
        let url = "https://example.com/?a=1&b=\"</script><script>alert(1)</script>'";
        let page = redirect_page(url);
        assert!(!page.contains("</script><script>alert"), "{page}");
        assert!(
            page.contains("content=\"0;url=https://example.com/?a=1&amp;b=&quot;&lt;/script&gt;")
        );
        assert!(page.contains(
            "location.replace(\"https://example.com/?a=1\\u0026b=\\\"\\u003c/script\\u003e"
        ));
        assert_eq!(page.matches("<script>").count(), 1, "{page}");
    }

    #[cfg(unix)]
    #[test]
    fn a_page_is_private_new_and_removed_when_dropped() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let env = Env::from_pairs([("TMPDIR", tmp.path().to_str().unwrap())]);
        let url = "https://signin.aws.amazon.com/federation?Action=login&SigninToken=abc";
        let a = Page::create(&env, url).unwrap();
        let b = Page::create(&env, url).unwrap();
        assert_ne!(a.path(), b.path());
        let dir = a.path().parent().unwrap().to_owned();
        assert_eq!(dir.parent().unwrap(), tmp.path());
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(a.path()), 0o600);
        let text = std::fs::read_to_string(a.path()).unwrap();
        assert!(text.contains("SigninToken=abc"), "{text}");
        drop(a);
        assert!(!dir.exists());
        // A stale page directory of ours is swept by the next page; others stay.
        let stale = tmp.path().join("ssoenv-open-stale");
        std::fs::create_dir(&stale).unwrap();
        std::fs::write(stale.join(PAGE_FILE), "x").unwrap();
        let old = std::time::SystemTime::now() - Duration::from_secs(3600);
        std::fs::File::open(&stale)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let young = tmp.path().join("ssoenv-open-young");
        std::fs::create_dir(&young).unwrap();
        let _c = Page::create(&env, url).unwrap();
        assert!(!stale.exists());
        assert!(young.exists());
        drop(b);
    }
}
