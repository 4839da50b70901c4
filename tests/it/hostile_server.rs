//! A hostile or broken Identity Center: the emulator sends control
//! characters, oversized or malformed values, absurd times and intervals,
//! dangerous URLs, or never answers. ssoenv must fail clearly (exit 1, empty
//! stdout, the field and URL named), never panic, never cache or export a bad
//! value, and never hang. Issue 7, items 2, 6–10 and 16.

use crate::support;

use serde_json::{Value, json};
use ssoenv_emulator::{EmulatorConfig, FOREVER, Fault, FaultKind, Op};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
use support::*;

fn patch(op: Op, pointer: &str, value: Value) -> Fault {
    patch_all(op, &[(pointer, value)])
}

/// One fault changing several fields of the same answer.
fn patch_all(op: Op, fields: &[(&str, Value)]) -> Fault {
    Fault::new(
        Some(op),
        FaultKind::Patch {
            fields: fields
                .iter()
                .map(|(p, v)| (p.to_string(), v.clone()))
                .collect(),
        },
        FOREVER,
    )
}

/// A sandbox whose first CreateToken poll already succeeds, so a patch on
/// CreateToken meets a successful answer.
fn quick() -> Sandbox {
    Sandbox::with(EmulatorConfig {
        interval: 0,
        approve_after_polls: 0,
        ..EmulatorConfig::default()
    })
}

/// [`output_timed`] in the sandbox's directory.
fn run_bounded(sb: &Sandbox, mut cmd: Command, limit: Duration) -> (Output, Duration) {
    output_timed(&mut cmd, sb.dir.path(), limit)
}

fn assert_no_panic(err: &str) {
    assert!(!err.contains("panicked"), "{err}");
    assert!(!err.contains("RUST_BACKTRACE"), "{err}");
}

fn assert_no_raw_controls(err: &str) {
    for c in ['\x1b', '\x07', '\0', '\r', '\u{9b}'] {
        assert!(!err.contains(c), "raw {c:?} reached the terminal: {err:?}");
    }
}

fn dir_is_empty_or_absent(dir: &std::path::Path) -> bool {
    std::fs::read_dir(dir).map_or(true, |mut d| d.next().is_none())
}

/// Files in ~/.aws/sso/cache other than ssoenv's own lock/temp files.
fn sso_cache_files(sb: &Sandbox) -> Vec<String> {
    std::fs::read_dir(sb.home.join(".aws/sso/cache"))
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".json"))
                .collect()
        })
        .unwrap_or_default()
}

// ---------------------------------------------------------------- item 2

#[test]
fn login_instructions_show_control_characters_from_the_server_escaped() {
    let sb = Sandbox::new();
    let evil = "ABCD\x1b]0;pwned\x07-EFGH\x1b[2J\u{9b}31m";
    sb.emu.add_fault(patch_all(
        Op::StartDeviceAuthorization,
        &[
            ("/userCode", json!(evil)),
            (
                "/verificationUri",
                json!("http://127.0.0.1:1/\x1b[2Jdevice"),
            ),
        ],
    ));
    let out = sb.run(["login", "dev", "--no-browser"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_no_raw_controls(&err);
    assert!(
        err.contains(r"ABCD\e]0;pwned\x07-EFGH\e[2J\u{9b}31m"),
        "{err}"
    );
    assert!(err.contains(r"http://127.0.0.1:1/\e[2Jdevice"), "{err}");
}

#[test]
fn server_error_messages_are_shown_escaped() {
    let sb = Sandbox::new();
    assert!(sb.run(["login", "dev"]).status.success());
    sb.emu.add_fault(Fault::new(
        Some(Op::GetRoleCredentials),
        FaultKind::Reject {
            status: 400,
            message: "bad\x1b]0;pwned\x07\x1b[2J request".into(),
        },
        FOREVER,
    ));
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    let err = assert_fails(&out, 1, "could not get credentials");
    assert_no_raw_controls(&err);
    assert!(err.contains(r"bad\e]0;pwned\x07\e[2J request"), "{err}");
}

// ---------------------------------------------------------------- item 6

#[test]
fn hostile_role_credentials_are_refused_and_nothing_is_cached_or_exported() {
    let big = "A".repeat(200_000);
    let cases: Vec<(&str, Value, &str)> = vec![
        ("secretAccessKey", json!("SECRETVALUE\0tail"), "0x00"),
        ("sessionToken", json!("SECRETVALUE\r\nexport X=1"), "0x0d"),
        ("sessionToken", json!(big), "more than the 65536 allowed"),
        ("accessKeyId", json!("ASIA SECRETVALUE"), "a space"),
        ("accessKeyId", json!(""), "is empty"),
        (
            "secretAccessKey",
            json!("SECRETVALUE\u{e9}"),
            "not printable ASCII",
        ),
    ];
    for (field, value, why) in cases {
        let sb = Sandbox::new();
        sb.emu.add_fault(patch(
            Op::GetRoleCredentials,
            &format!("/roleCredentials/{field}"),
            value,
        ));
        let out = sb.run(["use", "dev", "--shell", "bash"]);
        let err = assert_fails(&out, 1, field);
        assert_no_panic(&err);
        assert!(err.contains(why), "{field}: {err}");
        assert!(err.contains("GetRoleCredentials"), "{err}");
        assert!(
            err.contains(&format!("{}/federation/credentials", sb.emu.url())),
            "{err}"
        );
        assert!(
            !err.contains("SECRETVALUE"),
            "a secret reached stderr: {err}"
        );
        assert!(
            err.len() < 4096,
            "the value was echoed: {} bytes",
            err.len()
        );
        assert!(
            dir_is_empty_or_absent(&sb.cli_cache()),
            "{field}: credentials were cached"
        );
        // The next run is not poisoned: with the fault gone it just works.
        sb.emu.reset();
        let out = sb.run(["use", "dev", "--shell", "bash"]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
}

#[test]
fn hostile_tokens_and_client_secrets_are_refused_and_nothing_is_stored() {
    let cases: Vec<(Op, &str, Value, &str)> = vec![
        (
            Op::CreateToken,
            "/accessToken",
            json!("tok\r\nen"),
            "accessToken",
        ),
        (
            Op::CreateToken,
            "/accessToken",
            json!("x".repeat(70_000)),
            "accessToken",
        ),
        (
            Op::CreateToken,
            "/refreshToken",
            json!("refresh\0token"),
            "refreshToken",
        ),
        (
            Op::RegisterClient,
            "/clientSecret",
            json!("sec\x1bret"),
            "clientSecret",
        ),
        (Op::RegisterClient, "/clientId", json!(""), "clientId"),
        (
            Op::StartDeviceAuthorization,
            "/deviceCode",
            json!("dev ice"),
            "deviceCode",
        ),
        (
            Op::StartDeviceAuthorization,
            "/userCode",
            json!(""),
            "userCode",
        ),
        (
            Op::StartDeviceAuthorization,
            "/verificationUriComplete",
            json!("h".repeat(10_000)),
            "verificationUriComplete",
        ),
    ];
    for (op, pointer, value, field) in cases {
        let sb = quick();
        sb.emu.add_fault(patch(op, pointer, value));
        let out = sb.run(["login", "dev"]);
        let err = assert_fails(&out, 1, field);
        assert_no_panic(&err);
        assert_no_raw_controls(&err);
        assert!(err.contains(op.aws_name()), "{err}");
        assert!(err.contains(&sb.emu.url()), "{err}");
        assert!(
            !err.contains("check your network"),
            "an invalid answer is not a network problem: {err}"
        );
        assert!(
            err.len() < 4096,
            "the value was echoed: {} bytes",
            err.len()
        );
        assert!(
            !sb.token_path("corp").exists(),
            "{field}: a token was stored"
        );
        if op == Op::RegisterClient {
            assert_eq!(sso_cache_files(&sb), Vec::<String>::new(), "{field}");
        }
    }
}

// ---------------------------------------------------------------- item 7

#[test]
fn absurd_credential_expirations_are_refused_without_a_panic() {
    for (ms, why) in [
        (json!(253_402_300_799_000_i64), "more than 10 years ahead"), // 9999-12-31
        (json!(i64::MAX), "out of range"),
        (json!(-1000), "before the year 2000"),
    ] {
        let sb = Sandbox::new();
        sb.emu.add_fault(patch(
            Op::GetRoleCredentials,
            "/roleCredentials/expiration",
            ms.clone(),
        ));
        let out = sb.run(["use", "dev", "--shell", "bash"]);
        let err = assert_fails(&out, 1, "expiration");
        assert_no_panic(&err);
        assert!(err.contains(why), "{ms}: {err}");
        assert!(dir_is_empty_or_absent(&sb.cli_cache()), "{ms}: cached");
    }
}

#[test]
fn absurd_token_lifetimes_fail_the_login_without_a_panic() {
    for secs in [json!(i64::MAX), json!(-5), json!(0), json!(400_000_000)] {
        let sb = quick();
        sb.emu
            .add_fault(patch(Op::CreateToken, "/expiresIn", secs.clone()));
        let out = sb.run(["login", "dev"]);
        let err = assert_fails(&out, 1, "expiresIn");
        assert_no_panic(&err);
        assert!(err.contains("CreateToken"), "{err}");
        assert!(!sb.token_path("corp").exists(), "{secs}: token stored");
    }
}

#[test]
fn an_absurd_lifetime_on_refresh_keeps_the_rotated_refresh_token() {
    let sb = Sandbox::with(EmulatorConfig {
        interval: 0,
        token_ttl: 600, // inside the 15-minute refresh window: the next use refreshes
        ..EmulatorConfig::default()
    });
    assert!(sb.run(["login", "dev"]).status.success());
    let before: Value =
        serde_json::from_str(&std::fs::read_to_string(sb.token_path("corp")).unwrap()).unwrap();
    sb.emu
        .add_fault(patch(Op::CreateToken, "/expiresIn", json!(i64::MAX)));
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    let err = stderr(&out);
    assert_no_panic(&err);
    // The old access token still works for 10 minutes: use goes on with it.
    assert!(out.status.success(), "{err}");
    assert!(err.contains("expiresIn"), "{err}");
    assert_eq!(sb.emu.stats().create_token_refresh_token, 1);
    let after: Value =
        serde_json::from_str(&std::fs::read_to_string(sb.token_path("corp")).unwrap()).unwrap();
    assert_ne!(
        after["refreshToken"], before["refreshToken"],
        "the rotated refresh token is kept"
    );
    assert_eq!(after["accessToken"], before["accessToken"]);
    assert_eq!(after["expiresAt"], before["expiresAt"]);
    // And it works: the next refresh (fault gone) succeeds with it.
    sb.emu.reset();
    std::fs::remove_dir_all(sb.cli_cache()).unwrap();
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(sb.emu.stats().create_token_refresh_token, 1);
    assert_eq!(sb.emu.stats().start_device_authorization, 0);
}

#[test]
fn an_absurd_client_secret_expiry_is_refused_and_not_cached() {
    for at in [json!(253_402_300_799_i64), json!(i64::MAX), json!(-1)] {
        let sb = quick();
        sb.emu.add_fault(patch(
            Op::RegisterClient,
            "/clientSecretExpiresAt",
            at.clone(),
        ));
        let out = sb.run(["login", "dev"]);
        let err = assert_fails(&out, 1, "clientSecretExpiresAt");
        assert_no_panic(&err);
        assert_eq!(sso_cache_files(&sb), Vec::<String>::new(), "{at}");
    }
}

// ---------------------------------------------------------------- item 8

#[test]
fn polling_stops_at_the_device_code_deadline() {
    // The service would keep the code pending for 10 minutes; it said 2 s.
    let sb = Sandbox::with(EmulatorConfig {
        interval: 0,
        approve_after_polls: u32::MAX,
        ..EmulatorConfig::default()
    });
    sb.emu
        .add_fault(patch(Op::StartDeviceAuthorization, "/expiresIn", json!(2)));
    let (out, took) = run_bounded(
        &sb,
        sb.cmd(["login", "dev", "--no-browser"]),
        Duration::from_secs(15),
    );
    let err = assert_fails(&out, 1, "has expired");
    assert!(err.contains("after 2 seconds"), "{err}");
    assert!(took < Duration::from_secs(6), "{took:?}");
}

#[test]
fn interval_zero_is_clamped_to_one_second() {
    let sb = Sandbox::with(EmulatorConfig {
        interval: 0,
        approve_after_polls: u32::MAX,
        device_code_ttl: 3,
        ..EmulatorConfig::default()
    });
    let mut cmd = sb.cmd(["login", "dev", "--no-browser"]);
    // The real floor, not the test suite's 10 ms.
    cmd.env_remove("SSOENV_TEST_POLL_INTERVAL_MS");
    let (out, took) = run_bounded(&sb, cmd, Duration::from_secs(15));
    assert_fails(&out, 1, "has expired");
    let polls = sb.emu.stats().create_token_device_code;
    assert!((2..=5).contains(&polls), "{polls} polls in {took:?}");
}

#[test]
fn huge_interval_and_slow_down_neither_hang_nor_overflow() {
    let sb = Sandbox::with(EmulatorConfig {
        interval: 0,
        approve_after_polls: u32::MAX,
        ..EmulatorConfig::default()
    });
    sb.emu.add_fault(patch_all(
        Op::StartDeviceAuthorization,
        &[("/interval", json!(u64::MAX)), ("/expiresIn", json!(2))],
    ));
    sb.emu.add_fault(Fault::new(
        Some(Op::CreateToken),
        FaultKind::SlowDown,
        FOREVER,
    ));
    let (out, took) = run_bounded(
        &sb,
        sb.cmd(["login", "dev", "--no-browser"]),
        Duration::from_secs(15),
    );
    let err = assert_fails(&out, 1, "has expired");
    assert_no_panic(&err);
    assert!(took < Duration::from_secs(6), "{took:?}");
}

// ---------------------------------------------------------------- item 9

#[test]
fn the_browser_opens_a_loopback_http_verification_url() {
    let sb = Sandbox::new();
    let (browser, log) = recording_browser(&sb);
    let sb = sb.env("BROWSER", &browser);
    let out = sb.run(["login", "dev"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let start = Instant::now();
    while !log.exists() && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let args = std::fs::read_to_string(&log).expect("the browser was started");
    assert!(
        args.starts_with(&format!("{}/start/", sb.emu.url())),
        "{args}"
    );
}

#[test]
fn a_dangerous_verification_url_is_printed_but_never_opened() {
    for url in [
        "-oProxyCommand=touch /tmp/ssoenv-pwned",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "http://attacker.example/device",
        // Browsers end the host at `\`: these are pages on `evil`.
        "http://evil\\@127.0.0.1/device",
        "http://127.0.0.1\\@evil/device",
        "http://evil@127.0.0.1/device",
    ] {
        let sb = Sandbox::new();
        let (browser, log) = recording_browser(&sb);
        let sb = sb.env("BROWSER", &browser);
        sb.emu.add_fault(patch(
            Op::StartDeviceAuthorization,
            "/verificationUriComplete",
            json!(url),
        ));
        let out = sb.run(["login", "dev"]);
        let err = stderr(&out);
        assert!(out.status.success(), "{err}");
        assert!(err.contains(url), "the URL is still printed: {err}");
        assert!(err.contains("not opening a browser"), "{err}");
        assert!(!err.contains("Attempting to open"), "{err}");
        std::thread::sleep(Duration::from_millis(300));
        assert!(
            !log.exists(),
            "{url} reached the browser: {:?}",
            std::fs::read_to_string(&log)
        );
    }
}

// ---------------------------------------------------------------- item 10

#[test]
fn a_server_that_never_answers_is_abandoned_within_the_deadline() {
    let sb = Sandbox::new().env("SSOENV_HTTP_TIMEOUT", "3");
    assert!(sb.run(["login", "dev"]).status.success());
    sb.emu
        .add_fault(Fault::parse("credentials:hang:*").unwrap());
    let (out, took) = run_bounded(
        &sb,
        sb.cmd(["use", "dev", "--shell", "bash"]),
        Duration::from_secs(20),
    );
    let err = assert_fails(&out, 1, "no answer from");
    let url = format!("{}/federation/credentials", sb.emu.url());
    assert!(
        err.contains(&format!(
            "ssoenv: no answer from {url} after 1 s; retrying (2/3)"
        )),
        "{err}"
    );
    assert!(err.contains("retrying (3/3)"), "{err}");
    assert!(!err.contains("timeout: global"), "{err}");
    assert!(err.contains("SSOENV_HTTP_TIMEOUT"), "{err}");
    assert!(took < Duration::from_millis(4500), "gave up after {took:?}");
    eprintln!("never-answering server abandoned after {took:?} (deadline 3 s)");
}

#[test]
fn a_trickling_server_is_abandoned_within_the_deadline() {
    let sb = Sandbox::new().env("SSOENV_HTTP_TIMEOUT", "2");
    assert!(sb.run(["login", "dev"]).status.success());
    sb.emu
        .add_fault(Fault::parse("credentials:trickle=900:*").unwrap());
    let (out, took) = run_bounded(
        &sb,
        sb.cmd(["use", "dev", "--shell", "bash"]),
        Duration::from_secs(20),
    );
    let err = assert_fails(&out, 1, "no answer from");
    assert!(!err.contains("timeout: global"), "{err}");
    // A byte every 0.9 s never lets ureq's own timer fire in time; the bound holds anyway.
    assert!(took < Duration::from_millis(2600), "gave up after {took:?}");
    eprintln!("trickling server abandoned after {took:?} (deadline 2 s)");
}

#[test]
fn each_retry_says_what_is_retried_and_why() {
    let sb = Sandbox::new();
    assert!(sb.run(["login", "dev"]).status.success());
    sb.emu.add_fault(Fault::parse("credentials:500:1").unwrap());
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let url = format!("{}/federation/credentials", sb.emu.url());
    assert!(
        err.contains(&format!(
            "ssoenv: {url} answered HTTP 500 InternalServerException"
        )),
        "{err}"
    );
    assert_eq!(err.matches("; retrying (2/3)").count(), 1, "{err}");
}

#[test]
fn a_malformed_or_wrong_shape_body_is_an_invalid_answer_not_a_network_problem() {
    for fault in [
        Fault::parse("credentials:garbage:*").unwrap(),
        patch(Op::GetRoleCredentials, "/roleCredentials", json!("nope")),
    ] {
        let sb = Sandbox::new();
        assert!(sb.run(["login", "dev"]).status.success());
        sb.emu.add_fault(fault);
        let out = sb.run(["use", "dev", "--shell", "bash"]);
        let err = assert_fails(&out, 1, "sent an invalid GetRoleCredentials answer");
        assert!(err.contains(&sb.emu.url()), "{err}");
        assert!(!err.contains("could not be reached"), "{err}");
        assert!(!err.contains("check your network"), "{err}");
        assert!(
            !err.contains("retrying"),
            "an invalid answer is not retried: {err}"
        );
    }
}

#[test]
fn absurd_http_timeouts_are_a_clear_config_error() {
    for v in [
        "abc",
        "-1",
        "0",
        "nan",
        "inf",
        "1e400",
        "99999999999999999999",
    ] {
        let sb = Sandbox::new().env("SSOENV_HTTP_TIMEOUT", v);
        let out = sb.run(["use", "dev", "--shell", "bash"]);
        let err = assert_fails(&out, 2, "SSOENV_HTTP_TIMEOUT");
        assert_no_panic(&err);
    }
    let sb = Sandbox::new().env("SSOENV_HTTP_TIMEOUT", "2.5");
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

// ---------------------------------------------------------------- item 16

#[test]
fn a_login_that_cannot_be_stored_fails_before_the_browser() {
    let sb = Sandbox::new();
    // ~/.aws/sso is a file: the cache directory cannot exist (works as root too).
    std::fs::write(sb.home.join(".aws/sso"), "not a directory").unwrap();
    let out = sb.run(["login", "dev"]);
    let err = assert_fails(&out, 1, ".aws/sso/cache");
    assert!(err.contains("cannot store an SSO login"), "{err}");
    assert!(
        !err.contains("enter the code"),
        "instructions were shown: {err}"
    );
    let s = sb.emu.stats();
    assert_eq!(s.register_client, 0);
    assert_eq!(s.start_device_authorization, 0);
}

#[test]
fn an_unwritable_cache_directory_fails_before_the_browser() {
    let sb = Sandbox::new();
    let cache = sb.home.join(".aws/sso/cache");
    std::fs::create_dir_all(&cache).unwrap();
    let out = Command::new("chmod")
        .arg("555")
        .arg(&cache)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(out.success());
    // root writes anywhere: only meaningful for other users.
    if std::fs::write(cache.join("probe"), "x").is_ok() {
        support::skip("running as a user that can write a 0555 directory (root)");
        return;
    }
    let out = sb.run(["login", "dev"]);
    let err = assert_fails(&out, 1, "is not writable");
    assert!(!err.contains("enter the code"), "{err}");
    assert_eq!(sb.emu.stats().start_device_authorization, 0);
}

// ------------------------------------------------- issue 8 follow-ups

#[test]
fn a_ca_bundle_that_is_a_fifo_is_refused_not_waited_on() {
    let sb = Sandbox::new();
    let fifo = sb.dir.path().join("bundle.pem");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let mut c = sb.cmd(["login", "dev", "--no-browser"]);
    c.env("AWS_CA_BUNDLE", &fifo);
    // A FIFO with no writer blocks a plain read forever: the watchdog turns
    // that regression into a failure.
    let out = output_within(c, sb.dir.path(), Duration::from_secs(10));
    let err = assert_fails(&out, 2, "AWS_CA_BUNDLE");
    assert!(err.contains("a FIFO"), "{err}");
    assert_eq!(sb.emu.stats().register_client, 0);
}

#[test]
fn a_huge_or_missing_ca_bundle_is_a_clear_error() {
    let sb = Sandbox::new();
    let big = sb.dir.path().join("big.pem");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(64 << 20).unwrap(); // sparse: costs no disk
    for (path, needle) in [
        (big, "larger than"),
        (sb.dir.path().join("missing.pem"), "does not exist"),
    ] {
        let mut c = sb.cmd(["login", "dev", "--no-browser"]);
        c.env("AWS_CA_BUNDLE", &path);
        let out = output_within(c, sb.dir.path(), Duration::from_secs(10));
        let err = assert_fails(&out, 2, "AWS_CA_BUNDLE");
        assert!(err.contains(needle), "{err}");
    }
}

#[test]
fn a_logout_the_portal_never_answers_says_no_answer_not_answered() {
    let sb = Sandbox::new().env("SSOENV_HTTP_TIMEOUT", "0.5");
    assert!(sb.run(["login", "dev", "--no-browser"]).status.success());
    sb.emu.add_fault(Fault::parse("logout:hang:*").unwrap());
    let (out, took) = run_bounded(&sb, sb.cmd(["logout", "dev"]), Duration::from_secs(15));
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(&format!("(no answer from {} after ", sb.emu.url())),
        "{err}"
    );
    assert!(!err.contains("answered"), "{err}");
    assert!(err.contains("removing local state anyway"), "{err}");
    assert!(!sb.token_path("corp").exists());
    assert!(took < Duration::from_secs(5), "{took:?}");
}

#[test]
fn a_logout_the_portal_refuses_quotes_its_answer() {
    let sb = Sandbox::new();
    assert!(sb.run(["login", "dev", "--no-browser"]).status.success());
    sb.emu.add_fault(Fault::parse("logout:401").unwrap());
    let out = sb.run(["logout", "dev"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(&format!("{} answered HTTP 401", sb.emu.url())),
        "{err}"
    );
}

// ------------------------------------------------- issue 17, item 8

#[test]
fn a_huge_server_error_text_is_cut_to_about_1_kib_on_every_endpoint() {
    let huge = format!("{}END-OF-HUGE-TEXT", "flood ".repeat(150_000));
    let all_bytes = huge.len();
    let check = |what: &str, err: &str| {
        assert!(
            err.contains(&format!("… (cut, {all_bytes} bytes in all)")),
            "{what}: {}",
            &err[..err.len().min(3000)]
        );
        assert!(!err.contains("END-OF-HUGE-TEXT"), "{what}");
        assert!(err.len() < 4096, "{what}: {} bytes on stderr", err.len());
        assert_no_panic(err);
    };
    let reject = |op| {
        Fault::new(
            Some(op),
            FaultKind::Reject {
                status: 400,
                message: huge.clone(),
            },
            FOREVER,
        )
    };

    // SSO-OIDC (error_description): the login's CreateToken.
    let sb = quick();
    sb.emu.add_fault(reject(Op::CreateToken));
    let out = sb.run(["login", "dev", "--no-browser"]);
    check("CreateToken", &assert_fails(&out, 1, "HTTP 400"));

    // The portal (message): GetRoleCredentials.
    let sb = Sandbox::new();
    assert!(sb.run(["login", "dev"]).status.success());
    sb.emu.add_fault(reject(Op::GetRoleCredentials));
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    check("GetRoleCredentials", &assert_fails(&out, 1, "HTTP 400"));

    // STS (XML): a chained profile's AssumeRole.
    let sb = Sandbox::new();
    sb.write_config(&format!(
        "{CONFIG}\n[profile chained]\nrole_arn = arn:aws:iam::444455556666:role/Deploy\nsource_profile = dev\n"
    ));
    assert!(sb.run(["login", "dev"]).status.success());
    sb.emu.add_fault(reject(Op::AssumeRole));
    let out = sb.run(["use", "chained", "--shell", "bash"]);
    check("AssumeRole", &assert_fails(&out, 1, "InvalidRequest"));
}

// ------------------------------------------------- issue 19, item 5

/// `~/.aws/cli/cache` cannot be written (here `~/.aws/cli` is a file, which
/// stops root too): the role credentials, already issued, are used with a
/// warning naming the OS error, not thrown away on every try.
#[test]
fn an_unwritable_role_cache_warns_and_the_credentials_are_still_used() {
    let sb = Sandbox::new();
    std::fs::write(sb.home.join(".aws/cli"), "not a directory").unwrap();
    let out = sb.run(["use", "dev", "--shell", "bash", "--no-browser"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("export AWS_ACCESS_KEY_ID="),
        "{}",
        stdout(&out)
    );
    let err = stderr(&out);
    assert!(
        err.contains("ssoenv: warning: the credentials are used but were not cached: could not create the directory"),
        "{err}"
    );
    assert!(
        err.contains("caused by: Not a directory (os error 20)"),
        "{err}"
    );
    assert!(
        err.contains("until then each command asks for new credentials"),
        "{err}"
    );
    // The next command needs no login: the SSO token was cached.
    let out = sb.run([
        "exec",
        "dev",
        "--",
        "sh",
        "-c",
        "test -n \"$AWS_SECRET_ACCESS_KEY\"",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(sb.emu.stats().start_device_authorization, 1);
    assert_eq!(sb.emu.stats().get_role_credentials, 2);
    // Role chaining's cache (the same directory) too.
    let out = sb.run(["credential-process", "dev"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// `~/.aws/sso/cache` cannot be created: the error's cause is the OS error,
/// not the message again, and no login starts.
#[test]
fn an_uncreatable_token_cache_names_the_os_error() {
    let sb = Sandbox::new();
    std::fs::write(sb.home.join(".aws/sso"), "not a directory").unwrap();
    let out = sb.run(["login", "dev", "--no-browser"]);
    let err = assert_fails(&out, 1, "cannot be created");
    assert!(
        err.contains("caused by: Not a directory (os error 20)"),
        "{err}"
    );
    assert!(!err.contains("caused by: could not create"), "{err}");
    assert_eq!(sb.emu.stats().start_device_authorization, 0);
}
