# ssoenv shell integration for fish. Load it with:  ssoenv init fish | source
# Loading it twice is harmless: the hook and the prompt wrapper are added once.
#
# Public names (for people who build their own prompt):
#   ssoenv_segment          compute the segment now into the variables below
#   SSOENV_SEGMENT          plain text, e.g. "prod 42m" (empty when no profile is active)
#   SSOENV_SEGMENT_STATE    ok | warn | critical | expired | unknown (empty when inactive)
#   SSOENV_SEGMENT_COLOR    green | yellow | red (empty when unknown or inactive)
#   SSOENV_PROMPT=off       do not put "(prod 42m) " in front of fish_prompt
# The fish_prompt event keeps these variables up to date before every prompt.

# The binary; `ssoenv init` replaces the quoted placeholder with its own path.
# (No SSOENV_SHELL: a child shell of another kind would inherit it. The function
# passes --shell fish, and `ssoenv use … | source` finds fish as its parent.)
set -g __ssoenv_bin '@SSOENV_BIN@'
set -g __ssoenv_exe ''

# The binary to run, into __ssoenv_exe: the one that printed this script or, once that
# file is gone (the package removed, the binary moved, installed another way), the
# ssoenv on PATH, so that open shells keep working. (Only an absolute path is run as
# it is: `ssoenv` alone, when init did not know its path, is looked up on PATH.)
function __ssoenv_find
    if string match -q '/*' -- $__ssoenv_bin; and test -x $__ssoenv_bin
        set -g __ssoenv_exe $__ssoenv_bin
    else if set -l found (command -s ssoenv)
        set -g __ssoenv_exe $found[1]
    else
        printf 'ssoenv: %s is gone and there is no ssoenv on PATH\n' $__ssoenv_bin >&2
        printf 'hint: install ssoenv again; this shell then finds it on PATH\n' >&2
        return 127
    end
end
set -q SSOENV_SEGMENT; or set -g SSOENV_SEGMENT ''
set -q __ssoenv_renew_at; or set -g __ssoenv_renew_at 0

# `ssoenv use …` and `ssoenv unset` change this shell; everything else runs as is.
function ssoenv --description 'AWS IAM Identity Center credentials in this shell'
    switch "$argv[1]"
        case use unset
        case '*'
            __ssoenv_find; or return
            SSOENV_INIT=fish command $__ssoenv_exe $argv
            return
    end
    set -l shell_args --shell fish
    set -l next 0
    for arg in $argv
        if test $next = 1
            set next 0
            __ssoenv_check_shell $arg; or return
            continue
        end
        switch $arg
            case --
                break
            case -h --help -V --version
                __ssoenv_find; or return
                SSOENV_INIT=fish command $__ssoenv_exe $argv
                return
            case --shell
                set next 1
                set shell_args
            case '--shell=*'
                __ssoenv_check_shell (string replace -- --shell= '' $arg); or return
                set shell_args
        end
    end
    # A pipeline, not a command substitution: fish (3.6) does not apply a
    # redirection of this function (`ssoenv use x 2>/dev/null`) to the stderr of
    # a command substitution, but does to a pipeline's.
    __ssoenv_find; or return
    SSOENV_INIT=fish command $__ssoenv_exe $argv[1] $shell_args $argv[2..-1] | read -lz out
    set -l rc $pipestatus[1]
    test $rc -eq 0; or return $rc
    # The binary succeeded; its code is trusted (and ends with status 0: each
    # `set -e` is followed by `or true`).
    printf '%s' $out | source
    set -g __ssoenv_renew_at 0
    ssoenv_segment
    return 0
end

# This shell evaluates the output: code for another shell would run as fish code.
function __ssoenv_check_shell
    test "$argv[1]" = fish; and return 0
    printf 'ssoenv: refusing --shell %s: this function evaluates the output in fish\n' $argv[1] >&2
    printf 'hint: drop --shell; to print code for another shell, run: command ssoenv use PROFILE --shell %s\n' $argv[1] >&2
    return 2
end

# Outside text shown on a terminal (the profile name): C0, DEL and C1 control
# characters written as escapes, \e \n \t \r \xNN \u{NN}, as `ssoenv prompt`
# shows them; the result in __ssoenv_name. Run only when the name changes.
function __ssoenv_printable
    set -g __ssoenv_name_of $argv[1]
    set -g __ssoenv_name $argv[1]
    string match -qr '[\x00-\x1f\x7f-\x9f]' -- $argv[1]; or return 0
    set -l out
    for c in (string split '' -- $argv[1])
        switch $c
            case \t
                set -a out '\t'
            case \n
                set -a out '\n'
            case \r
                set -a out '\r'
            case \e
                set -a out '\e'
            case '*'
                if string match -qr '[\x00-\x1f\x7f]' -- $c
                    set -a out (printf '\\\\x%02x' "'$c")
                else if string match -qr '[\x80-\x9f]' -- $c
                    set -a out (printf '\\\\u{%x}' "'$c")
                else
                    set -a out $c
                end
        end
    end
    set -g __ssoenv_name (string join '' -- $out)
end

# Compute the segment (and renew the credentials when asked to and due).
# fish has no clock builtin: `date` runs only while a profile is active.
function ssoenv_segment
    if test -z "$SSOENV_PROFILE"
        set -g SSOENV_SEGMENT ''
        set -g SSOENV_SEGMENT_STATE ''
        set -g SSOENV_SEGMENT_COLOR ''
        set -g SSOENV_SEGMENT_RENEW ''
        set -g __ssoenv_mk ''
        return 0
    end
    # The renewal mark (the hook renews these credentials unattended), with the
    # locale of the moment the session (or either variable) changed.
    set -l mk_key "$SSOENV_PROFILE:$SSOENV_EXPIRATION:$SSOENV_RENEWABLE:$SSOENV_AUTO_RENEW"
    if test "$mk_key" != "$__ssoenv_mk_key"; or not set -q __ssoenv_mk
        set -g __ssoenv_mk_key $mk_key
        set -g SSOENV_SEGMENT_RENEW ''
        set -g __ssoenv_mk ''
        if test "$SSOENV_RENEWABLE" = 1; and test "$SSOENV_AUTO_RENEW" = 1
            set -l loc $LC_ALL
            test -n "$loc"; or set loc $LC_CTYPE
            test -n "$loc"; or set loc $LANG
            if string match -qir 'utf-?8' -- "$loc"
                set -g SSOENV_SEGMENT_RENEW \u21bb
            else
                set -g SSOENV_SEGMENT_RENEW +
            end
            set -g __ssoenv_mk " $SSOENV_SEGMENT_RENEW"
        end
    end
    if test "$SSOENV_PROFILE" != "$__ssoenv_name_of"; or not set -q __ssoenv_name
        __ssoenv_printable "$SSOENV_PROFILE"
    end
    # Decimal seconds, at most 15 digits (as `ssoenv prompt` takes them; math is
    # exact below 2^53); else unknown.
    if not string match -qr '^[0-9]{1,15}$' -- "$SSOENV_EXPIRATION"
        set -g SSOENV_SEGMENT $__ssoenv_name
        set -g SSOENV_SEGMENT_STATE unknown
        set -g SSOENV_SEGMENT_COLOR ''
        return 0
    end
    set -l now (date +%s)
    set -l left (math "$SSOENV_EXPIRATION - $now")
    if test "$SSOENV_AUTO_RENEW" = 1; and test $left -lt 600; and test (math "$now - $__ssoenv_renew_at") -ge 60
        set -g __ssoenv_renew_at $now
        __ssoenv_renew; and return 0
    end
    set -l text
    if test $left -le 0
        set text expired
        set -g SSOENV_SEGMENT_STATE expired
        set -g SSOENV_SEGMENT_COLOR red
    else
        if test $left -ge 3600
            set text (printf '%dh%02dm' (math "floor($left / 3600)") (math "floor($left % 3600 / 60)"))
        else if test $left -ge 60
            set text (math "floor($left / 60)")m
        else
            set text {$left}s
        end
        if test $left -lt 300
            set -g SSOENV_SEGMENT_STATE critical
            set -g SSOENV_SEGMENT_COLOR red
        else if test $left -lt 900
            set -g SSOENV_SEGMENT_STATE warn
            set -g SSOENV_SEGMENT_COLOR yellow
        else
            set -g SSOENV_SEGMENT_STATE ok
            set -g SSOENV_SEGMENT_COLOR green
        end
    end
    set -g SSOENV_SEGMENT "$__ssoenv_name $text"
end

# Quiet renewal: role credentials from a valid or refreshable token, never a login.
function __ssoenv_renew
    __ssoenv_find 2>/dev/null; or return 1
    set -l out (SSOENV_INTERACTIVE=0 SSOENV_BACKGROUND_RENEW=1 command $__ssoenv_exe use $SSOENV_PROFILE --shell fish 2>/dev/null)
    or return 1
    string join \n -- $out | source
    ssoenv_segment
    return 0
end

function __ssoenv_hook --on-event fish_prompt
    # Inactive and nothing shown: this one test is the whole cost.
    test -n "$SSOENV_PROFILE$SSOENV_SEGMENT"; or return
    ssoenv_segment
end

function __ssoenv_set_status
    return $argv[1]
end

# Put the segment in front of the existing prompt, once; the prompt still sees $status.
if not functions -q __ssoenv_orig_fish_prompt
    if functions -q fish_prompt
        functions -c fish_prompt __ssoenv_orig_fish_prompt
    else
        function __ssoenv_orig_fish_prompt
            printf '> '
        end
    end
    function fish_prompt --description 'ssoenv segment, then the previous prompt'
        set -l s $status
        if test -n "$SSOENV_SEGMENT"; and test "$SSOENV_PROMPT" != off
            if test -z "$NO_COLOR"; and test -n "$SSOENV_SEGMENT_COLOR"
                set_color $SSOENV_SEGMENT_COLOR
                printf '(%s%s)' $SSOENV_SEGMENT "$__ssoenv_mk"
                set_color normal
                printf ' '
            else
                printf '(%s%s) ' $SSOENV_SEGMENT "$__ssoenv_mk"
            end
        end
        __ssoenv_set_status $s
        __ssoenv_orig_fish_prompt
    end
end
