# ssoenv shell integration for zsh. Load it with:  eval "$(ssoenv init zsh)"
# Loading it twice is harmless: the hook and the prompt prefix are added once.
#
# Public names (for people who build their own prompt, e.g. powerlevel10k):
#   ssoenv_segment          compute the segment now into the variables below
#   SSOENV_SEGMENT          plain text, e.g. "prod 42m" (empty when no profile is active)
#   SSOENV_SEGMENT_STATE    ok | warn | critical | expired | unknown (empty when inactive)
#   SSOENV_SEGMENT_COLOR    green | yellow | red (empty when unknown or inactive)
#   SSOENV_PROMPT=off       do not put "(prod 42m) " in front of PROMPT
# The hook keeps these variables up to date before every prompt.

# The binary; `ssoenv init` replaces the quoted placeholder with its own path.
typeset -g __ssoenv_bin='@SSOENV_BIN@'
export SSOENV_SHELL=zsh
# $EPOCHSECONDS without starting a process.
zmodload zsh/datetime 2>/dev/null
typeset -g SSOENV_SEGMENT SSOENV_SEGMENT_STATE SSOENV_SEGMENT_COLOR __ssoenv_prefix __ssoenv_key
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
    local __ssoenv_arg
    local -a __ssoenv_shell=(--shell zsh)
    for __ssoenv_arg in "$@"; do
        case $__ssoenv_arg in
        -h | --help | -V | --version)
            command "$__ssoenv_bin" "$@"
            return
            ;;
        --shell | --shell=*) __ssoenv_shell=() ;;
        esac
    done
    local __ssoenv_out
    __ssoenv_out=$(command "$__ssoenv_bin" "$@" "${__ssoenv_shell[@]}") || return
    eval "$__ssoenv_out"
    __ssoenv_renew_at=0
    ssoenv_segment
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
    if [[ -z ${SSOENV_EXPIRATION-} || $SSOENV_EXPIRATION == *[^0-9]* ]]; then
        SSOENV_SEGMENT=$SSOENV_PROFILE SSOENV_SEGMENT_STATE=unknown SSOENV_SEGMENT_COLOR=''
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
    SSOENV_SEGMENT="$SSOENV_PROFILE $text"
}

# Quiet renewal: role credentials from a valid or refreshable token, never a login.
__ssoenv_renew() {
    local out
    out=$(SSOENV_INTERACTIVE=0 command "$__ssoenv_bin" use "$SSOENV_PROFILE" --shell zsh 2>/dev/null) || return 1
    eval "$out" || return 1
    ssoenv_segment
}

# The prefix for PROMPT, escaped for prompt expansion (and prompt_subst).
__ssoenv_make_prefix() {
    local seg=${SSOENV_SEGMENT//\%/%%} sgr=''
    if [[ -o prompt_subst ]]; then
        seg=${seg//\\/\\\\}
        seg=${seg//\$/\\\$}
        seg=${seg//\`/\\\`}
    fi
    if [[ -z ${NO_COLOR-} ]]; then
        case $SSOENV_SEGMENT_COLOR in
        green) sgr=32 ;;
        yellow) sgr=33 ;;
        red) sgr=31 ;;
        esac
    fi
    if [[ -n $sgr ]]; then
        REPLY=$'%{\e['$sgr$'m%}('$seg$')%{\e[0m%} '
    else
        REPLY="($seg) "
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
        [[ -z $__ssoenv_prefix || ${PROMPT:0:${#__ssoenv_prefix}} == "$__ssoenv_prefix" ]]; then
        return $s
    fi
    __ssoenv_key=$key
    ssoenv_segment
    # Take out the prefix put in last time (wherever it went), then put the new one in front.
    if [[ -n $__ssoenv_prefix ]]; then
        PROMPT=${PROMPT/"$__ssoenv_prefix"/}
        __ssoenv_prefix=''
    fi
    if [[ -n $SSOENV_SEGMENT && ${SSOENV_PROMPT-} != off ]]; then
        local REPLY
        __ssoenv_make_prefix
        __ssoenv_prefix=$REPLY
        PROMPT=$REPLY$PROMPT
    fi
    return $s
}

typeset -ga precmd_functions
if (( ! ${precmd_functions[(Ie)__ssoenv_hook]} )); then
    precmd_functions+=(__ssoenv_hook)
fi
