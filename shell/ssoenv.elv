# ssoenv shell integration for elvish. Load it in ~/.config/elvish/rc.elv with:
#   eval (ssoenv init elvish | slurp)
# Loading it twice is harmless: the prompt wrapper is added once.
#
# Public names (for people who build their own prompt):
#   ssoenv-segment          compute the segment now into the variables below
#   E:SSOENV_SEGMENT        plain text, e.g. "prod 42m" (empty when no profile is active)
#   E:SSOENV_SEGMENT_STATE  ok | warn | critical | expired | unknown (empty when inactive)
#   E:SSOENV_SEGMENT_COLOR  green | yellow | red (empty when unknown or inactive)
#   SSOENV_PROMPT=off       do not put "(prod 42m) " in front of the right prompt
# Before every prompt the segment is computed in elvish, no process started: the clock
# is /proc/uptime plus the boot time (Linux), else `date +%s` while a profile is active.

use str
use re
use path

# The binary; `ssoenv init` replaces the quoted placeholder with its own path.
var __ssoenv_bin = '@SSOENV_BIN@'

# The binary to run: the one that printed this script or, once that file is gone, the
# ssoenv on PATH, so that open shells keep working.
fn __ssoenv_exe {
    if (and (str:has-prefix $__ssoenv_bin /) (has-external $__ssoenv_bin)) {
        put $__ssoenv_bin
    } elif (has-external ssoenv) {
        search-external ssoenv
    } else {
        fail 'ssoenv: '$__ssoenv_bin' is gone and there is no ssoenv on PATH (install ssoenv again; this shell then finds it on PATH)'
    }
}

# The changes of `ssoenv use`/`unset --shell json` applied as data: no code evaluated.
fn __ssoenv_apply {|json|
    if (eq $json '') {
        return
    }
    var changes = (print $json | from-json)
    keys $changes | each {|name|
        var value = $changes[$name]
        if (eq $value $nil) {
            unset-env $name
        } else {
            set-env $name $value
        }
    }
}

var __ssoenv_renew_at = (num 0)
var __ssoenv_mk = ''
var __ssoenv_mk_key = ''
var __ssoenv_name_of = ''
var __ssoenv_name = ''
var __ssoenv_exp_of = $nil
var __ssoenv_exp = $nil
var __ssoenv_until = (num 0)
var __ssoenv_shown = $nil

# Seconds since the epoch. Linux: the boot time (read once) plus /proc/uptime, two file
# reads and no process; elsewhere `date +%s`.
var __ssoenv_btime = $nil
if (path:is-regular /proc/stat) {
    try {
        from-lines < /proc/stat | each {|l|
            if (str:has-prefix $l 'btime ') {
                set __ssoenv_btime = (num [(str:split ' ' $l)][1])
            }
        }
    } catch { }
}
fn __ssoenv_now {
    if (not-eq $__ssoenv_btime $nil) {
        var up = [(str:split ' ' (slurp < /proc/uptime))][0]
        put (+ $__ssoenv_btime (num [(str:split '.' $up)][0]))
    } else {
        put (num (e:date +%s))
    }
}

# Outside text shown on a terminal (the profile name): C0, DEL and C1 control characters
# written as escapes, \e \n \t \r \xNN \u{NN}, as `ssoenv prompt` shows them.
fn __ssoenv_printable {|s|
    re:replace '[\x00-\x1f\x7f-\x9f]' {|c|
        if (eq $c "\t") { put '\t'
        } elif (eq $c "\n") { put '\n'
        } elif (eq $c "\r") { put '\r'
        } elif (eq $c "\e") { put '\e'
        } else {
            var hex = (str:trim-prefix (str:to-codepoints $c) 0x)
            if (< (count $hex) 2) { set hex = 0$hex }
            if (re:match '^[0-7]' $hex) { put '\x'$hex } else { put '\u{'$hex'}' }
        }
    } $s
}

fn __ssoenv_clear {
    set-env SSOENV_SEGMENT ''
    set-env SSOENV_SEGMENT_STATE ''
    set-env SSOENV_SEGMENT_COLOR ''
    set-env SSOENV_SEGMENT_RENEW ''
    set __ssoenv_mk = ''
}

var __ssoenv_renew~ = {|| }

# Compute the segment (and renew the credentials when asked to and due).
fn ssoenv-segment {
    var profile = $E:SSOENV_PROFILE
    if (eq $profile '') {
        __ssoenv_clear
        return
    }
    var exp = $E:SSOENV_EXPIRATION
    var auto = $E:SSOENV_AUTO_RENEW
    var renewable = $E:SSOENV_RENEWABLE
    var key = $profile':'$exp':'$renewable':'$auto
    if (not-eq $key $__ssoenv_mk_key) {
        set __ssoenv_mk_key = $key
        # A new profile, expiration or renewal setting: the kept text (below) is stale.
        set __ssoenv_until = (num 0)
        set-env SSOENV_SEGMENT_RENEW ''
        set __ssoenv_mk = ''
        if (and (eq $renewable 1) (eq $auto 1)) {
            var loc = $E:LC_ALL
            if (eq $loc '') { set loc = $E:LC_CTYPE }
            if (eq $loc '') { set loc = $E:LANG }
            if (re:match '(?i)utf-?8' $loc) {
                set-env SSOENV_SEGMENT_RENEW "\u21bb"
            } else {
                set-env SSOENV_SEGMENT_RENEW +
            }
            set __ssoenv_mk = ' '$E:SSOENV_SEGMENT_RENEW
        }
    }
    if (not-eq $profile $__ssoenv_name_of) {
        set __ssoenv_name_of = $profile
        set __ssoenv_name = (__ssoenv_printable $profile)
    }
    # Decimal seconds, at most 15 digits (as `ssoenv prompt` takes them); else unknown.
    # Checked once per value (a regex costs tens of µs a prompt).
    if (not-eq $exp $__ssoenv_exp_of) {
        set __ssoenv_exp_of = $exp
        set __ssoenv_exp = $nil
        if (re:match '^[0-9]{1,15}$' $exp) { set __ssoenv_exp = (num $exp) }
    }
    if (eq $__ssoenv_exp $nil) {
        set-env SSOENV_SEGMENT $__ssoenv_name
        set-env SSOENV_SEGMENT_STATE unknown
        set-env SSOENV_SEGMENT_COLOR ''
        return
    }
    var now = (__ssoenv_now)
    var left = (- $__ssoenv_exp $now)
    if (and (eq $auto 1) (< $left 600) (>= (- $now $__ssoenv_renew_at) 60)) {
        set __ssoenv_renew_at = $now
        if ?(__ssoenv_renew) {
            return
        }
    }
    # The text shown changes only when the minutes do (every second in the last one):
    # until then, what the last prompt set stands.
    if (and (< $now $__ssoenv_until) (eq $E:SSOENV_SEGMENT $__ssoenv_shown)) {
        return
    }
    var text = ''
    var state = ok
    var color = green
    if (<= $left 0) {
        set text = expired
        set state = expired
        set color = red
        set __ssoenv_until = (num 1e15)
    } else {
        var secs = (% $left 60)
        if (>= $left 3600) {
            var mins = (% (/ (- $left $secs) 60) 60)
            if (< $mins 10) { set mins = 0$mins }
            set text = (/ (- $left (% $left 3600)) 3600)'h'$mins'm'
        } elif (>= $left 60) {
            set text = (/ (- $left $secs) 60)'m'
        } else {
            set text = $left's'
        }
        if (>= $left 60) {
            set __ssoenv_until = (+ $now $secs 1)
        } else {
            set __ssoenv_until = (+ $now 1)
        }
        if (< $left 300) {
            set state = critical
            set color = red
        } elif (< $left 900) {
            set state = warn
            set color = yellow
        }
    }
    set __ssoenv_shown = $__ssoenv_name' '$text
    set-env SSOENV_SEGMENT $__ssoenv_shown
    set-env SSOENV_SEGMENT_STATE $state
    set-env SSOENV_SEGMENT_COLOR $color
}

# Quiet renewal: role credentials from a valid or refreshable token, never a login.
set __ssoenv_renew~ = {||
    var out = (tmp E:SSOENV_INTERACTIVE = 0; tmp E:SSOENV_BACKGROUND_RENEW = 1; (__ssoenv_exe) use $E:SSOENV_PROFILE --shell json 2>/dev/null | slurp)
    __ssoenv_apply $out
    ssoenv-segment
}

# This function applies the output in elvish: code for another shell is refused.
fn __ssoenv_check_shell {|s|
    if (not-eq $s elvish) {
        echo 'ssoenv: refusing --shell '$s': this function applies the output in elvish' >&2
        echo 'hint: drop --shell; to print code for another shell, run: e:ssoenv use PROFILE --shell '$s >&2
        fail 'ssoenv: refusing --shell '$s
    }
}

# `ssoenv use …` and `ssoenv unset …` change this shell (read as JSON, applied as data);
# everything else runs as is. A failing command raises its exception, nothing applied.
fn ssoenv {|@args|
    tmp E:SSOENV_INIT = elvish
    if (or (== (count $args) 0) (not (has-value [use unset] $args[0]))) {
        (__ssoenv_exe) $@args
        return
    }
    var rest = []
    var next = $false
    var passthrough = $false
    var i = 0
    for arg $args[1..] {
        set i = (+ $i 1)
        if $next {
            set next = $false
            __ssoenv_check_shell $arg
            continue
        }
        if (eq $arg --) {
            set rest = [$@rest $@args[$i..]]
            break
        }
        if (has-value [-h --help -V --version] $arg) {
            set passthrough = $true
        }
        if (eq $arg --shell) {
            set next = $true
            continue
        }
        if (str:has-prefix $arg --shell=) {
            __ssoenv_check_shell (str:trim-prefix $arg --shell=)
            continue
        }
        set rest = [$@rest $arg]
    }
    if $passthrough {
        (__ssoenv_exe) $@args
        return
    }
    var out = ((__ssoenv_exe) $args[0] --shell json $@rest | slurp)
    __ssoenv_apply $out
    set __ssoenv_renew_at = (num 0)
    ssoenv-segment
}

# The segment in front of the right prompt, and the previous right prompt after it.
fn __ssoenv_rprompt {|orig|
    if (and (not-eq $E:SSOENV_SEGMENT '') (not-eq $E:SSOENV_PROMPT off)) {
        var seg = '('$E:SSOENV_SEGMENT$__ssoenv_mk')'
        if (and (not (has-env NO_COLOR)) (not-eq $E:SSOENV_SEGMENT_COLOR '')) {
            styled $seg $E:SSOENV_SEGMENT_COLOR
        } else {
            put $seg
        }
        put ' '
    }
    $orig
}

# Before each prompt. Inactive and nothing shown: this one test is the whole cost.
fn __ssoenv_hook {
    if (or (not-eq $E:SSOENV_PROFILE '') (not-eq $E:SSOENV_SEGMENT '')) {
        ssoenv-segment
    }
}

# In the interactive shell: the functions into the REPL's namespace, the segment in
# front of the right prompt and the hook before each prompt (once). `elvish -c` has no
# editor, where `$edit:` would not compile: it is reached through `eval`. There the
# functions stay in the namespace `eval … &on-end` hands its caller.
var __ssoenv_edit = ?(eval 'nop $edit:rprompt' 2>/dev/null)
if $__ssoenv_edit {
    edit:add-var ssoenv~ $ssoenv~
    edit:add-var ssoenv-segment~ $ssoenv-segment~
    # Loaded before: the right prompt is already our wrapper (a closure's body is
    # readable; a builtin prompt has none).
    var orig = (eval 'put $edit:rprompt')
    var wrapped = (try { str:contains $orig[body] __ssoenv_rprompt } catch { put $false })
    if (not $wrapped) {
        var prompt = {|| __ssoenv_rprompt $orig }
        eval 'set edit:rprompt = $prompt' &ns=(ns [&prompt=$prompt])
        eval 'set edit:before-readline = [$@edit:before-readline $hook]' &ns=(ns [&hook=$__ssoenv_hook~])
    }
}
