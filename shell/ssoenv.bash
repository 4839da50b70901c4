# shellcheck enable=all disable=SC2250
# (Checked with every optional check on. SC2250, braces around every variable
# reference: bare $name wherever a brace changes nothing, as shfmt leaves it.)
# ssoenv shell integration for bash. Load it with:  eval "$(ssoenv init bash)"
# Loading it twice is harmless: the hook and the prompt prefix are added once.
#
# Public names (for people who build their own prompt):
#   ssoenv_segment          compute the segment now into the variables below
#   SSOENV_SEGMENT          plain text, e.g. "prod 42m" (empty when no profile is active)
#   SSOENV_SEGMENT_STATE    ok | warn | critical | expired | unknown (empty when inactive)
#   SSOENV_SEGMENT_COLOR    green | yellow | red (empty when unknown or inactive)
#   SSOENV_SEGMENT_RENEW    the renewal mark (UTF-8 locale "↻", else "+") when
#                           SSOENV_RENEWABLE=1 and SSOENV_AUTO_RENEW=1, else empty
#   SSOENV_PROMPT=off       do not put "(prod 42m) " in front of PS1
# The hook keeps these variables up to date before every prompt.

# The binary; `ssoenv init` replaces the quoted placeholder with its own path.
# (No SSOENV_SHELL: a child shell of another kind would inherit it. The function
# passes --shell bash, and `eval "$(ssoenv use …)"` finds bash as its parent.)
__ssoenv_bin='@SSOENV_BIN@'
__ssoenv_exe=''

# The binary to run, into __ssoenv_exe: the one that printed this script or, once that
# file is gone (the package removed, the binary moved, installed another way), the
# ssoenv on PATH, so that open shells keep working. (Only an absolute path is run as
# it is: `ssoenv` alone, when init did not know its path, is looked up on PATH.)
__ssoenv_find() {
    if [[ $__ssoenv_bin == /* && -x $__ssoenv_bin ]]; then
        __ssoenv_exe=$__ssoenv_bin
    elif ! __ssoenv_exe=$(type -P ssoenv); then
        printf 'ssoenv: %s is gone and there is no ssoenv on PATH\n' "$__ssoenv_bin" >&2
        printf 'hint: install ssoenv again; this shell then finds it on PATH\n' >&2
        return 127
    fi
}

# `ssoenv use …` and `ssoenv unset` change this shell; everything else runs as is.
ssoenv() {
    case ${1-} in
    use | unset) ;;
    *)
        __ssoenv_find || return
        SSOENV_INIT=bash command "$__ssoenv_exe" "$@"
        return
        ;;
    esac
    local __ssoenv_arg __ssoenv_next='' __ssoenv_shell=(--shell bash)
    for __ssoenv_arg in "$@"; do
        if [[ -n $__ssoenv_next ]]; then
            __ssoenv_next=''
            __ssoenv_check_shell "$__ssoenv_arg" || return
            continue
        fi
        case $__ssoenv_arg in
        --) break ;;
        -h | --help | -V | --version)
            __ssoenv_find || return
            SSOENV_INIT=bash command "$__ssoenv_exe" "$@"
            return
            ;;
        --shell)
            __ssoenv_next=1
            __ssoenv_shell=()
            ;;
        --shell=*)
            __ssoenv_check_shell "${__ssoenv_arg#--shell=}" || return
            __ssoenv_shell=()
            ;;
        *) ;; # the binary checks everything else
        esac
    done
    local __ssoenv_out
    __ssoenv_find || return
    # ${a[@]+"${a[@]}"}: an empty array is "unbound" under `set -u` before bash 4.4.
    __ssoenv_out=$(SSOENV_INIT=bash command "$__ssoenv_exe" "$1" ${__ssoenv_shell[@]+"${__ssoenv_shell[@]}"} ${2+"${@:2}"}) || return
    eval "$__ssoenv_out"
    __ssoenv_renew_at=0
    ssoenv_segment
}

# This shell evaluates the output: code for another shell would run as bash code.
__ssoenv_check_shell() {
    [[ $1 == bash ]] && return 0
    printf 'ssoenv: refusing --shell %s: this function evaluates the output in bash\n' "$1" >&2
    printf 'hint: drop --shell; to print code for another shell, run: command ssoenv use PROFILE --shell %s\n' "$1" >&2
    return 2
}

# Outside text shown on a terminal (the profile name): C0, DEL and C1 control
# characters written as escapes, \e \n \t \r \xNN \u{NN}, as `ssoenv prompt`
# shows them; the result in __ssoenv_name. Literal byte patterns, so that the
# same code works in a UTF-8 and in the C locale. Run only when the name changes.
__ssoenv_printable() {
    __ssoenv_name_of=$1 __ssoenv_name=$1
    [[ $1 == *[![:print:]]* ]] || return 0
    local i h c e
    for ((i = 1; i < 160; i++)); do
        ((i != 32)) || i=127
        printf -v h '%02x' "$i"
        if ((i < 128)); then
            printf -v c '%b' "\\x$h"
            e="\\x$h"
        else
            printf -v c '%b' "\\xc2\\x$h"
            e="\\u{$h}"
        fi
        case $i in
        9) e='\t' ;;
        10) e='\n' ;;
        13) e='\r' ;;
        27) e='\e' ;;
        *) ;; # \xNN or \u{NN}, as set above
        esac
        __ssoenv_name=${__ssoenv_name//"$c"/"$e"}
    done
}

# Compute the segment now (and renew the credentials when asked to and due).
ssoenv_segment() {
    __ssoenv_prepare
    __ssoenv_tick
}

# shellcheck disable=SC2034 # SSOENV_SEGMENT_* are read by the user's prompt
# Everything that does not depend on the clock, once per session (SSOENV_PROFILE,
# SSOENV_EXPIRATION, NO_COLOR, SSOENV_AUTO_RENEW, SSOENV_RENEWABLE): the escaped name, the expiry
# and the prompt text around the countdown in each colour. __ssoenv_exp is empty
# when there is no countdown (no profile, or an expiration that is not 1 to 15
# decimal digits).
__ssoenv_prepare() {
    __ssoenv_session=${SSOENV_PROFILE-}:${SSOENV_EXPIRATION-}:${NO_COLOR-}:${SSOENV_AUTO_RENEW-}:${SSOENV_RENEWABLE-}
    __ssoenv_until=0 __ssoenv_exp='' __ssoenv_tickf=__ssoenv_tick
    if [[ -z ${SSOENV_PROFILE-} ]]; then
        SSOENV_SEGMENT='' SSOENV_SEGMENT_STATE='' SSOENV_SEGMENT_COLOR='' __ssoenv_ps1=''
        SSOENV_SEGMENT_RENEW='' __ssoenv_until=9000000000000
        return 0
    fi
    [[ $SSOENV_PROFILE == "${__ssoenv_name_of-}" ]] || __ssoenv_printable "$SSOENV_PROFILE"
    # The renewal mark (the hook renews these credentials unattended): in the
    # text after the countdown, prepared here with the locale of this moment.
    SSOENV_SEGMENT_RENEW='' __ssoenv_mk=''
    if [[ ${SSOENV_RENEWABLE-} == 1 && ${SSOENV_AUTO_RENEW-} == 1 ]]; then
        case ${LC_ALL:-${LC_CTYPE:-${LANG-}}} in
        *[Uu][Tt][Ff]-8* | *[Uu][Tt][Ff]8*) SSOENV_SEGMENT_RENEW=$'\xe2\x86\xbb' ;;
        *) SSOENV_SEGMENT_RENEW=+ ;;
        esac
        __ssoenv_mk=" $SSOENV_SEGMENT_RENEW"
    fi
    # Decimal seconds, at most 15 digits (as `ssoenv prompt` takes them); else unknown.
    case ${SSOENV_EXPIRATION-} in
    '' | *[!0-9]* | ????????????????*)
        SSOENV_SEGMENT=$__ssoenv_name SSOENV_SEGMENT_STATE=unknown SSOENV_SEGMENT_COLOR=''
        __ssoenv_ps1="($__ssoenv_name$__ssoenv_mk) " __ssoenv_until=9000000000000
        return 0
        ;;
    *) ;; # a countdown
    esac
    __ssoenv_exp=$((10#$SSOENV_EXPIRATION))
    if [[ -z ${NO_COLOR-} ]]; then
        # \001 … \002 tell readline the escape takes no room (what \[ \] become).
        __ssoenv_green=$'\001\e[32m\002(' __ssoenv_yellow=$'\001\e[33m\002(' __ssoenv_red=$'\001\e[31m\002('
        __ssoenv_close=$__ssoenv_mk$')\001\e[0m\002 '
    else
        __ssoenv_green='(' __ssoenv_yellow='(' __ssoenv_red='(' __ssoenv_close="$__ssoenv_mk) "
    fi
}

# shellcheck disable=SC2034 # SSOENV_SEGMENT_* are read by the user's prompt
# The countdown from the prepared values, and the band it is in. A band is a
# stretch of the countdown with one colour, one state and one text form: 1 hour
# and more (1h05m, green), 15 to 60 minutes (42m, green), 10 to 15 (yellow), 5
# to 10 (yellow, renewal), 1 to 5 (red), the last minute (59s, red), expired.
# Here, once per band (each hour is a band of its own above 1 hour): the state,
# the colour and the prompt text before the segment (__ssoenv_pre), and
# __ssoenv_tickf, the short function that recomputes the countdown within the
# band (below). Sets __ssoenv_until, the
# second at which the text next changes (the hook does nothing before then).
# The clock: EPOCHSECONDS (bash 5; before, see __ssoenv_epoch below).
__ssoenv_tick() {
    [[ -n $__ssoenv_exp ]] || return 0
    ((__ssoenv_l = __ssoenv_exp - EPOCHSECONDS, 1))
    # Minutes change when the seconds left cross a multiple of 60 (as do the colour
    # and renewal thresholds), at exp + 1 - 60 * minutes; in the last minute, every
    # second. __ssoenv_lom: the fewest minutes left within a band of minutes.
    ((__ssoenv_e1 = __ssoenv_exp + 1, __ssoenv_x = __ssoenv_l / 60, __ssoenv_until = __ssoenv_e1 - __ssoenv_x * 60))
    __ssoenv_t=${__ssoenv_x}m
    if ((__ssoenv_l >= 3600)); then
        # Within the hour: __ssoenv_x + __ssoenv_off is 100 to 159.
        ((__ssoenv_h = __ssoenv_x / 60, __ssoenv_off = 100 - __ssoenv_h * 60, __ssoenv_e2 = __ssoenv_e1 + __ssoenv_off * 60))
        __ssoenv_hseg="$__ssoenv_name ${__ssoenv_h}h" __ssoenv_t=$((__ssoenv_x + __ssoenv_off))
        __ssoenv_t=${__ssoenv_h}h${__ssoenv_t:1}m __ssoenv_tickf=__ssoenv_tick_h
        SSOENV_SEGMENT_STATE=ok SSOENV_SEGMENT_COLOR=green __ssoenv_pre=$__ssoenv_green
    elif ((__ssoenv_l >= 900)); then
        __ssoenv_tickf=__ssoenv_tick_m __ssoenv_lom=15
        SSOENV_SEGMENT_STATE=ok SSOENV_SEGMENT_COLOR=green __ssoenv_pre=$__ssoenv_green
    elif ((__ssoenv_l >= 300)); then
        __ssoenv_tickf=__ssoenv_tick_m __ssoenv_lom=5
        ((__ssoenv_l < 600)) || __ssoenv_lom=10
        SSOENV_SEGMENT_STATE=warn SSOENV_SEGMENT_COLOR=yellow __ssoenv_pre=$__ssoenv_yellow
    elif ((__ssoenv_l >= 60)); then
        __ssoenv_tickf=__ssoenv_tick_m __ssoenv_lom=1
        SSOENV_SEGMENT_STATE=critical SSOENV_SEGMENT_COLOR=red __ssoenv_pre=$__ssoenv_red
    elif ((__ssoenv_l > 0)); then
        ((__ssoenv_until = __ssoenv_e1 - __ssoenv_l))
        __ssoenv_t=${__ssoenv_l}s __ssoenv_tickf=__ssoenv_tick_s
        SSOENV_SEGMENT_STATE=critical SSOENV_SEGMENT_COLOR=red __ssoenv_pre=$__ssoenv_red
    else
        __ssoenv_t=expired __ssoenv_tickf=__ssoenv_tick __ssoenv_until=9000000000000
        SSOENV_SEGMENT_STATE=expired SSOENV_SEGMENT_COLOR=red __ssoenv_pre=$__ssoenv_red
    fi
    SSOENV_SEGMENT="$__ssoenv_name $__ssoenv_t" __ssoenv_ps1=$__ssoenv_pre$SSOENV_SEGMENT$__ssoenv_close
    # Under 10 minutes with SSOENV_AUTO_RENEW=1, renew (at most once a minute).
    ((__ssoenv_l >= 600)) || [[ ${SSOENV_AUTO_RENEW-} != 1 ]] || __ssoenv_renew_due
}

# shellcheck disable=SC2034 # SSOENV_SEGMENT is read by the user's prompt
# The countdown within a band, when it is due: one arithmetic command (the
# minutes, the next due second, and whether the band still holds; else the
# band changes above) and one assignment. Each is called from the hook through
# $__ssoenv_tickf, and kept to these few commands: bash copies a function's
# body at every call, and parses arithmetic text at every evaluation.
__ssoenv_tick_h() {
    ((__ssoenv_x = (__ssoenv_exp - EPOCHSECONDS) / 60 + __ssoenv_off, __ssoenv_until = __ssoenv_e2 - __ssoenv_x * 60, __ssoenv_x >= 100 && __ssoenv_x < 160)) || {
        __ssoenv_tick
        return 0
    }
    SSOENV_SEGMENT=$__ssoenv_hseg${__ssoenv_x:1}m __ssoenv_ps1=$__ssoenv_pre$SSOENV_SEGMENT$__ssoenv_close
}

# shellcheck disable=SC2034 # SSOENV_SEGMENT is read by the user's prompt
__ssoenv_tick_m() {
    ((__ssoenv_x = (__ssoenv_exp - EPOCHSECONDS) / 60, __ssoenv_until = __ssoenv_e1 - __ssoenv_x * 60, __ssoenv_x >= __ssoenv_lom)) || {
        __ssoenv_tick
        return 0
    }
    SSOENV_SEGMENT="$__ssoenv_name ${__ssoenv_x}m" __ssoenv_ps1=$__ssoenv_pre$SSOENV_SEGMENT$__ssoenv_close
}

# shellcheck disable=SC2034 # SSOENV_SEGMENT is read by the user's prompt
__ssoenv_tick_s() {
    ((__ssoenv_x = __ssoenv_exp - EPOCHSECONDS, __ssoenv_until = __ssoenv_e1 - __ssoenv_x, __ssoenv_x > 0)) || {
        __ssoenv_tick
        return 0
    }
    SSOENV_SEGMENT="$__ssoenv_name ${__ssoenv_x}s" __ssoenv_ps1=$__ssoenv_pre$SSOENV_SEGMENT$__ssoenv_close
}

# With SSOENV_AUTO_RENEW=1 under 10 minutes: the same, and the band-change path
# (which renews) when the last renewal attempt is a minute old; the text is next
# due then at the latest.
# shellcheck disable=SC2034 # SSOENV_SEGMENT is read by the user's prompt
__ssoenv_tick_mr() {
    ((__ssoenv_x = (__ssoenv_exp - EPOCHSECONDS) / 60, __ssoenv_until = __ssoenv_e1 - __ssoenv_x * 60, __ssoenv_x >= __ssoenv_lom && EPOCHSECONDS - __ssoenv_renew_at < 60)) || {
        __ssoenv_tick
        return 0
    }
    ((__ssoenv_until <= __ssoenv_renew_at + 60)) || ((__ssoenv_until = __ssoenv_renew_at + 60))
    SSOENV_SEGMENT="$__ssoenv_name ${__ssoenv_x}m" __ssoenv_ps1=$__ssoenv_pre$SSOENV_SEGMENT$__ssoenv_close
}

# shellcheck disable=SC2034 # SSOENV_SEGMENT is read by the user's prompt
__ssoenv_tick_sr() {
    ((__ssoenv_x = __ssoenv_exp - EPOCHSECONDS, __ssoenv_until = __ssoenv_e1 - __ssoenv_x, __ssoenv_x > 0 && EPOCHSECONDS - __ssoenv_renew_at < 60)) || {
        __ssoenv_tick
        return 0
    }
    SSOENV_SEGMENT="$__ssoenv_name ${__ssoenv_x}s" __ssoenv_ps1=$__ssoenv_pre$SSOENV_SEGMENT$__ssoenv_close
}

# Renew when the last attempt is a minute old (the segment is then computed
# afresh), else look again when it will be; the band functions with renewal.
__ssoenv_renew_due() {
    [[ $__ssoenv_tickf == __ssoenv_tick ]] || __ssoenv_tickf+=r
    local t=$((__ssoenv_exp - __ssoenv_l))
    if ((t - __ssoenv_renew_at >= 60)); then
        __ssoenv_renew_at=$t
        __ssoenv_renew && return 0
    fi
    ((__ssoenv_until < __ssoenv_renew_at + 60)) || ((__ssoenv_until = __ssoenv_renew_at + 60))
    return 0
}

# Quiet renewal: role credentials from a valid or refreshable token, never a login.
__ssoenv_renew() {
    local __ssoenv_out
    __ssoenv_find 2>/dev/null || return 1
    __ssoenv_out=$(SSOENV_INTERACTIVE=0 SSOENV_BACKGROUND_RENEW=1 command "$__ssoenv_exe" use "$SSOENV_PROFILE" --shell bash 2>/dev/null) || return 1
    eval "$__ssoenv_out" || return 1
    ssoenv_segment
}

# The prompt prefix PS1 carries: a parameter expansion, so the text changes
# without rewriting PS1 and vanishes as soon as the hook clears it.
# shellcheck disable=SC2016 # expanded by the prompt, not here
__ssoenv_marker='${__ssoenv_ps1-}'

# The state the hook starts from (again, if this file is loaded twice).
__ssoenv_key='' __ssoenv_pat='' __ssoenv_session='' __ssoenv_exp='' __ssoenv_until=0
__ssoenv_tickf=__ssoenv_tick __ssoenv_renew_at=${__ssoenv_renew_at:-0}

# Kept small: bash copies a function's body at every call, so what a prompt
# rarely needs lives in __ssoenv_slow and the tick functions, and each command
# here counts.
__ssoenv_hook() {
    # A global, not `local`: a local costs as much as the rest of a cached prompt.
    __ssoenv_status=$?
    # Inactive and nothing shown: this one test is the whole cost.
    [[ -n ${SSOENV_PROFILE-}${SSOENV_SEGMENT-} ]] || return "$__ssoenv_status"
    # The usual case in one test: the same session and SSOENV_PROMPT, PS1 as
    # __ssoenv_slow left it (the marker in it; with SSOENV_PROMPT=off, not), and
    # PS1 expanded; else the slow path.
    # shellcheck disable=SC2015 # the slow path when A or B fails is what is meant
    [[ ${SSOENV_PROFILE-}:${SSOENV_EXPIRATION-}:${NO_COLOR-}:${SSOENV_AUTO_RENEW-}:${SSOENV_RENEWABLE-}:${SSOENV_PROMPT-}:${PS1-} == "$__ssoenv_key"$__ssoenv_pat ]] && shopt -q promptvars || __ssoenv_slow
    # The countdown only when its text is due to change.
    ((EPOCHSECONDS < __ssoenv_until)) || $__ssoenv_tickf
    # shellcheck disable=SC2248 # a number
    return $__ssoenv_status
}

# The session changed, or PS1 needs the marker put in or taken out.
__ssoenv_slow() {
    __ssoenv_key=''
    [[ ${SSOENV_PROFILE-}:${SSOENV_EXPIRATION-}:${NO_COLOR-}:${SSOENV_AUTO_RENEW-}:${SSOENV_RENEWABLE-} == "$__ssoenv_session" ]] || __ssoenv_prepare
    ((EPOCHSECONDS < __ssoenv_until)) || $__ssoenv_tickf
    if ! shopt -q promptvars && [[ :$SHELLOPTS: != *:posix:* ]]; then
        __ssoenv_literal
    elif [[ ${PS1-} == *"$__ssoenv_marker"* ]]; then
        [[ ${SSOENV_PROMPT-} != off ]] || PS1=${PS1//"$__ssoenv_marker"/}
    else
        # promptvars is back on: the text put in while it was off goes.
        if [[ -n ${__ssoenv_lit-} ]]; then
            PS1=${PS1/"$__ssoenv_lit"/}
            __ssoenv_lit=''
        fi
        [[ -z $SSOENV_SEGMENT || ${SSOENV_PROMPT-} == off ]] || PS1=$__ssoenv_marker${PS1-}
    fi
    # What the hook's test then checks: the marker in PS1, or (SSOENV_PROMPT=off)
    # not, an extended pattern ([[ ]] matches as with extglob since bash 4.1;
    # on an older bash it never matches, and each prompt takes this path).
    if [[ ${SSOENV_PROMPT-} != off ]]; then
        __ssoenv_pat="*$__ssoenv_marker*"
    elif [[ -z ${__ssoenv_lit-} ]]; then
        __ssoenv_pat="!(*$__ssoenv_marker*)"
    else
        return 0
    fi
    __ssoenv_key=${SSOENV_PROFILE-}:${SSOENV_EXPIRATION-}:${NO_COLOR-}:${SSOENV_AUTO_RENEW-}:${SSOENV_RENEWABLE-}:${SSOENV_PROMPT-}:
}
# With `shopt -u promptvars` (outside POSIX mode, which expands PS1 anyway) PS1
# is not expanded and the marker would show as it is: put the text itself in
# front, with backslashes doubled so that PS1's own escapes leave it as it is.
__ssoenv_literal() {
    PS1=${PS1//"$__ssoenv_marker"/}
    [[ -z ${__ssoenv_lit-} ]] || PS1=${PS1/"$__ssoenv_lit"/}
    __ssoenv_lit=''
    if [[ -n $SSOENV_SEGMENT && ${SSOENV_PROMPT-} != off ]]; then
        # Not ${x//\\/\\\\}: bash before 4.3 takes the replacement's backslashes as escapes.
        local rest=$__ssoenv_ps1
        while [[ $rest == *\\* ]]; do
            __ssoenv_lit+=${rest%%\\*}"\\\\"
            rest=${rest#*\\}
        done
        __ssoenv_lit+=$rest
        PS1=$__ssoenv_lit${PS1-}
    fi
}

# bash before 5.0 (macOS's /bin/bash is 3.2) has no EPOCHSECONDS. SECONDS counts
# whole seconds since the shell started, on the same clock: the epoch is SECONDS
# plus an offset taken here, once (printf's %(%s)T since bash 4.2, else one
# `date`), and the functions that read EPOCHSECONDS are defined again reading
# (SECONDS + __ssoenv_t0), so a prompt costs what it costs on bash 5, no process.
# (Assigning SECONDS shifts that clock; loading this file again sets it right.)
__ssoenv_epoch() {
    local s t n
    for ((n = 0; n < 3; n++)); do
        s=$SECONDS t=''
        { printf -v t '%(%s)T' -1; } 2>/dev/null || t=''
        case $t in
        '' | *[!0-9]*) t=$(date +%s) || t='' ;;
        *) ;; # bash 4.2 and later
        esac
        # The same second before and after: t and SECONDS agree.
        ((s != SECONDS)) || break
    done
    # (No clock at all, no `date`: the countdown is then wrong, never an error.)
    case $t in
    '' | *[!0-9]*) t=0 ;;
    *) ;; # the epoch
    esac
    ((__ssoenv_t0 = t - s, 1))
}
if [[ -z ${EPOCHSECONDS-} ]]; then
    __ssoenv_epoch
    __ssoenv_def=$(declare -f __ssoenv_hook __ssoenv_slow __ssoenv_tick __ssoenv_tick_h __ssoenv_tick_m __ssoenv_tick_s __ssoenv_tick_mr __ssoenv_tick_sr)
    eval "${__ssoenv_def//EPOCHSECONDS/(SECONDS + __ssoenv_t0)}"
    unset __ssoenv_def
fi

# Register the hook once, keeping whatever PROMPT_COMMAND holds (string or,
# since bash 5.1, array); append, so a PROMPT_COMMAND that rebuilds PS1 runs first.
if [[ ${PROMPT_COMMAND[*]-} != *__ssoenv_hook* ]]; then
    if ((BASH_VERSINFO[0] > 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] >= 4))) &&
        [[ -n ${PROMPT_COMMAND+set} && ${PROMPT_COMMAND@a} == *a* ]]; then
        PROMPT_COMMAND+=(__ssoenv_hook)
    else
        # shellcheck disable=SC2128,SC2178 # the string form, checked above
        PROMPT_COMMAND="${PROMPT_COMMAND:+$PROMPT_COMMAND$'\n'}__ssoenv_hook"
    fi
fi
