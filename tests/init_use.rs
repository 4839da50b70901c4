//! `ssoenv use` through the shell function against the local emulator: the
//! session lands in the shell, the prompt shows it, and auto-renewal near
//! expiry re-exports real credentials without a login.

mod common;

use common::{BIN, Sandbox, have};
use std::process::{Command, Stdio};

fn run(sb: &Sandbox, shell: &str, script: &str) -> String {
    let args: &[&str] = match shell {
        "bash" => &["--noprofile", "--norc", "-c"],
        "zsh" => &["-f", "-c"],
        _ => &["--no-config", "-c"],
    };
    let out = Command::new(shell)
        .args(args)
        .arg(script)
        .env_clear()
        .env("HOME", &sb.home)
        .env("PATH", "/usr/bin:/bin")
        .env("AWS_ENDPOINT_URL_SSO_OIDC", sb.emu.url())
        .env("AWS_ENDPOINT_URL_SSO", sb.emu.url())
        .env("SSOENV_INTERACTIVE", "1")
        .env("NO_COLOR", "1")
        .env("B", BIN)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{shell}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn use_through_the_function_exports_the_session_and_auto_renew_refreshes_it() {
    let sb = Sandbox::new();
    for shell in ["bash", "zsh", "fish"] {
        if !have(shell) {
            continue;
        }
        let (init, hook, st, soon) = match shell {
            "bash" => (
                "PS1='P> '; eval \"$(\"$B\" init bash)\"",
                "eval \"$PROMPT_COMMAND\"",
                "$?",
                "export SSOENV_AUTO_RENEW=1 SSOENV_EXPIRATION=$((EPOCHSECONDS + 100))",
            ),
            "zsh" => (
                "PROMPT='P> '; eval \"$(\"$B\" init zsh)\"",
                "for f in $precmd_functions; do $f; done",
                "$?",
                "export SSOENV_AUTO_RENEW=1 SSOENV_EXPIRATION=$((EPOCHSECONDS + 100))",
            ),
            _ => (
                "function fish_prompt; printf 'P> '; end; \"$B\" init fish | source",
                "emit fish_prompt",
                "$status",
                "set -gx SSOENV_AUTO_RENEW 1; set -gx SSOENV_EXPIRATION (math (date +%s) + 100)",
            ),
        };
        let script = format!(
            "{init}\nssoenv use dev 2>/dev/null; echo rc={st}\n{hook}\n\
             echo \"profile=$AWS_PROFILE key=$AWS_ACCESS_KEY_ID region=$AWS_REGION seg=$SSOENV_SEGMENT\"\n\
             {soon}\n{hook}\necho \"after=$SSOENV_SEGMENT_STATE\"\n"
        );
        let out = run(&sb, shell, &script);
        assert!(out.contains("rc=0\n"), "{shell}: {out}");
        assert!(out.contains("profile=dev key=ASIA"), "{shell}: {out}");
        assert!(out.contains("region=eu-west-1"), "{shell}: {out}");
        assert!(
            out.contains("seg=dev 59m") || out.contains("seg=dev 1h00m"),
            "{shell}: {out}"
        );
        // 100 s left with SSOENV_AUTO_RENEW=1: the hook got fresh expiry from the cache, quietly.
        assert!(out.contains("after=ok"), "{shell}: {out}");
    }
    // One device login in all: later `use` calls and renewals reuse the token.
    assert_eq!(sb.emu.stats().start_device_authorization, 1);
}
