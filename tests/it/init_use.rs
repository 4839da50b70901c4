//! `ssoenv use` through the shell function against the local emulator: the
//! session lands in the shell, the prompt shows it, and auto-renewal near
//! expiry re-exports real credentials without a login.

use crate::support;

use std::process::Command;
use support::{BIN, FISH, RealShell, Sandbox, for_each_shell, stderr, stdout};

/// `script` in `shell` (strict mode) against the sandbox; it must succeed.
fn run(sb: &Sandbox, shell: &RealShell, script: &str) -> String {
    let out = shell.run_in(sb, script, &[("NO_COLOR", "1")]);
    assert!(out.status.success(), "{}: {}", shell.name, stderr(&out));
    stdout(&out)
}

#[test]
fn use_through_the_function_exports_the_session_and_auto_renew_refreshes_it() {
    let sb = Sandbox::new();
    for_each_shell(|sh| {
        let shell = sh.name;
        let (prompt, hook, soon) = match shell {
            "bash" => (
                "PS1='P> '",
                "eval \"$PROMPT_COMMAND\"",
                "export SSOENV_AUTO_RENEW=1 SSOENV_EXPIRATION=$((EPOCHSECONDS + 100))",
            ),
            "zsh" => (
                "PROMPT='P> '",
                "for f in $precmd_functions; do $f; done",
                "export SSOENV_AUTO_RENEW=1 SSOENV_EXPIRATION=$((EPOCHSECONDS + 100))",
            ),
            _ => (
                "function fish_prompt; printf 'P> '; end",
                "emit fish_prompt",
                "set -gx SSOENV_AUTO_RENEW 1; set -gx SSOENV_EXPIRATION (math (date +%s) + 100)",
            ),
        };
        let script = format!(
            "{prompt}; {}\n{}\n{hook}\n\
             echo \"profile=$AWS_PROFILE key=$AWS_ACCESS_KEY_ID region=$AWS_REGION seg=$SSOENV_SEGMENT\"\n\
             {soon}\n{hook}\necho \"after=$SSOENV_SEGMENT_STATE\"\n",
            sh.init(),
            sh.status_of("ssoenv use dev 2>/dev/null", "rc")
        );
        let out = run(&sb, sh, &script);
        assert!(out.contains("rc=0\n"), "{shell}: {out}");
        assert!(out.contains("profile=dev key=ASIA"), "{shell}: {out}");
        assert!(out.contains("region=eu-west-1"), "{shell}: {out}");
        assert!(
            out.contains("seg=dev 59m") || out.contains("seg=dev 1h00m"),
            "{shell}: {out}"
        );
        // 100 s left with SSOENV_AUTO_RENEW=1: the hook got fresh expiry from the cache, quietly.
        assert!(out.contains("after=ok"), "{shell}: {out}");
    });
    // One device login in all: later `use` calls and renewals reuse the token.
    assert_eq!(sb.emu.stats().start_device_authorization, 1);
}

/// fish: `set -e` of an absent variable returns 4 and `set` passes a status on, so the
/// code `use` and `unset` print must end with status 0 or `… | source; and aws …` stops.
#[test]
fn fish_use_and_unset_leave_status_zero_when_erasing_absent_variables() {
    if !FISH.available() {
        return;
    }
    let sb = Sandbox::new();
    // AWS_SECURITY_TOKEN is never set here, and `use` erases it; the second `unset`
    // erases only absent variables.
    let raw = "\"$B\" use dev 2>/dev/null | source; echo use=$status\n\
               \"$B\" use dev 2>/dev/null | source; and echo and-ran\n\
               \"$B\" unset | source; echo unset=$status\n\
               \"$B\" unset | source; echo unset-again=$status\n";
    let out = run(&sb, &FISH, raw);
    assert_eq!(
        out, "use=0\nand-ran\nunset=0\nunset-again=0\n",
        "raw pipeline"
    );
    let func = "function fish_prompt; printf 'P> '; end; \"$B\" init fish | source\n\
                ssoenv use dev 2>/dev/null; echo use=$status\n\
                ssoenv use dev 2>/dev/null; and echo and-ran\n\
                ssoenv unset; echo unset=$status\n\
                ssoenv unset; and echo unset-again=$status\n\
                emit fish_prompt; echo prompt=$status\n";
    let out = run(&sb, &FISH, func);
    assert_eq!(
        out, "use=0\nand-ran\nunset=0\nunset-again=0\nprompt=0\n",
        "init function"
    );
}

#[test]
fn init_sh_says_there_is_no_integration_and_how_to_use_sh() {
    let out = Command::new(BIN)
        .args(["init", "sh"])
        .env_clear()
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no shell integration for sh"), "{err}");
    assert!(
        err.contains("eval \"$(ssoenv use PROFILE --shell sh)\""),
        "{err}"
    );
}

/// `ssoenv use … 2>/dev/null` through the function silences the binary's
/// errors in every shell (fish 3.6 does not apply a function's redirection to
/// a command substitution inside it: the fish function uses a pipeline), and
/// the status still says what went wrong.
#[test]
fn a_redirection_of_the_function_silences_the_binarys_errors() {
    let sb = Sandbox::new();
    for_each_shell(|sh| {
        let script = format!(
            "{}\n{}\n",
            sh.init(),
            sh.status_of("ssoenv use no-such-profile 2>/dev/null", "rc")
        );
        let out = sh.run_in(&sb, &script, &[("NO_COLOR", "1")]);
        assert!(
            stdout(&out).contains("rc=2"),
            "{}: {}",
            sh.name,
            stdout(&out)
        );
        assert_eq!(stderr(&out), "", "{}: nothing on stderr", sh.name);
    });
}

/// The function keeps the path of the binary that printed it. Once that file is gone
/// (`dpkg -r`, a move, another way of installing; issue 19, item 11) it runs the ssoenv on
/// PATH; with none there it says so (127) and the shell goes on.
#[test]
fn the_function_falls_back_to_ssoenv_on_path_once_its_binary_is_gone() {
    let sb = Sandbox::new();
    for_each_shell(|sh| {
        let shell = sh.name;
        let dir = tempfile::tempdir().unwrap();
        let copies: Vec<std::path::PathBuf> = ["first", "bin"]
            .iter()
            .map(|d| {
                let path = dir.path().join(d).join("ssoenv");
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::copy(BIN, &path).unwrap();
                path
            })
            .collect();
        let (first, on_path) = (copies[0].display(), copies[1].display());
        let script = format!(
            "{init}\nrm '{first}'\n{used}\necho \"profile={profile}\"\n{checked}\n\
             rm '{on_path}'\n{gone}\necho alive\n",
            init = sh.eval_output_of(&format!("'{first}' init {shell}")),
            used = sh.status_of("ssoenv use dev 2>/dev/null", "use"),
            profile = sh.var("AWS_PROFILE"),
            checked = sh.status_of("ssoenv status --check dev", "check"),
            gone = sh.status_of("ssoenv status 2>gone.txt", "gone"),
        );
        let path = format!("{}:/usr/bin:/bin", dir.path().join("bin").display());
        let out = sh.run_in(&sb, &script, &[("PATH", &path), ("NO_COLOR", "1")]);
        let text = stdout(&out);
        assert!(out.status.success(), "{shell}: {text}{}", stderr(&out));
        assert!(
            text.contains("use=0\nprofile=dev\n"),
            "{shell}: {text}{}",
            stderr(&out)
        );
        assert!(text.contains("check=0\n"), "{shell}: {text}");
        assert!(text.contains("gone=127\nalive\n"), "{shell}: {text}");
        let said = std::fs::read_to_string(sb.home.join("gone.txt")).unwrap();
        assert!(
            said.contains(&format!(
                "ssoenv: {first} is gone and there is no ssoenv on PATH"
            )),
            "{shell}: {said}"
        );
    });
}
