//! `ssoenv completions SHELL` (clap_complete, plus profile names completed from
//! the config for bash, zsh and fish) and the hidden `ssoenv __complete-profiles`
//! those scripts call. The generated files are committed in `completions/`;
//! `tests/completions_drift.rs` fails when they no longer match the CLI.

use crate::cli::{Cli, CompletionsArgs};
use crate::env::{self, Env};
use crate::error::Result;
use clap::CommandFactory;
use clap_complete::Shell;

pub fn run(args: CompletionsArgs) -> Result<i32> {
    super::emit(&script(args.shell))?;
    Ok(0)
}

/// The completion script for `shell`, as committed in `completions/`.
pub fn script(shell: Shell) -> String {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "ssoenv", &mut buf);
    let mut s = String::from_utf8(buf).expect("clap_complete writes UTF-8");
    match shell {
        Shell::Bash => s.push_str(BASH_PROFILES),
        Shell::Fish => s.push_str(FISH_PROFILES),
        Shell::Zsh => s = zsh_with_profiles(&s),
        _ => {}
    }
    s
}

/// The commands whose PROFILE positional completes from the config.
pub const PROFILE_COMMANDS: &[&str] = &["use", "exec", "login", "logout"];

/// zsh: clap_complete gives PROFILE `_default` (files); point it at
/// `_ssoenv_profiles` instead and define that function before the compdef.
fn zsh_with_profiles(generated: &str) -> String {
    let mut out = String::with_capacity(generated.len() + ZSH_PROFILES.len());
    for line in generated.split_inclusive('\n') {
        if line.starts_with("if [ \"$funcstack[1]\" = \"_ssoenv\" ]") {
            out.push_str(ZSH_PROFILES);
        }
        if (line.starts_with("':profile -- ") || line.starts_with("'::profile -- "))
            && line.contains(":_default' ")
        {
            out.push_str(&line.replacen(":_default' ", ":_ssoenv_profiles' ", 1));
        } else {
            out.push_str(line);
        }
    }
    out
}

const ZSH_PROFILES: &str = r#"# ssoenv: PROFILE completes from the config file (`ssoenv __complete-profiles`).
(( $+functions[_ssoenv_profiles] )) ||
_ssoenv_profiles() {
    local -a profiles
    profiles=(${(f)"$(ssoenv __complete-profiles 2>/dev/null)"})
    _wanted profiles expl profile compadd -a profiles
}

"#;

/// The file name each shell's completion is committed under in `completions/`.
pub fn file_name(shell: Shell) -> String {
    use clap_complete::Generator;
    shell.file_name("ssoenv")
}

const BASH_PROFILES: &str = r#"
# ssoenv: PROFILE completes from the config file (`ssoenv __complete-profiles`).
_ssoenv_with_profiles() {
    local cur=${COMP_WORDS[COMP_CWORD]} i skip=0 seen=0
    case ${COMP_WORDS[1]-} in
    use | exec | login | logout)
        if [[ $cur != -* ]]; then
            for ((i = 2; i < COMP_CWORD; i++)); do
                if ((skip)); then
                    skip=0
                    continue
                fi
                case ${COMP_WORDS[i]} in
                --region | --shell | --sso-session) skip=1 ;;
                -?*) ;;
                *)
                    seen=1
                    break
                    ;;
                esac
            done
            if ((!skip && !seen)); then
                local IFS=$'\n'
                COMPREPLY=($(compgen -W "$(ssoenv __complete-profiles 2>/dev/null)" -- "$cur"))
                return 0
            fi
        fi
        ;;
    esac
    _ssoenv "$@"
}
if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _ssoenv_with_profiles -o nosort -o bashdefault -o default ssoenv
else
    complete -F _ssoenv_with_profiles -o bashdefault -o default ssoenv
fi
"#;

const FISH_PROFILES: &str = r#"
# ssoenv: PROFILE completes from the config file (`ssoenv __complete-profiles`).
function __ssoenv_complete_profile
    set -l tokens (commandline -opc)
    test (count $tokens) -ge 2; or return 1
    contains -- $tokens[2] use exec login logout; or return 1
    set -l skip 0
    for t in $tokens[3..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        switch $t
            case --region --shell --sso-session
                set skip 1
            case '-?*'
            case '*'
                return 1
        end
    end
    test $skip = 0
end
complete -c ssoenv -n __ssoenv_complete_profile -f -a '(ssoenv __complete-profiles 2>/dev/null)'
"#;

/// `ssoenv __complete-profiles`: profile names of the config file, one a line.
/// A cheap scan of section headers, no validation; on any error, nothing.
pub fn profiles(env: &Env) -> Result<i32> {
    let path = match env.non_empty(env::AWS_CONFIG_FILE) {
        Some(p) => match (p.strip_prefix("~/"), env.home()) {
            (Some(rest), Some(home)) => home.join(rest),
            _ => p.into(),
        },
        None => match env.home() {
            Some(h) => h.join(".aws").join("config"),
            None => return Ok(0),
        },
    };
    let Ok(text) = std::fs::read_to_string(path) else {
        return Ok(0);
    };
    let names = profile_names(&text);
    if !names.is_empty() {
        super::emit(&(names.join("\n") + "\n"))?;
    }
    Ok(0)
}

/// `[default]` and `[profile NAME]` section names, in file order, once each.
pub fn profile_names(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        let Some(inner) = line.strip_prefix('[').and_then(|l| l.split(']').next()) else {
            continue;
        };
        let inner = inner.trim();
        let name = if inner == "default" {
            "default"
        } else if let Some(rest) = inner.strip_prefix("profile")
            && rest.starts_with([' ', '\t'])
        {
            rest.trim()
        } else {
            continue;
        };
        if !name.is_empty() && !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_names_come_from_section_headers_only() {
        let text = "[default]\nregion = x\n[profile dev]\n[ profile  prod ]\n[sso-session corp]\n\
                    [profilex]\n  [profile dev]\n[services s]\n# [profile no]\n[profile a b]\n";
        assert_eq!(profile_names(text), ["default", "dev", "prod", "a b"]);
    }
}
