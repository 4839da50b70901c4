//! `ssoenv console`: the real binary against the emulator's sign-in
//! federation endpoint (`AWS_ENDPOINT_URL_SIGNIN`): the login URL it prints
//! or opens, what it asks for, and how it fails without leaking the
//! credentials, the SigninToken or the URL.

use crate::support;
use serde_json::{Value, json};
use ssoenv_emulator::{FOREVER, Fault, FaultKind, Op};
use std::collections::BTreeMap;
use std::process::Output;
use std::time::Duration;
use support::*;

const DEV_HOME: &str = "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1";
const START_URL: &str = "https://d-1234567890.awsapps.com/start";

/// A sandbox whose sign-in endpoint is the emulator's.
fn signin_sandbox() -> Sandbox {
    let sb = Sandbox::new();
    let url = sb.emu.url();
    sb.env("AWS_ENDPOINT_URL_SIGNIN", &url)
}

/// `application/x-www-form-urlencoded` decoding of one value.
fn form_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// The URL's base (before `?`) and its decoded query parameters.
fn parse_url(url: &str) -> (String, BTreeMap<String, String>) {
    let (base, query) = url.split_once('?').expect("a query");
    let params = query
        .split('&')
        .map(|p| {
            let (k, v) = p.split_once('=').expect("key=value");
            (form_decode(k), form_decode(v))
        })
        .collect();
    (base.to_owned(), params)
}

/// The secret parts of every role credential cached in the sandbox.
fn cached_secrets(sb: &Sandbox) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(sb.cli_cache()).into_iter().flatten() {
        let v: Value = serde_json::from_slice(&std::fs::read(entry.unwrap().path()).unwrap())
            .unwrap_or(Value::Null);
        for key in ["SecretAccessKey", "SessionToken"] {
            if let Some(s) = v["Credentials"][key].as_str() {
                out.push(s.to_owned());
            }
        }
    }
    out
}

/// stderr holds none of the secrets (raw or form-encoded) nor a login URL.
fn assert_no_secrets(sb: &Sandbox, out: &Output, more: &[&str]) {
    let err = stderr(out);
    let secrets = cached_secrets(sb);
    assert!(
        !secrets.is_empty() || !more.is_empty(),
        "nothing to look for"
    );
    for s in secrets
        .iter()
        .map(String::as_str)
        .chain(more.iter().copied())
    {
        let encoded: String = s
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect();
        assert!(!err.contains(s), "a secret on stderr: {err}");
        assert!(
            !err.contains(&encoded),
            "an encoded secret on stderr: {err}"
        );
    }
    assert!(
        !err.contains("SigninToken="),
        "a login URL on stderr: {err}"
    );
}

/// GET `url` without following redirects: (status, Location).
fn get_no_redirect(url: &str) -> (u16, Option<String>) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .build()
        .into();
    let resp = agent.get(url).call().unwrap();
    let location = resp
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned());
    (resp.status().as_u16(), location)
}

fn patch(pointer: &str, value: Value) -> Fault {
    Fault::new(
        Some(Op::GetSigninToken),
        FaultKind::Patch {
            fields: vec![(pointer.to_owned(), value)],
        },
        FOREVER,
    )
}

#[test]
fn console_print_writes_one_login_url_that_the_emulator_follows_to_the_console() {
    let sb = signin_sandbox();
    let out = sb.run(["console", "dev", "--print"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1, "exactly one line: {text:?}");
    assert!(text.ends_with('\n'));
    let url = text.trim_end();
    let (base, params) = parse_url(url);
    assert_eq!(base, format!("{}/federation", sb.emu.url()));
    assert_eq!(
        params.keys().collect::<Vec<_>>(),
        ["Action", "Destination", "Issuer", "SigninToken"]
    );
    assert_eq!(params["Action"], "login");
    assert_eq!(params["Issuer"], START_URL);
    assert_eq!(params["Destination"], DEV_HOME);
    let token = &params["SigninToken"];
    assert!(sb.emu.signin_token_valid(token), "the emulator issued it");
    assert_eq!(sb.emu.stats().get_signin_token, 1);
    // Identity Center role credentials: a SessionDuration, one hour by default.
    let asked = sb.emu.last_signin_request().unwrap();
    assert!(asked.access_key_id.starts_with("ASIA"));
    assert_eq!(sb.emu.credentials_valid(&asked.access_key_id), Some(true));
    assert_eq!(asked.session_duration, Some(3600));
    assert_no_secrets(&sb, &out, &[token]);

    // A browser following the URL lands on the console page.
    assert_eq!(get_no_redirect(url), (302, Some(DEV_HOME.to_owned())));
    assert_eq!(sb.emu.stats().console_logins, 1);
    let forged = url.replace(token.as_str(), "forged");
    assert_eq!(get_no_redirect(&forged).0, 400);
}

/// Wait up to 10 s for the stand-in browser's log to have a line `line`.
fn wait_for_line(log: &std::path::Path, line: &str) -> String {
    let start = std::time::Instant::now();
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if text.lines().any(|l| l == line) || start.elapsed() > Duration::from_secs(10) {
            return text;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn console_opens_the_login_url_in_the_browser_and_prints_nothing_on_stdout() {
    let sb = signin_sandbox();
    assert!(sb.run(["login", "dev"]).status.success());
    let (browser, log) = page_browser(&sb, 0.0);
    let tmp = sb.dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let sb = sb
        .env("BROWSER", &browser)
        .env("TMPDIR", tmp.to_str().unwrap());
    let out = sb.run(["console", "dev"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "", "the URL is never printed without --print");
    let text = wait_for_line(&log, "done");
    // The browser got a private page of ssoenv's, which sends it to the URL.
    let (page, dir_mode, file_mode) = opened_page(&text).expect("the browser was started");
    assert_eq!(page.parent().unwrap().parent().unwrap(), tmp);
    assert_eq!((dir_mode.as_str(), file_mode.as_str()), ("700", "600"));
    assert!(!text.contains("mismatch"), "{text}");
    let opened = opened_url(&text).unwrap();
    let (base, params) = parse_url(&opened);
    assert_eq!(base, format!("{}/federation", sb.emu.url()));
    assert_eq!(params["Destination"], DEV_HOME);
    assert!(sb.emu.signin_token_valid(&params["SigninToken"]));
    assert_stderr_has(&out, "opened the AWS console");
    assert_no_secrets(&sb, &out, &[&params["SigninToken"]]);
    // It stays for a browser still starting; a step of its own removes it.
    let remover = std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
        .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
        .find(|c| c.contains("ssoenv-remove-page") && c.contains(page.to_str().unwrap()));
    assert!(remover.is_some(), "no step removes {}", page.display());
}

/// Another local user polling every process's command line while `console`
/// opens the browser never sees the sign-in URL (a bearer secret).
#[test]
fn another_user_watching_command_lines_never_sees_the_sign_in_url() {
    let sb = signin_sandbox();
    assert!(sb.run(["login", "dev"]).status.success());
    // The browser stays open for a while, as real ones do.
    let (browser, log) = page_browser(&sb, 1.0);
    let sb = sb.env("BROWSER", &browser);
    let Some(watcher) = CmdlineWatcher::start() else {
        return;
    };
    let out = sb.run(["console", "dev"]);
    let text = wait_for_line(&log, "done");
    let seen = watcher.stop();
    assert!(out.status.success(), "{}", stderr(&out));
    let token =
        parse_url(&opened_url(&text).expect("the browser got the URL")).1["SigninToken"].clone();
    assert!(
        seen.iter().any(|c| c.contains("browser.py")),
        "the watcher never saw the browser: {seen:?}"
    );
    for c in &seen {
        assert!(
            !c.contains("SigninToken") && !c.contains(&token[..32]) && !c.contains("federation"),
            "another user read the sign-in URL: {c}"
        );
    }
}

#[test]
fn duration_region_and_destination_shape_the_request_and_the_url() {
    let sb = signin_sandbox();
    let out = sb.run([
        "console",
        "dev",
        "--print",
        "--duration",
        "2h",
        "--region",
        "us-west-2",
        "--destination",
        "s3",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        sb.emu.last_signin_request().unwrap().session_duration,
        Some(7200)
    );
    let (_, params) = parse_url(stdout(&out).trim_end());
    assert_eq!(
        params["Destination"],
        "https://us-west-2.console.aws.amazon.com/s3/home?region=us-west-2"
    );
    // A profile without a region opens the console's front page.
    let out = sb.run(["console", "prod", "--print"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (_, params) = parse_url(stdout(&out).trim_end());
    assert_eq!(params["Destination"], "https://console.aws.amazon.com/");
}

#[test]
fn a_plain_http_signin_endpoint_off_loopback_is_refused_before_any_request() {
    let sb = Sandbox::new().env("AWS_ENDPOINT_URL_SIGNIN", "http://example.com");
    let out = sb.run(["console", "dev", "--print"]);
    assert_fails(&out, 2, "AWS_ENDPOINT_URL_SIGNIN");
    assert_eq!(sb.emu.stats().get_role_credentials, 0);
}

#[test]
fn a_destination_off_the_console_is_a_usage_error_before_any_request() {
    let sb = signin_sandbox();
    for bad in [
        "http://console.aws.amazon.com/",
        "https://evil.example/",
        "https://console.aws.amazon.com.evil.example/",
        "javascript:alert(1)",
        "//evil.example/",
    ] {
        let out = sb.run(["console", "dev", "--print", "--destination", bad]);
        assert_fails(&out, 2, "destination");
    }
    // A China console URL is not the standard partition's.
    let out = sb.run([
        "console",
        "dev",
        "--print",
        "--destination",
        "https://console.amazonaws.cn/",
    ]);
    assert_fails(&out, 2, "console.aws.amazon.com");
    assert_eq!(sb.emu.stats().get_role_credentials, 0);
}

#[test]
fn an_answer_that_is_not_json_is_a_clear_error_naming_the_endpoint() {
    let sb = signin_sandbox();
    sb.emu
        .add_fault(Fault::new(Some(Op::GetSigninToken), FaultKind::Garbage, 1));
    let out = sb.run(["console", "dev", "--print"]);
    let err = assert_fails(&out, 1, "could not get a console sign-in token from");
    assert!(
        err.contains(&format!("{}/federation", sb.emu.url())),
        "{err}"
    );
    assert!(err.contains("invalid getSigninToken answer"), "{err}");
    assert_no_secrets(&sb, &out, &[]);
}

#[test]
fn a_refusal_says_the_credentials_were_refused_and_leaks_nothing() {
    let sb = signin_sandbox();
    sb.emu.add_fault(Fault::new(
        Some(Op::GetSigninToken),
        FaultKind::Reject {
            status: 400,
            message: "Invalid credentials parameter".into(),
        },
        1,
    ));
    let out = sb.run(["console", "dev", "--print"]);
    let err = assert_fails(&out, 1, "refused the credentials");
    assert!(err.contains("HTTP 400"), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert_no_secrets(&sb, &out, &[]);
}

#[test]
fn server_errors_are_retried_then_reported() {
    let sb = signin_sandbox();
    sb.emu.add_fault(Fault::new(
        Some(Op::GetSigninToken),
        FaultKind::ServerError,
        FOREVER,
    ));
    let out = sb.run(["console", "dev", "--print"]);
    assert_fails(&out, 1, "HTTP 500");
    assert_eq!(sb.emu.stats().get_signin_token, 3);
    assert_no_secrets(&sb, &out, &[]);
}

#[test]
fn a_signin_token_with_control_characters_is_refused_and_not_shown() {
    let sb = signin_sandbox();
    let hostile = "abc\u{1b}]0;pwned\u{7}def";
    sb.emu.add_fault(patch("/SigninToken", json!(hostile)));
    let out = sb.run(["console", "dev", "--print"]);
    let err = assert_fails(&out, 1, "control character 0x1b");
    assert!(!err.contains('\u{1b}') && !err.contains("pwned"), "{err}");
    assert_no_secrets(&sb, &out, &[]);
}

#[test]
fn an_oversized_token_or_answer_is_refused() {
    let sb = signin_sandbox();
    let long = "A".repeat(5000);
    sb.emu.add_fault(patch("/SigninToken", json!(long)));
    let out = sb.run(["console", "dev", "--print"]);
    assert_fails(&out, 1, "more than the 4096 allowed");
    assert!(!stderr(&out).contains(&long[..100]));

    let sb = signin_sandbox();
    sb.emu
        .add_fault(patch("/padding", json!("x".repeat(2 << 20))));
    let out = sb.run(["console", "dev", "--print"]);
    assert_fails(&out, 1, "larger than");
    assert_no_secrets(&sb, &out, &[]);
}

#[test]
fn a_missing_or_empty_signin_token_is_an_invalid_answer() {
    for (pointer, value, needle) in [
        ("/SigninToken", Value::Null, "SigninToken is missing"),
        ("/SigninToken", json!(""), "SigninToken is empty"),
        ("/SigninToken", json!(42), "invalid getSigninToken answer"),
    ] {
        let sb = signin_sandbox();
        sb.emu.add_fault(patch(pointer, value));
        let out = sb.run(["console", "dev", "--print"]);
        assert_fails(&out, 1, needle);
    }
}

/// A federation endpoint that answers every request with an error (`status`)
/// whose message echoes the request line (the credentials in its query).
fn echoing_endpoint(status: &'static str) -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().take(4) {
            let Ok(mut stream) = stream else { continue };
            let mut line = String::new();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            reader.read_line(&mut line).unwrap();
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
                    break;
                }
            }
            let body = json!({"message": format!("bad request: {}", line.trim())}).to_string();
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

#[test]
fn a_server_echoing_the_request_never_gets_the_credentials_onto_stderr() {
    // 400: the final error; 503: the retry notes before it too.
    for (status, code) in [
        ("400 Bad Request", "HTTP 400"),
        ("503 Service Unavailable", "HTTP 503"),
    ] {
        let sb = Sandbox::new().env("AWS_ENDPOINT_URL_SIGNIN", &echoing_endpoint(status));
        let out = sb.run(["console", "dev", "--print"]);
        let err = assert_fails(&out, 1, code);
        assert!(!err.contains("bad request"), "server text shown: {err}");
        assert_no_secrets(&sb, &out, &[]);
    }
}

/// Every way `s` could be spelled on stderr: raw, JSON-escaped, and
/// percent-encoded with upper- or lower-case escapes (spaces as `+` or `%20`).
fn spellings(s: &str) -> Vec<String> {
    let encoded: String = s
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    let json = serde_json::to_string(s).unwrap();
    vec![
        s.to_owned(),
        json[1..json.len() - 1].to_owned(),
        json[1..json.len() - 1].replace('/', "\\/"),
        encoded.clone(),
        encoded.to_lowercase(),
        encoded.replace("%20", "+"),
        encoded.replace("%20", "+").to_lowercase(),
    ]
}

/// A sign-in endpoint that quotes the request back (lower-case escapes, and
/// raw pieces of each value) gets nothing of the credentials onto stderr:
/// no spelling of the secret key or session token, nor any 12 characters of them.
#[test]
fn a_signin_endpoint_quoting_the_request_gets_no_part_of_a_secret_onto_stderr() {
    // 400: the final error; 503: the retry notes before it too.
    for status in [400, 503] {
        let sb = signin_sandbox();
        sb.emu.add_fault(Fault::new(
            Some(Op::GetSigninToken),
            FaultKind::Echo { status },
            FOREVER,
        ));
        let out = sb.run(["console", "dev", "--print"]);
        let err = assert_fails(&out, 1, &format!("HTTP {status}"));
        assert!(
            err.contains("could not get a console sign-in token"),
            "{err}"
        );
        let secrets = cached_secrets(&sb);
        assert_eq!(secrets.len(), 2, "the key and the token");
        for secret in &secrets {
            for spelled in spellings(secret) {
                for i in 0..spelled.len().saturating_sub(12) {
                    let piece = &spelled[i..i + 12];
                    assert!(
                        !err.contains(piece),
                        "{piece:?} of a secret on stderr: {err}"
                    );
                }
            }
        }
        assert_no_secrets(&sb, &out, &[]);
        assert!(!err.contains("cannot parse"), "server text shown: {err}");
    }
}

#[test]
fn without_a_browser_console_says_to_use_print_before_any_request() {
    // No DISPLAY, no BROWSER: nowhere to open the console.
    let sb = signin_sandbox();
    let out = sb.run(["console", "dev"]);
    let err = assert_fails(&out, 1, "no browser");
    assert!(err.contains("ssoenv console dev --print"), "{err}");
    assert_eq!(sb.emu.stats().get_role_credentials, 0);
    // --no-browser alone would leave nothing to do.
    let out = sb.run(["console", "dev", "--no-browser"]);
    assert_fails(&out, 2, "--print");
}

#[test]
fn a_browser_that_cannot_start_is_an_error_that_never_shows_the_url() {
    let sb = signin_sandbox().env("BROWSER", "/nonexistent/browser");
    assert!(sb.run(["login", "dev"]).status.success());
    let out = sb.run(["console", "dev"]);
    let err = assert_fails(&out, 1, "could not open a browser");
    assert!(err.contains("--print"), "{err}");
    assert_eq!(sb.emu.stats().get_signin_token, 1);
    assert_no_secrets(&sb, &out, &[]);
}

/// A role-chaining profile signs in with its AssumeRole credentials and sends
/// no `SessionDuration` (AWS refuses it for chained sessions); the emulator
/// would answer 400 if it did.
#[test]
fn a_chained_profile_signs_in_without_a_session_duration() {
    let sb = signin_sandbox();
    sb.write_config(&format!(
        "{CONFIG}\n[profile chained]\nrole_arn = arn:aws:iam::444455556666:role/Deploy\nsource_profile = dev\n"
    ));
    let out = sb.run(["console", "chained", "--print"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (_, params) = parse_url(stdout(&out).trim_end());
    assert!(sb.emu.signin_token_valid(&params["SigninToken"]));
    assert_eq!(params["Issuer"], START_URL, "the chain's access portal");
    assert_eq!(sb.emu.stats().assume_role, 1);
    let asked = sb.emu.last_signin_request().unwrap();
    let issued = sb.emu.issued_credentials(&asked.access_key_id).unwrap();
    assert!(issued.chained, "the console got the AssumeRole credentials");
    assert_eq!(asked.session_duration, None);
    // --duration is not sent for them either, and the user is told.
    let out = sb.run(["console", "chained", "--print", "--duration", "2h"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--duration is not sent"),
        "{}",
        stderr(&out)
    );
    assert_eq!(sb.emu.last_signin_request().unwrap().session_duration, None);
}
