# shellcheck shell=bash enable=all disable=SC2250
# (Every optional check on. SC2250, braces around every variable reference:
# bare $name wherever a brace changes nothing, as shfmt leaves it.)
#
# bash completion additions, appended to clap's `_ssoenv` by `ssoenv completions
# bash` and `ssoenv init bash`. The @…@ words are replaced with `|`-separated
# lists read from the CLI definition (src/cmd/completions.rs); as they stand
# they are literal case patterns, so this file lints as it is.

# ssoenv: PROFILE completes from the config file (`ssoenv profiles --names`), a session
# name after --sso-session from `ssoenv profiles --sessions`, and after `exec PROFILE`
# (with or without `--`) the command and its own arguments.
_ssoenv_with_profiles() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} i skip=0 profile=0 check=0 list=''
    case ${COMP_WORDS[1]-} in
    @SESSION_COMMANDS@)
        if ((COMP_CWORD >= 3)) && [[ $prev == --sso-session ]]; then
            list=sessions
        fi
        ;;
    *) ;; # no --sso-session
    esac
    case ${COMP_WORDS[1]-} in
    @PROFILE_COMMANDS@)
        for ((i = 2; i < COMP_CWORD; i++)); do
            if ((skip)); then
                skip=0
                continue
            fi
            case ${COMP_WORDS[i]} in
            @VALUED@) skip=1 ;;
            --check) check=1 ;;
            --)
                # exec: the command follows (after the profile).
                if [[ ${COMP_WORDS[1]} == exec ]] && ((profile)); then
                    list=command:$((i + 1))
                    break
                fi
                ;;
            -?*) ;;
            *)
                if ((!profile)); then
                    profile=1
                    continue
                fi
                # exec: the first word after the profile that is no option is the command.
                [[ ${COMP_WORDS[1]} != exec ]] || list=command:$i
                break
                ;;
            esac
        done
        if [[ -z $list && $cur != -* ]] && ((!skip)); then
            if ((!profile)); then
                if [[ ${COMP_WORDS[1]} != status ]] || ((check)); then
                    list=profiles
                fi
            elif [[ ${COMP_WORDS[1]} == exec ]]; then
                list=command:$COMP_CWORD
            fi
        fi
        ;;
    *) ;; # takes no PROFILE
    esac
    case $list in
    command:*)
        i=${list#command:}
        if declare -F _command_offset >/dev/null; then
            _command_offset "$i"
        elif ((i == COMP_CWORD)); then
            COMPREPLY=()
            # shellcheck disable=SC2312 # compgen's status: no match is no reply
            while IFS= read -r list; do
                COMPREPLY+=("$list")
            done < <(compgen -c -- "$cur")
        else
            COMPREPLY=()
        fi
        return 0
        ;;
    profiles | sessions)
        # Not `compgen -W`: it expands $(…) and backquotes inside each word, and a
        # name is outside text. Match literally; insert the name quoted: with
        # printf %q, or after an opening ' (readline inserts after it and closes
        # it) with each ' written '\''.
        local name quoted rest sq="'" esc="'\\''"
        [[ $list == sessions ]] || list=names
        COMPREPLY=()
        # shellcheck disable=SC2312 # best effort: a failing list completes nothing
        while IFS= read -r name; do
            [[ -n $name ]] || continue
            if [[ $cur == "$sq"* ]]; then
                [[ $name == "${cur#"$sq"}"* ]] || continue
                # Not "${name//"$sq"/"$esc"}": bash before 4.3 keeps those inner quotes.
                quoted='' rest=$name
                while [[ $rest == *"$sq"* ]]; do
                    quoted+=${rest%%"$sq"*}$esc
                    rest=${rest#*"$sq"}
                done
                COMPREPLY+=("$quoted$rest")
            else
                printf -v quoted '%q' "$name"
                [[ $name == "$cur"* || $quoted == "$cur"* ]] && COMPREPLY+=("$quoted")
            fi
        done < <(ssoenv profiles "--$list" 2>/dev/null)
        return 0
        ;;
    *) ;; # clap's completion
    esac
    _ssoenv "$@"
}
if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _ssoenv_with_profiles -o nosort -o bashdefault -o default ssoenv
else
    complete -F _ssoenv_with_profiles -o bashdefault -o default ssoenv
fi
