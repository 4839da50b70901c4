//! Rendering environment changes as code for one shell, with exact quoting.
//!
//! `ssoenv use` prints code that the user's shell evaluates (`eval "$(ssoenv use prod)"`,
//! `ssoenv use prod | source`, `… | Out-String | Invoke-Expression`), so a value that is
//! quoted wrongly is code injection. Values are always single-quoted with each shell's own
//! rules; variable names are validated, never escaped (direnv, starship). The whole script is
//! rendered into one `String` so the caller writes it at once and a shell never evaluates
//! half of it (zoxide init).

mod bash;
mod elvish;
mod fish;
mod json;
mod nu;
mod parent;
mod powershell;
mod sh;
mod xonsh;
mod zsh;

use crate::env::{self, Env};
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// A shell ssoenv writes code for. Closed: a new shell is a variant, one row in
/// [`Shell::entry`], and its own file `src/shell/<name>.rs` (README "Adding a shell").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    PowerShell,
    /// POSIX sh (dash, busybox sh, bash as sh): `export`/`unset` only, no integration.
    Sh,
    /// xonsh: `$NAME = '…'` Python literals; `init` reads `--shell json`.
    Xonsh,
    /// Not a shell: the changes as one JSON object (`null` = unset), as `direnv export
    /// json`, for editors, scripts and shells without `eval`. No integration.
    Json,
    /// nushell: the changes as data (`--shell json`'s object) for `ssoenv init nu`.
    Nu,
    Elvish,
}

/// One change: set NAME to a value, or unset it (None).
pub type Change = (String, Option<String>);

/// Everything ssoenv knows about one shell: the registry row. Each shell's file defines
/// its `ENTRY`; nothing outside `src/shell/` matches on a shell.
pub(crate) struct Entry {
    /// The canonical name: `--shell`, `init`, `completions`, `SSOENV_INIT`.
    pub(crate) name: &'static str,
    /// Other names accepted by `--shell` and found in process names (`pwsh`, `dash` …).
    pub(crate) aliases: &'static [&'static str],
    /// The help line of `--shell NAME` for this shell, if any.
    pub(crate) help: Option<&'static str>,
    /// The whole text for a list of validated changes (names and values already checked).
    pub(crate) render: fn(&[Change]) -> String,
    /// One value as a literal this shell reads back exactly (the binary path in `init`).
    pub(crate) quote: fn(&str) -> String,
    /// `ssoenv init`: the hook script (with its `'@SSOENV_BIN@'` placeholder), or why there
    /// is none (cause, hint).
    pub(crate) hook: std::result::Result<&'static str, NoIntegration>,
    /// How this shell evaluates the output of `ssoenv ARGS` (ARGS already quoted).
    pub(crate) eval_line: fn(&str) -> String,
    /// The startup-file line that loads the integration, and the file as the README names it.
    pub(crate) init_line: &'static str,
    pub(crate) rc_file: &'static str,
    /// The startup files this shell reads, where `doctor` looks for the init line.
    pub(crate) startup_files: fn(&Dirs) -> Vec<PathBuf>,
    /// `ssoenv completions NAME`, or None when there is none (sh, json).
    pub(crate) completion: Option<Completion>,
    /// Where installed completion scripts are looked for by `doctor`.
    pub(crate) completion_paths: fn(&Dirs) -> Vec<PathBuf>,
    /// `doctor`'s fix when none is installed (after "add the init line, or run ").
    pub(crate) completion_install: &'static str,
}

/// Why `ssoenv init NAME` has nothing to print: a `caused by` line and a hint.
pub(crate) struct NoIntegration {
    /// After "there is no shell integration for NAME", in parentheses.
    pub(crate) why: &'static str,
    pub(crate) cause: &'static str,
    pub(crate) hint: &'static str,
}

/// A shell's completion script: clap_complete's (or another generator's) script for the
/// CLI, patched to complete profile and sso-session names from the config.
pub(crate) struct Completion {
    /// The file name it is committed under in `completions/`.
    pub(crate) file: &'static str,
    /// The script for `ssoenv completions NAME`.
    pub(crate) script: fn(&mut clap::Command, &Takes) -> String,
    /// The same script as `ssoenv init NAME` embeds it.
    pub(crate) for_init: fn(String) -> String,
}

/// Which words complete from the config, read from the CLI definition by the caller
/// (`cmd::completions::takes`), so that a new subcommand taking a PROFILE completes
/// without a list kept by hand.
pub struct Takes {
    /// Subcommands with a PROFILE positional (`status` only after `--check`).
    pub profile: Vec<String>,
    /// Subcommands with `--sso-session NAME`.
    pub session: Vec<String>,
    /// Long options of those subcommands that take a value (their value is no PROFILE).
    pub valued: Vec<String>,
}

/// The directories startup files and completion scripts live under.
pub(crate) struct Dirs {
    pub(crate) home: PathBuf,
    /// `XDG_CONFIG_HOME`, else `~/.config`.
    pub(crate) config_home: PathBuf,
    /// `XDG_DATA_HOME`, else `~/.local/share`.
    pub(crate) data_home: PathBuf,
}

impl Dirs {
    pub(crate) fn new(home: &Path, env: &Env) -> Dirs {
        let xdg = |name, default| {
            env.non_empty(name)
                .map(PathBuf::from)
                .unwrap_or_else(|| home.join(default))
        };
        Dirs {
            home: home.to_owned(),
            config_home: xdg(env::XDG_CONFIG_HOME, ".config"),
            data_home: xdg(env::XDG_DATA_HOME, ".local/share"),
        }
    }

    /// The system-wide data directories package managers install completions under.
    pub(crate) const SYSTEM_SHARE: [&'static str; 3] =
        ["/usr/share", "/usr/local/share", "/opt/homebrew/share"];
}

/// A completion script for `clap_complete`'s `generator`, as a String.
fn generate(generator: impl clap_complete::Generator, cli: &mut clap::Command) -> String {
    let mut buf = Vec::new();
    clap_complete::generate(generator, cli, "ssoenv", &mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

/// The usual rendering: one line per change, from a shell's `set` and `unset`.
fn lines(changes: &[Change], set: fn(&str, &str) -> String, unset: fn(&str) -> String) -> String {
    let mut out = String::new();
    for (name, value) in changes {
        out.push_str(&match value {
            Some(v) => set(name, v),
            None => unset(name),
        });
    }
    out
}

/// [`lines`] between an opening line and a closing one that only this shell's family
/// pairs (`if true; then … fi`, `if true … end`), so that the other family refuses the
/// whole text as a syntax error; no changes, no text.
fn block(
    open: &str,
    changes: &[Change],
    set: fn(&str, &str) -> String,
    unset: fn(&str) -> String,
    close: &str,
) -> String {
    if changes.is_empty() {
        return String::new();
    }
    format!("{open}{}{close}", lines(changes, set, unset))
}

impl Shell {
    /// Every shell, in the order used in help and messages.
    pub const ALL: [Shell; 9] = [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::PowerShell,
        Shell::Sh,
        Shell::Json,
        Shell::Nu,
        Shell::Elvish,
        Shell::Xonsh,
    ];

    /// The registry: this shell's row.
    pub(crate) fn entry(&self) -> &'static Entry {
        match self {
            Shell::Bash => &bash::ENTRY,
            Shell::Zsh => &zsh::ENTRY,
            Shell::Fish => &fish::ENTRY,
            Shell::PowerShell => &powershell::ENTRY,
            Shell::Sh => &sh::ENTRY,
            Shell::Json => &json::ENTRY,
            Shell::Nu => &nu::ENTRY,
            Shell::Elvish => &elvish::ENTRY,
            Shell::Xonsh => &xonsh::ENTRY,
        }
    }

    /// The names accepted by `--shell` and `SSOENV_SHELL`, for messages.
    fn valid_names() -> String {
        let names: Vec<String> = Shell::ALL
            .iter()
            .map(|s| {
                let e = s.entry();
                match e.aliases {
                    [] => e.name.to_owned(),
                    a => format!("{} (or {})", e.name, a.join(", ")),
                }
            })
            .collect();
        names.join(", ")
    }

    /// Parse a shell name as given to `--shell`, `SSOENV_SHELL` or found in a process name
    /// (`bash`, `-zsh`, `/usr/bin/fish`, `pwsh`, `powershell`, `pwsh.exe` …).
    ///
    /// The directory part (`/` or `\`) and a login shell's leading `-` are ignored. Names are
    /// matched exactly (lower case), except the Windows `.exe` forms, which are matched without
    /// regard to case as Windows file names are. `sh`, `dash` and `posix` are POSIX sh (code
    /// dash evaluates: `export`, `unset`, `'\''` quoting); anything else (`ksh`, `tcsh` …) gives
    /// `None`: ssoenv does not guess at a shell it has not been tested with.
    pub(crate) fn from_name(name: &str) -> Option<Shell> {
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
        Shell::ALL.into_iter().find(|s| {
            let e = s.entry();
            e.name == stem || e.aliases.contains(&stem)
        })
    }

    /// The canonical name, as accepted by `--shell` and [`Shell::from_name`].
    pub fn name(&self) -> &'static str {
        self.entry().name
    }

    /// `--shell`, else the parent process when it is a known shell, else `SSOENV_SHELL`, else
    /// `$SHELL`.
    ///
    /// The parent comes before `SSOENV_SHELL` because an environment variable is inherited: a
    /// bash started from a fish whose rc file exported `SSOENV_SHELL=fish` would otherwise
    /// evaluate fish code (`set -gx …` turns on xtrace and errexit in zsh and prints the
    /// secrets; `set -e …` can end a bash). The process that runs us is the shell that
    /// evaluates our output in `eval "$(ssoenv use prod)"` and `ssoenv use prod | source`.
    pub(crate) fn detect(explicit: Option<Shell>, env: &Env) -> Result<Shell> {
        if let Some(shell) = explicit {
            return Ok(shell);
        }
        Self::detect_from(None, env, parent::parent_process_name().as_deref())
    }

    /// [`Shell::detect`] with the parent process's name passed in, so it can be tested.
    ///
    /// An unknown parent (`sudo`, `sh -c`, a test harness) or `$SHELL` (`/bin/sh`) is skipped;
    /// an unknown `SSOENV_SHELL`, when it is consulted, is an error (the user asked for
    /// something we cannot do).
    pub(crate) fn detect_from(
        explicit: Option<Shell>,
        env: &Env,
        parent_name: Option<&str>,
    ) -> Result<Shell> {
        if let Some(shell) = explicit {
            return Ok(shell);
        }
        // xonsh retitles its process with its command line (`xonsh --no-rc -`): the first
        // word names the program (no supported shell's name has a space).
        let parent_program = parent_name.map(|n| n.split(' ').next().unwrap_or(n));
        if let Some(shell) = parent_program.and_then(Shell::from_name) {
            return Ok(shell);
        }
        if let Some(value) = env.non_empty(env::SSOENV_SHELL) {
            return Shell::from_name(value).ok_or_else(|| {
                let valid_names = Shell::valid_names();
                Error::config(format!(
                    "{} is set to {value:?}, which is not a shell ssoenv supports",
                    env::SSOENV_SHELL
                ))
                .cause(format!("valid shells: {valid_names}"))
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
                "{}={login:?} is not a supported shell ({})",
                env::SHELL,
                Shell::valid_names()
            )),
            None => err.cause(format!("{} is not set", env::SHELL)),
        };
        Err(err.hint("pass --shell bash|zsh|fish|powershell|sh"))
    }

    /// The hook script `ssoenv init` prints (`shell/ssoenv.<ext>`, with its `'@SSOENV_BIN@'`
    /// placeholder); None for sh and json, which have no integration.
    pub fn hook_script(&self) -> Option<&'static str> {
        self.entry().hook.as_ref().ok().copied()
    }

    /// How this shell evaluates the output of `ssoenv ARGS` (ARGS already quoted), for
    /// hints: `eval "$(ssoenv use prod)"`, `ssoenv use prod | source` …
    pub(crate) fn eval_line(&self, args: &str) -> String {
        (self.entry().eval_line)(args)
    }

    /// The line for the startup file that loads the integration (sh and json: the bash one).
    pub fn init_line(&self) -> &'static str {
        self.entry().init_line
    }

    /// The startup file the init line goes in, as the README names it.
    pub fn rc_file(&self) -> &'static str {
        self.entry().rc_file
    }

    /// Quote `s` as one literal for this shell; the shell reads it back as exactly `s`. `s`
    /// must not contain NUL (no environment variable can hold it); [`Shell::render`] checks
    /// that, this function does not.
    pub(crate) fn quote(&self, s: &str) -> String {
        (self.entry().quote)(s)
    }

    /// The whole script for a list of changes, one String, written at once.
    ///
    /// Every name must match `[A-Za-z_][A-Za-z0-9_]*` and no value may contain NUL; otherwise
    /// nothing is rendered and the error names the variable.
    pub fn render(&self, changes: &[Change]) -> Result<String> {
        for (name, value) in changes {
            validate(name, value.as_deref())?;
        }
        Ok((self.entry().render)(changes))
    }

    /// The startup files every shell reads, each once, in registry order: `doctor` looks for
    /// the init line in all of them (the user's shell may not be `$SHELL`).
    pub(crate) fn all_startup_files(dirs: &Dirs) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = Vec::new();
        for shell in Shell::ALL {
            for f in (shell.entry().startup_files)(dirs) {
                if !files.contains(&f) {
                    files.push(f);
                }
            }
        }
        files
    }
}

/// The value of `ssoenv completions SHELL`: a registry shell with a completion script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionShell {
    Registry(Shell),
}

impl CompletionShell {
    /// In clap_complete's order, as `completions --help` has always listed them.
    pub const ALL: [CompletionShell; 7] = [
        CompletionShell::Registry(Shell::Bash),
        CompletionShell::Registry(Shell::Elvish),
        CompletionShell::Registry(Shell::Fish),
        CompletionShell::Registry(Shell::PowerShell),
        CompletionShell::Registry(Shell::Zsh),
        CompletionShell::Registry(Shell::Nu),
        CompletionShell::Registry(Shell::Xonsh),
    ];

    pub(crate) fn name(&self) -> &'static str {
        match self {
            CompletionShell::Registry(shell) => shell.name(),
        }
    }

    /// The file name the script is committed under in `completions/`.
    pub fn file_name(&self) -> &'static str {
        match self {
            CompletionShell::Registry(shell) => {
                shell.entry().completion.as_ref().map_or("", |c| c.file)
            }
        }
    }

    /// The completion script for `cli` (the CLI definition), profile names read through
    /// `ssoenv profiles --names` where the shell has additions.
    pub(crate) fn script(&self, cli: &mut clap::Command, takes: &Takes) -> String {
        match self {
            CompletionShell::Registry(shell) => shell
                .entry()
                .completion
                .as_ref()
                .map_or_else(String::new, |c| (c.script)(cli, takes)),
        }
    }
}

impl clap::ValueEnum for CompletionShell {
    fn value_variants<'a>() -> &'a [Self] {
        &CompletionShell::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()))
    }
}

impl std::fmt::Display for CompletionShell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// `Shell` is the clap value type of `--shell` and `init`: no copy of the list elsewhere.
impl clap::ValueEnum for Shell {
    fn value_variants<'a>() -> &'a [Self] {
        &Shell::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let entry = self.entry();
        let value = clap::builder::PossibleValue::new(entry.name).aliases(entry.aliases);
        Some(match entry.help {
            Some(help) => value.help(help),
            None => value,
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

#[cfg(test)]
mod tests;
