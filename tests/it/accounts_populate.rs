//! `ssoenv accounts` and `ssoenv populate` against the emulator, with the
//! real binary: every page listed, profiles written that resolve (in ssoenv
//! and in botocore), reruns that change nothing, hand-written profiles left
//! alone, pruning, dry runs, and the rest of the file kept byte for byte.

use crate::support;
use ssoenv_emulator::{EmulatorConfig, Fixture};
use std::path::PathBuf;
use support::*;

fn config_path(sb: &Sandbox) -> PathBuf {
    sb.home.join(".aws/config")
}

fn read_config(sb: &Sandbox) -> Vec<u8> {
    std::fs::read(config_path(sb)).unwrap()
}

/// An emulator that hands out small pages (so every list takes several).
fn small_pages(fixture: Fixture) -> Sandbox {
    Sandbox::with(EmulatorConfig {
        interval: 0,
        max_page_size: 2,
        fixture,
        ..EmulatorConfig::default()
    })
}

fn fixture(json: &str) -> Fixture {
    Fixture::from_json(json).unwrap()
}

fn profiles_json(sb: &Sandbox) -> Vec<serde_json::Value> {
    let out = sb.run(["profiles", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str::<serde_json::Value>(&stdout(&out))
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn populated(sb: &Sandbox) -> Vec<(String, String, String)> {
    let mut v: Vec<_> = profiles_json(sb)
        .iter()
        .filter(|p| p["sso_session"] == "corp")
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_owned(),
                p["account_id"].as_str().unwrap().to_owned(),
                p["role_name"].as_str().unwrap().to_owned(),
            )
        })
        .filter(|(n, _, _)| !["dev", "prod"].contains(&n.as_str()))
        .collect();
    v.sort();
    v
}

// ---------------------------------------------------------------- accounts

#[test]
fn accounts_lists_every_page_as_a_table_and_as_json() {
    let sb = small_pages(Fixture::generated(7));
    let out = sb.run(["accounts", "--sso-session", "corp", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let all = v.as_array().unwrap();
    assert_eq!(all.len(), 7, "{v}");
    assert_eq!(
        all[0],
        serde_json::json!({"accountId": "100000000001", "accountName": "account-0001",
            "emailAddress": "account-0001@example.com",
            "roles": ["AdministratorAccess", "PowerUserAccess", "ReadOnly"]})
    );
    let names: Vec<&str> = all
        .iter()
        .map(|a| a["accountName"].as_str().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "sorted by account name");
    let stats = sb.emu.stats();
    assert_eq!(stats.list_accounts, 4, "7 accounts in pages of 2");
    assert_eq!(
        stats.list_account_roles, 14,
        "3 roles in pages of 2, per account"
    );

    let out = sb.run(["accounts", "dev"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let table = stdout(&out);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 8, "{table}");
    assert!(lines[0].starts_with("ACCOUNT ID"), "{table}");
    assert_eq!(
        lines[1],
        "100000000001  account-0001  AdministratorAccess, PowerUserAccess, ReadOnly"
    );
    assert_eq!(sb.emu.stats().start_device_authorization, 1, "one login");
}

#[test]
fn accounts_escapes_names_and_logs_in_again_after_a_revoked_token() {
    let sb = Sandbox::with(EmulatorConfig {
        interval: 0,
        fixture: fixture(
            r#"{"accounts":[{"accountId":"111111111111","accountName":"evil\u001b]0;x\u0007","roles":["R"]}]}"#,
        ),
        ..EmulatorConfig::default()
    });
    assert!(sb.run(["login", "dev"]).status.success());
    sb.emu.revoke_all_tokens();
    let out = sb.run(["accounts", "dev"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(&out, "logging in again");
    assert!(
        stdout(&out).contains("evil\\e]0;x\\x07"),
        "{}",
        stdout(&out)
    );
    assert!(!stdout(&out).contains('\x1b'));
    // Without anyone to approve a login, a revoked token is a clear error.
    sb.emu.revoke_all_tokens();
    let out = sb
        .cmd(["accounts", "dev"])
        .env("SSOENV_INTERACTIVE", "0")
        .output()
        .unwrap();
    let err = assert_fails(&out, 1, "could not list the accounts");
    assert!(err.contains("ssoenv login dev"), "{err}");
}

#[test]
fn accounts_with_nothing_named_lists_the_sessions() {
    let sb = Sandbox::new();
    let err = assert_fails(&sb.run(["accounts"]), 2, "which SSO session?");
    assert!(err.contains("sso-session corp"), "{err}");
    assert_eq!(sb.emu.stats().start_device_authorization, 0);
}

#[test]
fn listing_runs_requests_in_parallel_and_rides_out_throttling() {
    // 200 accounts, 25 ms per answer: one at a time would take over 5 s.
    let sb = Sandbox::with(EmulatorConfig {
        interval: 0,
        latency_ms: 25,
        fixture: Fixture::generated(200),
        ..EmulatorConfig::default()
    });
    assert!(sb.run(["login", "dev"]).status.success());
    sb.emu
        .add_fault(ssoenv_emulator::Fault::parse("roles:429=0:3").unwrap());
    let t = std::time::Instant::now();
    let out = sb.run(["accounts", "dev", "--json"]);
    let took = t.elapsed();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 200);
    assert!(
        took < std::time::Duration::from_millis(2500),
        "took {took:?}"
    );
    let stats = sb.emu.stats();
    assert_eq!(stats.list_accounts, 2);
    assert_eq!(stats.list_account_roles, 203, "200 + 3 throttled, retried");
    // No progress line when stderr is not a terminal.
    assert!(!stderr(&out).contains("accounts 1"), "{}", stderr(&out));
}

// ---------------------------------------------------------------- populate

#[test]
fn populate_writes_profiles_that_resolve_and_a_rerun_changes_nothing() {
    let sb = small_pages(Fixture::default());
    let before = read_config(&sb);
    let out = sb.run(["populate", "--region", "eu-north-1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("7 added, 0 updated, 0 removed, 0 unchanged, 0 skipped"),
        "{err}"
    );
    assert!(err.contains("config.ssoenv-bak"), "{err}");
    let after = read_config(&sb);
    assert!(after.starts_with(&before), "the rest of the file is kept");
    assert_eq!(
        std::fs::read(sb.home.join(".aws/config.ssoenv-bak")).unwrap(),
        before
    );
    let text = String::from_utf8(after.clone()).unwrap();
    assert!(
        text.ends_with(
            "\n[profile staging.ReadOnly]\nsso_session = corp\nsso_account_id = 222222222222\n\
             sso_role_name = ReadOnly\nregion = eu-north-1\nssoenv_populated = corp\n"
        ),
        "{text}"
    );
    assert_eq!(
        populated(&sb),
        [
            (
                "dev.AdministratorAccess",
                "111111111111",
                "AdministratorAccess"
            ),
            ("dev.PowerUserAccess", "111111111111", "PowerUserAccess"),
            ("dev.ReadOnly", "111111111111", "ReadOnly"),
            ("prod.BillingViewer", "333333333333", "BillingViewer"),
            ("prod.ReadOnly", "333333333333", "ReadOnly"),
            (
                "staging.AdministratorAccess",
                "222222222222",
                "AdministratorAccess"
            ),
            ("staging.ReadOnly", "222222222222", "ReadOnly"),
        ]
        .map(|(a, b, c)| (a.to_owned(), b.to_owned(), c.to_owned()))
    );
    // `use` works on a populated profile, with its region.
    let out = sb.run(["use", "prod.ReadOnly", "--shell", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("AWS_REGION='eu-north-1'"),
        "{}",
        stdout(&out)
    );

    // Again: the same bytes, no write, and it says so.
    let mtime = std::fs::metadata(config_path(&sb))
        .unwrap()
        .modified()
        .unwrap();
    let out = sb.run(["populate", "--region", "eu-north-1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(&out, "is up to date, nothing changed");
    assert_stderr_has(&out, "0 added, 0 updated, 0 removed, 7 unchanged");
    assert_eq!(read_config(&sb), after);
    assert_eq!(
        std::fs::metadata(config_path(&sb))
            .unwrap()
            .modified()
            .unwrap(),
        mtime
    );
    // Without --region, the region written before is kept; a different one
    // updates the populated profiles in place.
    let out = sb.run(["populate"]);
    assert_stderr_has(&out, "nothing changed");
    let out = sb.run(["populate", "--region", "us-west-2"]);
    assert_stderr_has(&out, "0 added, 7 updated");
    assert!(read_config(&sb).starts_with(&before));
    assert_eq!(
        std::fs::read(sb.home.join(".aws/config.ssoenv-bak")).unwrap(),
        before,
        "the backup is made once"
    );
}

#[test]
fn a_hand_written_profile_of_the_same_name_is_left_alone_and_reported() {
    let sb = Sandbox::new();
    let mine = "\n# mine, keep\n[profile dev.ReadOnly]\nsso_session = corp\nsso_account_id = 999999999999\nsso_role_name = Custom\n";
    let config = format!("{CONFIG}{mine}");
    sb.write_config(&config);
    let out = sb.run(["populate"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("skipped profile \"dev.ReadOnly\""), "{err}");
    assert!(err.contains("was not written by ssoenv"), "{err}");
    assert!(
        err.contains("6 added, 0 updated, 0 removed, 0 unchanged, 1 skipped"),
        "{err}"
    );
    let after = String::from_utf8(read_config(&sb)).unwrap();
    assert!(after.starts_with(&config));
    assert_eq!(after.matches("[profile dev.ReadOnly]").count(), 1);
    // Pruning never touches it either.
    sb.emu.set_fixture(fixture(r#"{"accounts":[]}"#));
    let out = sb.run(["populate", "--prune"]);
    assert_stderr_has(&out, "6 removed");
    assert_eq!(String::from_utf8(read_config(&sb)).unwrap(), config);
}

#[test]
fn prune_removes_only_this_sessions_populated_profiles_that_are_gone() {
    let sb = Sandbox::new();
    // Another session's populated profile, and a hand-written one: never pruned.
    let extra = "\n[sso-session other]\nsso_start_url = https://other.awsapps.com/start\nsso_region = us-east-1\n\n\
        [profile other.Admin]\nsso_session = other\nsso_account_id = 444444444444\nsso_role_name = Admin\nssoenv_populated = other\n";
    sb.write_config(&format!("{CONFIG}{extra}"));
    assert!(
        sb.run(["populate", "--sso-session", "corp"])
            .status
            .success()
    );
    let full = read_config(&sb);
    // staging goes away upstream.
    let mut f = Fixture::default();
    f.accounts.retain(|a| a.account_id != "222222222222");
    sb.emu.set_fixture(f);
    let out = sb.run(["populate", "--sso-session", "corp"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(
        &out,
        "no longer exist upstream and are kept: staging.AdministratorAccess, staging.ReadOnly; `--prune` removes them",
    );
    assert_eq!(read_config(&sb), full, "nothing removed without --prune");
    let out = sb.run(["populate", "--sso-session", "corp", "--prune"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_stderr_has(&out, "0 added, 0 updated, 2 removed, 5 unchanged");
    let names: Vec<String> = populated(&sb).into_iter().map(|p| p.0).collect();
    assert!(!names.iter().any(|n| n.starts_with("staging")), "{names:?}");
    assert_eq!(names.len(), 5);
    let text = String::from_utf8(read_config(&sb)).unwrap();
    assert!(text.contains("[profile other.Admin]"), "{text}");
    assert!(text.starts_with(CONFIG));
}

#[test]
fn without_a_session_named_populate_needs_exactly_one() {
    let sb = Sandbox::new();
    let two = format!(
        "{CONFIG}\n[sso-session other]\nsso_start_url = https://o.awsapps.com/start\nsso_region = us-east-1\n"
    );
    sb.write_config(&two);
    let err = assert_fails(&sb.run(["populate"]), 2, "which sso-session?");
    assert!(
        err.contains("    corp") && err.contains("    other"),
        "{err}"
    );
    assert_eq!(read_config(&sb), two.as_bytes());
    assert_eq!(sb.emu.stats().start_device_authorization, 0);
}

#[test]
fn dry_run_prints_the_diff_and_writes_nothing() {
    let sb = Sandbox::new();
    assert!(sb.run(["populate"]).status.success());
    let before = read_config(&sb);
    let mut f = Fixture::default();
    f.accounts.retain(|a| a.account_id != "333333333333");
    f.accounts[0].roles.push("NewRole".into());
    sb.emu.set_fixture(f);
    let out = sb.run(["populate", "--prune", "--dry-run", "--region", "us-west-2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(read_config(&sb), before, "nothing written");
    let diff = stdout(&out);
    assert!(
        diff.contains(
            "@@ profile dev.NewRole (added) @@\n+[profile dev.NewRole]\n+sso_session = corp\n"
        ),
        "{diff}"
    );
    assert!(
        diff.contains("@@ profile prod.ReadOnly (removed) @@\n-[profile prod.ReadOnly]\n"),
        "{diff}"
    );
    assert!(diff.contains("-sso_role_name = AdministratorAccess\n-region = us-east-1\n-ssoenv_populated = corp\n+[profile dev.AdministratorAccess]"), "{diff}");
    assert!(diff.contains("+region = us-west-2\n"), "{diff}");
    assert_stderr_has(&out, "dry run");
    assert_stderr_has(&out, "1 added, 5 updated, 2 removed");
}

#[test]
fn an_unknown_template_field_is_a_usage_error_before_any_login() {
    let sb = Sandbox::new();
    let before = read_config(&sb);
    let err = assert_fails(
        &sb.run(["populate", "--template", "{account}-{role}"]),
        2,
        "unknown field {account}",
    );
    assert!(
        err.contains("{account_name} {account_id} {role_name} {session}"),
        "{err}"
    );
    assert_eq!(sb.emu.stats().start_device_authorization, 0);
    assert_eq!(read_config(&sb), before);
}

#[test]
fn accounts_sharing_a_name_get_stable_distinct_profile_names() {
    let f = r#"{"accounts":[
        {"accountId":"222222222222","accountName":"My Team","roles":["Admin"]},
        {"accountId":"111111111111","accountName":"My  Team","roles":["Admin"]},
        {"accountId":"333333333333","accountName":"ops/eu\u0007","roles":["Read Only"]}]}"#;
    let sb = small_pages(fixture(f));
    let out = sb.run([
        "populate",
        "--template",
        "{session}-{account_name}-{role_name}",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let names: Vec<String> = populated(&sb).into_iter().map(|p| p.0).collect();
    assert_eq!(
        names,
        [
            "corp-My-Team-111111111111-Admin",
            "corp-My-Team-222222222222-Admin",
            "corp-ops-eu-Read-Only"
        ]
    );
    // The upstream order changes: the names do not, nor does the file.
    let before = read_config(&sb);
    let mut rev = fixture(f);
    rev.accounts.reverse();
    sb.emu.set_fixture(rev);
    let out = sb.run([
        "populate",
        "--template",
        "{session}-{account_name}-{role_name}",
    ]);
    assert_stderr_has(&out, "nothing changed");
    assert_eq!(read_config(&sb), before);
}

/// CRLF, a BOM, comments everywhere, sub-sections, odd spacing: populate
/// appends its sections in the file's line ending and leaves every other
/// byte; pruning them all gives the file back (with a line ending on what
/// was an unterminated last line).
#[test]
fn a_crlf_bom_comment_rich_config_is_kept_byte_for_byte() {
    let sb = Sandbox::new();
    let original = "\u{feff}# top comment\r\n; another\r\n[default]\r\nregion=us-east-1 # not a comment\r\n\r\n\
        [sso-session corp]\r\nsso_start_url = https://d-1234567890.awsapps.com/start\r\n  ; indented comment\r\n\
        sso_region = us-east-1\r\nsso_registration_scopes = sso:account:access\r\n\r\n\
        [profile dev]\r\nsso_session=corp\r\nsso_account_id = 111111111111\r\nsso_role_name = AdministratorAccess\r\n\
        s3 =\r\n  max_concurrent_requests = 10\r\n# trailing comment, no newline at the end";
    sb.write_config(original);
    let out = sb.run(["populate"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let after = String::from_utf8(read_config(&sb)).unwrap();
    assert!(after.starts_with(original), "{after:?}");
    let added = &after[original.len()..];
    assert!(
        added.contains("\r\n[profile dev.ReadOnly]\r\nsso_session = corp\r\n"),
        "{added:?}"
    );
    assert!(!added.replace("\r\n", "").contains('\n'), "{added:?}");
    // The binary reads it (BOM and all).
    assert_eq!(populated(&sb).len(), 7);
    sb.emu.set_fixture(fixture(r#"{"accounts":[]}"#));
    let out = sb.run(["populate", "--prune"]);
    assert_stderr_has(&out, "7 removed");
    // The one byte change appending made: the last line got its line ending.
    assert_eq!(read_config(&sb), format!("{original}\r\n").as_bytes());
}

#[cfg(unix)]
#[test]
fn populate_follows_a_symlink_and_keeps_the_mode() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    let real = sb.dir.path().join("dotfiles-config");
    std::fs::write(&real, CONFIG).unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    std::fs::remove_file(config_path(&sb)).unwrap();
    std::os::unix::fs::symlink(&real, config_path(&sb)).unwrap();
    let out = sb.run(["populate"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        std::fs::symlink_metadata(config_path(&sb))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let text = std::fs::read_to_string(&real).unwrap();
    assert!(text.starts_with(CONFIG) && text.contains("[profile prod.ReadOnly]"));
    assert_eq!(
        std::fs::metadata(&real).unwrap().permissions().mode() & 0o777,
        0o640
    );
    assert_eq!(
        std::fs::read_to_string(sb.dir.path().join("dotfiles-config.ssoenv-bak")).unwrap(),
        CONFIG
    );
}

/// botocore reads the populated file and resolves every new profile through
/// its sso-session, and gets credentials for one with ssoenv's token.
#[test]
fn botocore_reads_the_populated_profiles() {
    if !have_botocore() {
        return;
    }
    let f = r#"{"accounts":[
        {"accountId":"111111111111","accountName":"My Team","roles":["Admin","Read Only"]},
        {"accountId":"222222222222","accountName":"My Team","roles":["Admin"]},
        {"accountId":"333333333333","accountName":"ünï $x","roles":["Dev"]}]}"#;
    let sb = small_pages(fixture(f));
    let out = sb.run(["populate", "--region", "eu-west-3"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let want = populated(&sb);
    assert_eq!(want.len(), 4);
    let script = r#"
import json, sys, botocore.session
out = {}
for name in sys.argv[1:]:
    s = botocore.session.Session(profile=name)
    c = s.get_scoped_config()
    sess = s.full_config.get('sso_sessions', {}).get(c.get('sso_session'), {})
    out[name] = [c.get('sso_account_id'), c.get('sso_role_name'), c.get('region'), sess.get('sso_region')]
s = botocore.session.Session(profile=sys.argv[1])
out['_key'] = s.get_credentials().get_frozen_credentials().access_key[:4]
print(json.dumps(out))
"#;
    let out = sb
        .python(script)
        .args(want.iter().map(|p| &p.0))
        .output()
        .unwrap();
    assert!(out.status.success(), "botocore failed: {}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for (name, account, role) in &want {
        assert_eq!(
            v[name],
            serde_json::json!([account, role, "eu-west-3", "us-east-1"]),
            "{name}: {v}"
        );
    }
    assert_eq!(v["_key"], "ASIA", "botocore used ssoenv's token: {v}");
}

/// The config changes on disk while populate is listing: it refuses to
/// write (exit 1) and leaves the other writer's file as it is.
#[test]
fn a_config_changed_during_the_listing_is_not_overwritten() {
    let sb = Sandbox::with(EmulatorConfig {
        interval: 0,
        ..EmulatorConfig::default()
    });
    assert!(sb.run(["login", "dev"]).status.success());
    let stats = sb.emu.stats();
    sb.emu
        .add_fault(ssoenv_emulator::Fault::parse("roles:slow=1500:*").unwrap());
    let child = sb
        .cmd(["populate"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the listing has begun (the config has been read by then).
    let t = std::time::Instant::now();
    while sb.emu.stats().list_account_roles == stats.list_account_roles {
        assert!(t.elapsed() < std::time::Duration::from_secs(10));
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let theirs = format!("{CONFIG}\n[profile theirs]\nregion = eu-west-1\n");
    sb.write_config(&theirs);
    let out = child.wait_with_output().unwrap();
    let err = assert_fails(&out, 1, "changed while ssoenv was editing it");
    assert!(err.contains("left as it is"), "{err}");
    assert_eq!(read_config(&sb), theirs.as_bytes());
    assert!(!sb.home.join(".aws/config.ssoenv-bak").exists());
}

/// botocore's own `sso` client and its paginators against the emulator:
/// the same accounts and roles `ssoenv accounts` lists, page sizes honoured,
/// and AWS's errors for a bad token, a bad nextToken and an unknown account.
#[test]
fn botocore_pages_through_the_emulator_as_ssoenv_does() {
    if !have_botocore() {
        return;
    }
    let sb = Sandbox::with(EmulatorConfig {
        interval: 0,
        fixture: Fixture::generated(25),
        ..EmulatorConfig::default()
    });
    let out = sb.run(["accounts", "dev", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let ours: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let token: serde_json::Value =
        serde_json::from_slice(&std::fs::read(sb.token_path("corp")).unwrap()).unwrap();
    let script = r#"
import json, sys, botocore.session
from botocore.config import Config
url, tok = sys.argv[1], sys.argv[2]
c = botocore.session.get_session().create_client(
    'sso', region_name='us-east-1', endpoint_url=url,
    config=Config(retries={'max_attempts': 1}))
out = {'accounts': []}
pages = list(c.get_paginator('list_accounts').paginate(accessToken=tok))
out['default_pages'] = len(pages)
out['pages_of_10'] = len(list(c.get_paginator('list_accounts').paginate(
    accessToken=tok, PaginationConfig={'PageSize': 10})))
for p in pages:
    for a in p['accountList']:
        roles = [r['roleName'] for rp in c.get_paginator('list_account_roles').paginate(
            accessToken=tok, accountId=a['accountId']) for r in rp['roleList']]
        out['accounts'].append({'accountId': a['accountId'], 'accountName': a.get('accountName'),
                                'emailAddress': a.get('emailAddress'), 'roles': sorted(roles)})
def code(f):
    try:
        f()
        return None
    except c.exceptions.ClientError as e:
        return [e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Code']]
out['bad_token'] = code(lambda: c.list_accounts(accessToken='bogus'))
out['bad_next'] = code(lambda: c.list_accounts(accessToken=tok, nextToken='garbage'))
out['bad_max'] = code(lambda: c.list_accounts(accessToken=tok, maxResults=101))
out['no_account'] = code(lambda: c.list_account_roles(accessToken=tok, accountId='999999999999'))
print(json.dumps(out))
"#;
    let out = sb
        .python(script)
        .arg(sb.emu.url())
        .arg(token["accessToken"].as_str().unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "botocore failed: {}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["default_pages"], 13, "25 accounts, 2 a page by default");
    assert_eq!(v["pages_of_10"], 3);
    let mut theirs = v["accounts"].as_array().unwrap().clone();
    theirs.sort_by_key(|a| a["accountName"].as_str().unwrap().to_owned());
    assert_eq!(serde_json::Value::Array(theirs), ours);
    assert_eq!(
        v["bad_token"],
        serde_json::json!([401, "UnauthorizedException"])
    );
    assert_eq!(
        v["bad_next"],
        serde_json::json!([400, "InvalidRequestException"])
    );
    assert_eq!(
        v["no_account"],
        serde_json::json!([404, "ResourceNotFoundException"])
    );
    // botocore does not check the model's 1-100 range; the service does.
    assert_eq!(
        v["bad_max"],
        serde_json::json!([400, "InvalidRequestException"])
    );
}

/// On a terminal, stderr shows `accounts N/M` while the listing runs (and
/// clears it); stdout stays the table alone.
#[test]
fn progress_shows_on_a_terminal_only() {
    if !have("script") {
        return;
    }
    let sb = Sandbox::with(EmulatorConfig {
        interval: 0,
        latency_ms: 40,
        fixture: Fixture::generated(200),
        ..EmulatorConfig::default()
    });
    assert!(sb.run(["login", "dev"]).status.success());
    let table = sb.dir.path().join("table.txt");
    let out = std::process::Command::new("script")
        .arg("-qec")
        .arg(format!("{BIN} accounts dev > '{}'", table.display()))
        .arg("/dev/null")
        .env_clear()
        .env("HOME", &sb.home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("AWS_ENDPOINT_URL_SSO_OIDC", sb.emu.url())
        .env("AWS_ENDPOINT_URL_SSO", sb.emu.url())
        .env("TERM", "dumb")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let tty = stdout(&out);
    assert!(tty.contains("\r\x1b[Kaccounts "), "{tty:?}");
    assert!(tty.contains("/200"), "{tty:?}");
    assert!(tty.ends_with("\r\x1b[K"), "the line is cleared: {tty:?}");
    let table = std::fs::read_to_string(&table).unwrap();
    assert_eq!(table.lines().count(), 201);
    assert!(!table.contains("accounts "), "{table}");
}

/// Server text that cannot be written (a control character in a role name)
/// is skipped and reported with the character shown escaped, never raw.
#[test]
fn a_role_name_that_cannot_be_written_is_skipped_and_shown_escaped() {
    let sb = Sandbox::with(EmulatorConfig {
        interval: 0,
        fixture: fixture(
            r#"{"accounts":[{"accountId":"111111111111","accountName":"dev","roles":["Evil\u001b[2J","Good"]}]}"#,
        ),
        ..EmulatorConfig::default()
    });
    let out = sb.run(["populate"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(!err.contains('\x1b'), "{err:?}");
    assert!(err.contains("skipped profile \"dev.Evil-2J\""), "{err}");
    assert!(err.contains("Evil\\e[2J"), "{err}");
    assert!(
        err.contains("1 added, 0 updated, 0 removed, 0 unchanged, 1 skipped"),
        "{err}"
    );
    let names: Vec<String> = populated(&sb).into_iter().map(|p| p.0).collect();
    assert_eq!(names, ["dev.Good"]);
}

/// `chmod 444 ~/.aws/config`: populate refuses before the login, exit 1, the
/// file untouched; `--dry-run` writes nothing and still shows the changes.
#[test]
fn populate_refuses_a_read_only_config_before_logging_in() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    let path = config_path(&sb);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = read_config(&sb);
    let out = sb.run(["populate", "--sso-session", "corp", "--no-browser"]);
    let err = assert_fails(&out, 1, "is read-only (mode 0444)");
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(read_config(&sb), before);
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o444
    );
    assert_eq!(sb.emu.stats().start_device_authorization, 0);
    let out = sb.run([
        "populate",
        "--sso-session",
        "corp",
        "--no-browser",
        "--dry-run",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(read_config(&sb), before);
}

/// populate names what it added, removed and kept, says when an account and role already
/// has a profile of another name, and gives new profiles the session's region (or none
/// with --no-region).
#[test]
fn populate_names_its_changes_notices_other_names_and_gives_new_profiles_a_region() {
    let sb = Sandbox::new();
    let out = sb.run(["populate"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(
            "ssoenv: added: dev.AdministratorAccess, dev.PowerUserAccess, dev.ReadOnly, prod.BillingViewer, prod.ReadOnly, staging.AdministratorAccess, staging.ReadOnly\n"
        ),
        "{err}"
    );
    // The sandbox's config has dev (111111111111 AdministratorAccess) and prod (333333333333 ReadOnly).
    assert!(
        err.contains("account 111111111111 role AdministratorAccess is already configured as profile \"dev\"; populate names it \"dev.AdministratorAccess\" too"),
        "{err}"
    );
    assert!(
        err.contains("as profile \"prod\"; populate names it \"prod.ReadOnly\" too"),
        "{err}"
    );
    let text = String::from_utf8(read_config(&sb)).unwrap();
    assert!(
        text.contains("[profile staging.ReadOnly]\nsso_session = corp\nsso_account_id = 222222222222\nsso_role_name = ReadOnly\nregion = us-east-1\n"),
        "{text}"
    );
    let mut f = Fixture::default();
    f.accounts.retain(|a| a.account_id != "222222222222");
    sb.emu.set_fixture(f);
    let err = stderr(&sb.run(["populate", "--prune"]));
    assert!(
        err.contains("ssoenv: removed: staging.AdministratorAccess, staging.ReadOnly\n"),
        "{err}"
    );
    assert!(
        err.contains("ssoenv: kept as they were: dev.AdministratorAccess, dev.PowerUserAccess, dev.ReadOnly, prod.BillingViewer, prod.ReadOnly\n"),
        "{err}"
    );
    let bare = Sandbox::new();
    assert!(bare.run(["populate", "--no-region"]).status.success());
    let text = String::from_utf8(read_config(&bare)).unwrap();
    let populated_part = text
        .split("[profile dev.AdministratorAccess]")
        .nth(1)
        .unwrap();
    assert!(!populated_part.contains("region ="), "{text}");
}
