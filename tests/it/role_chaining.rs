//! Role-chaining profiles (`role_arn` + `source_profile`) end to end: the
//! real binary against the emulator's SSO portal and STS, one and two levels
//! deep, through `use`, `exec`, `exec --server`, `credential-process`,
//! `status` and `profiles`; the shared assume-role cache (one AssumeRole for
//! many calls, and botocore reusing ssoenv's file and the other way round);
//! and every configuration ssoenv refuses, refused before any request.

use crate::support;
use support::*;

const CHAINS: &str = "
[profile chained]
role_arn = arn:aws:iam::444455556666:role/Deploy
source_profile = dev

[profile chained2]
role_arn = arn:aws:iam::777788889999:role/Audit
source_profile = chained
role_session_name = alice
region = ap-southeast-2

[profile long]
role_arn = arn:aws:iam::444455556666:role/Deploy
source_profile = dev
duration_seconds = 7200

[profile loop-a]
role_arn = arn:aws:iam::444455556666:role/A
source_profile = loop-b

[profile loop-b]
role_arn = arn:aws:iam::444455556666:role/B
source_profile = loop-a

[profile orphan]
role_arn = arn:aws:iam::444455556666:role/Deploy
source_profile = nowhere

[profile both]
role_arn = arn:aws:iam::444455556666:role/Deploy
source_profile = dev
credential_source = Environment

[profile from-env]
role_arn = arn:aws:iam::444455556666:role/Deploy
credential_source = Environment

[profile mfa]
role_arn = arn:aws:iam::444455556666:role/Deploy
source_profile = dev
mfa_serial = arn:aws:iam::111111111111:mfa/alice
";

/// The sandbox's config with the chains above, STS pointed at the emulator.
fn sandbox() -> Sandbox {
    let sb = Sandbox::new();
    let url = sb.emu.url();
    sb.write_config(&format!("{CONFIG}{CHAINS}"));
    sb.env("AWS_ENDPOINT_URL_STS", &url)
}

fn login(sb: &Sandbox) {
    let out = sb.run(["login", "dev"]);
    assert!(out.status.success(), "login failed: {}", stderr(&out));
}

fn assume_roles(sb: &Sandbox) -> u64 {
    sb.emu.stats().assume_role
}

fn use_bash(sb: &Sandbox, profile: &str) -> String {
    let out = sb.run(["use", profile, "--shell", "bash"]);
    assert!(out.status.success(), "use {profile}: {}", stderr(&out));
    stdout(&out)
}

/// The value of `export NAME='VALUE'` in bash output.
fn exported(script: &str, name: &str) -> String {
    let prefix = format!("export {name}='");
    script
        .lines()
        .find_map(|l| l.strip_prefix(prefix.as_str()))
        .and_then(|v| v.strip_suffix("';"))
        .unwrap_or_else(|| panic!("no {name} in {script}"))
        .to_owned()
}

fn assume_role_files(sb: &Sandbox) -> Vec<std::path::PathBuf> {
    let Ok(dir) = std::fs::read_dir(sb.cli_cache()) else {
        return Vec::new();
    };
    let mut files: Vec<_> = dir
        .map(|e| e.unwrap().path())
        .filter(|p| std::fs::read_to_string(p).is_ok_and(|s| s.contains("\"AssumedRoleUser\"")))
        .collect();
    files.sort();
    files
}

#[test]
fn use_exports_the_assumed_roles_credentials_and_a_second_use_makes_no_assume_role() {
    let sb = sandbox();
    login(&sb);
    let sso = use_bash(&sb, "dev");
    let first = use_bash(&sb, "chained");
    assert_eq!(assume_roles(&sb), 1);
    let key = exported(&first, "AWS_ACCESS_KEY_ID");
    assert_ne!(key, exported(&sso, "AWS_ACCESS_KEY_ID"), "not the SSO keys");
    assert_eq!(exported(&first, "AWS_PROFILE"), "chained");
    assert_eq!(exported(&first, "SSOENV_PROFILE"), "chained");
    // The region is the source profile's (dev: eu-west-1), inherited.
    assert_eq!(exported(&first, "AWS_REGION"), "eu-west-1");
    assert!(first.contains("AWS_CREDENTIAL_EXPIRATION"));
    // Cached in the AWS CLI's assume-role cache, 0600.
    let files = assume_role_files(&sb);
    assert_eq!(files.len(), 1, "{files:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&files[0]).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let before = sb.emu.stats();
    let second = use_bash(&sb, "chained");
    assert_eq!(exported(&second, "AWS_ACCESS_KEY_ID"), key);
    assert_eq!(
        sb.emu.stats(),
        before,
        "the warm use made no request at all"
    );
}

#[test]
fn a_two_level_chain_assumes_each_role_once_and_exports_its_own_region() {
    let sb = sandbox();
    login(&sb);
    let out = use_bash(&sb, "chained2");
    assert_eq!(assume_roles(&sb), 2, "chained, then chained2");
    assert_eq!(exported(&out, "AWS_REGION"), "ap-southeast-2");
    assert_eq!(exported(&out, "AWS_PROFILE"), "chained2");
    assert_eq!(assume_role_files(&sb).len(), 2);
    // The middle step's cache serves `use chained` with no request.
    let before = sb.emu.stats();
    use_bash(&sb, "chained");
    use_bash(&sb, "chained2");
    assert_eq!(sb.emu.stats(), before);
}

#[test]
fn force_assumes_the_role_again() {
    let sb = sandbox();
    login(&sb);
    let first = exported(&use_bash(&sb, "chained"), "AWS_ACCESS_KEY_ID");
    let out = sb.run([
        "use",
        "chained",
        "--shell",
        "bash",
        "--force",
        "--no-browser",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(assume_roles(&sb), 2);
    assert_ne!(exported(&stdout(&out), "AWS_ACCESS_KEY_ID"), first);
}

#[test]
fn exec_and_credential_process_use_the_same_cached_role() {
    let sb = sandbox();
    login(&sb);
    let out = sb.run([
        "exec",
        "chained2",
        "--",
        "sh",
        "-c",
        "echo \"$AWS_ACCESS_KEY_ID $AWS_PROFILE $AWS_REGION\"",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let line = stdout(&out);
    let fields: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(fields[1..], ["chained2", "ap-southeast-2"], "{line}");
    assert_eq!(assume_roles(&sb), 2);
    let cp = sb.run(["credential-process", "chained2"]);
    assert!(cp.status.success(), "{}", stderr(&cp));
    let v: serde_json::Value = serde_json::from_slice(&cp.stdout).unwrap();
    assert_eq!(v["Version"], serde_json::json!(1));
    assert_eq!(v["AccessKeyId"], fields[0]);
    assert_eq!(assume_roles(&sb), 2, "credential-process read the cache");
}

#[test]
fn exec_server_serves_the_assumed_roles_credentials_to_the_child() {
    let sb = sandbox();
    login(&sb);
    let expected = exported(&use_bash(&sb, "chained"), "AWS_ACCESS_KEY_ID");
    // The child asks the server as an SDK's container provider does.
    let script = "import json, os, urllib.request\n\
        r = urllib.request.Request(os.environ['AWS_CONTAINER_CREDENTIALS_FULL_URI'],\n\
            headers={'Authorization': os.environ['AWS_CONTAINER_AUTHORIZATION_TOKEN']})\n\
        print(json.load(urllib.request.urlopen(r))['AccessKeyId'])\n\
        print('AWS_ACCESS_KEY_ID' in os.environ)";
    let out = sb.run(["exec", "--server", "chained", "--", "python3", "-c", script]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), format!("{expected}\nFalse\n"));
    assert_eq!(assume_roles(&sb), 1);
}

#[test]
fn a_denied_role_fails_with_sts_code_and_message_and_empty_stdout() {
    let sb = sandbox();
    login(&sb);
    sb.emu
        .set_role_denied("arn:aws:iam::444455556666:role/Deploy", true);
    let out = sb.run(["use", "chained", "--shell", "bash"]);
    let err = assert_fails(&out, 1, "AccessDenied");
    assert!(
        err.contains(
            "could not assume role arn:aws:iam::444455556666:role/Deploy (profile \"chained\")"
        ),
        "{err}"
    );
    assert!(
        err.contains("is not authorized to perform: sts:AssumeRole"),
        "{err}"
    );
    assert!(err.contains("hint: check role_arn"), "{err}");
    assert!(assume_role_files(&sb).is_empty(), "nothing cached");
}

#[test]
fn revoked_source_credentials_give_a_hint_that_mends_them() {
    let sb = sandbox();
    login(&sb);
    use_bash(&sb, "chained");
    // The SSO role credentials stay cached (and look valid here) while STS
    // no longer takes them; the assumed role must be fetched again.
    for f in assume_role_files(&sb) {
        std::fs::remove_file(f).unwrap();
    }
    sb.emu.expire_credentials();
    let out = sb.run(["use", "chained", "--shell", "bash"]);
    let err = assert_fails(&out, 1, "ExpiredToken");
    assert!(
        err.contains("hint: run `ssoenv use chained --force`"),
        "{err}"
    );
    // Logging in again alone does not mend it: the cached role credentials
    // would be sent again.
    let out = sb.run(["login", "dev", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_fails(
        &sb.run(["use", "chained", "--shell", "bash"]),
        1,
        "ExpiredToken",
    );
    // What the hint says does.
    let out = sb.run([
        "use",
        "chained",
        "--force",
        "--no-browser",
        "--shell",
        "bash",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("export AWS_ACCESS_KEY_ID="));
}

#[test]
fn refused_configurations_exit_2_naming_the_chain_before_any_request() {
    let sb = sandbox();
    let cases = [
        (
            "long",
            "AWS caps role-chaining sessions at 1 hour (duration_seconds = 7200 in profile \"long\")",
        ),
        ("loop-a", "profile \"loop-a\" → \"loop-b\" → \"loop-a\""),
        ("orphan", "profile \"orphan\" → \"nowhere\""),
        (
            "both",
            "The profile \"both\" contains both source_profile and credential_source.",
        ),
        (
            "from-env",
            "credential_source = Environment is not supported by ssoenv",
        ),
    ];
    for (profile, needle) in cases {
        for args in [
            vec!["use", profile, "--shell", "bash"],
            vec!["exec", profile, "--", "true"],
            vec!["credential-process", profile],
        ] {
            let out = sb.run(&args);
            assert_fails(&out, 2, needle);
        }
    }
    assert_eq!(sb.emu.stats(), Default::default(), "no request at all");
}

#[test]
fn without_a_terminal_an_mfa_profile_says_to_run_it_in_one_first() {
    let sb = sandbox();
    login(&sb);
    let out = sb.run(["use", "mfa", "--shell", "bash"]);
    let err = assert_fails(&out, 1, "needs an MFA code");
    assert!(err.contains("arn:aws:iam::111111111111:mfa/alice"), "{err}");
    // The reason is the terminal, not a login nobody would see, whether or
    // not a login would be allowed here.
    for interactive in [Some("1"), None] {
        let mut cmd = sb.cmd(["use", "mfa", "--shell", "bash"]);
        if interactive.is_none() {
            cmd.env_remove("SSOENV_INTERACTIVE");
        }
        let out = cmd.output().unwrap();
        let err = assert_fails(&out, 1, "needs an MFA code");
        assert!(
            err.contains("caused by: stdin or stderr is not a terminal"),
            "{err}"
        );
        assert!(!err.contains("login"), "{err}");
    }
    assert!(
        err.contains("hint: run `ssoenv use mfa` in a terminal first"),
        "{err}"
    );
    assert_eq!(assume_roles(&sb), 0);
}

#[test]
fn on_a_terminal_the_mfa_code_is_asked_sent_and_the_cache_then_serves_without_one() {
    let sb = sandbox();
    login(&sb);
    if !have("tmux") || !BASH.available() {
        return;
    }
    sb.emu.set_role_mfa(
        "arn:aws:iam::444455556666:role/Deploy",
        Some(("arn:aws:iam::111111111111:mfa/alice", "123456")),
    );
    let t = Tmux::in_sandbox(&sb, BASH.interactive);
    t.line("PS1='$ '");
    let sts = sb.emu.url();
    let out = sb.dir.path().join("mfa.out");
    t.line(&format!(
        "AWS_ENDPOINT_URL_STS={sts} '{BIN}' use mfa --shell bash > '{}'; echo \"R\"\"C=$?\"",
        out.display()
    ));
    t.wait_for("Enter MFA code for arn:aws:iam::111111111111:mfa/alice:");
    t.line("12345x");
    t.wait_for("6 digits");
    t.line("123456");
    t.wait_for("RC=0");
    // Typed without echo, as the AWS CLI's getpass prompt.
    let screen = t.screen();
    assert!(
        !screen.contains("123456") && !screen.contains("12345x"),
        "{screen}"
    );
    let script = std::fs::read_to_string(&out).unwrap();
    let key = exported(&script, "AWS_ACCESS_KEY_ID");
    assert_eq!(assume_roles(&sb), 1);
    // No terminal now: the cached credentials serve.
    assert_eq!(exported(&use_bash(&sb, "mfa"), "AWS_ACCESS_KEY_ID"), key);
    assert_eq!(assume_roles(&sb), 1);
}

#[test]
fn status_and_profiles_show_chained_profiles_with_their_chain_and_cache_state() {
    let sb = sandbox();
    login(&sb);
    use_bash(&sb, "chained2");
    let calls = sb.emu.stats();
    let out = sb.run(["status", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let p = |name: &str| {
        v["profiles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{name} in {v}"))
            .clone()
    };
    let c2 = p("chained2");
    assert_eq!(
        c2["chain"],
        serde_json::json!(["chained2", "chained", "dev"])
    );
    assert_eq!(c2["role_arn"], "arn:aws:iam::777788889999:role/Audit");
    assert_eq!(c2["source_profile"], "chained");
    assert_eq!(c2["account_id"], "777788889999");
    assert_eq!(c2["role_name"], "Audit");
    assert_eq!(c2["sso_session"], "corp");
    assert_eq!(c2["credentials"]["state"], "valid");
    assert_eq!(p("mfa")["credentials"]["state"], "absent");
    assert!(p("long")["error"].as_str().unwrap().contains("1 hour"));
    let human = stdout(&sb.run(["status"]));
    assert!(human.contains("chained2 → chained → dev"), "{human}");
    assert!(human.contains("via chained"), "{human}");
    assert_eq!(sb.emu.stats(), calls, "status made no request");
    assert_eq!(
        sb.run(["status", "--check", "chained2"]).status.code(),
        Some(0)
    );
    assert_eq!(sb.run(["status", "--check", "mfa"]).status.code(), Some(1));

    let out = sb.run(["profiles", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = v
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "chained")
        .unwrap();
    assert_eq!(row["kind"], "assume-role");
    assert_eq!(row["source_profile"], "dev");
    assert_eq!(row["account_id"], "444455556666");
    let names = stdout(&sb.run(["profiles", "--names"]));
    let names: Vec<&str> = names.lines().collect();
    assert_eq!(
        names,
        ["dev", "prod", "legacy", "chained", "chained2", "mfa"],
        "broken chains are not offered"
    );
    let human = stdout(&sb.run(["profiles"]));
    assert!(human.contains("via dev"), "{human}");
}

/// botocore with the AWS CLI's assume-role cache (`JSONFileCache` on
/// ~/.aws/cli/cache, as awscli's `assumerole.py` sets it), STS and SSO at the
/// emulator; prints the access key id it resolves for argv[1].
const BOTOCORE: &str = "
import os, sys, botocore.session
from botocore.utils import JSONFileCache
s = botocore.session.Session(profile=sys.argv[1])
s.get_component('credential_provider').get_provider('assume-role').cache = \\
    JSONFileCache(os.path.expanduser('~/.aws/cli/cache'))
print(s.get_credentials().get_frozen_credentials().access_key)
";

fn botocore_key(sb: &Sandbox, profile: &str) -> String {
    let out = sb
        .python(BOTOCORE)
        .arg(profile)
        .env("AWS_ENDPOINT_URL_STS", sb.emu.url())
        // botocore's STS client needs a region with a custom endpoint; the
        // chained profile has none of its own (ssoenv exports dev's).
        .env("AWS_DEFAULT_REGION", "eu-west-1")
        .output()
        .unwrap();
    assert!(out.status.success(), "botocore: {}", stderr(&out));
    stdout(&out).trim().to_owned()
}

#[test]
fn botocore_reuses_the_cache_file_ssoenv_wrote_and_ssoenv_reuses_botocores() {
    if !have_botocore() {
        return;
    }
    let sb = sandbox();
    login(&sb);
    // ssoenv writes; botocore reads the same file and calls nothing.
    let ours = exported(&use_bash(&sb, "chained"), "AWS_ACCESS_KEY_ID");
    let calls = assume_roles(&sb);
    assert_eq!(botocore_key(&sb, "chained"), ours);
    assert_eq!(assume_roles(&sb), calls, "botocore made no AssumeRole");

    // botocore writes (ssoenv's file removed first); ssoenv reads it.
    for f in assume_role_files(&sb) {
        std::fs::remove_file(f).unwrap();
    }
    let theirs = botocore_key(&sb, "chained");
    assert_eq!(assume_roles(&sb), calls + 1, "botocore assumed the role");
    assert_ne!(theirs, ours);
    assert_eq!(assume_role_files(&sb).len(), 1, "botocore wrote one file");
    assert_eq!(
        exported(&use_bash(&sb, "chained"), "AWS_ACCESS_KEY_ID"),
        theirs
    );
    assert_eq!(assume_roles(&sb), calls + 1, "ssoenv made no AssumeRole");
}

/// The regions the AssumeRole calls since call `from` were signed in.
fn signing_regions(sb: &Sandbox, from: usize) -> Vec<String> {
    sb.emu.assume_role_calls()[from..]
        .iter()
        .map(|c| c.signing_region.clone())
        .collect()
}

#[test]
fn every_assume_role_of_a_chain_is_signed_in_the_used_profiles_region_as_botocore_does() {
    // chained2 (ap-southeast-2) ← chained (no region of its own, dev's eu-west-1 for
    // AWS_REGION) ← dev. tests/it/js_sdk.rs has an inner link with its own region.
    let sb = sandbox();
    login(&sb);
    let region_env: [(&str, Option<&str>); 3] = [
        ("no region in the environment", None),
        ("AWS_DEFAULT_REGION", Some("ca-central-1")),
        ("AWS_REGION", Some("sa-east-1")),
    ];
    for (var, value) in region_env {
        let _ = std::fs::remove_dir_all(sb.cli_cache());
        let before = sb.emu.assume_role_calls().len();
        let mut cmd = sb.cmd(["use", "chained2", "--shell", "bash"]);
        if let Some(v) = value {
            cmd.env(var, v);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{var}: {}", stderr(&out));
        let want = value.unwrap_or("ap-southeast-2");
        assert_eq!(signing_regions(&sb, before), [want, want], "ssoenv, {var}");
        // botocore (boto3, the AWS CLI) signs both links in the same region.
        if have_botocore() && var != "AWS_REGION" {
            let before = sb.emu.assume_role_calls().len();
            let mut py = sb.python(
                "import botocore.session\n\
                 botocore.session.Session(profile='chained2').get_credentials().get_frozen_credentials()",
            );
            if let Some(v) = value {
                py.env(var, v);
            }
            let out = py.output().unwrap();
            assert!(out.status.success(), "botocore: {}", stderr(&out));
            assert_eq!(
                signing_regions(&sb, before),
                [want, want],
                "botocore, {var}"
            );
        }
    }
    // A one-level chain with no region of its own: STS's global endpoint,
    // signed for us-east-1, not the SSO source's eu-west-1.
    let _ = std::fs::remove_dir_all(sb.cli_cache());
    let before = sb.emu.assume_role_calls().len();
    use_bash(&sb, "chained");
    assert_eq!(signing_regions(&sb, before), ["us-east-1"]);
}
