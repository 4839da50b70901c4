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
    # A name goes on the command line as a literal nushell reads back exactly: as it is
    # when plain, else a raw string `r#'…'#` (no escapes, nothing expanded or run). The
    # names are matched here against what is typed (after an opening quote); the typed
    # text is then a substring of each value, hence nushell's substring match.
    let typed = ($words | last | str replace -r "^(r#*'|['\"`])" '')
    let names = {|flag|
        let found = (try { ssoenv profiles $flag | lines } catch { [] } | where {|n| $n | str starts-with $typed } | each {|n|
            if $n =~ '^[A-Za-z0-9_.,:/@%+=-]+$' { {value: $n} } else {
                mut h = '#'
                while ($n | str contains $"'($h)") { $h = $"($h)#" }
                {value: $"r($h)'($n)'($h)", description: $n}
            }
        })
        {options: {completion_algorithm: substring, case_sensitive: true}, completions: $found}
    }
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
