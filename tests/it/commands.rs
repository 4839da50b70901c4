//! The rough edges a new user meets, against the real binary: `exec` without
//! `--`, commands run with nothing named, `status --check`, bad input that
//! must be a clear error, every subcommand's help, and the emulator's banner.

use crate::support;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use support::*;

/// The exit code of a run (None when a signal ended it).
fn code(out: &std::process::Output) -> Option<i32> {
    out.status.code()
}

// ------------------------------------------------------------------ --force

#[test]
fn force_means_a_new_login_for_login_use_and_exec_alike() {
    let sb = Sandbox::new();
    let logins = || sb.emu.stats().start_device_authorization;
    assert!(sb.run(["login", "dev"]).status.success());
    assert_eq!(logins(), 1);
    // Without --force, the valid token is reused everywhere.
    assert!(sb.run(["use", "dev", "--shell", "bash"]).status.success());
    assert!(sb.run(["exec", "dev", "true"]).status.success());
    assert_eq!(logins(), 1);
    let runs: [&[&str]; 4] = [
        &["login", "dev", "--force"],
        &["use", "dev", "--force", "--shell", "bash"],
        &["exec", "dev", "--force", "true"],
        // The old spelling still works for `use`.
        &["use", "dev", "--force-login", "--shell", "bash"],
    ];
    for (i, args) in runs.iter().enumerate() {
        let out = sb.run(*args);
        assert_eq!(code(&out), Some(0), "{args:?}: {}", stderr(&out));
        assert_eq!(logins(), 2 + i as u64, "{args:?} logs in again");
    }
    // After the command's name, --force is the command's.
    let out = sb.run([
        "exec",
        "dev",
        "sh",
        "-c",
        "printf '%s' \"$1\"",
        "sh",
        "--force",
    ]);
    assert_eq!(stdout(&out), "--force");
    assert_eq!(logins(), 5);
}

#[test]
fn force_login_is_a_hidden_alias() {
    let sb = Sandbox::new();
    let help = stdout(&sb.run(["use", "--help"]));
    assert!(help.contains("--force"), "{help}");
    assert!(!help.contains("--force-login"), "{help}");
    for cmd in ["login", "exec"] {
        let help = stdout(&sb.run([cmd, "--help"]));
        assert!(help.contains("--force "), "{cmd}: {help}");
    }
}

// ------------------------------------------------------------------ exec

#[test]
fn exec_runs_the_command_with_or_without_a_double_dash() {
    let sb = Sandbox::new();
    let script = "printf '%s|%s|' \"$AWS_PROFILE\" \"$AWS_REGION\"; printf '%s,' \"$@\"; exit 3";
    for dashes in [&[][..], &["--"][..]] {
        let mut args = vec!["exec", "dev"];
        args.extend_from_slice(dashes);
        args.extend_from_slice(&["sh", "-c", script, "sh", "s3", "ls"]);
        let out = sb.run(&args);
        assert_eq!(code(&out), Some(3), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "dev|eu-west-1|s3,ls,", "{args:?}");
    }
}

#[test]
fn exec_options_after_the_command_name_are_the_commands() {
    let sb = Sandbox::new();
    // ssoenv's --region before the command; aws-style --region and -- after it reach the command.
    let out = sb.run([
        "exec",
        "dev",
        "--region",
        "us-west-2",
        "sh",
        "-c",
        "printf '%s|' \"$AWS_REGION\" \"$@\"",
        "sh",
        "--region",
        "x",
        "--",
        "--no-browser",
    ]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "us-west-2|--region|x|--|--no-browser|");
    // An option ssoenv does not know, before the command, is not taken for the command.
    let err = assert_fails(&sb.run(["exec", "dev", "--bogus", "aws"]), 2, "'--bogus'");
    assert!(err.contains("Usage: ssoenv exec"), "{err}");
    assert_eq!(
        sb.emu.stats().start_device_authorization,
        1,
        "one login above"
    );
}

#[test]
fn exec_of_a_directory_says_it_is_one_before_any_login() {
    let sb = Sandbox::new();
    let dir = sb.dir.path().to_str().unwrap().to_owned();
    let err = assert_fails(&sb.run(["exec", "dev", "--", &dir]), 126, "is a directory");
    assert!(err.contains(&dir), "names the path: {err}");
    assert_fails(
        &sb.run(["exec", "dev", "/tmp"]),
        126,
        "/tmp: it is a directory",
    );
    assert_eq!(sb.emu.stats().start_device_authorization, 0);
}

#[test]
fn exec_of_an_empty_command_is_an_error_naming_it() {
    let sb = Sandbox::new();
    assert_fails(
        &sb.run(["exec", "dev", "--", ""]),
        2,
        "the command to run is empty ('')",
    );
    assert_fails(&sb.run(["exec", "dev", ""]), 2, "empty ('')");
    assert_eq!(sb.emu.stats().start_device_authorization, 0);
}

#[test]
fn an_empty_or_malformed_region_is_a_usage_error() {
    let sb = Sandbox::new();
    for args in [
        &["use", "dev", "--region", ""][..],
        &["use", "dev", "--region="],
        &["exec", "dev", "--region", "", "--", "true"],
        &["use", "dev", "--region", "eu west 1"],
    ] {
        let err = assert_fails(&sb.run(args), 2, "--region");
        assert!(
            err.contains("the region is empty") || err.contains("cannot appear in a region name"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(sb.emu.stats().start_device_authorization, 0);
}

// --------------------------------------------------- nothing named

#[test]
fn use_without_a_profile_lists_the_profiles_and_how_to_pick_one() {
    let sb = Sandbox::new();
    let err = assert_fails(&sb.run(["use"]), 2, "which profile?");
    assert!(err.contains("AWS_PROFILE is not set"), "{err}");
    for line in [
        "dev     sso-session corp  111111111111 AdministratorAccess",
        "prod    sso-session corp  333333333333 ReadOnly",
        "legacy  start URL https://legacy.awsapps.com/start  222222222222 ReadOnly",
    ] {
        assert!(err.contains(line), "{line:?} in: {err}");
    }
    assert!(!err.contains("static"), "only SSO profiles: {err}");
    assert!(
        err.contains("hint: name one: `eval \"$(ssoenv use dev)\"`"),
        "{err}"
    );
    assert_eq!(sb.emu.stats().start_device_authorization, 0);
    // AWS_PROFILE names it: that profile, as `aws` would take it.
    let out = sb.cmd(["use"]).env("AWS_PROFILE", "prod").output().unwrap();
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("export AWS_PROFILE='prod'"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn use_without_a_profile_in_a_config_with_none_says_how_to_make_one() {
    let sb = Sandbox::new();
    sb.write_config("[default]\nregion = us-east-1\n");
    let err = assert_fails(&sb.run(["use"]), 2, "SSO profiles in ");
    assert!(err.contains(": none"), "{err}");
    assert!(err.contains("aws configure sso"), "{err}");
}

#[test]
fn login_without_a_profile_lists_sessions_and_profiles_instead_of_a_non_sso_default() {
    let sb = Sandbox::new();
    // The sandbox's [default] has only a region: not something to log in to.
    let err = assert_fails(&sb.run(["login"]), 2, "which SSO session?");
    for needle in [
        "sso-session corp",
        "not logged in",
        "start URL https://legacy.awsapps.com/start",
        "dev     sso-session corp  111111111111 AdministratorAccess",
        "hint: run `ssoenv login PROFILE` or `ssoenv login --sso-session NAME`",
    ] {
        assert!(err.contains(needle), "{needle:?} in: {err}");
    }
    assert!(!err.contains("\"default\" not"), "{err}");
    assert_eq!(sb.emu.stats().start_device_authorization, 0);

    // An SSO `default` is taken, as `aws sso login` takes it.
    sb.write_config(&format!(
        "{CONFIG}\n[profile default]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = ReadOnly\n"
    ).replace("[default]\nregion = us-east-1\n", ""));
    let out = sb.run(["login"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("logged in to sso-session \"corp\""));
}

#[test]
fn logout_without_a_profile_points_at_all_and_lists_the_sessions() {
    let sb = Sandbox::new();
    assert!(sb.run(["login", "dev"]).status.success());
    let err = assert_fails(&sb.run(["logout"]), 2, "which SSO session?");
    for needle in [
        "sso-session corp",
        "logged in, until ",
        "start URL https://legacy.awsapps.com/start  not logged in",
        "`ssoenv logout --all` to log out of every one",
    ] {
        assert!(err.contains(needle), "{needle:?} in: {err}");
    }
    assert!(sb.token_path("corp").exists(), "nothing was logged out");
    assert_eq!(sb.emu.stats().logout, 0);
    // AWS_PROFILE names it.
    let out = sb
        .cmd(["logout"])
        .env("AWS_PROFILE", "prod")
        .output()
        .unwrap();
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert!(!sb.token_path("corp").exists());
}

// ------------------------------------------------------ status --check

#[test]
fn status_check_answers_by_exit_code_alone_without_network() {
    let sb = Sandbox::new();
    let check = |args: &[&str]| {
        let out = sb.run(args);
        assert_eq!(stdout(&out), "", "{args:?}");
        assert_eq!(stderr(&out), "", "{args:?}");
        code(&out)
    };
    assert_eq!(
        check(&["status", "--check", "dev"]),
        Some(1),
        "not logged in"
    );
    assert!(sb.run(["use", "dev"]).status.success());
    let calls = sb.emu.stats();
    // dev: cached role credentials; prod: no credentials yet, but a valid token.
    assert_eq!(check(&["status", "--check", "dev"]), Some(0));
    assert_eq!(check(&["status", "--check", "prod"]), Some(0));
    assert_eq!(
        check(&["status", "--check", "legacy"]),
        Some(1),
        "another session"
    );
    // The active profile when none is named.
    let out = sb
        .cmd(["status", "--check"])
        .env("AWS_PROFILE", "legacy")
        .output()
        .unwrap();
    assert_eq!((code(&out), stdout(&out)), (Some(1), String::new()));
    let out = sb
        .cmd(["status", "--check"])
        .env("AWS_PROFILE", "prod")
        .output()
        .unwrap();
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    // An expired token that can be refreshed still needs no person; without a refresh token it does.
    let mut t = sb.token_json("corp");
    t["expiresAt"] = ts(-60).into();
    sb.write_token("corp", &t);
    assert_eq!(check(&["status", "--check", "prod"]), Some(0));
    t.as_object_mut().unwrap().remove("refreshToken");
    sb.write_token("corp", &t);
    assert_eq!(check(&["status", "--check", "prod"]), Some(1));
    assert_eq!(
        check(&["status", "--check", "dev"]),
        Some(0),
        "its credentials are cached"
    );
    assert_eq!(sb.emu.stats(), calls, "--check made no network call");
}

/// `use`, `exec`, `credential-process` and `status --check` read only the
/// sections of the profile they name (its chain, its sso-session): a mistake
/// in another profile does not stop them, in a file of thousands of
/// profiles; what reads the whole file still refuses it, and so does a
/// profile whose own section is broken, with the full parse's message.
#[test]
fn commands_naming_a_profile_read_only_the_sections_it_needs() {
    let sb = Sandbox::new();
    assert!(sb.run(["login", "dev"]).status.success());
    let mut config = String::from(CONFIG);
    config.push_str("\n[profile broken]\nregion = us-east-1\nRegion = eu-west-1\n");
    for i in 0..20_000 {
        config.push_str(&format!(
            "\n[profile p{i}]\nsso_session = corp\nsso_account_id = 333333333333\nsso_role_name = ReadOnly\nregion = r{i}\n"
        ));
    }
    config.push_str("\n[profile chained]\nrole_arn = arn:aws:iam::111111111111:role/Deploy\nsource_profile = dev\n");
    sb.write_config(&config);
    let calls = sb.emu.stats();
    for args in [
        &["status", "--check", "dev"][..],
        &["status", "--check", "p19999"],
        &["status", "--check", "chained"],
    ] {
        let out = sb.run(args);
        assert_eq!(code(&out), Some(0), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{args:?}");
    }
    assert_eq!(sb.emu.stats(), calls, "--check made no network call");
    let out = sb.run(["use", "p19999", "--shell", "bash"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("export AWS_ACCESS_KEY_ID="),
        "{}",
        stdout(&out)
    );
    let out = sb.run(["credential-process", "dev"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("\"AccessKeyId\""));
    let out = sb.run([
        "exec",
        "dev",
        "--",
        "sh",
        "-c",
        "test -n \"$AWS_SESSION_TOKEN\"",
    ]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    // The whole file read: refused, naming the line.
    let line = 1 + config
        .lines()
        .position(|l| l == "Region = eu-west-1")
        .unwrap();
    let refusal = format!("line {line}: key \"region\" appears twice in section [profile broken]");
    for args in [&["profiles"][..], &["use", "broken", "--shell", "bash"]] {
        let out = sb.run(args);
        assert_eq!(code(&out), Some(2), "{args:?}");
        assert_eq!(stdout(&out), "", "{args:?}");
        assert!(
            stderr(&out).contains(&refusal),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn status_check_of_an_unknown_or_missing_profile_is_a_usage_error() {
    let sb = Sandbox::new();
    assert_fails(
        &sb.run(["status", "--check", "nope"]),
        2,
        "profile \"nope\" not found",
    );
    assert_fails(
        &sb.run(["status", "--check", "static"]),
        2,
        "not an IAM Identity Center (SSO) profile",
    );
    assert_fails(&sb.run(["status", "--check"]), 2, "AWS_PROFILE is not set");
    assert_fails(
        &sb.run(["status", "--check", "--json"]),
        2,
        "cannot be used with",
    );
}

/// `status PROFILE` (no `--check`) shows that profile and its session, not clap's
/// "required argument --check"; a name that is no credential profile is the
/// error `use` gives.
#[test]
fn status_with_a_profile_shows_that_profile_alone() {
    let sb = Sandbox::new();
    let out = sb.run(["status", "dev"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.lines().any(|l| l.contains(" dev ")), "{text}");
    assert!(text.contains("corp"), "{text}");
    for other in [" prod ", " legacy ", "legacy.awsapps.com"] {
        assert!(!text.contains(other), "{other:?} listed:\n{text}");
    }
    let out = sb.run(["status", "legacy", "--json"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let names: Vec<_> = v["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["legacy"]);
    assert_eq!(v["sessions"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(
        v["sessions"][0]["start_url"],
        "https://legacy.awsapps.com/start"
    );
    assert_fails(&sb.run(["status", "nope"]), 2, "profile \"nope\" not found");
    assert_fails(
        &sb.run(["status", "static"]),
        2,
        "not an IAM Identity Center (SSO) profile",
    );
}

/// The placeholders are listed on a line of their own, not after a literal `\n`.
#[test]
fn prompt_format_errors_list_the_placeholders_on_their_own_line() {
    let sb = Sandbox::new();
    for format in ["{profile} {region}", "{profile"] {
        let err = assert_fails(&sb.run(["prompt", "--format", format]), 2, "--format");
        assert!(!err.contains("\\n"), "a literal \\n: {err}");
        assert!(
            err.lines()
                .any(|l| l.starts_with("  placeholders: {profile}")),
            "{err}"
        );
    }
}

// ------------------------------------------------------------- status, prompt

#[test]
fn status_does_not_call_a_profile_with_a_missing_session_legacy() {
    let sb = Sandbox::new();
    sb.write_config(&format!(
        "{CONFIG}\n[profile orphan]\nsso_session = gone\nsso_account_id = 1\nsso_role_name = R\n"
    ));
    let out = sb.run(["status"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let row = text.lines().find(|l| l.contains("orphan")).unwrap();
    assert!(!row.contains("(legacy)"), "{row}");
    assert!(
        row.contains("sso-session does not exist: \"gone\""),
        "{row}"
    );
    let legacy = text.lines().find(|l| l.contains(" legacy ")).unwrap();
    assert!(
        legacy.contains("(legacy)"),
        "a real legacy profile still is: {legacy}"
    );
}

#[test]
fn prompt_format_with_an_unknown_placeholder_lists_the_valid_ones() {
    let sb = Sandbox::new();
    // With and without an active profile: a typo shows as soon as it is written.
    for active in [false, true] {
        let mut c = sb.cmd(["prompt", "--format", "{profile} {region}"]);
        if active {
            c.env("SSOENV_PROFILE", "dev")
                .env("SSOENV_EXPIRATION", "99999999999");
        }
        let err = assert_fails(&c.output().unwrap(), 2, "unknown placeholder {region}");
        assert!(
            err.contains("{profile} {remaining} {seconds} {state} {color}"),
            "{err}"
        );
    }
    assert_fails(&sb.run(["prompt", "--format", "{profile"]), 2, "not closed");
    let out = sb
        .cmd(["prompt", "--no-color", "--format", "{{{profile}}} {state}"])
        .env("SSOENV_PROFILE", "dev")
        .env("SSOENV_EXPIRATION", "99999999999")
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "{dev} ok\n");
}

// ------------------------------------------------------------------ help

#[test]
fn every_subcommand_help_has_examples() {
    use clap::CommandFactory;
    let cli = ssoenv::cli::Cli::command();
    let mut seen = 0;
    for sub in cli.get_subcommands() {
        let name = sub.get_name();
        let out = Command::new(BIN).args([name, "--help"]).output().unwrap();
        assert_eq!(code(&out), Some(0), "{name}");
        let help = stdout(&out);
        let examples = help
            .split_once("\nExamples")
            .unwrap_or_else(|| panic!("`ssoenv {name} --help` has no Examples section:\n{help}"))
            .1;
        let first = examples.lines().nth(1).unwrap_or("");
        assert!(
            first.starts_with("  ") && first.contains(&format!("ssoenv {name}")),
            "`ssoenv {name} --help`: the first example should run `ssoenv {name}`: {first:?}"
        );
        seen += 1;
    }
    assert!(seen >= 12, "{seen} subcommands");
}

#[test]
fn status_help_shows_the_json_shape() {
    let out = Command::new(BIN)
        .args(["status", "--help"])
        .output()
        .unwrap();
    let help = stdout(&out);
    for key in [
        "\"active_profile\"",
        "\"sessions\"",
        "\"token\": {\"state\": \"valid\" | \"refreshable\" | \"rejected\" | \"expired\" | \"absent\"",
        "\"profiles\"",
        "\"credentials\"",
        "\"error\"",
    ] {
        assert!(help.contains(key), "{key} in:\n{help}");
    }
    assert!(!help.contains("see README"), "{help}");
}

// -------------------------------------------------------------- emulator

/// Kills the emulator child when the test ends, however it ends.
struct Child(std::process::Child);
impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `ssoenv emulator` in the background; its banner (stderr, up to "Press Ctrl-C").
fn emulator_banner(args: &[&str]) -> (Child, String) {
    let mut child = Child(
        Command::new(BIN)
            .arg("emulator")
            .args(args)
            .env_clear()
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut banner = String::new();
    for line in BufReader::new(child.0.stderr.take().unwrap()).lines() {
        let line = line.unwrap();
        banner.push_str(&line);
        banner.push('\n');
        if line.starts_with("Press Ctrl-C") {
            break;
        }
    }
    (child, banner)
}

#[test]
fn the_emulator_prints_a_config_that_works_as_pasted_with_nothing_exported() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let (_child, banner) =
        emulator_banner(&["--port", "0", "--interval", "0", "--approve-after", "0"]);
    let url = banner
        .lines()
        .next()
        .and_then(|l| l.rsplit_once(" listening on "))
        .map(|(_, u)| u.to_owned())
        .unwrap_or_else(|| panic!("no URL in:\n{banner}"));
    let port = url.rsplit(':').next().unwrap();
    // A restart moves a port-0 emulator: the banner says how to keep one.
    assert!(
        banner.contains(&format!("`ssoenv emulator --port {port}`")),
        "{banner}"
    );
    // Tools that read no config file can still be pointed at it.
    assert!(
        banner.contains(&format!("export AWS_ENDPOINT_URL_SSO_OIDC={url} ")),
        "{banner}"
    );
    for needle in [
        "/_emulator/stats",
        "/_emulator/faults",
        "/_emulator/settings",
        "/_emulator/revoke",
        "/_emulator/reset",
    ] {
        assert!(banner.contains(needle), "{needle} in:\n{banner}");
    }
    // The snippet: from its sso-session header to the blank line before "Then:".
    let start = banner
        .find("[sso-session ssoenv-emulator]")
        .expect("a config snippet");
    let end = banner.find("\nThen: ").expect("a next step");
    let snippet = &banner[start..end];
    // A fixed https:// start URL, as the demo's: `configure` takes it.
    assert!(
        snippet.contains("sso_start_url = https://d-0000000000.awsapps.com/start\n"),
        "{snippet}"
    );
    assert!(
        snippet.contains(&format!("sso_oidc =\n  endpoint_url = {url}\n")),
        "{snippet}"
    );
    for profile in [
        "dev-AdministratorAccess",
        "staging-ReadOnly",
        "prod-BillingViewer",
    ] {
        assert!(
            snippet.contains(&format!("[profile {profile}]")),
            "{profile} in:\n{snippet}"
        );
    }
    std::fs::create_dir_all(home.join(".aws")).unwrap();
    // A role-chaining profile on top of the pasted ones, as a user adds it.
    let config = format!(
        "{snippet}\n[profile chained]\nrole_arn = arn:aws:iam::222222222222:role/Deploy\nsource_profile = dev-AdministratorAccess\nservices = ssoenv-emulator\n"
    );
    std::fs::write(home.join(".aws/config"), config).unwrap();
    // No AWS_ENDPOINT_URL_* at all: the pasted config is the whole setup.
    let run = |args: &[&str]| {
        Command::new(BIN)
            .args(args)
            .env_clear()
            .env("HOME", home)
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("SSOENV_INTERACTIVE", "1")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let out = run(&["login", "--sso-session", "ssoenv-emulator", "--no-browser"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let out = run(&["use", "prod-BillingViewer", "--shell", "bash"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("export AWS_ACCESS_KEY_ID="),
        "{}",
        stdout(&out)
    );
    let out = run(&["use", "chained", "--shell", "bash"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("export AWS_PROFILE='chained';"));
    let out = run(&[
        "exec",
        "staging-ReadOnly",
        "sh",
        "-c",
        "printf %s \"$AWS_PROFILE\"",
    ]);
    assert_eq!(
        (code(&out), stdout(&out)),
        (Some(0), "staging-ReadOnly".to_owned()),
        "{}",
        stderr(&out)
    );
    let out = run(&["console", "dev-AdministratorAccess", "--print"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with(&format!("{url}/federation?")),
        "{}",
        stdout(&out)
    );
    // The wizard, all flags, on the pasted session: no complaint about its start URL.
    let out = run(&[
        "configure",
        "--sso-session",
        "ssoenv-emulator",
        "--account-id",
        "111111111111",
        "--role-name",
        "ReadOnly",
        "--region",
        "eu-west-1",
        "--profile",
        "mine",
    ]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    // botocore reads the same [services] section: the AWS CLI and SDKs need no exports either.
    if have_botocore() {
        let out = Command::new("python3")
            .args([
                "-c",
                "import botocore.session\n\
                 s = botocore.session.Session(profile='dev-AdministratorAccess')\n\
                 for svc in ('sso-oidc', 'sso', 'sts'):\n    \
                 print(s.create_client(svc, region_name='us-east-1').meta.endpoint_url)",
            ])
            .env_clear()
            .env("HOME", home)
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .output()
            .unwrap();
        assert_eq!(
            stdout(&out),
            format!("{url}\n{url}\n{url}\n"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn the_emulator_refuses_a_bad_fault_naming_the_grammar() {
    let out = Command::new(BIN)
        .args(["emulator", "--fail", "token:404"])
        .env_clear()
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let err = assert_fails(&out, 2, "invalid --fail \"token:404\"");
    assert!(
        err.contains(
            "500, 429[=SECS], slow=MILLIS, 401, slow_down, garbage, trickle=MILLIS or hang"
        ),
        "{err}"
    );
    assert!(err.contains("OP:KIND[:TIMES]"), "{err}");
}

// ------------------------------------------------ --profile (issue 19, item 9)

/// `--profile NAME`, every AWS CLI user's habit, names the profile wherever
/// one is taken positionally; both forms at once is a usage error.
#[test]
fn profile_as_an_option_works_wherever_a_profile_is_taken() {
    let sb = Sandbox::new();
    let out = sb.run(["login", "--profile", "dev"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let out = sb.run(["use", "--profile", "dev", "--shell", "bash"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("export AWS_PROFILE='dev';"),
        "{}",
        stdout(&out)
    );
    let out = sb.run([
        "exec",
        "--profile",
        "dev",
        "sh",
        "-c",
        "printf %s \"$AWS_PROFILE\"",
    ]);
    assert_eq!(
        (code(&out), stdout(&out)),
        (Some(0), "dev".to_owned()),
        "{}",
        stderr(&out)
    );
    let out = sb.run(["exec", "--profile=dev", "--", "printenv", "AWS_PROFILE"]);
    assert_eq!(
        (code(&out), stdout(&out)),
        (Some(0), "dev\n".to_owned()),
        "{}",
        stderr(&out)
    );
    let out = sb.run(["credential-process", "--profile", "dev"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("\"Version\": 1") || stdout(&out).contains("\"Version\":1"),
        "{}",
        stdout(&out)
    );
    let out = sb.run(["status", "--check", "--profile", "dev"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let out = sb.run(["console", "--profile", "dev", "--print"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let out = sb.run(["logout", "--profile", "dev"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    for both in [
        &["use", "dev", "--profile", "prod", "--shell", "bash"][..],
        &["exec", "dev", "--profile", "prod", "true"],
        &["login", "--profile", "dev", "prod"],
        &["credential-process", "dev", "--profile", "prod"],
    ] {
        let out = sb.run(both);
        assert_eq!(code(&out), Some(2), "{both:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "", "{both:?}");
        assert!(
            !stderr(&out).contains("-- --profile"),
            "{both:?}: {}",
            stderr(&out)
        );
    }
}

/// Profiles with long names and roles, a role chain, one that does not resolve,
/// and cached credentials: `status` at its widest.
fn wide_status_sandbox() -> Sandbox {
    let sb = Sandbox::new();
    sb.write_config(&format!(
        "{CONFIG}\n[profile a-rather-long-profile-name-for-production]\nsso_session = corp\n\
         sso_account_id = 444444444444\nsso_role_name = AWSReservedSSO_PowerUserAccess_0123456789abcdef\n\
         region = ap-southeast-2\n\
         [profile chained]\nrole_arn = arn:aws:iam::555555555555:role/Deployer\nsource_profile = dev\n\
         [profile orphan]\nsso_session = gone\nsso_account_id = 1\nsso_role_name = R\n"
    ));
    assert!(sb.run(["login", "dev"]).status.success());
    assert!(sb.run(["use", "dev"]).status.success());
    sb
}

/// `status` fits the terminal (COLUMNS, else the terminal's width): no row wraps
/// at 80 columns; the timestamps give way to the time left, long cells end in `…`,
/// and an error is said in full below the table. With room, nothing changes.
#[test]
fn status_fits_80_columns() {
    let sb = wide_status_sandbox();
    let out = sb.cmd(["status"]).env("COLUMNS", "80").output().unwrap();
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let tables = text.split("\nerrors:\n").next().unwrap();
    for line in tables.lines() {
        assert!(
            line.chars().count() <= 80,
            "{} columns: {line}\n{text}",
            line.chars().count()
        );
    }
    let dev = text.lines().find(|l| l.contains(" dev ")).unwrap();
    assert!(
        dev.contains("111111111111") && dev.contains("valid, 5"),
        "{text}"
    );
    let long = text.lines().find(|l| l.contains("a-rather-long-")).unwrap();
    assert!(long.contains('…'), "{text}");
    assert!(
        text.contains("  orphan: profile \"orphan\" in ")
            && text.contains("does not exist: \"gone\""),
        "{text}"
    );
    // A pipe with no COLUMNS: the table as it always was, timestamps and all.
    let wide = stdout(&sb.run(["status"]));
    assert!(
        wide.contains("a-rather-long-profile-name-for-production"),
        "{wide}"
    );
    let dev = wide.lines().find(|l| l.contains(" dev ")).unwrap();
    assert!(dev.contains("Z (") && dev.contains("m left)"), "{wide}");
}

/// The same in a real 80-column terminal (no COLUMNS in the environment): no
/// line of the screen wrapped.
#[test]
fn status_fits_a_real_80_column_terminal() {
    if !have("tmux") || !BASH.available() {
        return;
    }
    let sb = wide_status_sandbox();
    let t = Tmux::in_sandbox(&sb, BASH.interactive);
    assert!(
        t.tmux(&["resize-window", "-t", "t", "-x", "80", "-y", "50"])
            .status
            .success()
    );
    t.line("PS1='$ '; unset COLUMNS; \"$B\" status; echo \"E\"\"ND\"");
    let screen = t.wait_for("END");
    let tables = screen
        .split("PROFILE")
        .nth(1)
        .unwrap()
        .split("errors:")
        .next()
        .unwrap();
    assert!(tables.contains("a-rather-long-"), "{screen}");
    for line in tables.lines() {
        assert!(line.chars().count() <= 80, "wrapped: {line}\n{screen}");
    }
}

/// The README, for what it says about the binary.
fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

/// `profiles --json` has exactly the keys the README and `profiles --help` name.
#[test]
fn profiles_json_keys_are_the_ones_the_readme_and_the_help_name() {
    let sb = Sandbox::new();
    sb.write_config(&format!(
        "{CONFIG}\n[profile chained]\nrole_arn = arn:aws:iam::555555555555:role/Deployer\nsource_profile = dev\n"
    ));
    let out = sb.run(["profiles", "--json"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let keys: std::collections::BTreeSet<String> = v
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p.as_object().unwrap().keys().cloned())
        .collect();
    assert!(
        keys.contains("kind") && keys.contains("role_arn"),
        "{keys:?}"
    );
    let readme = readme();
    let para = readme
        .split("`ssoenv profiles --json` lists the profiles alone")
        .nth(1)
        .unwrap()
        .split("```\n\n")
        .next()
        .unwrap();
    let help = stdout(&sb.run(["profiles", "--help"]));
    for k in &keys {
        assert!(
            para.contains(&format!("`{k}`")),
            "README does not name {k}:\n{para}"
        );
        assert!(
            help.contains(&format!("\"{k}\"")),
            "--help does not name {k}:\n{help}"
        );
    }
}

/// Through the shell function, which adds `--shell bash`: a usage error's
/// usage line shows what the person typed, not the added option.
#[test]
fn a_usage_error_through_the_function_leaves_out_the_added_shell() {
    if !BASH.available() {
        skip("bash is not installed");
        return;
    }
    let sb = Sandbox::new();
    let script = format!(
        "{}\n{}",
        BASH.init(),
        BASH.status_of("ssoenv use dev prod", "rc")
    );
    let out = BASH.run_in(
        &sb,
        &script,
        &[(
            "PATH",
            &format!(
                "{}:/usr/bin:/bin",
                std::path::Path::new(BIN).parent().unwrap().display()
            ),
        )],
    );
    let err = stderr(&out);
    assert!(stdout(&out).contains("rc=2"), "{}\n{err}", stdout(&out));
    assert!(err.contains("Usage: ssoenv use"), "{err}");
    assert!(!err.contains("--shell"), "{err}");
}

/// `exec --help` names every option of ssoenv's that goes before the command.
#[test]
fn exec_help_names_every_option_that_goes_before_the_command() {
    let help = stdout(&Sandbox::new().run(["exec", "--help"]));
    let options = help
        .split("Options:\n")
        .nth(1)
        .unwrap()
        .split("\n\n")
        .next()
        .unwrap();
    let sentence = help
        .split("ssoenv's own options (")
        .nth(1)
        .unwrap()
        .split(')')
        .next()
        .unwrap();
    for line in options.lines() {
        let Some(flag) = line.split_whitespace().find(|w| w.starts_with("--")) else {
            continue;
        };
        if flag != "--help" {
            assert!(
                sentence.contains(flag),
                "{flag} is not in ({sentence}):\n{help}"
            );
        }
    }
}

/// `console --help`'s examples work as typed in zsh with extendedglob, where an
/// unquoted `#` is a glob operator ("no matches found").
#[test]
fn console_help_examples_survive_zsh_extendedglob() {
    if !ZSH.available() {
        return;
    }
    let help = stdout(&Sandbox::new().run(["console", "--help"]));
    let lines: Vec<&str> = help
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("ssoenv console") && !l.contains('|'))
        .collect();
    assert!(lines.iter().any(|l| l.contains("#Instances")), "{help}");
    for line in lines {
        let out = Command::new("zsh")
            .args([
                "-f",
                "-o",
                "extendedglob",
                "-o",
                "interactivecomments",
                "-c",
            ])
            .arg(format!("ssoenv() {{ print -rl -- \"$@\" }}; {line}"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{line}: {}", stderr(&out));
        if line.contains("#Instances") {
            assert!(
                stdout(&out).lines().any(|a| a == "/ec2/home#Instances:"),
                "{line}"
            );
        }
    }
}

/// The emulator's role-credential lifetime is `--credential-seconds` (alias `--role-ttl`)
/// in `--help` and in the README alike.
#[test]
fn the_emulator_names_credential_seconds_as_the_readme_does() {
    let help = stdout(&Sandbox::new().run(["emulator", "--help"]));
    let line = help
        .lines()
        .find(|l| l.contains("Role-credential lifetime"))
        .unwrap();
    assert!(
        line.trim_start().starts_with("--credential-seconds <N>"),
        "{line}"
    );
    assert!(line.contains("--role-ttl"), "{line}");
    assert!(readme().contains("`--credential-seconds N` (alias `--role-ttl`)"));
}

/// The README says what the binary does with SSOENV_INIT: `exec`'s command never sees it.
#[test]
fn ssoenv_init_is_kept_from_exec_children_as_the_readme_says() {
    let sb = Sandbox::new();
    assert!(sb.run(["login", "dev"]).status.success());
    let out = sb
        .cmd([
            "exec",
            "dev",
            "--",
            "sh",
            "-c",
            "echo \"[${SSOENV_INIT-none}]\"",
        ])
        .env("SSOENV_INIT", "bash")
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "[none]\n", "{}", stderr(&out));
    assert!(
        readme().contains("the binary removes it from what `exec` and\n`exec --server` run"),
        "the README still says only \"never exported\""
    );
}
