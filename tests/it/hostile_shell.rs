//! Hostile input against the shell integration (issue 7): profile names that
//! carry code or terminal escapes, an inherited `SSOENV_SHELL` for another
//! shell, prompt options set in any order, absurd `SSOENV_EXPIRATION` values.
//! Everything runs in real bash, zsh and fish; tab completion of hostile names in a tmux
//! terminal also in nushell, elvish and xonsh (all six shells of `support::ALL_SHELLS`);
//! a missing shell skips locally and fails under `CI`.

use crate::support;

use std::path::Path;
use std::process::Command;
use std::time::Duration;
use support::{BASH, BIN, Sandbox, Tmux, assert_quiet_success, field, have, hex, installed_shells};

// --- 1. completion of hostile profile names ----------------------------------------------

/// Profile names with a unique first letter each; the first runs `touch` if
/// anything ever evaluates it.
fn hostile_names(pwned: &Path) -> Vec<String> {
    vec![
        format!("x$(touch {})", pwned.display()),
        "a b".into(),
        "it's".into(),
        "semi;colon&".into(),
        "q\"x".into(),
        "d$HOME`id`\\z".into(),
        "caf\u{e9} \u{201a}q".into(),
        "g*?~[ab".into(),
        "e{b,c}|<>".into(),
    ]
}

fn hostile_config(home: &Path) -> (Vec<String>, std::path::PathBuf) {
    let pwned = home.join("pwned");
    let names = hostile_names(&pwned);
    std::fs::create_dir_all(home.join(".aws")).unwrap();
    // SSO profiles (completion offers only what `use` accepts), each name
    // quoted the way botocore's shlex reads it back.
    let mut config = String::from(
        "[sso-session corp]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\n",
    );
    for n in &names {
        config.push_str(&format!(
            "[profile {}]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n",
            shell_words::quote(n)
        ));
    }
    std::fs::write(home.join(".aws/config"), config).unwrap();
    // The binary lists them as they are.
    let out = Command::new(BIN)
        .args(["profiles", "--names"])
        .env_clear()
        .env("HOME", home)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        names.join("\n") + "\n"
    );
    (names, pwned)
}

#[test]
fn bash_completion_quotes_hostile_profile_names_and_runs_none_of_them() {
    if !have("bash") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let (names, pwned) = hostile_config(home.path());
    // Complete after `ssoenv use ` with the first letter typed and with nothing
    // typed, then evaluate each candidate as the command line would.
    for cur in names
        .iter()
        .map(|n| n[..1].to_owned())
        .chain([String::new()])
    {
        let script = format!(
            "eval \"$(\"$B\" init bash)\"\n\
             COMP_WORDS=(ssoenv use '{cur}'); COMP_CWORD=2\n\
             COMP_LINE=\"ssoenv use {cur}\"; COMP_POINT=${{#COMP_LINE}}\n\
             _ssoenv_with_profiles ssoenv '{cur}' use\n\
             for r in \"${{COMPREPLY[@]}}\"; do\n\
               eval \"set -- $r\"\n\
               printf 'got=%s:%s\\n' \"$#\" \"$(printf %s \"$1\" | od -An -tx1 -v | tr -d ' \\n')\"\n\
             done\n"
        );
        let out = assert_quiet_success(
            "bash",
            &support::shell("bash").run(home.path(), &script, &[]),
        );
        let got: Vec<&str> = out.lines().filter_map(|l| l.strip_prefix("got=")).collect();
        let want: Vec<String> = names
            .iter()
            .filter(|n| n.starts_with(cur.as_str()))
            .map(|n| format!("1:{}", hex(n)))
            .collect();
        assert_eq!(got, want, "bash, {cur:?}: {out}");
        assert!(!pwned.exists(), "completion ran code from a profile name");
    }
    // After an opening quote readline inserts the candidate inside it and closes it.
    for cur in names.iter().map(|n| format!("'{}", &n[..1])) {
        let script = "eval \"$(\"$B\" init bash)\"\n\
             COMP_WORDS=(ssoenv use \"$1\"); COMP_CWORD=2\n\
             _ssoenv_with_profiles ssoenv \"${1#?}\" use\n\
             for r in \"${COMPREPLY[@]}\"; do\n\
               eval \"set -- '$r'\"\n\
               printf 'got=%s:%s\\n' \"$#\" \"$(printf %s \"$1\" | od -An -tx1 -v | tr -d ' \\n')\"\n\
             done\n";
        let out = BASH
            .command(script)
            .arg(&cur)
            .current_dir(home.path())
            .env_clear()
            .env("HOME", home.path())
            .env("PATH", "/usr/bin:/bin")
            .env("B", BIN)
            .output()
            .unwrap();
        let out = assert_quiet_success("bash", &out);
        let got: Vec<&str> = out.lines().filter_map(|l| l.strip_prefix("got=")).collect();
        let want: Vec<String> = names
            .iter()
            .filter(|n| n.starts_with(&cur[1..]))
            .map(|n| format!("1:{}", hex(n)))
            .collect();
        assert_eq!(got, want, "bash, {cur:?}: {out}");
        assert!(!pwned.exists(), "completion ran code from a profile name");
    }
}

/// Type `ssoenv use <first letter>`, press Tab, then Enter, in a real interactive
/// shell; `ssoenv` is a stand-in that prints the profile argument it got.
fn tab_completes_each_hostile_name(shell: &str) {
    if !have("tmux") || !have(shell) {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let (names, pwned) = hostile_config(home.path());
    let setup = match shell {
        "bash" => {
            "PS1='$ '; eval \"$(\"$B\" init bash)\"; \
             ssoenv() { if [ \"$1\" = profiles ]; then command \"$B\" \"$@\"; else echo \"GOT:$#:$(printf %s \"$2\" | od -An -tx1 -v | tr -d ' \\n'):END\"; fi; }; echo READY"
        }
        "zsh" => {
            "PROMPT='$ '; autoload -Uz compinit; compinit -u -D; eval \"$(\"$B\" init zsh)\"; \
             ssoenv() { if [ \"$1\" = profiles ]; then command \"$B\" \"$@\"; else echo \"GOT:$#:$(printf %s \"$2\" | od -An -tx1 -v | tr -d ' \\n'):END\"; fi; }; echo READY"
        }
        "fish" => {
            "function fish_prompt; printf '$ '; end; \"$B\" init fish | source; \
             function ssoenv; if test \"$argv[1]\" = profiles; command $B $argv; else; echo GOT:(count $argv):(printf %s $argv[2] | od -An -tx1 -v | tr -d ' \\n'):END; end; end; echo READY"
        }
        "elvish" => {
            "set edit:prompt = { put '$ ' }; eval ((external $E:B) init elvish | slurp); \
             edit:add-var ssoenv~ {|@a| if (eq $a[0] profiles) { (external $E:B) $@a } else { echo GOT:(to-string (count $a)):(print $a[1] | od -An -tx1 -v | tr -d ' \\n'):END } }; echo READY"
        }
        // nushell sources files known when it parses a line: the init is saved, then
        // sourced, each on its own line (below), before this one.
        "nu" => {
            "def --wrapped ssoenv [...args: string@__ssoenv_complete] { if ($args | get 0) == profiles { ^$env.B ...$args } else { print $\"GOT:($args | length):($args | get 1 | encode utf-8 | encode hex --lower):END\" } }; print (\"REA\" + \"DY\")"
        }
        "xonsh" => {
            "$PROMPT = '$ '; execx(__import__('subprocess').check_output([$B, 'init', 'xonsh'], env=__xonsh__.env.detype(), text=True), 'exec', __xonsh__.ctx, filename='ssoenv'); aliases['ssoenv'] = lambda a: print('GOT:%d:%s:END' % (len(a), a[1].encode().hex())); print('REA' + 'DY')"
        }
        _ => unreachable!(),
    };
    let t = Tmux::start(home.path(), &[], support::shell(shell).interactive);
    std::thread::sleep(Duration::from_millis(300));
    if shell == "nu" {
        for line in ["^$env.B init nu | save -f init.nu", "source init.nu"] {
            t.keys(line);
            t.key("Enter");
            std::thread::sleep(Duration::from_millis(500));
        }
    }
    t.keys(setup);
    t.key("Enter");
    let s = t.wait_for("READY\n");
    assert!(s.contains("READY\n"), "{shell}: not ready:\n{s}");
    // Typed as a bare word, then after an opening single quote.
    for (i, typed) in names
        .iter()
        .map(|n| n[..1].to_owned())
        .chain(names.iter().map(|n| format!("'{}", &n[..1])))
        .enumerate()
    {
        let name = &names[i % names.len()];
        t.keys("clear");
        t.key("Enter");
        t.keys(&format!("ssoenv use {typed}"));
        t.key("Tab");
        std::thread::sleep(Duration::from_millis(500));
        if matches!(shell, "elvish" | "xonsh") {
            // The first Enter accepts the candidate and leaves completion mode.
            t.key("Enter");
            std::thread::sleep(Duration::from_millis(200));
        }
        t.key("Enter");
        let want = format!("GOT:2:{}:END", hex(name));
        let s = t.wait_for(&want);
        assert!(
            s.contains(&want),
            "{shell}: {typed:?} did not complete to {name:?}:\n{s}"
        );
        assert!(
            !pwned.exists(),
            "{shell}: completion ran code from a profile name"
        );
    }
}

#[test]
fn bash_tab_completion_in_a_terminal_selects_each_hostile_name() {
    tab_completes_each_hostile_name("bash");
}

#[test]
fn zsh_tab_completion_in_a_terminal_selects_each_hostile_name() {
    tab_completes_each_hostile_name("zsh");
}

#[test]
fn fish_tab_completion_in_a_terminal_selects_each_hostile_name() {
    tab_completes_each_hostile_name("fish");
}

#[test]
fn nu_tab_completion_in_a_terminal_selects_each_hostile_name() {
    tab_completes_each_hostile_name("nu");
}

#[test]
fn xonsh_tab_completion_in_a_terminal_selects_each_hostile_name() {
    tab_completes_each_hostile_name("xonsh");
}

#[test]
fn elvish_tab_completion_in_a_terminal_selects_each_hostile_name() {
    tab_completes_each_hostile_name("elvish");
}

// --- 2. terminal escapes in the prompt ------------------------------------------------------

/// A name that retitles the terminal, clears it, and sends a C1 CSI.
const ESCAPING_NAME: &str = "ev\x1b]0;T\x07il\x1b[2J\u{9b}31m\x7f\t\r\nz\u{85}";

/// Setup, hook and display per shell; the prompt text as the terminal gets it.
fn prompt_script(shell: &str) -> &'static str {
    match shell {
        "bash" => {
            "PS1='P> '; eval \"$(\"$B\" init bash)\"; eval \"$PROMPT_COMMAND\"\n\
             printf 'segment=%s\\nprompt=%s\\n' \"$SSOENV_SEGMENT\" \"${PS1@P}\""
        }
        "zsh" => {
            "PROMPT='P> '; eval \"$(\"$B\" init zsh)\"; for f in $precmd_functions; do $f; done\n\
             printf 'segment=%s\\nprompt=%s\\n' \"$SSOENV_SEGMENT\" \"$(print -rP -- $PROMPT)\""
        }
        "fish" => {
            "function fish_prompt; printf 'P> '; end; \"$B\" init fish | source; emit fish_prompt\n\
             printf 'segment=%s\\nprompt=%s\\n' \"$SSOENV_SEGMENT\" (fish_prompt | string collect)"
        }
        _ => unreachable!(),
    }
}

/// No control character but the SGR colour sequences (and readline's \001 \002).
fn strip_sgr(s: &str) -> String {
    s.replace("\x1b[31m", "")
        .replace("\x1b[0m", "")
        .replace("\x1b(B", "")
        .replace("\x1b[m", "")
        .replace(['\x01', '\x02'], "")
}

#[test]
fn control_characters_in_the_profile_name_never_reach_the_terminal_from_any_prompt() {
    let printable = ssoenv::text::printable(ESCAPING_NAME).into_owned();
    let seg = format!("{printable} expired");
    for locale in ["C", "C.UTF-8"] {
        for shell in installed_shells().map(|s| s.name) {
            let home = tempfile::tempdir().unwrap();
            let out = support::shell(shell).run(
                home.path(),
                prompt_script(shell),
                &[
                    ("SSOENV_PROFILE", ESCAPING_NAME),
                    ("SSOENV_EXPIRATION", "1"),
                    ("LC_ALL", locale),
                ],
            );
            let out = assert_quiet_success(shell, &out);
            // fish in the C locale reads the environment as Latin-1: the C1 control's
            // lead byte is a letter of its own, the control still an escape.
            let seg = if shell == "fish" && locale == "C" {
                seg.replace("\\u{", "\u{c2}\\u{")
            } else {
                seg.clone()
            };
            assert_eq!(field(&out, "segment"), seg, "{shell} {locale}");
            let prompt = field(&out, "prompt");
            assert!(
                prompt.contains(&format!("({seg})")),
                "{shell} {locale}: {prompt:?}"
            );
            assert!(
                !strip_sgr(prompt).chars().any(ssoenv::text::is_control),
                "{shell} {locale}: {prompt:?}"
            );
        }
    }
    // `ssoenv prompt` agrees.
    let out = Command::new(BIN)
        .arg("prompt")
        .env_clear()
        .env("SSOENV_PROFILE", ESCAPING_NAME)
        .env("SSOENV_EXPIRATION", "1")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("\x1b[31m{seg}\x1b[0m\n")
    );
    let out = Command::new(BIN)
        .args(["prompt", "--no-color", "--format", "[{profile}]"])
        .env_clear()
        .env("SSOENV_PROFILE", ESCAPING_NAME)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("[{printable}]\n")
    );
}

// --- 3. code for the wrong shell ----------------------------------------------------------

/// In `inner`: use `dev` by hand (no init) and through its own init, print the
/// profile, and write the secret to a file (never to the terminal).
fn inner_script(inner: &str) -> String {
    match inner {
        "bash" | "zsh" => format!(
            "eval \"$(\"$B\" use dev)\"; echo \"direct=$? $AWS_PROFILE ${{AWS_ACCESS_KEY_ID:0:4}}\"\n\
             eval \"$(\"$B\" unset)\"; echo \"unset=$? ${{AWS_PROFILE-none}}\"\n\
             {init}; ssoenv use dev; echo \"wrapped=$? $AWS_PROFILE ${{AWS_ACCESS_KEY_ID:0:4}}\"\n\
             printf %s \"$AWS_SECRET_ACCESS_KEY\" > secret\n",
            init = support::shell(inner).init()
        ),
        "fish" => format!(
            "\"$B\" use dev | source; echo direct=0 $AWS_PROFILE (string sub -l 4 -- $AWS_ACCESS_KEY_ID)\n\
             \"$B\" unset | source; set -q AWS_PROFILE; or echo unset=0 none\n\
             {init}; ssoenv use dev; echo wrapped=$status $AWS_PROFILE (string sub -l 4 -- $AWS_ACCESS_KEY_ID)\n\
             printf %s $AWS_SECRET_ACCESS_KEY > secret\n",
            init = support::shell(inner).init()
        ),
        _ => unreachable!(),
    }
}

fn quote_for(outer: &str, s: &str) -> String {
    match outer {
        "fish" => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        _ => format!("'{}'", s.replace('\'', "'\\''")),
    }
}

#[test]
fn each_shell_started_from_another_after_init_gets_its_own_code_and_leaks_nothing() {
    let sb = Sandbox::new();
    // Log in once, so that every `use` below reads the cache.
    let login = sb.run(["login", "dev"]);
    assert!(login.status.success(), "{}", support::stderr(&login));
    for outer in installed_shells().map(|s| s.name) {
        for inner in installed_shells() {
            let _ = std::fs::remove_file(sb.home.join("secret"));
            let inner_cmd = format!(
                "{} {} -c {}",
                inner.name,
                inner.args.join(" "),
                quote_for(outer, &inner_script(inner.name))
            );
            let script = format!(
                "{}\n{inner_cmd}\necho outer-done\n",
                support::shell(outer).init()
            );
            let out = support::shell(outer).run_in(&sb, &script, &[("NO_COLOR", "1")]);
            let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
            let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            let ctx = format!(
                "{} inside {outer}:\nstdout: {stdout}\nstderr: {stderr}",
                inner.name
            );
            assert!(out.status.success(), "{ctx}");
            assert!(stdout.contains("direct=0 dev ASIA\n"), "{ctx}");
            assert!(stdout.contains("unset=0 none\n"), "{ctx}");
            assert!(stdout.contains("wrapped=0 dev ASIA\n"), "{ctx}");
            assert!(stdout.ends_with("outer-done\n"), "{ctx}");
            let secret = std::fs::read_to_string(sb.home.join("secret")).unwrap();
            assert!(secret.len() > 10, "{ctx}");
            assert!(
                !stdout.contains(&secret) && !stderr.contains(&secret),
                "{ctx}"
            );
            for word in [
                "AWS_SECRET_ACCESS_KEY",
                "AWS_SESSION_TOKEN",
                "set -gx",
                "export ",
            ] {
                assert!(!stderr.contains(word), "{word}: {ctx}");
            }
            assert_eq!(stderr, "", "{ctx}");
        }
    }
}

#[test]
fn the_wrappers_refuse_a_shell_that_is_not_their_own() {
    let sb = Sandbox::new();
    for sh in installed_shells() {
        let shell = sh.name;
        for other in ["bash", "zsh", "fish", "powershell", "pwsh", "nu"] {
            if other == shell {
                continue;
            }
            for args in [format!("--shell {other}"), format!("--shell={other}")] {
                let script = format!(
                    "{}\n{}\n{}\necho profile={}\n",
                    sh.init(),
                    sh.status_of(&format!("ssoenv use dev {args}"), "rc"),
                    sh.status_of(&format!("ssoenv unset {args}"), "rc"),
                    sh.var("AWS_PROFILE")
                );
                let out = sh.run_in(&sb, &script, &[]);
                let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
                let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
                let ctx = format!("{shell} {args}:\nstdout: {stdout}\nstderr: {stderr}");
                assert!(out.status.success(), "{ctx}");
                assert_eq!(stdout, "rc=2\nrc=2\nprofile=\n", "{ctx}");
                assert!(stderr.contains(&format!("--shell {other}")), "{ctx}");
                assert!(!stderr.contains("AWS_SECRET_ACCESS_KEY"), "{ctx}");
            }
        }
        // Its own name is fine, in either form.
        let script = format!(
            "{}\n{}\n{}\necho profile={}\n",
            sh.init(),
            sh.status_of(&format!("ssoenv use dev --shell {shell} 2>/dev/null"), "rc"),
            sh.status_of(&format!("ssoenv use --shell={shell} dev"), "rc"),
            sh.var("AWS_PROFILE")
        );
        let out = assert_quiet_success(shell, &sh.run_in(&sb, &script, &[]));
        assert_eq!(out, "rc=0\nrc=0\nprofile=dev\n", "{shell}");
    }
}

#[test]
fn an_inherited_ssoenv_shell_loses_to_a_parent_that_is_a_known_shell() {
    let home = tempfile::tempdir().unwrap();
    for shell in installed_shells().map(|s| s.name) {
        for stale in ["bash", "zsh", "fish", "powershell"] {
            let script = match shell {
                // `source` reports the status of the last `set -e`, 4 for an absent variable.
                "fish" => "\"$B\" unset | source; echo ok=0",
                _ => "eval \"$(\"$B\" unset)\"; echo ok=$?",
            };
            let out = support::shell(shell).run(home.path(), script, &[("SSOENV_SHELL", stale)]);
            assert_eq!(
                assert_quiet_success(shell, &out),
                "ok=0\n",
                "{shell} with SSOENV_SHELL={stale}"
            );
        }
    }
}

#[test]
fn init_no_longer_exports_ssoenv_shell() {
    for shell in installed_shells().map(|s| s.name) {
        let home = tempfile::tempdir().unwrap();
        let script = format!(
            "{}\nenv | grep -c '^SSOENV_SHELL=' || true",
            support::shell(shell).init()
        );
        assert_eq!(
            assert_quiet_success(shell, &support::shell(shell).run(home.path(), &script, &[])),
            "0\n",
            "{shell}"
        );
    }
}

// --- 4. prompt options and absurd expirations ---------------------------------------------

#[test]
fn zsh_never_runs_code_from_the_profile_name_whatever_order_the_options_are_set_in() {
    if !have("zsh") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let name = "a$(date >> f)`date >> f`\\${HOME}%~!x";
    // Each case: options before the hook, options after the hook (a theme's
    // precmd that runs later), then the prompt is drawn.
    let cases = [
        ("", "setopt prompt_subst"),
        ("setopt prompt_subst", ""),
        ("setopt prompt_subst", "unsetopt prompt_subst"),
        ("", "setopt prompt_subst prompt_bang"),
        ("setopt prompt_bang", ""),
        ("setopt prompt_subst prompt_bang", ""),
    ];
    for (before, after) in cases {
        for expiration in ["4102444800", "1"] {
            let script = format!(
                "PROMPT='P> '; eval \"$(\"$B\" init zsh)\"\n\
                 {before}\nfor f in $precmd_functions; do $f; done\n{after}\n\
                 print -r -- \"prompt=$(print -rP -- $PROMPT)\"\n\
                 for f in $precmd_functions; do $f; done\n\
                 print -r -- \"again=$(print -rP -- $PROMPT)\""
            );
            let out = support::shell("zsh").run(
                home.path(),
                &script,
                &[
                    ("SSOENV_PROFILE", name),
                    ("SSOENV_EXPIRATION", expiration),
                    ("NO_COLOR", "1"),
                ],
            );
            let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
            let ctx = format!("{before:?} / {after:?}: {stdout}");
            assert!(!home.path().join("f").exists(), "code ran: {ctx}");
            let seg = ssoenv::prompt::segment(name, None, 0, false, None).unwrap();
            assert!(
                field(&stdout, "prompt").starts_with(&format!("({seg} ")),
                "{ctx}"
            );
            assert!(
                field(&stdout, "again").starts_with(&format!("({seg} ")),
                "{ctx}"
            );
        }
    }
}

#[test]
fn bash_without_promptvars_shows_the_segment_and_not_the_marker() {
    if !have("bash") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    for posix in ["", "set -o posix"] {
        let script = format!(
            "PS1='P> '; eval \"$(\"$B\" init bash)\"; {posix}\n\
             shopt -u promptvars; eval \"$PROMPT_COMMAND\"; echo \"off=${{PS1@P}}\"\n\
             eval \"$PROMPT_COMMAND\"; echo \"off2=${{PS1@P}}\"\n\
             shopt -s promptvars; eval \"$PROMPT_COMMAND\"; echo \"on=${{PS1@P}}\"\n\
             shopt -u promptvars; export SSOENV_PROFILE=other; eval \"$PROMPT_COMMAND\"; echo \"off3=${{PS1@P}}\"\n\
             unset SSOENV_PROFILE; eval \"$PROMPT_COMMAND\"; echo \"gone=${{PS1@P}}\""
        );
        let name = "b\\$(date >> f)!x\\w";
        let out = assert_quiet_success(
            "bash",
            &support::shell("bash").run(
                home.path(),
                &script,
                &[
                    ("SSOENV_PROFILE", name),
                    ("SSOENV_EXPIRATION", "1"),
                    ("NO_COLOR", "1"),
                ],
            ),
        );
        let want = format!("({name} expired) P> ");
        assert_eq!(field(&out, "off"), want, "{posix}: {out}");
        assert_eq!(field(&out, "off2"), want, "{posix}: {out}");
        assert_eq!(field(&out, "on"), want, "{posix}: {out}");
        assert_eq!(field(&out, "off3"), "(other expired) P> ", "{posix}: {out}");
        assert_eq!(field(&out, "gone"), "P> ", "{posix}: {out}");
        assert!(!home.path().join("f").exists());
    }
}

#[test]
fn absurd_expirations_print_no_errors_and_match_ssoenv_prompt() {
    let home = tempfile::tempdir().unwrap();
    for value in [
        "99999999999999999999",
        "9223372036854775808",
        "9999999999999999",
        "-5",
        "abc",
        "1e9",
        " 5",
        "0x10",
        "",
    ] {
        let out = Command::new(BIN)
            .args(["prompt", "--no-color", "--format", "{profile}|{state}"])
            .env_clear()
            .env("SSOENV_PROFILE", "p")
            .env("SSOENV_EXPIRATION", value)
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            "p|unknown\n",
            "{value:?}"
        );
        for shell in installed_shells().map(|s| s.name) {
            let script = prompt_script(shell).to_owned()
                + "\n"
                + match shell {
                    "fish" => {
                        "emit fish_prompt; fish_prompt >/dev/null; echo state=$SSOENV_SEGMENT_STATE"
                    }
                    "zsh" => {
                        "for f in $precmd_functions; do $f; done; echo state=$SSOENV_SEGMENT_STATE"
                    }
                    _ => "eval \"$PROMPT_COMMAND\"; echo state=$SSOENV_SEGMENT_STATE",
                };
            let out = support::shell(shell).run(
                home.path(),
                &script,
                &[("SSOENV_PROFILE", "p"), ("SSOENV_EXPIRATION", value)],
            );
            let out = assert_quiet_success(shell, &out);
            assert_eq!(field(&out, "segment"), "p", "{shell} {value:?}");
            assert_eq!(field(&out, "state"), "unknown", "{shell} {value:?}");
            assert_eq!(field(&out, "prompt"), "(p) P> ", "{shell} {value:?}");
        }
    }
    // The largest value still taken: 15 digits.
    for shell in installed_shells().map(|s| s.name) {
        let out = support::shell(shell).run(
            home.path(),
            prompt_script(shell),
            &[
                ("SSOENV_PROFILE", "p"),
                ("SSOENV_EXPIRATION", "999999999999999"),
                ("NO_COLOR", "1"),
            ],
        );
        let out = assert_quiet_success(shell, &out);
        assert!(
            field(&out, "segment").starts_with("p 27777"),
            "{shell}: {out}"
        );
    }
}
