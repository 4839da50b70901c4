//! nushell's own cases, beyond the matrix of `shell_matrix.rs` (where its row runs the
//! cases every shell shares): `ssoenv init nu` sourced by a real `nu` (no config files),
//! renewal from the pre_prompt hook, pass-through of `--version`/`--help`, the right prompt
//! at every band edge computed without a process (PATH empty), and the
//! completer with hostile profile names; the hostile values are in `shell_quoting::nu_*`.

use crate::support;

use ssoenv::prompt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use support::{BIN, NU_ARGS, Sandbox, have, stderr, stdout};

/// `ssoenv init nu` (for the binary at `bin`), then `body`, in a real nu in `home`.
fn nu(
    home: &Path,
    sb: Option<&Sandbox>,
    init_bin: &str,
    body: &str,
    env: &[(&str, &str)],
) -> Output {
    let init = Command::new(BIN).args(["init", "nu"]).output().unwrap();
    assert!(init.status.success(), "{}", stderr(&init));
    let init = String::from_utf8(init.stdout).unwrap().replacen(
        &format!("const __ssoenv_bin = '{BIN}'"),
        &format!("const __ssoenv_bin = '{init_bin}'"),
        1,
    );
    std::fs::write(home.join("init.nu"), init).unwrap();
    std::fs::write(home.join("test.nu"), format!("{body}\n")).unwrap();
    let mut c = Command::new("nu");
    c.args(NU_ARGS)
        .arg("test.nu")
        .current_dir(home)
        .env_clear()
        .env("HOME", home)
        .env("PATH", "/usr/bin:/bin")
        .env("SSOENV_TEST_POLL_INTERVAL_MS", "10")
        .stdin(Stdio::null());
    if let Some(sb) = sb {
        let url = sb.emu.url();
        for k in [
            "AWS_ENDPOINT_URL_SSO_OIDC",
            "AWS_ENDPOINT_URL_SSO",
            "AWS_ENDPOINT_URL_STS",
            "AWS_ENDPOINT_URL_SIGNIN",
        ] {
            c.env(k, &url);
        }
        c.env("SSOENV_INTERACTIVE", "1");
    }
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "nu failed: {}\n{}",
        stderr(out),
        stdout(out)
    );
    stdout(out)
}

#[test]
fn use_loads_the_session_unset_hides_it_and_the_hook_renews_near_expiry() {
    if !have("nu") {
        return;
    }
    let sb = Sandbox::new();
    let body = "source init.nu
ssoenv use dev
print $\"profile=($env.AWS_PROFILE) key=($env.AWS_ACCESS_KEY_ID) region=($env.AWS_REGION)\"
print $\"seg=((ssoenv-segment).text)\"
$env.SSOENV_AUTO_RENEW = '1'
$env.SSOENV_EXPIRATION = ((date now | into int) // 1_000_000_000 + 100 | into string)
print $\"before=((ssoenv-segment).state)\"
for h in $env.config.hooks.pre_prompt { do --env $h }
print $\"after=((ssoenv-segment).state)\"
ssoenv unset
print $\"gone=(['AWS_ACCESS_KEY_ID' 'AWS_SECRET_ACCESS_KEY' 'AWS_SESSION_TOKEN' 'SSOENV_PROFILE' 'AWS_PROFILE'] | any {|n| $n in $env })\"";
    let out = ok(&nu(&sb.home, Some(&sb), BIN, body, &[]));
    assert!(out.contains("profile=dev key=ASIA"), "{out}");
    assert!(out.contains("region=eu-west-1"), "{out}");
    assert!(
        out.contains("seg=dev 59m") || out.contains("seg=dev 1h00m"),
        "{out}"
    );
    assert!(out.contains("before=critical"), "{out}");
    assert!(out.contains("after=ok"), "{out}");
    assert!(out.contains("gone=false"), "{out}");
    assert_eq!(sb.emu.stats().start_device_authorization, 1);
}

/// `--version` and `use --help` pass through the command untouched (the refusal of another
/// shell's `--shell` and the exit statuses are cases of `shell_matrix.rs`).
#[test]
fn version_and_help_pass_through_the_command() {
    if !have("nu") {
        return;
    }
    let sb = Sandbox::new();
    let body = "source init.nu
print (ssoenv --version)
print (ssoenv use --help | lines | first)";
    let out = ok(&nu(&sb.home, Some(&sb), BIN, body, &[]));
    assert!(
        out.contains(&format!("ssoenv {}", env!("CARGO_PKG_VERSION"))),
        "{out}"
    );
    assert!(out.contains("\nPrint shell code that exports"), "{out}");
    assert_eq!(sb.emu.stats().start_device_authorization, 0);
}

/// Seconds left at each edge of the prompt table and the second before and after it (the
/// clock may tick during a check), mid-minute points, far past expiry.
fn edges() -> Vec<i64> {
    let mut v = vec![3930, 2550, 600, 45, -100];
    for edge in prompt::BANDS
        .iter()
        .map(|b| b.from)
        .filter(|&f| f > i64::MIN)
        .chain(prompt::TEXT_FROM)
    {
        v.extend([edge + 1, edge - 1]);
    }
    v.sort_unstable();
    v.dedup();
    v
}

#[test]
fn the_right_prompt_shows_every_band_and_the_renewal_mark_without_a_process() {
    if !have("nu") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let lefts: Vec<String> = edges().iter().map(i64::to_string).collect();
    // The binary at a path that does not exist and no PATH: a prompt that ran ssoenv (or
    // any program) would fail; the segment is computed in nushell.
    let body = format!(
        "$env.PROMPT_COMMAND_RIGHT = {{|| 'R>' }}
source init.nu
$env.PATH = []
$env.SSOENV_PROFILE = \"pr\\nod\"
let t0 = ((date now | into int) // 1_000_000_000)
print $\"t0=($t0)\"
for left in [{}] {{
    $env.SSOENV_EXPIRATION = ($t0 + $left | into string)
    let s = (ssoenv-segment)
    print $\"($left)|($s.text)|($s.state)|($s.color)|(do $env.PROMPT_COMMAND_RIGHT | str replace -a \"\\e\" '<ESC>')\"
}}
$env.SSOENV_EXPIRATION = 'soon'
print $\"unknown|(do $env.PROMPT_COMMAND_RIGHT | str replace -a \"\\e\" '<ESC>')\"
$env.SSOENV_EXPIRATION = ((date now | into int) // 1_000_000_000 + 4000 | into string)
$env.SSOENV_RENEWABLE = '1'
$env.SSOENV_AUTO_RENEW = '1'
$env.NO_COLOR = '1'
$env.LANG = 'C.UTF-8'
print $\"utf8|(do $env.PROMPT_COMMAND_RIGHT)\"
$env.LANG = 'C'
print $\"c|(do $env.PROMPT_COMMAND_RIGHT)\"
$env.SSOENV_AUTO_RENEW = '0'
print $\"off|(do $env.PROMPT_COMMAND_RIGHT)\"
$env.SSOENV_PROMPT = 'off'
print $\"prompt-off|(do $env.PROMPT_COMMAND_RIGHT)\"
hide-env SSOENV_PROFILE SSOENV_PROMPT
print $\"inactive|(do $env.PROMPT_COMMAND_RIGHT)\"
print $\"t1=((date now | into int) // 1_000_000_000)\"",
        lefts.join(" ")
    );
    let out = ok(&nu(home.path(), None, "/nonexistent/ssoenv", &body, &[]));
    let t0: i64 = support::field(&out, "t0").parse().unwrap();
    let t1: i64 = support::field(&out, "t1").parse().unwrap();
    for left in edges() {
        let line = out
            .lines()
            .find(|l| l.starts_with(&format!("{left}|")))
            .unwrap_or_else(|| panic!("{left}: {out}"));
        let ok = (t0..=t1).any(|now| {
            let seg = prompt::segment("pr\nod", Some(t0 + left), now, false, None).unwrap();
            let state = prompt::State::of(Some(t0 + left - now));
            let shown =
                format!("{}({seg})\x1b[0m R>", state.ansi().unwrap()).replace('\x1b', "<ESC>");
            let want = format!(
                "{left}|{seg}|{}|{}|{}",
                state.name(),
                state.color_name(),
                shown
            );
            line == want
        });
        let seg = prompt::segment("pr\nod", Some(t0 + left), t0, false, None);
        let state = prompt::State::of(Some(left));
        assert!(
            ok,
            "{left}s left: {line:?} (want {seg:?} {:?})\n{out}",
            state.ansi()
        );
    }
    assert!(out.contains("unknown|(pr\\nod) R>\n"), "{out}");
    assert!(
        out.contains("utf8|(pr\\nod 1h06m \u{21bb}) R>\n")
            || out.contains("utf8|(pr\\nod 1h07m \u{21bb}) R>\n"),
        "{out}"
    );
    assert!(
        out.contains("c|(pr\\nod 1h06m +) R>\n") || out.contains("c|(pr\\nod 1h07m +) R>\n"),
        "{out}"
    );
    assert!(
        out.contains("off|(pr\\nod 1h06m) R>\n") || out.contains("off|(pr\\nod 1h07m) R>\n"),
        "{out}"
    );
    assert!(out.contains("prompt-off|R>\n"), "{out}");
    assert!(out.contains("inactive|R>\n"), "{out}");
}

#[test]
fn the_completer_offers_subcommands_and_hostile_profile_names_exactly() {
    if !have("nu") {
        return;
    }
    let sb = Sandbox::new();
    let names = [
        "\"it's $(touch PWNED) `id` ;|&\"",
        "a$(b)",
        "caf\u{e9}",
        "\"q r\"",
    ];
    let mut config = support::CONFIG.to_owned();
    for n in names {
        config.push_str(&format!(
            "\n[profile {n}]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = R\n"
        ));
    }
    sb.write_config(&config);
    let listed = stdout(&sb.run(["profiles", "--names"]));
    for n in ["it's $(touch PWNED) `id` ;|&", "a$(b)", "caf\u{e9}", "q r"] {
        assert!(listed.lines().any(|l| l == n), "{n:?} not in {listed}");
    }
    // Names come as literals nushell reads back (`r#'…'#` unless plain), the name itself as
    // the description; `names` lists what is offered, as names (hostile_shell.rs types them).
    let body = "source init.nu
def names [r] { if ($r | describe) =~ '^record' { $r.completions } else { $r } | each {|x| $x.description? | default $x.value } }
print (__ssoenv_complete 'ssoenv ' | each {|r| $r.value } | to json)
print (names (__ssoenv_complete 'ssoenv use ') | to json)
print (names (__ssoenv_complete 'ssoenv exec --region x ') | to json)
print (names (__ssoenv_complete 'ssoenv use dev ') | to json)
print (names (__ssoenv_complete 'ssoenv status ') | to json)";
    let out = ok(&nu(&sb.home, Some(&sb), BIN, body, &[]));
    let lists: Vec<Vec<String>> = out
        .split("\n[")
        .map(|s| serde_json::from_str(&format!("[{}", s.trim_start_matches('['))).unwrap())
        .collect();
    assert_eq!(lists.len(), 5, "{out}");
    for sub in ["use", "unset", "exec", "login", "status", "completions"] {
        assert!(lists[0].iter().any(|s| s == sub), "{sub}: {out}");
    }
    let mut want: Vec<String> = listed.lines().map(str::to_owned).collect();
    want.sort();
    for list in &lists[1..3] {
        let mut got = list.clone();
        got.sort();
        assert_eq!(got, want, "{out}");
    }
    assert!(lists[3].is_empty() && lists[4].is_empty(), "{out}");
    assert!(!sb.home.join("PWNED").exists());
}

/// `ssoenv completions nu` without the init: the completer and an `extern ssoenv` that
/// carries it, completing names through the `ssoenv` on PATH.
#[test]
fn the_standalone_completion_script_declares_the_extern_and_completes_names() {
    if !have("nu") {
        return;
    }
    let sb = Sandbox::new();
    let out = sb.run(["completions", "nu"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let script = sb.home.join("completions.nu");
    std::fs::write(&script, &out.stdout).unwrap();
    let bin_dir = sb.dir.path().join("bin");
    std::fs::create_dir_all(&bin_dir).unwrap();
    std::os::unix::fs::symlink(BIN, bin_dir.join("ssoenv")).unwrap();
    let out = Command::new("nu")
        .args(NU_ARGS)
        .arg("-c")
        .arg(
            "source completions.nu
def names [r] { if ($r | describe) =~ '^record' { $r.completions } else { $r } | each {|x| $x.description? | default $x.value } }
print (scope externs | where name == ssoenv | length)
print (names (__ssoenv_complete 'ssoenv login --sso-session ') | to json -r)
print (names (__ssoenv_complete 'ssoenv exec ') | to json -r)",
        )
        .current_dir(&sb.home)
        .env_clear()
        .env("HOME", &sb.home)
        .env("PATH", format!("{}:/usr/bin:/bin", bin_dir.display()))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let out = ok(&out);
    let sessions = stdout(&sb.run(["profiles", "--sessions"]));
    let names = stdout(&sb.run(["profiles", "--names"]));
    let json = |s: &str| serde_json::to_string(&s.lines().collect::<Vec<_>>()).unwrap();
    assert_eq!(out, format!("1\n{}\n{}\n", json(&sessions), json(&names)));
}
