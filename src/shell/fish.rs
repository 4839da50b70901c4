//! fish: `set -gx NAME 'value';`, the whole inside `if true … end`.
//!
//! Values are quoted as for bash (`bash::quote`): single-quoted runs holding neither `\` nor
//! `'`, which are written `\\` and `\'` between them. Inside fish single quotes exactly two
//! escapes exist, `\\` and `\'` (fish-doc "Quotes"), and outside quotes both mean the character
//! as in POSIX shells, so bash, zsh and dash split this output into the same words as fish.
//! To them `if true` opens a block that no `fi` closes: they refuse the whole text as a
//! syntax error and run none of it. Without the block, `set -e NAME` turned on errexit in
//! bash and the failing `or true` ended the user's shell, and `set -gx` turned on xtrace in
//! zsh (issue 19).

/// The quoting fish and the POSIX shells read alike: `it's` → `'it'\''s'`.
pub(super) fn quote(s: &str) -> String {
    super::bash::quote(s)
}

pub(super) fn set(name: &str, value: &str) -> String {
    format!("set -gx {name} {};\n", quote(value))
}

/// `set -e` of a variable that does not exist is silent, with status 4, and fish's `set`
/// passes the previous status on: without `or true`, `ssoenv use prod | source; and aws …`
/// would stop at `and` whenever a variable being erased was not set.
pub(super) fn unset(name: &str) -> String {
    format!("set -e {name}; or true;\n")
}

use super::{Change, Completion, Dirs, Entry, Takes};
use std::path::{Path, PathBuf};

pub(super) const ENTRY: Entry = Entry {
    name: "fish",
    aliases: &[],
    help: None,
    render,
    quote,
    hook: Ok(include_str!("../../shell/ssoenv.fish")),
    eval_line: |args| format!("ssoenv {args} | source"),
    init_line: "ssoenv init fish | source",
    rc_file: "~/.config/fish/config.fish",
    startup_files,
    completion: Some(Completion {
        file: "ssoenv.fish",
        script: completion_script,
        for_init: |script| script,
    }),
    completion_paths,
    completion_install: "`ssoenv completions fish > ~/.config/fish/completions/ssoenv.fish`",
};

/// The first line; bash, zsh and dash find no `fi` for it. fish's status after the block is
/// that of its last command.
pub(super) const OPEN: &str =
    "if true # code for fish; in bash, zsh or sh: eval \"$(ssoenv ...)\"\n";

fn render(changes: &[Change]) -> String {
    super::block(OPEN, changes, set, unset, "end\n")
}

fn startup_files(d: &Dirs) -> Vec<PathBuf> {
    vec![d.config_home.join("fish/config.fish")]
}

/// The user's completions directory, then the vendor ones packages install into.
fn completion_paths(d: &Dirs) -> Vec<PathBuf> {
    let mut v = vec![
        d.config_home.join("fish/completions/ssoenv.fish"),
        d.data_home.join("fish/vendor_completions.d/ssoenv.fish"),
    ];
    v.extend(
        Dirs::SYSTEM_SHARE
            .iter()
            .map(|s| Path::new(s).join("fish/vendor_completions.d/ssoenv.fish")),
    );
    v
}

/// The completion additions (`shell/complete.fish`) appended to clap's script, their
/// `@…@` lists filled from the CLI definition.
const COMPLETION_ADDITIONS: &str = include_str!("../../shell/complete.fish");

fn completion_script(cli: &mut clap::Command, t: &Takes) -> String {
    let mut s = super::generate(clap_complete::Shell::Fish, cli);
    s.push_str(
        &super::without_header(COMPLETION_ADDITIONS)
            .replace("@PROFILE_COMMANDS@", &t.profile.join(" "))
            .replace("@SESSION_COMMANDS@", &t.session.join(" "))
            .replace("@VALUED@", &t.valued.join(" ")),
    );
    s
}
