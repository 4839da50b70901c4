//! POSIX sh (dash, busybox sh, any shell as `sh`): `export NAME='value';` and `unset NAME;`,
//! the bash rendering, which uses nothing beyond POSIX.1-2017 XCU 2.2.2 (single quotes) and
//! the `export`/`unset` special built-ins (`unset` of an unset name succeeds, XCU 2.14).
//! There is no shell integration for sh: `eval "$(ssoenv use prod --shell sh)"`. Its
//! users mostly run bash interactively, so `doctor` suggests bash's init line and
//! completions.

use super::{Dirs, Entry, NoIntegration, bash};
use std::path::PathBuf;

pub(super) const ENTRY: Entry = Entry {
    name: "sh",
    aliases: &["posix", "dash"],
    help: Some(
        "POSIX sh (dash): `use`/`unset` code only; `init sh` explains there is no integration",
    ),
    render: bash::render,
    quote: bash::quote,
    hook: Err(NoIntegration {
        why: "no prompt hook or completion to hook into",
        cause: "POSIX sh has no precmd, and `ssoenv init` prints bash, zsh, fish or PowerShell",
        hint: "in sh, run: eval \"$(ssoenv use PROFILE --shell sh)\" (and eval \"$(ssoenv unset --shell sh)\")",
    }),
    eval_line: |args| format!("eval \"$(ssoenv {args} --shell sh)\""),
    init_line: bash::ENTRY.init_line,
    rc_file: bash::ENTRY.rc_file,
    startup_files,
    completion: None,
    completion_paths: bash::completion_paths,
    completion_install: bash::ENTRY.completion_install,
};

/// A login sh reads `~/.profile` (and `$ENV` when interactive, which names no fixed file).
fn startup_files(d: &Dirs) -> Vec<PathBuf> {
    vec![d.home.join(".profile")]
}
