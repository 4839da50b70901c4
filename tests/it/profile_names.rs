//! `profiles --names` and `profiles --sessions` (shell completion) offer
//! exactly what `use` and `login --sso-session` accept: proved by running
//! them on every name, offered or not (a usable profile fails with "not
//! logged in", exit 1, and a usable session logs in against the emulator;
//! anything else is a config error, exit 2).

use crate::support;
use support::*;

const CONFIG: &str = "\
[default]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = secret

[sso-session corp]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = us-east-1

[sso-session \"my corp\"]
sso_start_url = https://d-2234567890.awsapps.com/start
sso_region = eu-west-1

[sso-session two parts]
sso_start_url = https://d-3234567890.awsapps.com/start
sso_region = us-east-1

[sso-session no-region]
sso_start_url = https://d-4234567890.awsapps.com/start

[sso-session bad-region]
sso_start_url = https://d-5234567890.awsapps.com/start
sso_region = us-east-1/../x

[profile \"a b\"]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = ReadOnly

[profile a b]
sso_session = no-such-session
sso_account_id = 111111111111
sso_role_name = ReadOnly

[profile c d e]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = ReadOnly

[ profile x ]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = ReadOnly

[profile static]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = secret

[profile assume]
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = modern

[profile loop]
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = loop

[profile long]
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = modern
duration_seconds = 7200

[profile modern]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = ReadOnly

[profile other-session]
sso_session = my corp
sso_account_id = 111111111111
sso_role_name = ReadOnly

[profile legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-east-1
sso_account_id = 222222222222
sso_role_name = ReadOnly

[profile no-role]
sso_session = corp
sso_account_id = 111111111111

[profile missing-session]
sso_session = nope
sso_account_id = 111111111111
sso_role_name = ReadOnly

[profile bad-region]
sso_start_url = https://legacy.awsapps.com/start
sso_region = not a region
sso_account_id = 222222222222
sso_role_name = ReadOnly

[profile \"bell\x07\"]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = ReadOnly
";

/// Everything completion offered before, and every way of writing the
/// names above: none of these may be offered.
const NOT_PROFILES: &[&str] = &[
    "default",
    "static",
    "loop",
    "long",
    "\"a b\"",
    "b",
    "c d e",
    "d e",
    "x",
    "profile x",
    "no-role",
    "missing-session",
    "bad-region",
];

fn lines(out: &std::process::Output) -> Vec<String> {
    stdout(out).lines().map(str::to_owned).collect()
}

/// `use NAME` with no token and no way to log in: exit 1 for a usable profile.
fn use_code(sb: &Sandbox, name: &str) -> (Option<i32>, String) {
    let out = sb
        .cmd(["use", name, "--shell", "bash"])
        .env("SSOENV_INTERACTIVE", "0")
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "", "use {name:?}: stdout stays empty");
    (out.status.code(), stderr(&out))
}

#[test]
fn names_lists_exactly_the_profiles_use_accepts() {
    let sb = Sandbox::new();
    sb.write_config(CONFIG);
    let out = sb.run(["profiles", "--names"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "", "quiet");
    let listed = lines(&out);
    // `[profile a b]` splits into three words and is dropped, as botocore
    // drops it (were it read as "a b", its missing session would make the
    // quoted profile's name unusable): "a b" is `[profile "a b"]` alone.
    // A role-chaining profile is offered like an SSO one ("assume", whose
    // SSO source is not logged in either); a broken chain is not.
    assert_eq!(
        listed,
        ["a b", "assume", "modern", "other-session", "legacy"]
    );
    for name in &listed {
        let (code, err) = use_code(&sb, name);
        assert_eq!(code, Some(1), "use {name:?} is accepted: {err}");
        assert!(err.contains("You are not logged in"), "{name:?}: {err}");
    }
    for name in NOT_PROFILES {
        let (code, err) = use_code(&sb, name);
        assert_eq!(code, Some(2), "use {name:?} is refused: {err}");
    }
    // The one exception, on purpose: a usable name holding a control
    // character is not offered (it could act on the terminal when listed).
    assert_eq!(use_code(&sb, "bell\x07").0, Some(1));
}

#[test]
fn sessions_lists_exactly_the_sso_sessions_login_accepts() {
    let sb = Sandbox::new();
    sb.write_config(CONFIG);
    let out = sb.run(["profiles", "--sessions"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    let listed = lines(&out);
    assert_eq!(listed, ["corp", "my corp"]);
    // `login` always logs in (the emulator approves the device code).
    let login = |name: &str| {
        let out = sb
            .cmd(["login", "--sso-session", name, "--no-browser"])
            .output()
            .unwrap();
        (out.status.code(), stderr(&out))
    };
    for name in &listed {
        let (code, err) = login(name);
        assert_eq!(code, Some(0), "login --sso-session {name:?}: {err}");
        assert!(err.contains("ssoenv: logged in to"), "{name:?}: {err}");
    }
    for name in [
        "two parts",
        "parts",
        "\"my corp\"",
        "no-region",
        "bad-region",
    ] {
        let (code, err) = login(name);
        assert_eq!(code, Some(2), "login --sso-session {name:?}: {err}");
    }
}

#[test]
fn names_are_empty_and_quiet_without_a_config_file() {
    let sb = Sandbox::new();
    std::fs::remove_file(sb.home.join(".aws/config")).unwrap();
    for flag in ["--names", "--sessions"] {
        let out = sb.run(["profiles", flag]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(stdout(&out), "");
        assert_eq!(stderr(&out), "");
    }
}

#[test]
fn a_config_use_refuses_gives_no_names_and_the_same_error() {
    let sb = Sandbox::new();
    // A duplicate section: botocore refuses the file, and so does `use`.
    sb.write_config(&format!("{CONFIG}\n[profile modern]\nregion = x\n"));
    let used = sb.run(["use", "modern", "--shell", "bash"]);
    let expected = assert_fails(&used, 2, "appears twice");
    for flag in ["--names", "--sessions"] {
        let out = sb.run(["profiles", flag]);
        let err = assert_fails(&out, 2, "appears twice");
        assert_eq!(err, expected, "the same message as use");
    }
}

#[test]
fn names_and_sessions_exclude_each_other_and_json() {
    let sb = Sandbox::new();
    for args in [
        ["profiles", "--names", "--sessions"],
        ["profiles", "--json", "--sessions"],
        ["profiles", "--json", "--names"],
    ] {
        let out = sb.run(args);
        assert_fails(&out, 2, "cannot be used with");
    }
}
