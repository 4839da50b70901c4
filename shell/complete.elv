# elvish completion additions, appended to clap's completer by `ssoenv completions
# elvish` and `ssoenv init elvish`. The @…@ words are replaced with elvish lists read
# from the CLI definition (src/cmd/completions.rs).

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
    if (and (> $n 2) (eq $words[-2] --sso-session) (has-value @SESSION_COMMANDS@ $words[1])) {
        names --sessions
    } elif (and (> $n 2) (has-value @PROFILE_COMMANDS@ $words[1]) (not (str:has-prefix $words[-1] -))) {
        var skip = $false
        var check = $false
        var positional = $false
        for w $words[2..(- $n 1)] {
            if $skip {
                set skip = $false
            } elif (has-value @VALUED@ $w) {
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
