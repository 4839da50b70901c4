//! elvish's `ssoenv init elvish` under `elvish -norc -c`: the function refuses code for
//! another shell, and the segment counts down from the exported epoch in elvish.

use crate::support::{BIN, ELVISH, have, stderr, stdout};
use std::process::Command;

/// `body` run inside the namespace of the init script (`eval … &on-end`), as `$ns`.
fn in_init(body: &str, env: &[(&str, &str)]) -> std::process::Output {
    let script = format!("eval ((external $E:B) init elvish | slurp) &on-end={{|ns|\n{body}\n}}\n");
    // By its full path: the segment test empties PATH.
    let program = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|d| d.join(ELVISH.name))
        .find(|p| p.is_file())
        .expect("elvish on PATH");
    let mut c = Command::new(program);
    c.args(ELVISH.args)
        .arg("-c")
        .arg(script)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", std::env::temp_dir())
        .env("B", BIN);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

#[test]
fn the_elvish_function_refuses_code_for_another_shell() {
    if !have("elvish") {
        return;
    }
    for flag in ["--shell bash", "--shell=zsh"] {
        let out = in_init(
            &format!(
                "try {{ $ns[ssoenv~] use prod {flag} }} catch e {{ echo refused }}\necho (has-env AWS_ACCESS_KEY_ID)"
            ),
            &[],
        );
        assert_eq!(
            stdout(&out),
            "refused\n$false\n",
            "{flag}: {}",
            stderr(&out)
        );
        assert!(
            stderr(&out).contains("refusing --shell"),
            "{flag}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn the_elvish_segment_counts_down_without_a_process() {
    if !have("elvish") {
        return;
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    // Offsets inside their minute: the /proc clock may be a second off.
    for (left, text, state) in [
        (4000, "prod 1h06m", "ok"),
        (1830, "prod 30m", "ok"),
        (700, "prod 11m", "warn"),
        (100, "prod 1m", "critical"),
        (-5, "prod expired", "expired"),
    ] {
        let exp = (now + left).to_string();
        // PATH empty: `date` cannot run, the clock is /proc.
        let out = in_init(
            "$ns[ssoenv-segment~]\necho $E:SSOENV_SEGMENT / $E:SSOENV_SEGMENT_STATE",
            &[
                ("SSOENV_PROFILE", "prod"),
                ("SSOENV_EXPIRATION", &exp),
                ("PATH", ""),
            ],
        );
        assert_eq!(
            stdout(&out),
            format!("{text} / {state}\n"),
            "{}",
            stderr(&out)
        );
    }
}
