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
