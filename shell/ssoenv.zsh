# ssoenv shell integration for zsh. Load it with:  eval "$(ssoenv init zsh)"
# Loading it twice is harmless: the hook and the prompt prefix are added once.
#
# Public names (for people who build their own prompt, e.g. powerlevel10k):
#   ssoenv_segment          compute the segment now into the variables below
#   SSOENV_SEGMENT          plain text, e.g. "prod 42m" (empty when no profile is active)
#   SSOENV_SEGMENT_STATE    ok | warn | critical | expired | unknown (empty when inactive)
#   SSOENV_SEGMENT_COLOR    green | yellow | red (empty when unknown or inactive)
#   SSOENV_SEGMENT_RENEW    the renewal mark ("↻", "+" outside UTF-8) when SSOENV_RENEWABLE=1
#                           and SSOENV_AUTO_RENEW=1, else empty
#   SSOENV_PROMPT=off       do not put "(prod 42m) " in front of PROMPT
#   psvar[19]               taken: it carries "(prod 42m)" into PROMPT as %19v
# The hook keeps these variables up to date before every prompt.

# The binary; `ssoenv init` replaces the quoted placeholder with its own path.
# (No SSOENV_SHELL: a child shell of another kind would inherit it. The function
# passes --shell zsh, and `eval "$(ssoenv use …)"` finds zsh as its parent.)
typeset -g __ssoenv_bin='@SSOENV_BIN@'
typeset -g __ssoenv_exe=''

# The binary to run, into __ssoenv_exe: the one that printed this script or, once that
# file is gone (the package removed, the binary moved, installed another way), the
# ssoenv on PATH, so that open shells keep working. (Only an absolute path is run as
# it is: `ssoenv` alone, when init did not know its path, is looked up on PATH.)
__ssoenv_find() {
    if [[ $__ssoenv_bin == /* && -x $__ssoenv_bin ]]; then
        __ssoenv_exe=$__ssoenv_bin
    elif ! __ssoenv_exe=$(whence -p ssoenv); then
        print -ru2 -- "ssoenv: $__ssoenv_bin is gone and there is no ssoenv on PATH"
        print -ru2 -- "hint: install ssoenv again; this shell then finds it on PATH"
        return 127
    fi
}
# $EPOCHSECONDS without starting a process.
zmodload zsh/datetime 2>/dev/null
typeset -g SSOENV_SEGMENT SSOENV_SEGMENT_STATE SSOENV_SEGMENT_COLOR __ssoenv_prefix __ssoenv_key SSOENV_SEGMENT_RENEW __ssoenv_mk
typeset -g __ssoenv_name __ssoenv_name_of __ssoenv_exp __ssoenv_want __ssoenv_plain
typeset -g __ssoenv_green __ssoenv_yellow __ssoenv_red
# Scratch for the hook and __ssoenv_tick: globals, as `local` costs on every prompt.
typeset -gi __ssoenv_status __ssoenv_t __ssoenv_l __ssoenv_m __ssoenv_x
# The element of psvar that carries the segment to the prompt (see __ssoenv_prepare).
typeset -gi __ssoenv_psvar=19
typeset -gi __ssoenv_renew_at __ssoenv_until

# `ssoenv use …` and `ssoenv unset` change this shell; everything else runs as is.
ssoenv() {
    case ${1-} in
    use | unset) ;;
    *)
        __ssoenv_find || return
        SSOENV_INIT=zsh command "$__ssoenv_exe" "$@"
        return
        ;;
    esac
    local __ssoenv_arg __ssoenv_next=''
    local -a __ssoenv_shell=(--shell zsh)
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
            SSOENV_INIT=zsh command "$__ssoenv_exe" "$@"
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
        esac
    done
    local __ssoenv_out
    __ssoenv_find || return
    __ssoenv_out=$(SSOENV_INIT=zsh command "$__ssoenv_exe" "$1" "${__ssoenv_shell[@]}" "${@[2,-1]}") || return
    eval "$__ssoenv_out"
    __ssoenv_renew_at=0
    ssoenv_segment
}

# This shell evaluates the output: code for another shell would run as zsh code.
__ssoenv_check_shell() {
    [[ $1 == zsh ]] && return 0
    print -ru2 -- "ssoenv: refusing --shell $1: this function evaluates the output in zsh"
    print -ru2 -- "hint: drop --shell; to print code for another shell, run: command ssoenv use PROFILE --shell $1"
    return 2
}

# Outside text shown on a terminal (the profile name): C0, DEL and C1 control
# characters written as escapes, \e \n \t \r \xNN \u{NN}, as `ssoenv prompt`
# shows them; the result in __ssoenv_name. Literal byte patterns, so that the
# same code works in a UTF-8 and in the C locale. Run only when the name changes.
__ssoenv_printable() {
    __ssoenv_name_of=$1 __ssoenv_name=$1
    [[ $1 == *[^[:print:]]* ]] || return 0
    local -i i
    local h c e
    for (( i = 1; i < 160; i++ )); do
        (( i != 32 )) || i=127
        printf -v h '%02x' $i
        if (( i < 128 )); then
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
        esac
        __ssoenv_name=${__ssoenv_name//"$c"/$e}
    done
}

# Compute the segment now (and renew the credentials when asked to and due).
ssoenv_segment() {
    __ssoenv_prepare
    __ssoenv_tick
}

# Everything that does not depend on the clock, once per session (SSOENV_PROFILE,
# SSOENV_EXPIRATION, NO_COLOR, SSOENV_PROMPT, SSOENV_AUTO_RENEW, SSOENV_RENEWABLE):
# the renewal mark, the escaped name, the expiry and
# the PROMPT prefix in each colour. __ssoenv_exp is empty when there is no
# countdown (no profile, or an expiration that is not 1 to 15 decimal digits).
__ssoenv_prepare() {
    __ssoenv_key="${SSOENV_PROFILE-}:${SSOENV_EXPIRATION-}:${NO_COLOR-}:${SSOENV_PROMPT-}:${SSOENV_AUTO_RENEW-}:${SSOENV_RENEWABLE-}"
    __ssoenv_until=0 __ssoenv_exp=''
    if [[ -z ${SSOENV_PROFILE-} ]]; then
        SSOENV_SEGMENT='' SSOENV_SEGMENT_STATE='' SSOENV_SEGMENT_COLOR='' __ssoenv_want=''
        SSOENV_SEGMENT_RENEW='' __ssoenv_mk='' __ssoenv_until=9000000000000
        return 0
    fi
    [[ $SSOENV_PROFILE == "$__ssoenv_name_of" ]] || __ssoenv_printable "$SSOENV_PROFILE"
    # The renewal mark (the hook renews these credentials unattended), with the
    # locale of this moment; the text in psvar carries it after the countdown.
    SSOENV_SEGMENT_RENEW='' __ssoenv_mk=''
    if [[ ${SSOENV_RENEWABLE-} == 1 && ${SSOENV_AUTO_RENEW-} == 1 ]]; then
        case ${LC_ALL:-${LC_CTYPE:-${LANG-}}} in
        (*[Uu][Tt][Ff]-8* | *[Uu][Tt][Ff]8*) SSOENV_SEGMENT_RENEW=$'\xe2\x86\xbb' ;;
        (*) SSOENV_SEGMENT_RENEW=+ ;;
        esac
        __ssoenv_mk=" $SSOENV_SEGMENT_RENEW"
    fi
    # The prefixes for PROMPT. The text itself is never in PROMPT: %Nv shows element N
    # of psvar as it is, with no %-escapes, `!` (prompt_bang) or $(…) (prompt_subst)
    # taken from it, so the prefix is right whatever options are set, and whenever
    # (a theme's precmd may set prompt_subst after this hook). %N(V.….) shows
    # nothing if someone empties psvar.
    local n=$__ssoenv_psvar
    if [[ ${SSOENV_PROMPT-} == off ]]; then
        __ssoenv_green='' __ssoenv_yellow='' __ssoenv_red='' __ssoenv_plain=''
    elif [[ -n ${NO_COLOR-} ]]; then
        __ssoenv_plain="%$n(V.%${n}v .)"
        __ssoenv_green=$__ssoenv_plain __ssoenv_yellow=$__ssoenv_plain __ssoenv_red=$__ssoenv_plain
    else
        __ssoenv_plain="%$n(V.%${n}v .)"
        __ssoenv_green="%$n(V.%{"$'\e[32m%}'"%${n}v%{"$'\e[0m%} .)'
        __ssoenv_yellow="%$n(V.%{"$'\e[33m%}'"%${n}v%{"$'\e[0m%} .)'
        __ssoenv_red="%$n(V.%{"$'\e[31m%}'"%${n}v%{"$'\e[0m%} .)'
    fi
    # Decimal seconds, at most 15 digits (as `ssoenv prompt` takes them); else unknown.
    if [[ -z ${SSOENV_EXPIRATION-} || $SSOENV_EXPIRATION == *[^0-9]* || ${#SSOENV_EXPIRATION} -gt 15 ]]; then
        SSOENV_SEGMENT=$__ssoenv_name SSOENV_SEGMENT_STATE=unknown SSOENV_SEGMENT_COLOR=''
        __ssoenv_want=$__ssoenv_plain __ssoenv_until=9000000000000
        return 0
    fi
    __ssoenv_exp=$(( 10#$SSOENV_EXPIRATION ))
}

# The countdown from the prepared values: a comparison chain and a division.
# Sets __ssoenv_until, the second at which the text next changes (the hook
# does nothing before then), and __ssoenv_want, the prefix PROMPT should have.
# No `return` in here: the hook carries a copy of this body (see below).
__ssoenv_tick() {
    if [[ -n $__ssoenv_exp ]] && (( __ssoenv_m = 0, __ssoenv_t = EPOCHSECONDS, __ssoenv_l = __ssoenv_exp - __ssoenv_t, 1 )) &&
        { (( __ssoenv_l >= 600 )) || [[ ${SSOENV_AUTO_RENEW-} != 1 ]] || ! __ssoenv_renew_due; }; then
        # Minutes change when the seconds left cross a multiple of 60 (as do the
        # colour and renewal thresholds); under a minute, every second.
        if (( __ssoenv_l >= 3600 )); then
            (( __ssoenv_until = __ssoenv_t + __ssoenv_l % 60 + 1, __ssoenv_x = 100 + __ssoenv_l % 3600 / 60, __ssoenv_l /= 3600 ))
            SSOENV_SEGMENT="$__ssoenv_name ${__ssoenv_l}h${__ssoenv_x:1}m" SSOENV_SEGMENT_STATE=ok SSOENV_SEGMENT_COLOR=green __ssoenv_want=$__ssoenv_green
        elif (( __ssoenv_l >= 900 )); then
            (( __ssoenv_until = __ssoenv_t + __ssoenv_l % 60 + 1, __ssoenv_l /= 60 ))
            SSOENV_SEGMENT="$__ssoenv_name ${__ssoenv_l}m" SSOENV_SEGMENT_STATE=ok SSOENV_SEGMENT_COLOR=green __ssoenv_want=$__ssoenv_green
        elif (( __ssoenv_l >= 300 )); then
            (( __ssoenv_until = __ssoenv_t + __ssoenv_l % 60 + 1, __ssoenv_l /= 60 ))
            SSOENV_SEGMENT="$__ssoenv_name ${__ssoenv_l}m" SSOENV_SEGMENT_STATE=warn SSOENV_SEGMENT_COLOR=yellow __ssoenv_want=$__ssoenv_yellow
        elif (( __ssoenv_l >= 60 )); then
            (( __ssoenv_until = __ssoenv_t + __ssoenv_l % 60 + 1, __ssoenv_l /= 60 ))
            SSOENV_SEGMENT="$__ssoenv_name ${__ssoenv_l}m" SSOENV_SEGMENT_STATE=critical SSOENV_SEGMENT_COLOR=red __ssoenv_want=$__ssoenv_red
        elif (( __ssoenv_l > 0 )); then
            (( __ssoenv_until = __ssoenv_t + 1 ))
            SSOENV_SEGMENT="$__ssoenv_name ${__ssoenv_l}s" SSOENV_SEGMENT_STATE=critical SSOENV_SEGMENT_COLOR=red __ssoenv_want=$__ssoenv_red
        else
            __ssoenv_until=9000000000000
            SSOENV_SEGMENT="$__ssoenv_name expired" SSOENV_SEGMENT_STATE=expired SSOENV_SEGMENT_COLOR=red __ssoenv_want=$__ssoenv_red
        fi
        # The renewal is due again before the text changes: look again then.
        (( ! __ssoenv_m || __ssoenv_until < __ssoenv_m )) || __ssoenv_until=$__ssoenv_m
    fi
}

# Under 10 minutes left with SSOENV_AUTO_RENEW=1: renew at most once a minute. Status
# 0 when renewed (the segment is then computed afresh), else 1 with __ssoenv_m the
# second at which to try again.
__ssoenv_renew_due() {
    if (( __ssoenv_t - __ssoenv_renew_at >= 60 )); then
        __ssoenv_renew_at=$__ssoenv_t
        __ssoenv_renew && return 0
    fi
    (( __ssoenv_m = __ssoenv_renew_at + 60 ))
    return 1
}

# Quiet renewal: role credentials from a valid or refreshable token, never a login.
__ssoenv_renew() {
    local out
    __ssoenv_find 2>/dev/null || return 1
    out=$(SSOENV_INTERACTIVE=0 SSOENV_BACKGROUND_RENEW=1 command "$__ssoenv_exe" use "$SSOENV_PROFILE" --shell zsh 2>/dev/null) || return 1
    eval "$out" || return 1
    ssoenv_segment
}

__ssoenv_hook() {
    __ssoenv_status=$?
    # Inactive and nothing shown: this one test is the whole cost.
    [[ -n ${SSOENV_PROFILE-}${SSOENV_SEGMENT-}${__ssoenv_prefix-} ]] || return $__ssoenv_status
    [[ $__ssoenv_key == "${SSOENV_PROFILE-}:${SSOENV_EXPIRATION-}:${NO_COLOR-}:${SSOENV_PROMPT-}:${SSOENV_AUTO_RENEW-}:${SSOENV_RENEWABLE-}" ]] || __ssoenv_prepare
    if (( EPOCHSECONDS >= __ssoenv_until )); then
        __ssoenv_tick_inline
    fi
    # The prefix stays at the front of PROMPT (a theme may have rebuilt PROMPT), the
    # text in psvar: a new minute changes only psvar, a new colour the prefix.
    if [[ $__ssoenv_prefix == "$__ssoenv_want" && ${PROMPT:0:${#__ssoenv_prefix}} == "$__ssoenv_prefix" ]]; then
        [[ -z $__ssoenv_want || ${psvar[__ssoenv_psvar]-} == "($SSOENV_SEGMENT$__ssoenv_mk)" ]] ||
            psvar[__ssoenv_psvar]="($SSOENV_SEGMENT$__ssoenv_mk)"
        return $__ssoenv_status
    fi
    # Take out the prefix put in last time (wherever it went), then put the new one in front.
    if [[ -n $__ssoenv_prefix ]]; then
        PROMPT=${PROMPT/"$__ssoenv_prefix"/}
        __ssoenv_prefix=''
        (( ${#psvar} < __ssoenv_psvar )) || psvar[__ssoenv_psvar]=''
    fi
    if [[ -n $__ssoenv_want ]]; then
        __ssoenv_prefix=$__ssoenv_want
        psvar[__ssoenv_psvar]="($SSOENV_SEGMENT$__ssoenv_mk)"
        PROMPT=$__ssoenv_want$PROMPT
    fi
    return $__ssoenv_status
}

# A zsh function call costs about as much as the whole countdown: the hook gets
# the body of __ssoenv_tick in place of the call (the call stays if zsh/parameter
# is missing).
__ssoenv_tick_inline() { __ssoenv_tick }
if zmodload zsh/parameter 2>/dev/null && (( $+functions[__ssoenv_tick] )); then
    functions[__ssoenv_hook]=${functions[__ssoenv_hook]/__ssoenv_tick_inline/${functions[__ssoenv_tick]}}
fi

typeset -ga precmd_functions
if (( ! ${precmd_functions[(Ie)__ssoenv_hook]} )); then
    precmd_functions+=(__ssoenv_hook)
fi
