//! bash: `export NAME='value';` with POSIX single quotes. Inside single quotes nothing is
//! special (POSIX.1-2017 XCU 2.2.2), so a `'` is written by closing the quote, adding an
//! escaped quote and reopening: `'\''`. zsh shares these rules (see `zsh.rs`).

/// POSIX single-quoting: `it's` → `'it'\''s'`.
pub(super) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
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

pub(super) fn render(changes: &[Change]) -> String {
    super::lines(changes, set, unset)
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
