//! The shared cache files as the user meets them: a corrupt file is warned
//! about once, and a token the portal rejected is recorded as such (status
//! shows it, login replaces it, the AWS CLI sees it expired).

use crate::support;
use support::*;

fn role_cache_files(sb: &Sandbox) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(sb.cli_cache())
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default()
}

fn lines_naming(err: &str, path: &std::path::Path) -> usize {
    let p = path.display().to_string();
    err.lines().filter(|l| l.contains(&p)).count()
}

#[test]
fn a_corrupt_token_and_role_cache_file_are_each_warned_about_once() {
    let sb = Sandbox::new();
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let role = role_cache_files(&sb);
    assert_eq!(role.len(), 1);
    let token = sb.token_path("corp");
    for args in [
        &["use", "dev", "--shell", "bash"][..],
        &["exec", "dev", "--", "true"],
    ] {
        std::fs::write(&role[0], "{\"ProviderType\": ").unwrap();
        std::fs::write(&token, "not json").unwrap();
        let out = sb.run(args);
        let err = stderr(&out);
        assert!(out.status.success(), "{args:?}: {err}");
        assert_eq!(lines_naming(&err, &role[0]), 1, "{args:?}: {err}");
        assert_eq!(lines_naming(&err, &token), 1, "{args:?}: {err}");
        assert!(err.contains("is corrupt"), "{err}");
    }
    // A token file lacking accessToken: one warning too.
    std::fs::remove_file(&role[0]).unwrap();
    std::fs::write(&token, r#"{"startUrl": "x", "region": "us-east-1"}"#).unwrap();
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(lines_naming(&err, &token), 1, "{err}");
    assert!(err.contains("lacks a valid accessToken"), "{err}");
}

fn session_token_state(sb: &Sandbox) -> String {
    let out = sb.run(["status", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "corp")
        .map(|s| s["token"]["state"].as_str().unwrap().to_owned())
        .unwrap()
}

#[test]
fn a_token_the_portal_rejects_is_marked_expired_so_status_and_login_see_it() {
    let sb = Sandbox::new();
    let out = sb.run(["login", "dev"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let before = sb.token_json("corp");
    assert_eq!(session_token_state(&sb), "valid");

    // The administrator revokes the session: the portal answers 401.
    assert!(sb.emulator_control("revoke").contains(" 200 "));
    let out = sb
        .cmd(["use", "dev", "--shell", "bash"])
        .env("SSOENV_INTERACTIVE", "0")
        .output()
        .unwrap();
    assert_fails(&out, 1, "has expired or is otherwise invalid");

    // Same token and refresh material, now expired, and marked.
    let after = sb.token_json("corp");
    for key in [
        "accessToken",
        "refreshToken",
        "clientId",
        "clientSecret",
        "registrationExpiresAt",
        "startUrl",
        "region",
    ] {
        assert_eq!(after[key], before[key], "{key}");
    }
    let expires = ssoenv::cache::parse_timestamp(after["expiresAt"].as_str().unwrap()).unwrap();
    assert!(expires <= time::OffsetDateTime::now_utc(), "{after}");
    assert!(after["ssoenvRejectedAt"].is_string(), "{after}");
    assert_eq!(session_token_state(&sb), "rejected");
    let check = sb.run(["status", "--check", "dev"]);
    assert_eq!(check.status.code(), Some(1), "a login is needed");
    let out = sb.run(["status"]);
    assert!(stdout(&out).contains("rejected"), "{}", stdout(&out));
    botocore_sees_an_expired_token(&sb);
    // The list shown when nothing is named says so too.
    let out = sb.run(["logout"]);
    assert_stderr_has(&out, "token rejected by the portal");

    // login no longer trusts it: the refresh is refused too, so it logs in.
    let logins = sb.emu.stats().start_device_authorization;
    let out = sb.run(["login", "dev", "--no-browser"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("already logged in"), "{err}");
    assert!(err.contains("ssoenv: logged in to"), "{err}");
    assert_eq!(sb.emu.stats().start_device_authorization, logins + 1);
    assert_eq!(session_token_state(&sb), "valid");
    assert!(sb.token_json("corp").get("ssoenvRejectedAt").is_none());
    assert_eq!(sb.run(["status", "--check", "dev"]).status.code(), Some(0));
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_rejected_token_during_use_is_replaced_by_a_fresh_login_without_the_mark() {
    let sb = Sandbox::new();
    assert!(sb.run(["login", "dev"]).status.success());
    assert!(sb.emulator_control("revoke").contains(" 200 "));
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("rejected by the portal"), "{err}");
    assert!(sb.token_json("corp").get("ssoenvRejectedAt").is_none());
    assert_eq!(session_token_state(&sb), "valid");
}

/// botocore reads the marked file as an expired token: it tries the refresh
/// (refused here) and never sends the dead token to the portal.
fn botocore_sees_an_expired_token(sb: &Sandbox) {
    if !have_botocore() {
        return;
    }
    let before = sb.emu.stats();
    let script = "import botocore.session\n\
        s = botocore.session.Session(profile='prod')\n\
        try:\n    s.get_credentials().get_frozen_credentials()\nexcept Exception as e:\n    print(type(e).__name__, e)\n";
    let out = sb.python(script).output().unwrap();
    let said = stdout(&out);
    assert!(
        said.contains("expired"),
        "botocore: {said} {}",
        stderr(&out)
    );
    let after = sb.emu.stats();
    assert_eq!(
        after.get_role_credentials, before.get_role_credentials,
        "{said}"
    );
}

/// Issue 17, item 11: when the kept refresh token brings the session back,
/// `login` says it renewed it, not that all was well.
#[test]
fn login_says_it_renewed_the_session_after_the_portal_rejected_the_token() {
    use ssoenv_emulator::{Fault, FaultKind, Op};
    let sb = Sandbox::new();
    assert!(sb.run(["login", "dev"]).status.success());
    let before = sb.token_json("corp");
    // The portal refuses the access token once; the refresh token still works.
    sb.emu.add_fault(Fault::new(
        Some(Op::GetRoleCredentials),
        FaultKind::Unauthorized,
        1,
    ));
    let out = sb
        .cmd(["use", "dev", "--shell", "bash"])
        .env("SSOENV_INTERACTIVE", "0")
        .output()
        .unwrap();
    assert_fails(&out, 1, "has expired or is otherwise invalid");
    assert_eq!(session_token_state(&sb), "rejected");

    let logins = sb.emu.stats().start_device_authorization;
    let out = sb.run(["login", "dev", "--no-browser"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("already logged in"), "{err}");
    assert!(
        err.contains("ssoenv: the portal had rejected the SSO token for sso-session \"corp\"; renewed the session with its refresh token (valid until "),
        "{err}"
    );
    assert_eq!(
        sb.emu.stats().start_device_authorization,
        logins,
        "no login"
    );
    let after = sb.token_json("corp");
    assert_ne!(after["accessToken"], before["accessToken"]);
    assert_eq!(session_token_state(&sb), "valid");
    let out = sb.run(["use", "dev", "--shell", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));

    // A token in its last minutes is renewed the same way, and said so.
    let mut near = sb.token_json("corp");
    near["expiresAt"] = ssoenv::cache::format_timestamp(
        time::OffsetDateTime::now_utc() + time::Duration::minutes(3),
    )
    .into();
    sb.write_token("corp", &near);
    let out = sb.run(["login", "dev"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("ssoenv: renewed the session for sso-session \"corp\" with its refresh token (valid until "),
        "{err}"
    );
    // And a valid one is reused, as before.
    let out = sb.run(["login", "dev"]);
    assert_stderr_has(&out, "already logged in to sso-session \"corp\"");
}
