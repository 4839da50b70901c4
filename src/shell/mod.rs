//! Rendering environment changes as code for one shell, with exact quoting.
//!
//! `ssoenv use` prints code that the user's shell evaluates (`eval "$(ssoenv use prod)"`,
//! `ssoenv use prod | source`, `… | Out-String | Invoke-Expression`), so a value that is
//! quoted wrongly is code injection. Values are always single-quoted with each shell's own
//! rules; variable names are validated, never escaped (direnv, starship). The whole script is
//! rendered into one `String` so the caller writes it at once and a shell never evaluates
//! half of it (zoxide init).

mod bash;
mod fish;
mod powershell;
mod sh;
mod zsh;

use crate::env::{self, Env};
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    PowerShell,
    /// POSIX sh (dash, busybox sh, bash as sh): `export`/`unset` only, no integration.
    Sh,
}

/// One change: set NAME to a value, or unset it (None).
pub type Change = (String, Option<String>);

/// The names accepted by `--shell` and `SSOENV_SHELL`, for messages.
const VALID_NAMES: &str = "bash, zsh, fish, powershell (or pwsh), sh (or posix, dash)";

impl Shell {
    /// Every shell, in the order used in help and messages.
    pub const ALL: [Shell; 5] = [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::PowerShell,
        Shell::Sh,
    ];

    /// Parse a shell name as given to `--shell`, `SSOENV_SHELL` or found in a process name
    /// (`bash`, `-zsh`, `/usr/bin/fish`, `pwsh`, `powershell`, `pwsh.exe` …).
    ///
    /// The directory part (`/` or `\`) and a login shell's leading `-` are ignored. Names are
    /// matched exactly (lower case), except the Windows `.exe` forms, which are matched without
    /// regard to case as Windows file names are. `sh`, `dash` and `posix` are POSIX sh (code
    /// dash evaluates: `export`, `unset`, `'\''` quoting); anything else (`ksh`, `tcsh` …) gives
    /// `None`: ssoenv does not guess at a shell it has not been tested with.
    pub fn from_name(name: &str) -> Option<Shell> {
        let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
        let base = base.strip_prefix('-').unwrap_or(base);
        let lower;
        let stem = match base.len().checked_sub(4) {
            Some(i) if base.is_char_boundary(i) && base[i..].eq_ignore_ascii_case(".exe") => {
                lower = base[..i].to_ascii_lowercase();
                lower.as_str()
            }
            _ => base,
        };
        match stem {
            "bash" => Some(Shell::Bash),
            "zsh" => Some(Shell::Zsh),
            "fish" => Some(Shell::Fish),
            "powershell" | "pwsh" => Some(Shell::PowerShell),
            "sh" | "dash" | "posix" => Some(Shell::Sh),
            _ => None,
        }
    }

    /// The canonical name, as accepted by `--shell` and [`Shell::from_name`].
    pub fn name(&self) -> &'static str {
        match self {
            Shell::Bash => "bash",
            Shell::Zsh => "zsh",
            Shell::Fish => "fish",
            Shell::PowerShell => "powershell",
            Shell::Sh => "sh",
        }
    }

    /// `--shell`, else the parent process when it is a known shell, else `SSOENV_SHELL`, else
    /// `$SHELL`.
    ///
    /// The parent comes before `SSOENV_SHELL` because an environment variable is inherited: a
    /// bash started from a fish whose rc file exported `SSOENV_SHELL=fish` would otherwise
    /// evaluate fish code (`set -gx …` turns on xtrace and errexit in zsh and prints the
    /// secrets; `set -e …` can end a bash). The process that runs us is the shell that
    /// evaluates our output in `eval "$(ssoenv use prod)"` and `ssoenv use prod | source`.
    pub fn detect(explicit: Option<Shell>, env: &Env) -> Result<Shell> {
        if let Some(shell) = explicit {
            return Ok(shell);
        }
        Self::detect_from(None, env, parent_process_name().as_deref())
    }

    /// [`Shell::detect`] with the parent process's name passed in, so it can be tested.
    ///
    /// An unknown parent (`sudo`, `sh -c`, a test harness) or `$SHELL` (`/bin/sh`) is skipped;
    /// an unknown `SSOENV_SHELL`, when it is consulted, is an error (the user asked for
    /// something we cannot do).
    pub fn detect_from(
        explicit: Option<Shell>,
        env: &Env,
        parent_name: Option<&str>,
    ) -> Result<Shell> {
        if let Some(shell) = explicit {
            return Ok(shell);
        }
        if let Some(shell) = parent_name.and_then(Shell::from_name) {
            return Ok(shell);
        }
        if let Some(value) = env.non_empty(env::SSOENV_SHELL) {
            return Shell::from_name(value).ok_or_else(|| {
                Error::config(format!(
                    "{} is set to {value:?}, which is not a shell ssoenv supports",
                    env::SSOENV_SHELL
                ))
                .cause(format!("valid shells: {VALID_NAMES}"))
                .hint(format!(
                    "set {}=bash (or zsh, fish, powershell, sh), or pass --shell bash|zsh|fish|powershell|sh",
                    env::SSOENV_SHELL
                ))
            });
        }
        let login = env.non_empty(env::SHELL);
        if let Some(shell) = login.and_then(Shell::from_name) {
            return Ok(shell);
        }
        let mut err = Error::config("could not tell which shell to write code for");
        if let Some(parent) = parent_name {
            err = err.cause(format!(
                "the parent process {parent:?} is not a supported shell"
            ));
        }
        err = match login {
            Some(login) => err.cause(format!(
                "{}={login:?} is not a supported shell ({VALID_NAMES})",
                env::SHELL
            )),
            None => err.cause(format!("{} is not set", env::SHELL)),
        };
        Err(err.hint("pass --shell bash|zsh|fish|powershell|sh"))
    }

    /// The hook script `ssoenv init` prints (`shell/ssoenv.<ext>`, with its `'@SSOENV_BIN@'`
    /// placeholder); None for sh, which has no integration.
    pub fn hook_script(&self) -> Option<&'static str> {
        match self {
            Shell::Bash => Some(bash::HOOK),
            Shell::Zsh => Some(zsh::HOOK),
            Shell::Fish => Some(fish::HOOK),
            Shell::PowerShell => Some(powershell::HOOK),
            Shell::Sh => None,
        }
    }

    /// How this shell evaluates the output of `ssoenv ARGS` (ARGS already quoted), for
    /// hints: `eval "$(ssoenv use prod)"`, `ssoenv use prod | source` …
    pub fn eval_line(&self, args: &str) -> String {
        match self {
            Shell::Bash | Shell::Zsh => format!("eval \"$(ssoenv {args})\""),
            Shell::Sh => format!("eval \"$(ssoenv {args} --shell sh)\""),
            Shell::Fish => format!("ssoenv {args} | source"),
            Shell::PowerShell => {
                format!("ssoenv {args} --shell powershell | Out-String | Invoke-Expression")
            }
        }
    }

    /// The line for the startup file that loads the integration. sh has none: the bash one
    /// (sh users mostly run bash interactively).
    pub fn init_line(&self) -> &'static str {
        match self {
            Shell::Bash | Shell::Sh => "eval \"$(ssoenv init bash)\"",
            Shell::Zsh => "eval \"$(ssoenv init zsh)\"",
            Shell::Fish => "ssoenv init fish | source",
            Shell::PowerShell => "Invoke-Expression (& ssoenv init powershell | Out-String)",
        }
    }

    /// The startup file the init line goes in, as the README names it.
    pub fn rc_file(&self) -> &'static str {
        match self {
            Shell::Bash | Shell::Sh => "~/.bashrc",
            Shell::Zsh => "~/.zshrc",
            Shell::Fish => "~/.config/fish/config.fish",
            Shell::PowerShell => "$PROFILE",
        }
    }

    /// This shell's completion additions (`shell/complete.<ext>`, without the file's
    /// header comment): a template whose `@…@` words `ssoenv completions` fills with
    /// lists read from the CLI definition. None where the additions are still built in
    /// `src/cmd/completions.rs` (zsh and PowerShell wrap clap's script instead), or
    /// where there are none (sh).
    pub fn completion_additions(&self) -> Option<&'static str> {
        match self {
            Shell::Bash => Some(without_header(bash::COMPLETION_ADDITIONS)),
            Shell::Fish => Some(without_header(fish::COMPLETION_ADDITIONS)),
            // Put inside clap's script rather than appended: no leading blank line.
            Shell::Zsh => Some(after_header(zsh::COMPLETION_ADDITIONS)),
            Shell::PowerShell => Some(after_header(powershell::COMPLETION_ADDITIONS)),
            Shell::Sh => None,
        }
    }

    /// Quote `s` as one single-quoted word for this shell; the shell reads it back as exactly
    /// `s`. `s` must not contain NUL (no environment variable can hold it); [`Shell::render`]
    /// checks that, this function does not.
    pub fn quote(&self, s: &str) -> String {
        match self {
            Shell::Bash => bash::quote(s),
            Shell::Zsh => zsh::quote(s),
            Shell::Fish => fish::quote(s),
            Shell::PowerShell => powershell::quote(s),
            Shell::Sh => sh::quote(s),
        }
    }

    /// The whole script for a list of changes, one String, written at once.
    ///
    /// Every name must match `[A-Za-z_][A-Za-z0-9_]*` and no value may contain NUL; otherwise
    /// nothing is rendered and the error names the variable.
    pub fn render(&self, changes: &[Change]) -> Result<String> {
        let mut out = String::new();
        for (name, value) in changes {
            validate(name, value.as_deref())?;
            let line = match (self, value) {
                (Shell::Bash, Some(v)) => bash::set(name, v),
                (Shell::Bash, None) => bash::unset(name),
                (Shell::Zsh, Some(v)) => zsh::set(name, v),
                (Shell::Zsh, None) => zsh::unset(name),
                (Shell::Fish, Some(v)) => fish::set(name, v),
                (Shell::Fish, None) => fish::unset(name),
                (Shell::PowerShell, Some(v)) => powershell::set(name, v),
                (Shell::PowerShell, None) => powershell::unset(name),
                (Shell::Sh, Some(v)) => sh::set(name, v),
                (Shell::Sh, None) => sh::unset(name),
            };
            out.push_str(&line);
        }
        Ok(out)
    }
}

/// `Shell` is the clap value type of `--shell` and `init`/`completions` arguments: no copy
/// of the list elsewhere.
impl clap::ValueEnum for Shell {
    fn value_variants<'a>() -> &'a [Self] {
        &Shell::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let value = clap::builder::PossibleValue::new(self.name());
        Some(match self {
            Shell::PowerShell => value.alias("pwsh"),
            Shell::Sh => value.aliases(["posix", "dash"]).help(
                "POSIX sh (dash): `use`/`unset` code only; `init sh` explains there is no integration",
            ),
            Shell::Bash | Shell::Zsh | Shell::Fish => value,
        })
    }
}

impl std::fmt::Display for Shell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A file in `shell/` from its first blank line on (the newline kept): its opening
/// comment is about the file, not part of what ssoenv prints.
fn without_header(file: &'static str) -> &'static str {
    file.find("\n\n").map_or(file, |i| &file[i + 1..])
}

/// The file after its header comment and the blank line that ends it.
fn after_header(file: &'static str) -> &'static str {
    file.find("\n\n").map_or(file, |i| &file[i + 2..])
}

/// True for `[A-Za-z_][A-Za-z0-9_]*`: a name every supported shell takes as a plain variable
/// name, so it is written without quoting.
fn is_valid_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(b'A'..=b'Z' | b'a'..=b'z' | b'_'))
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

fn validate(name: &str, value: Option<&str>) -> Result<()> {
    if !is_valid_name(name) {
        return Err(Error::config(format!(
            "refusing to write the environment variable name {name:?}"
        ))
        .cause("a variable name must match [A-Za-z_][A-Za-z0-9_]*"));
    }
    if value.is_some_and(|v| v.contains('\0')) {
        return Err(Error::config(format!(
            "refusing to set {name}: its value contains a NUL byte"
        ))
        .cause("an environment variable cannot hold NUL"));
    }
    Ok(())
}

/// The name of the process that started us (the shell evaluating our output, in normal use).
/// Linux: `/proc/<ppid>/comm`. Elsewhere: unknown, and detection falls back to `$SHELL`.
#[cfg(target_os = "linux")]
fn parent_process_name() -> Option<String> {
    // SAFETY: getppid has no preconditions and cannot fail.
    let ppid = unsafe { libc::getppid() };
    let comm = std::fs::read_to_string(format!("/proc/{ppid}/comm")).ok()?;
    let comm = comm.trim_end_matches('\n');
    (!comm.is_empty()).then(|| comm.to_owned())
}

#[cfg(not(target_os = "linux"))]
fn parent_process_name() -> Option<String> {
    None
}

#[cfg(test)]
mod tests;
