//! End to end: the real binary against the emulator in a temporary HOME,
//! its output evaluated by real bash, zsh and fish.

use crate::support;
use ssoenv_emulator::{EmulatorConfig, Fault};
use support::*;

const VARS: &[&str] = &[
    "AWS_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "SSOENV_PROFILE",
    "SSOENV_EXPIRATION",
    "SSOENV_RENEWABLE",
];

fn parse_eval(out: &str) -> std::collections::BTreeMap<String, Option<String>> {
    out.lines()
        .map(|l| match l.split_once('=') {
            Some((k, v)) => (k.to_owned(), Some(v.to_owned())),
            None => (l.trim_end_matches(" unset").to_owned(), None),
        })
        .collect()
}

#[test]
fn use_logs_in_once_and_exports_credentials_in_every_shell() {
    let sb = Sandbox::new();
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let stats = sb.emu.stats();
    assert_eq!(stats.register_client, 1);
    assert_eq!(stats.start_device_authorization, 1);
    assert_eq!(stats.get_role_credentials, 1);
    // The token is where the AWS CLI keeps it, named by sha1(session name).
    let token: serde_json::Value =
        serde_json::from_slice(&std::fs::read(sb.token_path("corp")).unwrap()).unwrap();
    assert_eq!(token["startUrl"], "https://d-1234567890.awsapps.com/start");
    assert_eq!(token["region"], "us-east-1");
    assert!(
        token["refreshToken"].is_string(),
        "scoped registrations get refresh tokens"
    );

    for shell in ["bash", "zsh", "fish"] {
        if !have(shell) {
            continue;
        }
        let out = sb.run(["use", "dev", "--shell", shell]);
        assert!(out.status.success(), "{}", stderr(&out));
        let env = parse_eval(&eval_in(shell, &stdout(&out), VARS, sb.dir.path()));
        assert_eq!(env["AWS_PROFILE"], Some(hex("dev")), "{shell}");
        assert_eq!(env["SSOENV_PROFILE"], Some(hex("dev")), "{shell}");
        assert!(
            env["AWS_ACCESS_KEY_ID"]
                .as_ref()
                .unwrap()
                .starts_with(&hex("ASIA")),
            "{shell}"
        );
        assert!(env["AWS_SECRET_ACCESS_KEY"].is_some());
        assert!(env["AWS_SESSION_TOKEN"].is_some());
        assert_eq!(
            env["AWS_SECURITY_TOKEN"], None,
            "{shell}: a stale AWS_SECURITY_TOKEN is removed"
        );
        assert_eq!(env["AWS_REGION"], Some(hex("eu-west-1")), "{shell}");
        assert_eq!(env["AWS_DEFAULT_REGION"], Some(hex("eu-west-1")), "{shell}");
        assert!(env["SSOENV_EXPIRATION"].is_some());
    }
    // Every later `use` came from the role-credential cache: no network at all.
    let after = sb.emu.stats();
    assert_eq!(after.get_role_credentials, 1);
    assert_eq!(
        after.create_token_device_code,
        stats.create_token_device_code
    );
}

#[test]
fn region_flag_beats_profile_and_no_region_unsets_both() {
    let sb = Sandbox::new();
    let out = sb.run(["use", "dev", "--shell", "bash", "--region", "ap-south-1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let env = parse_eval(&eval_in("bash", &stdout(&out), VARS, sb.dir.path()));
    assert_eq!(env["AWS_REGION"], Some(hex("ap-south-1")));
    assert_eq!(env["AWS_DEFAULT_REGION"], Some(hex("ap-south-1")));
    let out = sb.run(["use", "prod", "--shell", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let env = parse_eval(&eval_in("bash", &stdout(&out), VARS, sb.dir.path()));
    assert_eq!(env["AWS_REGION"], None, "the previous region must not leak");
    assert_eq!(env["AWS_DEFAULT_REGION"], None);
}

#[test]
fn credential_expiration_is_rfc3339_utc_and_matches_the_epoch() {
    let sb = Sandbox::new();
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    let script = stdout(&out);
    let exp = script
        .lines()
        .find_map(|l| l.strip_prefix("export AWS_CREDENTIAL_EXPIRATION='"))
        .unwrap()
        .trim_end_matches("';");
    let epoch: i64 = script
        .lines()
        .find_map(|l| l.strip_prefix("export SSOENV_EXPIRATION='"))
        .unwrap()
        .trim_end_matches("';")
        .parse()
        .unwrap();
    let t =
        time::OffsetDateTime::parse(exp, &time::format_description::well_known::Rfc3339).unwrap();
    assert!(exp.ends_with('Z'));
    assert_eq!(t.unix_timestamp(), epoch);
}

#[test]
fn caches_are_private_and_in_the_aws_cli_formats() {
    let sb = Sandbox::new();
    assert!(
        sb.run(["use", "legacy", "--shell", "bash"])
            .status
            .success()
    );
    use std::os::unix::fs::PermissionsExt;
    let legacy_token = sb.token_path("https://legacy.awsapps.com/start");
    let text = std::fs::read_to_string(&legacy_token).unwrap();
    assert!(text.starts_with(r#"{"startUrl": "https://legacy.awsapps.com/start", "region": "us-east-1", "accessToken": ""#), "{text}");
    assert!(
        !text.contains("refreshToken"),
        "legacy registrations have no scopes, so no refresh token"
    );
    assert_eq!(
        std::fs::metadata(&legacy_token)
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o600
    );
    for d in [".aws/sso/cache", ".aws/cli/cache"] {
        let mode = std::fs::metadata(sb.home.join(d))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o700, "{d}");
    }
    let role_files: Vec<_> = std::fs::read_dir(sb.cli_cache())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(role_files.len(), 1);
    let role = std::fs::read_to_string(&role_files[0]).unwrap();
    assert!(
        role.starts_with(r#"{"ProviderType": "sso", "Credentials": {"AccessKeyId": "ASIA"#),
        "{role}"
    );
    assert!(
        role.ends_with(r#", "AccountId": "222222222222"}}"#),
        "{role}"
    );
    // Registration: the spec's key for the legacy profile (scopes and session null).
    let reg_key = ssoenv::cache::sha1_hex(
        r#"{"region": "us-east-1", "scopes": null, "session_name": null, "startUrl": "https://legacy.awsapps.com/start", "tool": "botocore"}"#,
    );
    assert!(
        sb.home
            .join(format!(".aws/sso/cache/{reg_key}.json"))
            .exists()
    );
}

#[test]
fn a_token_written_by_the_aws_cli_is_used_without_logging_in() {
    let sb = Sandbox::new();
    // Log in once through ssoenv to obtain a real token, then rewrite the file
    // byte for byte the way the AWS CLI writes it (legacy `UTC` suffix too).
    assert!(sb.run(["use", "dev", "--shell", "bash"]).status.success());
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(sb.token_path("corp")).unwrap()).unwrap();
    let cli_text = format!(
        r#"{{"startUrl": "https://d-1234567890.awsapps.com/start", "region": "us-east-1", "accessToken": "{}", "expiresAt": "2099-01-01T00:00:00UTC"}}"#,
        v["accessToken"].as_str().unwrap()
    );
    std::fs::write(sb.token_path("corp"), cli_text).unwrap();
    std::fs::remove_dir_all(sb.cli_cache()).unwrap();
    let before = sb.emu.stats();
    let out = sb.run(["use", "prod", "--shell", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let after = sb.emu.stats();
    assert_eq!(
        after.start_device_authorization, before.start_device_authorization,
        "no new login"
    );
    assert_eq!(after.get_role_credentials, before.get_role_credentials + 1);
}

#[test]
fn botocore_reads_the_token_and_credentials_ssoenv_wrote() {
    if !have_botocore() {
        return;
    }
    let sb = Sandbox::new();
    assert!(sb.run(["use", "dev", "--shell", "bash"]).status.success());
    let before = sb.emu.stats();
    let script = "import botocore.session\n\
        s = botocore.session.Session(profile='prod')\n\
        c = s.get_credentials().get_frozen_credentials()\n\
        print(c.access_key[:4])\n";
    let out = sb.python(script).output().unwrap();
    assert!(out.status.success(), "botocore failed: {}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "ASIA");
    let after = sb.emu.stats();
    assert_eq!(
        after.start_device_authorization,
        before.start_device_authorization
    );
    assert_eq!(
        after.get_role_credentials,
        before.get_role_credentials + 1,
        "botocore used ssoenv's token"
    );
}

#[test]
fn a_revoked_token_leads_to_a_fresh_login_not_a_dead_end() {
    let sb = Sandbox::new();
    assert!(sb.run(["use", "dev", "--shell", "bash"]).status.success());
    sb.emu.revoke_all_tokens();
    // prod has no cached role credentials, so the portal sees the revoked token.
    let out = sb.run(["use", "prod", "--shell", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(&out, "logging in again");
    assert_eq!(sb.emu.stats().start_device_authorization, 2);
}

#[test]
fn corrupt_cache_files_are_ignored_with_a_warning() {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.home.join(".aws/sso/cache")).unwrap();
    std::fs::write(sb.token_path("corp"), "{\"accessToken\": \"trunc").unwrap();
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(&out, "is corrupt");
    assert!(!stderr(&out).contains("panicked"));
    // The role cache, emptied: also ignored.
    let role = std::fs::read_dir(sb.cli_cache())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::write(&role, "").unwrap();
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(&out, "empty file");
}

#[test]
fn device_flow_prints_url_and_code_on_their_own_lines_on_stderr() {
    let sb = Sandbox::with(EmulatorConfig {
        interval: 0,
        approve_after_polls: 2,
        ..EmulatorConfig::default()
    });
    let out = sb.run(["use", "dev", "--shell", "bash", "--no-browser"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert!(
        lines.contains(&"Browser will not be automatically opened."),
        "{err}"
    );
    let uri = lines
        .iter()
        .find(|l| l.starts_with("http") && !l.contains("user_code"))
        .unwrap();
    let complete = lines.iter().find(|l| l.contains("user_code=")).unwrap();
    let code_at = lines
        .iter()
        .position(|l| *l == "Then enter the code:")
        .unwrap()
        + 2;
    let code = lines[code_at];
    assert!(
        complete.ends_with(code),
        "{complete} carries the code {code}"
    );
    for l in [uri, complete, &code] {
        assert!(
            !l.ends_with('.') && !l.ends_with(',') && l.trim() == *l,
            "{l:?}"
        );
    }
    assert!(
        err.contains("Successfully logged into Start URL: https://d-1234567890.awsapps.com/start")
    );
    assert!(
        !stdout(&out).contains("user_code"),
        "stdout carries shell code only"
    );
}

#[test]
fn the_browser_is_opened_at_the_autofill_url() {
    let sb = Sandbox::new();
    let log = sb.dir.path().join("browser.log");
    let browser = sb.dir.path().join("browser.sh");
    std::fs::write(
        &browser,
        format!("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n", log.display()),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    let sb = sb.env("BROWSER", browser.to_str().unwrap());
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("Attempting to open your default browser."));
    for _ in 0..50 {
        if log.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let opened = std::fs::read_to_string(&log).unwrap();
    assert!(opened.trim().contains("user_code="), "{opened}");
}

#[test]
fn non_interactive_use_without_a_session_fails_with_empty_stdout() {
    let sb = Sandbox::new().env("SSOENV_INTERACTIVE", "0");
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    assert_fails(&out, 1, "ssoenv login dev");
    assert_eq!(sb.emu.stats().start_device_authorization, 0);
}

#[test]
fn denied_and_expired_authorizations_stop_with_clear_messages() {
    let sb = Sandbox::new();
    sb.emu.set_deny(true);
    let out = sb.run(["use", "dev", "--shell", "bash", "--no-browser"]);
    assert_fails(&out, 1, "denied");

    let sb = Sandbox::with(EmulatorConfig {
        interval: 0,
        expire_device_codes: true,
        ..EmulatorConfig::default()
    });
    let out = sb.run(["use", "dev", "--shell", "bash", "--no-browser"]);
    assert_eq!(out.status.code(), Some(1));
    assert_stderr_has(
        &out,
        "The pending authorization to retrieve an SSO token has expired",
    );
}

#[test]
fn server_errors_and_throttling_are_retried() {
    let sb = Sandbox::new();
    sb.emu.add_fault(Fault::parse("token:500:1").unwrap());
    sb.emu.add_fault(Fault::parse("credentials:429:1").unwrap());
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(sb.emu.stats().get_role_credentials, 2);
}

#[test]
fn persistent_server_errors_fail_after_bounded_retries() {
    let sb = Sandbox::new();
    sb.emu.add_fault(Fault::parse("register:500:10").unwrap());
    let start = std::time::Instant::now();
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    assert_eq!(
        sb.emu.stats().register_client,
        3,
        "three attempts, then give up"
    );
    assert!(start.elapsed() < std::time::Duration::from_secs(10));
    assert_stderr_has(&out, "could not register the client");
}

#[test]
fn an_unreachable_endpoint_is_a_clear_runtime_error() {
    let sb = Sandbox::new()
        .env("AWS_ENDPOINT_URL_SSO_OIDC", "http://127.0.0.1:9")
        .env("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:9");
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    assert_fails(&out, 1, "http://127.0.0.1:9 could not be reached");
}

#[test]
fn plain_http_to_a_remote_host_is_refused() {
    let sb = Sandbox::new().env("AWS_ENDPOINT_URL_SSO_OIDC", "http://example.com");
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    assert_fails(&out, 2, "AWS_ENDPOINT_URL_SSO_OIDC");
}

#[test]
fn config_errors_exit_2_with_empty_stdout() {
    let sb = Sandbox::new();
    let cases: &[(&[&str], &str)] = &[
        (&["use", "dve", "--shell", "bash"], "dev"),
        (&["use", "static", "--shell", "bash"], "static"),
        (&["exec", "nope", "--", "true"], "nope"),
    ];
    for (args, needle) in cases {
        let out = sb.run(*args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "");
        assert!(stderr(&out).contains(needle), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(".aws/config"),
            "names the file: {}",
            stderr(&out)
        );
    }
    std::fs::remove_file(sb.home.join(".aws/config")).unwrap();
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "");
    let out = sb.run(["use"]);
    assert_eq!(out.status.code(), Some(2), "usage error");
    assert_eq!(stdout(&out), "");
}

#[test]
fn a_terminal_on_stdout_gets_a_hint_and_no_secrets() {
    // `script` gives the command a pseudo-terminal; everything it shows is captured.
    if !have("script") {
        return;
    }
    let sb = Sandbox::new();
    assert!(sb.run(["use", "dev", "--shell", "bash"]).status.success());
    let c = sb.cmd(["--version"]);
    let envs: Vec<(String, String)> = c
        .get_envs()
        .filter_map(|(k, v)| Some((k.to_str()?.to_owned(), v?.to_str()?.to_owned())))
        .collect();
    drop(c);
    let mut s = std::process::Command::new("script");
    s.args(["-qec", &format!("{BIN} use dev --shell bash"), "/dev/null"])
        .env_clear();
    for (k, v) in envs {
        s.env(k, v);
    }
    let out = s.output().unwrap();
    let shown = stdout(&out);
    assert!(out.status.success(), "{shown}");
    assert!(shown.contains("eval \"$(ssoenv use dev)\""), "{shown}");
    let role = std::fs::read_dir(sb.cli_cache())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(role).unwrap()).unwrap();
    let secret = v["Credentials"]["SecretAccessKey"].as_str().unwrap();
    assert!(!shown.contains(secret), "the secret reached the terminal");
    assert!(!shown.contains("export "), "{shown}");
}

#[test]
fn use_marks_a_session_with_a_refresh_token_as_renewable_and_a_legacy_one_not() {
    let sb = Sandbox::new();
    // dev: sso-session corp with registration scopes, so the token has a refresh token.
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let script = stdout(&out);
    assert!(script.contains("export SSOENV_RENEWABLE='1';"), "{script}");
    // legacy: a token without refresh material; `use` removes a previous value.
    let out = sb.run(["use", "legacy", "--shell", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let legacy = stdout(&out);
    assert!(legacy.contains("unset SSOENV_RENEWABLE"), "{legacy}");
    let env = parse_eval(&eval_in(
        "bash",
        &format!("{script}{legacy}"),
        VARS,
        sb.dir.path(),
    ));
    assert_eq!(env["SSOENV_RENEWABLE"], None);
    assert_eq!(env["SSOENV_PROFILE"], Some(hex("legacy")));
}

#[test]
fn unset_removes_every_variable_use_sets() {
    let sb = Sandbox::new();
    for shell in ["bash", "zsh", "fish"] {
        if !have(shell) {
            continue;
        }
        let set = stdout(&sb.run(["use", "dev", "--shell", shell]));
        let unset = stdout(&sb.run(["unset", "--shell", shell]));
        let env = parse_eval(&eval_in(
            shell,
            &format!("{set}{unset}"),
            VARS,
            sb.dir.path(),
        ));
        for v in VARS {
            assert_eq!(env[*v], None, "{shell}: {v}");
        }
    }
}

#[test]
fn profile_names_with_hostile_bytes_are_quoted_exactly() {
    let sb = Sandbox::new();
    let name = "we'ird $(touch PWNED) `x` \\ \"q\" ; é";
    let config = format!(
        "{CONFIG}\n[profile \"{}\"]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = ReadOnly\n",
        name.replace('\\', "\\\\").replace('"', "\\\"")
    );
    sb.write_config(&config);
    for shell in ["bash", "zsh", "fish"] {
        if !have(shell) {
            continue;
        }
        let out = sb.run(["use", name, "--shell", shell]);
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        let env = parse_eval(&eval_in(shell, &stdout(&out), VARS, sb.dir.path()));
        assert_eq!(env["AWS_PROFILE"], Some(hex(name)), "{shell}");
        assert!(
            !sb.dir.path().join("PWNED").exists(),
            "{shell}: something in a value ran"
        );
    }
}

#[test]
fn six_shells_at_once_log_in_exactly_once() {
    let sb = Sandbox::with(EmulatorConfig {
        interval: 0,
        approve_after_polls: 3,
        ..EmulatorConfig::default()
    });
    let children: Vec<_> = (0..6)
        .map(|i| {
            let profile = if i % 2 == 0 { "dev" } else { "prod" };
            sb.cmd(["use", profile, "--shell", "bash"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stdout(&out).contains("export AWS_ACCESS_KEY_ID='ASIA"));
    }
    let s = sb.emu.stats();
    assert_eq!(s.start_device_authorization, 1);
    assert_eq!(s.register_client, 1);
    assert_eq!(s.get_role_credentials, 2, "one per distinct profile");
}

#[test]
fn exec_passes_environment_arguments_and_exit_status_through() {
    let sb = Sandbox::new();
    let out = sb.run([
        "exec",
        "dev",
        "--",
        "sh",
        "-c",
        "printf '%s|%s|%s' \"$AWS_PROFILE\" \"$AWS_REGION\" \"${AWS_SECURITY_TOKEN-none}\"; exit 7",
    ]);
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
    assert_eq!(stdout(&out), "dev|eu-west-1|none");
    // Arguments reach the command byte for byte, even when not UTF-8.
    use std::os::unix::ffi::OsStrExt;
    let odd = std::ffi::OsStr::from_bytes(b"a\xffb \"$x\" *");
    let mut c = sb.cmd(["exec", "dev", "--", "printf", "%s"]);
    c.arg(odd);
    let out = c.output().unwrap();
    assert_eq!(out.stdout, odd.as_bytes());
    // Death by a signal gives 128+N.
    let out = sb.run(["exec", "dev", "--", "sh", "-c", "kill -TERM $$"]);
    assert_eq!(out.status.code(), Some(143));
    // A missing command is 127 with a clear message.
    let out = sb.run(["exec", "dev", "--", "no-such-command-xyz"]);
    assert_eq!(out.status.code(), Some(127));
    assert!(stderr(&out).contains("command not found: no-such-command-xyz"));
    // Not executable: 126.
    let f = sb.dir.path().join("noexec");
    std::fs::write(&f, "#!/bin/sh\n").unwrap();
    let out = sb.run(["exec", "dev", "--", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(126));
}

#[test]
fn every_config_error_names_file_and_profile_and_exits_2() {
    let sb = Sandbox::new();
    sb.write_config(
        "[profile nosession]\nsso_session = missing\nsso_account_id = 1\nsso_role_name = R\n\n\
         [sso-session corp]\nsso_start_url = https://a/start\nsso_region = us-east-1\n\n\
         [profile disagree]\nsso_session = corp\nsso_start_url = https://a/start/\nsso_account_id = 1\nsso_role_name = R\n\n\
         [profile norole]\nsso_session = corp\nsso_account_id = 1\n",
    );
    let cases = [
        (
            "nosession",
            "The specified sso-session does not exist: \"missing\"",
        ),
        (
            "disagree",
            "The value for sso_start_url is inconsistent between profile (https://a/start/) and sso-session (https://a/start).",
        ),
        (
            "norole",
            "is configured to use SSO but is missing required configuration: sso_role_name",
        ),
    ];
    for (profile, msg) in cases {
        let out = sb.run(["use", profile, "--shell", "bash"]);
        assert_eq!(out.status.code(), Some(2), "{profile}");
        assert_eq!(stdout(&out), "");
        let err = stderr(&out);
        assert!(err.contains(msg), "{profile}: {err}");
        assert!(
            err.contains(&format!("profile \"{profile}\"")) && err.contains(".aws/config"),
            "{err}"
        );
    }
    // Files botocore refuses are refused too, naming the file and the line.
    for (text, line) in [
        ("[profile a]\nregion = x\n[profile a]\n", "line 3"),
        ("[profile a]\nregion = x\nregion = y\n", "line 3"),
        ("[profile a\nregion = x\n", "line 1"),
    ] {
        sb.write_config(text);
        let out = sb.run(["use", "a", "--shell", "bash"]);
        assert_eq!(out.status.code(), Some(2), "{text:?}");
        assert_eq!(stdout(&out), "");
        assert_stderr_has(&out, line);
        assert_stderr_has(&out, ".aws/config");
    }
    std::fs::write(sb.home.join(".aws/config"), b"[profile a]\nregion = \xff\n").unwrap();
    let out = sb.run(["use", "a", "--shell", "bash"]);
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "line 2");
    assert_stderr_has(&out, "UTF-8");
    // A BOM and CRLF line endings, as Windows editors write them, are fine.
    sb.write_config(&format!("\u{feff}{}", CONFIG.replace('\n', "\r\n")));
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn https_goes_through_the_configured_proxy() {
    // A fake proxy on loopback records the CONNECT line and refuses it, so no
    // request ever leaves the machine.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy = format!("http://{}", listener.local_addr().unwrap());
    let seen = std::thread::spawn(move || {
        use std::io::{BufRead, Write};
        let (stream, _) = listener.accept().unwrap();
        let mut reader = std::io::BufReader::new(stream.try_clone().unwrap());
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let mut s = stream;
        let _ = s.write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n");
        line
    });
    let sb = Sandbox::new()
        .env("AWS_ENDPOINT_URL_SSO_OIDC", "https://oidc.example.invalid")
        .env("HTTPS_PROXY", &proxy);
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    let line = seen.join().unwrap();
    assert!(
        line.starts_with("CONNECT oidc.example.invalid:443"),
        "{line}"
    );
}

#[test]
fn a_bad_ca_bundle_is_a_clear_config_error() {
    let sb = Sandbox::new();
    let missing = sb.dir.path().join("missing.pem");
    let out = sb
        .cmd(["use", "dev", "--shell", "bash"])
        .env("AWS_CA_BUNDLE", &missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "AWS_CA_BUNDLE");
    let empty = sb.dir.path().join("empty.pem");
    std::fs::write(&empty, "not a certificate").unwrap();
    let out = sb
        .cmd(["use", "dev", "--shell", "bash"])
        .env("AWS_CA_BUNDLE", &empty)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_stderr_has(&out, "holds no PEM certificate");
}

#[test]
fn ctrl_c_during_login_stops_cleanly() {
    let sb = Sandbox::with(EmulatorConfig {
        interval: 1,
        approve_after_polls: u32::MAX,
        ..EmulatorConfig::default()
    });
    let child = sb
        .cmd(["use", "dev", "--shell", "bash", "--no-browser"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while sb.emu.stats().create_token_device_code < 2 {
        assert!(std::time::Instant::now() < deadline, "never polled");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    unsafe { libc_kill(child.id() as i32, 2) };
    let out = child.wait_with_output().unwrap();
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(
        out.status.signal(),
        Some(2),
        "dies of SIGINT, as a shell expects"
    );
    assert_eq!(stdout(&out), "", "nothing to eval");
    assert!(!sb.token_path("corp").exists(), "no token written");
    let leftovers: Vec<_> = std::fs::read_dir(sb.home.join(".aws/sso/cache"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

unsafe extern "C" {
    #[link_name = "kill"]
    fn libc_kill(pid: i32, sig: i32) -> i32;
}

#[test]
fn the_shell_is_detected_from_the_parent_process() {
    if !have("zsh") {
        return;
    }
    let sb = Sandbox::new();
    assert!(sb.run(["use", "dev", "--shell", "bash"]).status.success());
    let mut c = sb.cmd(Vec::<&str>::new());
    c.env_remove("SSOENV_SHELL");
    let envs: Vec<(std::ffi::OsString, std::ffi::OsString)> = c
        .get_envs()
        .filter_map(|(k, v)| Some((k.to_owned(), v?.to_owned())))
        .collect();
    let out = ZSH
        .command(&format!("{BIN} use dev; true"))
        .env_clear()
        .envs(envs)
        .output()
        .unwrap();
    assert!(
        stdout(&out).contains("\nexport AWS_PROFILE='dev';"),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    if !have("fish") {
        return;
    }
    let out = FISH
        .command(&format!("{BIN} use dev; true"))
        .env_clear()
        .env("HOME", &sb.home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .unwrap();
    assert!(
        stdout(&out).contains("\nset -gx AWS_PROFILE 'dev';"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_demo_runs_end_to_end() {
    let out = std::process::Command::new(BIN)
        .arg("demo")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", "/nonexistent-home-the-demo-must-not-touch")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(
            "in the child: AWS_PROFILE=demo-prod AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=ASIA"
        ),
        "{text}"
    );
    assert!(text.contains("masked"), "{text}");
    assert!(
        text.contains("STS AssumeRole, signed with SigV4: AWS_ACCESS_KEY_ID=ASIA"),
        "{text}"
    );
    assert!(text.contains(".aws/cli/cache/"), "{text}");
    assert!(text.contains("/federation?Action=login&Issuer="), "{text}");
    assert!(
        text.contains("1 AssumeRole and 1 getSigninToken calls"),
        "{text}"
    );
    assert!(!text.contains("\x1b["), "no colour when not a terminal");
    assert!(stderr(&out).contains("Then enter the code:"));
    assert!(text.contains("Demo finished."));
    // The last step names every shell of the registry that has an integration, each with
    // its startup file and line.
    let with_init: Vec<_> = ssoenv::shell::Shell::ALL
        .iter()
        .filter(|s| s.hook_script().is_some())
        .collect();
    assert!(with_init.len() >= 7, "{with_init:?}");
    for s in with_init {
        let line = format!(
            "   {} ({}):\n       {}\n",
            s.name(),
            s.rc_file(),
            s.init_line()
        );
        assert!(text.contains(&line), "{line:?} in {text}");
    }
}

#[test]
fn aws_ca_bundle_trusts_a_corporate_ca_over_real_tls() {
    // A private CA signs a certificate for localhost; socat terminates TLS with
    // it in front of the emulator. Trusted only through AWS_CA_BUNDLE.
    if !have("openssl") || !have("socat") {
        return;
    }
    let sb = Sandbox::new();
    let d = sb.dir.path().to_owned();
    let sh = |script: &str| {
        let out = std::process::Command::new("sh")
            .args(["-c", script])
            .current_dir(&d)
            .output()
            .unwrap();
        assert!(out.status.success(), "{script}: {}", stderr(&out));
    };
    sh(
        "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=ssoenv-test-ca",
    );
    sh("openssl req -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr -subj /CN=localhost");
    std::fs::write(
        d.join("ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    sh(
        "openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out leaf.pem -days 2 -extfile ext",
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut socat = std::process::Command::new("socat")
        .arg(format!(
            "OPENSSL-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork,cert={},key={},verify=0",
            d.join("leaf.pem").display(),
            d.join("leaf.key").display()
        ))
        .arg(format!("TCP:127.0.0.1:{}", sb.emu.port()))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(std::time::Instant::now() < deadline, "socat did not start");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let url = format!("https://localhost:{port}");
    let sb = sb
        .env("AWS_ENDPOINT_URL_SSO_OIDC", &url)
        .env("AWS_ENDPOINT_URL_SSO", &url);
    let untrusted = sb.run(["use", "dev", "--shell", "bash"]);
    let trusted = sb
        .cmd(["use", "dev", "--shell", "bash"])
        .env("AWS_CA_BUNDLE", d.join("ca.pem"))
        .output()
        .unwrap();
    let _ = socat.kill();
    let _ = socat.wait();
    assert_eq!(untrusted.status.code(), Some(1));
    assert!(
        stderr(&untrusted).to_lowercase().contains("certificate"),
        "{}",
        stderr(&untrusted)
    );
    assert!(trusted.status.success(), "{}", stderr(&trusted));
    assert!(stdout(&trusted).contains("export AWS_ACCESS_KEY_ID='ASIA"));
    assert_eq!(
        sb.emu.stats().register_client,
        1,
        "only the trusted run reached the emulator"
    );
}

#[test]
fn a_role_not_assigned_to_the_user_says_so() {
    let sb = Sandbox::new();
    sb.write_config(&format!(
        "{CONFIG}\n[profile nope]\nsso_session = corp\nsso_account_id = 333333333333\nsso_role_name = AdministratorAccess\n"
    ));
    let out = sb.run(["use", "nope", "--shell", "bash"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    assert!(
        err.contains(
            "could not get credentials for role AdministratorAccess in account 333333333333"
        ),
        "{err}"
    );
    assert!(err.contains("not assigned to you"), "{err}");
}

/// `SSOENV_INIT` is the shell function's mark for the binary it runs (issue 19, item 7):
/// a command run by `exec` (or `exec --server`) does not inherit it, so a `doctor` there
/// does not report an integration that is not in that command's shell.
#[test]
fn the_shell_functions_mark_reaches_the_binary_but_not_the_exec_child() {
    let sb = Sandbox::new();
    for server in [false, true] {
        let mut args = vec!["exec"];
        if server {
            args.push("--server");
        }
        args.extend([
            "dev",
            "--",
            "sh",
            "-c",
            "echo \"init=${SSOENV_INIT-unset}\"; \"$0\" doctor",
            BIN,
        ]);
        let out = sb.cmd(&args).env("SSOENV_INIT", "bash").output().unwrap();
        let text = stdout(&out);
        assert!(text.contains("init=unset\n"), "server={server}: {text}");
        assert!(
            text.contains("unknown from a child process") && !text.contains("loaded in this shell"),
            "server={server}: {text}"
        );
    }
}

/// `use` remembers where its profile's sections lie in a settled config
/// (`~/.cache/ssoenv/config-sections/`), and an edit of the file, even one
/// that keeps its size and modification time, is seen at once.
#[test]
fn use_remembers_where_its_sections_lie_and_sees_every_edit() {
    let sb = Sandbox::new();
    // AWS_REGION as bash has it after evaluating `use` (hex, as `eval_in` prints values).
    let region = |sb: &Sandbox| {
        let out = sb.run(["use", "dev", "--shell", "bash"]);
        assert!(out.status.success(), "{}", stderr(&out));
        parse_eval(&eval_in("bash", &stdout(&out), VARS, sb.dir.path()))["AWS_REGION"].clone()
    };
    let memos = sb.home.join(".cache/ssoenv/config-sections");
    assert_eq!(region(&sb), Some(hex("eu-west-1")));
    // Written a moment ago: not remembered yet.
    assert!(!memos.exists());
    std::thread::sleep(std::time::Duration::from_millis(2100));
    assert_eq!(region(&sb), Some(hex("eu-west-1")));
    assert_eq!(std::fs::read_dir(&memos).unwrap().count(), 1);
    // The same size, the old modification time: the next `use` sees it.
    let config = sb.home.join(".aws/config");
    let modified = std::fs::metadata(&config).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(&config).unwrap();
    let edited = text.replacen("region = eu-west-1", "region = eu-west-3", 1);
    assert_eq!(edited.len(), text.len());
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(&config)
        .unwrap();
    std::io::Write::write_all(&mut &file, edited.as_bytes()).unwrap();
    file.set_modified(modified).unwrap();
    drop(file);
    assert_eq!(region(&sb), Some(hex("eu-west-3")));
}
