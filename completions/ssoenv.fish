# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_ssoenv_global_optspecs
    string join \n h/help V/version
end

function __fish_ssoenv_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_ssoenv_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_ssoenv_using_subcommand
    set -l cmd (__fish_ssoenv_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c ssoenv -n "__fish_ssoenv_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ssoenv -n "__fish_ssoenv_needs_command" -s V -l version -d 'Print version'
complete -c ssoenv -n "__fish_ssoenv_needs_command" -f -a "use" -d 'Print shell code that exports temporary credentials for PROFILE (evaluate it)'
complete -c ssoenv -n "__fish_ssoenv_needs_command" -f -a "unset" -d 'Print shell code that removes every variable `use` sets'
complete -c ssoenv -n "__fish_ssoenv_needs_command" -f -a "exec" -d 'Run a command with temporary credentials for PROFILE'
complete -c ssoenv -n "__fish_ssoenv_needs_command" -f -a "credential-process" -d 'Print a profile\'s credentials as `credential_process` JSON, for the AWS SDKs and CLI'
complete -c ssoenv -n "__fish_ssoenv_needs_command" -f -a "login" -d 'Log in to an SSO session (reuses a valid token unless --force)'
complete -c ssoenv -n "__fish_ssoenv_needs_command" -f -a "logout" -d 'Revoke an SSO session and remove its cached token and role credentials'
complete -c ssoenv -n "__fish_ssoenv_needs_command" -f -a "status" -d 'Show SSO sessions, token states and profiles (no network)'
complete -c ssoenv -n "__fish_ssoenv_needs_command" -f -a "doctor" -d 'Check config, login, shell integration, PATH and proxy: why doesn\'t it work?'
complete -c ssoenv -n "__fish_ssoenv_needs_command" -f -a "profiles" -d 'List the SSO and role-chaining profiles of ~/.aws/config'
complete -c ssoenv -n "__fish_ssoenv_needs_command" -f -a "configure" -d 'Create an SSO profile step by step, like `aws configure sso` (every answer can be a flag)'
complete -c ssoenv -n "__fish_ssoenv_needs_command" -f -a "accounts" -d 'List every account and role the SSO session can use (asks the portal)'
complete -c ssoenv -n "__fish_ssoenv_needs_command" -f -a "console" -d 'Open the AWS console in a browser, signed in with PROFILE\'s role (or print the sign-in URL)'
complete -c ssoenv -n "__fish_ssoenv_needs_command" -f -a "populate" -d 'Write one [profile ...] per account and role the SSO session can use into ~/.aws/config'
complete -c ssoenv -n "__fish_ssoenv_needs_command" -f -a "emulator" -d 'Run the local IAM Identity Center emulator on 127.0.0.1 (for tests and demos)'
complete -c ssoenv -n "__fish_ssoenv_needs_command" -f -a "demo" -d 'Walk through login, use and exec against the local emulator, with no AWS account'
complete -c ssoenv -n "__fish_ssoenv_needs_command" -f -a "init" -d 'Print the shell integration: the `ssoenv` function, the prompt countdown, auto-renewal'
complete -c ssoenv -n "__fish_ssoenv_needs_command" -f -a "prompt" -d 'Print the prompt segment (`prod 42m`) from the environment alone, for starship, p10k, oh-my-posh'
complete -c ssoenv -n "__fish_ssoenv_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c ssoenv -n "__fish_ssoenv_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand use" -l profile -d 'PROFILE as the AWS CLI spells it (`--profile NAME`)' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand use" -l shell -d 'Shell to print code for (default: the parent process if a known shell, else SSOENV_SHELL, else $SHELL)' -r -f -a "bash\t''
zsh\t''
fish\t''
powershell\t''
sh\t'POSIX sh (dash): `use`/`unset` code only; `init sh` explains there is no integration'
json\t'the changes as a JSON object (null = unset), as `direnv export json`: for editors and scripts'
nu\t'nushell: the changes as data for the `ssoenv` command of `ssoenv init nu`'
elvish\t''
xonsh\t''"
complete -c ssoenv -n "__fish_ssoenv_using_subcommand use" -l region -d 'Region to export (beats the profile\'s `region`)' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand use" -l no-browser -d 'Do not open a browser; print the URL and code to open elsewhere'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand use" -l force -d 'Log in again even if a valid SSO token is cached'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand use" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand unset" -l shell -d 'Shell to print code for (default: the parent process if a known shell, else SSOENV_SHELL, else $SHELL)' -r -f -a "bash\t''
zsh\t''
fish\t''
powershell\t''
sh\t'POSIX sh (dash): `use`/`unset` code only; `init sh` explains there is no integration'
json\t'the changes as a JSON object (null = unset), as `direnv export json`: for editors and scripts'
nu\t'nushell: the changes as data for the `ssoenv` command of `ssoenv init nu`'
elvish\t''
xonsh\t''"
complete -c ssoenv -n "__fish_ssoenv_using_subcommand unset" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand exec" -l profile -d 'PROFILE as the AWS CLI spells it (`--profile NAME`)' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand exec" -l region -d 'Region to export (beats the profile\'s `region`)' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand exec" -l no-browser -d 'Do not open a browser; print the URL and code to open elsewhere'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand exec" -l force -d 'Log in again even if a valid SSO token is cached'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand exec" -l server -d 'Serve credentials to CMD from a local endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI) instead of exporting keys: SDKs refresh them as they expire'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand exec" -s h -l help -d 'Print help'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand credential-process" -l profile -d 'PROFILE as the AWS CLI spells it (`--profile NAME`)' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand credential-process" -s h -l help -d 'Print help'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand login" -l profile -d 'PROFILE as the AWS CLI spells it (`--profile NAME`)' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand login" -l sso-session -d 'Log in this [sso-session NAME] directly' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand login" -l no-browser -d 'Do not open a browser; print the URL and code to open elsewhere'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand login" -l force -d 'Log in again even if a valid SSO token is cached'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand login" -l pkce -d 'Log in with the authorization code and PKCE, as `aws sso login` does (default: SSOENV_LOGIN_FLOW, else the device code)'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand login" -l use-device-code -d 'Log in with the device code, whatever SSOENV_LOGIN_FLOW says (as `aws sso login --use-device-code`)'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand login" -s h -l help -d 'Print help'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand logout" -l profile -d 'PROFILE as the AWS CLI spells it (`--profile NAME`)' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand logout" -l sso-session -d 'End this [sso-session NAME]' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand logout" -l all -d 'End every cached SSO session, like `aws sso logout`'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand logout" -s h -l help -d 'Print help'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand status" -l profile -d 'PROFILE as the AWS CLI spells it (`--profile NAME`)' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand status" -l json -d 'Machine-readable output (a stable shape, shown in --help)'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand status" -l check -d 'Print nothing; exit 0 when PROFILE\'s credentials can be had without a login, else 1'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand status" -s h -l help -d 'Print help'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand doctor" -l profile -d 'PROFILE as the AWS CLI spells it (`--profile NAME`)' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand doctor" -l network -d 'Also check that the OIDC and portal endpoints answer, and the clock skew'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand doctor" -l json -d 'Machine-readable output (for bug reports)'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand profiles" -l json -d 'Machine-readable output'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand profiles" -l names -d 'Only the names of the profiles `use` accepts, one a line (for completions)'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand profiles" -l sessions -d 'Only the names of the sso-sessions `login --sso-session` accepts, one a line (for completions)'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand profiles" -s h -l help -d 'Print help'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand configure" -l profile -d 'Name of the profile to write (default: ROLE-ACCOUNTID)' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand configure" -l sso-session -d 'Name of the [sso-session NAME] to write or reuse' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand configure" -l start-url -d 'The AWS access portal URL, https://.../start' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand configure" -l sso-region -d 'The region of IAM Identity Center' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand configure" -l scopes -d 'sso_registration_scopes, comma-separated (default: sso:account:access)' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand configure" -l account-id -d 'The account\'s 12-digit id' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand configure" -l role-name -d 'The permission set (role) name' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand configure" -l region -d 'The profile\'s default region' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand configure" -l output -d 'The profile\'s AWS CLI output format: json, yaml, yaml-stream, text or table (optional)' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand configure" -l no-browser -d 'Do not open a browser; print the URL and code to open elsewhere'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand configure" -s h -l help -d 'Print help'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand accounts" -l profile -d 'PROFILE as the AWS CLI spells it (`--profile NAME`)' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand accounts" -l sso-session -d 'Use this [sso-session NAME]' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand accounts" -l json -d 'Machine-readable output (shape below)'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand accounts" -l no-browser -d 'Do not open a browser; print the URL and code to open elsewhere'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand accounts" -s h -l help -d 'Print help'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand console" -l profile -d 'PROFILE as the AWS CLI spells it (`--profile NAME`)' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand console" -l destination -d 'The console page to open: an https:// URL on the partition\'s console (https://s3.console.aws.amazon.com/s3/buckets), a path (/ec2/home#Instances:) or a service (s3, ec2) [default: the region\'s console home]' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand console" -l region -d 'Console region (beats the profile\'s `region`); also picks the partition' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand console" -l duration -d 'Length of the console session, 15m to 12h: 3600, 90m, 4h [default: 1h]. Not sent for chained role credentials, whose console session lasts as long as they do' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand console" -l print -d 'Write the sign-in URL to stdout instead of opening a browser. The URL is a bearer secret: for 15 minutes it signs anyone who opens it in to the console, for a session of up to --duration'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand console" -l no-browser -d 'Open no browser at all, neither for an SSO login (its URL and code go to stderr) nor for the console: needs --print'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand console" -l force -d 'Log in again even if a valid SSO token is cached'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand console" -s h -l help -d 'Print help'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand populate" -l sso-session -d 'The [sso-session NAME] to populate from (default: the config\'s only sso-session)' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand populate" -l template -d 'Profile name template' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand populate" -l region -d '`region` of every profile written (without it: a region populate wrote before is kept, and new profiles get the sso-session\'s sso_region)' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand populate" -l no-region -d 'Write no `region` into new profiles (instead of the sso-session\'s sso_region)'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand populate" -l prune -d 'Remove profiles populate wrote for this session whose account or role is gone'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand populate" -l dry-run -d 'Print the changes as a diff and write nothing'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand populate" -l no-browser -d 'Do not open a browser; print the URL and code to open elsewhere'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand populate" -s h -l help -d 'Print help'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand emulator" -l port -d 'Port on 127.0.0.1 (0 picks a free one)' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand emulator" -l fixture -d 'JSON file of accounts and roles to serve (default: a built-in set)' -r -F
complete -c ssoenv -n "__fish_ssoenv_using_subcommand emulator" -l approve-after -d 'Approve a device code after this many CreateToken polls' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand emulator" -l token-ttl -d 'Access-token lifetime in seconds' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand emulator" -l credential-seconds -l role-ttl -d 'Role-credential lifetime in seconds (`EmulatorConfig::role_ttl`)' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand emulator" -l interval -d 'Polling interval in seconds returned by StartDeviceAuthorization' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand emulator" -l fail -d 'Inject a fault OP:KIND[:TIMES], e.g. `token:500:2`, `credentials:429=3:1`, `any:slow=3000` (repeatable; all kinds in --help)' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand emulator" -l accounts -d 'Serve N generated accounts (account-0001 ..., 3 roles each; every 100th repeats the name before it) instead of the fixture' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand emulator" -l latency-ms -d 'Add this many milliseconds to every answer (a distant region)' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand emulator" -l deny -d 'Deny every device authorization and PKCE authorize page (the user clicks "Deny")'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand emulator" -l expire -d 'Let every device code expire before approval'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand emulator" -s h -l help -d 'Print help'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand demo" -s h -l help -d 'Print help'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand prompt" -l format -d 'Output format with placeholders (see below); default `{profile} {remaining}`' -r
complete -c ssoenv -n "__fish_ssoenv_using_subcommand prompt" -l no-color -d 'No ANSI colour (also when NO_COLOR is set)'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand prompt" -s h -l help -d 'Print help'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand completions" -s h -l help -d 'Print help'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand help; and not __fish_seen_subcommand_from use unset exec credential-process login logout status doctor profiles configure accounts console populate emulator demo init prompt completions help" -f -a "use" -d 'Print shell code that exports temporary credentials for PROFILE (evaluate it)'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand help; and not __fish_seen_subcommand_from use unset exec credential-process login logout status doctor profiles configure accounts console populate emulator demo init prompt completions help" -f -a "unset" -d 'Print shell code that removes every variable `use` sets'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand help; and not __fish_seen_subcommand_from use unset exec credential-process login logout status doctor profiles configure accounts console populate emulator demo init prompt completions help" -f -a "exec" -d 'Run a command with temporary credentials for PROFILE'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand help; and not __fish_seen_subcommand_from use unset exec credential-process login logout status doctor profiles configure accounts console populate emulator demo init prompt completions help" -f -a "credential-process" -d 'Print a profile\'s credentials as `credential_process` JSON, for the AWS SDKs and CLI'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand help; and not __fish_seen_subcommand_from use unset exec credential-process login logout status doctor profiles configure accounts console populate emulator demo init prompt completions help" -f -a "login" -d 'Log in to an SSO session (reuses a valid token unless --force)'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand help; and not __fish_seen_subcommand_from use unset exec credential-process login logout status doctor profiles configure accounts console populate emulator demo init prompt completions help" -f -a "logout" -d 'Revoke an SSO session and remove its cached token and role credentials'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand help; and not __fish_seen_subcommand_from use unset exec credential-process login logout status doctor profiles configure accounts console populate emulator demo init prompt completions help" -f -a "status" -d 'Show SSO sessions, token states and profiles (no network)'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand help; and not __fish_seen_subcommand_from use unset exec credential-process login logout status doctor profiles configure accounts console populate emulator demo init prompt completions help" -f -a "doctor" -d 'Check config, login, shell integration, PATH and proxy: why doesn\'t it work?'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand help; and not __fish_seen_subcommand_from use unset exec credential-process login logout status doctor profiles configure accounts console populate emulator demo init prompt completions help" -f -a "profiles" -d 'List the SSO and role-chaining profiles of ~/.aws/config'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand help; and not __fish_seen_subcommand_from use unset exec credential-process login logout status doctor profiles configure accounts console populate emulator demo init prompt completions help" -f -a "configure" -d 'Create an SSO profile step by step, like `aws configure sso` (every answer can be a flag)'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand help; and not __fish_seen_subcommand_from use unset exec credential-process login logout status doctor profiles configure accounts console populate emulator demo init prompt completions help" -f -a "accounts" -d 'List every account and role the SSO session can use (asks the portal)'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand help; and not __fish_seen_subcommand_from use unset exec credential-process login logout status doctor profiles configure accounts console populate emulator demo init prompt completions help" -f -a "console" -d 'Open the AWS console in a browser, signed in with PROFILE\'s role (or print the sign-in URL)'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand help; and not __fish_seen_subcommand_from use unset exec credential-process login logout status doctor profiles configure accounts console populate emulator demo init prompt completions help" -f -a "populate" -d 'Write one [profile ...] per account and role the SSO session can use into ~/.aws/config'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand help; and not __fish_seen_subcommand_from use unset exec credential-process login logout status doctor profiles configure accounts console populate emulator demo init prompt completions help" -f -a "emulator" -d 'Run the local IAM Identity Center emulator on 127.0.0.1 (for tests and demos)'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand help; and not __fish_seen_subcommand_from use unset exec credential-process login logout status doctor profiles configure accounts console populate emulator demo init prompt completions help" -f -a "demo" -d 'Walk through login, use and exec against the local emulator, with no AWS account'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand help; and not __fish_seen_subcommand_from use unset exec credential-process login logout status doctor profiles configure accounts console populate emulator demo init prompt completions help" -f -a "init" -d 'Print the shell integration: the `ssoenv` function, the prompt countdown, auto-renewal'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand help; and not __fish_seen_subcommand_from use unset exec credential-process login logout status doctor profiles configure accounts console populate emulator demo init prompt completions help" -f -a "prompt" -d 'Print the prompt segment (`prod 42m`) from the environment alone, for starship, p10k, oh-my-posh'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand help; and not __fish_seen_subcommand_from use unset exec credential-process login logout status doctor profiles configure accounts console populate emulator demo init prompt completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c ssoenv -n "__fish_ssoenv_using_subcommand help; and not __fish_seen_subcommand_from use unset exec credential-process login logout status doctor profiles configure accounts console populate emulator demo init prompt completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'

# ssoenv: PROFILE completes from the config file (`ssoenv profiles --names`), a session
# name after --sso-session from `ssoenv profiles --sessions`, and after `exec PROFILE`
# (with or without `--`) the command and its own arguments.
# Prints "profile", "command N" (the command starts at token N) or nothing.
function __ssoenv_complete_what
    set -l tokens (commandline -opc)
    test (count $tokens) -ge 2; or return 1
    contains -- $tokens[2] use exec credential-process login logout status doctor configure accounts console; or return 1
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
            case --account-id --destination --duration --output --profile --region --role-name --scopes --shell --sso-region --sso-session --start-url
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
complete -c ssoenv -n '__fish_seen_subcommand_from login logout configure accounts populate' -l sso-session -x -a '(ssoenv profiles --sessions 2>/dev/null)'
