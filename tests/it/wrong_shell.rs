//! Code for one shell evaluated by another (issue 19, item 1): `eval "$(ssoenv use prod
//! --shell fish)"` in bash, `ssoenv use prod --shell bash | source` in fish, PowerShell or
//! JSON in any of them. The wrong shell must print errors and change nothing: it survives
//! (an interactive shell, no errexit given), its options and variables are as they were,
//! and nothing in a value runs. Code for the same family (bash, zsh and sh print the same
//! POSIX code) still works there.

use crate::support;

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::{Sandbox, have, stderr, stdout};

/// A profile name that would run `touch` in whichever shell misreads its quoting: a
/// backslash before a quote, a lone quote, and block ends of both families.
const HOSTILE: &str = "z\\'; fi; end; touch PWNED; if true; then $(touch PWNED) `touch PWNED` \\";

/// The evaluating shells: (program, args for an interactive shell reading stdin).
const EVALUATORS: [(&str, &[&str]); 4] = [
    ("bash", &["--noprofile", "--norc", "-i"]),
    ("zsh", &["-f", "-i"]),
    ("dash", &["-i"]),
    ("fish", &["--no-config"]),
];

/// The outputs (`--shell NAME`) and the evaluators that read them as their own.
fn same_family(output: &str, evaluator: &str) -> bool {
    match output {
        "bash" | "zsh" | "sh" => evaluator != "fish",
        "fish" => evaluator == "fish",
        _ => false,
    }
}

/// Run the code in `file` in `evaluator` as its user would (`eval "$(cat FILE)"`, fish:
/// `source FILE`), with AWS_PROFILE, SSOENV_PROFILE and AWS_REGION set to `keep`. Returns
/// the line the shell prints afterwards (None when the shell did not survive) and stderr.
fn evaluate(evaluator: &str, args: &[&str], file: &Path, dir: &Path) -> (Option<String>, String) {
    let file = file.display();
    let lines: Vec<String> = if evaluator == "fish" {
        vec![format!(
            "set -gx AWS_PROFILE keep; set -gx SSOENV_PROFILE keep; set -gx AWS_REGION keep\n\
             source '{file}'\n\
             set -q AWS_ACCESS_KEY_ID; and set -l key set; or set -l key unset\n\
             echo \"survived profile=$AWS_PROFILE ssoenv=$SSOENV_PROFILE region=$AWS_REGION key=$key\"\n"
        )]
    } else {
        // `$-` before and after (zsh drops its line editor, Z, reading a pipe): `set -gx …`
        // in zsh turns on xtrace, `set -e` errexit.
        vec![
            "PS1=@ready@\n".to_owned(),
            "export AWS_PROFILE=keep SSOENV_PROFILE=keep AWS_REGION=keep\n".to_owned(),
            "before=$(echo \"$-\" | tr -d Z)\n".to_owned(),
            format!("eval \"$(cat '{file}')\"\n"),
            "echo \"survived profile=${AWS_PROFILE-unset} ssoenv=${SSOENV_PROFILE-unset} region=${AWS_REGION-unset} key=$(test -n \"${AWS_ACCESS_KEY_ID+x}\" && echo set || echo unset) options=$(after=$(echo \"$-\" | tr -d Z); [ \"$after\" = \"$before\" ] && echo same || echo \"$before->$after\")\"\n".to_owned(),
        ]
    };
    let mut child = Command::new(evaluator)
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("HOME", dir)
        .env("PATH", "/usr/bin:/bin")
        .env("TERM", "dumb")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // One line at a time, each after the shell's prompt for it, as typed on a terminal: an
    // interactive dash drops the input it has already read when a command fails to parse.
    let mut err_pipe = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut all = Vec::new();
        let mut buf = [0u8; 4096];
        while let Ok(n @ 1..) = err_pipe.read(&mut buf) {
            all.extend_from_slice(&buf[..n]);
            let _ = tx.send(String::from_utf8_lossy(&all).matches("@ready@").count());
        }
        String::from_utf8_lossy(&all).into_owned()
    });
    let mut stdin = child.stdin.take().unwrap();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 && evaluator != "fish" {
            // The prompt after line i-1 (PS1 is set by line 0).
            let deadline = Instant::now() + Duration::from_secs(20);
            let mut ready = false;
            while let Ok(count) =
                rx.recv_timeout(deadline.saturating_duration_since(Instant::now()))
            {
                if count >= i {
                    ready = true;
                    break;
                }
            }
            if !ready {
                break;
            }
        }
        if stdin.write_all(line.as_bytes()).is_err() {
            break;
        }
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let err = reader.join().unwrap();
    let line = stdout(&out)
        .lines()
        .find_map(|l| l.find("survived ").map(|i| l[i..].to_owned()));
    (line, err)
}

#[test]
fn code_for_another_shell_fails_harmlessly_and_code_for_the_same_family_works() {
    let sb = Sandbox::new();
    let mut config = std::fs::read_to_string(sb.home.join(".aws/config")).unwrap();
    config.push_str(&format!(
        "[profile {}]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = AdministratorAccess\nregion = eu-west-1\n",
        shell_words::quote(HOSTILE)
    ));
    sb.write_config(&config);
    let dir = sb.dir.path().join("eval");
    std::fs::create_dir_all(&dir).unwrap();

    let mut checked = 0;
    // Every output of the registry, so that a new shell's is checked without a list here.
    for output in ssoenv::shell::Shell::ALL.map(|s| s.name()) {
        for (profile, command) in [
            (Some("dev"), vec!["use", "dev"]),
            (Some(HOSTILE), vec!["use", HOSTILE]),
            (None, vec!["unset"]),
        ] {
            let mut args = command.clone();
            args.extend(["--shell", output]);
            let out = sb.run(&args);
            assert!(out.status.success(), "{args:?}: {}", stderr(&out));
            let file = dir.join(format!("out.{output}"));
            std::fs::write(&file, &out.stdout).unwrap();
            for (evaluator, eval_args) in EVALUATORS {
                if !have(evaluator) {
                    continue;
                }
                let what = format!("{args:?} evaluated by {evaluator}");
                let (line, err) = evaluate(evaluator, eval_args, &file, &dir);
                let line = line
                    .unwrap_or_else(|| panic!("{what}: the shell did not survive\nstderr: {err}"));
                assert!(
                    !dir.join("PWNED").exists(),
                    "{what}: a value ran as code\n{line}\n{err}"
                );
                let expected = if !same_family(output, evaluator) {
                    "profile=keep ssoenv=keep region=keep key=unset".to_owned()
                } else if let Some(profile) = profile {
                    format!("profile={profile} ssoenv={profile} region=eu-west-1 key=set")
                } else if evaluator == "fish" {
                    "profile= ssoenv= region= key=unset".to_owned()
                } else {
                    "profile=unset ssoenv=unset region=unset key=unset".to_owned()
                };
                let rest = line.strip_prefix("survived ").unwrap();
                assert!(
                    rest.starts_with(&expected),
                    "{what}: expected {expected:?}, got {rest:?}\nstderr: {err}"
                );
                if evaluator != "fish" {
                    assert!(
                        rest.ends_with("options=same"),
                        "{what}: the shell's options changed: {rest}\nstderr: {err}"
                    );
                }
                checked += 1;
            }
        }
    }
    // The shells exist here (or CI failed in `have`): every pair ran.
    assert!(checked > 0 || std::env::var_os("CI").is_none());
}
