//! Cheap static checks of the hook scripts: shellcheck, `zsh -n`,
//! `fish --no-execute`, and the PowerShell script through a PowerShell grammar
//! (PowerShell itself cannot be installed here).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support;
use support::have;

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("shell")
        .join(name)
}

fn check(cmd: &mut Command) {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every optional check on (`--enable=all`); each file's exclusions are directives in
/// the file, each with its reason.
#[test]
fn the_bash_scripts_pass_shellcheck_with_every_check() {
    if have("shellcheck") {
        for name in ["ssoenv.bash", "complete.bash"] {
            check(
                Command::new("shellcheck")
                    .args(["--shell=bash", "--severity=style", "--enable=all"])
                    .arg(script(name)),
            );
        }
    }
}

#[test]
fn the_bash_completion_additions_parse() {
    if have("bash") {
        check(Command::new("bash").arg("-n").arg(script("complete.bash")));
    }
}

#[test]
fn the_zsh_completion_additions_parse() {
    if have("zsh") {
        check(Command::new("zsh").arg("-n").arg(script("complete.zsh")));
    }
}

#[test]
fn the_fish_completion_additions_parse() {
    if have("fish") {
        check(
            Command::new("fish")
                .arg("--no-execute")
                .arg(script("complete.fish")),
        );
    }
}

#[test]
fn the_bash_script_parses() {
    if have("bash") {
        check(Command::new("bash").arg("-n").arg(script("ssoenv.bash")));
    }
}

#[test]
fn the_zsh_script_parses() {
    if have("zsh") {
        check(Command::new("zsh").arg("-n").arg(script("ssoenv.zsh")));
    }
}

#[test]
fn the_fish_script_parses() {
    if have("fish") {
        check(
            Command::new("fish")
                .arg("--no-execute")
                .arg(script("ssoenv.fish")),
        );
    }
}

fn powershell_errors(source: &str) -> Vec<String> {
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_powershell::LANGUAGE.into())
        .unwrap();
    let tree = parser.parse(source, None).unwrap();
    let mut errors = Vec::new();
    let mut cursor = tree.walk();
    let mut stack = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        if node.is_error() || node.is_missing() {
            let p = node.start_position();
            errors.push(format!(
                "{}:{}: {} {:?}",
                p.row + 1,
                p.column + 1,
                if node.is_missing() {
                    "missing"
                } else {
                    "error"
                },
                &source[node.byte_range()]
                    .chars()
                    .take(60)
                    .collect::<String>()
            ));
        }
        stack.extend(node.children(&mut cursor));
    }
    errors
}

#[test]
fn the_powershell_script_parses_without_errors() {
    let text = std::fs::read_to_string(script("ssoenv.ps1")).unwrap();
    assert_eq!(powershell_errors(&text), Vec::<String>::new());
    // And as `init` prints it, with a path that needs quoting.
    let out = Command::new(env!("CARGO_BIN_EXE_ssoenv"))
        .args(["init", "powershell"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(printed.contains("$global:__ssoenv_bin = '/"));
    assert_eq!(powershell_errors(&printed), Vec::<String>::new());
    // Completions come along; `using namespace` would be illegal after other statements.
    assert!(printed.contains("Register-ArgumentCompleter -Native -CommandName 'ssoenv'"));
    assert!(printed.contains("& ssoenv profiles --names"));
    assert!(!printed.contains("using namespace"));
}

#[test]
fn the_grammar_check_catches_a_broken_script() {
    assert!(!powershell_errors("function f { if ($x { }").is_empty());
}

#[test]
fn init_prints_each_script_with_the_binary_path_and_nothing_on_stderr() {
    for shell in ["bash", "zsh", "fish", "powershell", "pwsh"] {
        let out = Command::new(env!("CARGO_BIN_EXE_ssoenv"))
            .args(["init", shell])
            .env_clear()
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}");
        assert!(out.stderr.is_empty(), "{shell}");
        let s = String::from_utf8(out.stdout).unwrap();
        assert!(!s.contains("@SSOENV_BIN@"), "{shell}");
        assert!(s.contains(env!("CARGO_BIN_EXE_ssoenv")), "{shell}");
    }
}

/// PowerShell cannot run here: the profile completer is checked as text. It reads the names
/// as UTF-8, matches them literally (never `-like`, whose `[ ] * ?` a name may hold), and
/// inserts each one as a verbatim string with every kind of single quote doubled, unless it
/// is a plain word; the list shows control characters as `?`.
#[test]
fn the_powershell_completer_quotes_the_profile_names_it_inserts() {
    let out = Command::new(env!("CARGO_BIN_EXE_ssoenv"))
        .args(["init", "powershell"])
        .env_clear()
        .output()
        .unwrap();
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(printed.is_ascii());
    assert_eq!(powershell_errors(&printed), Vec::<String>::new());
    for line in [
        "        try { [Console]::OutputEncoding = [System.Text.UTF8Encoding]::new($false) } catch { }",
        "            $names = @(& ssoenv profiles --names 2>$null)",
        "        $profiles = @($names | Where-Object { $_ -and $_.StartsWith($prefix, [System.StringComparison]::Ordinal) } | ForEach-Object {",
        "            $text = if ($_ -cmatch '^[A-Za-z0-9_][A-Za-z0-9_.:/+=-]*\\z') { $_ } else { \"'\" + ($_ -replace '[''\\u2018-\\u201B]', '$0$0') + \"'\" }",
        "            $shown = $_ -replace '[\\u0000-\\u001F\\u007F-\\u009F]', '?'",
        "            [System.Management.Automation.CompletionResult]::new($text, $shown, [System.Management.Automation.CompletionResultType]::ParameterValue, $shown)",
        "    @($completions.Where({ $_.CompletionText -like \"$wordToComplete*\" })) + $profiles |",
    ] {
        assert!(
            printed.lines().any(|l| l == line),
            "missing line:\n{line}\nin:\n{printed}"
        );
    }
    // The function refuses code for another shell, as the bash, zsh and fish ones do.
    assert!(printed.contains("if ($null -ne $value -and $value -notin @('powershell', 'pwsh')) {"));
    assert!(printed.contains("$out = __ssoenv_invoke $args[0] @shellArgs @rest | Out-String"));
    // SSOENV_INIT for the binary alone (`ssoenv doctor`), restored after the call.
    assert!(printed.contains("    try { & $exe @args } finally { $env:SSOENV_INIT = $old }"));
    // The profile results never pass through `-like`.
    assert!(!printed.contains("$completions += @(& ssoenv profiles"));
}
