//! xonsh: `$NAME = '...'` in Python string literals, the whole inside `if True:`.
//!
//! A value is one single-quoted Python literal in printable ASCII: `\` and `'` are
//! backslash-escaped, every other character outside `' '..='~'` is `\xNN`, `\uNNNN` or
//! `\UNNNNNNNN`. Python reads it back exactly; xonsh expands neither `$NAME` nor `` `…` ``
//! nor `@(…)` inside a Python-mode string literal (only in subprocess arguments), and a
//! plain literal is no f-string, so `{…}` is text. An unset is guarded, as `del $NAME`
//! of a variable that does not exist raises: `if 'NAME' in ${...}: del $NAME`.
//! bash, zsh, fish and dash find no `fi`/`end` for the opening `if True:` and refuse the
//! whole text as a syntax error, running none of it. The `ssoenv` alias of `ssoenv init
//! xonsh` reads `--shell json` instead and sets `__xonsh__.env` itself (no `execx`).

use super::{Change, Completion, Dirs, Entry, Takes};
use std::fmt::Write;
use std::path::PathBuf;

/// The Python literal for `s`, in printable ASCII: `it's` → `'it\'s'`, `é` → `'\xe9'`.
pub(super) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            ' '..='~' => out.push(c),
            c if (c as u32) < 0x100 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x1_0000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('\'');
    out
}

fn set(name: &str, value: &str) -> String {
    format!("    ${name} = {}\n", quote(value))
}

fn unset(name: &str) -> String {
    format!("    if '{name}' in ${{...}}: del ${name}\n")
}

/// The first line; a Python block the POSIX shells and fish never see closed.
pub(super) const OPEN: &str =
    "if True:  # code for xonsh; in bash, zsh or sh: eval \"$(ssoenv ...)\"\n";

fn render(changes: &[Change]) -> String {
    super::block(OPEN, changes, set, unset, "")
}

pub(super) const ENTRY: Entry = Entry {
    name: "xonsh",
    aliases: &[],
    help: None,
    render,
    quote,
    hook: Ok(include_str!("../../shell/ssoenv.xsh")),
    eval_line: |args| format!("ssoenv {args} (with the init line in ~/.xonshrc)"),
    // Not xonsh's `$(ssoenv init xonsh)`: on a busy machine xonsh 0.13's capture returned
    // nothing for 30 of 240 captures of this 12 KB script (12 xonsh at once on 2 cores).
    init_line: "execx(__import__('subprocess').check_output('ssoenv init xonsh'.split(), env=__xonsh__.env.detype(), text=True), 'exec', __xonsh__.ctx, filename='ssoenv')",
    rc_file: "~/.xonshrc",
    startup_files,
    completion: Some(Completion {
        file: "ssoenv.xsh",
        script: completion_script,
        for_init: |script| script,
    }),
    // xonsh has no completion directory: the init script registers the completer.
    completion_paths: |_| Vec::new(),
    completion_install: "add the init line to ~/.xonshrc (it brings completions)",
};

/// `~/.xonshrc`, then the XDG run-control file and xonsh's system-wide one.
fn startup_files(d: &Dirs) -> Vec<PathBuf> {
    vec![
        d.home.join(".xonshrc"),
        d.config_home.join("xonsh/rc.xsh"),
        PathBuf::from("/etc/xonsh/xonshrc"),
    ]
}

/// The completer (`shell/complete.xsh`), its `@…@` lists filled from the CLI definition
/// as Python lists of string literals.
const COMPLETION_ADDITIONS: &str = include_str!("../../shell/complete.xsh");

fn completion_script(cli: &mut clap::Command, t: &Takes) -> String {
    let list = |v: &[String]| {
        let items: Vec<String> = v.iter().map(|s| quote(s)).collect();
        format!("[{}]", items.join(", "))
    };
    let mut commands: Vec<String> = cli
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .map(|c| c.get_name().to_owned())
        .collect();
    commands.push("help".to_owned());
    commands.sort();
    commands.dedup();
    super::after_header(COMPLETION_ADDITIONS)
        .replace("@COMMANDS@", &list(&commands))
        .replace("@PROFILE_COMMANDS@", &list(&t.profile))
        .replace("@SESSION_COMMANDS@", &list(&t.session))
        .replace("@VALUED@", &list(&t.valued))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_printable_ascii_python_literals() {
        assert_eq!(quote(""), "''");
        assert_eq!(quote("it's \\ $HOME `id`"), r"'it\'s \\ $HOME `id`'");
        assert_eq!(
            quote("\n\u{7f}é\u{2028}😀"),
            r"'\x0a\x7f\xe9\u2028\U0001f600'"
        );
        let changes = [
            ("A".to_owned(), Some("x".to_owned())),
            ("B".to_owned(), None),
        ];
        assert_eq!(
            render(&changes),
            format!("{OPEN}    $A = 'x'\n    if 'B' in ${{...}}: del $B\n")
        );
        assert_eq!(render(&[]), "");
    }
}
