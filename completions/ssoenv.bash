_ssoenv() {
    local i cur prev opts cmd
    COMPREPLY=()
    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
        cur="$2"
    else
        cur="${COMP_WORDS[COMP_CWORD]}"
    fi
    prev="$3"
    cmd=""
    opts=""

    for i in "${COMP_WORDS[@]:0:COMP_CWORD}"
    do
        case "${cmd},${i}" in
            ",$1")
                cmd="ssoenv"
                ;;
            ssoenv,accounts)
                cmd="ssoenv__subcmd__accounts"
                ;;
            ssoenv,completions)
                cmd="ssoenv__subcmd__completions"
                ;;
            ssoenv,configure)
                cmd="ssoenv__subcmd__configure"
                ;;
            ssoenv,console)
                cmd="ssoenv__subcmd__console"
                ;;
            ssoenv,credential-process)
                cmd="ssoenv__subcmd__credential__subcmd__process"
                ;;
            ssoenv,demo)
                cmd="ssoenv__subcmd__demo"
                ;;
            ssoenv,doctor)
                cmd="ssoenv__subcmd__doctor"
                ;;
            ssoenv,emulator)
                cmd="ssoenv__subcmd__emulator"
                ;;
            ssoenv,exec)
                cmd="ssoenv__subcmd__exec"
                ;;
            ssoenv,help)
                cmd="ssoenv__subcmd__help"
                ;;
            ssoenv,init)
                cmd="ssoenv__subcmd__init"
                ;;
            ssoenv,login)
                cmd="ssoenv__subcmd__login"
                ;;
            ssoenv,logout)
                cmd="ssoenv__subcmd__logout"
                ;;
            ssoenv,populate)
                cmd="ssoenv__subcmd__populate"
                ;;
            ssoenv,profiles)
                cmd="ssoenv__subcmd__profiles"
                ;;
            ssoenv,prompt)
                cmd="ssoenv__subcmd__prompt"
                ;;
            ssoenv,status)
                cmd="ssoenv__subcmd__status"
                ;;
            ssoenv,unset)
                cmd="ssoenv__subcmd__unset"
                ;;
            ssoenv,use)
                cmd="ssoenv__subcmd__use"
                ;;
            ssoenv__subcmd__help,accounts)
                cmd="ssoenv__subcmd__help__subcmd__accounts"
                ;;
            ssoenv__subcmd__help,completions)
                cmd="ssoenv__subcmd__help__subcmd__completions"
                ;;
            ssoenv__subcmd__help,configure)
                cmd="ssoenv__subcmd__help__subcmd__configure"
                ;;
            ssoenv__subcmd__help,console)
                cmd="ssoenv__subcmd__help__subcmd__console"
                ;;
            ssoenv__subcmd__help,credential-process)
                cmd="ssoenv__subcmd__help__subcmd__credential__subcmd__process"
                ;;
            ssoenv__subcmd__help,demo)
                cmd="ssoenv__subcmd__help__subcmd__demo"
                ;;
            ssoenv__subcmd__help,doctor)
                cmd="ssoenv__subcmd__help__subcmd__doctor"
                ;;
            ssoenv__subcmd__help,emulator)
                cmd="ssoenv__subcmd__help__subcmd__emulator"
                ;;
            ssoenv__subcmd__help,exec)
                cmd="ssoenv__subcmd__help__subcmd__exec"
                ;;
            ssoenv__subcmd__help,help)
                cmd="ssoenv__subcmd__help__subcmd__help"
                ;;
            ssoenv__subcmd__help,init)
                cmd="ssoenv__subcmd__help__subcmd__init"
                ;;
            ssoenv__subcmd__help,login)
                cmd="ssoenv__subcmd__help__subcmd__login"
                ;;
            ssoenv__subcmd__help,logout)
                cmd="ssoenv__subcmd__help__subcmd__logout"
                ;;
            ssoenv__subcmd__help,populate)
                cmd="ssoenv__subcmd__help__subcmd__populate"
                ;;
            ssoenv__subcmd__help,profiles)
                cmd="ssoenv__subcmd__help__subcmd__profiles"
                ;;
            ssoenv__subcmd__help,prompt)
                cmd="ssoenv__subcmd__help__subcmd__prompt"
                ;;
            ssoenv__subcmd__help,status)
                cmd="ssoenv__subcmd__help__subcmd__status"
                ;;
            ssoenv__subcmd__help,unset)
                cmd="ssoenv__subcmd__help__subcmd__unset"
                ;;
            ssoenv__subcmd__help,use)
                cmd="ssoenv__subcmd__help__subcmd__use"
                ;;
            *)
                ;;
        esac
    done

    case "${cmd}" in
        ssoenv)
            opts="-h -V --help --version use unset exec credential-process login logout status doctor profiles configure accounts console populate emulator demo init prompt completions help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 1 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__accounts)
            opts="-h --profile --sso-session --json --no-browser --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sso-session)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__completions)
            opts="-h --help bash elvish fish powershell zsh nu xonsh"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__configure)
            opts="-h --profile --sso-session --start-url --sso-region --scopes --account-id --role-name --region --output --no-browser --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sso-session)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --start-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sso-region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --scopes)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --account-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --role-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__console)
            opts="-h --profile --print --destination --region --duration --no-browser --force --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --destination)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --duration)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__credential__subcmd__process)
            opts="-h --profile --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__demo)
            opts="-h --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__doctor)
            opts="-h --profile --network --json --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__emulator)
            opts="-h --port --fixture --approve-after --token-ttl --role-ttl --credential-seconds --interval --deny --expire --fail --accounts --latency-ms --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --port)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --fixture)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --approve-after)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --token-ttl)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --credential-seconds)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --role-ttl)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --interval)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --fail)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --accounts)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --latency-ms)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__exec)
            opts="-h --profile --region --no-browser --force --server --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__help)
            opts="use unset exec credential-process login logout status doctor profiles configure accounts console populate emulator demo init prompt completions help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__help__subcmd__accounts)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__help__subcmd__completions)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__help__subcmd__configure)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__help__subcmd__console)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__help__subcmd__credential__subcmd__process)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__help__subcmd__demo)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__help__subcmd__doctor)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__help__subcmd__emulator)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__help__subcmd__exec)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__help__subcmd__init)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__help__subcmd__login)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__help__subcmd__logout)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__help__subcmd__populate)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__help__subcmd__profiles)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__help__subcmd__prompt)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__help__subcmd__status)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__help__subcmd__unset)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__help__subcmd__use)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__init)
            opts="-h --help bash zsh fish powershell sh json nu elvish xonsh"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__login)
            opts="-h --profile --sso-session --no-browser --force --pkce --use-device-code --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sso-session)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__logout)
            opts="-h --profile --sso-session --all --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sso-session)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__populate)
            opts="-h --sso-session --template --region --no-region --prune --dry-run --no-browser --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --sso-session)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --template)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__profiles)
            opts="-h --json --names --sessions --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__prompt)
            opts="-h --format --no-color --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --format)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__status)
            opts="-h --json --check --profile --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__unset)
            opts="-h --shell --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --shell)
                    COMPREPLY=($(compgen -W "bash zsh fish powershell sh json nu elvish xonsh" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        ssoenv__subcmd__use)
            opts="-h --profile --shell --region --no-browser --force --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --shell)
                    COMPREPLY=($(compgen -W "bash zsh fish powershell sh json nu elvish xonsh" -- "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
    esac
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _ssoenv -o nosort -o bashdefault -o default ssoenv
else
    complete -F _ssoenv -o bashdefault -o default ssoenv
fi

# ssoenv: PROFILE completes from the config file (`ssoenv profiles --names`), a session
# name after --sso-session from `ssoenv profiles --sessions`, and after `exec PROFILE`
# (with or without `--`) the command and its own arguments.
_ssoenv_with_profiles() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} i skip=0 profile=0 check=0 list=''
    case ${COMP_WORDS[1]-} in
    login | logout | configure | accounts | populate)
        if ((COMP_CWORD >= 3)) && [[ $prev == --sso-session ]]; then
            list=sessions
        fi
        ;;
    *) ;; # no --sso-session
    esac
    case ${COMP_WORDS[1]-} in
    use | exec | credential-process | login | logout | status | doctor | configure | accounts | console)
        for ((i = 2; i < COMP_CWORD; i++)); do
            if ((skip)); then
                skip=0
                continue
            fi
            case ${COMP_WORDS[i]} in
            --account-id | --destination | --duration | --output | --profile | --region | --role-name | --scopes | --shell | --sso-region | --sso-session | --start-url) skip=1 ;;
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
