# fish completion additions, appended to clap's completions by `ssoenv
# completions fish` and `ssoenv init fish`. The @…@ words are replaced with
# space-separated lists read from the CLI definition (src/cmd/completions.rs).

# ssoenv: PROFILE completes from the config file (`ssoenv profiles --names`), a session
# name after --sso-session from `ssoenv profiles --sessions`, and after `exec PROFILE`
# (with or without `--`) the command and its own arguments.
# Prints "profile", "command N" (the command starts at token N) or nothing.
function __ssoenv_complete_what
    set -l tokens (commandline -opc)
    test (count $tokens) -ge 2; or return 1
    contains -- $tokens[2] @PROFILE_COMMANDS@; or return 1
    set -l skip 0
    set -l profile 0
    set -l check 0
    set -l i 2
    for t in $tokens[3..-1]
        set i (math $i + 1)
        if test $skip = 1
            set skip 0
            continue
        end
        switch $t
            case @VALUED@
                set skip 1
            case --check
                set check 1
            case --
                if test $tokens[2] = exec -a $profile = 1
                    echo command (math $i + 1)
                    return 0
                end
            case '-?*'
            case '*'
                if test $profile = 0
                    set profile 1
                else if test $tokens[2] = exec
                    echo command $i
                    return 0
                else
                    return 1
                end
        end
    end
    test $skip = 0; or return 1
    if test $profile = 0
        if test $tokens[2] != status -o $check = 1
            echo profile
        end
    else if test $tokens[2] = exec
        echo command (math $i + 1)
    end
end
function __ssoenv_complete_profile
    string match -q profile -- (__ssoenv_complete_what)
end
function __ssoenv_complete_command
    string match -q 'command *' -- (__ssoenv_complete_what)
end
# The command and its arguments, completed as if they were typed alone.
function __ssoenv_complete_exec
    set -l n (string split ' ' -- (__ssoenv_complete_what))[2]
    set -l tokens (commandline -opc) (commandline -ct)
    __fish_complete_subcommand --commandline $tokens[$n..-1]
end
complete -c ssoenv -n __ssoenv_complete_profile -f -a '(ssoenv profiles --names 2>/dev/null)'
complete -c ssoenv -n __ssoenv_complete_command -f -a '(__ssoenv_complete_exec)'
complete -c ssoenv -n '__fish_seen_subcommand_from @SESSION_COMMANDS@' -l sso-session -x -a '(ssoenv profiles --sessions 2>/dev/null)'
