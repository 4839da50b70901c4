//! Session lifecycle against the emulator: login reuse, silent refresh with
//! rotation, logout, status, concurrency and crash safety.

use crate::support;
use ssoenv_emulator::{EmulatorConfig, Fault};
use std::process::Stdio;
use support::*;

fn clear_role_cache(sb: &Sandbox) {
    let _ = std::fs::remove_dir_all(sb.cli_cache());
}

#[test]
fn one_login_serves_every_profile_of_the_session_and_is_reused() {
    let sb = Sandbox::new();
    let out = sb.run(["login", "dev"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(&out, "logged in to sso-session \"corp\"");
    let out = sb.run(["login", "prod"]);
    assert!(out.status.success());
    assert_stderr_has(&out, "already logged in");
    let out = sb.run(["login", "--sso-session", "corp"]);
    assert_stderr_has(&out, "already logged in");
    assert!(sb.run(["use", "prod", "--shell", "bash"]).status.success());
    assert_eq!(sb.emu.stats().start_device_authorization, 1);
    let out = sb.run(["login", "dev", "--force"]);
    assert!(out.status.success());
    assert_eq!(sb.emu.stats().start_device_authorization, 2);
    // No profile named: AWS_PROFILE, else [default] (which has no SSO here).
    let out = sb.run(["login"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn legacy_profiles_share_a_login_by_start_url() {
    let sb = Sandbox::new();
    sb.write_config(&format!(
        "{CONFIG}\n[profile legacy2]\nsso_start_url = https://legacy.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 111111111111\nsso_role_name = ReadOnly\n"
    ));
    assert!(sb.run(["login", "legacy"]).status.success());
    let out = sb.run(["use", "legacy2", "--shell", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(sb.emu.stats().start_device_authorization, 1);
}

#[test]
fn a_token_inside_the_refresh_window_is_refreshed_once_and_rotated() {
    let sb = Sandbox::with(EmulatorConfig {
        interval: 0,
        token_ttl: 600, // 10 minutes: inside the 15-minute refresh window
        ..EmulatorConfig::default()
    });
    assert!(sb.run(["login", "dev"]).status.success());
    let before = sb.token_json("corp");
    sb.emu.set_token_ttl(28800);
    let out = sb.run(["use", "prod", "--shell", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let s = sb.emu.stats();
    assert_eq!(s.create_token_refresh_token, 1, "exactly one refresh");
    assert_eq!(s.start_device_authorization, 1, "no second login");
    let after = sb.token_json("corp");
    assert_ne!(after["accessToken"], before["accessToken"]);
    assert_ne!(
        after["refreshToken"], before["refreshToken"],
        "the rotated refresh token is stored"
    );
    assert_eq!(after["clientId"], before["clientId"]);
    assert_eq!(
        after["registrationExpiresAt"],
        before["registrationExpiresAt"]
    );
    // The new token is good for hours: the next call does not refresh again.
    clear_role_cache(&sb);
    assert!(sb.run(["use", "dev", "--shell", "bash"]).status.success());
    assert_eq!(sb.emu.stats().create_token_refresh_token, 1);
}

#[test]
fn a_refused_refresh_falls_back_to_the_device_flow() {
    let sb = Sandbox::new();
    assert!(sb.run(["login", "dev"]).status.success());
    let mut t = sb.token_json("corp");
    t["expiresAt"] = ts(-60).into();
    t["refreshToken"] = "not-a-valid-refresh-token".into();
    sb.write_token("corp", &t);
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(&out, "could not be refreshed");
    let s = sb.emu.stats();
    assert_eq!(s.create_token_refresh_token, 1);
    assert_eq!(s.start_device_authorization, 2);
}

#[test]
fn an_expired_session_without_refresh_fails_non_interactively_with_the_aws_message() {
    let sb = Sandbox::new();
    assert!(sb.run(["login", "legacy"]).status.success());
    let key = "https://legacy.awsapps.com/start";
    let mut t = sb.token_json(key);
    t["expiresAt"] = ts(-60).into();
    sb.write_token(key, &t);
    let sb = sb.env("SSOENV_INTERACTIVE", "0");
    let out = sb.run(["exec", "legacy", "--", "true"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(
            "The SSO session associated with this profile has expired or is otherwise invalid."
        ),
        "{err}"
    );
    assert!(err.contains("ssoenv login legacy"), "{err}");
}

#[test]
fn logout_revokes_server_side_removes_files_and_is_idempotent() {
    let sb = Sandbox::new();
    assert!(sb.run(["use", "dev", "--shell", "bash"]).status.success());
    assert!(sb.run(["use", "prod", "--shell", "bash"]).status.success());
    assert!(
        sb.run(["use", "legacy", "--shell", "bash"])
            .status
            .success()
    );
    let access = sb.token_json("corp")["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let out = sb.run(["logout", "dev"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(&out, "revoked");
    assert_eq!(sb.emu.stats().logout, 1);
    assert!(!sb.token_path("corp").exists());
    // Only the legacy profile's role credentials remain.
    assert_eq!(std::fs::read_dir(sb.cli_cache()).unwrap().count(), 1);
    // The emulator rejects the old token.
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .build()
        .into();
    let r = agent
        .get(format!(
            "{}/federation/credentials?role_name=ReadOnly&account_id=333333333333",
            sb.emu.url()
        ))
        .header("x-amz-sso_bearer_token", &access)
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let out = sb.run(["logout", "dev"]);
    assert!(out.status.success());
    assert_stderr_has(&out, "already logged out");
    assert_eq!(sb.emu.stats().logout, 1);
}

#[test]
fn logout_all_behaves_like_aws_sso_logout() {
    let sb = Sandbox::new();
    assert!(sb.run(["use", "dev", "--shell", "bash"]).status.success());
    assert!(
        sb.run(["use", "legacy", "--shell", "bash"])
            .status
            .success()
    );
    let out = sb.run(["logout", "--all"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(sb.emu.stats().logout, 2);
    assert!(!sb.token_path("corp").exists());
    assert!(!sb.token_path("https://legacy.awsapps.com/start").exists());
    assert_eq!(std::fs::read_dir(sb.cli_cache()).unwrap().count(), 0);
    // Client registrations are kept, as the CLI keeps them.
    assert_eq!(
        std::fs::read_dir(sb.home.join(".aws/sso/cache"))
            .unwrap()
            .count(),
        2
    );
}

#[test]
fn a_failed_server_logout_still_removes_local_state_and_says_so() {
    let sb = Sandbox::new();
    assert!(sb.run(["use", "dev", "--shell", "bash"]).status.success());
    sb.emu.add_fault(Fault::parse("logout:500:10").unwrap());
    let out = sb.run(["logout", "--sso-session", "corp"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(&out, "could not revoke");
    assert!(!sb.token_path("corp").exists());
}

#[test]
fn status_reports_each_token_state_without_network() {
    let sb = Sandbox::new();
    let json = |sb: &Sandbox| -> serde_json::Value {
        let out = sb.run(["status", "--json"]);
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let state = |v: &serde_json::Value, name: &str| -> String {
        v["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name || s["start_url"] == name)
            .unwrap()["token"]["state"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let v = json(&sb);
    assert_eq!(state(&v, "corp"), "absent");
    assert_eq!(state(&v, "https://legacy.awsapps.com/start"), "absent");
    assert!(sb.run(["use", "dev", "--shell", "bash"]).status.success());
    let calls = sb.emu.stats();
    let v = json(&sb);
    assert_eq!(state(&v, "corp"), "valid");
    let dev = v["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "dev")
        .unwrap();
    assert_eq!(dev["account_id"], "111111111111");
    assert_eq!(dev["credentials"]["state"], "valid");
    let mut t = sb.token_json("corp");
    t["expiresAt"] = ts(-60).into();
    sb.write_token("corp", &t);
    assert_eq!(state(&json(&sb), "corp"), "refreshable");
    t.as_object_mut().unwrap().remove("refreshToken");
    sb.write_token("corp", &t);
    assert_eq!(state(&json(&sb), "corp"), "expired");
    // The active profile comes from this shell's environment.
    let v: serde_json::Value = serde_json::from_slice(
        &sb.cmd(["status", "--json"])
            .env("SSOENV_PROFILE", "dev")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(v["active_profile"], "dev");
    let human = stdout(
        &sb.cmd(["status"])
            .env("SSOENV_PROFILE", "dev")
            .output()
            .unwrap(),
    );
    assert!(human.contains("active in this shell: dev"), "{human}");
    assert!(human.lines().any(|l| l.starts_with("*  dev")), "{human}");
    assert_eq!(sb.emu.stats(), calls, "status made no network call");
}

#[test]
fn profiles_lists_name_session_account_role_region() {
    let sb = Sandbox::new();
    let out = sb.run(["profiles", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["dev", "prod", "legacy"]);
    assert_eq!(v[0]["sso_session"], "corp");
    assert_eq!(v[2]["sso_session"], serde_json::Value::Null);
    assert_eq!(v[0]["region"], "eu-west-1");
    let human = stdout(&sb.run(["profiles"]));
    assert!(
        human.contains("legacy   (legacy)  222222222222  ReadOnly"),
        "{human}"
    );
}

#[test]
fn six_shells_at_expiry_refresh_exactly_once() {
    let sb = Sandbox::new();
    assert!(sb.run(["login", "dev"]).status.success());
    let mut t = sb.token_json("corp");
    t["expiresAt"] = ts(-5).into();
    sb.write_token("corp", &t);
    let children: Vec<_> = (0..6)
        .map(|i| {
            sb.cmd([
                "use",
                if i % 2 == 0 { "dev" } else { "prod" },
                "--shell",
                "bash",
            ])
            .env("SSOENV_INTERACTIVE", "0")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stdout(&out).contains("AWS_SESSION_TOKEN"));
    }
    let s = sb.emu.stats();
    assert_eq!(s.create_token_refresh_token, 1);
    assert_eq!(s.start_device_authorization, 1, "only the first login");
}

#[test]
fn a_held_lock_times_out_with_a_clear_message() {
    let sb = Sandbox::new();
    sb.emu
        .add_fault(Fault::parse("credentials:slow=3000:1").unwrap());
    let holder = sb
        .cmd(["use", "dev", "--shell", "bash"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(800));
    let out = sb
        .cmd(["use", "prod", "--shell", "bash"])
        .env("SSOENV_LOCK_TIMEOUT", "0.5")
        .output()
        .unwrap();
    assert_fails(
        &out,
        1,
        "timed out after 0s waiting for another ssoenv (pid",
    );
    let mut holder = holder;
    assert!(holder.wait().unwrap().success());
}

#[test]
fn a_process_killed_mid_write_leaves_the_previous_cache_intact() {
    let sb = Sandbox::new();
    assert!(sb.run(["use", "dev", "--shell", "bash"]).status.success());
    let token_before = std::fs::read(sb.token_path("corp")).unwrap();
    // Pause every write between the temporary file and the rename, then kill -9.
    let mut child = sb
        .cmd(["login", "dev", "--force"])
        .env("SSOENV_TEST_PAUSE_BEFORE_RENAME_MS", "5000")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let dir = sb.home.join(".aws/sso/cache");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !std::fs::read_dir(&dir)
        .unwrap()
        .any(|e| e.unwrap().file_name().to_string_lossy().ends_with(".tmp"))
    {
        assert!(std::time::Instant::now() < deadline, "no write started");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(
        std::fs::read(sb.token_path("corp")).unwrap(),
        token_before,
        "previous token intact"
    );
    // The lock died with the process: the next command works at once.
    let out = sb
        .cmd(["use", "prod", "--shell", "bash"])
        .env("SSOENV_LOCK_TIMEOUT", "2")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_wrong_clock_is_named_as_such() {
    let sb = Sandbox::with(EmulatorConfig {
        interval: 0,
        role_ttl: 0,
        ..EmulatorConfig::default()
    });
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    assert_eq!(out.status.code(), Some(1));
    assert_stderr_has(&out, "clock skew");
    assert_eq!(stdout(&out), "");
}
