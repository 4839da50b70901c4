//! `ssoenv completions SHELL` (clap_complete, plus profile names completed from
//! the config for bash, zsh and fish) and `ssoenv profiles --names`
//! those scripts call. The generated files are committed in `completions/`;
//! `tests/init_completions.rs` fails when they no longer match the CLI. The
//! profile-name additions are the real scripts in `shell/complete.*`.

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
        Shell::Bash => s.push_str(&bash_profiles()),
        Shell::Fish => s.push_str(&fish_profiles()),
        Shell::Zsh => s = zsh_with_profiles(&s),
        Shell::PowerShell => s = powershell_with_profiles(&s),
        _ => {}
    }
    s
}

/// The completion part of `ssoenv init SHELL`: the same script, made safe to
/// evaluate inside the init script. zsh registers with `compdef` now if
/// compinit ran, else on the first prompt (compinit often runs later in .zshrc); the one-shot hook removes itself.
pub fn for_init(shell: crate::shell::Shell) -> String {
    use crate::shell::Shell as ShellArg;
    match shell {
        ShellArg::Bash => script(Shell::Bash),
        ShellArg::Fish => script(Shell::Fish),
        ShellArg::PowerShell => script(Shell::PowerShell),
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
    let mut out = String::with_capacity(generated.len() + powershell_additions().len());
    for line in generated.split_inclusive('\n') {
        if line.starts_with("using namespace ") {
            continue;
        }
        if line.starts_with("    $completions.Where{") {
            let commands: Vec<String> = takes()
                .profile
                .iter()
                .map(|c| format!("'ssoenv;{c}'"))
                .collect();
            out.push_str(
                &powershell_additions().replace("@PROFILE_COMMANDS@", &commands.join(", ")),
            );
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

/// zsh: clap_complete gives PROFILE `_default` (files); point it at
/// `_ssoenv_profiles` instead and define that function before the compdef.
///
/// `exec PROFILE CMD…`: the first word after `exec` is always the profile
/// (clap gives it the first positional, `--` or not), so the profile is
/// completed as a required argument there; were it optional (`::`), zsh's
/// `_arguments` would offer the command names of the rest too, thousands of
/// them. The rest is `*:::` (three colons), so that `_normal` sees only the
/// command and its arguments, not the profile as the command's name.
fn zsh_with_profiles(generated: &str) -> String {
    let mut out = String::with_capacity(generated.len() + zsh_additions().len());
    let mut lines = generated.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        if line.starts_with("if [ \"$funcstack[1]\" = \"_ssoenv\" ]") {
            out.push_str(zsh_additions());
        }
        let before_command = lines
            .peek()
            .is_some_and(|next| next.starts_with("'*::command -- "));
        if (line.starts_with("':profile -- ") || line.starts_with("'::profile -- "))
            && line.contains(":_default' ")
        {
            let line = line.replacen(":_default' ", ":_ssoenv_profiles' ", 1);
            if before_command {
                out.push_str(&line.replacen("'::profile -- ", "':profile -- ", 1));
            } else {
                out.push_str(&line);
            }
        } else if line.contains("--sso-session=[") && line.contains(":NAME:_default' ") {
            out.push_str(&line.replacen(":NAME:_default' ", ":NAME:_ssoenv_sessions' ", 1));
        } else if line.starts_with("'*::command -- ") && line.contains(":_cmdambivalent' ") {
            // exec's command: a command name, then that command's own completion
            // (`_normal` on the shifted words, as `_sudo` and `_env` do).
            out.push_str(
                &line
                    .replacen("'*::command -- ", "'*:::command -- ", 1)
                    .replacen(":_cmdambivalent' ", ":_normal' ", 1),
            );
        } else {
            out.push_str(line);
        }
    }
    out
}

/// The file name each shell's completion is committed under in `completions/`.
pub fn file_name(shell: Shell) -> String {
    use clap_complete::Generator;
    shell.file_name("ssoenv")
}

/// Which words complete from the config, read from the CLI definition so that a new
/// subcommand taking a PROFILE (or `--sso-session`) completes without a list kept by hand.
pub struct Takes {
    /// Subcommands with a PROFILE positional (`status` only after `--check`).
    pub profile: Vec<String>,
    /// Subcommands with `--sso-session NAME`.
    pub session: Vec<String>,
    /// Long options of those subcommands that take a value (their value is no PROFILE).
    pub valued: Vec<String>,
}

pub fn takes() -> Takes {
    let cli = Cli::command();
    let with = |id: &str| -> Vec<String> {
        cli.get_subcommands()
            .filter(|c| c.get_arguments().any(|a| a.get_id() == id))
            .map(|c| c.get_name().to_owned())
            .collect()
    };
    let profile = with("profile");
    let session = with("sso_session");
    let mut valued: Vec<String> = cli
        .get_subcommands()
        .filter(|c| profile.iter().any(|p| p == c.get_name()))
        .flat_map(|c| c.get_arguments())
        .filter(|a| !a.is_positional() && a.get_action().takes_values())
        .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
        .collect();
    valued.sort();
    valued.dedup();
    Takes {
        profile,
        session,
        valued,
    }
}

fn bash_profiles() -> String {
    let t = takes();
    crate::shell::Shell::Bash
        .completion_additions()
        .unwrap_or_default()
        .replace("@PROFILE_COMMANDS@", &t.profile.join(" | "))
        .replace("@SESSION_COMMANDS@", &t.session.join(" | "))
        .replace("@VALUED@", &t.valued.join(" | "))
}

fn fish_profiles() -> String {
    let t = takes();
    crate::shell::Shell::Fish
        .completion_additions()
        .unwrap_or_default()
        .replace("@PROFILE_COMMANDS@", &t.profile.join(" "))
        .replace("@SESSION_COMMANDS@", &t.session.join(" "))
        .replace("@VALUED@", &t.valued.join(" "))
}

/// shell/complete.zsh: `_ssoenv_profiles` and `_ssoenv_sessions`.
fn zsh_additions() -> &'static str {
    crate::shell::Shell::Zsh
        .completion_additions()
        .unwrap_or_default()
}

/// shell/complete.ps1: the profile names of the completer.
fn powershell_additions() -> &'static str {
    crate::shell::Shell::PowerShell
        .completion_additions()
        .unwrap_or_default()
}
