//! The Windows build (`x86_64-pc-windows-gnu`) run under wine, end to end: every command
//! against the emulator running natively on 127.0.0.1, as the Linux tests run the Linux
//! binary. `.ci/run` builds the .exe, a wine prefix with the `ProcessPrng` shim
//! (`ci/windows/processprng.c`), and points `SSOENV_TEST_WINDOWS_EXE` at the .exe and
//! `WINEPREFIX` at the prefix. Without them (or without wine) these tests skip locally and
//! fail under `CI`.
//!
//! Wine hands a Windows program the Unix environment except `HOME`, `PATH`, `TEMP` and `TMP`;
//! `WINEHOME` becomes its `HOME`, so each test's sandbox HOME goes in as `Z:\…` (wine's drive
//! for `/`). What wine cannot show (PowerShell evaluating the output; renaming over a file
//! another process holds open) is listed in the README's Windows section.

use crate::support::*;
use ssoenv_emulator::EmulatorConfig;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

/// The .exe under test, or None (skipped locally, a failure under CI).
fn windows_exe() -> Option<PathBuf> {
    let Some(exe) = std::env::var_os("SSOENV_TEST_WINDOWS_EXE") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "SSOENV_TEST_WINDOWS_EXE must name ssoenv.exe under CI (.ci/run sets it)"
        );
        skip("SSOENV_TEST_WINDOWS_EXE is not set (.ci/run builds ssoenv.exe and sets it)");
        return None;
    };
    if !have("wine") {
        return None;
    }
    let exe = PathBuf::from(exe);
    assert!(
        exe.is_file(),
        "SSOENV_TEST_WINDOWS_EXE: no file {}",
        exe.display()
    );
    Some(exe)
}

/// A Unix path as the Windows program names it: on wine's `Z:` drive, with `\`.
fn win_path(p: &Path) -> String {
    format!("Z:{}", p.display()).replace('/', "\\")
}

/// `wine ssoenv.exe ARGS` in the sandbox: a cleared environment with the emulator's
/// endpoints, the sandbox HOME (as `WINEHOME`) and the test's wine prefix.
fn wcmd(exe: &Path, sb: &Sandbox, args: &[&str]) -> Command {
    let mut c = Command::new("wine");
    c.arg(exe)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("WINEDEBUG", "-all")
        .env("WINEHOME", win_path(&sb.home))
        .env("AWS_ENDPOINT_URL_SSO_OIDC", sb.emu.url())
        .env("AWS_ENDPOINT_URL_SSO", sb.emu.url())
        .env("AWS_ENDPOINT_URL_STS", sb.emu.url())
        .env("AWS_ENDPOINT_URL_SIGNIN", sb.emu.url())
        .env("SSOENV_INTERACTIVE", "1")
        .env("SSOENV_TEST_POLL_INTERVAL_MS", "10")
        .stdin(Stdio::null());
    if let Some(prefix) = std::env::var_os("WINEPREFIX") {
        c.env("WINEPREFIX", prefix);
    }
    for (k, v) in &sb.extra_env {
        c.env(k, v);
    }
    c
}

fn wrun(exe: &Path, sb: &Sandbox, args: &[&str]) -> Output {
    output_within(wcmd(exe, sb, args), sb.dir.path(), Duration::from_secs(120))
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        stdout(out),
        stderr(out)
    );
    stdout(out)
}

/// A sandbox logged in to `corp` by the .exe (the device-code flow).
fn logged_in(exe: &Path) -> Sandbox {
    let sb = Sandbox::new();
    let out = wrun(exe, &sb, &["login", "--profile", "dev", "--no-browser"]);
    ok(&out);
    assert!(stderr(&out).contains("logged in to sso-session \"corp\""));
    sb
}

/// PowerShell's `$Env:NAME = 'value';` lines, as a map (PowerShell itself cannot run here;
/// no value below holds a quote).
fn powershell_vars(text: &str) -> std::collections::BTreeMap<String, String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("$Env:"))
        .filter_map(|l| l.split_once(" = '"))
        .map(|(k, v)| (k.to_owned(), v.trim_end_matches("';").to_owned()))
        .collect()
}

#[test]
fn the_exe_logs_in_and_use_writes_powershell_with_the_cached_credentials() {
    let Some(exe) = windows_exe() else { return };
    let sb = Sandbox::new();
    let version = ok(&wrun(&exe, &sb, &["--version"]));
    assert!(version.contains("x86_64-pc-windows-gnu"), "{version}");
    let sb = logged_in(&exe);
    // Written by the .exe, read natively: the same file the AWS CLI reads.
    assert!(sb.token_json("corp")["accessToken"].is_string());
    let out = ok(&wrun(&exe, &sb, &["use", "dev", "--shell", "powershell"]));
    let vars = powershell_vars(&out);
    assert_eq!(vars["AWS_PROFILE"], "dev", "{out}");
    assert_eq!(vars["AWS_REGION"], "eu-west-1");
    assert!(vars["AWS_ACCESS_KEY_ID"].starts_with("ASIA"), "{out}");
    // status, profiles, doctor and credential-process read what login and use left.
    let status = ok(&wrun(&exe, &sb, &["status", "--json"]));
    assert!(status.contains("\"corp\""), "{status}");
    let profiles = ok(&wrun(&exe, &sb, &["profiles"]));
    for name in ["dev", "prod", "legacy"] {
        assert!(profiles.contains(name), "{profiles}");
    }
    let cp = ok(&wrun(&exe, &sb, &["credential-process", "dev"]));
    let json: serde_json::Value = serde_json::from_str(&cp).unwrap();
    assert_eq!(json["Version"], 1);
    assert_eq!(json["AccessKeyId"], vars["AWS_ACCESS_KEY_ID"].as_str());
    let url = ok(&wrun(&exe, &sb, &["console", "dev", "--print"]));
    assert!(url.contains("SigninToken="), "{url}");
}

#[test]
fn doctor_shows_windows_paths_with_one_kind_of_separator() {
    let Some(exe) = windows_exe() else { return };
    let sb = logged_in(&exe);
    let out = wrun(&exe, &sb, &["doctor", "dev"]);
    let text = stdout(&out);
    let config = format!("{}\\.aws\\config", win_path(&sb.home));
    assert!(text.contains(&config), "{text}");
    // The .exe's own path, as `current_exe` gives it, without the verbatim `\\?\`.
    assert!(text.contains("this one is Z:\\"), "{text}");
    assert!(!text.contains(r"\\?\"), "{text}");
    assert!(!text.contains("\\.aws/"), "{text}");
}

#[test]
fn exec_passes_exit_codes_and_with_no_command_starts_comspec() {
    let Some(exe) = windows_exe() else { return };
    let sb = logged_in(&exe);
    let out = wrun(&exe, &sb, &["exec", "dev", "--", "cmd", "/c", "exit 7"]);
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
    let out = wrun(&exe, &sb, &["exec", "dev", "--", "no-such-program-here"]);
    assert_fails(&out, 127, "command not found: no-such-program-here");
    let out = wrun(&exe, &sb, &["exec", "dev", "--", r"C:\windows"]);
    assert_fails(&out, 126, "it is a directory");
    let out = wrun(
        &exe,
        &sb,
        &["exec", "dev", "--", "cmd", "/c", "echo", "%AWS_PROFILE%"],
    );
    assert_eq!(ok(&out).trim(), "dev");
    // No command: cmd.exe through %ComSpec% (before, `/bin/sh`, which Windows has not),
    // reading its commands from stdin here. Wine's cmd ends 0 whatever `exit N` says when it
    // reads stdin, so the exit code is not checked here (`cmd /c exit 7` above is).
    let mut c = wcmd(&exe, &sb, &["exec", "dev"]);
    c.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"echo profile=%AWS_PROFILE%\r\nexit\r\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(r"starting C:\windows\system32\cmd.exe"),
        "{err}"
    );
    assert!(stdout(&out).contains("profile=dev"), "{}", stdout(&out));
}

#[test]
fn exec_server_serves_credentials_to_a_client_while_the_child_runs() {
    let Some(exe) = windows_exe() else { return };
    let sb = logged_in(&exe);
    // The child prints the endpoint's variables, then waits for a line on stdin.
    let mut c = wcmd(
        &exe,
        &sb,
        &[
            "exec",
            "dev",
            "--server",
            "--",
            "cmd",
            "/d",
            "/c",
            // No space before `&`: wine's cmd would look for `AWS_CONTAINER `.
            "set AWS_CONTAINER&set /p x=",
        ],
    );
    c.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    // Read on a thread, so that a child that never prints fails the test instead of hanging it.
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(|l| l.ok()) {
            let _ = tx.send(line);
        }
    });
    let (mut url, mut token) = (None, None);
    while url.is_none() || token.is_none() {
        let Ok(line) = rx.recv_timeout(Duration::from_secs(60)) else {
            child.kill().unwrap();
            let out = child.wait_with_output().unwrap();
            panic!("the child printed no endpoint: {}", stderr(&out));
        };
        let line = line.trim_end();
        if let Some(v) = line.strip_prefix("AWS_CONTAINER_CREDENTIALS_FULL_URI=") {
            url = Some(v.to_owned());
        }
        if let Some(v) = line.strip_prefix("AWS_CONTAINER_AUTHORIZATION_TOKEN=") {
            token = Some(v.to_owned());
        }
    }
    let (url, token) = (url.unwrap(), token.unwrap());
    // The client: an SDK's container-credentials request, over HTTP from this (Linux) side.
    let rest = url.strip_prefix("http://").unwrap();
    let (addr, path) = rest.split_at(rest.find('/').unwrap());
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {token}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"AccessKeyId\":\"ASIA"), "{answer}");
    child.stdin.take().unwrap().write_all(b"\r\n").unwrap();
    let status = child.wait().unwrap();
    assert!(status.success());
}

#[test]
fn role_chaining_populate_and_a_crlf_config_work() {
    let Some(exe) = windows_exe() else { return };
    let sb = logged_in(&exe);
    // The config as a Windows editor saves it, with a chained role.
    let crlf = format!(
        "{CONFIG}\n[profile deploy]\nrole_arn = arn:aws:iam::444455556666:role/Deploy\nsource_profile = dev\n"
    )
    .replace('\n', "\r\n");
    sb.write_config(&crlf);
    let out = ok(&wrun(
        &exe,
        &sb,
        &["use", "deploy", "--shell", "powershell"],
    ));
    assert!(
        powershell_vars(&out)["AWS_ACCESS_KEY_ID"].starts_with("ASIA"),
        "{out}"
    );
    assert_eq!(sb.emu.stats().assume_role, 1);
    let cached = std::fs::read_dir(sb.cli_cache()).unwrap().count();
    assert!(cached >= 2, "the role and the chained role are cached");
    // populate rewrites the config through a temporary file and a rename.
    let out = wrun(&exe, &sb, &["populate"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("added"), "{err}");
    let after = std::fs::read_to_string(sb.home.join(".aws/config")).unwrap();
    assert!(after.starts_with(&crlf), "the rest of the file is kept");
    assert!(after.contains("ssoenv_populated = corp"), "{after}");
    let names: Vec<_> = std::fs::read_dir(sb.home.join(".aws"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.contains(".tmp")),
        "no temporary file left: {names:?}"
    );
}

#[test]
fn a_second_login_renames_over_the_cache_and_the_lock_holds_off_a_concurrent_one() {
    let Some(exe) = windows_exe() else { return };
    let sb = logged_in(&exe);
    let before = std::fs::read_to_string(sb.token_path("corp")).unwrap();
    let out = wrun(
        &exe,
        &sb,
        &["login", "--profile", "dev", "--no-browser", "--force"],
    );
    ok(&out);
    let after = std::fs::read_to_string(sb.token_path("corp")).unwrap();
    assert_ne!(before, after, "the cache file was replaced");
    let left: Vec<_> = std::fs::read_dir(sb.token_path("corp").parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        left.len(),
        2,
        "token and registration, no temporary files: {left:?}"
    );
    // A login that waits for approval holds the lock (LockFileEx); a second one gives up.
    sb.emu.set_approve_after_polls(u32::MAX);
    let mut holder = wcmd(
        &exe,
        &sb,
        &["login", "--profile", "dev", "--no-browser", "--force"],
    );
    let mut holder = holder
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(holder.stderr.take().unwrap());
    let mut line = String::new();
    while !line.contains("waiting for approval") {
        line.clear();
        assert!(
            err.read_line(&mut line).unwrap() > 0,
            "the first login ended"
        );
    }
    let mut second = wcmd(
        &exe,
        &sb,
        &["login", "--profile", "dev", "--no-browser", "--force"],
    );
    second.env("SSOENV_LOCK_TIMEOUT", "1");
    let out = output_within(second, sb.dir.path(), Duration::from_secs(60));
    assert_fails(&out, 1, "timed out after 1s waiting for another ssoenv");
    holder.kill().unwrap();
    holder.wait().unwrap();
}

#[test]
fn the_demo_runs_its_exec_step_with_cmd() {
    let Some(exe) = windows_exe() else { return };
    let sb = Sandbox::with(EmulatorConfig::default());
    let out = wrun(&exe, &sb, &["demo"]);
    let text = ok(&out);
    assert!(
        text.contains(
            "in the child: AWS_PROFILE=demo-prod AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=ASIA"
        ),
        "{text}"
    );
    // Cache paths as one kind of path: `.aws\sso\cache\<sha1>.json`.
    assert!(text.contains(r".aws\sso\cache\"), "{text}");
    assert!(!text.contains(".aws\\sso\\cache/"), "{text}");
}

/// Every line of `text` that names a path under the sandbox HOME uses `\` alone (before, a
/// path built with `join(".aws/sso/cache")` read `Z:\…\.aws/sso/cache`).
fn one_kind_of_separator(sb: &Sandbox, text: &str) {
    let home = win_path(&sb.home);
    let mut seen = 0;
    for line in text.lines().filter(|l| l.contains(&home)) {
        let path = &line[line.find(&home).unwrap()..];
        let path = path.split_whitespace().next().unwrap_or(path);
        assert!(!path.contains('/'), "{line}");
        seen += 1;
    }
    assert!(seen > 0, "no path under {home} in: {text}");
}

#[test]
fn unset_writes_powershell_that_removes_every_variable_use_set() {
    let Some(exe) = windows_exe() else { return };
    let sb = logged_in(&exe);
    let used = powershell_vars(&ok(&wrun(
        &exe,
        &sb,
        &["use", "dev", "--shell", "powershell"],
    )));
    assert!(used.contains_key("AWS_SESSION_TOKEN"), "{used:?}");
    let out = wrun(&exe, &sb, &["unset", "--shell", "powershell"]);
    let text = ok(&out);
    assert_eq!(stderr(&out), "");
    let removed: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("Remove-Item -LiteralPath Env:"))
        .filter_map(|l| l.strip_suffix(" -ErrorAction SilentlyContinue;"))
        .collect();
    for name in used.keys() {
        assert!(removed.contains(&name.as_str()), "{name} in:\n{text}");
    }
    // Nothing but removals: no `$Env:X = …` left to set anything.
    assert!(powershell_vars(&text).is_empty(), "{text}");
    // Without --shell: Windows has no parent-shell detection and no SHELL, so nothing is
    // guessed; the error says to pass --shell, and nothing reaches the evaluating shell.
    let out = wrun(&exe, &sb, &["unset"]);
    let err = assert_fails(&out, 2, "could not tell which shell to write code for");
    assert!(err.contains("SHELL is not set"), "{err}");
    assert!(err.contains("--shell bash|zsh|fish|powershell|sh"), "{err}");
}

#[test]
fn logout_tells_the_portal_and_removes_the_token_and_the_role_credentials() {
    let Some(exe) = windows_exe() else { return };
    let sb = logged_in(&exe);
    ok(&wrun(&exe, &sb, &["use", "dev", "--shell", "powershell"]));
    ok(&wrun(&exe, &sb, &["use", "prod", "--shell", "powershell"]));
    let roles: Vec<_> = std::fs::read_dir(sb.cli_cache()).unwrap().collect();
    assert_eq!(roles.len(), 2, "dev's and prod's role credentials");
    let out = wrun(&exe, &sb, &["logout", "dev"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(stdout(&out), "");
    assert!(
        err.contains("revoked the SSO session for sso-session \"corp\" server-side"),
        "{err}"
    );
    assert!(err.contains("logged out of sso-session \"corp\""), "{err}");
    // The portal was told, with the token it had issued.
    let stats = sb.emu.stats();
    assert_eq!((stats.logout, stats.logouts), (1, 1));
    assert!(!sb.token_path("corp").exists(), "{err}");
    assert_eq!(
        std::fs::read_dir(sb.cli_cache()).unwrap().count(),
        0,
        "both profiles share corp: {err}"
    );
    // Each removed file is named, as Windows spells it.
    assert_eq!(err.matches("removed ").count(), 3, "{err}");
    one_kind_of_separator(&sb, &err);
    // Again: idempotent, and the portal is not called without a token.
    let out = wrun(&exe, &sb, &["logout", "dev"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("already logged out"),
        "{}",
        stderr(&out)
    );
    assert_eq!(sb.emu.stats().logout, 1);
    // And a use now needs a login (which the non-interactive .exe does not start).
    let check = wrun(&exe, &sb, &["status", "--check", "dev"]);
    assert_eq!(check.status.code(), Some(1));
}

#[test]
fn configure_with_every_answer_a_flag_edits_a_crlf_config_in_place() {
    let Some(exe) = windows_exe() else { return };
    let sb = Sandbox::new();
    let crlf = CONFIG.replace('\n', "\r\n");
    sb.write_config(&crlf);
    let out = wrun(
        &exe,
        &sb,
        &[
            "configure",
            "--sso-session",
            "work",
            "--start-url",
            "https://d-9999999999.awsapps.com/start",
            "--sso-region",
            "eu-central-1",
            "--account-id",
            "222222222222",
            "--role-name",
            "ReadOnly",
            "--region",
            "eu-west-1",
            "--output",
            "json",
            "--profile",
            "staging",
        ],
    );
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(stdout(&out), "");
    // No login: the account and role were given.
    assert_eq!(sb.emu.stats().start_device_authorization, 0, "{err}");
    let after = std::fs::read_to_string(sb.home.join(".aws/config")).unwrap();
    assert!(after.starts_with(&crlf), "the rest is kept byte for byte");
    let added = &after[crlf.len()..];
    assert_eq!(
        added,
        "\r\n[sso-session work]\r\nsso_start_url = https://d-9999999999.awsapps.com/start\r\n\
         sso_region = eu-central-1\r\nsso_registration_scopes = sso:account:access\r\n\r\n\
         [profile staging]\r\nsso_session = work\r\nsso_account_id = 222222222222\r\n\
         sso_role_name = ReadOnly\r\nregion = eu-west-1\r\noutput = json\r\n",
        "written with the file's own line ends"
    );
    // Through a temporary file and a rename: beside it only the backup of the file as it was
    // (`config.ssoenv-bak`, byte for byte), no temporary file.
    let mut names: Vec<_> = std::fs::read_dir(sb.home.join(".aws"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["config", "config.ssoenv-bak"],
        "no temporary file left"
    );
    assert_eq!(
        std::fs::read_to_string(sb.home.join(".aws/config.ssoenv-bak")).unwrap(),
        crlf
    );
    assert!(err.contains(r"\.aws\config"), "{err}");
    one_kind_of_separator(&sb, &err);
    // The .exe reads back what it wrote.
    let profiles = ok(&wrun(&exe, &sb, &["profiles", "--names"]));
    assert!(profiles.lines().any(|l| l == "staging"), "{profiles}");
    // The same answers again change nothing; a clash is refused, the file untouched.
    let clash = wrun(
        &exe,
        &sb,
        &[
            "configure",
            "--sso-session",
            "work",
            "--start-url",
            "https://d-0000000000.awsapps.com/start",
            "--sso-region",
            "eu-central-1",
            "--account-id",
            "222222222222",
            "--role-name",
            "ReadOnly",
            "--region",
            "eu-west-1",
            "--profile",
            "other",
        ],
    );
    assert_eq!(clash.status.code(), Some(2), "{}", stderr(&clash));
    assert!(stderr(&clash).contains("work"), "{}", stderr(&clash));
    assert_eq!(
        std::fs::read_to_string(sb.home.join(".aws/config")).unwrap(),
        after
    );
}

#[test]
fn accounts_lists_the_emulators_accounts_and_roles() {
    let Some(exe) = windows_exe() else { return };
    let sb = logged_in(&exe);
    let table = ok(&wrun(&exe, &sb, &["accounts", "dev"]));
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("ACCOUNT ID"), "{table}");
    assert_eq!(
        &lines[1..],
        [
            "111111111111  dev      AdministratorAccess, PowerUserAccess, ReadOnly",
            "333333333333  prod     BillingViewer, ReadOnly",
            "222222222222  staging  AdministratorAccess, ReadOnly",
        ],
        "{table}"
    );
    let json = ok(&wrun(
        &exe,
        &sb,
        &["accounts", "--sso-session", "corp", "--json"],
    ));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v[0],
        serde_json::json!({"accountId": "111111111111", "accountName": "dev",
            "emailAddress": "dev@example.com",
            "roles": ["AdministratorAccess", "PowerUserAccess", "ReadOnly"]})
    );
    assert_eq!(v.as_array().unwrap().len(), 3);
    // With the cached token: no second login.
    assert_eq!(sb.emu.stats().start_device_authorization, 1);
}

#[test]
fn init_powershell_prints_the_script_calling_this_exe() {
    let Some(exe) = windows_exe() else { return };
    let sb = Sandbox::new();
    let out = wrun(&exe, &sb, &["init", "powershell"]);
    let text = ok(&out);
    // The binary's own Windows path, quoted for PowerShell (PowerShell itself cannot run
    // under wine: its powershell.exe is a stub, so the script is not evaluated here).
    let bin = format!("$global:__ssoenv_bin = '{}'", win_path(&exe));
    assert!(text.contains(&bin), "{bin} in:\n{text}");
    assert!(!text.contains("@SSOENV_BIN@"));
    assert!(!text.contains(r"\\?\"), "no verbatim path");
    assert!(text.contains("function global:ssoenv"), "{text}");
    assert!(text.contains("Register-ArgumentCompleter"), "{text}");
    // The script is ASCII: PowerShell reads it through the console code page.
    assert!(text.is_ascii());
}

#[test]
fn prompt_shows_the_segment_that_use_left_in_the_environment() {
    let Some(exe) = windows_exe() else { return };
    let sb = logged_in(&exe);
    let vars = powershell_vars(&ok(&wrun(
        &exe,
        &sb,
        &["use", "dev", "--shell", "powershell"],
    )));
    let mut c = wcmd(&exe, &sb, &["prompt", "--no-color"]);
    c.env("SSOENV_PROFILE", &vars["SSOENV_PROFILE"])
        .env("SSOENV_EXPIRATION", &vars["SSOENV_EXPIRATION"]);
    let segment = ok(&output_within(c, sb.dir.path(), Duration::from_secs(120)));
    // The emulator's role credentials last an hour.
    assert!(
        segment == "dev 59m\n" || segment == "dev 1h00m\n",
        "{segment:?}"
    );
    let mut c = wcmd(&exe, &sb, &["prompt", "--format", "{profile}:{state}"]);
    c.env("SSOENV_PROFILE", "dev")
        .env("SSOENV_EXPIRATION", "946684800"); // 2000-01-01, unix seconds
    let out = ok(&output_within(c, sb.dir.path(), Duration::from_secs(120)));
    // Coloured unless asked not to: red, expired.
    assert_eq!(out, "\x1b[31mdev:expired\x1b[0m\n");
    // No profile active: nothing at all.
    assert_eq!(ok(&wrun(&exe, &sb, &["prompt"])), "");
}

#[test]
fn completions_powershell_registers_a_completer_for_the_exe_name() {
    let Some(exe) = windows_exe() else { return };
    let sb = Sandbox::new();
    let text = ok(&wrun(&exe, &sb, &["completions", "powershell"]));
    assert!(
        text.contains("Register-ArgumentCompleter -Native -CommandName 'ssoenv'"),
        "{text}"
    );
    for word in ["'use'", "'exec'", "'logout'", "'configure'", "'--shell'"] {
        assert!(text.contains(word), "{word} in:\n{text}");
    }
    assert!(text.is_ascii());
}

/// A child killed (and reaped) when dropped, so a failed assertion leaves no emulator behind.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_emulator_under_wine_serves_a_native_client_its_banner_config() {
    let Some(exe) = windows_exe() else { return };
    let sb = Sandbox::new();
    let mut c = wcmd(
        &exe,
        &sb,
        &[
            "emulator",
            "--port",
            "0",
            "--interval",
            "0",
            "--approve-after",
            "0",
        ],
    );
    c.stdout(Stdio::null()).stderr(Stdio::piped());
    let mut child = Killed(c.spawn().unwrap());
    // The banner, read on a thread so that an emulator that never prints fails the test.
    let (tx, rx) = std::sync::mpsc::channel();
    let err = child.0.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(|l| l.ok()) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut banner = String::new();
    loop {
        let Ok(line) = rx.recv_timeout(Duration::from_secs(60)) else {
            panic!("no banner from the emulator under wine:\n{banner}");
        };
        banner.push_str(line.trim_end_matches('\r'));
        banner.push('\n');
        if line.starts_with("Press Ctrl-C") {
            break;
        }
    }
    let url = banner
        .lines()
        .next()
        .and_then(|l| l.rsplit_once(" listening on "))
        .map(|(_, u)| u.to_owned())
        .unwrap_or_else(|| panic!("no URL in:\n{banner}"));
    assert!(url.starts_with("http://127.0.0.1:"), "{banner}");
    let start = banner
        .find("[sso-session ssoenv-emulator]")
        .expect("a config snippet");
    let end = banner.find("\nThen: ").expect("a next step");
    std::fs::write(sb.home.join(".aws/config"), &banner[start..end]).unwrap();
    // The native (Linux) ssoenv, with nothing but the pasted config pointing it there.
    let native = |args: &[&str]| {
        let mut c = Command::new(BIN);
        c.args(args)
            .env_clear()
            .env("HOME", &sb.home)
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("SSOENV_INTERACTIVE", "1")
            .stdin(Stdio::null());
        output_within(c, sb.dir.path(), Duration::from_secs(60))
    };
    let out = native(&["login", "--sso-session", "ssoenv-emulator", "--no-browser"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = native(&["use", "prod-BillingViewer", "--shell", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("export AWS_ACCESS_KEY_ID='ASIA"),
        "{}",
        stdout(&out)
    );
    let out = native(&["console", "dev-AdministratorAccess", "--print"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with(&format!("{url}/federation?")),
        "{}",
        stdout(&out)
    );
    // The control API answers too: one login's worth of requests was counted.
    let rest = url.strip_prefix("http://").unwrap();
    let mut s = std::net::TcpStream::connect(rest).unwrap();
    write!(
        s,
        "GET /_emulator/stats HTTP/1.1\r\nHost: {rest}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let body = &answer[answer.find("\r\n\r\n").unwrap() + 4..];
    let stats: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(stats["start_device_authorization"], 1, "{answer}");
}
