//! zsh: the same output as bash. zsh's single quotes are POSIX single quotes unless
//! `RC_QUOTES` is set, and even then `'\''` (close, escaped quote, reopen) means `'`, so the
//! bash quoting is right for zsh with any options.

pub(super) fn quote(s: &str) -> String {
    bash::quote(s)
}

use super::{Completion, Dirs, Entry, Takes, bash};
use std::path::{Path, PathBuf};

pub(super) const ENTRY: Entry = Entry {
    name: "zsh",
    aliases: &[],
    help: None,
    render: bash::render,
    quote,
    hook: Ok(include_str!("../../shell/ssoenv.zsh")),
    eval_line: bash::ENTRY.eval_line,
    init_line: "eval \"$(ssoenv init zsh)\"",
    rc_file: "~/.zshrc",
    startup_files,
    completion: Some(Completion {
        file: "_ssoenv",
        script: completion_script,
        for_init,
    }),
    completion_paths,
    completion_install: "`mkdir -p ~/.zfunc && ssoenv completions zsh > ~/.zfunc/_ssoenv`, with fpath=(~/.zfunc $fpath) before compinit in ~/.zshrc",
};

fn startup_files(d: &Dirs) -> Vec<PathBuf> {
    vec![d.home.join(".zshrc")]
}

/// `~/.zfunc` (the README's fpath entry), Debian's vendor directory, the site ones.
fn completion_paths(d: &Dirs) -> Vec<PathBuf> {
    let mut v = vec![d.home.join(".zfunc/_ssoenv")];
    v.push(PathBuf::from("/usr/share/zsh/vendor-completions/_ssoenv"));
    v.extend(
        Dirs::SYSTEM_SHARE
            .iter()
            .map(|s| Path::new(s).join("zsh/site-functions/_ssoenv")),
    );
    v
}

/// `_ssoenv_profiles` and `_ssoenv_sessions` (`shell/complete.zsh`), put inside clap's
/// script.
const COMPLETION_ADDITIONS: &str = include_str!("../../shell/complete.zsh");

/// The completion script made safe to evaluate inside the init script: zsh registers
/// with `compdef` now if compinit ran, else on the first prompt (compinit often runs
/// later in .zshrc); the one-shot hook removes itself.
fn for_init(script: String) -> String {
    script.replacen(
        "if [ \"$funcstack[1]\" = \"_ssoenv\" ]; then\n    _ssoenv \"$@\"\nelse\n    compdef _ssoenv ssoenv\nfi\n",
        ZSH_DEFERRED_COMPDEF,
        1,
    )
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

/// zsh: clap_complete gives PROFILE `_default` (files); point it at
/// `_ssoenv_profiles` instead and define that function before the compdef.
///
/// `exec PROFILE CMD…`: the first word after `exec` is always the profile
/// (clap gives it the first positional, `--` or not), so the profile is
/// completed as a required argument there; were it optional (`::`), zsh's
/// `_arguments` would offer the command names of the rest too, thousands of
/// them. The rest is `*:::` (three colons), so that `_normal` sees only the
/// command and its arguments, not the profile as the command's name.
fn completion_script(cli: &mut clap::Command, _: &Takes) -> String {
    let generated = super::generate(clap_complete::Shell::Zsh, cli);
    let additions = super::after_header(COMPLETION_ADDITIONS);
    let mut out = String::with_capacity(generated.len() + additions.len());
    let mut lines = generated.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        if line.starts_with("if [ \"$funcstack[1]\" = \"_ssoenv\" ]") {
            out.push_str(additions);
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
