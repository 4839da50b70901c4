# nushell completion, in `ssoenv completions nu` and `ssoenv init nu`. The @…@ words are
# replaced with space-separated lists read from the CLI definition (src/shell/nu.rs).

# The words for the argument being typed: a subcommand, a PROFILE from the config file
# (`ssoenv profiles --names`), a session after --sso-session (`--sessions`). Each name
# is one line of the binary's output, taken as it is (spaces, quotes, `$` included).
def __ssoenv_complete [context: string] {
    let words = ($context | str trim --left | split row -r '\s+')
    if ($words | length) <= 2 {
        return ([@SUBCOMMANDS@] | each {|c| {value: $c} })
    }
    let sub = ($words | get 1)
    let prev = ($words | get (($words | length) - 2))
    let names = {|flag| try { ssoenv profiles $flag e>| ignore | lines } catch { [] } | each {|n| {value: $n} } }
    if $prev == '--sso-session' and $sub in [@SESSION_COMMANDS@] {
        return (do $names '--sessions')
    }
    if $sub not-in [@PROFILE_COMMANDS@] or ($prev in [@VALUED@]) { return [] }
    let typed = ($words | skip 2 | drop 1 | where {|w| not ($w | str starts-with '-') })
    if ($typed | is-empty) and ($sub != status or ('--check' in $words)) {
        return (do $names '--names')
    }
    []
}
# (standalone script only)
export extern ssoenv [...args: string@__ssoenv_complete]
