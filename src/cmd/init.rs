//! `ssoenv init SHELL`: the shell integration script — the `ssoenv` function
//! that evaluates `use`/`unset` in place, the prompt countdown and the quiet
//! renewal. The scripts are real files in `shell/` (lintable, tested in real
//! shells); this only puts the binary's absolute path into them, so the
//! function always calls this very binary whatever PATH says later.

use crate::cli::InitArgs;
use crate::error::Result;
use crate::shell::Shell;

/// The quoted placeholder each script assigns to `__ssoenv_bin`.
const PLACEHOLDER: &str = "'@SSOENV_BIN@'";

pub(crate) fn run(args: InitArgs) -> Result<i32> {
    if let Err(none) = &args.shell.entry().hook {
        return Err(crate::error::Error::config(format!(
            "there is no shell integration for {} ({})",
            args.shell.name(),
            none.why
        ))
        .cause(none.cause)
        .hint(none.hint));
    }
    let bin = std::env::current_exe()
        .ok()
        .and_then(|p| p.into_os_string().into_string().ok());
    super::emit(&script(args.shell, bin.as_deref()))?;
    Ok(0)
}

/// The script for `shell`, calling `bin` (or `ssoenv` from PATH when unknown).
pub fn script(shell: Shell, bin: Option<&str>) -> String {
    // None (sh, json) is refused by `run`; the code of `use` is all there is.
    let Some(template) = shell.hook_script() else {
        return String::new();
    };
    let quoted = shell.quote(bin.unwrap_or("ssoenv"));
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
        let path = "/opt/it's here/ssoenv";
        let known = [
            (Shell::Bash, r"'/opt/it'\''s here/ssoenv'"),
            (Shell::Zsh, r"'/opt/it'\''s here/ssoenv'"),
            (Shell::Fish, r"'/opt/it'\''s here/ssoenv'"),
            (Shell::PowerShell, "'/opt/it''s here/ssoenv'"),
        ];
        for shell in Shell::ALL.into_iter().filter(|s| s.hook_script().is_some()) {
            let s = script(shell, Some(path));
            assert!(!s.contains("@SSOENV_BIN@"), "{shell:?}");
            let quoted = shell.quote(path);
            assert!(s.contains(&quoted), "{shell:?}: {quoted}");
            if let Some((_, expected)) = known.iter().find(|(k, _)| *k == shell) {
                assert_eq!(&quoted, expected, "{shell:?}");
            }
        }
    }

    #[test]
    fn an_unknown_binary_path_falls_back_to_the_name() {
        assert!(script(Shell::Bash, None).contains("__ssoenv_bin='ssoenv'"));
    }
}
