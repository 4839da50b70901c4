//! `ssoenv completions SHELL` (clap_complete, plus profile names completed from
//! the config for bash, zsh and fish) and `ssoenv profiles --names`
//! those scripts call. The generated files are committed in `completions/`;
//! `tests/completions_drift.rs` fails when they no longer match the CLI.

use crate::cli::{Cli, CompletionsArgs};
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
        Shell::PowerShell => s = powershell_with_profiles(&s),
        _ => {}
    }
    s
}

/// The completion part of `ssoenv init SHELL`: the same script, made safe to
/// evaluate inside the init script. zsh registers with `compdef` now if
/// compinit ran, else on the first prompt (compinit often runs later in .zshrc); the one-shot hook removes itself.
pub fn for_init(shell: crate::cli::ShellArg) -> String {
    use crate::cli::ShellArg;
    match shell {
        ShellArg::Bash => script(Shell::Bash),
        ShellArg::Fish => script(Shell::Fish),
        ShellArg::Powershell => script(Shell::PowerShell),
        ShellArg::Sh => String::new(),
        ShellArg::Zsh => script(Shell::Zsh).replacen(
            "if [ \"$funcstack[1]\" = \"_ssoenv\" ]; then\n    _ssoenv \"$@\"\nelse\n    compdef _ssoenv ssoenv\nfi\n",
            ZSH_DEFERRED_COMPDEF,
            1,
        ),
    }
}

const ZSH_DEFERRED_COMPDEF: &str = r#"if (( $+functions[compdef] )); then
    compdef _ssoenv ssoenv
else
    # Once, at the first prompt (.zshrc has finished by then), and gone after.
    __ssoenv_compdef() {
        local s=$?
        precmd_functions=(${precmd_functions:#__ssoenv_compdef})
        (( $+functions[compdef] )) && compdef _ssoenv ssoenv
        return $s
    }
    precmd_functions+=(__ssoenv_compdef)
fi
"#;

/// PowerShell: `using namespace` must open a script, which an embedded
/// completion (inside `ssoenv init powershell`) cannot; spell the types out
/// instead. Then add profile names for the commands that take a profile.
fn powershell_with_profiles(generated: &str) -> String {
    let mut out = String::with_capacity(generated.len() + POWERSHELL_PROFILES.len());
    for line in generated.split_inclusive('\n') {
        if line.starts_with("using namespace ") {
            continue;
        }
        if line.starts_with("    $completions.Where{") {
            out.push_str(POWERSHELL_PROFILES);
            // `.Where{…}` is PowerShell 4 shorthand for `.Where({…})`; the explicit
            // call is the same code and parses with the tree-sitter grammar too.
            if let Some(body) = line
                .strip_prefix("    $completions.Where{")
                .and_then(|l| l.split_once("} |"))
            {
                out.push_str(&format!(
                    "    @($completions.Where({{{}}})) + $profiles |{}",
                    body.0, body.1
                ));
                continue;
            }
        }
        out.push_str(
            &line
                .replace(
                    "[CompletionResult]",
                    "[System.Management.Automation.CompletionResult]",
                )
                .replace(
                    "[CompletionResultType]",
                    "[System.Management.Automation.CompletionResultType]",
                )
                .replace(
                    "[StringConstantExpressionAst]",
                    "[System.Management.Automation.Language.StringConstantExpressionAst]",
                )
                .replace(
                    "[StringConstantType]",
                    "[System.Management.Automation.Language.StringConstantType]",
                ),
        );
    }
    out
}

const POWERSHELL_PROFILES: &str = r#"    # ssoenv: PROFILE completes from the config file (`ssoenv profiles --names`), matched
    # literally (-like would take a name's [ ] * ? as wildcards) and inserted quoted.
    $profiles = @()
    if (($command -in @('ssoenv;use', 'ssoenv;exec', 'ssoenv;login', 'ssoenv;logout')) -and -not $wordToComplete.StartsWith('-')) {
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

"#;

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

const ZSH_PROFILES: &str = r#"# ssoenv: PROFILE completes from the config file (`ssoenv profiles --names`).
(( $+functions[_ssoenv_profiles] )) ||
_ssoenv_profiles() {
    local -a profiles
    profiles=(${(f)"$(ssoenv profiles --names 2>/dev/null)"})
    _wanted profiles expl profile compadd -a profiles
}

"#;

/// The file name each shell's completion is committed under in `completions/`.
pub fn file_name(shell: Shell) -> String {
    use clap_complete::Generator;
    shell.file_name("ssoenv")
}

const BASH_PROFILES: &str = r#"
# ssoenv: PROFILE completes from the config file (`ssoenv profiles --names`).
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
                # Not `compgen -W`: it expands $(…) and backquotes inside each word, and a
                # profile name is outside text. Match literally; insert the name quoted:
                # with printf %q, or after an opening ' (readline inserts after it and
                # closes it) with each ' written '\''.
                local name quoted sq="'" esc="'\\''"
                COMPREPLY=()
                while IFS= read -r name; do
                    [[ -n $name ]] || continue
                    if [[ $cur == "$sq"* ]]; then
                        [[ $name == "${cur#"$sq"}"* ]] && COMPREPLY+=("${name//"$sq"/"$esc"}")
                    else
                        printf -v quoted '%q' "$name"
                        [[ $name == "$cur"* || $quoted == "$cur"* ]] && COMPREPLY+=("$quoted")
                    fi
                done < <(ssoenv profiles --names 2>/dev/null)
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
# ssoenv: PROFILE completes from the config file (`ssoenv profiles --names`).
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
complete -c ssoenv -n __ssoenv_complete_profile -f -a '(ssoenv profiles --names 2>/dev/null)'
"#;
