//! `ssoenv configure` (the `aws configure sso` wizard) and the profile picker
//! of `use`/`exec`: typed into real shells in a tmux pseudo-terminal against
//! the emulator, and their forms without a terminal.

use crate::support;
use support::*;

fn config(sb: &Sandbox) -> String {
    std::fs::read_to_string(sb.home.join(".aws/config")).unwrap()
}

fn bash(sb: &Sandbox) -> Option<Tmux> {
    (have("tmux") && BASH.available()).then(|| Tmux::in_sandbox(sb, BASH.interactive))
}

#[test]
fn the_wizard_asks_logs_in_lets_you_pick_and_writes_a_profile_use_resolves() {
    let sb = Sandbox::new();
    let Some(t) = bash(&sb) else { return };
    t.line("PS1='$ '");
    t.line(&format!(
        "'{BIN}' configure --no-browser; echo \"R\"\"C=$?\""
    ));
    t.wait_for("SSO session name");
    t.line("neo");
    t.wait_for("SSO start URL");
    t.line("http://not-https.example.com/start");
    t.wait_for("https://");
    // Typed over the refused answer: the prompt asks again.
    t.line("https://neo.awsapps.com/start");
    t.wait_for("SSO region");
    t.line("us-east-2");
    t.wait_for("SSO registration scopes");
    t.line("");
    t.wait_for("accounts are available");
    t.pick("prod", "prod");
    t.wait_for("BillingViewer");
    t.keys("bill");
    t.key("Enter");
    t.wait_for("default client Region");
    t.line("eu-central-1");
    t.wait_for("output format");
    t.line("yaml");
    t.wait_for("CLI profile name");
    t.line("");
    let screen = t.wait_for("RC=");
    assert!(screen.contains("RC=0"), "{screen}");
    let text = config(&sb);
    assert!(
        text.starts_with(support::CONFIG),
        "the old file changed:\n{text}"
    );
    assert!(
        text.ends_with(
            "\n[sso-session neo]\nsso_start_url = https://neo.awsapps.com/start\n\
             sso_region = us-east-2\nsso_registration_scopes = sso:account:access\n\n\
             [profile BillingViewer-333333333333]\nsso_session = neo\n\
             sso_account_id = 333333333333\nsso_role_name = BillingViewer\nregion = eu-central-1\n\
             output = yaml\n"
        ),
        "{text}"
    );
    // The token of the login is the one `use` finds: no second login.
    let out = sb.run(["use", "BillingViewer-333333333333", "--shell", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("AWS_ACCESS_KEY_ID"));
    assert!(!stderr(&out).contains("logging in"), "{}", stderr(&out));
    botocore_resolves(
        &sb,
        "BillingViewer-333333333333",
        "333333333333",
        "BillingViewer",
    );
}

/// botocore reads the profile through its sso-session and gets credentials
/// with the token ssoenv cached (skipped where botocore is missing, outside CI).
fn botocore_resolves(sb: &Sandbox, profile: &str, account: &str, role: &str) {
    if !have_botocore() {
        return;
    }
    let script = r#"
import sys, botocore.session
s = botocore.session.Session(profile=sys.argv[1])
c = s.get_scoped_config()
print(c.get('sso_account_id'), c.get('sso_role_name'), s.get_credentials().get_frozen_credentials().access_key[:4])
"#;
    let out = sb.python(script).arg(profile).output().unwrap();
    assert!(out.status.success(), "botocore failed: {}", stderr(&out));
    assert_eq!(stdout(&out), format!("{account} {role} ASIA\n"));
}

#[test]
fn the_wizard_reuses_an_existing_session() {
    let sb = Sandbox::new();
    let Some(t) = bash(&sb) else { return };
    t.line(&format!(
        "'{BIN}' configure --no-browser --sso-session corp --profile stg; echo \"R\"\"C=$?\""
    ));
    t.wait_for("accounts are available");
    t.pick("staging", "staging");
    t.wait_for("> AdministratorAccess");
    t.pick("read", "ReadOnly");
    let roles = t.wait_for("default client Region");
    assert!(roles.contains("existing sso-session \"corp\""), "{roles}");
    t.line("");
    t.wait_for("output format");
    t.line("");
    let screen = t.wait_for("RC=");
    assert!(screen.contains("RC=0"), "{screen}");
    let text = config(&sb);
    // corp is left as it was; the profile has no region.
    assert_eq!(text.matches("[sso-session corp]").count(), 1);
    let tail = &text[support::CONFIG.len()..];
    assert!(
        tail.starts_with("\n[profile stg]\nsso_session = corp\nsso_account_id = 222222222222\n"),
        "{text}"
    );
    assert!(!tail.contains("region ="), "{text}");
}

#[test]
fn every_answer_as_a_flag_asks_nothing_and_needs_no_terminal() {
    let sb = Sandbox::new();
    std::fs::remove_file(sb.home.join(".aws/config")).unwrap();
    let out = sb.run([
        "configure",
        "--sso-session",
        "corp",
        "--start-url",
        "https://d-1234567890.awsapps.com/start",
        "--sso-region",
        "us-east-1",
        "--account-id",
        "111111111111",
        "--role-name",
        "ReadOnly",
        "--region",
        "eu-west-1",
        "--profile",
        "dev",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    assert_eq!(
        config(&sb),
        "[sso-session corp]\nsso_start_url = https://d-1234567890.awsapps.com/start\n\
         sso_region = us-east-1\nsso_registration_scopes = sso:account:access\n\n\
         [profile dev]\nsso_session = corp\nsso_account_id = 111111111111\n\
         sso_role_name = ReadOnly\nregion = eu-west-1\n"
    );
    let out = sb.run(["use", "dev", "--shell", "bash", "--no-browser"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("export AWS_PROFILE='dev'"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn without_a_terminal_missing_answers_are_named_and_nothing_is_written() {
    let sb = Sandbox::new();
    let err = assert_fails(
        &sb.run(["configure", "--sso-session", "new", "--region", "eu-west-1"]),
        2,
        "missing: --start-url --sso-region --account-id --role-name",
    );
    assert!(!err.lines().next().unwrap().contains("--region"), "{err}");
    // An existing session needs no URL or region.
    let err = assert_fails(
        &sb.run(["configure", "--sso-session", "corp"]),
        2,
        "missing:",
    );
    assert!(err.contains("--account-id --role-name --region"), "{err}");
    assert!(
        !err.lines().next().unwrap().contains("--start-url"),
        "{err}"
    );
    assert_eq!(config(&sb), support::CONFIG);
}

#[test]
fn a_session_or_profile_with_other_values_is_an_error_and_the_file_is_untouched() {
    let sb = Sandbox::new();
    let before = std::fs::metadata(sb.home.join(".aws/config"))
        .unwrap()
        .modified()
        .unwrap();
    let base = [
        "configure",
        "--sso-region",
        "us-east-1",
        "--account-id",
        "111111111111",
        "--role-name",
        "ReadOnly",
        "--region",
        "eu-west-1",
    ];
    let mut args: Vec<&str> = base.to_vec();
    args.extend([
        "--sso-session",
        "corp",
        "--start-url",
        "https://other.awsapps.com/start",
    ]);
    assert_fails(
        &sb.run(&args),
        2,
        "[sso-session corp] already exists with other values",
    );
    let mut args: Vec<&str> = base.to_vec();
    args.extend(["--sso-session", "corp", "--profile", "dev"]);
    assert_fails(
        &sb.run(&args),
        2,
        "[profile dev] already exists with other values",
    );
    assert_eq!(config(&sb), support::CONFIG);
    let after = std::fs::metadata(sb.home.join(".aws/config"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after);
    assert!(!sb.home.join(".aws/config.ssoenv-bak").exists());
}

#[test]
fn bad_answers_given_as_flags_are_refused() {
    let sb = Sandbox::new();
    let run = |extra: [&str; 2]| {
        let mut a = vec![
            ("--sso-session", "new"),
            ("--start-url", "https://x.awsapps.com/start"),
            ("--sso-region", "us-east-1"),
            ("--account-id", "111111111111"),
            ("--role-name", "R"),
            ("--region", "eu-west-1"),
        ];
        a.retain(|(k, _)| *k != extra[0]);
        a.push((extra[0], extra[1]));
        let argv = std::iter::once("configure").chain(a.into_iter().flat_map(|(k, v)| [k, v]));
        sb.run(argv.collect::<Vec<_>>())
    };
    assert_fails(
        &run(["--start-url", "http://x/start"]),
        2,
        "not an https:// URL",
    );
    assert_fails(&run(["--region", "eu west"]), 2, "not a region name");
    assert_fails(&run(["--profile", "a\u{1b}]0;x"]), 2, "control character");
    assert_fails(&run(["--account-id", "12"]), 2, "12-digit");
    assert_fails(&run(["--output", "xml"]), 2, "not an output format");
    assert_eq!(config(&sb), support::CONFIG);
}

/// A value the wizard takes from an existing `[sso-session]` is the file's,
/// not a flag's: an emulator's loopback start URL is taken as it stands, and
/// a bad value is blamed on the section and the file, never on `--start-url`.
#[test]
fn an_existing_sessions_values_are_checked_as_the_files_not_as_flags() {
    let sb = Sandbox::new();
    let url = sb.emu.url();
    let configure = |session: &str| {
        sb.run([
            "configure",
            "--sso-session",
            session,
            "--account-id",
            "111111111111",
            "--role-name",
            "ReadOnly",
            "--region",
            "eu-west-1",
            "--profile",
            "mine",
        ])
    };
    // What `ssoenv emulator` printed before its start URL was https://.
    let emulator = format!(
        "[sso-session ssoenv-emulator]\nsso_start_url = {url}/start\nsso_region = us-east-1\n\
         sso_registration_scopes = sso:account:access\n"
    );
    sb.write_config(&emulator);
    let out = configure("ssoenv-emulator");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(config(&sb).contains("[profile mine]\nsso_session = ssoenv-emulator\n"));

    let bad =
        "[sso-session old]\nsso_start_url = http://corp.example/start\nsso_region = us-east-1\n";
    sb.write_config(bad);
    let err = assert_fails(
        &configure("old"),
        2,
        "sso_start_url of [sso-session old] in ",
    );
    assert!(
        err.contains(".aws/config: http://corp.example/start is not an https:// URL"),
        "{err}"
    );
    assert!(!err.contains("--start-url:"), "{err}");
    assert!(
        err.contains("hint: fix it in [sso-session old], or give --start-url"),
        "{err}"
    );
    let bad_region =
        "[sso-session r]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = east\n";
    sb.write_config(bad_region);
    let err = assert_fails(&configure("r"), 2, "sso_region of [sso-session r] in ");
    assert!(!err.contains("--sso-region:"), "{err}");
    assert_eq!(config(&sb), bad_region);
}

/// `eval "$(ssoenv use)"` in a real shell: the list is on the terminal,
/// typing filters it, Enter gives the shell that profile.
#[test]
fn the_picker_filters_and_enter_gives_the_shell_that_profile() {
    let sb = Sandbox::new();
    let Some(t) = bash(&sb) else { return };
    t.line(&format!(
        "eval \"$('{BIN}' use --shell bash --no-browser)\"; echo \"P\"\"=[$AWS_PROFILE]\""
    ));
    t.wait_for("legacy");
    t.pick("pro", "prod");
    let s = t.wait_for("P=[");
    assert!(s.contains("P=[prod]"), "{s}");
}

#[test]
fn esc_cancels_the_picker_with_130_and_no_output() {
    let sb = Sandbox::new();
    let Some(t) = bash(&sb) else { return };
    t.line("export AWS_REGION=keep");
    t.line(&format!("out=$('{BIN}' use --shell bash); echo \"r\"\"c=$? out=[$out] P=[$AWS_PROFILE] R=[$AWS_REGION]\""));
    t.wait_for("legacy");
    t.key("Escape");
    let s = t.wait_for("rc=1");
    assert!(s.contains("rc=130 out=[] P=[] R=[keep]"), "{s}");
}

#[test]
fn ctrl_c_in_the_picker_ends_it_with_the_cursor_shown_again() {
    let sb = Sandbox::new();
    let Some(t) = bash(&sb) else { return };
    t.line(&format!(
        "out=$('{BIN}' use --shell bash); echo \"c\"\"c=$? out=[$out]\""
    ));
    t.wait_for("legacy");
    let hidden = t.tmux(&["display", "-p", "-t", "t", "#{cursor_flag}"]);
    assert_eq!(stdout(&hidden).trim(), "0", "the list hides the cursor");
    // bash drops the whole line on Ctrl-C, as for any command.
    t.key("C-c");
    t.line("echo \"c\"\"c=[$out]\"");
    let s = t.wait_for("cc=");
    assert!(s.contains("cc=[]"), "{s}");
    let shown = t.tmux(&["display", "-p", "-t", "t", "#{cursor_flag}"]);
    assert_eq!(stdout(&shown).trim(), "1", "{s}");
}

#[test]
fn exec_with_no_profile_picks_one_on_a_terminal() {
    let sb = Sandbox::new();
    let Some(t) = bash(&sb) else { return };
    t.line(&format!(
        "'{BIN}' exec --no-browser -- sh -c 'echo \"X=[$AWS_PROFILE]\"'; echo \"R\"\"C=$?\""
    ));
    t.wait_for("legacy");
    t.keys("dev");
    t.key("Enter");
    let s = t.wait_for("RC=");
    assert!(s.contains("X=[dev]") && s.contains("RC=0"), "{s}");
}

#[test]
fn without_a_terminal_use_and_exec_list_the_profiles_as_before() {
    let sb = Sandbox::new();
    let err = assert_fails(&sb.run(["use"]), 2, "which profile?");
    assert!(err.contains("prod") && err.contains("legacy"), "{err}");
    let err = assert_fails(&sb.run(["exec", "--", "true"]), 2, "which profile?");
    assert!(err.contains("dev"), "{err}");
    // `exec -- CMD` with AWS_PROFILE runs CMD with that profile.
    let out = sb
        .cmd(["exec", "--", "sh", "-c", "echo $AWS_PROFILE"])
        .env("AWS_PROFILE", "dev")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "dev\n");
}

/// `ssoenv use` with no argument through the `ssoenv init` function, in each shell.
fn picker_through_the_init_function(sh: &RealShell, prompt: &str) {
    if !have("tmux") || !sh.available() {
        return;
    }
    let shell = sh.name;
    let show = "echo \"P\"\"=[$AWS_PROFILE]\"";
    let sb = Sandbox::new();
    let t = Tmux::in_sandbox(&sb, sh.interactive);
    t.line(&format!("{prompt}; {}", sh.init()));
    // Esc: the function changes nothing.
    t.line("ssoenv use");
    t.wait_for("Esc to cancel");
    t.key("Escape");
    // A key typed right after Esc would make an Alt sequence with it.
    t.wait_gone("Esc to cancel");
    t.line(&show.replace("\"P\"", "\"Q\""));
    let s = t.wait_for("Q=[");
    assert!(s.contains("Q=[]"), "{shell}:\n{s}");
    t.line("ssoenv use --no-browser");
    t.wait_for("legacy");
    t.pick("prod", "prod");
    t.line(show);
    let s = t.wait_for("P=[");
    assert!(s.contains("P=[prod]"), "{shell}:\n{s}");
}

#[test]
fn the_picker_works_through_the_bash_function() {
    picker_through_the_init_function(&BASH, "PS1='$ '");
}

#[test]
fn the_picker_works_through_the_zsh_function() {
    picker_through_the_init_function(&ZSH, "PROMPT='%# '");
}

#[test]
fn the_picker_works_through_the_fish_function() {
    picker_through_the_init_function(&FISH, "true");
}

#[test]
fn exec_with_a_profile_and_no_command_starts_the_shell() {
    use std::io::Write;
    let sb = Sandbox::new();
    let mut child = sb
        .cmd(["exec", "dev", "--no-browser"])
        .env("SHELL", "/bin/sh")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"echo \"in=$AWS_PROFILE\"\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "in=dev\n");
    assert_stderr_has(&out, "starting /bin/sh");
}

/// `chmod 444 ~/.aws/config` means "do not touch": the wizard says so before
/// it asks anything (on a terminal) and with every flag given, exit 1, the
/// file untouched, no login.
#[test]
fn a_read_only_config_is_refused_before_the_wizard_asks_anything() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    let path = sb.home.join(".aws/config");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let c = sb.cmd(["configure"]);
    if let Some(out) = in_pty(&c, "", sb.dir.path()) {
        assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
        let screen = stdout(&out);
        assert!(screen.contains("is read-only (mode 0444)"), "{screen}");
        assert!(!screen.contains("SSO session name"), "{screen}");
    } else {
        skip("script (util-linux) is not installed");
    }
    let out = sb.run([
        "configure",
        "--sso-session",
        "corp",
        "--account-id",
        "111111111111",
        "--role-name",
        "ReadOnly",
        "--region",
        "eu-west-1",
        "--profile",
        "new",
    ]);
    let err = assert_fails(&out, 1, "is read-only (mode 0444)");
    assert!(err.contains("chmod u+w"), "{err}");
    assert_eq!(config(&sb), support::CONFIG);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o444);
    assert!(!sb.home.join(".aws/config.ssoenv-bak").exists());
    assert_eq!(sb.emu.stats().start_device_authorization, 0);
}

/// `AWS_PROFILE` naming a profile ssoenv cannot use (static keys): without a
/// terminal the error says where the name came from and to unset it; a
/// non-SSO profile's hint is `ssoenv configure`, and one whose
/// `credential_process` runs ssoenv names the profile it uses.
#[test]
fn a_profile_from_aws_profile_that_ssoenv_cannot_use_says_so_and_how() {
    let sb = Sandbox::new();
    sb.write_config(&format!(
        "{CONFIG}\n[profile prod-cp]\ncredential_process = ssoenv credential-process prod\n"
    ));
    let out = sb
        .cmd(["use"])
        .env("AWS_PROFILE", "static")
        .output()
        .unwrap();
    let err = assert_fails(&out, 2, "not an IAM Identity Center (SSO) profile");
    assert!(
        err.contains("hint: the name comes from AWS_PROFILE: unset AWS_PROFILE or name a profile"),
        "{err}"
    );
    assert!(err.contains("ssoenv configure --profile static"), "{err}");
    assert!(!err.contains("aws configure sso"), "{err}");
    let out = sb
        .cmd(["login"])
        .env("AWS_PROFILE", "nope")
        .output()
        .unwrap();
    let err = assert_fails(&out, 2, "profile \"nope\" not found");
    assert!(err.contains("unset AWS_PROFILE"), "{err}");
    // Named on the command line: nothing about AWS_PROFILE.
    let err = assert_fails(&sb.run(["use", "prod-cp"]), 2, "credential_process");
    assert!(
        err.contains(
            "its credentials come from ssoenv's profile \"prod\": name that one (`ssoenv use prod`)"
        ),
        "{err}"
    );
    assert!(!err.contains("AWS_PROFILE"), "{err}");
}

/// On a terminal, `AWS_PROFILE` naming an unusable profile opens the picker
/// (after saying why) instead of failing.
#[test]
fn a_profile_from_aws_profile_that_ssoenv_cannot_use_opens_the_picker_on_a_terminal() {
    let sb = Sandbox::new();
    let Some(t) = bash(&sb) else { return };
    t.line(&format!(
        "PS1='$ '; export AWS_PROFILE=static; {}",
        BASH.init()
    ));
    t.line("ssoenv use --no-browser");
    let s = t.wait_for("Esc to cancel");
    assert!(
        s.contains("AWS_PROFILE names a profile ssoenv cannot use"),
        "{s}"
    );
    t.pick("prod", "prod");
    t.line("echo \"P\"\"=[$AWS_PROFILE]\"");
    let s = t.wait_for("P=[");
    assert!(s.contains("P=[prod]"), "{s}");
}

/// The wizard lists the config's sso-sessions and offers the first as the default: Enter
/// reuses it (no start URL or region asked).
#[test]
fn the_wizard_offers_the_existing_sso_sessions_as_a_list_and_default() {
    let sb = Sandbox::new();
    let Some(t) = bash(&sb) else { return };
    t.line("PS1='$ '");
    t.line(&format!(
        "'{BIN}' configure --no-browser; echo \"R\"\"C=$?\""
    ));
    let s = t.wait_for("SSO session name");
    assert!(s.contains("sso-sessions in "), "{s}");
    assert!(
        s.contains("    corp  https://d-1234567890.awsapps.com/start  us-east-1"),
        "{s}"
    );
    assert!(s.contains("corp"), "{s}");
    t.key("Enter");
    let s = t.wait_for("account (type to filter)");
    assert!(s.contains("using the existing sso-session \"corp\""), "{s}");
    assert!(!s.contains("SSO start URL"), "{s}");
    t.key("Escape");
    t.wait_for("RC=130");
}

/// An empty answer to a required question says it is required; Ctrl-C then ends the
/// wizard on a clean line: fish marks a last line left unfinished with `⏎`, and shows none.
#[test]
fn an_empty_required_answer_is_told_and_ctrl_c_leaves_the_line_clean() {
    if !have("tmux") || !FISH.available() {
        return;
    }
    let sb = Sandbox::new();
    sb.write_config("[default]\nregion = us-east-1\n");
    let t = Tmux::in_sandbox(&sb, FISH.interactive);
    t.line(&format!("'{BIN}' configure --no-browser"));
    t.wait_for("SSO session name");
    t.key("Enter");
    t.wait_for("an answer is required");
    t.key("C-c");
    t.line("echo \"D\"\"ONE\"");
    let s = t.wait_for("DONE");
    assert!(
        !s.lines()
            .any(|l| l.contains("SSO session name") && l.contains('⏎')),
        "the wizard's line was left unfinished:\n{s}"
    );
}

/// With every answer given as a flag, the wizard asks nothing on a terminal either.
#[test]
fn the_wizard_asks_nothing_when_every_answer_is_a_flag() {
    let sb = Sandbox::new();
    let Some(t) = bash(&sb) else { return };
    t.line("PS1='$ '");
    t.line(&format!(
        "'{BIN}' configure --sso-session neo --start-url https://neo.awsapps.com/start \
         --sso-region us-east-2 --account-id 111111111111 --role-name ReadOnly --region eu-west-1; \
         echo \"R\"\"C=$?\""
    ));
    let s = t.wait_for("RC=");
    assert!(s.contains("RC=0"), "{s}");
    for question in [
        "output format",
        "CLI profile name",
        "scopes",
        "SSO session name",
    ] {
        assert!(!s.contains(question), "asked {question:?}:\n{s}");
    }
    let text = config(&sb);
    assert!(
        text.contains("[profile ReadOnly-111111111111]\nsso_session = neo\nsso_account_id = 111111111111\nsso_role_name = ReadOnly\nregion = eu-west-1\n"),
        "{text}"
    );
}

/// A config with 30 more SSO profiles than the sandbox's, one whose name holds
/// the letters of "read" in order.
fn many_profiles(sb: &Sandbox) {
    let mut text = format!(
        "{CONFIG}\n[profile research-and-dev]\nsso_session = corp\nsso_account_id = 444444444444\nsso_role_name = Admin\n"
    );
    for i in 1..=30 {
        text.push_str(&format!(
            "[profile p{i:02}]\nsso_session = corp\nsso_account_id = 1000000000{i:02}\nsso_role_name = R{}\n",
            "x".repeat(i % 7)
        ));
    }
    sb.write_config(&text);
}

/// The picker: as many rows as the terminal has (a "more" line when they do not all
/// fit), aligned columns, the name matched before the rest of the row, and Ctrl-C
/// clearing the list and cancelling as Esc does.
#[test]
fn the_picker_fills_the_terminal_aligns_columns_prefers_names_and_ctrl_c_cancels() {
    let sb = Sandbox::new();
    many_profiles(&sb);
    let Some(t) = bash(&sb) else { return };
    t.line("PS1='$ '");
    t.line(&format!(
        "out=$('{BIN}' use --shell bash); echo \"c\"\"c=$? out=[$out]\""
    ));
    let s = t.wait_for("Esc to cancel");
    let rows: Vec<&str> = s
        .lines()
        .filter(|l| (l.starts_with("  ") || l.starts_with("> ")) && l.contains("sso-session corp"))
        .collect();
    // 34 profiles (33 of sso-session corp, and legacy) in a 50-line terminal: all of
    // them, not 15.
    assert_eq!(rows.len(), 33, "{s}");
    assert!(s.contains("  legacy "), "{s}");
    let column = |l: &str| l.find("sso-session corp").unwrap();
    assert!(
        rows.iter().all(|r| column(r) == column(rows[0])),
        "not aligned:\n{s}"
    );
    // "read": research-and-dev (the name) before prod and legacy (their role).
    t.keys("read");
    let s = t.wait_for("> research-and-dev");
    assert!(s.contains("  prod "), "{s}");
    // Ctrl-C: the list is cleared and the command cancelled (130, nothing on stdout).
    t.key("C-c");
    let s = t.wait_for("cc=");
    assert!(s.contains("cc=130 out=[]"), "{s}");
    t.line("clear");
    t.wait_gone("research-and-dev");
    // A shorter terminal: fewer rows, and a line saying how many more there are.
    assert!(
        t.tmux(&["resize-window", "-t", "t", "-x", "120", "-y", "15"])
            .status
            .success()
    );
    t.line(&format!(
        "'{BIN}' use --shell bash >/dev/null; echo \"d\"\"d=$?\""
    ));
    let s = t.wait_for("Esc to cancel");
    assert!(s.contains("… 22 more (0 above, 22 below"), "{s}");
    t.key("Escape");
    t.wait_for("dd=130");
}

/// The picker shows account names: a profile's `sso_account_name` (as aws-sso-util
/// writes it), else the name the portal gave when `ssoenv accounts` last listed the
/// accounts (kept in ssoenv's own cache, 0600); the column is aligned, escaped, and
/// typing an account name finds its profile.
#[test]
fn the_picker_shows_account_names_from_the_config_and_from_the_portal() {
    let sb = Sandbox::new();
    sb.write_config(&CONFIG.replace(
        "[profile prod]\n",
        "[profile prod]\nsso_account_name = Prod \u{202e}Org\n",
    ));
    let names = sb.home.join(".cache/ssoenv/account-names.json");
    let out = sb.run(["accounts", "--sso-session", "corp"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&names).unwrap();
    assert!(text.contains("\"222222222222\": \"staging\""), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&names).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let Some(t) = bash(&sb) else { return };
    t.line("PS1='$ '");
    t.line(&format!(
        "out=$('{BIN}' use --shell bash); echo \"c\"\"c=$? out=[$out]\""
    ));
    let s = t.wait_for("Esc to cancel");
    let row = |name: &str| -> String {
        s.lines()
            .find(|l| {
                l.get(2..)
                    .is_some_and(|r| r.starts_with(&format!("{name} ")))
            })
            .unwrap_or_else(|| panic!("no row for {name}:\n{s}"))
            .to_owned()
    };
    let words = |l: &str| {
        l[2..]
            .split_whitespace()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    // From the portal (through the cache): dev's own session, and legacy's account
    // as the corp portal named it.
    assert_eq!(
        words(&row("dev"))[..3],
        ["dev", "dev", "111111111111"],
        "{s}"
    );
    assert_eq!(
        words(&row("legacy"))[..4],
        ["legacy", "staging", "222222222222", "ReadOnly"],
        "{s}"
    );
    // From the config, bidi override escaped.
    assert!(
        row("prod").contains("prod    Prod \\u{202e}Org  333333333333  ReadOnly"),
        "{s}"
    );
    let column = |l: String| {
        l.find("1111")
            .or(l.find("2222"))
            .or(l.find("3333"))
            .unwrap()
    };
    assert_eq!(column(row("dev")), column(row("prod")), "not aligned:\n{s}");
    assert_eq!(
        column(row("dev")),
        column(row("legacy")),
        "not aligned:\n{s}"
    );
    // "stag" is in no profile's name: legacy is found by its account name.
    t.keys("stag");
    let s = t.wait_for("> legacy");
    assert!(!s.contains("  dev "), "{s}");
    t.key("Escape");
    t.wait_for("cc=130 out=[]");
}
