//! `ssoenv init SHELL`: the shell integration script — the `ssoenv` function
//! that evaluates `use`/`unset` in place, the prompt countdown and the quiet
//! renewal. The scripts are real files in `shell/` (lintable, tested in real
//! shells); this only puts the binary's absolute path into them, so the
//! function always calls this very binary whatever PATH says later.

use crate::cli::{InitArgs, ShellArg};
use crate::error::Result;

pub const BASH: &str = include_str!("../../shell/ssoenv.bash");
pub const ZSH: &str = include_str!("../../shell/ssoenv.zsh");
pub const FISH: &str = include_str!("../../shell/ssoenv.fish");
pub const POWERSHELL: &str = include_str!("../../shell/ssoenv.ps1");

/// The quoted placeholder each script assigns to `__ssoenv_bin`.
const PLACEHOLDER: &str = "'@SSOENV_BIN@'";

pub fn run(args: InitArgs) -> Result<i32> {
    if args.shell == ShellArg::Sh {
        return Err(crate::error::Error::config(
            "there is no shell integration for sh (no prompt hook or completion to hook into)",
        )
        .cause("POSIX sh has no precmd, and `ssoenv init` prints bash, zsh, fish or PowerShell")
        .hint("in sh, run: eval \"$(ssoenv use PROFILE --shell sh)\" (and eval \"$(ssoenv unset --shell sh)\")"));
    }
    let bin = std::env::current_exe()
        .ok()
        .and_then(|p| p.into_os_string().into_string().ok());
    super::emit(&script(args.shell, bin.as_deref()))?;
    Ok(0)
}

/// The script for `shell`, calling `bin` (or `ssoenv` from PATH when unknown).
pub fn script(shell: ShellArg, bin: Option<&str>) -> String {
    let template = match shell {
        ShellArg::Bash => BASH,
        ShellArg::Zsh => ZSH,
        ShellArg::Fish => FISH,
        ShellArg::Powershell => POWERSHELL,
        // Refused by `run`; the POSIX code of `use` is all there is.
        ShellArg::Sh => return String::new(),
    };
    let quoted = crate::shell::Shell::from(shell).quote(bin.unwrap_or("ssoenv"));
    let mut s = template.replacen(PLACEHOLDER, &quoted, 1);
    // Completions come with the one rc line too.
    s.push('\n');
    s.push_str(&super::completions::for_init(shell));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_script_names_the_binary_once_quoted() {
        for shell in [
            ShellArg::Bash,
            ShellArg::Zsh,
            ShellArg::Fish,
            ShellArg::Powershell,
        ] {
            let s = script(shell, Some("/opt/it's here/ssoenv"));
            assert!(!s.contains("@SSOENV_BIN@"), "{shell:?}");
            let expected = match shell {
                ShellArg::Bash | ShellArg::Zsh => r"'/opt/it'\''s here/ssoenv'",
                ShellArg::Fish => r"'/opt/it\'s here/ssoenv'",
                ShellArg::Powershell => "'/opt/it''s here/ssoenv'",
                ShellArg::Sh => unreachable!(),
            };
            assert!(s.contains(expected), "{shell:?}: {expected}");
        }
    }

    #[test]
    fn an_unknown_binary_path_falls_back_to_the_name() {
        assert!(script(ShellArg::Bash, None).contains("__ssoenv_bin='ssoenv'"));
    }
}
