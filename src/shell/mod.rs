//! Rendering environment changes as code for one shell, with exact quoting.
//! (STUB: filled in by the shell work.)

use crate::env::Env;
use crate::error::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    PowerShell,
}

/// One change: set NAME to a value, or unset it (None).
pub type Change = (String, Option<String>);

impl Shell {
    /// Parse a shell name as given to `--shell`, `SSOENV_SHELL` or found in a process name
    /// (`bash`, `-zsh`, `/usr/bin/fish`, `pwsh`, `powershell`, `pwsh.exe` …).
    pub fn from_name(_name: &str) -> Option<Shell> {
        todo!()
    }
    /// `--shell`, else `SSOENV_SHELL`, else the parent process's name, else `$SHELL`.
    pub fn detect(_explicit: Option<Shell>, _env: &Env) -> Result<Shell> {
        todo!()
    }
    /// The whole script for a list of changes, one String, written at once.
    pub fn render(&self, _changes: &[Change]) -> Result<String> {
        todo!()
    }
}
