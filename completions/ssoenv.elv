
use builtin;
use str;

set edit:completion:arg-completer[ssoenv] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'ssoenv'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'ssoenv'= {
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand use 'Print shell code that exports temporary credentials for PROFILE (evaluate it)'
            cand unset 'Print shell code that removes every variable `use` sets'
            cand exec 'Run a command with temporary credentials for PROFILE'
            cand credential-process 'Print a profile''s credentials as `credential_process` JSON, for the AWS SDKs and CLI'
            cand login 'Log in to an SSO session (reuses a valid token unless --force)'
            cand logout 'Revoke an SSO session and remove its cached token and role credentials'
            cand status 'Show SSO sessions, token states and profiles (no network)'
            cand doctor 'Check config, login, shell integration, PATH and proxy: why doesn''t it work?'
            cand profiles 'List the SSO and role-chaining profiles of ~/.aws/config'
            cand configure 'Create an SSO profile step by step, like `aws configure sso` (every answer can be a flag)'
            cand accounts 'List every account and role the SSO session can use (asks the portal)'
            cand console 'Open the AWS console in a browser, signed in with PROFILE''s role (or print the sign-in URL)'
            cand populate 'Write one [profile ...] per account and role the SSO session can use into ~/.aws/config'
            cand emulator 'Run the local IAM Identity Center emulator on 127.0.0.1 (for tests and demos)'
            cand demo 'Walk through login, use and exec against the local emulator, with no AWS account'
            cand init 'Print the shell integration: the `ssoenv` function, the prompt countdown, auto-renewal'
            cand prompt 'Print the prompt segment (`prod 42m`) from the environment alone, for starship, p10k, oh-my-posh'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ssoenv;use'= {
            cand --profile 'PROFILE as the AWS CLI spells it (`--profile NAME`)'
            cand --shell 'Shell to print code for (default: the parent process if a known shell, else SSOENV_SHELL, else $SHELL)'
            cand --region 'Region to export (beats the profile''s `region`)'
            cand --no-browser 'Do not open a browser; print the URL and code to open elsewhere'
            cand --force 'Log in again even if a valid SSO token is cached'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ssoenv;unset'= {
            cand --shell 'Shell to print code for (default: the parent process if a known shell, else SSOENV_SHELL, else $SHELL)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ssoenv;exec'= {
            cand --profile 'PROFILE as the AWS CLI spells it (`--profile NAME`)'
            cand --region 'Region to export (beats the profile''s `region`)'
            cand --no-browser 'Do not open a browser; print the URL and code to open elsewhere'
            cand --force 'Log in again even if a valid SSO token is cached'
            cand --server 'Serve credentials to CMD from a local endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI) instead of exporting keys: SDKs refresh them as they expire'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'ssoenv;credential-process'= {
            cand --profile 'PROFILE as the AWS CLI spells it (`--profile NAME`)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'ssoenv;login'= {
            cand --profile 'PROFILE as the AWS CLI spells it (`--profile NAME`)'
            cand --sso-session 'Log in this [sso-session NAME] directly'
            cand --no-browser 'Do not open a browser; print the URL and code to open elsewhere'
            cand --force 'Log in again even if a valid SSO token is cached'
            cand --pkce 'Log in with the authorization code and PKCE, as `aws sso login` does (default: SSOENV_LOGIN_FLOW, else the device code)'
            cand --use-device-code 'Log in with the device code, whatever SSOENV_LOGIN_FLOW says (as `aws sso login --use-device-code`)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'ssoenv;logout'= {
            cand --profile 'PROFILE as the AWS CLI spells it (`--profile NAME`)'
            cand --sso-session 'End this [sso-session NAME]'
            cand --all 'End every cached SSO session, like `aws sso logout`'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'ssoenv;status'= {
            cand --profile 'PROFILE as the AWS CLI spells it (`--profile NAME`)'
            cand --json 'Machine-readable output (a stable shape, shown in --help)'
            cand --check 'Print nothing; exit 0 when PROFILE''s credentials can be had without a login, else 1'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'ssoenv;doctor'= {
            cand --profile 'PROFILE as the AWS CLI spells it (`--profile NAME`)'
            cand --network 'Also check that the OIDC and portal endpoints answer, and the clock skew'
            cand --json 'Machine-readable output (for bug reports)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'ssoenv;profiles'= {
            cand --json 'Machine-readable output'
            cand --names 'Only the names of the profiles `use` accepts, one a line (for completions)'
            cand --sessions 'Only the names of the sso-sessions `login --sso-session` accepts, one a line (for completions)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'ssoenv;configure'= {
            cand --profile 'Name of the profile to write (default: ROLE-ACCOUNTID)'
            cand --sso-session 'Name of the [sso-session NAME] to write or reuse'
            cand --start-url 'The AWS access portal URL, https://.../start'
            cand --sso-region 'The region of IAM Identity Center'
            cand --scopes 'sso_registration_scopes, comma-separated (default: sso:account:access)'
            cand --account-id 'The account''s 12-digit id'
            cand --role-name 'The permission set (role) name'
            cand --region 'The profile''s default region'
            cand --output 'The profile''s AWS CLI output format: json, yaml, yaml-stream, text or table (optional)'
            cand --no-browser 'Do not open a browser; print the URL and code to open elsewhere'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'ssoenv;accounts'= {
            cand --profile 'PROFILE as the AWS CLI spells it (`--profile NAME`)'
            cand --sso-session 'Use this [sso-session NAME]'
            cand --json 'Machine-readable output (shape below)'
            cand --no-browser 'Do not open a browser; print the URL and code to open elsewhere'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'ssoenv;console'= {
            cand --profile 'PROFILE as the AWS CLI spells it (`--profile NAME`)'
            cand --destination 'The console page to open: an https:// URL on the partition''s console (https://s3.console.aws.amazon.com/s3/buckets), a path (/ec2/home#Instances:) or a service (s3, ec2) [default: the region''s console home]'
            cand --region 'Console region (beats the profile''s `region`); also picks the partition'
            cand --duration 'Length of the console session, 15m to 12h: 3600, 90m, 4h [default: 1h]. Not sent for chained role credentials, whose console session lasts as long as they do'
            cand --print 'Write the sign-in URL to stdout instead of opening a browser. The URL is a bearer secret: for 15 minutes it signs anyone who opens it in to the console, for a session of up to --duration'
            cand --no-browser 'Open no browser at all, neither for an SSO login (its URL and code go to stderr) nor for the console: needs --print'
            cand --force 'Log in again even if a valid SSO token is cached'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'ssoenv;populate'= {
            cand --sso-session 'The [sso-session NAME] to populate from (default: the config''s only sso-session)'
            cand --template 'Profile name template'
            cand --region '`region` of every profile written (without it: a region populate wrote before is kept, and new profiles get the sso-session''s sso_region)'
            cand --no-region 'Write no `region` into new profiles (instead of the sso-session''s sso_region)'
            cand --prune 'Remove profiles populate wrote for this session whose account or role is gone'
            cand --dry-run 'Print the changes as a diff and write nothing'
            cand --no-browser 'Do not open a browser; print the URL and code to open elsewhere'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'ssoenv;emulator'= {
            cand --port 'Port on 127.0.0.1 (0 picks a free one)'
            cand --fixture 'JSON file of accounts and roles to serve (default: a built-in set)'
            cand --approve-after 'Approve a device code after this many CreateToken polls'
            cand --token-ttl 'Access-token lifetime in seconds'
            cand --credential-seconds 'Role-credential lifetime in seconds (`EmulatorConfig::role_ttl`)'
            cand --role-ttl 'Role-credential lifetime in seconds (`EmulatorConfig::role_ttl`)'
            cand --interval 'Polling interval in seconds returned by StartDeviceAuthorization'
            cand --fail 'Inject a fault OP:KIND[:TIMES], e.g. `token:500:2`, `credentials:429=3:1`, `any:slow=3000` (repeatable; all kinds in --help)'
            cand --accounts 'Serve N generated accounts (account-0001 ..., 3 roles each; every 100th repeats the name before it) instead of the fixture'
            cand --latency-ms 'Add this many milliseconds to every answer (a distant region)'
            cand --deny 'Deny every device authorization and PKCE authorize page (the user clicks "Deny")'
            cand --expire 'Let every device code expire before approval'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'ssoenv;demo'= {
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'ssoenv;init'= {
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'ssoenv;prompt'= {
            cand --format 'Output format with placeholders (see below); default `{profile} {remaining}`'
            cand --no-color 'No ANSI colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'ssoenv;completions'= {
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'ssoenv;help'= {
            cand use 'Print shell code that exports temporary credentials for PROFILE (evaluate it)'
            cand unset 'Print shell code that removes every variable `use` sets'
            cand exec 'Run a command with temporary credentials for PROFILE'
            cand credential-process 'Print a profile''s credentials as `credential_process` JSON, for the AWS SDKs and CLI'
            cand login 'Log in to an SSO session (reuses a valid token unless --force)'
            cand logout 'Revoke an SSO session and remove its cached token and role credentials'
            cand status 'Show SSO sessions, token states and profiles (no network)'
            cand doctor 'Check config, login, shell integration, PATH and proxy: why doesn''t it work?'
            cand profiles 'List the SSO and role-chaining profiles of ~/.aws/config'
            cand configure 'Create an SSO profile step by step, like `aws configure sso` (every answer can be a flag)'
            cand accounts 'List every account and role the SSO session can use (asks the portal)'
            cand console 'Open the AWS console in a browser, signed in with PROFILE''s role (or print the sign-in URL)'
            cand populate 'Write one [profile ...] per account and role the SSO session can use into ~/.aws/config'
            cand emulator 'Run the local IAM Identity Center emulator on 127.0.0.1 (for tests and demos)'
            cand demo 'Walk through login, use and exec against the local emulator, with no AWS account'
            cand init 'Print the shell integration: the `ssoenv` function, the prompt countdown, auto-renewal'
            cand prompt 'Print the prompt segment (`prod 42m`) from the environment alone, for starship, p10k, oh-my-posh'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'ssoenv;help;use'= {
        }
        &'ssoenv;help;unset'= {
        }
        &'ssoenv;help;exec'= {
        }
        &'ssoenv;help;credential-process'= {
        }
        &'ssoenv;help;login'= {
        }
        &'ssoenv;help;logout'= {
        }
        &'ssoenv;help;status'= {
        }
        &'ssoenv;help;doctor'= {
        }
        &'ssoenv;help;profiles'= {
        }
        &'ssoenv;help;configure'= {
        }
        &'ssoenv;help;accounts'= {
        }
        &'ssoenv;help;console'= {
        }
        &'ssoenv;help;populate'= {
        }
        &'ssoenv;help;emulator'= {
        }
        &'ssoenv;help;demo'= {
        }
        &'ssoenv;help;init'= {
        }
        &'ssoenv;help;prompt'= {
        }
        &'ssoenv;help;completions'= {
        }
        &'ssoenv;help;help'= {
        }
    ]
    $completions[$command]
}

# ssoenv: PROFILE completes from the config file (`ssoenv profiles --names`), a session
# name after --sso-session from `ssoenv profiles --sessions`; everything else is clap's.
# Candidates are data: elvish quotes each one it inserts, so a hostile name is text.
var __ssoenv_clap_completer = $edit:completion:arg-completer[ssoenv]
set edit:completion:arg-completer[ssoenv] = {|@words|
    var n = (count $words)
    fn names {|what|
        try {
            e:ssoenv profiles $what 2>/dev/null | from-lines | each {|name| edit:complex-candidate $name }
        } catch { }
    }
    # No `return`: a lambda does not catch it (only `fn` does), and the exception would
    # reach whoever calls the completer.
    if (and (> $n 2) (eq $words[-2] --sso-session) (has-value ['login' 'logout' 'configure' 'accounts' 'populate'] $words[1])) {
        names --sessions
    } elif (and (> $n 2) (has-value ['use' 'exec' 'credential-process' 'login' 'logout' 'status' 'doctor' 'configure' 'accounts' 'console'] $words[1]) (not (str:has-prefix $words[-1] -))) {
        var skip = $false
        var check = $false
        var positional = $false
        for w $words[2..(- $n 1)] {
            if $skip {
                set skip = $false
            } elif (has-value ['--account-id' '--destination' '--duration' '--output' '--profile' '--region' '--role-name' '--scopes' '--shell' '--sso-region' '--sso-session' '--start-url'] $w) {
                set skip = $true
            } elif (eq $w --check) {
                set check = $true
            } elif (eq $w --) {
            } elif (not (str:has-prefix $w -)) {
                set positional = $true
            }
        }
        if (and (not $skip) (not $positional) (or (not-eq $words[1] status) $check)) {
            names --names
        } else {
            $__ssoenv_clap_completer $@words
        }
    } else {
        $__ssoenv_clap_completer $@words
    }
}
