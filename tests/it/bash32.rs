//! The bash integration on an old bash (macOS's `/bin/bash` is 3.2), run on the bash here
//! with what 3.2 lacks switched off or shadowed: `EPOCHSECONDS`/`EPOCHREALTIME` unset (which
//! takes their magic away), printf's `%(…)T` (bash 4.2) failing as 3.2's printf does,
//! `compopt`/`mapfile`/`readarray` disabled (`enable -n`), and `BASH_COMPAT=31`, under which
//! bash 5 keeps the quotes and backslashes of a `${x//pat/rep}` replacement as bash before 4.3
//! did. Each script runs in strict mode (`-euo pipefail`, `support::BASH`). What cannot be
//! switched off here (a bash that has never seen `${x@a}`, `[[ ]]` without extglob) is listed
//! in the README's macOS section.

use std::path::Path;

use crate::support;
use support::{BASH, BIN, assert_quiet_success, field};

/// Shell code: bash 3.2 as far as this bash can play it. `date` runs through a wrapper that
/// counts its calls into `$DATES`.
const OLD_BASH: &str = "unset EPOCHSECONDS EPOCHREALTIME\n\
    enable -n compopt mapfile readarray\n";

/// Shell code: printf without `%(…)T`, as before bash 4.2 (`printf: (': invalid format character`).
const NO_PRINTF_TIME: &str = "printf() {\n\
    case ${3-} in *'%('*) builtin printf 'printf: `(%s: invalid format character\\n' \"'\" >&2; return 1 ;; esac\n\
    builtin printf \"$@\"\n}\n";

/// A directory with a `date` that appends a line to `$DATES` at each call.
fn counting_date(dir: &Path) -> String {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let date = bin.join("date");
    std::fs::write(
        &date,
        "#!/bin/sh\necho called >> \"$DATES\"\nexec /bin/date \"$@\"\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&date, std::fs::Permissions::from_mode(0o755)).unwrap();
    format!("{}:/usr/bin:/bin", bin.display())
}

fn run(home: &Path, script: &str) -> String {
    let path = counting_date(home);
    let dates = home.join("dates");
    std::fs::write(&dates, "").unwrap();
    let out = BASH.run(
        home,
        script,
        &[
            ("PATH", &path),
            ("DATES", dates.to_str().unwrap()),
            ("BASH_COMPAT", "31"),
        ],
    );
    assert_quiet_success("bash", &out)
}

/// Shell code printing the segment, its state and the expanded prompt under `label`.
fn show(label: &str) -> String {
    format!(
        "builtin printf '{label}=%s\\n{label}_state=%s\\n{label}_prompt=%s\\n' \"$SSOENV_SEGMENT\" \"$SSOENV_SEGMENT_STATE\" \"${{PS1@P}}\"\n"
    )
}

/// The countdown without EPOCHSECONDS: the clock is SECONDS plus an offset read once when the
/// script loads (one `date` without printf's `%(…)T`, none with it), so time passing, played
/// by moving SECONDS on, moves the countdown through every band while no prompt starts a
/// process. (Before: every prompt read the clock with printf's `%(…)T`, and, without it,
/// with a `date` per prompt; moving SECONDS changed nothing.)
#[test]
fn without_epochseconds_the_countdown_follows_seconds_and_no_prompt_starts_a_process() {
    for (printf_time, dates_at_init) in [(false, 1), (true, 0)] {
        let home = tempfile::tempdir().unwrap();
        let mut s = String::from(OLD_BASH);
        if !printf_time {
            s.push_str(NO_PRINTF_TIME);
        }
        s.push_str("PS1='P> '\n");
        s.push_str(&BASH.init());
        s.push('\n');
        s.push_str("builtin printf 'init=%s\\n' \"$(wc -l < \"$DATES\")\"\n");
        s.push_str("export SSOENV_PROFILE=prod SSOENV_EXPIRATION=$(($(/bin/date +%s) + 1850))\n");
        let steps = [0, 920, 60, 840, 100];
        for (i, step) in steps.iter().enumerate() {
            s.push_str(&format!("SECONDS=$((SECONDS + {step}))\n"));
            s.push_str(&BASH.prompt_hook());
            // A second prompt within the same minute: the cached text.
            s.push_str(&BASH.prompt_hook());
            s.push_str(&show(&format!("p{i}")));
        }
        s.push_str("builtin printf 'after=%s\\n' \"$(wc -l < \"$DATES\")\"\n");
        s.push_str("declare -f __ssoenv_hook | grep -c EPOCHSECONDS || true\n");
        let out = run(home.path(), &s);
        let what = format!("printf %(...)T: {printf_time}: {out}");
        assert_eq!(field(&out, "init"), dates_at_init.to_string(), "{what}");
        assert_eq!(field(&out, "after"), dates_at_init.to_string(), "{what}");
        for (i, (seg, state, sgr)) in [
            ("prod 30m", "ok", "32"),
            ("prod 15m", "ok", "32"),
            ("prod 14m", "warn", "33"),
            ("prod 30s|prod 29s|prod 28s", "critical", "31"),
            ("prod expired", "expired", "31"),
        ]
        .iter()
        .enumerate()
        {
            let got = field(&out, &format!("p{i}"));
            assert!(seg.split('|').any(|s| s == got), "{i}: {got:?}: {what}");
            assert_eq!(field(&out, &format!("p{i}_state")), *state, "{i}: {what}");
            let p = field(&out, &format!("p{i}_prompt"));
            assert_eq!(
                p,
                format!("\x01\x1b[{sgr}m\x02({got})\x01\x1b[0m\x02 P> "),
                "{i}: {what}"
            );
        }
        assert!(
            out.ends_with("0\n"),
            "the hook reads no EPOCHSECONDS: {what}"
        );
    }
}

/// The `ssoenv` function on the old bash: `use` with `--shell bash` given (the function's own
/// `--shell` array then empty, "unbound" under `set -u` before bash 4.4) and `unset`, the
/// exit status of a failing command kept by the hook, and PS1 with `shopt -u promptvars`
/// (the segment put in as text, its backslashes doubled without `${x//\\/\\\\}`).
#[test]
fn the_function_the_hook_and_a_literal_prompt_work_on_the_old_bash() {
    let home = tempfile::tempdir().unwrap();
    let fake = home.path().join("fake-ssoenv");
    std::fs::write(
        &fake,
        "#!/bin/sh\nprintf 'args=%s\\n' \"$*\" >&2\ncase $1 in\n\
         use) printf '%s\\n' \"export SSOENV_PROFILE='a\\\\b'; export SSOENV_EXPIRATION=$(( $(/bin/date +%s) + 4000 ));\" ;;\n\
         unset) echo 'unset SSOENV_PROFILE SSOENV_EXPIRATION;' ;;\nesac\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut s = String::from(OLD_BASH);
    s.push_str(NO_PRINTF_TIME);
    s.push_str("PS1='P> '\n");
    s.push_str(&BASH.init());
    s.push_str(&format!("\n__ssoenv_bin='{}'\n", fake.display()));
    s.push_str("ssoenv use prod --shell bash 2>&1\n");
    // The hook sees status 3 (errexit off around it).
    s.push_str("set +e\n(exit 3); ");
    s.push_str(&BASH.prompt_hook());
    s.push_str("set -e\n");
    s.push_str(&show("used"));
    s.push_str("shopt -u promptvars\n");
    s.push_str(&BASH.prompt_hook());
    s.push_str("builtin printf 'literal=%s\\n' \"$PS1\"\n");
    s.push_str("shopt -s promptvars\n");
    s.push_str(&BASH.prompt_hook());
    s.push_str("ssoenv unset 2>&1\n");
    s.push_str(&BASH.prompt_hook());
    s.push_str(&show("unset"));
    let out = run(home.path(), &s);
    assert!(out.contains("args=use prod --shell bash\n"), "{out}");
    assert!(out.contains("args=unset --shell bash\n"), "{out}");
    assert_eq!(field(&out, "used"), "a\\b 1h06m", "{out}");
    assert_eq!(
        field(&out, "used_prompt"),
        "\x01\x1b[32m\x02(a\\b 1h06m)\x01\x1b[0m\x02 P> ",
        "{out}"
    );
    assert!(out.contains("status=3\n"), "{out}");
    // PS1 holds the segment as text, `\` doubled so that PS1's own escapes give it back.
    assert_eq!(
        field(&out, "literal"),
        "\x01\x1b[32m\x02(a\\\\b 1h06m)\x01\x1b[0m\x02 P> ",
        "{out}"
    );
    assert_eq!(field(&out, "unset"), "", "{out}");
    assert_eq!(field(&out, "unset_prompt"), "P> ", "{out}");
}

/// Tab after `ssoenv use` on the old bash, with no `compopt`, no `mapfile`: names inserted
/// quoted with printf %q, or as they are after an opening `'`. (A `'` in a name would be
/// written `'\''`, no longer with `"${name//"$sq"/"$esc"}"`, whose inner quotes bash before
/// 4.3 kept; `profiles --names` lists no name with a `'`, so that path is not reached here.)
#[test]
fn completion_quotes_profile_names_on_the_old_bash() {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".aws")).unwrap();
    std::fs::write(
        home.path().join(".aws/config"),
        "[profile a$b]\nsso_session = c\nsso_account_id = 1\nsso_role_name = R\n\
         [profile ab]\nsso_session = c\nsso_account_id = 1\nsso_role_name = R\n\
         [sso-session c]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\n",
    )
    .unwrap();
    let bin_dir = Path::new(BIN).parent().unwrap().display().to_string();
    let complete = |words: &str| {
        format!(
            "COMP_WORDS=({words})\nCOMP_CWORD=$((${{#COMP_WORDS[@]}} - 1))\n\
             _ssoenv_with_profiles ssoenv \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\n\
             builtin printf 'reply=%s\\n' \"${{COMPREPLY[@]}}\"\n"
        )
    };
    let mut s = String::from(OLD_BASH);
    s.push_str(&format!("PATH={bin_dir}:$PATH\nset +e\n"));
    s.push_str(&BASH.init());
    s.push('\n');
    s.push_str(&complete("ssoenv use \"'a\""));
    s.push_str(&complete("ssoenv use a"));
    s.push_str(&complete("ssoenv use --sh"));
    let out = run(home.path(), &s);
    let replies: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("reply="))
        .collect();
    assert_eq!(replies, ["a$b", "ab", "a\\$b", "ab", "--shell"], "{out}");
}
