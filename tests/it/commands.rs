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
    assert_fails(&sb.run(["status", "dev"]), 2, "--check");
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

#[test]
fn the_emulator_prints_exports_and_a_config_that_works_as_pasted() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let mut child = Child(
        Command::new(BIN)
            .args([
                "emulator",
                "--port",
                "0",
                "--interval",
                "0",
                "--approve-after",
                "0",
            ])
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
    let url = banner
        .lines()
        .find_map(|l| l.strip_prefix("  export AWS_ENDPOINT_URL_SSO_OIDC="))
        .unwrap_or_else(|| panic!("no export in:\n{banner}"))
        .to_owned();
    assert!(
        banner.contains(&format!("  export AWS_ENDPOINT_URL_SSO={url}\n")),
        "{banner}"
    );
    // Without it a role-chaining profile would call the real STS.
    assert!(
        banner.contains(&format!("  export AWS_ENDPOINT_URL_STS={url} ")),
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
        "{snippet}\n[profile chained]\nrole_arn = arn:aws:iam::222222222222:role/Deploy\nsource_profile = dev-AdministratorAccess\n"
    );
    std::fs::write(home.join(".aws/config"), config).unwrap();
    let run = |args: &[&str]| {
        Command::new(BIN)
            .args(args)
            .env_clear()
            .env("HOME", home)
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("AWS_ENDPOINT_URL_SSO_OIDC", &url)
            .env("AWS_ENDPOINT_URL_SSO", &url)
            .env("AWS_ENDPOINT_URL_STS", &url)
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
