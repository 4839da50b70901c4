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
set -g __ssoenv_bin '@SSOENV_BIN@'
set -gx SSOENV_SHELL fish
set -q SSOENV_SEGMENT; or set -g SSOENV_SEGMENT ''
set -q __ssoenv_renew_at; or set -g __ssoenv_renew_at 0

# `ssoenv use …` and `ssoenv unset` change this shell; everything else runs as is.
function ssoenv --description 'AWS IAM Identity Center credentials in this shell'
    switch "$argv[1]"
        case use unset
        case '*'
            command $__ssoenv_bin $argv
            return
    end
    set -l shell_args --shell fish
    for arg in $argv
        switch $arg
            case -h --help -V --version
                command $__ssoenv_bin $argv
                return
            case --shell '--shell=*'
                set shell_args
        end
    end
    set -l out (command $__ssoenv_bin $argv $shell_args)
    or return
    # The binary succeeded; its code is trusted. (`source` reports the status of
    # a `set -e` of an absent variable, 4, which is no failure.)
    string join \n -- $out | source
    set -g __ssoenv_renew_at 0
    ssoenv_segment
    return 0
end

# Compute the segment (and renew the credentials when asked to and due).
# fish has no clock builtin: `date` runs only while a profile is active.
function ssoenv_segment
    if test -z "$SSOENV_PROFILE"
        set -g SSOENV_SEGMENT ''
        set -g SSOENV_SEGMENT_STATE ''
        set -g SSOENV_SEGMENT_COLOR ''
        return 0
    end
    if not string match -qr '^[0-9]+$' -- "$SSOENV_EXPIRATION"
        set -g SSOENV_SEGMENT $SSOENV_PROFILE
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
    set -g SSOENV_SEGMENT "$SSOENV_PROFILE $text"
end

# Quiet renewal: role credentials from a valid or refreshable token, never a login.
function __ssoenv_renew
    set -l out (SSOENV_INTERACTIVE=0 command $__ssoenv_bin use $SSOENV_PROFILE --shell fish 2>/dev/null)
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
                printf '(%s)' $SSOENV_SEGMENT
                set_color normal
                printf ' '
            else
                printf '(%s) ' $SSOENV_SEGMENT
            end
        end
        __ssoenv_set_status $s
        __ssoenv_orig_fish_prompt
    end
end
