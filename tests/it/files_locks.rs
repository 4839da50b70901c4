//! Security hardening of what ssoenv reads, writes and locks (issue 7):
//! hostile names never reach the terminal raw, every file read is bounded and
//! must be a regular file, the lock file cannot be redirected, temporary
//! files holding tokens do not linger, the prompt's renewal never freezes,
//! and numeric variables never panic.

use crate::support;
use ssoenv_emulator::Fault;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;
use support::*;

/// [`output_timed`] with the child's address space capped (1 GiB), so a
/// regression that reads `/dev/zero` fails instead of exhausting the
/// machine's memory.
fn run_bounded(cmd: &mut Command, dir: &Path, limit: Duration) -> (Output, Duration) {
    use std::os::unix::process::CommandExt;
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: 1 << 30,
                rlim_max: 1 << 30,
            };
            libc::setrlimit(libc::RLIMIT_AS, &lim);
            Ok(())
        });
    }
    output_timed(cmd, dir, limit)
}

fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
}

fn role_cache_files(sb: &Sandbox) -> Vec<PathBuf> {
    std::fs::read_dir(sb.cli_cache())
        .map(|rd| rd.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default()
}

fn lock_path(sb: &Sandbox, session: &str) -> PathBuf {
    sb.home
        .join(".cache/ssoenv/locks")
        .join(format!("{}.lock", ssoenv::cache::sha1_hex(session)))
}

fn assert_no_raw_controls(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| c != '\n' && ssoenv::text::is_control(c))
        .collect();
    assert!(
        bad.is_empty(),
        "{what} carries raw control characters {bad:?}: {text:?}"
    );
}

// --- item 2: terminal escapes ---

const EVIL: &str = "evil\x1b]0;pwned\x07";
const EVIL_C1: &str = "csi\u{9b}31m";

fn hostile_config() -> String {
    format!(
        "{CONFIG}
[profile \"{EVIL}\"]
sso_session = corp
sso_account_id = 444444444444
sso_role_name = Role\x1b[2J
region = eu-\x07west-1

[profile {EVIL_C1}]
sso_session = corp\x1b[31m
sso_account_id = 555555555555
sso_role_name = ReadOnly
"
    )
}

#[test]
fn hostile_profile_names_are_escaped_in_profiles_status_and_errors() {
    let sb = Sandbox::new();
    sb.write_config(&hostile_config());
    for args in [
        vec!["profiles"],
        vec!["status"],
        vec!["use", "evil\x1b]0;pwneX\x07", "--shell", "bash"],
        vec!["login", "--sso-session", "corp\x1b[31m"],
        vec!["use", EVIL_C1, "--shell", "bash"],
    ] {
        let out = sb
            .cmd(&args)
            .env("SSOENV_PROFILE", format!("active\x1b[5m{EVIL}"))
            .output()
            .unwrap();
        assert_no_raw_controls(&format!("stdout of {args:?}"), &out.stdout);
        assert_no_raw_controls(&format!("stderr of {args:?}"), &out.stderr);
    }
    // The names are shown, escaped.
    let out = sb.run(["profiles"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("evil\\e]0;pwned\\x07"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("Role\\e[2J"), "{}", stdout(&out));
    assert_stderr_has(&out, "csi\\u{9b}31m");
    // The did-you-mean hint names the close profile, escaped.
    let out = sb.run(["use", "evil\x1b]0;pwneX\x07", "--shell", "bash"]);
    let err = assert_fails(&out, 2, "not found");
    assert!(
        err.contains("did you mean \"evil\\e]0;pwned\\x07\"?"),
        "{err}"
    );
    let out = sb
        .cmd(["status"])
        .env("SSOENV_PROFILE", format!("active\x1b[5m{EVIL}"))
        .output()
        .unwrap();
    assert!(
        stdout(&out).contains("active in this shell: active\\e[5mevil"),
        "{}",
        stdout(&out)
    );
    // JSON escapes by itself: the name round-trips exactly.
    let out = sb.run(["profiles", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"].as_str() == Some(EVIL))
    );
}

#[test]
fn completion_names_leave_out_names_with_control_characters() {
    let sb = Sandbox::new();
    sb.write_config(&hostile_config());
    let out = sb.run(["profiles", "--names"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_no_raw_controls("profiles --names", &out.stdout);
    assert_eq!(
        stdout(&out),
        "dev\nprod\nlegacy\n",
        "one plain name a line, SSO profiles only"
    );
}

#[test]
fn error_display_escapes_message_causes_and_hint() {
    let e = ssoenv::error::Error::config("profile \"a\x1b[2J\" not found")
        .cause("server said \x07\u{9b}")
        .hint("did you mean \"b\nhint: run rm -rf\"?");
    let shown = e.to_string();
    assert_eq!(
        shown,
        "ssoenv: profile \"a\\e[2J\" not found\n  caused by: server said \\x07\\u{9b}\nhint: did you mean \"b\\nhint: run rm -rf\"?"
    );
}

// --- item 11: bounded reads of regular files only ---

#[test]
fn a_fifo_or_device_in_the_caches_is_ignored_with_a_warning_not_waited_on() {
    let sb = Sandbox::new();
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let role = role_cache_files(&sb);
    assert_eq!(role.len(), 1);
    // Role cache: a FIFO nobody writes to.
    std::fs::remove_file(&role[0]).unwrap();
    mkfifo(&role[0]);
    let (out, _) = run_bounded(
        &mut sb.cmd(["use", "dev", "--shell", "bash"]),
        sb.dir.path(),
        Duration::from_secs(15),
    );
    assert!(out.status.success(), "{:?} {}", out.status, stderr(&out));
    assert!(stdout(&out).contains("AWS_ACCESS_KEY_ID"));
    assert_stderr_has(
        &out,
        "is a FIFO (named pipe), not a regular file); ignoring it",
    );
    assert!(role[0].is_file(), "replaced by a real cache file");
    // Token cache: a symlink to /dev/zero (and the role cache gone, so it is read).
    std::fs::remove_file(&role[0]).unwrap();
    let token = sb.token_path("corp");
    std::fs::remove_file(&token).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &token).unwrap();
    let (out, _) = run_bounded(
        &mut sb.cmd(["use", "dev", "--shell", "bash"]),
        sb.dir.path(),
        Duration::from_secs(15),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(
        &out,
        "is a character device, not a regular file); ignoring it",
    );
    assert_eq!(
        sb.emu.stats().start_device_authorization,
        2,
        "logged in anew"
    );
}

#[test]
fn an_oversized_cache_file_is_ignored_with_a_warning() {
    let sb = Sandbox::new();
    assert!(sb.run(["login", "dev"]).status.success());
    let token = sb.token_path("corp");
    let mut big = std::fs::read(&token).unwrap();
    big.extend(std::iter::repeat_n(b' ', 2 << 20));
    std::fs::write(&token, &big).unwrap();
    let (out, _) = run_bounded(
        &mut sb.cmd(["status"]),
        sb.dir.path(),
        Duration::from_secs(15),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(&out, "it is larger than 1 MiB); ignoring it");
}

#[test]
fn a_config_file_that_is_a_fifo_or_a_device_is_a_usage_error_at_once() {
    let sb = Sandbox::new();
    let fifo = sb.dir.path().join("config.fifo");
    mkfifo(&fifo);
    for (path, what) in [
        (
            fifo.to_str().unwrap(),
            "is a FIFO (named pipe), not a regular file",
        ),
        ("/dev/zero", "is a character device, not a regular file"),
    ] {
        // Completion (`profiles --names`) fails as `use` would: nothing on
        // stdout, the error on stderr (which the completion scripts discard).
        for args in [&["status"][..], &["profiles", "--names"]] {
            let (out, elapsed) = run_bounded(
                sb.cmd(args).env("AWS_CONFIG_FILE", path),
                sb.dir.path(),
                Duration::from_secs(15),
            );
            assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
            let err = assert_fails(&out, 2, what);
            assert!(err.contains(path), "{err}");
            assert!(err.contains("hint: point AWS_CONFIG_FILE"), "{err}");
        }
    }
}

#[test]
fn dev_null_as_the_config_file_means_no_config() {
    let sb = Sandbox::new();
    let (out, _) = run_bounded(
        sb.cmd(["status", "--json"])
            .env("AWS_CONFIG_FILE", "/dev/null"),
        sb.dir.path(),
        Duration::from_secs(15),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["profiles"], serde_json::json!([]));
    let out = sb
        .cmd(["use", "dev"])
        .env("AWS_CONFIG_FILE", "/dev/null")
        .output()
        .unwrap();
    assert_fails(&out, 2, "profile \"dev\" not found in /dev/null");
}

#[test]
fn a_config_file_over_16_mib_is_refused() {
    let sb = Sandbox::new();
    let mut text = CONFIG.to_owned();
    text.push_str(&"# padding\n".repeat((17 << 20) / 10));
    sb.write_config(&text);
    let (out, _) = run_bounded(
        &mut sb.cmd(["status"]),
        sb.dir.path(),
        Duration::from_secs(30),
    );
    assert_fails(&out, 2, "is larger than 16 MiB");
}

// --- item 12: the lock file ---

#[test]
fn a_symlink_planted_at_the_lock_path_is_refused_and_its_target_untouched() {
    let sb = Sandbox::new();
    let locks = sb.home.join(".cache/ssoenv/locks");
    std::fs::create_dir_all(&locks).unwrap();
    let victim = sb.home.join("victim");
    std::fs::write(&victim, "precious").unwrap();
    std::os::unix::fs::symlink(&victim, lock_path(&sb, "corp")).unwrap();
    let out = sb.run(["login", "dev"]);
    let err = assert_fails(&out, 1, "is a symbolic link; refusing to follow it");
    assert!(err.contains("hint: remove"), "{err}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
}

#[test]
fn the_lock_directory_is_private_and_a_relative_xdg_cache_home_is_ignored() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    let cwd = sb.dir.path().join("cwd");
    std::fs::create_dir_all(&cwd).unwrap();
    let out = sb
        .cmd(["login", "dev"])
        .env("XDG_CACHE_HOME", "relative/cache")
        .current_dir(&cwd)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !cwd.join("relative").exists(),
        "relative XDG_CACHE_HOME used"
    );
    let locks = sb.home.join(".cache/ssoenv/locks");
    assert!(lock_path(&sb, "corp").is_file());
    let mode = std::fs::metadata(&locks).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700);
}

#[test]
fn a_lock_directory_owned_by_another_user_is_refused() {
    if unsafe { libc::geteuid() } != 0 {
        skip("not root: cannot give a directory to another user");
        return;
    }
    let sb = Sandbox::new();
    let shared = sb.dir.path().join("shared");
    let locks = shared.join("ssoenv/locks");
    std::fs::create_dir_all(&locks).unwrap();
    std::os::unix::fs::chown(&locks, Some(54321), Some(54321)).unwrap();
    let out = sb
        .cmd(["login", "dev"])
        .env("XDG_CACHE_HOME", &shared)
        .output()
        .unwrap();
    let err = assert_fails(&out, 1, "belongs to another user (uid 54321");
    assert!(err.contains("hint: point XDG_CACHE_HOME"), "{err}");
    // Its parent too: whoever owns `ssoenv/` can swap `locks/`.
    std::os::unix::fs::chown(&locks, Some(0), Some(0)).unwrap();
    std::os::unix::fs::chown(shared.join("ssoenv"), Some(54321), Some(54321)).unwrap();
    let out = sb
        .cmd(["login", "dev"])
        .env("XDG_CACHE_HOME", &shared)
        .output()
        .unwrap();
    let err = assert_fails(&out, 1, "belongs to another user (uid 54321");
    assert!(err.contains("/ssoenv belongs"), "{err}");
}

// --- item 13: temporary files ---

fn plant_temp(dir: &Path, pid: u32, age: Duration) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let p = dir.join(format!(".abc.json.{pid}.12345.tmp"));
    std::fs::write(&p, r#"{"accessToken": "leaked"}"#).unwrap();
    let f = std::fs::File::options().write(true).open(&p).unwrap();
    f.set_modified(std::time::SystemTime::now() - age).unwrap();
    p
}

/// A pid that is not running (above the default pid_max).
const DEAD_PID: u32 = 4_000_000_000;

#[test]
fn stale_temporary_files_are_removed_by_the_next_write_but_a_live_writers_are_kept() {
    let sb = Sandbox::new();
    let sso = sb.home.join(".aws/sso/cache");
    let cli = sb.cli_cache();
    let dead = plant_temp(&sso, DEAD_PID, Duration::ZERO);
    let old = plant_temp(&cli, std::process::id(), Duration::from_secs(120));
    let live = plant_temp(&sso, std::process::id(), Duration::ZERO);
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!dead.exists(), "a dead writer's temporary file is removed");
    assert!(!old.exists(), "an old temporary file is removed");
    assert!(live.exists(), "a live writer's fresh file is kept");
}

#[test]
fn logout_removes_stale_temporary_files() {
    let sb = Sandbox::new();
    assert!(sb.run(["use", "dev", "--shell", "bash"]).status.success());
    for args in [&["logout", "dev"][..], &["logout", "--all"]] {
        let a = plant_temp(&sb.home.join(".aws/sso/cache"), DEAD_PID, Duration::ZERO);
        let b = plant_temp(&sb.cli_cache(), 1, Duration::from_secs(3600));
        let out = sb.run(args);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(!a.exists() && !b.exists(), "{args:?}: {}", stderr(&out));
        assert_stderr_has(&out, ".abc.json.4000000000.12345.tmp");
    }
}

// --- item 14: the prompt's renewal never freezes ---

fn renewal(sb: &Sandbox) -> Command {
    let mut c = sb.cmd(["use", "dev", "--shell", "bash"]);
    c.env("SSOENV_INTERACTIVE", "0")
        .env("SSOENV_BACKGROUND_RENEW", "1")
        .stdin(Stdio::null());
    c
}

#[test]
fn a_background_renewal_skips_at_once_when_another_shell_holds_the_lock() {
    let sb = Sandbox::new();
    assert!(sb.run(["login", "dev"]).status.success());
    let holder = std::fs::File::options()
        .read(true)
        .write(true)
        .open(lock_path(&sb, "corp"))
        .unwrap();
    holder.try_lock().unwrap();
    let (out, elapsed) = run_bounded(&mut renewal(&sb), sb.dir.path(), Duration::from_secs(15));
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    let err = assert_fails(&out, 1, "skipping this background renewal");
    assert!(!err.contains("waiting for another ssoenv"), "{err}");
    // A manual `use` still waits (bounded by SSOENV_LOCK_TIMEOUT).
    let out = sb
        .cmd(["use", "dev", "--shell", "bash"])
        .env("SSOENV_LOCK_TIMEOUT", "0.3")
        .output()
        .unwrap();
    assert_fails(&out, 1, "timed out after 0s waiting for another ssoenv");
    drop(holder);
    let (out, _) = run_bounded(&mut renewal(&sb), sb.dir.path(), Duration::from_secs(15));
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_background_renewal_gives_up_within_3_seconds_overall() {
    let sb = Sandbox::new();
    assert!(sb.run(["login", "dev"]).status.success());
    sb.emu
        .add_fault(Fault::parse("credentials:slow=8000:1").unwrap());
    let (out, elapsed) = run_bounded(&mut renewal(&sb), sb.dir.path(), Duration::from_secs(20));
    assert!(
        elapsed < Duration::from_millis(4500),
        "took {elapsed:?}: {}",
        stderr(&out)
    );
    assert_fails(&out, 1, "gave up the background renewal after 3s");
}

/// The watchdog must not stop a refresh between the service rotating the
/// refresh token and the new one reaching the disk: with CreateToken answering
/// after the 3 s deadline, the rotated token is still saved and the next
/// command refreshes with it instead of needing a new login.
#[test]
fn a_background_renewal_past_its_deadline_still_saves_the_rotated_refresh_token() {
    let sb = Sandbox::new();
    assert!(sb.run(["login", "dev"]).status.success());
    let mut t = sb.token_json("corp");
    let old_refresh = t["refreshToken"].as_str().unwrap().to_owned();
    t["expiresAt"] = ts(-60).into();
    sb.write_token("corp", &t);
    sb.emu.add_fault(Fault::parse("token:slow=3600:1").unwrap());
    let (out, elapsed) = run_bounded(&mut renewal(&sb), sb.dir.path(), Duration::from_secs(20));
    assert!(
        elapsed < Duration::from_millis(5500),
        "bounded by the deadline and the grace: {elapsed:?}"
    );
    let saved = sb.token_json("corp");
    let new_refresh = saved["refreshToken"].as_str().unwrap();
    assert_ne!(new_refresh, old_refresh, "{}", stderr(&out));
    // The next command refreshes with the saved token (the old one is spent).
    let mut t = saved.clone();
    t["expiresAt"] = ts(-60).into();
    sb.write_token("corp", &t);
    let logins = sb.emu.stats().start_device_authorization;
    let out = sb
        .cmd(["use", "dev", "--shell", "bash"])
        .env("SSOENV_INTERACTIVE", "0")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        sb.emu.stats().start_device_authorization,
        logins,
        "no new login"
    );
}

// --- item 15: numeric variables ---

#[test]
fn absurd_lock_timeouts_are_a_usage_error_naming_the_variable_not_a_panic() {
    let sb = Sandbox::new();
    for bad in ["1e30", "-1", "abc", "inf", "NaN", "86401"] {
        let out = sb
            .cmd(["login", "dev"])
            .env("SSOENV_LOCK_TIMEOUT", bad)
            .output()
            .unwrap();
        let err = assert_fails(
            &out,
            2,
            &format!(
                "SSOENV_LOCK_TIMEOUT is \"{bad}\", which is not a number of seconds from 0 to 86400"
            ),
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    for good in ["0.5", "86400", ""] {
        let out = sb
            .cmd(["login", "dev"])
            .env("SSOENV_LOCK_TIMEOUT", good)
            .output()
            .unwrap();
        assert!(out.status.success(), "{good}: {}", stderr(&out));
    }
}

#[test]
fn use_on_a_terminal_shows_a_hostile_profile_name_escaped() {
    // `script` gives the command a pseudo-terminal; everything it shows is captured.
    if !have("script") {
        return;
    }
    let sb = Sandbox::new();
    sb.write_config(&format!(
        "{CONFIG}\n[profile \"{EVIL}\"]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = AdministratorAccess\n"
    ));
    let c = sb.cmd(["--version"]);
    let envs: Vec<(String, String)> = c
        .get_envs()
        .filter_map(|(k, v)| Some((k.to_str()?.to_owned(), v?.to_str()?.to_owned())))
        .collect();
    drop(c);
    let mut s = Command::new("script");
    s.args([
        "-qec",
        &format!("{BIN} use \"$EVIL_NAME\" --shell bash"),
        "/dev/null",
    ])
    .env_clear()
    .envs(envs)
    .env("EVIL_NAME", EVIL);
    let (out, _) = run_bounded(&mut s, sb.dir.path(), Duration::from_secs(20));
    let shown = stdout(&out).replace("\r\n", "\n");
    assert!(out.status.success(), "{shown}");
    assert!(shown.contains("evil\\e]0;pwned\\x07"), "{shown}");
    assert_no_raw_controls("use on a terminal", shown.as_bytes());
}
