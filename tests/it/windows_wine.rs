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
