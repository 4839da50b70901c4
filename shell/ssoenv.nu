# ssoenv shell integration for nushell. nushell sources files, not text, so save it and
# source the file (as zoxide is set up):
#   in env.nu:     ssoenv init nu | save -f ~/.ssoenv.nu
#   in config.nu:  source ~/.ssoenv.nu
# Loading it twice is harmless: the prompt wrapper and the hook are added once.
#
# Public names (for people who build their own prompt):
#   ssoenv-segment    a record {text, state, color, renew} computed now, in nushell (no
#                     process): text "prod 42m" (empty when no profile is active), state
#                     ok | warn | critical | expired | unknown, color green | yellow | red
#   SSOENV_PROMPT=off do not put "(prod 42m) " in front of the right prompt

# The binary; `ssoenv init` replaces the quoted placeholder with its own path.
const __ssoenv_bin = '@SSOENV_BIN@'

# The binary to run: the one that printed this script or, once that file is gone, the
# ssoenv on PATH, so that open shells keep working.
def __ssoenv_exe [] {
    if ($__ssoenv_bin | str starts-with '/') and ($__ssoenv_bin | path exists) {
        return $__ssoenv_bin
    }
    let found = (which -a ssoenv | where type == external | get -o 0.path)
    if $found == null {
        error make --unspanned {
            msg: $"ssoenv: ($__ssoenv_bin) is gone and there is no ssoenv on PATH"
            help: "install ssoenv again; this shell then finds it on PATH"
        }
    }
    $found
}

# `ssoenv use …` and `ssoenv unset` change this shell: the binary prints the changes as
# JSON (`--shell nu`), applied with load-env and hide-env; nothing is evaluated.
# Everything else runs the binary as it is.
def --env --wrapped ssoenv [...args: string@__ssoenv_complete] {
    let sub = ($args | get -o 0 | default '')
    let exe = (__ssoenv_exe)
    if $sub not-in [use unset] or ($args | any {|a| $a in [-h --help -V --version] }) {
        # The last expression: its output goes where this command's goes (a terminal stays
        # a terminal for the pickers and the login).
        with-env {SSOENV_INIT: nu} { ^$exe ...$args }
    } else {
        __ssoenv_change $exe $sub ($args | skip 1)
    }
}

# `use`/`unset`: the changes as JSON (`--shell nu`, or a `--shell` naming nushell or json),
# applied; any other `--shell` is refused before the binary runs.
def --env __ssoenv_change [exe: string, sub: string, rest: list<string>] {
    mut shell_args = [--shell nu]
    mut next = false
    for arg in $rest {
        if $next {
            $next = false
            __ssoenv_check_shell $arg
            $shell_args = []
            continue
        }
        if $arg == '--' { break }
        if $arg == '--shell' {
            $next = true
        } else if ($arg | str starts-with '--shell=') {
            __ssoenv_check_shell ($arg | str substring 8..)
            $shell_args = []
        }
    }
    let shell_args = $shell_args
    let out = (with-env {SSOENV_INIT: nu} { ^$exe $sub ...$shell_args ...$rest })
    __ssoenv_apply $out
    $env.__SSOENV_RENEW_AT = 0
}

# The JSON object of the changes: null unsets, a string sets.
def --env __ssoenv_apply [out: string] {
    let changes = if ($out | str trim) == '' { {} } else { $out | from json }
    let gone = ($changes | transpose name value | where value == null | get name)
    hide-env -i ...$gone
    load-env ($changes | reject ...$gone)
}

# This function reads the output as nushell data: code for another shell is refused, with
# the usage status 2 as the binary and the other shells' functions give it. nushell's own
# errors carry status 1, so the refusal ends with a process that exits 2 (only here,
# never on a prompt).
def __ssoenv_check_shell [name: string] {
    if $name not-in [nu nushell json] {
        print -e $"ssoenv: refusing --shell ($name): this function reads the output in nushell"
        print -e $"hint: drop --shell; to print code for another shell, run: ^ssoenv use PROFILE --shell ($name)"
        ^$nu.current-exe -n --no-std-lib --no-config-file -c 'exit 2'
    }
}

# Outside text shown on a terminal (the profile name): C0, DEL and C1 control characters
# written as escapes, \e \n \t \r \xNN \u{NN}, as `ssoenv prompt` shows them.
def __ssoenv_printable [name: string] {
    if not ($name =~ '[\x00-\x1f\x7f-\x{9f}]') { return $name }
    $name | split chars | each {|c|
        match $c {
            "\t" => '\t'
            "\n" => '\n'
            "\r" => '\r'
            "\e" => '\e'
            _ => {
                if $c =~ '[\x00-\x1f\x7f]' {
                    $"\\x(($c | encode utf-8 | encode hex --lower))"
                } else if $c =~ '[\x{80}-\x{9f}]' {
                    $"\\u{(($c | encode utf-8 | bytes at 1..1 | encode hex --lower))}"
                } else { $c }
            }
        }
    } | str join
}

# The segment, computed from the environment alone (no process per prompt). It runs on
# every prompt, so it is written for nushell's costs (benches/prompt_hook.sh): each
# custom-command call, pipeline and `$env.X? | default` costs as much as a small regex,
# and a bounded or case-blind regex (`{1,15}`, `(?i)`) several times more; hence `in [null '']`, one unbounded
# regex plus `str length`, the control-character scan only to decide, and no records
# built per band.
def ssoenv-segment [] {
    let profile = $env.SSOENV_PROFILE?
    if $profile in [null ''] { return {text: '', state: '', color: '', renew: ''} }
    let renew = if $env.SSOENV_RENEWABLE? == '1' and $env.SSOENV_AUTO_RENEW? == '1' {
        let loc = if $env.LC_ALL? not-in [null ''] { $env.LC_ALL } else if $env.LC_CTYPE? not-in [null ''] { $env.LC_CTYPE } else { $env.LANG? }
        if $loc != null and (($loc | str contains -i 'utf-8') or ($loc | str contains -i 'utf8')) { "\u{21bb}" } else { '+' }
    } else { '' }
    let name = if $profile =~ '[\x00-\x1f\x7f-\x{9f}]' { __ssoenv_printable $profile } else { $profile }
    let exp = $env.SSOENV_EXPIRATION?
    if $exp == null or not ($exp =~ '^[0-9]+$') or ($exp | str length) > 15 {
        return {text: $name, state: unknown, color: '', renew: $renew}
    }
    let left = ($exp | into int) - ((date now | into int) // 1_000_000_000)
    if $left <= 0 { return {text: $"($name) expired", state: expired, color: 'red', renew: $renew} }
    let text = if $left >= 3600 {
        let m = $left mod 3600 // 60
        if $m < 10 { $"($name) ($left // 3600)h0($m)m" } else { $"($name) ($left // 3600)h($m)m" }
    } else if $left >= 60 { $"($name) ($left // 60)m" } else { $"($name) ($left)s" }
    if $left < 300 {
        {text: $text, state: critical, color: 'red', renew: $renew}
    } else if $left < 900 {
        {text: $text, state: warn, color: 'yellow', renew: $renew}
    } else { {text: $text, state: ok, color: 'green', renew: $renew} }
}

# Quiet renewal before a prompt: role credentials from a valid or refreshable token,
# never a login; at most once a minute, only when auto-renew is on and under 10 minutes.
def --env __ssoenv_renew_if_due [] {
    if $env.SSOENV_AUTO_RENEW? != '1' or $env.SSOENV_PROFILE? in [null ''] { return }
    # As cheap as ssoenv-segment's checks: this runs before every prompt with auto-renew on.
    let exp = $env.SSOENV_EXPIRATION?
    if $exp == null or not ($exp =~ '^[0-9]+$') or ($exp | str length) > 15 { return }
    let now = ((date now | into int) // 1_000_000_000)
    if (($exp | into int) - $now) >= 600 { return }
    let last = ($env.__SSOENV_RENEW_AT? | default 0 | into int)
    if ($now - $last) < 60 { return }
    $env.__SSOENV_RENEW_AT = $now
    let exe = (try { __ssoenv_exe } catch { return })
    let r = (with-env {SSOENV_INTERACTIVE: '0', SSOENV_BACKGROUND_RENEW: '1'} {
        ^$exe use $env.SSOENV_PROFILE --shell nu | complete
    })
    if $r.exit_code != 0 { return }
    let out = $r.stdout
    __ssoenv_apply $out
}

do --env {
    # The right prompt: the segment, then whatever was there (a closure or a string).
    let prev = ($env.PROMPT_COMMAND_RIGHT? | default '')
    let ours = (($prev | describe) == 'closure') and ((view source $prev) =~ '__ssoenv_(prompt|rest)')
    if not $ours {
        let call = (($prev | describe) == 'closure')
        # "(prod 42m ↻) " coloured by band (the SGR of `prompt::BANDS`), then the previous
        # prompt. Inactive: one variable test. Inline, as a call costs (see ssoenv-segment).
        $env.PROMPT_COMMAND_RIGHT = {||
            let __ssoenv_rest = if $call { do $prev } else { $prev }
            if $env.SSOENV_PROFILE? in [null ''] or $env.SSOENV_PROMPT? == 'off' { return $__ssoenv_rest }
            let s = (ssoenv-segment)
            let body = if $s.renew == '' { $"\(($s.text)\)" } else { $"\(($s.text) ($s.renew)\)" }
            if $env.NO_COLOR? not-in [null ''] or $s.color == '' { return $"($body) ($__ssoenv_rest)" }
            let sgr = if $s.color == 'green' { "\e[32m" } else if $s.color == 'yellow' { "\e[33m" } else { "\e[31m" }
            $"($sgr)($body)\e[0m ($__ssoenv_rest)"
        }
    }
    let hooks = ($env.config.hooks.pre_prompt? | default [])
    let hooked = ($hooks | any {|h| (($h | describe) == 'closure') and ((view source $h) =~ '__ssoenv_renew_if_due') })
    if not $hooked {
        # The call (a --env command, costly) only when a renewal may be due: under 10
        # minutes left; the rest of the test is in it.
        $env.config.hooks.pre_prompt = ($hooks | append {||
            if $env.SSOENV_AUTO_RENEW? == '1' {
                let exp = $env.SSOENV_EXPIRATION?
                if $exp == null or not ($exp =~ '^[0-9]+$') or ($exp | str length) > 15 { return }
                if (($exp | into int) - (date now | into int) // 1_000_000_000) < 600 { __ssoenv_renew_if_due }
            }
        })
    }
}
