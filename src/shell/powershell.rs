//! PowerShell: `$Env:NAME = 'value'`, written in printable ASCII only.
//!
//! PowerShell reads a native command's output through the console code page (1252, 1251 …),
//! not as UTF-8, so a UTF-8 byte sequence can decode to anything, including U+201A, which
//! PowerShell's tokenizer takes as a single quote (about_Quoting_Rules; `IsSingleQuote`:
//! U+0027, U+2018, U+2019, U+201A, U+201B) and which would end the string early. It also
//! splits that output into lines at CR and LF and joins them again with its own line ending.
//! So a value is a concatenation of verbatim strings holding printable ASCII (`'` doubled,
//! the only escape in a verbatim string) and `[char]0xNNNN` for every other character; one
//! outside the BMP is `[char]::ConvertFromUtf32(0xNNNNN)`. The expression starts with a
//! string, so each `+` concatenates (a `[char]` on the left would add numerically).
//! `Env:NAME` needs no escaping because names are validated to `[A-Za-z_][A-Za-z0-9_]*`.

use super::{Change, Completion, Dirs, Entry, Takes};
use std::fmt::Write;
use std::path::PathBuf;

/// The PowerShell expression for `s`, in printable ASCII: `it's` → `'it''s'`,
/// `café` → `'caf' + [char]0x00E9`, `` → `''`.
pub(super) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    let mut in_string = false;
    for c in s.chars() {
        if matches!(c, ' '..='~') {
            if !in_string {
                if !out.is_empty() {
                    out.push_str(" + ");
                }
                out.push('\'');
                in_string = true;
            }
            if c == '\'' {
                out.push('\'');
            }
            out.push(c);
        } else {
            if in_string {
                out.push('\'');
                in_string = false;
            }
            out.push_str(if out.is_empty() { "'' + " } else { " + " });
            if (c as u32) < 0x1_0000 {
                let _ = write!(out, "[char]0x{:04X}", c as u32);
            } else {
                let _ = write!(out, "[char]::ConvertFromUtf32(0x{:X})", c as u32);
            }
        }
    }
    if in_string {
        out.push('\'');
    } else if out.is_empty() {
        out.push_str("''");
    }
    out
}

pub(super) fn set(name: &str, value: &str) -> String {
    format!("$Env:{name} = {};\n", quote(value))
}

/// Silent when the variable does not exist, like `unset` in the POSIX shells.
pub(super) fn unset(name: &str) -> String {
    format!("Remove-Item -LiteralPath Env:{name} -ErrorAction SilentlyContinue;\n")
}

pub(super) const ENTRY: Entry = Entry {
    name: "powershell",
    aliases: &["pwsh"],
    help: None,
    render,
    quote,
    hook: Ok(include_str!("../../shell/ssoenv.ps1")),
    eval_line: |args| format!("ssoenv {args} --shell powershell | Out-String | Invoke-Expression"),
    init_line: "Invoke-Expression (& ssoenv init powershell | Out-String)",
    rc_file: "$PROFILE",
    startup_files,
    completion: Some(Completion {
        file: "_ssoenv.ps1",
        script: completion_script,
        for_init: |script| script,
    }),
    // PowerShell has no completion directory: a completer is registered by a script the
    // profile runs.
    completion_paths: |_| Vec::new(),
    completion_install: "add the init line to $PROFILE (it brings completions)",
};

fn render(changes: &[Change]) -> String {
    super::lines(changes, set, unset)
}

/// `$PROFILE` (current user, current host, and all hosts) on Linux and macOS, then on
/// Windows (PowerShell 7, then Windows PowerShell 5.1).
fn startup_files(d: &Dirs) -> Vec<PathBuf> {
    // Joined name by name: on Windows a path is shown with `\` throughout, not `Documents/…`.
    let ps = d.config_home.join("powershell");
    vec![
        ps.join("Microsoft.PowerShell_profile.ps1"),
        ps.join("profile.ps1"),
        d.home
            .join("Documents")
            .join("PowerShell")
            .join("Microsoft.PowerShell_profile.ps1"),
        d.home
            .join("Documents")
            .join("WindowsPowerShell")
            .join("Microsoft.PowerShell_profile.ps1"),
    ]
}

/// The profile names of the completer (`shell/complete.ps1`), put into clap's script.
const COMPLETION_ADDITIONS: &str = include_str!("../../shell/complete.ps1");

/// PowerShell: `using namespace` must open a script, which an embedded
/// completion (inside `ssoenv init powershell`) cannot; spell the types out
/// instead. Then add profile names for the commands that take a profile.
fn completion_script(cli: &mut clap::Command, takes: &Takes) -> String {
    let generated = super::generate(clap_complete::Shell::PowerShell, cli);
    let additions = super::after_header(COMPLETION_ADDITIONS);
    let mut out = String::with_capacity(generated.len() + additions.len());
    for line in generated.split_inclusive('\n') {
        if line.starts_with("using namespace ") {
            continue;
        }
        if line.starts_with("    $completions.Where{") {
            let commands: Vec<String> = takes
                .profile
                .iter()
                .map(|c| format!("'ssoenv;{c}'"))
                .collect();
            out.push_str(&additions.replace("@PROFILE_COMMANDS@", &commands.join(", ")));
            // `.Where{…}` is PowerShell 4 shorthand for `.Where({…})`; the explicit
            // call is the same code and parses with the tree-sitter grammar too.
            if let Some(body) = line
                .strip_prefix("    $completions.Where{")
                .and_then(|l| l.split_once("} |"))
            {
                out.push_str(&format!(
                    "    @($completions.Where({{{}}})) + $profiles |{}",
                    body.0, body.1
                ));
                continue;
            }
        }
        out.push_str(
            &line
                .replace(
                    "[CompletionResult]",
                    "[System.Management.Automation.CompletionResult]",
                )
                .replace(
                    "[CompletionResultType]",
                    "[System.Management.Automation.CompletionResultType]",
                )
                .replace(
                    "[StringConstantExpressionAst]",
                    "[System.Management.Automation.Language.StringConstantExpressionAst]",
                )
                .replace(
                    "[StringConstantType]",
                    "[System.Management.Automation.Language.StringConstantType]",
                ),
        );
    }
    out
}
