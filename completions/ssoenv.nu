# The words for the argument being typed: a subcommand, a PROFILE from the config file
# (`ssoenv profiles --names`), a session after --sso-session (`--sessions`). Each name
# is one line of the binary's output, taken as it is (spaces, quotes, `$` included).
def __ssoenv_complete [context: string] {
    let words = ($context | str trim --left | split row -r '\s+')
    if ($words | length) <= 2 {
        return (['use' 'unset' 'exec' 'credential-process' 'login' 'logout' 'status' 'doctor' 'profiles' 'configure' 'accounts' 'console' 'populate' 'emulator' 'demo' 'init' 'prompt' 'completions'] | each {|c| {value: $c} })
    }
    let sub = ($words | get 1)
    let prev = ($words | get (($words | length) - 2))
    let names = {|flag| try { ssoenv profiles $flag | lines } catch { [] } | each {|n| {value: $n} } }
    if $prev == '--sso-session' and $sub in ['login' 'logout' 'configure' 'accounts' 'populate'] {
        return (do $names '--sessions')
    }
    if $sub not-in ['use' 'exec' 'credential-process' 'login' 'logout' 'status' 'doctor' 'configure' 'accounts' 'console'] or ($prev in ['--account-id' '--destination' '--duration' '--output' '--profile' '--region' '--role-name' '--scopes' '--shell' '--sso-region' '--sso-session' '--start-url']) { return [] }
    mut positional = 0
    mut skip = false
    for w in ($words | skip 2 | drop 1) {
        if $skip { $skip = false; continue }
        if $w in ['--account-id' '--destination' '--duration' '--output' '--profile' '--region' '--role-name' '--scopes' '--shell' '--sso-region' '--sso-session' '--start-url'] { $skip = true } else if not ($w | str starts-with '-') { $positional += 1 }
    }
    if $positional == 0 and ($sub != status or ('--check' in $words)) {
        return (do $names '--names')
    }
    []
}
# (standalone script only)
export extern ssoenv [...args: string@__ssoenv_complete]
