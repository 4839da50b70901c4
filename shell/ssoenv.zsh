# ssoenv shell integration for zsh. Load it with:  eval "$(ssoenv init zsh)"
# Loading it twice is harmless: the hook and the prompt prefix are added once.
#
# Public names (for people who build their own prompt, e.g. powerlevel10k):
#   ssoenv_segment          compute the segment now into the variables below
#   SSOENV_SEGMENT          plain text, e.g. "prod 42m" (empty when no profile is active)
#   SSOENV_SEGMENT_STATE    ok | warn | critical | expired | unknown (empty when inactive)
#   SSOENV_SEGMENT_COLOR    green | yellow | red (empty when unknown or inactive)
#   SSOENV_PROMPT=off       do not put "(prod 42m) " in front of PROMPT
#   psvar[19]               taken: it carries "(prod 42m)" into PROMPT as %19v
# The hook keeps these variables up to date before every prompt.

# The binary; `ssoenv init` replaces the quoted placeholder with its own path.
# (No SSOENV_SHELL: a child shell of another kind would inherit it. The function
# passes --shell zsh, and `eval "$(ssoenv use …)"` finds zsh as its parent.)
typeset -g __ssoenv_bin='@SSOENV_BIN@'
# $EPOCHSECONDS without starting a process.
zmodload zsh/datetime 2>/dev/null
typeset -g SSOENV_SEGMENT SSOENV_SEGMENT_STATE SSOENV_SEGMENT_COLOR __ssoenv_prefix __ssoenv_key
typeset -g __ssoenv_name __ssoenv_name_of
# The element of psvar that carries the segment to the prompt (see __ssoenv_make_prefix).
typeset -gi __ssoenv_psvar=19
typeset -gi __ssoenv_renew_at __ssoenv_until

# `ssoenv use …` and `ssoenv unset` change this shell; everything else runs as is.
ssoenv() {
    case ${1-} in
    use | unset) ;;
    *)
        command "$__ssoenv_bin" "$@"
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
            command "$__ssoenv_bin" "$@"
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
    __ssoenv_out=$(command "$__ssoenv_bin" "$1" "${__ssoenv_shell[@]}" "${@[2,-1]}") || return
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

# Compute the segment (and renew the credentials when asked to and due). Sets
# __ssoenv_until, the second at which the text next changes: the hook does
# nothing before then.
ssoenv_segment() {
    __ssoenv_until=0
    if [[ -z ${SSOENV_PROFILE-} ]]; then
        SSOENV_SEGMENT='' SSOENV_SEGMENT_STATE='' SSOENV_SEGMENT_COLOR=''
        return 0
    fi
    [[ $SSOENV_PROFILE == "$__ssoenv_name_of" ]] || __ssoenv_printable "$SSOENV_PROFILE"
    # Decimal seconds, at most 15 digits (as `ssoenv prompt` takes them); else unknown.
    if [[ -z ${SSOENV_EXPIRATION-} || $SSOENV_EXPIRATION == *[^0-9]* || ${#SSOENV_EXPIRATION} -gt 15 ]]; then
        SSOENV_SEGMENT=$__ssoenv_name SSOENV_SEGMENT_STATE=unknown SSOENV_SEGMENT_COLOR=''
        __ssoenv_until=9000000000000
        return 0
    fi
    local -i now=$EPOCHSECONDS left
    local text
    left=$(( 10#$SSOENV_EXPIRATION - now ))
    if [[ ${SSOENV_AUTO_RENEW-} == 1 ]] && (( left < 600 )); then
        if (( now - ${__ssoenv_renew_at:-0} >= 60 )); then
            __ssoenv_renew_at=$now
            __ssoenv_renew && return 0
        fi
        __ssoenv_until=$(( __ssoenv_renew_at + 60 ))
    fi
    if (( left <= 0 )); then
        text=expired SSOENV_SEGMENT_STATE=expired SSOENV_SEGMENT_COLOR=red
        (( __ssoenv_until )) || __ssoenv_until=9000000000000
    else
        if (( left >= 3600 )); then
            printf -v text '%dh%02dm' $(( left / 3600 )) $(( left % 3600 / 60 ))
        elif (( left >= 60 )); then
            text=$(( left / 60 ))m
        else
            text=${left}s
        fi
        if (( left < 300 )); then
            SSOENV_SEGMENT_STATE=critical SSOENV_SEGMENT_COLOR=red
        elif (( left < 900 )); then
            SSOENV_SEGMENT_STATE=warn SSOENV_SEGMENT_COLOR=yellow
        else
            SSOENV_SEGMENT_STATE=ok SSOENV_SEGMENT_COLOR=green
        fi
        # Minutes change when the seconds left cross a multiple of 60 (as do the
        # colour and renewal thresholds); under a minute, every second.
        if (( left < 60 )); then
            now+=1
        else
            now+=$(( left % 60 + 1 ))
        fi
        (( __ssoenv_until && __ssoenv_until < now )) || __ssoenv_until=$now
    fi
    SSOENV_SEGMENT="$__ssoenv_name $text"
}

# Quiet renewal: role credentials from a valid or refreshable token, never a login.
__ssoenv_renew() {
    local out
    out=$(SSOENV_INTERACTIVE=0 SSOENV_BACKGROUND_RENEW=1 command "$__ssoenv_bin" use "$SSOENV_PROFILE" --shell zsh 2>/dev/null) || return 1
    eval "$out" || return 1
    ssoenv_segment
}

# The prefix for PROMPT. The text itself is never in PROMPT: %Nv shows element N
# of psvar as it is, with no %-escapes, `!` (prompt_bang) or $(…) (prompt_subst)
# taken from it, so the prefix is right whatever options are set, and whenever
# (a theme's precmd may set prompt_subst after this hook). %N(V.….) shows
# nothing if someone empties psvar.
__ssoenv_make_prefix() {
    local n=$__ssoenv_psvar sgr=''
    if [[ -z ${NO_COLOR-} ]]; then
        case $SSOENV_SEGMENT_COLOR in
        green) sgr=32 ;;
        yellow) sgr=33 ;;
        red) sgr=31 ;;
        esac
    fi
    if [[ -n $sgr ]]; then
        REPLY="%$n(V.%{"$'\e['$sgr$'m%}'"%${n}v%{"$'\e[0m%} .)'
    else
        REPLY="%$n(V.%${n}v .)"
    fi
}

__ssoenv_hook() {
    local s=$?
    # Inactive and nothing shown: this one test is the whole cost.
    [[ -n ${SSOENV_PROFILE-}${SSOENV_SEGMENT-}${__ssoenv_prefix-} ]] || return $s
    # Nothing to do while the session, the options and the text stay the same
    # and the prefix is still at the front of PROMPT (a theme may have rebuilt it).
    local key="${SSOENV_PROFILE-}:${SSOENV_EXPIRATION-}:${NO_COLOR-}:${SSOENV_PROMPT-}"
    if [[ $key == "$__ssoenv_key" ]] && (( EPOCHSECONDS < __ssoenv_until )) &&
        [[ -z $__ssoenv_prefix || ( ${PROMPT:0:${#__ssoenv_prefix}} == "$__ssoenv_prefix" &&
            ${psvar[__ssoenv_psvar]-} == "($SSOENV_SEGMENT)" ) ]]; then
        return $s
    fi
    __ssoenv_key=$key
    ssoenv_segment
    # Take out the prefix put in last time (wherever it went), then put the new one in front.
    if [[ -n $__ssoenv_prefix ]]; then
        PROMPT=${PROMPT/"$__ssoenv_prefix"/}
        __ssoenv_prefix=''
        (( ${#psvar} < __ssoenv_psvar )) || psvar[__ssoenv_psvar]=''
    fi
    if [[ -n $SSOENV_SEGMENT && ${SSOENV_PROMPT-} != off ]]; then
        local REPLY
        __ssoenv_make_prefix
        __ssoenv_prefix=$REPLY
        psvar[__ssoenv_psvar]="($SSOENV_SEGMENT)"
        PROMPT=$REPLY$PROMPT
    fi
    return $s
}

typeset -ga precmd_functions
if (( ! ${precmd_functions[(Ie)__ssoenv_hook]} )); then
    precmd_functions+=(__ssoenv_hook)
fi
