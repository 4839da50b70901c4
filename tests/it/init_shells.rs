//! `ssoenv init` in real bash, zsh and fish: each test sources the script in a
//! non-interactive shell in its strict mode (`support::SHELLS`: bash
//! `-euo pipefail`, zsh `err_exit no_unset pipe_fail`) with a cleared
//! environment, so the hooks must hold under it, and runs the hook the way
//! the shell does (PROMPT_COMMAND, precmd_functions, the fish_prompt event),
//! then reads the segment variables and the expanded prompt. The expected text
//! comes from `ssoenv::prompt::segment`, so the shells and `ssoenv prompt` agree.
//! What every shell guarantees (pass-through, failures, `unset`, completion) is in the
//! matrix of `shell_matrix.rs`; what stays here tests these three shells' own mechanisms.

use ssoenv::prompt;
use std::path::Path;
use std::process::Command;

use crate::support;
use support::{
    BASH, BIN, FISH, RealShell, SHELLS, ZSH, assert_quiet_success, field, installed_shells, stderr,
    stdout,
};

/// Run `script` in `sh` (strict mode, see `support::SHELLS`) in a temp HOME; it
/// must succeed and write nothing to stderr. Returns stdout.
fn run(sh: &RealShell, script: &str, env: &[(&str, &str)]) -> String {
    let home = tempfile::tempdir().unwrap();
    run_in(home.path(), sh, script, env)
}

fn run_in(home: &Path, sh: &RealShell, script: &str, env: &[(&str, &str)]) -> String {
    assert_quiet_success(sh.name, &sh.run(home, script, env))
}

/// Shell code: load the integration (twice when `twice`), with a known prompt.
fn setup(sh: &RealShell, twice: bool) -> String {
    let prompt = sh.prompt_setup;
    let init = sh.init();
    let mut s = format!("{prompt}\n{init}\n");
    if twice {
        s.push_str(&format!("{init}\n"));
    }
    s
}

/// Shell code, before a hook in a script without errexit: a command that
/// failed with 3, whose status the hook gets.
const FAILED_3: &str = "(exit 3); ";

/// Shell code: print the segment variables and the prompt as the terminal gets it.
fn show(sh: &RealShell) -> &'static str {
    sh.show_segment
}

fn now_expr(sh: &RealShell) -> &'static str {
    sh.now
}

/// The line that exports `name` as `value`.
fn export(sh: &RealShell, name: &str, value: &str) -> String {
    format!("{}\n", sh.export(name, value))
}

/// The prompt text each shell shows for a coloured segment (escapes as the terminal gets them).
fn expected_prompt(sh: &RealShell, seg: &str, state: prompt::State, color: bool) -> String {
    match (color, state.ansi()) {
        (true, Some(c)) => (sh.coloured_prompt)(c, seg),
        _ => format!("({seg}) P> "),
    }
}

/// Seconds left at which to check the hooks: each edge of the prompt table (bands and text
/// forms) and the second before it, mid-minute points, far past expiry.
fn band_edges() -> Vec<i64> {
    let mut lefts = vec![3930, 2550, 600, 45, -100];
    for edge in prompt::BANDS
        .iter()
        .map(|b| b.from)
        .filter(|&f| f > i64::MIN)
        .chain(prompt::TEXT_FROM)
    {
        // The clock may tick once during a check: stay clear of the edge by the second before.
        lefts.extend([edge + 1, edge - 1]);
    }
    lefts.sort_unstable();
    lefts.dedup();
    lefts
}

fn check_states(sh: &RealShell, color: bool) {
    if !sh.available() {
        return;
    }
    let shell = sh.name;
    for left in band_edges() {
        let mut script = setup(sh, false);
        script.push_str(&(sh.assign)("t0", now_expr(sh)));
        script.push_str(&export(sh, "SSOENV_PROFILE", "prod"));
        script.push_str(&(sh.export_word)(
            "SSOENV_EXPIRATION",
            &(sh.arith)(&format!("$t0 + {left}")),
        ));
        script.push_str(&sh.prompt_hook());
        script.push_str(show(sh));
        script.push_str(&format!("echo t0=$t0; echo t1={}\n", now_expr(sh)));
        let env: &[(&str, &str)] = if color { &[] } else { &[("NO_COLOR", "1")] };
        let out = run(sh, &script, env);
        let t0: i64 = field(&out, "t0").parse().unwrap();
        let t1: i64 = field(&out, "t1").parse().unwrap();
        // The clock may tick between setting the expiry and the hook: accept any second in between.
        let ok = (t0..=t1).any(|now| {
            let seg = prompt::segment("prod", Some(t0 + left), now, false, None).unwrap();
            let state = prompt::State::of(Some(t0 + left - now));
            let p = field(&out, "prompt");
            field(&out, "segment") == seg
                && field(&out, "state") == state.name()
                && field(&out, "color") == state.color_name()
                && p.starts_with(&expected_prompt(sh, &seg, state, color))
                && p.ends_with(" P> ")
        });
        assert!(ok, "{shell}, {left}s left, color={color}: {out:?}");
    }
}

#[test]
fn bash_shows_the_segment_and_its_colour_for_every_state() {
    check_states(&BASH, true);
}

#[test]
fn zsh_shows_the_segment_and_its_colour_for_every_state() {
    check_states(&ZSH, true);
}

#[test]
fn fish_shows_the_segment_and_its_colour_for_every_state() {
    check_states(&FISH, true);
}

#[test]
fn no_color_drops_the_escapes_in_every_shell() {
    for sh in &SHELLS {
        check_states(sh, false);
    }
}

#[test]
fn the_hook_keeps_the_exit_status_of_the_last_command() {
    for sh in [&BASH, &ZSH] {
        if !sh.available() {
            continue;
        }
        let shell = sh.name;
        for active in [false, true] {
            // Not errexit (nounset and pipefail stay): the hook runs after a
            // command that failed and hands its status on, which would end an
            // errexit script before the status is printed.
            let mut script = String::from("set +e\n");
            script.push_str(&setup(sh, false));
            if active {
                script.push_str(&export(sh, "SSOENV_PROFILE", "dev"));
                script.push_str(&export(sh, "SSOENV_EXPIRATION", "4102444800"));
            }
            script.push_str(FAILED_3);
            script.push_str(&sh.prompt_hook());
            let out = run(sh, &script, &[]);
            assert!(out.contains("status=3"), "{shell} active={active}: {out}");
        }
    }
}

#[test]
fn fish_prompt_still_sees_the_exit_status() {
    if !FISH.available() {
        return;
    }
    let script = "function fish_prompt; printf 'last=%s> ' $status; end\n\
                  \"$B\" init fish | source\n\
                  set -gx SSOENV_PROFILE dev; set -gx SSOENV_EXPIRATION 4102444800\n\
                  emit fish_prompt\n\
                  false; fish_prompt; echo";
    let out = run(&FISH, script, &[("NO_COLOR", "1")]);
    assert!(out.contains(") last=1> "), "{out}");
}

#[test]
fn an_existing_prompt_command_or_precmd_is_kept() {
    // Not errexit (nounset and pipefail stay): their command must see the
    // status of one that failed, which would end an errexit script.
    if BASH.available() {
        // A string PROMPT_COMMAND (with a trailing `;`) and a bash 5.1 array.
        for pc in ["PROMPT_COMMAND='mine=$?;'", "PROMPT_COMMAND=('mine=$?')"] {
            let script = format!(
                "set +e\n{pc}\n{}{FAILED_3}{}printf 'mine=%s\\n' \"$mine\"; declare -p PROMPT_COMMAND",
                setup(&BASH, true),
                BASH.prompt_hook()
            );
            let out = run(&BASH, &script, &[]);
            // Their command ran first and saw the real status (and our hook kept the one it got).
            assert!(out.contains("mine=3"), "{pc}: {out}");
            assert!(out.contains("status=0"), "{pc}: {out}");
            assert_eq!(out.matches("__ssoenv_hook").count(), 1, "{pc}: {out}");
        }
    }
    if ZSH.available() {
        let script = format!(
            "set +e\nmine() {{ mine=$? }}\nprecmd_functions=(mine)\n{}{FAILED_3}{}print -r -- \"mine=$mine fns=${{(j:,:)precmd_functions}}\"",
            setup(&ZSH, true),
            ZSH.prompt_hook()
        );
        let out = run(&ZSH, &script, &[]);
        assert!(out.contains("mine=3 fns=mine,__ssoenv_hook"), "{out}");
    }
}

/// A stand-in for the binary that records each call and answers `use` as told.
fn fake_binary(dir: &Path, succeed: bool, new_expiration: &str) -> std::path::PathBuf {
    let fake = dir.join("fake-ssoenv");
    let log = dir.join("calls");
    let answer = if succeed {
        format!(
            "case \"$SSOENV_SHELL_ARG\" in fish) echo 'set -gx SSOENV_EXPIRATION {e}';; *) echo 'export SSOENV_EXPIRATION={e}';; esac",
            e = new_expiration
        )
    } else {
        "echo 'ssoenv: could not renew' >&2; exit 1".to_owned()
    };
    std::fs::write(
        &fake,
        format!(
            "#!/bin/sh\necho \"interactive=$SSOENV_INTERACTIVE background=$SSOENV_BACKGROUND_RENEW args=$*\" >> '{}'\n\
             for a in \"$@\"; do case $a in fish) SSOENV_SHELL_ARG=fish;; esac; done\n{answer}\n",
            log.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    fake
}

#[test]
fn auto_renew_renews_quietly_near_expiry_and_at_most_once_a_minute() {
    for sh in installed_shells() {
        let shell = sh.name;
        for succeed in [true, false] {
            let dir = tempfile::tempdir().unwrap();
            let fake = fake_binary(dir.path(), succeed, "4102444800");
            let mut script = setup(sh, false);
            script.push_str(&(sh.assign)(
                "__ssoenv_bin",
                &format!("'{}'", fake.display()),
            ));
            script.push_str(&export(sh, "SSOENV_PROFILE", "dev"));
            script.push_str(&(sh.assign)("t0", now_expr(sh)));
            script.push_str(&(sh.export_word)(
                "SSOENV_EXPIRATION",
                &(sh.arith)("$t0 + 420"),
            ));
            for _ in 0..3 {
                script.push_str(&sh.prompt_hook());
            }
            script.push_str(show(sh));
            let out = run_in(
                dir.path(),
                sh,
                &script,
                &[("SSOENV_AUTO_RENEW", "1"), ("NO_COLOR", "1")],
            );
            let calls = std::fs::read_to_string(dir.path().join("calls")).unwrap();
            assert_eq!(
                calls,
                format!("interactive=0 background=1 args=use dev --shell {shell}\n"),
                "{shell} succeed={succeed}"
            );
            if succeed {
                assert_eq!(field(&out, "state"), "ok", "{shell}: {out}");
            } else {
                assert_eq!(field(&out, "state"), "warn", "{shell}: {out}");
                assert!(
                    field(&out, "segment").starts_with("dev 6m")
                        || field(&out, "segment").starts_with("dev 7m")
                );
            }
            assert!(!out.contains("could not renew"), "{shell}: {out}");
        }
    }
}

#[test]
fn without_auto_renew_the_hook_never_calls_the_binary() {
    for sh in installed_shells() {
        let shell = sh.name;
        let dir = tempfile::tempdir().unwrap();
        let fake = fake_binary(dir.path(), true, "4102444800");
        let mut script = setup(sh, false);
        script.push_str(&(sh.assign)(
            "__ssoenv_bin",
            &format!("'{}'", fake.display()),
        ));
        script.push_str(&export(sh, "SSOENV_PROFILE", "dev"));
        script.push_str(&export(sh, "SSOENV_EXPIRATION", "5"));
        script.push_str(&sh.prompt_hook());
        run_in(dir.path(), sh, &script, &[]);
        assert!(!dir.path().join("calls").exists(), "{shell}");
    }
}

#[test]
fn ssoenv_prompt_prints_the_same_segment_from_the_environment_alone() {
    let run_prompt = |args: &[&str], env: &[(&str, &str)]| {
        let mut c = Command::new(BIN);
        c.arg("prompt")
            .args(args)
            .env_clear()
            // A config that would fail to parse, and no HOME: `prompt` must not look.
            .env("AWS_CONFIG_FILE", "/nonexistent/dir/config");
        for (k, v) in env {
            c.env(k, v);
        }
        let out = c.output().unwrap();
        assert!(out.status.success());
        assert!(out.stderr.is_empty());
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(run_prompt(&[], &[]), "");
    assert_eq!(run_prompt(&[], &[("SSOENV_PROFILE", "")]), "");
    assert_eq!(
        run_prompt(
            &[],
            &[("SSOENV_PROFILE", "dev"), ("SSOENV_EXPIRATION", "1")]
        ),
        "\x1b[31mdev expired\x1b[0m\n"
    );
    assert_eq!(
        run_prompt(
            &[],
            &[
                ("SSOENV_PROFILE", "dev"),
                ("SSOENV_EXPIRATION", "1"),
                ("NO_COLOR", "1")
            ]
        ),
        "dev expired\n"
    );
    assert_eq!(
        run_prompt(
            &["--no-color", "--format", "[{profile}|{state}]"],
            &[("SSOENV_PROFILE", "dev"), ("SSOENV_EXPIRATION", "nonsense")]
        ),
        "[dev|unknown]\n"
    );
    let out = run_prompt(
        &["--no-color", "--format", "{remaining} {state}"],
        &[
            ("SSOENV_PROFILE", "dev"),
            ("SSOENV_EXPIRATION", "4102444800"),
        ],
    );
    assert!(out.ends_with("m ok\n"), "{out}");
}

#[test]
fn a_new_session_or_no_color_shows_at_the_next_prompt_despite_the_cache() {
    for sh in installed_shells() {
        let shell = sh.name;
        let mut script = setup(sh, false);
        script.push_str(&export(sh, "SSOENV_PROFILE", "dev"));
        script.push_str(&export(sh, "SSOENV_EXPIRATION", "4102444800"));
        script.push_str(&sh.prompt_hook());
        script.push_str(&export(sh, "SSOENV_PROFILE", "prod"));
        script.push_str(&export(sh, "SSOENV_EXPIRATION", "1"));
        script.push_str(&sh.prompt_hook());
        script.push_str(&export(sh, "NO_COLOR", "1"));
        script.push_str(&sh.prompt_hook());
        script.push_str(show(sh));
        let out = run(sh, &script, &[]);
        assert_eq!(field(&out, "segment"), "prod expired", "{shell}: {out}");
        assert_eq!(
            field(&out, "prompt"),
            "(prod expired) P> ",
            "{shell}: {out}"
        );
    }
}

/// The hooks prepare per session and recompute only the countdown when it is due: a later
/// minute within the same session (simulated by moving the prepared expiry and the due
/// time, the clock being the real one) crosses the colour thresholds and the prompt
/// follows, with one prefix in front.
#[test]
fn a_due_recompute_within_a_session_changes_text_and_colour() {
    for sh in [&BASH, &ZSH] {
        if !sh.available() {
            continue;
        }
        let shell = sh.name;
        let mut script = setup(sh, false);
        script.push_str("export SSOENV_PROFILE=prod SSOENV_EXPIRATION=$((EPOCHSECONDS + 5000))\n");
        script.push_str(&sh.prompt_hook());
        for (i, left) in [1000, 890, 200, 30, -5].iter().enumerate() {
            script.push_str(&format!(
                "__ssoenv_exp=$((EPOCHSECONDS + {left})) __ssoenv_until=0\n"
            ));
            script.push_str(&sh.prompt_hook());
            script.push_str(&show(sh).replace("segment=", &format!("segment{i}=")));
        }
        let out = run(sh, &script, &[]);
        for (i, (seg, state, sgr)) in [
            ("prod 16m", "ok", "32"),
            ("prod 14m", "warn", "33"),
            ("prod 3m", "critical", "31"),
            ("prod 3", "critical", "31"),
            ("prod expired", "expired", "31"),
        ]
        .iter()
        .enumerate()
        {
            let got = field(&out, &format!("segment{i}"));
            assert!(got.starts_with(seg), "{shell} {i}: {out}");
            let block: Vec<&str> = out
                .split(&format!("segment{i}="))
                .nth(1)
                .unwrap()
                .lines()
                .take(4)
                .collect();
            assert_eq!(block[1], format!("state={state}"), "{shell} {i}: {out}");
            let p = block[3].strip_prefix("prompt=").unwrap();
            assert!(p.contains(&format!("\x1b[{sgr}m")), "{shell} {i}: {p:?}");
            assert!(p.contains(&format!("({got})")), "{shell} {i}: {p:?}");
            assert_eq!(p.matches('(').count(), 1, "{shell} {i}: one prefix: {p:?}");
            assert!(p.ends_with(" P> "), "{shell} {i}: {p:?}");
        }
    }
}

#[test]
fn the_zsh_hook_carries_the_countdown_inline() {
    if !ZSH.available() {
        return;
    }
    let out = run(
        &ZSH,
        &format!("{}functions __ssoenv_hook\n", setup(&ZSH, false)),
        &[],
    );
    assert!(!out.contains("__ssoenv_tick_inline"), "{out}");
    assert!(out.contains("__ssoenv_until = __ssoenv_t + 1"), "{out}");
}

/// bash recomputes within a band through a short band function, and across a band
/// boundary through the full path: both give the same text, state, colour and prompt,
/// at each threshold (seconds left chosen mid-minute, so that the clock moving on
/// during the test changes nothing).
#[test]
fn the_bash_band_functions_agree_with_the_full_recompute() {
    if !BASH.available() {
        return;
    }
    let cases = [
        (7230, "prod 2h00m", "ok", "32"),
        (3690, "prod 1h01m", "ok", "32"),
        (3630, "prod 1h00m", "ok", "32"),
        (3570, "prod 59m", "ok", "32"),
        (930, "prod 15m", "ok", "32"),
        (870, "prod 14m", "warn", "33"),
        (630, "prod 10m", "warn", "33"),
        (570, "prod 9m", "warn", "33"),
        (330, "prod 5m", "warn", "33"),
        (270, "prod 4m", "critical", "31"),
        (90, "prod 1m", "critical", "31"),
        (45, "prod 4", "critical", "31"),
        (-5, "prod expired", "expired", "31"),
    ];
    let mut script = setup(&BASH, false);
    for (i, (left, ..)) in cases.iter().enumerate() {
        script.push_str(&format!(
            "export SSOENV_PROFILE=prod SSOENV_EXPIRATION=$((EPOCHSECONDS + {left}))\n"
        ));
        script.push_str(&BASH.prompt_hook());
        script.push_str(&show(&BASH).replace("segment=", &format!("full{i}=")));
        script.push_str("__ssoenv_until=0\n");
        script.push_str(&BASH.prompt_hook());
        script.push_str(&show(&BASH).replace("segment=", &format!("band{i}=")));
    }
    let out = run(&BASH, &script, &[]);
    let block = |name: &str| -> Vec<String> {
        let rest = out.split(&format!("{name}=")).nth(1).unwrap();
        rest.lines().take(4).map(str::to_owned).collect()
    };
    for (i, (left, seg, state, sgr)) in cases.iter().enumerate() {
        let full = block(&format!("full{i}"));
        let band = block(&format!("band{i}"));
        assert_eq!(full, band, "{left}: {out}");
        assert!(full[0].starts_with(seg), "{left}: {full:?}");
        assert_eq!(full[1], format!("state={state}"), "{left}: {full:?}");
        assert!(
            full[3].contains(&format!("\x1b[{sgr}m")),
            "{left}: {full:?}"
        );
        let seg_now = &full[0];
        assert!(
            full[3].contains(&format!("({seg_now})")),
            "{left}: {full:?}"
        );
    }
}

/// The prompt with SSOENV_RENEWABLE and SSOENV_AUTO_RENEW as given (an hour
/// and more left: no renewal is due) and the locale in `env`.
fn marked_prompt(sh: &RealShell, renewable: bool, auto: bool, env: &[(&str, &str)]) -> String {
    let mut script = setup(sh, false);
    script.push_str(&export(sh, "SSOENV_PROFILE", "prod"));
    script.push_str(&export(sh, "SSOENV_EXPIRATION", "4102444800"));
    if renewable {
        script.push_str(&export(sh, "SSOENV_RENEWABLE", "1"));
    }
    if auto {
        script.push_str(&export(sh, "SSOENV_AUTO_RENEW", "1"));
    }
    script.push_str(&sh.prompt_hook());
    script.push_str(show(sh));
    let mut all = vec![("NO_COLOR", "1")];
    all.extend_from_slice(env);
    let out = run(sh, &script, &all);
    let p = field(&out, "prompt").to_owned();
    assert!(
        p.starts_with("(prod ") && p.ends_with(") P> "),
        "{}: {out}",
        sh.name
    );
    assert!(
        !field(&out, "segment").contains(['+', '\u{21bb}']),
        "{}: {out}",
        sh.name
    );
    p
}

#[test]
fn the_renewal_mark_shows_only_when_renewable_and_auto_renew_are_both_set() {
    let utf8 = [("LANG", "C.UTF-8")];
    for sh in installed_shells() {
        let shell = sh.name;
        let p = marked_prompt(sh, true, true, &utf8);
        assert!(p.ends_with(" \u{21bb}) P> "), "{shell}: {p:?}");
        let p = marked_prompt(sh, true, true, &[("LANG", "C.UTF-8"), ("LC_ALL", "C")]);
        assert!(p.ends_with(" +) P> "), "{shell}: {p:?}");
        let p = marked_prompt(sh, true, true, &[]);
        assert!(p.ends_with(" +) P> "), "{shell}: {p:?}");
        for (renewable, auto) in [(true, false), (false, true), (false, false)] {
            let p = marked_prompt(sh, renewable, auto, &utf8);
            assert!(
                !p.contains('+') && !p.contains('\u{21bb}'),
                "{shell} renewable={renewable} auto={auto}: {p:?}"
            );
        }
    }
}

#[test]
fn turning_auto_renew_off_takes_the_mark_away_at_the_next_prompt() {
    for sh in installed_shells() {
        let shell = sh.name;
        let mut script = setup(sh, false);
        script.push_str(&export(sh, "SSOENV_PROFILE", "prod"));
        script.push_str(&export(sh, "SSOENV_EXPIRATION", "4102444800"));
        script.push_str(&export(sh, "SSOENV_RENEWABLE", "1"));
        script.push_str(&export(sh, "SSOENV_AUTO_RENEW", "1"));
        script.push_str(&sh.prompt_hook());
        script.push_str(show(sh));
        script.push_str(&export(sh, "SSOENV_AUTO_RENEW", "0"));
        script.push_str(&sh.prompt_hook());
        script.push_str(&show(sh).replace("prompt=", "after="));
        let out = run(sh, &script, &[("NO_COLOR", "1")]);
        assert!(field(&out, "prompt").ends_with(" +) P> "), "{shell}: {out}");
        let after = field(&out, "after");
        assert!(
            after.ends_with(") P> ") && !after.contains('+'),
            "{shell}: {out}"
        );
    }
}

#[test]
fn ssoenv_prompt_has_the_renew_placeholder() {
    let prompt = |env: &[(&str, &str)], args: &[&str]| {
        let out = Command::new(BIN)
            .arg("prompt")
            .args(args)
            .env_clear()
            .env("SSOENV_PROFILE", "prod")
            .env("SSOENV_EXPIRATION", "4102444800")
            .envs(env.iter().copied())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    let both = [("SSOENV_RENEWABLE", "1"), ("SSOENV_AUTO_RENEW", "1")];
    assert_eq!(
        prompt(&both, &["--no-color", "--format", "[{renew}]"]),
        "[+]\n"
    );
    let utf8 = [both[0], both[1], ("LC_CTYPE", "en_US.UTF-8")];
    assert_eq!(
        prompt(&utf8, &["--no-color", "--format", "[{renew}]"]),
        "[\u{21bb}]\n"
    );
    assert_eq!(
        prompt(&both[..1], &["--no-color", "--format", "[{renew}]"]),
        "[]\n"
    );
    assert!(prompt(&utf8, &["--no-color"]).ends_with(" \u{21bb}\n"));
}
