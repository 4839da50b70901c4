//! elvish: `set-env NAME 'value'` and `unset-env NAME`, the whole inside `if $true { … }`.
//!
//! An elvish single-quoted string has exactly one escape, `''` for `'`; every other byte,
//! newlines and control characters included, stands for itself (elvish-doc "Single-quoted
//! string"). To bash, zsh and dash the `''` closes and reopens a quote, so they split the
//! text into the same words; `if $true {` has no `then`, so they refuse the whole text as a
//! syntax error and run none of it, and fish finds no `end` for its `{`.

use super::{Change, Completion, Dirs, Entry, Takes};
use std::path::{Path, PathBuf};

/// `it's` → `'it''s'`.
pub(super) fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn set(name: &str, value: &str) -> String {
    format!("set-env {name} {}\n", quote(value))
}

fn unset(name: &str) -> String {
    format!("unset-env {name}\n")
}

pub(super) const ENTRY: Entry = Entry {
    name: "elvish",
    aliases: &[],
    help: None,
    render,
    quote,
    hook: Ok(include_str!("../../shell/ssoenv.elv")),
    eval_line: |args| format!("eval (ssoenv {args} | slurp)"),
    init_line: "eval (ssoenv init elvish | slurp)",
    rc_file: "~/.config/elvish/rc.elv",
    startup_files,
    completion: Some(Completion {
        file: "ssoenv.elv",
        script: completion_script,
        for_init,
    }),
    completion_paths,
    completion_install: "`ssoenv completions elvish > ~/.config/elvish/lib/ssoenv-completions.elv` and `use ssoenv-completions` in ~/.config/elvish/rc.elv",
};

/// The first line; bash, zsh, dash and fish refuse the block as a syntax error.
const OPEN: &str = "if $true { # code for elvish; in bash, zsh or sh: eval \"$(ssoenv ...)\"\n";

fn render(changes: &[Change]) -> String {
    super::block(OPEN, changes, set, unset, "}\n")
}

/// elvish 0.19 reads `~/.config/elvish/rc.elv` (XDG), and `~/.elvish/rc.elv` from before.
fn startup_files(d: &Dirs) -> Vec<PathBuf> {
    vec![
        d.config_home.join("elvish/rc.elv"),
        d.home.join(".elvish/rc.elv"),
    ]
}

/// Inside the init script the completer is set only where there is an editor (not in
/// `elvish -c`, where `$edit:` does not exist and would be a compile error): the script
/// is evaluated from a quoted string when the hook found one.
/// Names are read through the binary that printed the init script (`__ssoenv_exe`), not
/// whatever `ssoenv` is on PATH.
fn for_init(script: String) -> String {
    let script = script.replace("e:ssoenv profiles", "(__ssoenv_exe) profiles");
    format!(
        "if $__ssoenv_edit {{\n    eval &ns=(ns [&__ssoenv_exe~=$__ssoenv_exe~]) {}\n}}\n",
        quote(&script)
    )
}

/// Modules `use` finds: the user's lib directories, then the system ones.
fn completion_paths(d: &Dirs) -> Vec<PathBuf> {
    let mut v = vec![
        d.config_home.join("elvish/lib/ssoenv-completions.elv"),
        d.data_home.join("elvish/lib/ssoenv-completions.elv"),
        d.home.join(".elvish/lib/ssoenv-completions.elv"),
    ];
    v.extend(
        Dirs::SYSTEM_SHARE
            .iter()
            .map(|s| Path::new(s).join("elvish/lib/ssoenv-completions.elv")),
    );
    v
}

/// The completion additions (`shell/complete.elv`) wrapped around clap's script: clap's
/// completer is kept under another name and profile names are offered where a PROFILE goes.
const COMPLETION_ADDITIONS: &str = include_str!("../../shell/complete.elv");

fn completion_script(cli: &mut clap::Command, t: &Takes) -> String {
    let mut s = super::generate(clap_complete::Shell::Elvish, cli);
    s.push_str(
        &super::without_header(COMPLETION_ADDITIONS)
            .replace("@PROFILE_COMMANDS@", &elv_list(&t.profile))
            .replace("@SESSION_COMMANDS@", &elv_list(&t.session))
            .replace("@VALUED@", &elv_list(&t.valued)),
    );
    s
}

/// Words as an elvish list literal, each single-quoted.
fn elv_list(words: &[String]) -> String {
    let quoted: Vec<String> = words.iter().map(|w| quote(w)).collect();
    format!("[{}]", quoted.join(" "))
}
