//! elvish's own cases, beyond the matrix of `shell_matrix.rs` (refusal of another shell's
//! code, statuses, hostile names, prompt bands): `ssoenv init elvish` under `elvish -norc
//! -c`, the segment from the /proc clock with no PATH, the editor's right prompt in a
//! terminal, control characters and absurd expirations.

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

/// `use`, the hook's renewal near expiry, `exec` and `unset` through the function, against
/// the emulator.
#[test]
fn use_renew_exec_and_unset_through_the_elvish_function() {
    if !have("elvish") {
        return;
    }
    let sb = crate::support::Sandbox::new();
    let script = "eval ((external $E:B) init elvish | slurp) &on-end={|ns|\n\
        var s~ = $ns[ssoenv~]\n\
        s use dev 2>/dev/null\n\
        echo profile=$E:AWS_PROFILE key=$E:AWS_ACCESS_KEY_ID region=$E:AWS_REGION seg=$E:SSOENV_SEGMENT\n\
        set-env SSOENV_AUTO_RENEW 1\n\
        set-env SSOENV_EXPIRATION (to-string (+ 100 (num (date +%s))))\n\
        $ns[__ssoenv_hook~]\n\
        echo after=$E:SSOENV_SEGMENT_STATE\n\
        s exec dev -- sh -c 'echo exec=$AWS_PROFILE'\n\
        s unset\n\
        echo unset=(to-string (has-env AWS_ACCESS_KEY_ID))(to-string (has-env SSOENV_PROFILE))\n\
        }\n";
    let out = ELVISH.run_in(&sb, script, &[("NO_COLOR", "1")]);
    let text = stdout(&out);
    assert!(out.status.success(), "{}\n{text}", stderr(&out));
    assert!(text.contains("profile=dev key=ASIA"), "{text}");
    assert!(text.contains("region=eu-west-1"), "{text}");
    assert!(
        text.contains("seg=dev 59m") || text.contains("seg=dev 1h00m"),
        "{text}"
    );
    assert!(text.contains("after=ok\n"), "{text}");
    assert!(text.contains("exec=dev\n"), "{text}");
    assert!(text.contains("unset=$false$false\n"), "{text}");
}

/// In a real terminal: the segment and the renewal mark in front of the user's right
/// prompt, kept; with `SSOENV_PROMPT=off` the right prompt alone.
#[test]
fn the_elvish_right_prompt_shows_the_countdown_and_the_renewal_mark() {
    if !have("tmux") || !have("elvish") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let t = crate::support::Tmux::start(home.path(), &[], ELVISH.interactive);
    std::thread::sleep(std::time::Duration::from_millis(300));
    t.keys(
        "set edit:prompt = { put 'P> ' }; set edit:rprompt = { put RIGHT }; \
         eval ((external $E:B) init elvish | slurp); \
         set-env SSOENV_PROFILE prod; set-env SSOENV_RENEWABLE 1; set-env SSOENV_AUTO_RENEW 1; \
         set-env NO_COLOR 1; set-env SSOENV_EXPIRATION (to-string (+ 1830 (num (date +%s)))); echo READY",
    );
    t.key("Enter");
    let s = t.wait_for("(prod 30m \u{21bb}) RIGHT");
    assert!(s.contains("(prod 30m \u{21bb}) RIGHT"), "{s}");
    t.keys("clear; set-env SSOENV_PROMPT off");
    t.key("Enter");
    t.wait_gone("(prod");
    assert!(t.screen().contains("RIGHT"), "{}", t.screen());
}

/// Control characters in the profile name are written as escapes, as `ssoenv prompt` shows
/// them, in the segment and in the right prompt; absurd expirations give `unknown`.
#[test]
fn the_elvish_segment_escapes_control_characters_and_refuses_absurd_expirations() {
    if !have("elvish") {
        return;
    }
    let name = "ev\x1b]0;T\x07il\x1b[2J\u{9b}31m\x7f\t\r\nz\u{85}";
    let printable = ssoenv::text::printable(name).into_owned();
    let body = "$ns[__ssoenv_hook~]\n\
                print 'segment='$E:SSOENV_SEGMENT\"\\n\"\n\
                print 'state='$E:SSOENV_SEGMENT_STATE\"\\n\"\n\
                print 'prompt='; $ns[__ssoenv_rprompt~] {|| put R } | each {|p| print $p }; print \"\\n\"";
    for (exp, seg, state) in [
        ("1", format!("{printable} expired"), "expired"),
        ("", printable.clone(), "unknown"),
        ("-5", printable.clone(), "unknown"),
        ("1234567890123456", printable.clone(), "unknown"),
        ("12a", printable.clone(), "unknown"),
    ] {
        for locale in ["C", "C.UTF-8"] {
            let out = in_init(
                body,
                &[
                    ("SSOENV_PROFILE", name),
                    ("SSOENV_EXPIRATION", exp),
                    ("LC_ALL", locale),
                ],
            );
            let text = stdout(&out);
            assert_eq!(stderr(&out), "", "{exp:?} {locale}");
            assert!(
                text.contains(&format!("segment={seg}\nstate={state}\n")),
                "{exp:?} {locale}: {text:?}"
            );
            let prompt = text.split("prompt=").nth(1).unwrap();
            assert!(prompt.contains(&format!("({seg})")), "{prompt:?}");
            let plain = prompt
                .replace("\x1b[31m", "")
                .replace("\x1b[;31m", "")
                .replace("\x1b[m", "")
                .replace("\x1b[0m", "");
            assert!(
                !plain
                    .trim_end_matches('\n')
                    .chars()
                    .any(ssoenv::text::is_control),
                "{exp:?} {locale}: {prompt:?}"
            );
        }
    }
}

/// Between prompts the segment is kept until its minutes change, and anything that changes
/// what it shows (a new expiration, the segment cleared by hand) makes the next prompt
/// compute it again.
#[test]
fn the_elvish_segment_is_kept_until_it_changes_and_recomputed_when_its_inputs_do() {
    if !have("elvish") {
        return;
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let (in_42m, in_11m) = ((now + 2550).to_string(), (now + 700).to_string());
    let body = format!(
        "var seg~ = $ns[ssoenv-segment~]
seg; echo $E:SSOENV_SEGMENT
seg; echo $E:SSOENV_SEGMENT
set-env SSOENV_SEGMENT ''
seg; echo $E:SSOENV_SEGMENT
set-env SSOENV_EXPIRATION {in_11m}
seg; echo $E:SSOENV_SEGMENT / $E:SSOENV_SEGMENT_STATE
set-env SSOENV_PROFILE other
seg; echo $E:SSOENV_SEGMENT
set-env SSOENV_EXPIRATION garbage
seg; echo $E:SSOENV_SEGMENT / $E:SSOENV_SEGMENT_STATE
set-env SSOENV_EXPIRATION {in_42m}
seg; echo $E:SSOENV_SEGMENT / $E:SSOENV_SEGMENT_STATE"
    );
    let out = in_init(
        &body,
        &[("SSOENV_PROFILE", "prod"), ("SSOENV_EXPIRATION", &in_42m)],
    );
    assert_eq!(
        stdout(&out),
        "prod 42m\nprod 42m\nprod 42m\nprod 11m / warn\nother 11m\nother / unknown\nother 42m / ok\n",
        "{}",
        stderr(&out)
    );
}
