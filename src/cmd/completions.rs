//! `ssoenv completions SHELL`: clap_complete's script, plus profile names completed
//! from the config (through `ssoenv profiles --names`). Each shell's patching lives
//! with the shell in `src/shell/`; this reads which words complete from the CLI
//! definition. The generated files are committed in `completions/`;
//! `tests/it/init_completions.rs` fails when they no longer match the CLI.

use crate::cli::{Cli, CompletionsArgs};
use crate::error::Result;
use crate::shell::{CompletionShell, Shell, Takes};
use clap::CommandFactory;

pub(crate) fn run(args: CompletionsArgs) -> Result<i32> {
    super::emit(&script(args.shell))?;
    Ok(0)
}

/// The completion script for `shell`, as committed in `completions/`.
pub fn script(shell: CompletionShell) -> String {
    shell.script(&mut Cli::command(), &takes())
}

/// The completion part of `ssoenv init SHELL`: the same script, made safe to
/// evaluate inside the init script (empty for a shell without completions).
pub(crate) fn for_init(shell: Shell) -> String {
    match &shell.entry().completion {
        Some(c) => (c.for_init)((c.script)(&mut Cli::command(), &takes())),
        None => String::new(),
    }
}

/// Which words complete from the config, read from the CLI definition so that a new
/// subcommand taking a PROFILE (or `--sso-session`) completes without a list kept by hand.
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
