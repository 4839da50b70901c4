//! The shell matrix: every shell with an integration (`support::ALL_SHELLS`: bash, zsh,
//! fish, nushell, elvish, xonsh) runs the same cases, each row expressing the steps in its
//! own language (`RealShell::program`, `call`, `print_hex`, `set_env`, `prompt_line`):
//! `use`, `exec` and `unset` through the integration's function with a hostile profile
//! name, byte-exact and running nothing; another shell's `--shell` refused before the
//! binary runs; a failure carrying the binary's status and message; the prompt segment
//! in every band, coloured, with the renewal mark and a name with control characters;
//! `--help`, `prompt`, `doctor` and an unknown subcommand passed through the function with
//! their status; a failing `use` changing nothing; `unset` (through the function or by
//! hand) taking the session and the segment away; completion of the subcommands and of
//! hostile profile names through each shell's own completer (`RealShell::completions`);
//! an inactive shell's prompt untouched; `SSOENV_PROMPT=off` keeping the prompt but not
//! the segment away; the integration loaded twice (and again after prompts) hooked once
//! with one segment (elvish in its line editor, `RealShell::in_editor`).
//! A missing shell is skipped locally and fails under `CI`. Shell-specific extras stay in
//! `init_shells.rs`, `init_nu.rs`, `init_elvish.rs` and `init_xonsh.rs`.

use crate::support;
use ssoenv::prompt;
use support::{RealShell, Sandbox, all_installed_shells, field, hex, stderr, stdout};

/// A profile name built to break quoting in every one of the six languages.
const HOSTILE: &str = "it's $(touch PWNED) `id` ;|&{x}@(y)$HOME\"q";

fn sandbox() -> Sandbox {
    let sb = Sandbox::new();
    let mut config = support::CONFIG.to_owned();
    config.push_str(&format!(
        "\n[profile {}]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = AdministratorAccess\nregion = eu-west-1\n",
        shell_words::quote(HOSTILE)
    ));
    sb.write_config(&config);
    sb
}

/// `body` in `sh` after loading the integration, against the sandbox's emulator.
fn run(sb: &Sandbox, sh: &RealShell, body: &str, env: &[(&str, &str)]) -> std::process::Output {
    let script = sh.program(&sb.home, body);
    sh.run_in(sb, &script, env)
}

#[test]
fn use_exec_and_unset_through_the_function_keep_a_hostile_name_byte_exact_and_run_nothing() {
    for sh in all_installed_shells() {
        let shell = sh.name;
        let sb = sandbox();
        let listed = stdout(&sb.run(["profiles", "--names"]));
        assert!(listed.lines().any(|l| l == HOSTILE), "{listed}");
        let mut body = sh.set_env("AWS_SECURITY_TOKEN", "stale");
        body.push_str(&sh.call(&["use", HOSTILE], "use"));
        body.push_str(&sh.print_hex(&[
            "AWS_PROFILE",
            "SSOENV_PROFILE",
            "AWS_REGION",
            "AWS_SECURITY_TOKEN",
        ]));
        body.push_str(&sh.call(
            &[
                "exec",
                HOSTILE,
                "--",
                "sh",
                "-c",
                "printf %s \"$AWS_PROFILE\" > exec.out; exit 7",
            ],
            "exec",
        ));
        body.push_str(&sh.call(&["unset"], "unset"));
        body.push_str(&sh.print_hex(&["AWS_PROFILE", "AWS_ACCESS_KEY_ID", "SSOENV_PROFILE"]));
        let out = run(&sb, sh, &body, &[("NO_COLOR", "1")]);
        let text = stdout(&out);
        let ctx = format!("{shell}:\n{text}\n{}", stderr(&out));
        assert_eq!(get(&text, "use", &ctx), "0", "{ctx}");
        let profile = format!("AWS_PROFILE={}\n", hex(HOSTILE));
        assert!(text.contains(&profile), "{ctx}");
        assert!(
            text.contains(&format!("SSOENV_PROFILE={}\n", hex(HOSTILE))),
            "{ctx}"
        );
        assert!(
            text.contains(&format!("AWS_REGION={}\n", hex("eu-west-1"))),
            "{ctx}"
        );
        assert!(
            text.contains("AWS_SECURITY_TOKEN unset\n"),
            "stale token cleared: {ctx}"
        );
        assert_eq!(
            get(&text, "exec", &ctx),
            "7",
            "exec passes the status on: {ctx}"
        );
        assert_eq!(
            std::fs::read_to_string(sb.home.join("exec.out")).unwrap(),
            HOSTILE,
            "{ctx}"
        );
        assert_eq!(get(&text, "unset", &ctx), "0", "{ctx}");
        let after = text.rsplit("unset=0\n").next().unwrap();
        assert_eq!(
            after, "AWS_PROFILE unset\nAWS_ACCESS_KEY_ID unset\nSSOENV_PROFILE unset\n",
            "{ctx}"
        );
        assert!(!sb.home.join("PWNED").exists(), "{ctx}");
        assert_eq!(sb.emu.stats().start_device_authorization, 1, "{ctx}");
    }
}

#[test]
fn another_shells_code_is_refused_and_failures_carry_the_binarys_status_and_message() {
    for sh in all_installed_shells() {
        let shell = sh.name;
        let sb = sandbox();
        let foreign = if shell == "bash" { "zsh" } else { "bash" };
        let mut body = sh.set_env("AWS_PROFILE", "kept");
        body.push_str(&sh.call(&["use", "dev", "--shell", foreign], "refused"));
        body.push_str(&sh.call(&["use", "dev", &format!("--shell={foreign}")], "refused2"));
        body.push_str(&sh.call(&["unset", "--shell", foreign], "refused3"));
        body.push_str(&sh.call(&["use", "no-such-profile"], "config"));
        body.push_str(&sh.set_env("SSOENV_INTERACTIVE", "0"));
        body.push_str(&sh.call(&["use", "dev"], "runtime"));
        body.push_str(&sh.call(&["use", "dev", "--shell", shell], "own"));
        body.push_str(&sh.print_hex(&["AWS_PROFILE", "AWS_ACCESS_KEY_ID"]));
        let out = run(&sb, sh, &body, &[]);
        let (text, err) = (stdout(&out), stderr(&out));
        let ctx = format!("{shell}:\n{text}\n{err}\n{body}");
        for label in ["refused", "refused2", "refused3", "config"] {
            assert_eq!(get(&text, label, &ctx), "2", "{label}: {ctx}");
        }
        assert_eq!(get(&text, "runtime", &ctx), "1", "{ctx}");
        // Its own name is no foreign shell: it gets as far as the (non-interactive) login.
        assert_eq!(get(&text, "own", &ctx), "1", "{ctx}");
        assert!(
            text.contains(&format!("AWS_PROFILE={}\n", hex("kept"))),
            "{ctx}"
        );
        assert!(text.contains("AWS_ACCESS_KEY_ID unset\n"), "{ctx}");
        assert_eq!(
            err.matches(&format!("ssoenv: refusing --shell {foreign}"))
                .count(),
            3,
            "{ctx}"
        );
        assert!(err.contains("no-such-profile"), "ssoenv's message: {ctx}");
        assert!(err.contains("ssoenv login dev"), "ssoenv's hint: {ctx}");
        assert_eq!(sb.emu.stats().start_device_authorization, 0, "{ctx}");
    }
}

#[test]
fn help_doctor_and_other_subcommands_pass_through_the_function_with_their_status() {
    for sh in all_installed_shells() {
        let shell = sh.name;
        let sb = Sandbox::new();
        let mut body = sh.set_env("SSOENV_PROFILE", "dev");
        body.push_str(&sh.set_env("SSOENV_EXPIRATION", "4102444800"));
        // Printed, not evaluated: help, the segment, doctor's report.
        body.push_str(&sh.call(&["use", "--help"], "help"));
        body.push_str(&sh.call(&["prompt", "--no-color"], "prompt"));
        body.push_str(&sh.call(&["doctor", "--json"], "doctor"));
        body.push_str(&sh.call(&["no-such-command"], "unknown"));
        // The wrapper's variable reaches the binary alone.
        body.push_str(&sh.print_hex(&["SSOENV_INIT"]));
        let out = run(&sb, sh, &body, &[]);
        let (text, err) = (stdout(&out), stderr(&out));
        let ctx = format!("{shell}:\n{text}\n{err}");
        assert!(text.contains("Usage: ssoenv use"), "{ctx}");
        assert_eq!(get(&text, "help", &ctx), "0", "{ctx}");
        assert!(text.contains("\ndev "), "the segment: {ctx}");
        assert_eq!(get(&text, "prompt", &ctx), "0", "{ctx}");
        assert!(
            text.contains(&format!("loaded in this shell ({shell};")),
            "doctor sees the integration: {ctx}"
        );
        assert_eq!(get(&text, "unknown", &ctx), "2", "{ctx}");
        assert!(err.contains("no-such-command"), "{ctx}");
        assert!(text.contains("SSOENV_INIT unset\n"), "{ctx}");
    }
}

#[test]
fn a_failing_use_returns_its_status_and_changes_nothing() {
    for sh in all_installed_shells() {
        let shell = sh.name;
        let sb = Sandbox::new();
        let mut body = sh.set_env("AWS_PROFILE", "before");
        body.push_str(&sh.set_env("SSOENV_PROFILE", "before"));
        body.push_str(&sh.call(&["use", "no-such-profile"], "missing"));
        body.push_str(&sh.call(&["use"], "noarg"));
        body.push_str(&sh.print_hex(&["AWS_PROFILE", "SSOENV_PROFILE", "AWS_ACCESS_KEY_ID"]));
        let out = run(&sb, sh, &body, &[]);
        let text = stdout(&out);
        let ctx = format!("{shell}:\n{text}\n{}", stderr(&out));
        assert_eq!(get(&text, "missing", &ctx), "2", "{ctx}");
        assert_eq!(get(&text, "noarg", &ctx), "2", "{ctx}");
        let after = text.rsplit("noarg=2\n").next().unwrap();
        assert_eq!(
            after,
            format!(
                "AWS_PROFILE={b}\nSSOENV_PROFILE={b}\nAWS_ACCESS_KEY_ID unset\n",
                b = hex("before")
            ),
            "{ctx}"
        );
        assert_eq!(sb.emu.stats().start_device_authorization, 0, "{ctx}");
    }
}

#[test]
fn unset_through_the_function_or_by_hand_takes_the_session_and_the_segment_away() {
    for sh in all_installed_shells() {
        let shell = sh.name;
        let sb = Sandbox::new();
        let mut body = String::new();
        for name in ssoenv::env::SESSION_VARS {
            body.push_str(&sh.set_env(name, "x"));
        }
        body.push_str(&sh.set_env("SSOENV_EXPIRATION", "4102444800"));
        body.push_str(&sh.prompt_line("before"));
        body.push_str(&sh.call(&["unset"], "unset"));
        body.push_str(&sh.prompt_line("after"));
        body.push_str(&sh.print_hex(ssoenv::env::SESSION_VARS));
        // By hand: the profile variable alone.
        body.push_str(&sh.set_env("SSOENV_PROFILE", "dev"));
        body.push_str(&sh.set_env("SSOENV_EXPIRATION", "4102444800"));
        body.push_str(&sh.prompt_line("again"));
        body.push_str(sh.unset);
        body.push_str(&sh.prompt_line("by_hand"));
        let out = run(&sb, sh, &body, &[("NO_COLOR", "1")]);
        let text = stdout(&out);
        let ctx = format!("{shell}:\n{text}\n{}", stderr(&out));
        assert!(get(&text, "before", &ctx).starts_with("(x "), "{ctx}");
        assert_eq!(get(&text, "unset", &ctx), "0", "{ctx}");
        assert_eq!(get(&text, "after", &ctx), "P> ", "{ctx}");
        for name in ssoenv::env::SESSION_VARS {
            assert!(text.contains(&format!("\n{name} unset\n")), "{name}: {ctx}");
        }
        assert!(get(&text, "again", &ctx).starts_with("(dev "), "{ctx}");
        assert_eq!(get(&text, "by_hand", &ctx), "P> ", "{ctx}");
    }
}

#[test]
fn an_inactive_shell_shows_the_prompt_untouched() {
    for sh in all_installed_shells() {
        let shell = sh.name;
        let sb = Sandbox::new();
        let mut body = sh.prompt_line("p");
        body.push_str(sh.show_segment);
        if shell == "bash" {
            // The marker stays out of PS1 until a profile is active.
            body.push_str("printf 'ps1=%s\\n' \"$PS1\"\n");
        }
        let out = run(&sb, sh, &body, &[]);
        let text = stdout(&out);
        let ctx = format!("{shell}:\n{text:?}\n{}", stderr(&out));
        assert!(out.status.success(), "{ctx}");
        assert_eq!(get(&text, "p", &ctx), "P> ", "{ctx}");
        assert_eq!(get(&text, "segment", &ctx), "", "{ctx}");
        if shell == "bash" {
            assert_eq!(get(&text, "ps1", &ctx), "P> ", "{ctx}");
        }
    }
}

#[test]
fn ssoenv_prompt_off_leaves_the_prompt_alone_but_keeps_the_segment() {
    for sh in all_installed_shells() {
        let shell = sh.name;
        let sb = Sandbox::new();
        let mut body = sh.set_env("SSOENV_PROFILE", "dev");
        body.push_str(&sh.set_env("SSOENV_EXPIRATION", "4102444800"));
        body.push_str(&sh.prompt_line("p"));
        body.push_str(sh.show_segment);
        let out = run(&sb, sh, &body, &[("SSOENV_PROMPT", "off")]);
        let text = stdout(&out);
        let ctx = format!("{shell}:\n{text:?}\n{}", stderr(&out));
        assert!(out.status.success(), "{ctx}");
        assert_eq!(get(&text, "p", &ctx), "P> ", "{ctx}");
        assert!(get(&text, "segment", &ctx).starts_with("dev "), "{ctx}");
    }
}

/// elvish: in its line editor (`RealShell::in_editor`), as `elvish -c` has none, so neither
/// the wrapped right prompt nor the hook; `None` (no tmux) skips it, a failure under CI.
#[test]
fn loading_the_integration_twice_adds_no_second_hook_or_segment() {
    for sh in all_installed_shells() {
        let shell = sh.name;
        let sb = Sandbox::new();
        let mut body = sh.load_again();
        body.push_str(&sh.set_env("SSOENV_PROFILE", "dev"));
        body.push_str(&sh.set_env("SSOENV_EXPIRATION", "4102444800"));
        body.push_str(&sh.prompt_line("p1"));
        body.push_str(&sh.prompt_line("p2"));
        body.push_str(&sh.count_hooks("hooks2"));
        // A third time, after prompts were shown (a re-sourced rc file).
        body.push_str(&sh.load_again());
        body.push_str(&sh.prompt_line("p3"));
        body.push_str(&sh.count_hooks("hooks3"));
        let env = [("NO_COLOR", "1")];
        let (text, err) = if shell == "elvish" {
            // None: no tmux (skipped by `have`, a failure under CI).
            let Some(text) = sh.in_editor(&sb.home, &body, &env) else {
                continue;
            };
            (text, String::new())
        } else {
            let out = run(&sb, sh, &body, &env);
            assert!(out.status.success(), "{shell}: {}", stderr(&out));
            (stdout(&out), stderr(&out))
        };
        let ctx = format!("{shell}:\n{text:?}\n{err}");
        for label in ["p1", "p2", "p3"] {
            let p = get(&text, label, &ctx);
            assert_eq!(p.matches("(dev ").count(), 1, "{label}: {ctx}");
            assert!(p.starts_with("(dev "), "{label}: {ctx}");
            assert!(p.ends_with(") P> "), "{label}: {ctx}");
        }
        assert_eq!(get(&text, "hooks2", &ctx), "1", "{ctx}");
        assert_eq!(get(&text, "hooks3", &ctx), "1", "{ctx}");
    }
}

/// Profile names for the completers: quotes of every kind, command substitutions of
/// every language (each would create `PWNED`), `;`, spaces, globs, non-ASCII.
const COMPLETION_NAMES: [&str; 9] = [
    HOSTILE,
    "x$(touch PWNED)",
    "a b",
    "semi;colon&",
    "q\"x",
    "d$HOME`id`\\z",
    "caf\u{e9} \u{201a}q",
    "n(touch PWNED)@(open('PWNED','w'))!(touch PWNED)",
    "e{b,c}|<>*?~[ab",
];

#[test]
fn completion_offers_the_subcommands_and_each_hostile_profile_name_exactly_and_runs_nothing() {
    for sh in all_installed_shells() {
        let shell = sh.name;
        let sb = Sandbox::new();
        let mut config = support::CONFIG.to_owned();
        for n in COMPLETION_NAMES {
            config.push_str(&format!(
                "\n[profile {}]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = R\n",
                shell_words::quote(n)
            ));
        }
        sb.write_config(&config);
        let listed = stdout(&sb.run(["profiles", "--names"]));
        for n in COMPLETION_NAMES {
            assert!(listed.lines().any(|l| l == n), "{n:?} not in {listed}");
        }
        // None: no tmux to reach zsh's or elvish's line editor (skipped by `have`, a
        // failure under CI).
        let Some(text) = sh.completions(&sb.home, &["ssoenv ", "ssoenv use "]) else {
            continue;
        };
        let ctx = format!("{shell}:\n{text}");
        assert!(text.ends_with("done\n"), "{ctx}");
        assert!(!text.contains("split="), "one word each: {ctx}");
        let offered = |label: &str| -> Vec<String> {
            let mut got: Vec<String> = text
                .lines()
                .filter_map(|l| l.strip_prefix(&format!("{label}=")))
                .map(unhex)
                .collect();
            got.sort();
            got
        };
        let subs = offered("c0");
        for sub in [
            "use", "exec", "unset", "prompt", "login", "status", "doctor",
        ] {
            assert!(subs.iter().any(|s| s == sub), "{sub}: {ctx}");
        }
        let mut want: Vec<String> = listed.lines().map(str::to_owned).collect();
        want.sort();
        assert_eq!(offered("c1"), want, "{ctx}");
        if shell == "nu" {
            assert!(text.contains("completer=__ssoenv_complete\n"), "{ctx}");
        }
        assert!(!sb.home.join("PWNED").exists(), "{ctx}");
    }
}

/// The text whose UTF-8 bytes `h` spells in hex.
fn unhex(h: &str) -> String {
    let bytes: Vec<u8> = (0..h.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap())
        .collect();
    String::from_utf8(bytes).unwrap()
}

/// Seconds left, one inside each band and text form (mid-minute, so that a second's tick
/// changes nothing but the last one), and past expiry.
const LEFTS: [i64; 6] = [5430, 2550, 630, 150, 40, -100];

#[test]
fn the_prompt_counts_down_in_every_band_with_its_colour_and_the_renewal_mark() {
    let name = "pr\nod\x1b]0;T\x07 $(touch PWNED)";
    for sh in all_installed_shells() {
        let shell = sh.name;
        let sb = Sandbox::new();
        let t0 = now();
        let mut body = sh.set_env("SSOENV_PROFILE", name);
        for (i, left) in LEFTS.iter().enumerate() {
            body.push_str(&sh.set_env("SSOENV_EXPIRATION", &(t0 + left).to_string()));
            body.push_str(&sh.prompt_line(&format!("p{i}")));
        }
        body.push_str(&sh.set_env("SSOENV_EXPIRATION", &(t0 + 5430).to_string()));
        body.push_str(&sh.set_env("NO_COLOR", "1"));
        body.push_str(&sh.set_env("SSOENV_RENEWABLE", "1"));
        body.push_str(&sh.set_env("SSOENV_AUTO_RENEW", "1"));
        body.push_str(&sh.prompt_line("mark"));
        body.push_str(&sh.set_env("SSOENV_AUTO_RENEW", "0"));
        body.push_str(&sh.prompt_line("off"));
        let out = run(&sb, sh, &body, &[("LANG", "C.UTF-8")]);
        // The mark's form follows the locale the shell started with.
        let c = run(&sb, sh, &body, &[("LANG", "C.UTF-8"), ("LC_ALL", "C")]);
        let c = stdout(&c);
        let t1 = now();
        let text = stdout(&out);
        let ctx = format!("{shell}:\n{text:?}\n{}", stderr(&out));
        assert!(out.status.success(), "{ctx}");
        let shown = ssoenv::text::printable(name).into_owned();
        for (i, left) in LEFTS.iter().enumerate() {
            let p = field(&text, &format!("p{i}"));
            // The shells read the clock on their own (elvish from /proc): a second either way.
            let ok = (t0 - 1..=t1 + 1).any(|now| {
                let seg = prompt::segment(name, Some(t0 + left), now, false, None).unwrap();
                let state = prompt::State::of(Some(t0 + left - now));
                let sgr = state.ansi().unwrap();
                // elvish's `styled` writes the same colour as `ESC[;32m`.
                let coloured = p.contains(sgr) || p.contains(&sgr.replace('[', "[;"));
                p.contains(&format!("({seg})")) && coloured && p.ends_with("P> ")
            });
            assert!(ok, "{left}s left: {p:?}\n{ctx}");
            assert!(p.contains(&format!("({shown} ")), "{p:?}");
        }
        let plain = |text: &str, label: &str, mark: &str| {
            let p = field(text, label);
            let want = [" 1h30m", " 1h31m"]
                .iter()
                .any(|t| p == format!("({shown}{t}{mark}) P> "));
            assert!(want, "{label}: {p:?}\n{ctx}");
        };
        plain(&text, "mark", " \u{21bb}");
        plain(&c, "mark", " +");
        plain(&text, "off", "");
        plain(&c, "off", "");
        assert!(!sb.home.join("PWNED").exists(), "{ctx}");
    }
}

/// `label=` of `out`, or a failure showing the whole run.
fn get<'a>(text: &'a str, label: &str, ctx: &str) -> &'a str {
    if !text.contains(&format!("{label}=")) {
        panic!("no {label}= in {ctx}");
    }
    field(text, label)
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}
