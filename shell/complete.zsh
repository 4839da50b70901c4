# zsh completion additions, put into clap's `_ssoenv` (before its compdef) by
# `ssoenv completions zsh` and `ssoenv init zsh` (src/cmd/completions.rs), which
# also points PROFILE and --sso-session at these functions.

# ssoenv: PROFILE completes from the config file (`ssoenv profiles --names`).
(( $+functions[_ssoenv_profiles] )) ||
_ssoenv_profiles() {
    local -a profiles
    profiles=(${(f)"$(ssoenv profiles --names 2>/dev/null)"})
    _wanted profiles expl profile compadd -a profiles
}
# ssoenv: --sso-session completes from `ssoenv profiles --sessions`.
(( $+functions[_ssoenv_sessions] )) ||
_ssoenv_sessions() {
    local -a sessions
    sessions=(${(f)"$(ssoenv profiles --sessions 2>/dev/null)"})
    _wanted sessions expl 'sso-session' compadd -a sessions
}

