//! bash: `export NAME='value';` with POSIX single quotes, the whole inside `if true; then …
//! fi`. zsh and sh share this output (see `zsh.rs`, `sh.rs`).
//!
//! Inside single quotes nothing is special (POSIX.1-2017 XCU 2.2.2), so a `'` is written by
//! closing the quote, adding an escaped quote and reopening: `'\''`; a `\` is written the
//! same way, `'\\'`. Both escapes mean the same outside quotes in fish, and inside the quotes
//! there is then neither `\` nor `'`, which fish would read as escapes: fish splits this
//! output into the same words as POSIX shells do, so it reads the `if` (its `if true; then` is
//! a call of `then`) and finds no `end`, and refuses the whole text as a syntax error. Code
//! evaluated by the wrong shell thus changes nothing in it, whatever the values hold
//! (`ssoenv use prod --shell bash | source` in fish; issue 19).

/// POSIX single-quoting that fish reads the same: `it's` → `'it'\''s'`, `a\b` → `'a'\\'b'`.
pub(super) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\'' => out.push_str("'\\''"),
            '\\' => out.push_str("'\\\\'"),
            _ => out.push(c),
        }
    }
    out.push('\'');
    out
}

pub(super) fn set(name: &str, value: &str) -> String {
    format!("export {name}={};\n", quote(value))
}

pub(super) fn unset(name: &str) -> String {
    format!("unset {name};\n")
}

use super::{Change, Completion, Dirs, Entry, Takes};
use std::path::{Path, PathBuf};

pub(super) const ENTRY: Entry = Entry {
    name: "bash",
    aliases: &[],
    help: None,
    render,
    quote,
    hook: Ok(include_str!("../../shell/ssoenv.bash")),
    eval_line: |args| format!("eval \"$(ssoenv {args})\""),
    init_line: "eval \"$(ssoenv init bash)\"",
    rc_file: "~/.bashrc",
    startup_files,
    completion: Some(Completion {
        file: "ssoenv.bash",
        script: completion_script,
        for_init: |script| script,
    }),
    completion_paths,
    completion_install: "`ssoenv completions bash > ~/.local/share/bash-completion/completions/ssoenv`",
};

/// The first line of the output: fish stops at it (no `end` follows) and shows it in its
/// error, comment included.
pub(super) const OPEN: &str =
    "if true; then # code for bash, zsh and sh; in fish: ssoenv ... --shell fish | source\n";

pub(super) fn render(changes: &[Change]) -> String {
    super::block(OPEN, changes, set, unset, "fi\n")
}

/// Interactive bash reads `~/.bashrc`; a login bash the first of `~/.bash_profile`,
/// `~/.bash_login`, `~/.profile`.
pub(super) fn startup_files(d: &Dirs) -> Vec<PathBuf> {
    [".bashrc", ".bash_profile", ".profile"]
        .iter()
        .map(|f| d.home.join(f))
        .collect()
}

/// bash-completion's user directory, the system ones, and the old `/etc` one.
pub(super) fn completion_paths(d: &Dirs) -> Vec<PathBuf> {
    let mut v = vec![d.data_home.join("bash-completion/completions/ssoenv")];
    v.extend(
        Dirs::SYSTEM_SHARE
            .iter()
            .map(|s| Path::new(s).join("bash-completion/completions/ssoenv")),
    );
    v.push(PathBuf::from("/etc/bash_completion.d/ssoenv"));
    v
}

/// The completion additions (`shell/complete.bash`) appended to clap's script, their
/// `@…@` lists filled from the CLI definition.
const COMPLETION_ADDITIONS: &str = include_str!("../../shell/complete.bash");

fn completion_script(cli: &mut clap::Command, t: &Takes) -> String {
    let mut s = super::generate(clap_complete::Shell::Bash, cli);
    s.push_str(
        &super::without_header(COMPLETION_ADDITIONS)
            .replace("@PROFILE_COMMANDS@", &t.profile.join(" | "))
            .replace("@SESSION_COMMANDS@", &t.session.join(" | "))
            .replace("@VALUED@", &t.valued.join(" | ")),
    );
    s
}
