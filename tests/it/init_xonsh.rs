//! xonsh's own cases, beyond the matrix of `shell_matrix.rs` (refusal of a foreign
//! `--shell`, statuses, hostile names, prompt bands): the `ssoenv` alias applies
//! `use`/`unset` from `--shell json` without evaluating text, passes other subcommands and
//! `exec` through with their status, renews quietly near expiry; the
//! `{ssoenv}` prompt field shows the countdown in the colours of `prompt::BANDS` with the
//! renewal mark, computed in Python (no process per prompt), a hostile profile name as text;
//! the completer offers subcommands and profile names, hostile names as words xonsh reads
//! back exactly. The byte-exact round trip of `--shell xonsh` is in `shell_quoting.rs`.

use crate::support;
use ssoenv::prompt::{BANDS, State};
use support::{Sandbox, XONSH, stderr, stdout};

/// `script` in xonsh after loading the integration as the README says, against the sandbox.
fn run(sb: &Sandbox, script: &str, env: &[(&str, &str)]) -> Option<String> {
    if !XONSH.available() {
        return None;
    }
    // The user's prompt first, as a ~/.xonshrc sets it before the init line.
    let script = format!(
        "{}execx(__import__('subprocess').check_output([$B, 'init', 'xonsh'], env=__xonsh__.env.detype(), text=True), 'exec', __xonsh__.ctx, filename='ssoenv')\n{script}",
        XONSH.prompt_setup
    );
    let out = XONSH.run_in(sb, &script, env);
    assert!(out.status.success(), "xonsh failed: {}", stderr(&out));
    Some(stdout(&out))
}

/// `use`, `exec`, other subcommands, a foreign `--shell`, `--help` and `unset` through the
/// alias; then quiet renewal from the prompt field with `SSOENV_AUTO_RENEW=1` near expiry.
#[test]
fn the_alias_applies_use_and_unset_and_passes_the_rest_through() {
    let sb = Sandbox::new();
    let script = "\
$AWS_SECURITY_TOKEN = 'stale'
ssoenv use dev 2>/dev/null
print('rc=%d' % _.rtn)
print('profile=' + $AWS_PROFILE + ' key=' + $AWS_ACCESS_KEY_ID[:4] + ' region=' + $AWS_REGION)
print('stale=' + str('AWS_SECURITY_TOKEN' in ${...}))
print('seg=' + ssoenv_segment()['segment'])
ssoenv exec dev -- sh -c 'printf %s \"$AWS_PROFILE\" > exec.out'
print('exec=' + open('exec.out').read())
ssoenv status --check nope 2>/dev/null
print('status_rc=%d' % _.rtn)
ssoenv use dev --shell xonsh 2>/dev/null
print('own_shell_rc=%d' % _.rtn)
ssoenv use --help
print('help_rc=%d' % _.rtn)
import time
$SSOENV_AUTO_RENEW = '1'
$SSOENV_EXPIRATION = str(int(time.time()) + 100)
print('renewed=' + ssoenv_segment()['state'] + ' ' + str(int($SSOENV_EXPIRATION) - int(time.time()) > 3000))
ssoenv unset
print('unset_rc=%d' % _.rtn)
print('left=' + ','.join(sorted(k for k in ${...} if k.startswith('AWS_') or k.startswith('SSOENV_PROFILE'))))
";
    let Some(out) = run(&sb, script, &[]) else {
        return;
    };
    let has = |s: &str| assert!(out.contains(s), "{s:?} in:\n{out}");
    has("rc=0\n");
    has("profile=dev key=ASIA region=eu-west-1\n");
    has("stale=False\n");
    assert!(
        out.contains("seg=dev 59m\n") || out.contains("seg=dev 1h00m\n"),
        "{out}"
    );
    has("exec=dev\n");
    has("own_shell_rc=0\n");
    has("Usage:");
    has("help_rc=0\n");
    has("renewed=ok True\n");
    has("unset_rc=0\n");
    has(
        "left=AWS_ENDPOINT_URL_SIGNIN,AWS_ENDPOINT_URL_SSO,AWS_ENDPOINT_URL_SSO_OIDC,AWS_ENDPOINT_URL_STS\n",
    );
    assert!(!out.contains("status_rc=0\n"), "{out}");
    assert_eq!(sb.emu.stats().start_device_authorization, 1);
}

/// Seconds left at every edge of the bands and text forms, with the expected text.
fn edges() -> Vec<(i64, String)> {
    [5400, 3600, 3599, 900, 899, 300, 299, 60, 59, 1, 0, -30]
        .into_iter()
        .map(|left: i64| {
            let text = if left >= 3600 {
                format!("{}h{:02}m", left / 3600, left % 3600 / 60)
            } else if left >= 60 {
                format!("{}m", left / 60)
            } else if left >= 1 {
                format!("{left}s")
            } else {
                "expired".to_owned()
            };
            (left, text)
        })
        .collect()
}

#[test]
fn the_prompt_field_shows_every_band_in_its_colour_without_a_process() {
    let sb = Sandbox::new();
    let lefts: Vec<String> = edges().iter().map(|(l, _)| l.to_string()).collect();
    // Every process start counted: the prompt must start none while a profile is active
    // and far from renewal.
    let script = format!(
        "import subprocess, time
__starts = []
__Popen = subprocess.Popen
class __Counting(__Popen):
    def __init__(self, *a, **k):
        __starts.append(a)
        super().__init__(*a, **k)
subprocess.Popen = __Counting
$SSOENV_PROFILE = 'dev'
time.sleep(1.05 - time.time() % 1)
for left in [{lefts}]:
    $SSOENV_EXPIRATION = str(int(time.time()) + left)
{show}$SSOENV_EXPIRATION = 'soon'
{show}$NO_COLOR = '1'
$SSOENV_EXPIRATION = str(int(time.time()) + 5400)
{show}del $NO_COLOR
$SSOENV_PROMPT = 'off'
{show}print('starts=%d' % len(__starts))
",
        lefts = lefts.join(", "),
        show = XONSH.show_segment,
    );
    let show_in_loop = XONSH
        .show_segment
        .lines()
        .map(|l| format!("    {l}\n"))
        .collect::<String>();
    let script = script.replacen(
        &format!(
            ":\n    $SSOENV_EXPIRATION = str(int(time.time()) + left)\n{}",
            XONSH.show_segment
        ),
        &format!(":\n    $SSOENV_EXPIRATION = str(int(time.time()) + left)\n{show_in_loop}"),
        1,
    );
    let Some(out) = run(&sb, &script, &[]) else {
        return;
    };
    let mut blocks = out.split("segment=").skip(1);
    for (left, text) in edges() {
        let block = blocks.next().unwrap();
        let state = State::of(Some(left));
        let band = BANDS.iter().find(|b| b.state == state).unwrap();
        assert_eq!(
            block,
            format!(
                "dev {text}\nstate={}\ncolor={}\nprompt={}(dev {text})\x1b[0m P> \n",
                state.name(),
                band.color,
                band.sgr
            ),
            "{left} s left"
        );
    }
    assert_eq!(
        blocks.next().unwrap(),
        "dev\nstate=unknown\ncolor=\nprompt=(dev) P> \n"
    );
    assert_eq!(
        blocks.next().unwrap(),
        "dev 1h30m\nstate=ok\ncolor=green\nprompt=(dev 1h30m) P> \n",
        "NO_COLOR"
    );
    assert_eq!(
        blocks.next().unwrap(),
        "dev 1h30m\nstate=ok\ncolor=green\nprompt=P> \nstarts=0\n",
        "SSOENV_PROMPT=off, and no process started"
    );
}

#[test]
fn the_renewal_mark_shows_only_when_renewable_and_auto_renew_and_a_name_stays_text() {
    let sb = Sandbox::new();
    let script = "import time
$NO_COLOR = '1'
$SSOENV_PROFILE = 'dev'
$SSOENV_EXPIRATION = str(int(time.time()) + 5430)
def show(renewable, auto, **loc):
    for k in ('LC_ALL', 'LC_CTYPE', 'LANG', 'SSOENV_RENEWABLE', 'SSOENV_AUTO_RENEW'):
        if k in ${...}: del ${...}[k]
    for k, v in loc.items(): ${...}[k] = v
    if renewable: $SSOENV_RENEWABLE = '1'
    if auto: $SSOENV_AUTO_RENEW = '1'
    $PROMPT_FIELDS.reset()
    print('p=' + ansi_partial_color_format(PromptFormatter()($PROMPT)))
from xonsh.prompt.base import PromptFormatter
from xonsh.ansi_colors import ansi_partial_color_format
show(True, True, LANG='C.UTF-8')
show(True, True, LC_ALL='C', LANG='C.UTF-8')
show(True, False, LANG='C.UTF-8')
show(False, True, LANG='C.UTF-8')
show(False, False)
$SSOENV_PROFILE = '{RED}{user}\\x1b]0;t\\x07\\x85 $HOME'
show(False, False)
";
    let Some(out) = run(&sb, script, &[]) else {
        return;
    };
    assert_eq!(
        out,
        "p=(dev 1h30m \u{21bb}) P> \n\
         p=(dev 1h30m +) P> \n\
         p=(dev 1h30m) P> \n\
         p=(dev 1h30m) P> \n\
         p=(dev 1h30m) P> \n\
         p=({RED}{user}\\e]0;t\\x07\\u{85} $HOME 1h30m) P> \n"
    );
}

/// Python defining `comp(line)`: the sorted completions of xonsh's own completer at the end
/// of `line`, as Tab would offer them.
const COMP: &str = "\
from xonsh.completer import Completer
__c = Completer()
def comp(line):
    prefix = line.split(' ')[-1]
    got, _ = __c.complete(prefix, line, len(line) - len(prefix), len(line), __xonsh__.ctx,
                          multiline_text=line, cursor_index=len(line))
    return sorted(got)
";

const HOSTILE_CONFIG: &str = "\
[sso-session corp]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = us-east-1

[profile dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = ReadOnly

[profile `x`;y|z&{y}$HOME@(touch${IFS}PWNED)!(id)é]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = ReadOnly

[profile -dash]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = ReadOnly
";

#[test]
fn the_completer_offers_subcommands_and_hostile_profile_names_as_exact_words() {
    let sb = Sandbox::new();
    sb.write_config(HOSTILE_CONFIG);
    // Each offered word, typed on a command line, must reach a command as the profile name.
    let script = format!(
        "{COMP}\
print('sub=' + ','.join(comp('ssoenv us')))
print('sub2=' + ','.join(c for c in comp('ssoenv ') if c.strip() in ('exec', 'unset', 'use', 'prompt')))
for w in comp('ssoenv use '):
    execx('printf %s ' + w.rstrip(' ') + ' > word.out')
    print('word=' + repr(open('word.out', encoding='utf-8').read()))
print('after_option=' + str(len(comp('ssoenv use --region eu-west-1 '))))
print('second=' + str('dev ' in comp('ssoenv use dev ')))
print('back=' + ','.join(comp('ssoenv exec `')))
"
    );
    let Some(out) = run(&sb, &script, &[]) else {
        return;
    };
    let has = |s: &str| assert!(out.contains(s), "{s:?} in:\n{out}");
    has("sub=use \n");
    has("sub2=exec ,prompt ,unset ,use \n");
    has("word='-dash'\n");
    has("word='dev'\n");
    has("word='`x`;y|z&{y}$HOME@(touch${IFS}PWNED)!(id)é'\n");
    has("after_option=3\n");
    has("second=False\n");
    has("back=@('`x`;y|z&{y}$HOME@(touch${IFS}PWNED)!(id)\\xe9') \n");
    assert!(!sb.home.join("PWNED").exists());
}

/// After `exec PROFILE` (with or without `--`) the command is completed as xonsh completes
/// a command line starting there: command names, then that command's own completion (here
/// `ssoenv` itself, whose completer offers its subcommands), as bash, zsh and fish do.
#[test]
fn the_completer_hands_the_command_after_exec_profile_to_xonsh() {
    let sb = Sandbox::new();
    let script = format!(
        "{COMP}\
print('dash=' + str('printf ' in comp('ssoenv exec dev -- prin')))
print('bare=' + str('printf ' in comp('ssoenv exec dev prin')))
print('opt=' + str('printf ' in comp('ssoenv exec --region eu-west-1 dev -- prin')))
print('args=' + ','.join(c.strip() for c in comp('ssoenv exec dev -- ssoenv us')))
print('args2=' + ','.join(c.strip() for c in comp('ssoenv exec dev ssoenv use d')))
"
    );
    let Some(out) = run(&sb, &script, &[]) else {
        return;
    };
    assert_eq!(
        out, "dash=True\nbare=True\nopt=True\nargs=use\nargs2=dev\n",
        "{out}"
    );
}

#[test]
fn doctor_finds_the_init_line_in_the_xonshrc() {
    let sb = Sandbox::new();
    std::fs::write(
        sb.home.join(".xonshrc"),
        "execx($(ssoenv init xonsh), 'exec', __xonsh__.ctx, filename='ssoenv')\n",
    )
    .unwrap();
    let out = sb.run(["doctor"]);
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(text.contains(".xonshrc"), "{text}");
}
