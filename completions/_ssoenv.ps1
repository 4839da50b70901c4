
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'ssoenv' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'ssoenv'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'ssoenv' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Print shell code that exports temporary credentials for PROFILE (evaluate it)')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Print shell code that removes every variable `use` sets')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with temporary credentials for PROFILE')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in to an SSO session (reuses a valid token unless --force)')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Revoke an SSO session and remove its cached token and role credentials')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show SSO sessions, token states and profiles (no network)')
            [CompletionResult]::new('profiles', 'profiles', [CompletionResultType]::ParameterValue, 'List the SSO profiles of ~/.aws/config')
            [CompletionResult]::new('emulator', 'emulator', [CompletionResultType]::ParameterValue, 'Run the local IAM Identity Center emulator on 127.0.0.1 (for tests and demos)')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Walk through login, use and exec against the local emulator, with no AWS account')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Print the shell integration: the `ssoenv` function, the prompt countdown, auto-renewal')
            [CompletionResult]::new('prompt', 'prompt', [CompletionResultType]::ParameterValue, 'Print the prompt segment (`prod 42m`) from the environment alone, for starship, p10k, oh-my-posh')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('__complete-profiles', '__complete-profiles', [CompletionResultType]::ParameterValue, 'Print the profile names of the config file, one a line (used by completions)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ssoenv;use' {
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Shell to print code for (default: SSOENV_SHELL, else the parent process, else $SHELL)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region to export (beats the profile''s `region`)')
            [CompletionResult]::new('--no-browser', '--no-browser', [CompletionResultType]::ParameterName, 'Do not open a browser; print the URL and code to open elsewhere')
            [CompletionResult]::new('--force-login', '--force-login', [CompletionResultType]::ParameterName, 'Log in again even if a valid SSO token is cached')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssoenv;unset' {
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'Shell to print code for (default: SSOENV_SHELL, else the parent process, else $SHELL)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssoenv;exec' {
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'Region to export (beats the profile''s `region`)')
            [CompletionResult]::new('--no-browser', '--no-browser', [CompletionResultType]::ParameterName, 'Do not open a browser; print the URL and code to open elsewhere')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssoenv;login' {
            [CompletionResult]::new('--sso-session', '--sso-session', [CompletionResultType]::ParameterName, 'Log in this [sso-session NAME] directly')
            [CompletionResult]::new('--no-browser', '--no-browser', [CompletionResultType]::ParameterName, 'Do not open a browser; print the URL and code to open elsewhere')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Log in again even if a valid token is cached')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssoenv;logout' {
            [CompletionResult]::new('--sso-session', '--sso-session', [CompletionResultType]::ParameterName, 'End this [sso-session NAME]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'End every cached SSO session, like `aws sso logout`')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssoenv;status' {
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output (stable format, see README)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssoenv;profiles' {
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssoenv;emulator' {
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port on 127.0.0.1 (0 picks a free one)')
            [CompletionResult]::new('--fixture', '--fixture', [CompletionResultType]::ParameterName, 'JSON file of accounts and roles to serve (default: a built-in set)')
            [CompletionResult]::new('--approve-after', '--approve-after', [CompletionResultType]::ParameterName, 'Approve a device code after this many CreateToken polls')
            [CompletionResult]::new('--token-ttl', '--token-ttl', [CompletionResultType]::ParameterName, 'Access-token lifetime in seconds')
            [CompletionResult]::new('--role-ttl', '--role-ttl', [CompletionResultType]::ParameterName, 'Role-credential lifetime in seconds')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Polling interval in seconds returned by StartDeviceAuthorization')
            [CompletionResult]::new('--fail', '--fail', [CompletionResultType]::ParameterName, 'Inject a fault, e.g. `token:500:2`, `credentials:429:1`, `any:slow=3000:1` (repeatable)')
            [CompletionResult]::new('--deny', '--deny', [CompletionResultType]::ParameterName, 'Deny every device authorization (the user clicks "Deny")')
            [CompletionResult]::new('--expire', '--expire', [CompletionResultType]::ParameterName, 'Let every device code expire before approval')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssoenv;demo' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssoenv;init' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssoenv;prompt' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format with placeholders (see below); default `{profile} {remaining}`')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No ANSI colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssoenv;completions' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssoenv;__complete-profiles' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssoenv;help' {
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Print shell code that exports temporary credentials for PROFILE (evaluate it)')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Print shell code that removes every variable `use` sets')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with temporary credentials for PROFILE')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in to an SSO session (reuses a valid token unless --force)')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Revoke an SSO session and remove its cached token and role credentials')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show SSO sessions, token states and profiles (no network)')
            [CompletionResult]::new('profiles', 'profiles', [CompletionResultType]::ParameterValue, 'List the SSO profiles of ~/.aws/config')
            [CompletionResult]::new('emulator', 'emulator', [CompletionResultType]::ParameterValue, 'Run the local IAM Identity Center emulator on 127.0.0.1 (for tests and demos)')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Walk through login, use and exec against the local emulator, with no AWS account')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Print the shell integration: the `ssoenv` function, the prompt countdown, auto-renewal')
            [CompletionResult]::new('prompt', 'prompt', [CompletionResultType]::ParameterValue, 'Print the prompt segment (`prod 42m`) from the environment alone, for starship, p10k, oh-my-posh')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('__complete-profiles', '__complete-profiles', [CompletionResultType]::ParameterValue, 'Print the profile names of the config file, one a line (used by completions)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ssoenv;help;use' {
            break
        }
        'ssoenv;help;unset' {
            break
        }
        'ssoenv;help;exec' {
            break
        }
        'ssoenv;help;login' {
            break
        }
        'ssoenv;help;logout' {
            break
        }
        'ssoenv;help;status' {
            break
        }
        'ssoenv;help;profiles' {
            break
        }
        'ssoenv;help;emulator' {
            break
        }
        'ssoenv;help;demo' {
            break
        }
        'ssoenv;help;init' {
            break
        }
        'ssoenv;help;prompt' {
            break
        }
        'ssoenv;help;completions' {
            break
        }
        'ssoenv;help;__complete-profiles' {
            break
        }
        'ssoenv;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
