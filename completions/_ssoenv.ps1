

Register-ArgumentCompleter -Native -CommandName 'ssoenv' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'ssoenv'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [System.Management.Automation.Language.StringConstantExpressionAst] -or
                $element.StringConstantType -ne [System.Management.Automation.Language.StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'ssoenv' {
            [System.Management.Automation.CompletionResult]::new('-h', '-h', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [System.Management.Automation.CompletionResult]::new('--help', '--help', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [System.Management.Automation.CompletionResult]::new('-V', '-V ', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print version')
            [System.Management.Automation.CompletionResult]::new('--version', '--version', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print version')
            [System.Management.Automation.CompletionResult]::new('use', 'use', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Print shell code that exports temporary credentials for PROFILE (evaluate it)')
            [System.Management.Automation.CompletionResult]::new('unset', 'unset', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Print shell code that removes every variable `use` sets')
            [System.Management.Automation.CompletionResult]::new('exec', 'exec', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Run a command with temporary credentials for PROFILE')
            [System.Management.Automation.CompletionResult]::new('credential-process', 'credential-process', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Print a profile''s credentials as `credential_process` JSON, for the AWS SDKs and CLI')
            [System.Management.Automation.CompletionResult]::new('login', 'login', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Log in to an SSO session (reuses a valid token unless --force)')
            [System.Management.Automation.CompletionResult]::new('logout', 'logout', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Revoke an SSO session and remove its cached token and role credentials')
            [System.Management.Automation.CompletionResult]::new('status', 'status', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Show SSO sessions, token states and profiles (no network)')
            [System.Management.Automation.CompletionResult]::new('doctor', 'doctor', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Check config, login, shell integration, PATH and proxy: why doesn''t it work?')
            [System.Management.Automation.CompletionResult]::new('profiles', 'profiles', [System.Management.Automation.CompletionResultType]::ParameterValue, 'List the SSO and role-chaining profiles of ~/.aws/config')
            [System.Management.Automation.CompletionResult]::new('configure', 'configure', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Create an SSO profile step by step, like `aws configure sso` (every answer can be a flag)')
            [System.Management.Automation.CompletionResult]::new('accounts', 'accounts', [System.Management.Automation.CompletionResultType]::ParameterValue, 'List every account and role the SSO session can use (asks the portal)')
            [System.Management.Automation.CompletionResult]::new('console', 'console', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Open the AWS console in a browser, signed in with PROFILE''s role (or print the sign-in URL)')
            [System.Management.Automation.CompletionResult]::new('populate', 'populate', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Write one [profile ...] per account and role the SSO session can use into ~/.aws/config')
            [System.Management.Automation.CompletionResult]::new('emulator', 'emulator', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Run the local IAM Identity Center emulator on 127.0.0.1 (for tests and demos)')
            [System.Management.Automation.CompletionResult]::new('demo', 'demo', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Walk through login, use and exec against the local emulator, with no AWS account')
            [System.Management.Automation.CompletionResult]::new('init', 'init', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Print the shell integration: the `ssoenv` function, the prompt countdown, auto-renewal')
            [System.Management.Automation.CompletionResult]::new('prompt', 'prompt', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Print the prompt segment (`prod 42m`) from the environment alone, for starship, p10k, oh-my-posh')
            [System.Management.Automation.CompletionResult]::new('completions', 'completions', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [System.Management.Automation.CompletionResult]::new('help', 'help', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ssoenv;use' {
            [System.Management.Automation.CompletionResult]::new('--profile', '--profile', [System.Management.Automation.CompletionResultType]::ParameterName, 'PROFILE as the AWS CLI spells it (`--profile NAME`)')
            [System.Management.Automation.CompletionResult]::new('--shell', '--shell', [System.Management.Automation.CompletionResultType]::ParameterName, 'Shell to print code for (default: the parent process if a known shell, else SSOENV_SHELL, else $SHELL)')
            [System.Management.Automation.CompletionResult]::new('--region', '--region', [System.Management.Automation.CompletionResultType]::ParameterName, 'Region to export (beats the profile''s `region`)')
            [System.Management.Automation.CompletionResult]::new('--no-browser', '--no-browser', [System.Management.Automation.CompletionResultType]::ParameterName, 'Do not open a browser; print the URL and code to open elsewhere')
            [System.Management.Automation.CompletionResult]::new('--force', '--force', [System.Management.Automation.CompletionResultType]::ParameterName, 'Log in again even if a valid SSO token is cached')
            [System.Management.Automation.CompletionResult]::new('-h', '-h', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [System.Management.Automation.CompletionResult]::new('--help', '--help', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ssoenv;unset' {
            [System.Management.Automation.CompletionResult]::new('--shell', '--shell', [System.Management.Automation.CompletionResultType]::ParameterName, 'Shell to print code for (default: the parent process if a known shell, else SSOENV_SHELL, else $SHELL)')
            [System.Management.Automation.CompletionResult]::new('-h', '-h', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [System.Management.Automation.CompletionResult]::new('--help', '--help', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ssoenv;exec' {
            [System.Management.Automation.CompletionResult]::new('--profile', '--profile', [System.Management.Automation.CompletionResultType]::ParameterName, 'PROFILE as the AWS CLI spells it (`--profile NAME`)')
            [System.Management.Automation.CompletionResult]::new('--region', '--region', [System.Management.Automation.CompletionResultType]::ParameterName, 'Region to export (beats the profile''s `region`)')
            [System.Management.Automation.CompletionResult]::new('--no-browser', '--no-browser', [System.Management.Automation.CompletionResultType]::ParameterName, 'Do not open a browser; print the URL and code to open elsewhere')
            [System.Management.Automation.CompletionResult]::new('--force', '--force', [System.Management.Automation.CompletionResultType]::ParameterName, 'Log in again even if a valid SSO token is cached')
            [System.Management.Automation.CompletionResult]::new('--server', '--server', [System.Management.Automation.CompletionResultType]::ParameterName, 'Serve credentials to CMD from a local endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI) instead of exporting keys: SDKs refresh them as they expire')
            [System.Management.Automation.CompletionResult]::new('-h', '-h', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help')
            [System.Management.Automation.CompletionResult]::new('--help', '--help', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssoenv;credential-process' {
            [System.Management.Automation.CompletionResult]::new('--profile', '--profile', [System.Management.Automation.CompletionResultType]::ParameterName, 'PROFILE as the AWS CLI spells it (`--profile NAME`)')
            [System.Management.Automation.CompletionResult]::new('-h', '-h', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help')
            [System.Management.Automation.CompletionResult]::new('--help', '--help', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssoenv;login' {
            [System.Management.Automation.CompletionResult]::new('--profile', '--profile', [System.Management.Automation.CompletionResultType]::ParameterName, 'PROFILE as the AWS CLI spells it (`--profile NAME`)')
            [System.Management.Automation.CompletionResult]::new('--sso-session', '--sso-session', [System.Management.Automation.CompletionResultType]::ParameterName, 'Log in this [sso-session NAME] directly')
            [System.Management.Automation.CompletionResult]::new('--no-browser', '--no-browser', [System.Management.Automation.CompletionResultType]::ParameterName, 'Do not open a browser; print the URL and code to open elsewhere')
            [System.Management.Automation.CompletionResult]::new('--force', '--force', [System.Management.Automation.CompletionResultType]::ParameterName, 'Log in again even if a valid SSO token is cached')
            [System.Management.Automation.CompletionResult]::new('--pkce', '--pkce', [System.Management.Automation.CompletionResultType]::ParameterName, 'Log in with the authorization code and PKCE, as `aws sso login` does (default: SSOENV_LOGIN_FLOW, else the device code)')
            [System.Management.Automation.CompletionResult]::new('--use-device-code', '--use-device-code', [System.Management.Automation.CompletionResultType]::ParameterName, 'Log in with the device code, whatever SSOENV_LOGIN_FLOW says (as `aws sso login --use-device-code`)')
            [System.Management.Automation.CompletionResult]::new('-h', '-h', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help')
            [System.Management.Automation.CompletionResult]::new('--help', '--help', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssoenv;logout' {
            [System.Management.Automation.CompletionResult]::new('--profile', '--profile', [System.Management.Automation.CompletionResultType]::ParameterName, 'PROFILE as the AWS CLI spells it (`--profile NAME`)')
            [System.Management.Automation.CompletionResult]::new('--sso-session', '--sso-session', [System.Management.Automation.CompletionResultType]::ParameterName, 'End this [sso-session NAME]')
            [System.Management.Automation.CompletionResult]::new('--all', '--all', [System.Management.Automation.CompletionResultType]::ParameterName, 'End every cached SSO session, like `aws sso logout`')
            [System.Management.Automation.CompletionResult]::new('-h', '-h', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help')
            [System.Management.Automation.CompletionResult]::new('--help', '--help', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssoenv;status' {
            [System.Management.Automation.CompletionResult]::new('--profile', '--profile', [System.Management.Automation.CompletionResultType]::ParameterName, 'PROFILE as the AWS CLI spells it (`--profile NAME`)')
            [System.Management.Automation.CompletionResult]::new('--json', '--json', [System.Management.Automation.CompletionResultType]::ParameterName, 'Machine-readable output (a stable shape, shown in --help)')
            [System.Management.Automation.CompletionResult]::new('--check', '--check', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print nothing; exit 0 when PROFILE''s credentials can be had without a login, else 1')
            [System.Management.Automation.CompletionResult]::new('-h', '-h', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help')
            [System.Management.Automation.CompletionResult]::new('--help', '--help', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssoenv;doctor' {
            [System.Management.Automation.CompletionResult]::new('--profile', '--profile', [System.Management.Automation.CompletionResultType]::ParameterName, 'PROFILE as the AWS CLI spells it (`--profile NAME`)')
            [System.Management.Automation.CompletionResult]::new('--network', '--network', [System.Management.Automation.CompletionResultType]::ParameterName, 'Also check that the OIDC and portal endpoints answer, and the clock skew')
            [System.Management.Automation.CompletionResult]::new('--json', '--json', [System.Management.Automation.CompletionResultType]::ParameterName, 'Machine-readable output (for bug reports)')
            [System.Management.Automation.CompletionResult]::new('-h', '-h', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help')
            [System.Management.Automation.CompletionResult]::new('--help', '--help', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssoenv;profiles' {
            [System.Management.Automation.CompletionResult]::new('--json', '--json', [System.Management.Automation.CompletionResultType]::ParameterName, 'Machine-readable output')
            [System.Management.Automation.CompletionResult]::new('--names', '--names', [System.Management.Automation.CompletionResultType]::ParameterName, 'Only the names of the profiles `use` accepts, one a line (for completions)')
            [System.Management.Automation.CompletionResult]::new('--sessions', '--sessions', [System.Management.Automation.CompletionResultType]::ParameterName, 'Only the names of the sso-sessions `login --sso-session` accepts, one a line (for completions)')
            [System.Management.Automation.CompletionResult]::new('-h', '-h', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help')
            [System.Management.Automation.CompletionResult]::new('--help', '--help', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssoenv;configure' {
            [System.Management.Automation.CompletionResult]::new('--profile', '--profile', [System.Management.Automation.CompletionResultType]::ParameterName, 'Name of the profile to write (default: ROLE-ACCOUNTID)')
            [System.Management.Automation.CompletionResult]::new('--sso-session', '--sso-session', [System.Management.Automation.CompletionResultType]::ParameterName, 'Name of the [sso-session NAME] to write or reuse')
            [System.Management.Automation.CompletionResult]::new('--start-url', '--start-url', [System.Management.Automation.CompletionResultType]::ParameterName, 'The AWS access portal URL, https://.../start')
            [System.Management.Automation.CompletionResult]::new('--sso-region', '--sso-region', [System.Management.Automation.CompletionResultType]::ParameterName, 'The region of IAM Identity Center')
            [System.Management.Automation.CompletionResult]::new('--scopes', '--scopes', [System.Management.Automation.CompletionResultType]::ParameterName, 'sso_registration_scopes, comma-separated (default: sso:account:access)')
            [System.Management.Automation.CompletionResult]::new('--account-id', '--account-id', [System.Management.Automation.CompletionResultType]::ParameterName, 'The account''s 12-digit id')
            [System.Management.Automation.CompletionResult]::new('--role-name', '--role-name', [System.Management.Automation.CompletionResultType]::ParameterName, 'The permission set (role) name')
            [System.Management.Automation.CompletionResult]::new('--region', '--region', [System.Management.Automation.CompletionResultType]::ParameterName, 'The profile''s default region')
            [System.Management.Automation.CompletionResult]::new('--output', '--output', [System.Management.Automation.CompletionResultType]::ParameterName, 'The profile''s AWS CLI output format: json, yaml, yaml-stream, text or table (optional)')
            [System.Management.Automation.CompletionResult]::new('--no-browser', '--no-browser', [System.Management.Automation.CompletionResultType]::ParameterName, 'Do not open a browser; print the URL and code to open elsewhere')
            [System.Management.Automation.CompletionResult]::new('-h', '-h', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help')
            [System.Management.Automation.CompletionResult]::new('--help', '--help', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssoenv;accounts' {
            [System.Management.Automation.CompletionResult]::new('--profile', '--profile', [System.Management.Automation.CompletionResultType]::ParameterName, 'PROFILE as the AWS CLI spells it (`--profile NAME`)')
            [System.Management.Automation.CompletionResult]::new('--sso-session', '--sso-session', [System.Management.Automation.CompletionResultType]::ParameterName, 'Use this [sso-session NAME]')
            [System.Management.Automation.CompletionResult]::new('--json', '--json', [System.Management.Automation.CompletionResultType]::ParameterName, 'Machine-readable output (shape below)')
            [System.Management.Automation.CompletionResult]::new('--no-browser', '--no-browser', [System.Management.Automation.CompletionResultType]::ParameterName, 'Do not open a browser; print the URL and code to open elsewhere')
            [System.Management.Automation.CompletionResult]::new('-h', '-h', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help')
            [System.Management.Automation.CompletionResult]::new('--help', '--help', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssoenv;console' {
            [System.Management.Automation.CompletionResult]::new('--profile', '--profile', [System.Management.Automation.CompletionResultType]::ParameterName, 'PROFILE as the AWS CLI spells it (`--profile NAME`)')
            [System.Management.Automation.CompletionResult]::new('--destination', '--destination', [System.Management.Automation.CompletionResultType]::ParameterName, 'The console page to open: an https:// URL on the partition''s console (https://s3.console.aws.amazon.com/s3/buckets), a path (/ec2/home#Instances:) or a service (s3, ec2) [default: the region''s console home]')
            [System.Management.Automation.CompletionResult]::new('--region', '--region', [System.Management.Automation.CompletionResultType]::ParameterName, 'Console region (beats the profile''s `region`); also picks the partition')
            [System.Management.Automation.CompletionResult]::new('--duration', '--duration', [System.Management.Automation.CompletionResultType]::ParameterName, 'Length of the console session, 15m to 12h: 3600, 90m, 4h [default: 1h]. Not sent for chained role credentials, whose console session lasts as long as they do')
            [System.Management.Automation.CompletionResult]::new('--print', '--print', [System.Management.Automation.CompletionResultType]::ParameterName, 'Write the sign-in URL to stdout instead of opening a browser. The URL is a bearer secret: for 15 minutes it signs anyone who opens it in to the console, for a session of up to --duration')
            [System.Management.Automation.CompletionResult]::new('--no-browser', '--no-browser', [System.Management.Automation.CompletionResultType]::ParameterName, 'Open no browser at all, neither for an SSO login (its URL and code go to stderr) nor for the console: needs --print')
            [System.Management.Automation.CompletionResult]::new('--force', '--force', [System.Management.Automation.CompletionResultType]::ParameterName, 'Log in again even if a valid SSO token is cached')
            [System.Management.Automation.CompletionResult]::new('-h', '-h', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help')
            [System.Management.Automation.CompletionResult]::new('--help', '--help', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssoenv;populate' {
            [System.Management.Automation.CompletionResult]::new('--sso-session', '--sso-session', [System.Management.Automation.CompletionResultType]::ParameterName, 'The [sso-session NAME] to populate from (default: the config''s only sso-session)')
            [System.Management.Automation.CompletionResult]::new('--template', '--template', [System.Management.Automation.CompletionResultType]::ParameterName, 'Profile name template')
            [System.Management.Automation.CompletionResult]::new('--region', '--region', [System.Management.Automation.CompletionResultType]::ParameterName, '`region` of every profile written (without it: a region populate wrote before is kept, and new profiles get the sso-session''s sso_region)')
            [System.Management.Automation.CompletionResult]::new('--no-region', '--no-region', [System.Management.Automation.CompletionResultType]::ParameterName, 'Write no `region` into new profiles (instead of the sso-session''s sso_region)')
            [System.Management.Automation.CompletionResult]::new('--prune', '--prune', [System.Management.Automation.CompletionResultType]::ParameterName, 'Remove profiles populate wrote for this session whose account or role is gone')
            [System.Management.Automation.CompletionResult]::new('--dry-run', '--dry-run', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print the changes as a diff and write nothing')
            [System.Management.Automation.CompletionResult]::new('--no-browser', '--no-browser', [System.Management.Automation.CompletionResultType]::ParameterName, 'Do not open a browser; print the URL and code to open elsewhere')
            [System.Management.Automation.CompletionResult]::new('-h', '-h', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help')
            [System.Management.Automation.CompletionResult]::new('--help', '--help', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssoenv;emulator' {
            [System.Management.Automation.CompletionResult]::new('--port', '--port', [System.Management.Automation.CompletionResultType]::ParameterName, 'Port on 127.0.0.1 (0 picks a free one)')
            [System.Management.Automation.CompletionResult]::new('--fixture', '--fixture', [System.Management.Automation.CompletionResultType]::ParameterName, 'JSON file of accounts and roles to serve (default: a built-in set)')
            [System.Management.Automation.CompletionResult]::new('--approve-after', '--approve-after', [System.Management.Automation.CompletionResultType]::ParameterName, 'Approve a device code after this many CreateToken polls')
            [System.Management.Automation.CompletionResult]::new('--token-ttl', '--token-ttl', [System.Management.Automation.CompletionResultType]::ParameterName, 'Access-token lifetime in seconds')
            [System.Management.Automation.CompletionResult]::new('--credential-seconds', '--credential-seconds', [System.Management.Automation.CompletionResultType]::ParameterName, 'Role-credential lifetime in seconds (`EmulatorConfig::role_ttl`)')
            [System.Management.Automation.CompletionResult]::new('--role-ttl', '--role-ttl', [System.Management.Automation.CompletionResultType]::ParameterName, 'Role-credential lifetime in seconds (`EmulatorConfig::role_ttl`)')
            [System.Management.Automation.CompletionResult]::new('--interval', '--interval', [System.Management.Automation.CompletionResultType]::ParameterName, 'Polling interval in seconds returned by StartDeviceAuthorization')
            [System.Management.Automation.CompletionResult]::new('--fail', '--fail', [System.Management.Automation.CompletionResultType]::ParameterName, 'Inject a fault OP:KIND[:TIMES], e.g. `token:500:2`, `credentials:429=3:1`, `any:slow=3000` (repeatable; all kinds in --help)')
            [System.Management.Automation.CompletionResult]::new('--accounts', '--accounts', [System.Management.Automation.CompletionResultType]::ParameterName, 'Serve N generated accounts (account-0001 ..., 3 roles each; every 100th repeats the name before it) instead of the fixture')
            [System.Management.Automation.CompletionResult]::new('--latency-ms', '--latency-ms', [System.Management.Automation.CompletionResultType]::ParameterName, 'Add this many milliseconds to every answer (a distant region)')
            [System.Management.Automation.CompletionResult]::new('--deny', '--deny', [System.Management.Automation.CompletionResultType]::ParameterName, 'Deny every device authorization and PKCE authorize page (the user clicks "Deny")')
            [System.Management.Automation.CompletionResult]::new('--expire', '--expire', [System.Management.Automation.CompletionResultType]::ParameterName, 'Let every device code expire before approval')
            [System.Management.Automation.CompletionResult]::new('-h', '-h', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help')
            [System.Management.Automation.CompletionResult]::new('--help', '--help', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssoenv;demo' {
            [System.Management.Automation.CompletionResult]::new('-h', '-h', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help')
            [System.Management.Automation.CompletionResult]::new('--help', '--help', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssoenv;init' {
            [System.Management.Automation.CompletionResult]::new('-h', '-h', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [System.Management.Automation.CompletionResult]::new('--help', '--help', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ssoenv;prompt' {
            [System.Management.Automation.CompletionResult]::new('--format', '--format', [System.Management.Automation.CompletionResultType]::ParameterName, 'Output format with placeholders (see below); default `{profile} {remaining}`')
            [System.Management.Automation.CompletionResult]::new('--no-color', '--no-color', [System.Management.Automation.CompletionResultType]::ParameterName, 'No ANSI colour (also when NO_COLOR is set)')
            [System.Management.Automation.CompletionResult]::new('-h', '-h', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help')
            [System.Management.Automation.CompletionResult]::new('--help', '--help', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssoenv;completions' {
            [System.Management.Automation.CompletionResult]::new('-h', '-h', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help')
            [System.Management.Automation.CompletionResult]::new('--help', '--help', [System.Management.Automation.CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'ssoenv;help' {
            [System.Management.Automation.CompletionResult]::new('use', 'use', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Print shell code that exports temporary credentials for PROFILE (evaluate it)')
            [System.Management.Automation.CompletionResult]::new('unset', 'unset', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Print shell code that removes every variable `use` sets')
            [System.Management.Automation.CompletionResult]::new('exec', 'exec', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Run a command with temporary credentials for PROFILE')
            [System.Management.Automation.CompletionResult]::new('credential-process', 'credential-process', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Print a profile''s credentials as `credential_process` JSON, for the AWS SDKs and CLI')
            [System.Management.Automation.CompletionResult]::new('login', 'login', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Log in to an SSO session (reuses a valid token unless --force)')
            [System.Management.Automation.CompletionResult]::new('logout', 'logout', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Revoke an SSO session and remove its cached token and role credentials')
            [System.Management.Automation.CompletionResult]::new('status', 'status', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Show SSO sessions, token states and profiles (no network)')
            [System.Management.Automation.CompletionResult]::new('doctor', 'doctor', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Check config, login, shell integration, PATH and proxy: why doesn''t it work?')
            [System.Management.Automation.CompletionResult]::new('profiles', 'profiles', [System.Management.Automation.CompletionResultType]::ParameterValue, 'List the SSO and role-chaining profiles of ~/.aws/config')
            [System.Management.Automation.CompletionResult]::new('configure', 'configure', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Create an SSO profile step by step, like `aws configure sso` (every answer can be a flag)')
            [System.Management.Automation.CompletionResult]::new('accounts', 'accounts', [System.Management.Automation.CompletionResultType]::ParameterValue, 'List every account and role the SSO session can use (asks the portal)')
            [System.Management.Automation.CompletionResult]::new('console', 'console', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Open the AWS console in a browser, signed in with PROFILE''s role (or print the sign-in URL)')
            [System.Management.Automation.CompletionResult]::new('populate', 'populate', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Write one [profile ...] per account and role the SSO session can use into ~/.aws/config')
            [System.Management.Automation.CompletionResult]::new('emulator', 'emulator', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Run the local IAM Identity Center emulator on 127.0.0.1 (for tests and demos)')
            [System.Management.Automation.CompletionResult]::new('demo', 'demo', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Walk through login, use and exec against the local emulator, with no AWS account')
            [System.Management.Automation.CompletionResult]::new('init', 'init', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Print the shell integration: the `ssoenv` function, the prompt countdown, auto-renewal')
            [System.Management.Automation.CompletionResult]::new('prompt', 'prompt', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Print the prompt segment (`prod 42m`) from the environment alone, for starship, p10k, oh-my-posh')
            [System.Management.Automation.CompletionResult]::new('completions', 'completions', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [System.Management.Automation.CompletionResult]::new('help', 'help', [System.Management.Automation.CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
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
        'ssoenv;help;credential-process' {
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
        'ssoenv;help;doctor' {
            break
        }
        'ssoenv;help;profiles' {
            break
        }
        'ssoenv;help;configure' {
            break
        }
        'ssoenv;help;accounts' {
            break
        }
        'ssoenv;help;console' {
            break
        }
        'ssoenv;help;populate' {
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
        'ssoenv;help;help' {
            break
        }
    })

    # ssoenv: PROFILE completes from the config file (`ssoenv profiles --names`), matched
    # literally (-like would take a name's [ ] * ? as wildcards) and inserted quoted.
    $profiles = @()
    if (($command -in @('ssoenv;use', 'ssoenv;exec', 'ssoenv;credential-process', 'ssoenv;login', 'ssoenv;logout', 'ssoenv;status', 'ssoenv;doctor', 'ssoenv;configure', 'ssoenv;accounts', 'ssoenv;console')) -and -not $wordToComplete.StartsWith('-')) {
        $prefix = $wordToComplete
        if ($prefix -match '^[''\u2018-\u201B]') {
            $prefix = $prefix.Substring(1) -replace '([''\u2018-\u201B])[''\u2018-\u201B]', '$1'
        }
        # The names are UTF-8: read them so, not through the console code page.
        $encoding = [Console]::OutputEncoding
        try { [Console]::OutputEncoding = [System.Text.UTF8Encoding]::new($false) } catch { }
        try {
            $names = @(& ssoenv profiles --names 2>$null)
        } finally {
            try { [Console]::OutputEncoding = $encoding } catch { }
        }
        $profiles = @($names | Where-Object { $_ -and $_.StartsWith($prefix, [System.StringComparison]::Ordinal) } | ForEach-Object {
            $text = if ($_ -cmatch '^[A-Za-z0-9_][A-Za-z0-9_.:/+=-]*\z') { $_ } else { "'" + ($_ -replace '[''\u2018-\u201B]', '$0$0') + "'" }
            $shown = $_ -replace '[\u0000-\u001F\u007F-\u009F]', '?'
            [System.Management.Automation.CompletionResult]::new($text, $shown, [System.Management.Automation.CompletionResultType]::ParameterValue, $shown)
        })
    }

    @($completions.Where({ $_.CompletionText -like "$wordToComplete*" })) + $profiles |
        Sort-Object -Property ListItemText
}
